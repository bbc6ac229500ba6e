package iouring.core.ring;

import static iouring.core.ring.RingLayout.CQES;

import iouring.api.abi.CqeLayout;
import iouring.api.abi.Errno;
import iouring.api.abi.RingFlags;

/**
 * The kernel's side of the completion queue: it posts CQEs, keeps the overflow backlog and lets
 * {@code io_uring_enter} wait for completions.
 *
 * <p>The kernel owns {@code cq.tail}: it keeps its own copy and only ever stores it (release), so
 * an application that scribbles on the shared tail cannot make the kernel overwrite unread CQEs.
 * The application owns {@code cq.head}; the kernel reads it (acquire) to find free slots. A head
 * that is ahead of the tail makes the queue look full, which sends CQEs to the backlog.
 *
 * <p>CQ full, the no-drop policy (Linux, {@code IORING_FEAT_NODROP}): CQEs go to a backlog, in
 * order, and {@code IORING_SQ_CQ_OVERFLOW} is set while it holds any; every later CQE queues behind
 * them; an {@code enter} with {@code IORING_ENTER_GETEVENTS} moves what fits into the ring. Linux's
 * backlog grows until memory runs out; ours stops at a configured size, past which CQEs are dropped
 * and counted in {@code cq_overflow}, as Linux does after a failed backlog allocation; a wait then
 * reports {@code EBADR} as Linux's does (see {@link #await}).
 *
 * <p>CQ full, the drop policy (gVisor, selected per ring): the CQE is dropped and {@code
 * cq_overflow} counts it; the CQEs already in the ring are never overwritten.
 *
 * <p>All posting happens under the ring lock; waiters register under it and park ({@link
 * RingLock#await}) until a publication wakes them.
 */
final class CompletionQueue {
  private final RingMemory memory;
  private final int entries;
  private final int mask;
  private final boolean dropOnOverflow;
  private final int backlogLimit;
  private final RingLock lock;

  /** The kernel's copy of {@code cq.tail}; guarded by lock. */
  private int tail;

  /**
   * CQ slots known to be free at the last read of {@code cq.head}; the application only ever frees
   * more, so this never overstates; guarded by lock.
   */
  private int free;

  // The backlog, a growable circular buffer of (user_data, res, flags); guarded by lock.
  private long[] backlogUserData = new long[0];
  private int[] backlogRes = new int[0];
  private int[] backlogFlags = new int[0];
  private int backlogHead;
  private int backlogSize;

  /** CQEs posted to the ring or the backlog since setup; guarded by lock. */
  private long postedCount;

  /** Timeout CQEs posted, which end a wait short of its count; guarded by lock. */
  private long timeoutCompletions;

  /** {@link #postedCount} when the completion listener was last told; guarded by lock. */
  private long notifiedCount;

  /**
   * Set when a CQE was dropped under the no-drop policy, Linux's {@code IO_CHECK_CQ_DROPPED_BIT}:
   * waits report it until an enter returns {@code EBADR}; guarded by lock.
   */
  private boolean dropped;

  /** The CQEs the last {@link #publish} made visible (0 when it deferred); guarded by lock. */
  private int lastPublished;

  /** The threads waiting in {@link #await}, for {@link #wakeWaiters}; guarded by lock. */
  private final java.util.ArrayList<RingLock.Waiter> sleepers = new java.util.ArrayList<>();

  /**
   * {@code IORING_SETUP_DEFER_TASKRUN}: the submitter, the only thread that publishes the tail;
   * null without it. Set once, under the lock, when the ring gets its submitter.
   */
  private Thread deferTo;

  /** Whether {@code IORING_SQ_TASKRUN} shows unpublished CQEs ({@code TASKRUN_FLAG}). */
  private boolean taskrunFlag;

  /** The tail the application can see; guarded by lock. */
  private int publishedTail;

  CompletionQueue(
      RingMemory memory, int entries, boolean dropOnOverflow, int backlogLimit, RingLock lock) {
    this.memory = memory;
    this.entries = entries;
    this.mask = entries - 1;
    this.dropOnOverflow = dropOnOverflow;
    this.backlogLimit = backlogLimit;
    this.lock = lock;
  }

  /**
   * Posts one CQE; the caller holds the ring lock and calls {@link #publish()} when its batch is
   * done.
   */
  void post(long userData, int res, int flags) {
    // Kept small so that it inlines into the submission loop; everything else is postSlow.
    if (free > 0) {
      memory.putCqePlain(CQES + (tail & mask) * CqeLayout.SIZE, userData, res, flags);
      tail++;
      free--;
      postedCount++;
    } else {
      postSlow(userData, res, flags);
    }
  }

