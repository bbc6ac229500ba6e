package iouring.core.ring;

import iouring.api.IoUring;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

/**
 * CQ publication, model checked against a FIFO queue of user_data: one thread submits NOPs through
 * the {@link IoUring} handle (its enter runs the kernel side: the CQE is written, then {@code
 * cq.tail} is stored with release), another reaps with {@code peekCqe} and {@code cqeSeen} (an
 * acquire load of {@code cq.tail}, the CQE read, then a release store of {@code cq.head}). Every
 * interleaving must reap each user_data once, in order, with its own result: a tail published
 * before its CQE is written shows a stale CQE; a kernel that reused a slot before the head passed
 * it would lose one.
 */
public class CqPublicationLincheckTest extends NopSubmitReap {
  /** A ring of four SQ entries. */
  public CqPublicationLincheckTest() {
    super(4);
  }

  /** The sequential specification: a FIFO queue of user_data. */
  public static final class Fifo {
    private final ArrayDeque<Long> queue = new ArrayDeque<>();
    private long lastUserData;

    /**
     * Queues the next user_data.
     *
     * @return the user_data
     */
    public long submit() {
      queue.add(++lastUserData);
      return lastUserData;
    }

    /**
     * Takes the oldest user_data.
     *
     * @return it, or null
     */
    public Long reap() {
      return queue.poll();
    }
  }

  @Test
  void everyCqeIsReapedOnceInOrderWithItsOwnContent() {
    ModelCheckedRing.options()
        .iterations(0)
        .addCustomScenario(
            ModelCheckedRing.scenario(
                getClass(),
                new String[] {"submit"},
                new String[][] {{"submit", "submit"}, {"reap", "reap", "reap"}},
                new String[] {"reap"}))
        .invocationsPerIteration(100 * ModelCheckedRing.SCALE)
        .sequentialSpecification(Fifo.class)
        .check(getClass());
  }
}
