package iouring.core.conformance;

import static iouring.api.abi.EnterFlags.IORING_ENTER_GETEVENTS;
import static iouring.api.abi.Opcodes.*;
import static iouring.api.abi.SqeFlags.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.abi.CqeFlags;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.OpFlags;
import iouring.api.abi.ParamsLayout;
import iouring.api.abi.SetupFlags;
import iouring.core.Kernel;
import iouring.vfs.fault.FaultProvider;
import iouring.vfs.fault.FaultRule;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code IOSQE_IO_DRAIN}, as liburing's link_drain.c, defer.c and multicqes_drain.c check it, with
 * Linux 6.18's results (T7 and T8 in {@code linux-probes/out-live*.txt}, D1 to D16 in {@code
 * docs/probes/feature-tests.c}): a drained request starts once every request submitted before it
 * has completed, every request submitted after it waits until it has completed, and a drain flag
 * anywhere in a chain drains the whole chain. Writes of {@code /heavy} take 100 ms on a worker,
 * liburing's "heavy io"; reads of {@code /gated} on a worker wait until the test opens the gate;
 * multishot timeouts stand for liburing's multishot polls.
 */
@Timeout(10)
class DrainTest extends RingScript {

  private final GatedReads gated = new GatedReads("/gated");

  @BeforeEach
  void start() {
    Kernel kernel = new Kernel();
    kernel.addProvider(
        Kernel.ROOT_PROVIDER,
        new FaultProvider(
            gated.provider(), FaultRule.parseAll("op=write,path=/heavy,delay=100ms")));
    process = kernel.newProcess();
    ring = IoUring.queueInit(process, 16, new IoUringParams());
  }

  @AfterEach
  void stop() {
    gated.open();
    ring.close();
    process.close();
  }

  /** A CQE as a value, for comparisons. */
  private static List<Long> userData(List<C> cqes) {
    return cqes.stream().map(C::userData).toList();
  }

  // ---- T7, T8 ----

  @Test
  void drainWaitsForEverythingBeforeIt() {
    long start = System.nanoTime();
    timeout(1, ms(60), 0, 0, 0);
    nop(2, IOSQE_IO_DRAIN);
    nop(3, 0);
    assertEquals(3, ring.submit());
    assertEquals(List.of(), reap(), "the drain and the request after it wait");
    assertEquals(List.of(C.of(1, -Errno.ETIME), C.of(2, 0), C.of(3, 0)), waitFor(3));
    assertTrue(System.nanoTime() - start >= 60_000_000L);

    nop(1, 0);
    timeout(2, ms(60), 0, 0, 0);
    nop(3, 0);
    nop(4, IOSQE_IO_DRAIN);
    ring.submit();
    assertEquals(List.of(C.of(1, 0), C.of(3, 0)), reap(), "only the drained NOP waits");
    assertEquals(List.of(C.of(2, -Errno.ETIME), C.of(4, 0)), waitFor(2));
  }

  @Test
  void drainAfterSkipWasUsedIsEopnotsupp() {
    RawRing raw = RawRing.create(process, 8);
    raw.push(Sqe.nop(1).flags(IOSQE_CQE_SKIP_SUCCESS));
    assertEquals(1, raw.enter(1, 0, IORING_ENTER_GETEVENTS));
    raw.push(Sqe.nop(2).flags(IOSQE_IO_DRAIN));
    assertEquals(1, raw.enter(1, 1, IORING_ENTER_GETEVENTS));
    assertEquals(List.of(Cqe.of(2, -Errno.EOPNOTSUPP)), raw.reap());
    assertEquals(Cqe.of(3, -Errno.EOPNOTSUPP), raw.run(Sqe.nop(3).flags(IOSQE_IO_DRAIN)));
  }

  // ---- how long a drain holds later requests (D9 to D16) ----

  private int gatedFd;
  private long gatedBuf;