  private void postSlow(long userData, int res, int flags) {
    if (backlogSize == 0) {
      // Read the application's head only when the slots known to be free are used up, as Linux
      // caches the free space; a head ahead of the tail counts as a full queue.
      int used = tail - memory.getCqHeadAcquire();
      free = used >= 0 && used < entries ? entries - used : 0;
      if (free > 0) {
        post(userData, res, flags);
        return;
      }
    }
    if (dropOnOverflow) {
      memory.incrementCqOverflow();
      return;
    }
    if (backlogSize >= backlogLimit) {
      memory.incrementCqOverflow();
      dropped = true;
      return;
    }
    if (backlogSize == backlogUserData.length) {
      growBacklog();
    }
    int slot = (backlogHead + backlogSize) % backlogUserData.length;
    backlogUserData[slot] = userData;
    backlogRes[slot] = res;
    backlogFlags[slot] = flags;
    postedCount++;
    if (backlogSize++ == 0) {
      memory.orSqFlags(RingFlags.IORING_SQ_CQ_OVERFLOW);
    }
  }

  /** Makes the CQEs posted so far visible (release) and wakes waiters; caller holds the lock. */
  void publish() {
    Thread owner = deferTo;
    if (owner != null && owner != Thread.currentThread()) {
      // DEFER_TASKRUN: a completion outside the submitter's calls is its deferred work, which Linux
      // runs only when the submitter waits; the waiting submitter wakes and publishes it.
      if (taskrunFlag && tail != publishedTail) {
        memory.orSqFlags(RingFlags.IORING_SQ_TASKRUN);
      }
      wakeWaiters();
      lastPublished = 0;
      return;
    }
    if (owner != null && taskrunFlag && publishedTail != tail) {
      memory.clearSqFlags(RingFlags.IORING_SQ_TASKRUN);
    }
    lastPublished = tail - publishedTail;
    publishedTail = tail;
    memory.putCqTailRelease(tail);
    wakeWaiters();
  }

  /**
   * Defers publication to the submitter, as {@code IORING_SETUP_DEFER_TASKRUN} defers task work:
   * what the submitter posts in its own submissions shows at once; what completes on workers and
   * timers (and messages from other rings) shows when the submitter next waits ({@code GETEVENTS}),
   * or, here, also when it next submits. Caller holds the lock.
   *
   * @param submitter the ring's only submitter
   * @param taskrunFlag whether {@code IORING_SQ_TASKRUN} shows that CQEs wait for publication
   */
  void deferTo(Thread submitter, boolean taskrunFlag) {
    this.deferTo = submitter;
    this.taskrunFlag = taskrunFlag;
  }

  /** Records a timeout's CQE: it ends every wait in progress, as Linux's io_should_wake. */
  void timeoutCompleted() {
    timeoutCompletions++;
    wakeWaiters();
  }

  /**
   * Returns whether CQEs were posted since the last call that returned true, and the application
   * has not set {@code IORING_CQ_EVENTFD_DISABLED} in {@code cq_flags}: whether a completion
   * listener is due, as Linux signals a registered eventfd. The caller holds the lock.
   */
  boolean takeNotification() {
    if (postedCount == notifiedCount) {
      return false;
    }
    notifiedCount = postedCount;
    return (memory.getCqFlagsAcquire() & RingFlags.IORING_CQ_EVENTFD_DISABLED) == 0;
  }

  /** Moves what fits of the backlog into the ring, in order; caller holds the lock. */
  void flushBacklog() {
    if (backlogSize == 0) {
      return;
    }
    while (backlogSize > 0) {
      int used = tail - memory.getCqHeadAcquire();
      if (used < 0 || used >= entries) {
        break;
      }
      int slot = backlogHead;
      memory.putCqePlain(
          CQES + (tail & mask) * CqeLayout.SIZE,
          backlogUserData[slot],
          backlogRes[slot],
          backlogFlags[slot]);
      tail++;
      backlogHead = (backlogHead + 1) % backlogUserData.length;
      backlogSize--;
    }
    if (backlogSize == 0) {
      memory.clearSqFlags(RingFlags.IORING_SQ_CQ_OVERFLOW);
    }
    free = 0; // the flush used slots this count did not know about: read the head again
    publish();
  }

