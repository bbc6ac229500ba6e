package iouring.core.ring;

import java.util.ArrayDeque;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * The overflow backlog ({@code IORING_FEAT_NODROP}), model checked: on a ring whose CQ holds two
 * CQEs, one thread submits NOPs while another reaps (flushing the backlog through {@code peekCqe}'s
 * enter when the CQ is empty and {@code IORING_SQ_CQ_OVERFLOW} is set) and reads the flag. The
 * specification is a CQ of two slots and a FIFO backlog behind it: a CQE goes to the backlog when
 * the CQ is full or the backlog is not empty, a reap of an empty CQ first moves what fits of the
 * backlog, and the flag is set exactly while the backlog holds a CQE. No CQE may be lost,
 * duplicated or overtaken by a newer one.
 */
public class CqBacklogLincheckTest extends NopSubmitReap {
  private static final int CQ_ENTRIES = 2;

  /** A ring of one SQ entry, so of a CQ of {@value #CQ_ENTRIES}. */
  public CqBacklogLincheckTest() {
    super(CQ_ENTRIES / 2);
  }

  /**
   * Reads {@code IORING_SQ_CQ_OVERFLOW}.
   *
   * @return whether the kernel says CQEs wait in its backlog
   */
  @Operation(nonParallelGroup = "reaper")
  public boolean overflow() {
    return ring.cqHasOverflow();
  }

  /** The sequential specification: a CQ of two slots and an unbounded backlog behind it. */
  public static final class CqAndBacklog {
    private final ArrayDeque<Long> cq = new ArrayDeque<>();
    private final ArrayDeque<Long> backlog = new ArrayDeque<>();
    private long lastUserData;

    /**
     * Posts the next user_data.
     *
     * @return the user_data
     */
    public long submit() {
      long userData = ++lastUserData;
      if (backlog.isEmpty() && cq.size() < CQ_ENTRIES) {
        cq.add(userData);
      } else {
        backlog.add(userData);
      }
      return userData;
    }

    /**
     * Takes the oldest user_data of the CQ, first moving what fits of the backlog if it is empty.
     *
     * @return it, or null
     */
    public Long reap() {
      if (cq.isEmpty()) {
        while (!backlog.isEmpty() && cq.size() < CQ_ENTRIES) {
          cq.add(backlog.poll());
        }
      }
      return cq.poll();
    }

    /**
     * Returns whether the backlog holds a CQE.
     *
     * @return the flag
     */
    public boolean overflow() {
      return !backlog.isEmpty();
    }
  }

  @Test
  void backlogFlushesInOrderWhileNewCqesArrive() {
    ModelCheckedRing.options()
        .iterations(0)
        .addCustomScenario(
            ModelCheckedRing.scenario(
                getClass(),
                new String[] {"submit", "submit", "submit"},
                new String[][] {{"submit", "submit"}, {"reap", "overflow", "reap", "reap"}},
                new String[] {"overflow", "reap", "reap", "overflow"}))
        .invocationsPerIteration(50 * ModelCheckedRing.SCALE)
        .sequentialSpecification(CqAndBacklog.class)
        .check(getClass());
  }
}