  /**
   * Queues a read of {@code /gated} on a worker: it stays in flight until the test opens the gate,
   * as the 200 ms timeouts of the probe do, and then reads 0 bytes of 16, a short read.
   */
  private void gatedRead(long userData, int sqeFlags) {
    if (gatedBuf == 0) {
      gatedFd =
          process.openat(FileFlags.AT_FDCWD, "/gated", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
      gatedBuf = process.memory().map(ByteBuffer.allocateDirect(16));
    }
    ring.getSqe()
        .prepRead(gatedFd, gatedBuf, 16, 0)
        .flags(sqeFlags | IOSQE_ASYNC)
        .userData(userData);
  }

  /**
   * A drained request holds every request after it until it has completed, not only until it has
   * started: Linux 6.18 starts queued requests only when nothing is in flight ({@code
   * io_queue_deferred}), so a NOP after a drained request waits for it (D11).
   */
  @Test
  void aRequestAfterADrainedRequestWaitsUntilItCompletes() {
    gatedRead(1, IOSQE_IO_DRAIN);
    nop(2, 0);
    assertEquals(2, ring.submit());
    assertEquals(List.of(), reap());
    gated.open();
    assertEquals(List.of(C.of(1, 0), C.of(2, 0)), waitFor(2));
  }

  /** The same after a drained chain, which the short read breaks (D10). */
  @Test
  void aRequestAfterADrainedChainWaitsUntilTheChainCompletes() {
    gatedRead(1, IOSQE_IO_LINK | IOSQE_IO_DRAIN);
    nop(2, 0);
    nop(3, 0);
    assertEquals(3, ring.submit());
    assertEquals(List.of(), reap());
    gated.open();
    assertEquals(List.of(C.of(1, 0), C.of(2, -Errno.ECANCELED), C.of(3, 0)), waitFor(3));
  }

  /**
   * A drain flag on a chain member other than its head drains the whole chain and the request after
   * the chain too (Linux's {@code io_init_req_drain}): behind a request in flight, all of them wait
   * (D12).
   */
  @Test
  void aDrainPastTheHeadOfAChainHoldsTheChainAndWhatFollows() {
    gatedRead(1, 0);
    nop(2, IOSQE_IO_LINK);
    nop(3, IOSQE_IO_LINK | IOSQE_IO_DRAIN);
    nop(4, 0);
    nop(5, 0);
    nop(6, 0);
    assertEquals(6, ring.submit());
    assertEquals(List.of(), reap());
    gated.open();
    assertEquals(
        List.of(C.of(1, 0), C.of(2, 0), C.of(3, 0), C.of(4, 0), C.of(5, 0), C.of(6, 0)),
        waitFor(6));
  }

  /**
   * The chain with a drain past its head starts at once, nothing being in flight; the request after
   * it, drained by it, waits for it, and so does the next one (D9).
   */
  @Test
  void aDrainPastTheHeadOfAChainDrainsTheNextRequest() {
    nop(1, IOSQE_IO_LINK);
    gatedRead(2, IOSQE_IO_LINK | IOSQE_IO_DRAIN);
    nop(3, 0);
    nop(4, 0);
    nop(5, 0);
    assertEquals(5, ring.submit());
    assertEquals(List.of(C.of(1, 0)), reap());
    gated.open();
    assertEquals(
        List.of(C.of(2, 0), C.of(3, -Errno.ECANCELED), C.of(4, 0), C.of(5, 0)), waitFor(4));
  }

  /**
   * Drain mode outlasts the submission that started it: a NOP submitted by a later enter waits for
   * the drained request too (D13). The mode ends when a request finds nothing in flight: then a
   * timeout of an hour no longer holds the NOP after it (D14).
   */
  @Test
  void drainModeHoldsLaterSubmissionsUntilNothingIsInFlight() {
    gatedRead(1, IOSQE_IO_DRAIN);
    assertEquals(1, ring.submit());
    nop(2, 0);
    assertEquals(1, ring.submit());
    assertEquals(List.of(), reap());
    gated.open();
    assertEquals(List.of(C.of(1, 0), C.of(2, 0)), waitFor(2));

    timeout(3, timespec(3600, 0), 0, 0, 0);
    assertEquals(1, ring.submit());
    nop(4, 0);
    assertEquals(1, ring.submit());
    assertEquals(List.of(C.of(4, 0)), reap());
  }

  /**
   * A request that fails before issue is not held by a drain: it posts its error at once, and ends
   * the batch; the NOP left in the SQ, submitted later, waits for the drained request (D16).
   */
  @Test
  void aRequestThatFailsBeforeIssueIsNotHeldByADrain() {
    gatedRead(1, IOSQE_IO_DRAIN);
    ring.getSqe().prepRw(200, -1, 0, 0, 0).userData(2);
    nop(3, 0);
    assertEquals(2, ring.submit());
    assertEquals(List.of(C.of(2, -Errno.EINVAL)), reap());
    assertEquals(1, ring.submit());
    assertEquals(List.of(), reap());
    gated.open();
    assertEquals(List.of(C.of(1, 0), C.of(3, 0)), waitFor(2));
  }

  // ---- link_drain.c ----

  private int heavy;
  private long iovec;

  /** Opens {@code /heavy} and maps one 4 KiB iovec for its writes. */
  private void openHeavy() {
    heavy =
        process.openat(FileFlags.AT_FDCWD, "/heavy", FileFlags.O_WRONLY | FileFlags.O_CREAT, 0644);
    long data = process.memory().map(ByteBuffer.allocateDirect(4096));
    ByteBuffer iov = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    iov.putLong(0, data).putLong(8, 4096);
    iovec = process.memory().map(iov);
  }

  private void heavyWrite(long userData, int sqeFlags) {
    ring.getSqe().prepWritev(heavy, iovec, 1, 0).flags(sqeFlags | IOSQE_ASYNC).userData(userData);
  }

  /**
   * test_link_drain_one: a heavy write, then a chain of three whose middle member is drained, then
   * a NOP. The drain holds its whole chain behind the write, and the NOP behind the chain.
   */
  @Test
  void aDrainInAChainHoldsTheChainAndWhatFollows() {
    openHeavy();
    heavyWrite(0, 0);
    nop(1, IOSQE_IO_LINK);
    nop(2, IOSQE_IO_LINK | IOSQE_IO_DRAIN);
    nop(3, 0);
    nop(4, 0);
    assertEquals(5, ring.submit());
    assertEquals(List.of(), reap(), "everything waits for the write on the worker");
    assertEquals(
        List.of(C.of(0, 4096), C.of(1, 0), C.of(2, 0), C.of(3, 0), C.of(4, 0)), waitFor(5));
  }

  /** test_link_drain_multi: two chains with a drained member each, the second one a write. */
  @Test
  void twoDrainedChainsCompleteInSubmissionOrder() {
    openHeavy();
    heavyWrite(0, 0);
    nop(1, IOSQE_IO_LINK);
    nop(2, IOSQE_IO_LINK | IOSQE_IO_DRAIN);
    nop(3, 0);
    nop(4, IOSQE_IO_LINK);
    nop(5, IOSQE_IO_LINK);
    heavyWrite(6, IOSQE_IO_LINK | IOSQE_IO_DRAIN);
    nop(7, 0);
    nop(8, 0);
    assertEquals(9, ring.submit());
    assertEquals(List.of(), reap());
    List<C> expected = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      expected.add(C.of(i, i == 0 || i == 6 ? 4096 : 0));
    }
    assertEquals(expected, waitFor(9));
  }

