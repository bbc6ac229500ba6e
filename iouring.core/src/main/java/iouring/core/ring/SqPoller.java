package iouring.core.ring;

import iouring.api.abi.RingFlags;
import java.util.concurrent.locks.LockSupport;

/**
 * The submission-polling thread of an {@code IORING_SETUP_SQPOLL} ring, Linux's {@code sqpoll.c}:
 * it consumes SQEs as the application publishes them, so the application submits without a system
 * call. After {@code sq_thread_idle} without work it sets {@code IORING_SQ_NEED_WAKEUP} and sleeps
 * until an {@code enter} with {@code IORING_ENTER_SQ_WAKEUP}.
 *
 * <p>The wake-up handshake is Linux's: the thread sets the flag (an atomic update, a full fence)
 * and then looks at the SQ tail once more before it sleeps; the application stores the tail, then
 * fences and reads the flag. One of the two always sees the other, so no SQE is left waiting.
 */
final class SqPoller implements Runnable {
  private final Ring ring;
  private final long idleNanos;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile boolean wakeRequested;

  SqPoller(Ring ring, long idleNanos) {
    this.ring = ring;
    this.idleNanos = idleNanos;
    this.thread = new Thread(this, "iouring-sqpoll");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Stops the thread; it ends after its current batch. */
  void stop() {
    stopped = true;
    LockSupport.unpark(thread);
  }

  /** Wakes a sleeping thread, as {@code IORING_ENTER_SQ_WAKEUP}. */
  void wake() {
    wakeRequested = true;
    LockSupport.unpark(thread);
  }

  /**
   * Returns whether the thread is running.
   *
   * @return false once it ended
   */
  boolean alive() {
    return thread.isAlive();
  }

  @Override
  public void run() {
    long lastWork = System.nanoTime();
    int spins = 0;
    while (!stopped) {
      if (ring.pollSubmit() > 0) {
        lastWork = System.nanoTime();
        spins = 0;
        continue;
      }
      if (System.nanoTime() - lastWork < idleNanos) {
        // Busy polling, as the kernel thread does, but yielding now and then: two cores are a
        // common machine size and the application needs one.
        if (++spins % 64 == 0) {
          Thread.yield();
        } else {
          Thread.onSpinWait();
        }
        continue;
      }
      ring.ringMemory().orSqFlagsShared(RingFlags.IORING_SQ_NEED_WAKEUP);
      if (ring.sqPending()) {
        ring.ringMemory().clearSqFlagsShared(RingFlags.IORING_SQ_NEED_WAKEUP);
        continue; // an SQE arrived while the flag went up
      }
      while (!wakeRequested && !stopped) {
        LockSupport.park(this);
      }
      wakeRequested = false;
      ring.ringMemory().clearSqFlagsShared(RingFlags.IORING_SQ_NEED_WAKEUP);
      lastWork = System.nanoTime();
    }
    // As Linux's sq thread on its way out: the flag sends the application into enter, which
    // reports EOWNERDEAD, and ends an IORING_ENTER_SQ_WAIT that waits for space nobody will make.
    ring.ringMemory().orSqFlagsShared(RingFlags.IORING_SQ_NEED_WAKEUP);
  }
}
