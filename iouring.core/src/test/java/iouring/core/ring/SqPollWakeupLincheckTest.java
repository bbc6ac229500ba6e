package iouring.core.ring;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.abi.SetupFlags;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * The SQPOLL wake-up handshake, model checked: the application publishes SQEs one at a time and
 * waits for each CQE while the real {@link SqPoller} thread consumes them, going to sleep whenever
 * the queue is empty. The thread sets {@code IORING_SQ_NEED_WAKEUP} and looks at the tail once more
 * before it sleeps; the application stores the tail, fences, and enters with {@code
 * IORING_ENTER_SQ_WAKEUP} when it sees the flag. Lincheck explores the interleavings of the two; a
 * lost wake-up leaves the thread asleep with an SQE published and the application waiting for its
 * CQE forever, which the model checker reports as a deadlock.
 */
public class SqPollWakeupLincheckTest {
  private static final int ROUNDS = 3;

  /**
   * Publishes {@link #ROUNDS} NOPs, each after the CQE of the one before, on a new SQPOLL ring.
   *
   * @return the user_data of the CQEs, in order
   */
  @Operation
  public String publishAndWait() {
    try (ModelCheckedRing.EagerSleepProcess process = new ModelCheckedRing.EagerSleepProcess();
        IoUring ring =
            IoUring.queueInit(
                process, 2, new IoUringParams().flags(SetupFlags.IORING_SETUP_SQPOLL))) {
      StringBuilder seen = new StringBuilder();
      for (int i = 1; i <= ROUNDS; i++) {
        ring.getSqe().prepNop().userData(i);
        ring.submit();
        Cqe cqe = ring.waitCqe();
        seen.append(cqe.userData()).append(' ');
        ring.cqeSeen(cqe);
      }
      return seen.toString();
    }
  }

  /** The sequential specification: every NOP completes, in order. */
  public static final class Expected {
    /**
     * Returns the user_data of every round.
     *
     * @return "1 2 3 "
     */
    public String publishAndWait() {
      return "1 2 3 ";
    }
  }

  @Test
  void noWakeUpIsLost() {
    ModelCheckedRing.options()
        .iterations(1)
        .threads(1)
        .actorsBefore(0)
        .actorsPerThread(1)
        .actorsAfter(0)
        .invocationsPerIteration(100 * ModelCheckedRing.SCALE)
        .sequentialSpecification(Expected.class)
        .check(getClass());
  }
}
