package iouring.core.conformance;

import static iouring.api.abi.OpFlags.*;
import static iouring.api.abi.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.abi.CqeFlags;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.SqeFlags;
import iouring.core.Kernel;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Timeouts, as liburing's timeout.c checks them and as Linux 6.18 answered the probes (T8, T9, T10,
 * T13, T26). Times are asserted from below only: a slow machine may be late, never early. Reads of
 * {@code /gated} wait at a gate the test opens: an inline one holds the ring lock meanwhile. A
 * timeout as what a drain waits for is {@link DrainTest}'s.
 */
class TimeoutTest extends RingScript {
  private final GatedReads gated = new GatedReads("/gated");

  @BeforeEach
  void start() {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, gated.provider());
    process = kernel.newProcess();
    ring = IoUring.queueInit(process, 16, new IoUringParams());
  }

  @AfterEach
  void stop() {
    gated.open();
    ring.close();
    process.close();
  }

  @Test
  void aPureTimerFiresWithEtime() {
    long start = System.nanoTime();
    timeout(1, ms(20), 0, 0, 0);
    assertEquals(1, ring.submit());
    assertEquals(List.of(new C(1, -Errno.ETIME, 0)), waitFor(1));
    assertTrue(System.nanoTime() - start >= 20_000_000L);
  }

  @Test
  void aCountTimeoutCompletesAfterThatManyOtherCompletions() {
    timeout(1, timespec(10, 0), 1, 0, 0);
    nop(2, 0);
    assertEquals(2, ring.submit());
    assertEquals(List.of(new C(2, 0, 0), new C(1, 0, 0)), reap());

    timeout(1, timespec(10, 0), 2, 0, 0);
    nop(2, 0);
    ring.submit();
    assertEquals(List.of(new C(2, 0, 0)), reap(), "one of two: still armed");
    nop(3, 0);
    ring.submit();
    assertEquals(List.of(new C(3, 0, 0), new C(1, 0, 0)), reap());
  }

  @Test
  void earlierRequestsOfTheSameBatchCountButSkippedOnesDoNot() {
    nop(20, 0);
    timeout(21, timespec(10, 0), 1, 0, 0);
    ring.submit();
    assertEquals(List.of(new C(20, 0, 0), new C(21, 0, 0)), reap());

    timeout(10, timespec(10, 0), 1, 0, 0);
    ring.submit();
    nop(11, SqeFlags.IOSQE_CQE_SKIP_SUCCESS);
    ring.submit();
    assertEquals(List.of(), reap(), "a skipped CQE does not count");
    timeout(12, ms(20), 0, 0, 0);
    ring.submit();
    assertEquals(List.of(new C(12, -Errno.ETIME, 0)), waitFor(1), "nor a timeout's");
    assertEquals(List.of(), reap());
    nop(13, 0);
    ring.submit();
    assertEquals(List.of(new C(13, 0, 0), new C(10, 0, 0)), reap());
  }

  @Test
  void prepChecksAreLinuxs() {
    long ts = ms(20);
    ring.getSqe().prepRw(IORING_OP_TIMEOUT, -1, ts, 2, 0).userData(1);
    ring.getSqe().prepRw(IORING_OP_TIMEOUT, -1, ts, 1, 0).rwFlags(1 << 10).userData(2);
    ring.getSqe()
        .prepRw(IORING_OP_TIMEOUT, -1, ts, 1, 0)
        .rwFlags(IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME)
        .userData(3);
    ring.getSqe().prepRw(IORING_OP_TIMEOUT, -1, timespec(-1, 0), 1, 0).userData(4);
    ring.getSqe().prepRw(IORING_OP_TIMEOUT, -1, 0x10, 1, 0).userData(5);
    ring.getSqe().prepRw(IORING_OP_TIMEOUT, -1, ts, 1, 0).bufIndex(1).userData(6);
    ring.getSqe()
        .prepRw(IORING_OP_TIMEOUT, -1, ts, 1, 0)
        .rwFlags(IORING_TIMEOUT_MULTISHOT | IORING_TIMEOUT_ABS)
        .userData(7);
    for (int i = 1; i <= 7; i++) {
      assertEquals(1, ring.submit(), "each prep failure ends its batch");
    }
    assertEquals(
        List.of(
            new C(1, -Errno.EINVAL, 0),
            new C(2, -Errno.EINVAL, 0),
            new C(3, -Errno.EINVAL, 0),
            new C(4, -Errno.EINVAL, 0),
            new C(5, -Errno.EFAULT, 0),
            new C(6, -Errno.EINVAL, 0),
            new C(7, -Errno.EINVAL, 0)),
        reap());
  }

  @Test
  void etimeBreaksALinkUnlessEtimeSuccess() {
    timeout(1, ms(20), 0, 0, SqeFlags.IOSQE_IO_LINK);
    nop(2, 0);
    assertEquals(2, ring.submit());
    assertEquals(List.of(new C(1, -Errno.ETIME, 0), new C(2, -Errno.ECANCELED, 0)), waitFor(2));

    timeout(1, ms(20), 0, IORING_TIMEOUT_ETIME_SUCCESS, SqeFlags.IOSQE_IO_LINK);
    nop(2, 0);
    ring.submit();
    assertEquals(List.of(new C(1, -Errno.ETIME, 0), new C(2, 0, 0)), waitFor(2));
  }

  @Test
  void absoluteTimeoutOnTheMonotonicClock() {
    long deadline = System.nanoTime() + 30_000_000L;
    long start = System.nanoTime();
    timeout(
        1,
        timespec(deadline / 1_000_000_000L, deadline % 1_000_000_000L),
        0,
        IORING_TIMEOUT_ABS,
        0);
    ring.submit();
    assertEquals(List.of(new C(1, -Errno.ETIME, 0)), waitFor(1));
    assertTrue(System.nanoTime() - start >= 29_000_000L);
  }

  @Test
  void multishotPostsEveryExpiryWithMoreButTheLast() {
    timeout(1, ms(20), 3, IORING_TIMEOUT_MULTISHOT, 0);
    ring.submit();
    assertEquals(
        List.of(
            new C(1, -Errno.ETIME, CqeFlags.IORING_CQE_F_MORE),
            new C(1, -Errno.ETIME, CqeFlags.IORING_CQE_F_MORE),
            new C(1, -Errno.ETIME, 0)),
        waitFor(3));
  }

  @Test
  void removeAndUpdate() {
    ring.getSqe().prepRw(IORING_OP_TIMEOUT_REMOVE, -1, 999, 0, 0).userData(1);
    ring.submit();
    assertEquals(List.of(new C(1, -Errno.ENOENT, 0)), reap());

    timeout(77, timespec(10, 0), 0, 0, 0);
    ring.getSqe().prepRw(IORING_OP_TIMEOUT_REMOVE, -1, 77, 0, 0).userData(2);
    ring.submit();
    assertEquals(List.of(new C(77, -Errno.ECANCELED, 0), new C(2, 0, 0)), reap());

    ring.getSqe().prepRw(IORING_OP_TIMEOUT_REMOVE, -1, 77, 1, 0).userData(3);
    ring.getSqe()
        .prepRw(IORING_OP_TIMEOUT_REMOVE, -1, 77, 0, 0)
        .rwFlags(IORING_TIMEOUT_ABS)
        .userData(4);
    assertEquals(1, ring.submit());
    assertEquals(1, ring.submit());
    assertEquals(List.of(new C(3, -Errno.EINVAL, 0), new C(4, -Errno.EINVAL, 0)), reap());

    long start = System.nanoTime();
    timeout(78, timespec(10, 0), 0, 0, 0);
    ring.getSqe()
        .prepRw(IORING_OP_TIMEOUT_REMOVE, -1, 78, 0, ms(20))
        .rwFlags(IORING_TIMEOUT_UPDATE)
        .userData(5);
    ring.submit();
    assertEquals(List.of(new C(5, 0, 0), new C(78, -Errno.ETIME, 0)), waitFor(2));
    assertTrue(System.nanoTime() - start >= 20_000_000L);
  }

  @Test
  void aTimeoutEndsAWaitShortOfMinComplete() {
    long start = System.nanoTime();
    timeout(1, ms(30), 0, 0, 0);
    assertEquals(1, ring.submitAndWait(4), "returns with 1 CQE, short of 4");
    assertTrue(System.nanoTime() - start >= 30_000_000L);
    assertEquals(1, ring.cqReady());
  }

  @Test
  void closingTheRingCancelsItsTimers() {
    timeout(1, timespec(3600, 0), 0, 0, 0);
    ring.submit();
    ring.close();
    ring = IoUring.queueInit(process, 4, new IoUringParams());
    assertNull(ring.peekCqe());
  }

  @Test
  void aFiringTimeoutCanNoLongerBeRemovedUpdatedOrCancelled() throws InterruptedException {
    int fd =
        process.openat(FileFlags.AT_FDCWD, "/gated", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
    long buf = process.memory().map(ByteBuffer.allocateDirect(16));
    // One batch: a 20 ms timeout, then a read that holds the ring lock at the gate. The timer fires
    // and waits for the lock, as a Linux hrtimer callback that runs while the timeout is looked
    // up; what the batch then does to the timeout finds it firing (Linux: io_timeout_extract).
    timeout(1, ms(20), 0, 0, 0);
    ring.getSqe().prepRead(fd, buf, 16, 0).userData(5);
    ring.getSqe().prepRw(IORING_OP_TIMEOUT_REMOVE, -1, 1, 0, 0).userData(6);
    ring.getSqe()
        .prepRw(IORING_OP_TIMEOUT_REMOVE, -1, 1, 0, ms(5))
        .rwFlags(IORING_TIMEOUT_UPDATE)
        .userData(7);
    ring.getSqe().prepRw(IORING_OP_ASYNC_CANCEL, -1, 1, 0, 0).userData(8);
    ring.getSqe()
        .prepRw(IORING_OP_ASYNC_CANCEL, -1, 1, 0, 0)
        .rwFlags(IORING_ASYNC_CANCEL_ALL)
        .userData(9);
    Thread submitter = new Thread(ring::submit, "submitter");
    submitter.start();
    gated.awaitEntered(1);
    GatedReads.awaitTimerBlockedOnALock();
    gated.open();
    submitter.join();
    assertEquals(
        List.of(
            new C(5, 0, 0),
            new C(6, -Errno.EALREADY, 0),
            new C(7, -Errno.EALREADY, 0),
            new C(8, -Errno.EALREADY, 0),
            new C(9, 1, 0), // Linux counts it: io_try_cancel found it
            new C(1, -Errno.ETIME, 0)),
        waitFor(6));
    process.close(fd);
  }

  @Test
  void aChainOrDrainThatNeverCompletesHoldsAWaitOnlyUntilItsTimeout() {
    timeout(1, timespec(3600, 0), 0, 0, SqeFlags.IOSQE_IO_LINK);
    nop(2, 0);
    nop(3, SqeFlags.IOSQE_IO_DRAIN);
    assertEquals(3, ring.submit());
    long start = System.nanoTime();
    assertNull(ring.waitCqe(50, TimeUnit.MILLISECONDS), "nothing can complete for an hour");
    long waited = System.nanoTime() - start;
    assertTrue(waited >= 50_000_000L && waited < 5_000_000_000L, waited + " ns");
  }
}
