package iouring.core.handle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringProcess;
import iouring.core.Kernel;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Checks that the handle allocates nothing in steady state, by the bytes the JVM counts as
 * allocated by this thread ({@code getCurrentThreadAllocatedBytes}). It is not a timing test: only
 * the byte count is asserted.
 *
 * <p>Measured: 0 bytes per round trip for both loops, handle and emulator together, on JDK 17.0.15
 * and JDK 25; and under 1 byte per round trip over 1,000 round trips after a warm-up of only 10,
 * before C2 and its escape analysis have compiled anything. The bound of 64 bytes leaves room for
 * an emulator that allocates a little; the handle itself must stay at 0. A wait that times out is
 * not measured: {@code IoUringProcess.enter} reports {@code ETIME} as an exception, which
 * allocates.
 */
class IoUringAllocationTest {
  private static final int WARM_UP = 200_000;
  private static final int MEASURED = 100_000;

  @Test
  void nopRoundTripsAllocateAlmostNothing() {
    com.sun.management.ThreadMXBean threads = allocationCounter();
    try (IoUringProcess process = new Kernel().newProcess();
        IoUring ring = IoUring.queueInit(process, 8, 0)) {
      roundTrips(ring, WARM_UP);
      long before = threads.getCurrentThreadAllocatedBytes();
      roundTrips(ring, MEASURED);
      long perOp = (threads.getCurrentThreadAllocatedBytes() - before) / MEASURED;
      assertTrue(perOp < 64, perOp + " bytes per round trip");
    }
  }

  /**
   * Enter remembers the rings it found for the last two fds; two rings entered in turn must not
   * allocate a new entry of that memory per enter (it would be some 24 bytes a round trip).
   */
  @Test
  void twoRingsEnteredInTurnAllocateNothing() {
    com.sun.management.ThreadMXBean threads = allocationCounter();
    try (IoUringProcess process = new Kernel().newProcess();
        IoUring a = IoUring.queueInit(process, 8, 0);
        IoUring b = IoUring.queueInit(process, 8, 0)) {
      for (int i = 0; i < WARM_UP / 2; i++) {
        roundTrips(a, 1);
        roundTrips(b, 1);
      }
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < MEASURED / 2; i++) {
        roundTrips(a, 1);
        roundTrips(b, 1);
      }
      long perOp = (threads.getCurrentThreadAllocatedBytes() - before) / MEASURED;
      assertTrue(perOp < 8, perOp + " bytes per round trip");
    }
  }

  @Test
  void timedWaitsAllocateAlmostNothing() {
    com.sun.management.ThreadMXBean threads = allocationCounter();
    try (IoUringProcess process = new Kernel().newProcess();
        IoUring ring = IoUring.queueInit(process, 1, 0)) {
      timedRoundTrips(ring, WARM_UP);
      long before = threads.getCurrentThreadAllocatedBytes();
      timedRoundTrips(ring, MEASURED);
      long perOp = (threads.getCurrentThreadAllocatedBytes() - before) / MEASURED;
      assertTrue(perOp < 64, perOp + " bytes per timed round trip");
    }
  }

  /** The JVM's per-thread allocation counter; the test is skipped where it has none. */
  private static com.sun.management.ThreadMXBean allocationCounter() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(
        threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    return threads;
  }

  private static void roundTrips(IoUring ring, int count) {
    for (int i = 0; i < count; i++) {
      ring.getSqe().prepNop().userData(i);
      ring.submit();
      Cqe cqe = ring.peekCqe();
      assertEquals(i, cqe.userData());
      ring.cqeSeen(cqe);
    }
  }

  /**
   * Makes every timed wait enter the kernel with {@code IORING_ENTER_EXT_ARG}: on a 1-entry ring
   * (CQ of 2), the third NOP goes to the overflow backlog, and only the wait brings it in.
   */
  private static void timedRoundTrips(IoUring ring, int count) {
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < 3; j++) {
        ring.getSqe().prepNop().userData(j);
        ring.submit();
      }
      ring.cqeSeen(ring.peekCqe());
      ring.cqAdvance(1);
      assertTrue(ring.cqReady() == 0 && ring.cqHasOverflow());
      Cqe cqe = ring.waitCqe(1, TimeUnit.SECONDS);
      assertEquals(2, cqe.userData());
      ring.cqeSeen(cqe);
    }
  }
}
