package iouring.core.op;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The timer of an armed {@code IORING_OP_LINK_TIMEOUT}: whichever comes first, the timer firing or
 * its target completing, wins; the other finds the race lost.
 */
public final class LinkTimer {
  private static final int ARMED = 0;
  private static final int FIRED = 1;
  private static final int DISARMED = 2;

  private final AtomicInteger state = new AtomicInteger(ARMED);
  private volatile Future<?> future;

  /**
   * Sets the scheduled task, to cancel it when disarmed.
   *
   * @param future the task
   */
  public void future(Future<?> future) {
    this.future = future;
  }

  /**
   * Claims the race for the timer.
   *
   * @return true if the timer fired first
   */
  public boolean fire() {
    return state.compareAndSet(ARMED, FIRED);
  }

  /**
   * Claims the race for the target, which completed.
   *
   * @return true unless the timer fired first
   */
  public boolean disarm() {
    if (state.compareAndSet(ARMED, DISARMED)) {
      Future<?> f = future;
      if (f != null) {
        f.cancel(false);
      }
      return true;
    }
    return state.get() == DISARMED;
  }
}
