package iouring.core.ring;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.abi.OpFlags;
import iouring.api.abi.Opcodes;
import iouring.api.abi.SetupFlags;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * SQ publication, model checked: the application fills SQEs through the {@link IoUring} handle and
 * publishes them with a release store of {@code sq.tail}, while the ring's real {@link SqPoller}
 * thread consumes them (an acquire load of the tail, then the SQ array slot and the SQE). Each SQE
 * is a NOP that injects its own result, so the CQE shows whether the kernel read the user_data and
 * the length the application wrote: in every interleaving it must, since the tail is stored only
 * after both.
 */
public class SqPublicationLincheckTest {
  /**
   * Publishes two NOPs with one tail store, then a third, on a new SQPOLL ring, and waits for the
   * three CQEs.
   *
   * @return each CQE's user_data and result, in order
   */
  @Operation
  public String publishAndReap() {
    try (ModelCheckedRing.EagerSleepProcess process = new ModelCheckedRing.EagerSleepProcess();
        IoUring ring =
            IoUring.queueInit(
                process, 2, new IoUringParams().flags(SetupFlags.IORING_SETUP_SQPOLL))) {
      prepare(ring, 1);
      prepare(ring, 2);
      ring.submit();
      StringBuilder seen = new StringBuilder();
      reap(ring, seen);
      prepare(ring, 3);
      ring.submit();
      reap(ring, seen);
      reap(ring, seen);
      return seen.toString();
    }
  }

  private static void prepare(IoUring ring, int i) {
    ring.getSqe()
        .prepRw(Opcodes.IORING_OP_NOP, -1, 0, 100 + i, 0)
        .rwFlags(OpFlags.IORING_NOP_INJECT_RESULT)
        .userData(i);
  }

  private static void reap(IoUring ring, StringBuilder seen) {
    Cqe cqe = ring.waitCqe();
    seen.append(cqe.userData()).append('=').append(cqe.res()).append(' ');
    ring.cqeSeen(cqe);
  }

  /** The sequential specification: each NOP completes with the result it injected. */
  public static final class Expected {
    /**
     * Returns what the three CQEs hold.
     *
     * @return "1=101 2=102 3=103 "
     */
    public String publishAndReap() {
      return "1=101 2=102 3=103 ";
    }
  }

  @Test
  void theKernelNeverSeesATailBeforeItsSqe() {
    ModelCheckedRing.options()
        .iterations(1)
        .threads(1)
        .actorsBefore(0)
        .actorsPerThread(1)
        .actorsAfter(0)
        .invocationsPerIteration(50 * ModelCheckedRing.SCALE)
        .sequentialSpecification(Expected.class)
        .check(getClass());
  }
}
