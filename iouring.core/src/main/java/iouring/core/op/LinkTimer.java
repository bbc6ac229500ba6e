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

  /** Counts the schedulings: a task scheduled before a retime must not fire. */
  private volatile int generation;

  /**
   * Starts a new scheduling, cancelling the task of the previous one (a retime); the caller
   * schedules a task that fires with the returned generation.
   *
   * @return the generation the new task must present to {@link #fire(int)}
   */
  public int nextGeneration() {
    Future<?> f = future;
    if (f != null) {
      f.cancel(false);
    }
    return ++generation;
  }

  /**
   * Returns whether the timer is armed: neither fired nor disarmed.
   *
   * @return true if armed
   */
  public boolean armed() {
    return state.get() == ARMED;
  }

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
   * Claims the race for the timer task of one scheduling; a task left over from before a retime
   * loses.
   *
   * @param scheduling the generation the task was scheduled with
   * @return true if the timer fired first
   */
  public boolean fire(int scheduling) {
    return scheduling == generation && fire();
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