  // ---- defer.c ----

  /** test_cancelled_userdata: a chain of 100 NOPs completes in order, each with its user_data. */
  @Test
  void aChainOfAHundredCompletesInOrder() {
    try (IoUring big = IoUring.queueInit(process, 128, new IoUringParams())) {
      for (int i = 0; i < 100; i++) {
        big.getSqe().prepNop().flags(IOSQE_IO_LINK).userData(i);
      }
      assertEquals(100, big.submitAndWait(100));
      iouring.api.Cqe[] cqes = new iouring.api.Cqe[128];
      assertEquals(100, big.peekBatchCqe(cqes));
      for (int i = 0; i < 100; i++) {
        assertEquals(i, cqes[i].userData());
        assertEquals(0, cqes[i].res());
      }
    }
  }

  /**
   * test_thread_link_cancel, on an SQPOLL ring (liburing's also has IOPOLL, which iouring lacks,
   * and fails its head there): a chain of 100 whose head fails cancels the other 99, in order.
   */
  @Test
  void aChainOfAHundredOnAnSqPollRingFailsAfterItsHead() {
    IoUringParams sqpoll =
        new IoUringParams().flags(SetupFlags.IORING_SETUP_SQPOLL).sqThreadIdle(1000);
    try (IoUring polled = IoUring.queueInit(process, 128, sqpoll)) {
      long buf = process.memory().map(ByteBuffer.allocateDirect(16));
      polled.getSqe().prepRead(-1, buf, 4, 0).flags(IOSQE_IO_LINK).userData(0);
      for (int i = 1; i < 100; i++) {
        polled.getSqe().prepNop().flags(IOSQE_IO_LINK).userData(i);
      }
      assertEquals(100, polled.submit());
      for (int i = 0; i < 100; i++) {
        var cqe = polled.waitCqe(5, TimeUnit.SECONDS);
        assertNotNull(cqe, "CQE " + i);
        assertEquals(i, cqe.userData());
        assertEquals(i == 0 ? -Errno.EBADF : -Errno.ECANCELED, cqe.res(), "CQE " + i);
        polled.cqeSeen(cqe);
      }
    }
  }

