package iouring.core.ring;

import iouring.api.abi.Errno;
import iouring.core.op.Request;
import iouring.core.op.RingContext.Completion;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A ring's requests on worker threads, as Linux's io-wq holds them: queued for a worker, or running
 * on one. Guarded by the ring lock.
 */
final class WorkQueue {
  /** Handed to workers and not started yet; cancelling one completes it at once. */
  private final List<Completion> queued = new ArrayList<>();

  /** Running on a worker; cancelling one is {@code -EALREADY}, and it completes on its own. */
  private final List<Completion> running = new ArrayList<>();

  /** Queues a request handed to a worker. */
  void queue(Completion c) {
    queued.add(c);
  }

  /**
   * Moves a request from queued to running as a worker picks it up.
   *
   * @return false if it was cancelled meanwhile (and completed then)
   */
  boolean start(Completion c) {
    if (!queued.remove(c)) {
      return false;
    }
    running.add(c);
    return true;
  }

  /**
   * Removes every queued request, for a ring being freed: the caller completes them.
   *
   * @return the requests that were queued
   */
  List<Completion> takeQueued() {
    List<Completion> all = List.copyOf(queued);
    queued.clear();
    return all;
  }

  /** Forgets a request no worker will run: the process is exiting. */
  void unqueue(Completion c) {
    queued.remove(c);
  }

  /** Forgets a request a worker finished. */
  void finished(Completion c) {
    running.remove(c);
  }

  /**
   * Cancels matching work, as Linux's {@code io_wq_cancel_cb}: queued matches (the first, or every
   * one with {@code all}) complete with {@code -ECANCELED}; running ones cannot be stopped. The
   * answer speaks for the whole search, not for each request, as Linux's does: with {@code all}, a
   * running match makes it {@code -EALREADY} even when queued ones were cancelled too.
   *
   * @param match which requests
   * @param all every match, not just the first
   * @param cancelled completes a request cancelled with {@code -ECANCELED}, now or later
   * @return 0 when queued work was cancelled (and, with {@code all}, none was running), {@code
   *     -EALREADY} when a match is running, {@code -ENOENT} when nothing matched
   */
  int cancel(Predicate<Request> match, boolean all, Consumer<Completion> cancelled) {
    int pending = 0;
    for (Completion c : List.copyOf(queued)) {
      if (match.test(c.request())) {
        queued.remove(c);
        cancelled.accept(c);
        pending++;
        if (!all) {
          return 0;
        }
      }
    }
    boolean runs = false;
    for (Completion c : running) {
      if (match.test(c.request())) {
        runs = true;
        if (!all) {
          break;
        }
      }
    }
    if (runs) {
      return -Errno.EALREADY;
    }
    return pending > 0 ? 0 : -Errno.ENOENT;
  }
}
