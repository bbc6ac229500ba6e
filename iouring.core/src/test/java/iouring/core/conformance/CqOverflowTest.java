package iouring.core.conformance;

import static iouring.api.abi.EnterFlags.IORING_ENTER_GETEVENTS;
import static iouring.api.abi.Opcodes.*;
import static iouring.api.abi.ParamsLayout.CQ_OFF_OVERFLOW;
import static iouring.core.conformance.Syscalls.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.MmapOffsets;
import iouring.api.abi.RingFlags;
import iouring.api.abi.SetupFlags;
import iouring.core.Kernel;
import iouring.core.ring.KernelLimits;
import iouring.vfs.memory.MemoryProvider;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The completion queue when it fills up, mirroring liburing's cq-overflow.c, cq-full.c, cq-size.c,
 * cq-ready.c and cq-peek-batch.c, with Linux 6.18's results (T15 in {@code
 * linux-probes/out-live3.txt}, O1 to O3 in {@code docs/probes/feature-tests.c}): under Linux's
 * no-drop policy ({@code IORING_FEAT_NODROP}) CQEs that do not fit wait in a backlog flagged by
 * {@code IORING_SQ_CQ_OVERFLOW}, in order, submission is never refused for it (no {@code EBUSY}
 * since 5.13), and only an enter with {@code IORING_ENTER_GETEVENTS} moves them into the ring.
 * liburing's runs that need IOPOLL or DEFER_TASKRUN rings are left out: iouring has neither.
 */
@Timeout(10)
class CqOverflowTest {
  private static final int GETEVENTS = IORING_ENTER_GETEVENTS;

  private IoUringProcess process;