  /**
   * test_dropped_hung: the application writes 1000 into {@code sq_dropped}; drained NOPs do not
   * wait for requests that never were (Linux's drain once counted from that field).
   */
  @Test
  void aDrainIgnoresWhatTheApplicationWritesIntoSqDropped() {
    RawRing raw = RawRing.create(process, 16);
    raw.rings.putInt(raw.params.sqOff(ParamsLayout.SQ_OFF_DROPPED), 1000);
    for (int i = 0; i < 10; i++) {
      raw.push(Sqe.nop(i).flags(IOSQE_IO_DRAIN));
    }
    assertEquals(10, raw.submitAndWait(10));
    List<Cqe> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add(Cqe.of(i, 0));
    }
    assertEquals(expected, raw.reap());
  }

  /**
   * test_overflow_hung, which liburing runs only on a ring without {@code IORING_FEAT_NODROP}:
   * under the drop policy, 1000 dropped CQEs do not hold back a drain.
   */
  @Test
  void aDrainAfterDroppedCompletionsDoesNotHang() {
    RawRing raw = RawRing.create(process, 16, new IoUringParams().dropOnOverflow(true));
    while (raw.cqOverflow() < 1000) {
      for (int i = 0; i < 8; i++) {
        raw.push(Sqe.nop(i));
      }
      assertEquals(8, raw.submit());
    }
    assertEquals(1000, raw.cqOverflow());
    assertEquals(32, raw.reap().size());
    for (int i = 0; i < 10; i++) {
      raw.push(Sqe.nop(100 + i).flags(IOSQE_IO_DRAIN));
    }
    assertEquals(10, raw.submitAndWait(10));
    List<Cqe> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add(Cqe.of(100 + i, 0));
    }
    assertEquals(expected, raw.reap());
  }

  /**
   * test_drain_with_linked_timeout: three pairs of a drained one-hour {@code TIMEOUT} and a 20 ms
   * {@code LINK_TIMEOUT} guarding it. Each pair waits for the one before: the linked timeout fires
   * ({@code -ETIME}) and cancels its target ({@code -ECANCELED}), pair after pair.
   */
  @Test
  void drainedTimeoutsWithLinkedTimeoutsCompletePairByPair() {
    long hour = timespec(3600, 0);
    long ms20 = ms(20);
    long start = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      timeout(10 * i, hour, 0, 0, IOSQE_IO_LINK | IOSQE_IO_DRAIN);
      ring.getSqe().prepRw(IORING_OP_LINK_TIMEOUT, -1, ms20, 1, 0).userData(10 * i + 1);
    }
    assertEquals(6, ring.submit());
    assertEquals(
        List.of(
            C.of(1, -Errno.ETIME),
            C.of(0, -Errno.ECANCELED),
            C.of(11, -Errno.ETIME),
            C.of(10, -Errno.ECANCELED),
            C.of(21, -Errno.ETIME),
            C.of(20, -Errno.ECANCELED)),
        waitFor(6));
    assertTrue(System.nanoTime() - start >= 60_000_000L, "three 20 ms timeouts, one by one");
  }

  // ---- multicqes_drain.c ----

  private static final int MORE = CqeFlags.IORING_CQE_F_MORE;

  /**
   * test_simple_drain: a multishot timeout (liburing: a multishot poll) and a single one, then its
   * removal and a drained NOP. The NOP comes last, after the multishot's final {@code -ECANCELED}.
   */
  @Test
  void aDrainAfterRemovingAMultishotTimeoutComesLast() {
    long ms5 = ms(5);
    timeout(0, ms5, 0, OpFlags.IORING_TIMEOUT_MULTISHOT, 0);
    timeout(1, ms5, 0, 0, 0);
    assertEquals(2, ring.submit());
    List<C> seen = new ArrayList<>();
    while (seen.stream().noneMatch(c -> c.userData() == 1)
        || seen.stream().filter(c -> c.userData() == 0).count() < 2) {
      seen.addAll(waitFor(1));
    }
    ring.getSqe().prepRw(IORING_OP_TIMEOUT_REMOVE, -1, 0, 0, 0).userData(2);
    nop(3, IOSQE_IO_DRAIN);
    assertEquals(2, ring.submit());
    while (seen.isEmpty() || seen.get(seen.size() - 1).userData() != 3) {
      seen.addAll(waitFor(1));
    }
    for (C c : seen.subList(0, seen.size() - 1)) {
      if (c.userData() == 0 && c.res() == -Errno.ETIME) {
        assertEquals(MORE, c.flags(), "a multishot CQE before the end");
      }
    }
    assertTrue(seen.contains(C.of(1, -Errno.ETIME)), seen.toString());
    assertTrue(seen.contains(C.of(2, 0)), seen.toString());
    assertTrue(seen.contains(C.of(0, -Errno.ECANCELED)), "the multishot's end: " + seen);
    assertEquals(C.of(3, 0), seen.get(seen.size() - 1));
    assertEquals(List.of(), reap());
  }

  /**
   * What multicqes_drain.c avoids by cancelling its multishots before a drain (D8): a drain waits
   * for an armed multishot timeout, and everything after it waits too, even the request that would
   * remove it; only the multishot's own CQEs come.
   */
  @Test
  void aDrainBehindAnArmedMultishotTimeoutWaitsAndSoDoesEverythingAfterIt() {
    timeout(10, ms(5), 0, OpFlags.IORING_TIMEOUT_MULTISHOT, 0);
    assertEquals(1, ring.submit());
    nop(11, IOSQE_IO_DRAIN);
    nop(12, 0);
    ring.getSqe().prepRw(IORING_OP_TIMEOUT_REMOVE, -1, 10, 0, 0).userData(13);
    assertEquals(3, ring.submit());
    List<C> seen = waitFor(3);
    seen.addAll(reap());
    for (C c : seen) {
      assertEquals(new C(10, -Errno.ETIME, MORE), c, "only the multishot posts: " + seen);
    }
  }

  /**
   * test_generic_drain, with fixed seeds: 50 requests drawn from NOPs, single and multishot
   * timeouts of 2 ms and removals of earlier multishots, flagged with nothing, {@code IO_LINK},
   * {@code IO_DRAIN} or both under liburing's rules (no drain while a multishot is armed, no
   * multishot in a chain, removals neither drained nor linked) and one more: no drained multishot,
   * neither by its flag nor as the request after a chain with a drain past its head. On Linux 6.18
   * a drained request holds everything after it until it completes, so a drained multishot would
   * hold its own removal forever; liburing's test, which only peeks at what came after a second,
   * does not notice, but one that waits for every request would. When a drained request posts,
   * every request before it has completed (a multishot: with its final CQE). Single timeouts carry
   * {@code IORING_TIMEOUT_ETIME_SUCCESS}, so that they do not break chains, as liburing's single
   * polls do not: a broken chain would cancel a removal and leave its multishot armed.
   */
  @Test
  void randomMixesKeepTheDrainPromise() {
    for (long seed = 1; seed <= 5; seed++) {
      generic(new Random(seed), seed);
    }
  }

  private static final int MULTI = 0;
  private static final int SINGLE = 1;
  private static final int NOP = 2;
  private static final int REMOVE = 3;

  private void generic(Random random, long seed) {
    final int n = 50;
    final int highWatermark = n - n / 5;
    int[] ops = new int[n];
    int[] flags = new int[n];
    List<Integer> armed = new ArrayList<>();
    int multiCap = n / 5;
    int preFlags = 0;
    boolean drainNext = false; // a drain on a chain member but the head drains the next chain
    long ms2 = ms(2);
    try (IoUring mixed = IoUring.queueInit(process, 64, new IoUringParams())) {
      for (int i = 0; i < n; i++) {
        int op;
        if (i >= highWatermark && !armed.isEmpty()) {
          op = REMOVE;
        } else {
          do {
            op = random.nextInt(4);
          } while ((op == REMOVE && (armed.isEmpty() || (preFlags & IOSQE_IO_LINK) != 0))
              || (op == MULTI && (multiCap == 0 || i >= highWatermark))
              || (op == MULTI && ((preFlags & IOSQE_IO_LINK) != 0 || drainNext)));
        }
        boolean head = (preFlags & IOSQE_IO_LINK) == 0;
        int f;
        do {
          f =
              new int[] {0, IOSQE_IO_LINK, IOSQE_IO_DRAIN, IOSQE_IO_LINK | IOSQE_IO_DRAIN}
                  [random.nextInt(4)];
        } while ((f & IOSQE_IO_DRAIN) != 0 && !armed.isEmpty());
        if (op == REMOVE) {
          f = 0;
        }
        if (op == MULTI) {
          f = 0;
          multiCap--;
        }
        var sqe = mixed.getSqe();
        switch (op) {
          case MULTI ->
              sqe.prepRw(IORING_OP_TIMEOUT, -1, ms2, 1, 0)
                  .rwFlags(OpFlags.IORING_TIMEOUT_MULTISHOT);
          case SINGLE ->
              sqe.prepRw(IORING_OP_TIMEOUT, -1, ms2, 1, 0)
                  .rwFlags(OpFlags.IORING_TIMEOUT_ETIME_SUCCESS);
          case NOP -> sqe.prepNop();
          default ->
              sqe.prepRw(
                  IORING_OP_TIMEOUT_REMOVE, -1, armed.remove(random.nextInt(armed.size())), 0, 0);
        }
        sqe.flags(f).userData(i);
        if (op == MULTI) {
          armed.add(i);
        }
        ops[i] = op;
        flags[i] = f;
        preFlags = f;
        drainNext = head ? false : drainNext || (f & IOSQE_IO_DRAIN) != 0;
      }
      assertEquals(n, mixed.submit(), "seed " + seed);
      Set<Integer> done = new HashSet<>();
      while (done.size() < n) {
        var cqe = mixed.waitCqe(5, TimeUnit.SECONDS);
        assertNotNull(cqe, "seed " + seed + ": completed " + done);
        int index = (int) cqe.userData();
        if ((flags[index] & IOSQE_IO_DRAIN) != 0) {
          for (int j = 0; j < index; j++) {
            assertTrue(
                done.contains(j),
                "seed " + seed + ": drained " + index + " posted before " + j + " completed");
          }
        }
        if (ops[index] != MULTI || (cqe.flags() & MORE) == 0) {
          done.add(index);
        }
        mixed.cqeSeen(cqe);
      }
    }
  }
}
