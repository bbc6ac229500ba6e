package iouring.core.op;

import java.util.concurrent.Future;

/**
 * The timer of an armed {@code IORING_OP_LINK_TIMEOUT}: whichever comes first, the timer firing or
 * its target completing, wins; the other finds the race lost. As a Linux hrtimer whose callback has
 * started, a timer whose task has started firing can no longer be stopped or retimed.
 */
public final class LinkTimer {
  private static final int ARMED = 0;
  private static final int FIRING = 1;
  private static final int DUE = 2;
  private static final int FIRED = 3;
  private static final int DISARMED = 4;

  private int state = ARMED; // guarded by this
  private Future<?> future; // guarded by this

  /** Counts the schedulings: a task scheduled before a retime must not fire; guarded by this. */
  private int generation;

  /**
   * Starts a new scheduling, cancelling the task of the previous one (a retime); the caller
   * schedules a task that fires with the returned generation.
   *
   * @return the generation the new task must present to {@link #startFiring(int)}, or -1 when the
   *     timer is no longer armed (firing, fired or disarmed)
   */
  public synchronized int nextGeneration() {
    if (state != ARMED) {
      return -1;
    }
    if (future != null) {
      future.cancel(false);
    }
    return ++generation;
  }

  /**
   * Sets the scheduled task, to cancel it when disarmed.
   *
   * @param future the task
   */
  public synchronized void future(Future<?> future) {
    this.future = future;
  }

  /**
   * Returns whether the timer's task is scheduled and has not started: neither firing, fired nor
   * disarmed.
   *
   * @return true if armed
   */
  public synchronized boolean armed() {
    return state == ARMED;
  }

  /**
   * Returns whether the timer still runs: armed, or firing without having posted yet.
   *
   * @return true if armed or firing
   */
  public synchronized boolean pending() {
    return state == ARMED || state == FIRING;
  }

  /**
   * Returns whether the timer's task has started firing: it can no longer be stopped.
   *
   * @return true if firing
   */
  public synchronized boolean firing() {
    return state == FIRING;
  }

  /**
   * Claims the race for the timer task of one scheduling, as the task starts; a task left over from
   * before a retime loses.
   *
   * @param scheduling the generation the task was scheduled with
   * @return true if the timer fires: the task then posts the timeout's CQE
   */
  public synchronized boolean startFiring(int scheduling) {
    if (scheduling != generation || state != ARMED) {
      return false;
    }
    state = FIRING;
    return true;
  }

  /**
   * Claims the race for a timer without a task, whose time passed before its target completed: the
   * target's completion posts the timeout's CQE.
   */
  public synchronized void expire() {
    if (state == ARMED) {
      state = DUE;
    }
  }

  /**
   * Returns whether the timer's time passed before its target completed, without a task to post.
   *
   * @return true if due
   */
  public synchronized boolean due() {
    return state == DUE;
  }

  /** Marks the timer's CQE as posted. */
  public synchronized void fired() {
    state = FIRED;
  }

  /**
   * Claims the race for the target, which completed.
   *
   * @return true unless the timer fired (or is firing) first
   */
  public synchronized boolean disarm() {
    if (state == ARMED) {
      state = DISARMED;
      if (future != null) {
        future.cancel(false);
      }
    }
    return state == DISARMED;
  }
}
