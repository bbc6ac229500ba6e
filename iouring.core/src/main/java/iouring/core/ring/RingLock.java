package iouring.core.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A ring's lock, Linux's {@code uring_lock}: mutual exclusion, reentrant, with waiting for CQEs
 * built on it ({@link #await}). Every enter takes it once, so its uncontended cost is what counts:
 * one compare-and-set to take it and a plain release store to give it back, where a {@code
 * ReentrantLock} releases with a volatile store, a second full fence (about 5% of a NOP round trip
 * on a 2-vCPU VM).
 *
 * <p>The price of the plain release: the releasing thread looks for waiters right after its store,
 * which may still sit in its core's store buffer, so a thread that registers as a waiter at that
 * moment may find the lock still taken while the releaser finds no waiter. Each waiter therefore
 * spins on the lock for a while after it registers (a store buffer drains in far less), and parks
 * only for a bounded time ({@link #MAX_PARK_NANOS}): a wakeup lost to that race costs at most that
 * long, never a hang. Threads waiting on a contended lock are woken one at a time, oldest first,
 * and compete with arriving threads, as a nonfair {@code ReentrantLock}'s.
 */
final class RingLock {
  /** {@link #owner} of a free lock: thread IDs are positive. */
  private static final long NO_OWNER = -1;

  /** Spins of a registered waiter before it parks. */
  private static final int SPINS = 64;

  /** The first park of a waiter; each next one doubles, up to {@link #MAX_PARK_NANOS}. */
  private static final long MIN_PARK_NANOS = 20_000;

  /** The longest park of a waiter, and so the longest a lost wakeup can delay it. */
  private static final long MAX_PARK_NANOS = 1_000_000;

  private static final VarHandle STATE;
  private static final VarHandle WAITING;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(RingLock.class, "state", int.class);
      WAITING = lookup.findVarHandle(RingLock.class, "waiting", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** 1 while held, else 0; taken by compare-and-set, given back by a release store. */
  @SuppressWarnings("unused") // through STATE
  private volatile int state;

  /** Threads between registering as waiters and taking the lock (or giving up). */
  @SuppressWarnings("unused") // through WAITING
  private volatile int waiting;

  /**
   * The holder's thread ID ({@link #NO_OWNER} when free); written only by it, so a thread reads its
   * own value or another's. An ID, not the {@code Thread}: a reference store pays the garbage
   * collector's write barrier, under G1 a StoreLoad fence whenever the card is not young, which
   * cost 9% of a NOP round trip on JDK 17 and 5% on JDK 25. IDs are unique among live threads (a
   * {@code Thread} subclass overriding {@code getId} to lie would defeat the ownership checks).
   */
  private long owner = NO_OWNER;

  /** Holds beyond the first, by the owner. */
  private int holds;

  /** The waiters, oldest first, for the release to wake one. */
  private final ConcurrentLinkedQueue<Thread> parked = new ConcurrentLinkedQueue<>();

  /** Takes the lock, waiting as long as it takes. */
  void lock() {
    if (STATE.compareAndSet(this, 0, 1)) {
      owner = self();
      return;
    }
    acquire(false, 0L);
  }

  /**
   * Takes the lock unless the thread is interrupted first or meanwhile.
   *
   * @throws InterruptedException if it is, with the interrupt status cleared
   */
  void lockInterruptibly() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (STATE.compareAndSet(this, 0, 1)) {
      owner = self();
      return;
    }
    acquireInterruptibly(0L); // with no deadline only an interrupt ends it, as an exception
  }

  /**
   * Takes the lock if it is free or already held by this thread.
   *
   * @return whether it did
   */
  boolean tryLock() {
    Thread me = Thread.currentThread();
    if (STATE.compareAndSet(this, 0, 1)) {
      owner = me.getId();
      return true;
    }
    if (owner == me.getId()) {
      holds++;
      return true;
    }
    return false;
  }

  /**
   * Takes the lock, waiting at most the given time.
   *
   * @param time the longest wait
   * @param unit its unit
   * @return whether it did
   * @throws InterruptedException if the thread is interrupted first or meanwhile
   */
  boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (tryLock()) {
      return true;
    }
    long deadline = System.nanoTime() + unit.toNanos(time);
    return acquireInterruptibly(deadline == 0L ? 1L : deadline);
  }

  private boolean acquireInterruptibly(long deadline) throws InterruptedException {
    if (!acquire(true, deadline)) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      return false;
    }
    return true;
  }

  /**
   * The contended path: reentry, or registration as a waiter, spins, bounded parks.
   *
   * @param interruptible whether an interrupt ends the wait (false is returned, the status kept)
   * @param deadline a {@link System#nanoTime()} deadline, or 0 for none
   * @return whether the lock was taken
   */
  private boolean acquire(boolean interruptible, long deadline) {
    Thread me = Thread.currentThread();
    if (owner == me.getId()) {
      holds++;
      return true;
    }
    WAITING.getAndAdd(this, 1); // a full fence: a release after this sees it, or we see that one
    parked.add(me);
    try {
      long park = MIN_PARK_NANOS;
      for (int spins = 0; ; spins++) {
        if ((int) STATE.getVolatile(this) == 0 && STATE.compareAndSet(this, 0, 1)) {
          owner = me.getId();
          return true;
        }
        if (interruptible && Thread.currentThread().isInterrupted()) {
          return false;
        }
        long wait = park;
        if (deadline != 0L) {
          long left = deadline - System.nanoTime();
          if (left <= 0L) {
            return false;
          }
          wait = Math.min(wait, left);
        }
        if (spins < SPINS) {
          Thread.onSpinWait();
          continue;
        }
        LockSupport.parkNanos(this, wait);
        park = Math.min(park * 2, MAX_PARK_NANOS);
      }
    } finally {
      parked.remove(me);
      WAITING.getAndAdd(this, -1);
    }
  }

  /**
   * Gives the lock back; the last release of the owner frees it and wakes the oldest waiter.
   *
   * @throws IllegalMonitorStateException if this thread does not hold it
   */
  void unlock() {
    if (owner != self()) {
      throw new IllegalMonitorStateException();
    }
    if (holds > 0) {
      holds--;
      return;
    }
    owner = NO_OWNER;
    STATE.setRelease(this, 0);
    if ((int) WAITING.getOpaque(this) != 0) {
      Thread next = parked.peek();
      if (next != null) {
        LockSupport.unpark(next);
      }
    }
  }

  private static long self() {
    return Thread.currentThread().getId();
  }

  /**
   * Returns whether this thread holds the lock.
   *
   * @return true if it does
   */
  boolean isHeldByCurrentThread() {
    return owner == self();
  }

  /**
   * A thread waiting in {@link #await}; {@link #wake} marks it, so that a spurious return from
   * {@code park} (allowed, and explored by model checkers) parks again without taking the lock.
   */
  static final class Waiter {
    final Thread thread = Thread.currentThread();
    volatile boolean woken;
  }

  /**
   * Releases the lock (which the caller holds once), parks until {@link #wake}, an interrupt or the
   * deadline, and takes the lock again before returning, as {@code Condition.await}: the caller
   * re-checks what it waits for. The caller registers its waiter where its waker will find it,
   * under the lock and with {@code woken} false, before calling this, so no wakeup is lost.
   *
   * @param waiter the calling thread's waiter
   * @param deadline a {@link System#nanoTime()} deadline, or {@link Long#MAX_VALUE} for none
   */
  void await(Waiter waiter, long deadline) {
    if (holds != 0) {
      throw new IllegalMonitorStateException("await with the lock held more than once");
    }
    unlock();
    try {
      while (!waiter.woken && !Thread.currentThread().isInterrupted()) {
        if (deadline == Long.MAX_VALUE) {
          LockSupport.park(this);
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0L) {
            break;
          }
          LockSupport.parkNanos(this, left);
        }
      }
    } finally {
      lock();
    }
  }

  /**
   * Wakes a thread in {@link #await}.
   *
   * @param waiter its waiter
   */
  static void wake(Waiter waiter) {
    waiter.woken = true;
    LockSupport.unpark(waiter.thread);
  }
}