  @BeforeEach
  void startProcess() {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new MemoryProvider());
    process = kernel.newProcess();
  }

  @AfterEach
  void endProcess() {
    process.close();
  }

  private IoUringParams setup(int entries, IoUringParams params) {
    process.close(process.setup(entries, params));
    return params;
  }

  /** Returns {@code cq_ring->overflow}, the CQEs dropped, through a mapping of its own. */
  private static int cqOverflow(IoUring ring, IoUringParams params) {
    int at = params.cqOff(CQ_OFF_OVERFLOW);
    return ring.process().mmap(ring.ringFd(), MmapOffsets.IORING_OFF_SQ_RING, at + 4).getInt(at);
  }

  private static void submitNops(IoUring ring, int n, long firstUserData) {
    for (int i = 0; i < n; i++) {
      ring.getSqe().prepNop().userData(firstUserData + i);
    }
    assertEquals(n, ring.submit());
  }

  /** Peeks and sees every CQE the handle gives, asserting user_data 0, 1, 2, ...; the count. */
  private static int peekInOrder(IoUring ring) {
    int peeked = 0;
    for (iouring.api.Cqe cqe = ring.peekCqe(); cqe != null; cqe = ring.peekCqe()) {
      assertEquals(peeked, cqe.userData());
      ring.cqeSeen(cqe);
      peeked++;
    }
    return peeked;
  }

  /** Reaps everything, flushing the backlog as liburing's peek does, until nothing is left. */
  private static List<Cqe> reapAll(RawRing ring) {
    List<Cqe> all = new ArrayList<>();
    while (ring.cqReady() > 0 || (ring.sqFlags() & RingFlags.IORING_SQ_CQ_OVERFLOW) != 0) {
      all.addAll(ring.reap());
      ring.enter(0, 0, GETEVENTS);
    }
    return all;
  }

  // ---- T15 ----

  @Test
  void backlogKeepsEveryCqeInOrder() {
    RawRing ring = RawRing.create(process, 4);
    assertEquals(8, ring.cqEntries);
    int[] ready = {4, 8, 8, 8};
    int[] flags = {0, 0, RingFlags.IORING_SQ_CQ_OVERFLOW, RingFlags.IORING_SQ_CQ_OVERFLOW};
    for (int round = 0; round < 4; round++) {
      for (int i = 0; i < 4; i++) {
        ring.push(Sqe.nop(round * 4 + i));
      }
      assertEquals(4, ring.submit(), "round " + round);
      assertEquals(ready[round], ring.cqReady(), "round " + round);
      assertEquals(flags[round], ring.sqFlags(), "round " + round);
      assertEquals(0, ring.cqOverflow(), "round " + round);
    }

    assertEquals(0, ring.enter(0, 0, GETEVENTS));
    assertEquals(8, ring.cqReady());
    assertEquals(0, ring.enter(0, 9, GETEVENTS), "min_complete is clamped to the CQ size");
    assertEquals(8, ring.cqReady());

    List<Cqe> seen = new ArrayList<>();
    int head = ring.cqHead();
    for (int i = 0; i < 3; i++) {
      seen.add(ring.cqe(head + i));
    }
    ring.cqHead(head + 3);
    assertEquals(0, ring.enter(0, 0, 0));
    assertEquals(5, ring.cqReady(), "only GETEVENTS flushes the backlog");
    assertEquals(RingFlags.IORING_SQ_CQ_OVERFLOW, ring.sqFlags());

    ring.push(Sqe.nop(100));
    assertEquals(1, ring.submit(), "submission is not refused while backlogged");
    assertEquals(5, ring.cqReady());
    assertEquals(0, ring.enter(0, 0, GETEVENTS));
    assertEquals(8, ring.cqReady());
    assertEquals(RingFlags.IORING_SQ_CQ_OVERFLOW, ring.sqFlags());

    while (ring.cqReady() > 0 || ring.sqFlags() != 0) {
      seen.addAll(ring.reap());
      ring.enter(0, 0, GETEVENTS);
    }
    List<Long> order = new ArrayList<>();
    for (Cqe cqe : seen) {
      order.add(cqe.userData());
    }
    List<Long> expected = new ArrayList<>();
    for (long ud = 0; ud < 16; ud++) {
      expected.add(ud);
    }
    expected.add(100L);
    assertEquals(expected, order);
    assertEquals(0, ring.cqOverflow());
  }

  @Test
  void submissionThatFillsTheCqExactlyDoesNotOverflow() {
    RawRing ring = RawRing.create(process, 4);
    for (int i = 0; i < 4; i++) {
      ring.push(Sqe.nop(i));
    }
    assertEquals(4, ring.submit());
    for (int i = 0; i < 4; i++) {
      ring.push(Sqe.nop(10 + i));
    }
    assertEquals(4, ring.enter(4, 10, GETEVENTS));
    assertEquals(8, ring.cqReady());
    assertEquals(0, ring.sqFlags());
    ring.push(Sqe.nop(20));
    assertEquals(1, ring.enter(1, 1, GETEVENTS));
    assertEquals(8, ring.cqReady());
    assertEquals(RingFlags.IORING_SQ_CQ_OVERFLOW, ring.sqFlags());
  }

  // ---- cq-overflow.c ----

  /** test_overflow: 4 x 4 NOPs on a 4-entry ring, all peeked in order, none dropped. */
  @Test
  void nopsPastTheCqAreAllPeekedInOrder() {
    IoUringParams params = new IoUringParams();
    try (IoUring ring = IoUring.queueInit(process, 4, params)) {
      for (int round = 0; round < 4; round++) {
        submitNops(ring, 4, round * 4L);
      }
      for (long ud = 0; ud < 16; ud++) {
        iouring.api.Cqe cqe = ring.peekCqe();
        assertEquals(ud, cqe.userData());
        ring.cqeSeen(cqe);
      }
      assertNull(ring.peekCqe());
      assertEquals(0, cqOverflow(ring, params));
    }
  }

  /**
   * test_overflow_handling: eight NOPs through a 2-entry SQ and a CQ of {@code cqEntries}, each
   * completion resubmitted once the backlog is empty, for 128 rounds of waiting (and with {@code
   * batch}, peeking two at a time). The backlog hands CQEs back in the order they were posted, so
   * every NOP completes as often as its neighbours, give or take one.
   */
  @ParameterizedTest(name = "batch {0}, CQ of {1}")
  @CsvSource({"false,2", "true,2", "false,4", "true,4"})
  void theBacklogIsFairToEveryRequest(boolean batch, int cqEntries) {
    final int n = 8;
    IoUringParams params =
        new IoUringParams().flags(SetupFlags.IORING_SETUP_CQSIZE).cqEntries(cqEntries);
    int[] completions = new int[n];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    int outstanding = 0;
    try (IoUring ring = IoUring.queueInit(process, 2, params)) {
      for (int i = 0; i < n; i++) {
        submitNops(ring, 1, i);
        outstanding++;
      }
      iouring.api.Cqe[] cqes = new iouring.api.Cqe[2];
      for (int round = 0; round < 128; round++) {
        if (ring.cqHasOverflow()) {
          assertEquals(0, process.enter(ring.ringFd(), 0, 0, GETEVENTS), "io_uring_get_events");
        } else {
          while (!queue.isEmpty()) {
            submitNops(ring, 1, queue.poll());
            outstanding++;
          }
        }
        cqes[0] = ring.waitCqe();
        int count = batch ? ring.peekBatchCqe(cqes) : 1;
        for (int j = 0; j < count; j++) {
          int ud = (int) cqes[j].userData();
          completions[ud]++;
          queue.add(ud);
        }
        ring.cqAdvance(count);
        outstanding -= count;
      }
      int count;
      do {
        assertEquals(0, process.enter(ring.ringFd(), 0, 0, GETEVENTS));
        if (outstanding > 0 && ring.cqReady() == 0) {
          ring.waitCqe();
        }
        count = ring.cqReady();
        ring.cqAdvance(count);
        outstanding -= count;
      } while (count > 0);
      assertEquals(0, outstanding);
      assertEquals(0, cqOverflow(ring, params));
    }
    for (int i = 1; i < n; i++) {
      assertTrue(
          Math.abs(completions[i] - completions[i - 1]) <= 1,
          "completions per request: " + Arrays.toString(completions));
    }
  }

  /**
   * test_io: 64 reads of 4 KiB, submitted one by one on an 8-entry ring and reaped only at the end;
   * one reads into address 0 and fails with {@code EFAULT}. No completion is lost.
   */
  @Test
  void readsPastTheCqAllCompleteAndAFaultIsReported() {
    final int bs = 4096;
    final int buffers = 64;
    RawRing ring = RawRing.create(process, 8);
    int fd =
        process.openat(FileFlags.AT_FDCWD, "/basic-rw", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
    UserBuffer content = UserBuffer.allocate(process, buffers * bs);
    for (int i = 0; i < buffers * bs; i++) {
      content.buffer().put(i, (byte) 0xaa);
    }
    assertEquals(
        buffers * bs, ring.result(Sqe.rw(IORING_OP_WRITE, fd, content.address(), buffers * bs, 0)));
    UserBuffer data = UserBuffer.allocate(process, buffers * bs);
    for (int i = 0; i < buffers; i++) {
      long base = i == 12 ? 0 : data.at(i * bs);
      UserBuffer iov = UserBuffer.iovecs(process, base, bs);
      long offset = (long) bs * ((i * 37) % buffers);
      ring.push(Sqe.op(IORING_OP_READV).fd(fd).addr(iov.address()).len(1).off(offset).userData(i));
      assertEquals(1, ring.submit(), "read " + i);
    }
    assertEquals(RingFlags.IORING_SQ_CQ_OVERFLOW, ring.sqFlags());
    List<Cqe> all = reapAll(ring);
    assertEquals(buffers, all.size());
    for (int i = 0; i < buffers; i++) {
      assertEquals(Cqe.of(i, i == 12 ? -Errno.EFAULT : bs), all.get(i));
    }
    assertEquals(0, ring.cqOverflow());
    assertEquals((byte) 0xaa, data.buffer().get(5 * bs + 17));
  }

  /**
   * test_io and reap_events on a kernel that drops CQEs (Linux: when a backlog entry cannot be
   * allocated; here: past {@code backlogLimit}, 4): the drops are counted in {@code
   * cq_ring->overflow} at once, and {@code -EBADR} tells a wait about them, as Linux 6.18's {@code
   * io_cqring_wait} and {@code io_uring_enter} do: not a wait that the flushed backlog satisfies,
   * nor one that ends with CQEs in the ring (it returns at once, short of its count), but the first
   * that ends with the ring empty; only an enter that returns {@code -EBADR} clears it.
   */
  @Test
  void droppedCompletionsAreCountedAndReportedOnceByAWaitThatFindsNothing() {
    try (IoUringProcess small = new Kernel(new KernelLimits(64, 64, 4, 16)).newProcess()) {
      RawRing ring = RawRing.create(small, 4);
      for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 4; i++) {
          ring.push(Sqe.nop(round * 4 + i));
        }
        assertEquals(4, ring.submit());
      }
      assertEquals(4, ring.cqOverflow(), "8 in the CQ, 4 in the backlog, 4 dropped");
      assertEquals(8, ring.reap().size());

      assertEquals(0, ring.enter(0, 1, GETEVENTS), "the backlog satisfies the wait");
      assertEquals(List.of(Cqe.of(8, 0), Cqe.of(9, 0), Cqe.of(10, 0), Cqe.of(11, 0)), ring.reap());

      ring.push(Sqe.nop(50));
      int submitted =
          assertTimeoutPreemptively(Duration.ofSeconds(5), () -> ring.enter(1, 2, GETEVENTS));
      assertEquals(1, submitted, "a wait for 2 ends at once with 1 CQE: no EBADR yet");
      assertEquals(List.of(Cqe.of(50, 0)), ring.reap());

      assertErrno(Errno.EBADR, () -> ring.enter(0, 1, GETEVENTS));
      ring.push(Sqe.nop(60));
      assertEquals(1, ring.enter(1, 1, GETEVENTS), "reported once");
      assertEquals(List.of(Cqe.of(60, 0)), ring.reap());
      assertEquals(4, ring.cqOverflow());
    }
  }

  /**
   * CQEs posted after the submission, by timers, go to the backlog too once the CQ is full, and
   * keep their order; a submission without {@code GETEVENTS} is not refused and flushes nothing,
   * one with it flushes what fits (O3).
   */
  @Test
  void completionsFromTimersGoToTheBacklogInOrder() throws InterruptedException {
    RawRing ring = RawRing.create(process, 4);
    UserBuffer ms1 = UserBuffer.allocate(process, 16);
    ms1.buffer().putLong(8, 1_000_000);
    for (int round = 0; round < 4; round++) {
      for (int i = 0; i < 4; i++) {
        Sqe timeout = Sqe.op(IORING_OP_TIMEOUT).fd(-1).addr(ms1.address()).len(1);
        ring.push(timeout.userData(round * 4 + i));
      }
      assertEquals(4, ring.submit());
    }
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while ((ring.sqFlags() & RingFlags.IORING_SQ_CQ_OVERFLOW) == 0 && System.nanoTime() < giveUp) {
      Thread.sleep(1);
    }
    assertEquals(8, ring.cqReady());
    assertEquals(RingFlags.IORING_SQ_CQ_OVERFLOW, ring.sqFlags());
    ring.push(Sqe.nop(100));
    assertEquals(1, ring.submit());
    assertEquals(8, ring.cqReady(), "no GETEVENTS, no flush");
    List<Cqe> seen = new ArrayList<>(ring.reap());
    ring.push(Sqe.nop(101));
    assertEquals(1, ring.enter(1, 0, GETEVENTS));
    assertTrue(ring.cqReady() > 0, "GETEVENTS flushes the backlog");
    while (seen.size() < 18) {
      seen.addAll(ring.reap());
      if (seen.size() < 18) {
        ring.enter(0, 1, GETEVENTS); // a timer the machine ran late
      }
    }
    assertEquals(List.of(), ring.reap());
    List<Long> timeouts = new ArrayList<>();
    List<Long> nops = new ArrayList<>();
    for (Cqe cqe : seen) {
      if (cqe.userData() < 100) {
        assertEquals(-Errno.ETIME, cqe.res());
        timeouts.add(cqe.userData());
      } else {
        assertEquals(0, cqe.res());
        nops.add(cqe.userData());
      }
    }
    List<Long> inOrder = new ArrayList<>();
    for (long ud = 0; ud < 16; ud++) {
      inOrder.add(ud);
    }
    assertEquals(inOrder, timeouts);
    assertEquals(List.of(100L, 101L), nops);
    assertEquals(0, ring.cqOverflow());
  }

  // ---- cq-full.c ----

  /** Three batches of four NOPs on a 4-entry ring: peeking flushes the backlog, all 12 come. */
  @Test
  void aFullCqLosesNothingUnderNoDrop() {
    IoUringParams params = new IoUringParams();
    try (IoUring ring = IoUring.queueInit(process, 4, params)) {
      for (int round = 0; round < 3; round++) {
        submitNops(ring, 4, round * 4L);
      }
      int peeked = peekInOrder(ring);
      assertEquals(12, peeked);
      assertEquals(0, cqOverflow(ring, params));
      assertFalse(ring.cqHasOverflow());
    }
  }

  /**
   * The same under the drop policy (gVisor's, no {@code IORING_FEAT_NODROP}): the CQ keeps the
   * first 8 and the other 4 are counted in {@code cq_ring->overflow}, as liburing's cq-full.c
   * expects of a kernel without the feature.
   */
  @Test
  void aFullCqDropsAndCountsUnderTheDropPolicy() {
    IoUringParams params = new IoUringParams().dropOnOverflow(true);
    try (IoUring ring = IoUring.queueInit(process, 4, params)) {
      for (int round = 0; round < 3; round++) {
        submitNops(ring, 4, round * 4L);
      }
      int peeked = peekInOrder(ring);
      assertEquals(8, peeked);
      assertEquals(4, cqOverflow(ring, params));
    }
  }

  // ---- cq-size.c ----

  @Test
  void cqSizeRoundsUpToAPowerOfTwo() {
    IoUringParams params =
        setup(8, new IoUringParams().flags(SetupFlags.IORING_SETUP_CQSIZE).cqEntries(100));
    assertEquals(8, params.sqEntries());
    assertEquals(128, params.cqEntries());
  }

  @Test
  void cqSizeOf64OnA4EntryRingIs64() {
    IoUringParams params =
        setup(4, new IoUringParams().flags(SetupFlags.IORING_SETUP_CQSIZE).cqEntries(64));
    assertEquals(4, params.sqEntries());
    assertEquals(64, params.cqEntries());
  }

  @ParameterizedTest(name = "CQSIZE={0} is EINVAL")
  @ValueSource(ints = {4, 0, 65537})
  void cqSizeBelowSqOrZeroOrOverTheLimitIsEinval(int cqEntries) {
    IoUringParams params =
        new IoUringParams().flags(SetupFlags.IORING_SETUP_CQSIZE).cqEntries(cqEntries);
    assertErrno(Errno.EINVAL, () -> process.setup(8, params));
  }

  // ---- cq-ready.c ----

  @Test
  void cqReadyCountsWhatIsPostedAndNotAdvancedOver() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      assertEquals(0, ring.cqReady());
      submitNops(ring, 4, 0);
      assertEquals(4, ring.cqReady());
      ring.cqAdvance(4);
      assertEquals(0, ring.cqReady());
      submitNops(ring, 4, 4);
      assertEquals(4, ring.cqReady());
      ring.cqAdvance(1);
      assertEquals(3, ring.cqReady());
      ring.cqAdvance(2);
      assertEquals(1, ring.cqReady());
      ring.cqAdvance(1);
      assertEquals(0, ring.cqReady());
    }
  }

  // ---- cq-peek-batch.c ----

  @Test
  void peekBatchReturnsTheOldestCqesUpToTheArraySize() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      iouring.api.Cqe[] cqes = new iouring.api.Cqe[4];
      assertEquals(0, ring.peekBatchCqe(cqes));
      submitNops(ring, 4, 0);
      assertEquals(4, ring.peekBatchCqe(cqes));
      for (int i = 0; i < 4; i++) {
        assertEquals(i, cqes[i].userData());
      }
      submitNops(ring, 4, 4);
      ring.cqAdvance(4);
      assertEquals(4, ring.peekBatchCqe(cqes));
      for (int i = 0; i < 4; i++) {
        assertEquals(i + 4, cqes[i].userData());
      }
      ring.cqAdvance(4);
      assertEquals(0, ring.cqReady());
    }
  }
}
