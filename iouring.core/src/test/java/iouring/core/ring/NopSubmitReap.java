package iouring.core.ring;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.core.EmulatedProcess;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * The two operations the CQ model checks share: one thread submits NOPs with rising user_data
 * through the {@link IoUring} handle, another reaps them with {@code peekCqe} and {@code cqeSeen}.
 */
public abstract class NopSubmitReap {
  final EmulatedProcess process = ModelCheckedRing.newProcess();
  final IoUring ring;
  private long lastUserData;

  /**
   * Creates the ring the operations work on.
   *
   * @param entries its SQ entries; the CQ has twice as many
   */
  NopSubmitReap(int entries) {
    ring = IoUring.queueInit(process, entries, 0);
  }

  /**
   * Submits a NOP whose user_data is one more than the last one's.
   *
   * @return the user_data
   */
  @Operation(nonParallelGroup = "submitter")
  public long submit() {
    long userData = ++lastUserData;
    ring.getSqe().prepNop().userData(userData);
    ring.submit();
    return userData;
  }

  /**
   * Reaps the oldest CQE; {@code peekCqe} flushes the backlog first if the CQ is empty and the
   * kernel holds CQEs back.
   *
   * @return its user_data, negated if its result is not the NOP's 0; null if none is ready
   */
  @Operation(nonParallelGroup = "reaper")
  public Long reap() {
    Cqe cqe = ring.peekCqe();
    if (cqe == null) {
      return null;
    }
    long userData = cqe.userData();
    int res = cqe.res();
    ring.cqeSeen(cqe);
    return res == 0 ? userData : -userData;
  }
}
