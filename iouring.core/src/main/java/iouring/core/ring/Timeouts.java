package iouring.core.ring;

import static iouring.api.abi.OpFlags.IORING_TIMEOUT_MULTISHOT;

import iouring.api.abi.CqeFlags;
import iouring.api.abi.Errno;
import iouring.core.op.Request;
import iouring.core.op.RingContext.Completion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A ring's armed {@code IORING_OP_TIMEOUT}s, as Linux's {@code timeout.c}: each fires with {@code
 * -ETIME} from a timer thread, or completes with 0 once its count of other completions was posted,
 * or is removed ({@code -ECANCELED}) or updated by {@code TIMEOUT_REMOVE}. Every change happens
 * under the ring lock; the timer thread takes it too.
 *
 * <p>A timeout whose timer task has started is firing, as a Linux timeout whose hrtimer callback
 * runs: removing, updating or cancelling it is {@code -EALREADY}, and it completes with {@code
 * -ETIME} once the task has the lock.
 *
 * <p>One daemon thread serves the timers of every ring of the JVM, as the kernel's hrtimers do; a
 * timer of a closed ring is cancelled, so none outlives its ring.
 */
public final class Timeouts {
  /** The JVM-wide timer thread; also delivers MSG_RING messages to a ring whose lock is busy. */
  static final ScheduledThreadPoolExecutor TIMER = timer();

  private final Ring ring;

  /** The armed timeouts, oldest first; guarded by the ring lock. */
  private final List<Armed> armed = new ArrayList<>();

  Timeouts(Ring ring) {
    this.ring = ring;
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "iouring-timer");
              thread.setDaemon(true);
              return thread;
            });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  /** One armed timeout. */
  private final class Armed implements Runnable {
    final Completion completion;
    final long userData;
    final long delayNanos;
    final boolean multishot;
    long target; // the regular-CQE count that completes it, or -1 for a pure timer
    long shotsLeft; // multishot: expiries still to post, 0 for no limit
    ScheduledFuture<?> future;

    /** Its timer task has started and waits for the lock or holds it: it can no longer stop. */
    volatile boolean firing;

    Armed(Completion completion, long delayNanos, long target, long shots, boolean multishot) {
      this.completion = completion;
      this.userData = completion.request().userData;
      this.delayNanos = delayNanos;
      this.target = target;
      this.shotsLeft = shots;
      this.multishot = multishot;
    }

    @Override
    public void run() {
      firing = true; // before the lock: whoever holds it now finds the timer past stopping
      ring.lock.lock();
      try {
        if (!armed.contains(this)) {
          return; // removed, updated or completed by its count meanwhile
        }
        if (multishot && shotsLeft != 1) {
          if (shotsLeft > 1) {
            shotsLeft--;
          }
          completion.complete(-Errno.ETIME, CqeFlags.IORING_CQE_F_MORE, false);
          firing = false;
          future = TIMER.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
          return;
        }
        armed.remove(this);
        completion.complete(-Errno.ETIME, 0, true);
      } finally {
        ring.lock.unlock();
      }
      ring.notifyListenerIfDue();
    }
  }

  /**
   * Arms a timeout; the caller holds the ring lock.
   *
   * @param completion the deferred TIMEOUT request
   * @param delayNanos the time until it fires, 0 or less to fire at once
   * @param count with a count, the number of other CQEs that complete it (0 for a pure timer); for
   *     a multishot timeout, the number of expiries (0 for no limit)
   * @param flags its {@code IORING_TIMEOUT_*} flags
   */
  public void arm(Completion completion, long delayNanos, long count, int flags) {
    boolean multishot = (flags & IORING_TIMEOUT_MULTISHOT) != 0;
    long target = !multishot && count > 0 ? ring.regularAtBatchStart() + count : -1;
    Armed a = new Armed(completion, delayNanos, target, multishot ? count : 0, multishot);
    armed.add(a);
    a.future = TIMER.schedule(a, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    if (target >= 0 && ring.regularPosted() >= target) {
      complete(a, 0); // the count was reached by CQEs of this batch before the timeout
    }
  }

  /**
   * Removes the oldest armed timeout with a user_data, which completes with {@code -ECANCELED}; the
   * caller holds the ring lock.
   *
   * @param userData the timeout's user_data
   * @return 0, {@code -EALREADY} when that timeout is firing, or {@code -ENOENT} when no armed
   *     timeout has the user_data
   */
  public int remove(long userData) {
    return cancel(r -> r.userData == userData, c -> c.complete(-Errno.ECANCELED, 0, true));
  }

  /**
   * Re-arms the oldest armed timeout with a user_data as a pure timer with a new time, as {@code
   * IORING_TIMEOUT_UPDATE} does; the caller holds the ring lock.
   *
   * @param userData the timeout's user_data
   * @param delayNanos the new time until it fires
   * @return 0, {@code -EALREADY} when that timeout is firing, or {@code -ENOENT} when no armed
   *     timeout has the user_data
   */
  public int update(long userData, long delayNanos) {
    Armed a = find(userData);
    if (a == null) {
      return -Errno.ENOENT;
    }
    if (a.firing) {
      return -Errno.EALREADY;
    }
    a.future.cancel(false);
    armed.remove(a);
    Armed b = new Armed(a.completion, delayNanos, -1, a.shotsLeft, a.multishot);
    armed.add(b);
    b.future = TIMER.schedule(b, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    return 0;
  }

  /**
   * Cancels the oldest armed timeout whose request matches, which completes with {@code
   * -ECANCELED}, as Linux's {@code io_timeout_cancel}: one per call, so that a cancel of every
   * match calls again; the caller holds the ring lock.
   *
   * @param match which requests; called on the armed timeouts in order until one matches
   * @param cancelled completes the timeout cancelled with {@code -ECANCELED}, now or later
   * @return 0, {@code -EALREADY} when the timeout found is firing, or {@code -ENOENT}
   */
  int cancel(Predicate<Request> match, Consumer<Completion> cancelled) {
    for (Armed a : armed) {
      if (match.test(a.completion.request())) {
        if (a.firing) {
          return -Errno.EALREADY;
        }
        a.future.cancel(false);
        armed.remove(a);
        cancelled.accept(a.completion);
        return 0;
      }
    }
    return -Errno.ENOENT;
  }

  /** Completes the timeouts whose count a regular CQE just reached; the caller holds the lock. */
  void regularPosted(long regular) {
    for (int i = 0; i < armed.size(); i++) {
      Armed a = armed.get(i);
      if (a.target >= 0 && regular >= a.target) {
        complete(a, 0);
        i--;
      }
    }
  }

  /** Cancels every timer, for a ring that is freed; the caller holds the lock. */
  void cancelAll() {
    for (Armed a : armed) {
      a.future.cancel(false);
    }
    armed.clear();
  }

  /**
   * Returns the tasks the JVM-wide timer thread has scheduled and not yet run, for every ring
   * (cancelled ones are removed at once).
   *
   * @return the count
   */
  static int scheduledTasks() {
    return TIMER.getQueue().size();
  }

  /**
   * Returns the number of armed timeouts.
   *
   * @return the count; the caller holds the lock
   */
  int size() {
    return armed.size();
  }

  private void complete(Armed a, int res) {
    a.future.cancel(false);
    armed.remove(a);
    a.completion.complete(res, 0, true);
  }

  private Armed find(long userData) {
    for (Armed a : armed) {
      if (a.userData == userData) {
        return a;
      }
    }
    return null;
  }
}