  /**
   * Tells whether a wait for {@code minComplete} CQEs would end at once with success (no backlog to
   * flush, enough CQEs in the ring; a drop is not reported to such a wait), so that the common
   * {@code enter} skips a second lock round trip; the caller holds the lock. Right after a {@link
   * #publish} it needs no look at the application's head when that publication alone made enough
   * CQEs visible: the application can have consumed only CQEs published before it, so at that
   * moment, within this enter and after its submission, the ring held at least as many as it added.
   * Linux's wait checks the same count at a later moment of the same call.
   *
   * @param minComplete the CQEs the wait wants, unsigned
   * @param justPublished whether the caller published in this hold of the lock
   * @return whether the wait would end at once, with no backlog to flush
   */
  boolean satisfiedWithoutWaiting(int minComplete, boolean justPublished) {
    if (backlogSize != 0) {
      return false;
    }
    int min = Integer.compareUnsigned(minComplete, entries) > 0 ? entries : minComplete;
    if (justPublished && lastPublished - min >= 0) {
      return true;
    }
    return tail - memory.getCqHeadAcquire() - min >= 0;
  }

  /**
   * Waits until {@code minComplete} CQEs beyond the current head are posted, as Linux's {@code
   * io_cqring_wait}: flushes the backlog first, counts from the head as it is now, and gives up at
   * the deadline or on interrupt. While CQEs have been dropped and not yet reported, a wait that
   * the ring does not satisfy at once ends at once with {@code -EBADR} (as every later one does
   * until {@link #dropReported}); a wait the flushed ring satisfies does not report it.
   *
   * @param minComplete the number of CQEs to wait for, clamped to the CQ size
   * @param deadline a {@link System#nanoTime()} deadline, or {@link Long#MAX_VALUE} for none
   * @param beforeSleep run once, under the lock, if the CQEs are not there yet; what it throws ends
   *     the wait
   * @return 0, or {@code -ETIME}, {@code -EINTR} or {@code -EBADR} when the wait ended without a
   *     CQE in the ring (with one there, 0 even short of {@code minComplete})
   */
  int await(int minComplete, long deadline, Runnable beforeSleep) {
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -Errno.EINTR;
    }
    try {
      if (deferTo != null) {
        publish(); // the waiting submitter runs its deferred work first
      }
      flushBacklog();
      int min = Integer.compareUnsigned(minComplete, entries) > 0 ? entries : minComplete;
      int target = memory.getCqHeadAcquire() + min;
      if (tail - target >= 0) {
        return 0;
      }
      beforeSleep.run();
      int result = 0;
      long timeoutsSeen = timeoutCompletions;
      RingLock.Waiter me = new RingLock.Waiter();
      sleepers.add(me);
      try {
        while (tail - target < 0 && timeoutCompletions == timeoutsSeen) {
          if (dropped) {
            result = -Errno.EBADR; // Linux looks at check_cq before each sleep and after it
            break;
          }
          if (deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0) {
            result = -Errno.ETIME;
            break;
          }
          if (Thread.interrupted()) {
            throw new InterruptedException(); // as Condition.await: before and after the sleep
          }
          me.woken = false;
          lock.await(me, deadline);
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
          if (deferTo != null) {
            publish();
          }
          flushBacklog();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        result = -Errno.EINTR;
      } finally {
        sleepers.remove(me);
      }
      // As Linux: an error is reported only when the ring holds no CQE at all.
      return result != 0 && tail == memory.getCqHeadAcquire() ? result : 0;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every thread in {@link #await}, which re-checks what it waits for; holds the lock. */
  private void wakeWaiters() {
    for (int i = 0; i < sleepers.size(); i++) {
      RingLock.wake(sleepers.get(i));
    }
  }

  /**
   * Forgets the dropped CQEs once an enter has returned {@code EBADR} for them, as Linux's {@code
   * io_uring_enter} clears {@code IO_CHECK_CQ_DROPPED_BIT}; the caller holds the lock.
   */
  void dropReported() {
    dropped = false;
  }

  /**
   * Returns the number of CQEs in the backlog.
   *
   * @return the count; the caller holds the lock
   */
  int backlogSize() {
    return backlogSize;
  }

  /**
   * Returns the CQEs posted to the ring or the backlog since setup, dropped ones excluded.
   *
   * @return the count; the caller holds the lock
   */
  long posted() {
    return postedCount;
  }

  private void growBacklog() {
    int size = Math.max(16, backlogUserData.length * 2);
    long[] ud = new long[size];
    int[] res = new int[size];
    int[] fl = new int[size];
    for (int i = 0; i < backlogSize; i++) {
      int from = (backlogHead + i) % backlogUserData.length;
      ud[i] = backlogUserData[from];
      res[i] = backlogRes[from];
      fl[i] = backlogFlags[from];
    }
    backlogUserData = ud;
    backlogRes = res;
    backlogFlags = fl;
    backlogHead = 0;
  }
}
