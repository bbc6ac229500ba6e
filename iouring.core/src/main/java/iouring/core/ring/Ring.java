package iouring.core.ring;

import static iouring.api.abi.SetupFlags.*;

import iouring.api.ErrnoException;
import iouring.api.IoUringParams;
import iouring.api.abi.BufRingLayout;
import iouring.api.abi.Errno;
import iouring.api.abi.Features;
import iouring.api.abi.FileFlags;
import iouring.api.abi.Limits;
import iouring.api.abi.MmapOffsets;
import iouring.api.abi.OpFlags;
import iouring.api.abi.Opcodes;
import iouring.api.abi.ParamsLayout;
import iouring.api.abi.ProbeLayout;
import iouring.api.abi.RegisterOpcodes;
import iouring.api.abi.RestrictionLayout;
import iouring.api.abi.RsrcLayout;
import iouring.api.abi.SqeFlags;
import iouring.api.abi.SqeLayout;
import iouring.core.fd.FdTable;
import iouring.core.fd.FileDescription;
import iouring.core.fd.OpenFile;
import iouring.core.mem.UserMemory;
import iouring.core.op.LinkTimer;
import iouring.core.op.Op;
import iouring.core.op.OpTable;
import iouring.core.op.Request;
import iouring.core.op.RingContext;
import iouring.core.rsrc.BufferTable;
import iouring.core.rsrc.FileTable;
import iouring.core.rsrc.ProvidedBuffers;
import iouring.core.task.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * An io_uring instance: the file description a ring fd points to, gVisor's {@code
 * iouringfs.FileDescription}. It owns the ring memory, consumes SQEs ({@link #submit}), posts CQEs
 * through its {@link CompletionQueue} and holds the ring's registered resources.
 *
 * <p>Setup flags and register opcodes it does not implement are {@code EINVAL}, as a kernel without
 * them; the supported-features document lists both.
 *
 * <p>Concurrency: one lock per ring, Linux's {@code uring_lock}, serializes submission,
 * registration and CQE posting; concurrent {@code enter} calls queue on it and none is lost. The
 * kernel's copies of {@code sq.head} and {@code cq.tail} are private and only ever stored to ring
 * memory, so tampering with them changes nothing the kernel relies on.
 */
public final class Ring extends FileDescription implements RingContext, RingContext.MessageTarget {
  private static final int SUPPORTED_SETUP_FLAGS =
      IORING_SETUP_CQSIZE
          | IORING_SETUP_CLAMP
          | IORING_SETUP_SUBMIT_ALL
          | IORING_SETUP_NO_SQARRAY
          | IORING_SETUP_SQPOLL
          | IORING_SETUP_SQ_AFF
          | IORING_SETUP_R_DISABLED
          | IORING_SETUP_COOP_TASKRUN
          | IORING_SETUP_TASKRUN_FLAG
          | IORING_SETUP_SINGLE_ISSUER
          | IORING_SETUP_DEFER_TASKRUN;

  /**
   * The most restrictions one registration takes: Linux's {@code IORING_MAX_RESTRICTIONS}, 103 on
   * 6.18 (measured: 103 accepted, 104 {@code EINVAL}).
   */
  private static final int MAX_RESTRICTIONS = 103;

  /** The features this emulation implements, reported by setup. */
  private static final int FEATURES =
      Features.IORING_FEAT_SINGLE_MMAP
          | Features.IORING_FEAT_NODROP
          | Features.IORING_FEAT_SUBMIT_STABLE
          | Features.IORING_FEAT_RW_CUR_POS
          | Features.IORING_FEAT_EXT_ARG
          | Features.IORING_FEAT_CQE_SKIP
          // A chain's members run one after the other, each looking up its file when it starts.
          | Features.IORING_FEAT_LINKED_FILE
          // The SQPOLL thread uses the process's fd table, as any submitter: no fixed files needed.
          | Features.IORING_FEAT_SQPOLL_NONFIXED
          | Features.IORING_FEAT_REG_REG_RING;

  private static final int VALID_SQE_FLAGS = SqeFlags.IOSQE_VALID_MASK;

  private static final int LINK_FLAGS = SqeFlags.IOSQE_IO_LINK | SqeFlags.IOSQE_IO_HARDLINK;

  private final Task task;
  private final FdTable files;
  private final UserMemory memory;
  private final RingLayout layout;
  private final RingMemory ringMemory;
  private final int setupFlags;
  private final int sqEntries;
  private final int sqMask;
  final RingLock lock = new RingLock();
  private final CompletionQueue cq;

  /**
   * Requests of the chain being assembled: slot 0 is the head. Grown on demand and reused, so a
   * steady stream of chains allocates nothing; guarded by lock.
   */
  private Request[] chain;

  private final int maxRegisteredBuffers;

  /** The kernel's copy of {@code sq.head}; guarded by lock. */
  private int sqHead;

  /** The submission-polling thread of an SQPOLL ring, or null. */
  private SqPoller sqPoller;

  /** Created with {@code IORING_SETUP_R_DISABLED} and not enabled yet: enter is {@code EBADFD}. */
  private volatile boolean disabled;

  /**
   * The only thread that may submit and register on a {@code SINGLE_ISSUER} ring (Linux's {@code
   * submitter_task}): the creating thread, or the enabling one for a ring created disabled.
   */
  private volatile Thread submitter;

  /** Registered restrictions, or null; guarded by lock. */
  private Restrictions restrictions;

  /** Restrictions apply: registered, and the ring enabled since; guarded by lock. */
  private boolean restricted;

  /** Requests handed to workers, queued or running; guarded by lock. */
  private final WorkQueue work = new WorkQueue();

  /** The armed timeouts. */
  private final Timeouts timeouts = new Timeouts(this);

  /** Requests issued that complete later; a drain waits for none to be left; guarded by lock. */
  private int inflight;

  /**
   * Drain mode, Linux's {@code drain_active}: set by a drained SQE; while it lasts every chain goes
   * through {@link #waiting}; cleared when a chain without a drain finds the queue empty and starts
   * at once; guarded by lock.
   */
  private boolean drainActive;

  /**
   * The next chain is drained too, Linux's {@code drain_next}: set by a drain on a chain member
   * other than its head; guarded by lock.
   */
  private boolean drainNext;

  /** The ring was freed (its last fd closed): nothing new runs on it; guarded by lock. */
  private boolean closed;

  /**
   * Chains submitted in drain mode, in submission order (Linux's {@code defer_list}): the first, a
   * drained one and every one after a drained one start only when nothing is in flight; see {@link
   * #runWaiting}; guarded by lock.
   */
  private final java.util.ArrayDeque<Waiting> waiting = new java.util.ArrayDeque<>();

  /** A chain copied out of the submission slots to run later; {@code drain}: it is drained. */
  private record Waiting(Request[] members, boolean drain) {}

  /** The chain being run and the member being issued, for {@link #defer}; guarded by lock. */
  private Request[] runMembers;

  private int runIndex;
  private int runLength;

  /** CQEs posted by requests other than timeouts, which timeouts count; guarded by lock. */
  private long regularPosted;

  /** {@link #regularPosted} when the current submission batch began; guarded by lock. */
  private long regularAtBatchStart;

  /** Told when CQEs are posted; see {@link #completionListener(Runnable)}. */
  private volatile Runnable completionListener;

  /**
   * Whether the fd table is pinned for this ring's lookups (see {@link #file}): by the submission
   * batch, or by a chain that a completion runs on (a worker's, a timer's); guarded by lock.
   */
  private boolean pinned;

  /** A submission batch is running ({@link #submitLocked}); guarded by lock. */
  private boolean submitting;

  /** SQEs consumed since setup, for diagnostics; guarded by lock. */
  private long consumed;

  /** Set once a request with {@code IOSQE_CQE_SKIP_SUCCESS} was seen; guarded by lock. */
  private boolean drainDisabled;

  /** Registered buffers; replaced whole under lock, read without it by requests. */
  private volatile BufferTable buffers = BufferTable.EMPTY;

  /**
   * Registered files; replaced whole under lock, its slots changed in place under lock, read
   * without it by requests.
   */
  private volatile FileTable fixedFiles = FileTable.NONE;

  /** Provided buffers; used only by requests, which run under lock. */
  private final ProvidedBuffers providedBuffers = new ProvidedBuffers();

  private Ring(Task task, RingLayout layout, int setupFlags, boolean dropOnOverflow) {
    KernelLimits limits = task.limits();
    this.task = task;
    this.files = task.files();
    this.memory = task.memory();
    this.layout = layout;
    this.ringMemory = new RingMemory(layout);
    this.setupFlags = setupFlags;
    this.sqEntries = layout.sqEntries;
    this.sqMask = layout.sqEntries - 1;
    this.cq =
        new CompletionQueue(
            ringMemory, layout.cqEntries, dropOnOverflow, limits.backlogLimit(), lock);
    this.maxRegisteredBuffers = limits.maxRegisteredBuffers();
    this.chain = new Request[] {new Request(memory)};
  }

  /**
   * Creates a ring as {@code io_uring_setup(2)} does: validates entries, flags and reserved fields
   * in Linux's order, sizes the queues and fills in {@code params}.
   *
   * @param task the creating process's task, whose files and memory requests use
   * @param entries the requested SQ size, an unsigned 32-bit value
   * @param params the parameters, read and filled in
   * @return the ring, not yet installed in an fd table
   * @throws ErrnoException {@code EINVAL} as Linux
   */
  public static Ring create(Task task, int entries, IoUringParams params) {
    // Linux: sq_thread_idle in milliseconds; 0 means one second (HZ).
    int idleMillis = params.sqThreadIdle();
    return create(
        task, entries, params, TimeUnit.MILLISECONDS.toNanos(idleMillis == 0 ? 1000 : idleMillis));
  }

  /**
   * Creates a ring as {@link #create(Task, int, IoUringParams)} does, with the SQPOLL thread's idle
   * time in nanoseconds instead of {@code sq_thread_idle}. The concurrency checks pass 0, a thread
   * that goes to sleep as soon as the queue is empty: their model checker has no clock that moves.
   */
  static Ring create(Task task, int entries, IoUringParams params, long sqIdleNanos) {
    for (int i = 0; i < 3; i++) {
      if (params.resv(i) != 0) {
        throw new ErrnoException(Errno.EINVAL, "params.resv[" + i + "] is not zero");
      }
    }
    int flags = params.flags();
    if ((flags & ~SUPPORTED_SETUP_FLAGS) != 0) {
      throw new ErrnoException(
          Errno.EINVAL,
          "setup flags 0x"
              + Integer.toHexString(flags & ~SUPPORTED_SETUP_FLAGS)
              + " are unknown or not supported");
    }
    if (entries == 0) {
      throw new ErrnoException(Errno.EINVAL, "entries is 0");
    }
    long sq = Integer.toUnsignedLong(entries);
    if (sq > Limits.IORING_MAX_ENTRIES) {
      if ((flags & IORING_SETUP_CLAMP) == 0) {
        throw new ErrnoException(Errno.EINVAL, "entries " + sq + " is over 32768");
      }
      sq = Limits.IORING_MAX_ENTRIES;
    }
    int sqEntries = roundUpPowerOfTwo((int) sq);
    int cqEntries;
    if ((flags & IORING_SETUP_CQSIZE) != 0) {
      long cq = Integer.toUnsignedLong(params.cqEntries());
      if (cq == 0) {
        throw new ErrnoException(Errno.EINVAL, "cq_entries is 0");
      }
      if (cq > Limits.IORING_MAX_CQ_ENTRIES) {
        if ((flags & IORING_SETUP_CLAMP) == 0) {
          throw new ErrnoException(Errno.EINVAL, "cq_entries " + cq + " is over 65536");
        }
        cq = Limits.IORING_MAX_CQ_ENTRIES;
      }
      cqEntries = roundUpPowerOfTwo((int) cq);
      if (cqEntries < sqEntries) {
        throw new ErrnoException(Errno.EINVAL, "cq_entries is below sq_entries");
      }
    } else {
      cqEntries = 2 * sqEntries;
    }
    if ((flags & IORING_SETUP_SQ_AFF) != 0 && (flags & IORING_SETUP_SQPOLL) == 0) {
      throw new ErrnoException(Errno.EINVAL, "IORING_SETUP_SQ_AFF needs IORING_SETUP_SQPOLL");
    }
    if ((flags & IORING_SETUP_SQPOLL) != 0
        && (flags & (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG)) != 0) {
      throw new ErrnoException(Errno.EINVAL, "SQPOLL takes no task-run flags");
    }
    if ((flags & IORING_SETUP_TASKRUN_FLAG) != 0
        && (flags & (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_DEFER_TASKRUN)) == 0) {
      throw new ErrnoException(
          Errno.EINVAL, "IORING_SETUP_TASKRUN_FLAG needs COOP_TASKRUN or DEFER_TASKRUN");
    }
    if ((flags & IORING_SETUP_DEFER_TASKRUN) != 0
        && ((flags & IORING_SETUP_SINGLE_ISSUER) == 0 || (flags & IORING_SETUP_SQPOLL) != 0)) {
      throw new ErrnoException(
          Errno.EINVAL, "IORING_SETUP_DEFER_TASKRUN needs SINGLE_ISSUER and no SQPOLL");
    }
    RingLayout layout =
        new RingLayout(sqEntries, cqEntries, (flags & IORING_SETUP_NO_SQARRAY) == 0);
    long bytes = (long) layout.ringsSize() + layout.sqesSize();
    if (!task.chargeRingMemory(bytes)) {
      throw new ErrnoException(
          Errno.ENOMEM, "the process's rings would pass ringMemoryLimit with " + bytes + " bytes");
    }
    Ring ring = new Ring(task, layout, flags, params.dropOnOverflow());
    ring.disabled = (flags & IORING_SETUP_R_DISABLED) != 0;
    if ((flags & IORING_SETUP_SINGLE_ISSUER) != 0 && !ring.disabled) {
      ring.submitter = Thread.currentThread();
      ring.deferCompletions();
    }
    fillParams(params, layout, flags);
    if ((flags & IORING_SETUP_SQPOLL) != 0) {
      // sq_thread_cpu is accepted and ignored: Java threads cannot be pinned to a CPU.
      ring.sqPoller = new SqPoller(ring, sqIdleNanos);
      ring.sqPoller.start();
    }
    return ring;
  }

  private static void fillParams(IoUringParams params, RingLayout layout, int flags) {
    ByteBuffer p = params.bytes();
    p.putInt(ParamsLayout.OFF_SQ_ENTRIES, layout.sqEntries);
    p.putInt(ParamsLayout.OFF_CQ_ENTRIES, layout.cqEntries);
    int features = FEATURES;
    if (params.dropOnOverflow()) {
      features &= ~Features.IORING_FEAT_NODROP;
    }
    p.putInt(ParamsLayout.OFF_FEATURES, features);
    int sq = ParamsLayout.OFF_SQ_OFF;
    p.putInt(sq + ParamsLayout.SQ_OFF_HEAD, RingLayout.SQ_HEAD);
    p.putInt(sq + ParamsLayout.SQ_OFF_TAIL, RingLayout.SQ_TAIL);
    p.putInt(sq + ParamsLayout.SQ_OFF_RING_MASK, RingLayout.SQ_RING_MASK);
    p.putInt(sq + ParamsLayout.SQ_OFF_RING_ENTRIES, RingLayout.SQ_RING_ENTRIES);
    p.putInt(sq + ParamsLayout.SQ_OFF_FLAGS, RingLayout.SQ_FLAGS);
    p.putInt(sq + ParamsLayout.SQ_OFF_DROPPED, RingLayout.SQ_DROPPED);
    p.putInt(sq + ParamsLayout.SQ_OFF_ARRAY, layout.sqArray);
    p.putInt(sq + ParamsLayout.SQ_OFF_RESV1, 0);
    p.putLong(sq + ParamsLayout.SQ_OFF_USER_ADDR, 0);
    int cq = ParamsLayout.OFF_CQ_OFF;
    p.putInt(cq + ParamsLayout.CQ_OFF_HEAD, RingLayout.CQ_HEAD);
    p.putInt(cq + ParamsLayout.CQ_OFF_TAIL, RingLayout.CQ_TAIL);
    p.putInt(cq + ParamsLayout.CQ_OFF_RING_MASK, RingLayout.CQ_RING_MASK);
    p.putInt(cq + ParamsLayout.CQ_OFF_RING_ENTRIES, RingLayout.CQ_RING_ENTRIES);
    p.putInt(cq + ParamsLayout.CQ_OFF_OVERFLOW, RingLayout.CQ_OVERFLOW);
    p.putInt(cq + ParamsLayout.CQ_OFF_CQES, RingLayout.CQES);
    p.putInt(cq + ParamsLayout.CQ_OFF_FLAGS, RingLayout.CQ_FLAGS);
    p.putInt(cq + ParamsLayout.CQ_OFF_RESV1, 0);
    p.putLong(cq + ParamsLayout.CQ_OFF_USER_ADDR, 0);
  }

  /**
   * Returns the smallest power of two at least {@code n}, 0 giving 1, for {@code n} at most 2^30.
   *
   * @param n the value
   * @return the power of two
   */
  static int roundUpPowerOfTwo(int n) {
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }

  /**
   * Maps ring memory, as {@code mmap(2)} on the ring fd.
   *
   * @param offset {@code IORING_OFF_SQ_RING}, {@code IORING_OFF_CQ_RING} or {@code IORING_OFF_SQES}
   * @param length the bytes to map, at most the region's size
   * @return a native-order view of the region's first {@code length} bytes
   * @throws ErrnoException {@code EINVAL} for another offset or a bad length
   */
  public ByteBuffer mmap(long offset, int length) {
    ByteBuffer region;
    if (offset == MmapOffsets.IORING_OFF_SQ_RING || offset == MmapOffsets.IORING_OFF_CQ_RING) {
      region = ringMemory.rings;
    } else if (offset == MmapOffsets.IORING_OFF_SQES) {
      region = ringMemory.sqes;
    } else {
      throw new ErrnoException(Errno.EINVAL, "mmap offset 0x" + Long.toHexString(offset));
    }
    if (length <= 0 || length > region.capacity()) {
      throw new ErrnoException(
          Errno.EINVAL, "mmap length " + length + " for a region of " + region.capacity());
    }
    return region.slice(0, length).order(ByteOrder.nativeOrder());
  }

  /** The bit of {@link #submit}'s result that says a wait must follow. */
  public static final long WAIT_NEEDED = 1L << 32;

  /**
   * Consumes SQEs, the submission half of {@code io_uring_enter(2)} ({@code io_submit_sqes}), and
   * under the same lock hold tells whether a {@code GETEVENTS} wait for {@code minComplete} CQEs
   * would have to sleep or flush, so that the common case takes the ring lock once.
   *
   * @param toSubmit the SQEs to consume, unsigned
   * @param minComplete the CQEs a {@code GETEVENTS} wait wants, unsigned
   * @return the number of SQEs consumed in the low 32 bits (fewer than asked when the queue held
   *     fewer or one failed before issue), with {@link #WAIT_NEEDED} set unless that many CQEs are
   *     already in the ring with no backlog to flush
   */
  public long submit(int toSubmit, int minComplete) {
    if (toSubmit != 0) {
      Thread owner = submitter;
      if (owner != null && owner != Thread.currentThread()) {
        throw new ErrnoException(Errno.EEXIST, "a SINGLE_ISSUER ring submits from its own thread");
      }
    }
    long result;
    boolean notify;
    lock.lock();
    try {
      if (closed) {
        // An enter that found the fd before another thread closed it: Linux's enter holds the
        // file, but its percpu_ref_tryget on a ring being torn down fails the same way.
        throw new ErrnoException(Errno.ENXIO, "the ring is being torn down");
      }
      int submitted = toSubmit != 0 ? submitLocked(toSubmit) : 0;
      result =
          Integer.toUnsignedLong(submitted)
              | (cq.satisfiedWithoutWaiting(minComplete, toSubmit != 0) ? 0 : WAIT_NEEDED);
      notify = completionListener != null && cq.takeNotification();
    } finally {
      lock.unlock();
    }
    if (notify) {
      notifyListener(); // outside the lock: the listener may enter this ring itself
    }
    return result;
  }

  /**
   * Sets the listener told that CQEs were posted, the job {@code IORING_REGISTER_EVENTFD} does on
   * Linux: it runs once after each submission that posted CQEs, in the thread that posted them,
   * unless the application set {@code IORING_CQ_EVENTFD_DISABLED} in {@code cq_flags}.
   *
   * @param listener the listener, or null to remove it
   * @throws ErrnoException {@code EBUSY} if one is registered already, {@code ENXIO} when removing
   *     none, as the eventfd register opcodes
   */
  public void completionListener(Runnable listener) {
    lock.lock();
    try {
      if (listener != null && completionListener != null) {
        throw new ErrnoException(Errno.EBUSY, "a completion listener is registered");
      }
      if (listener == null && completionListener == null) {
        throw new ErrnoException(Errno.ENXIO, "no completion listener is registered");
      }
      completionListener = listener;
    } finally {
      lock.unlock();
    }
  }

  /** Runs the listener; what it throws goes to the thread's handler, never into enter. */
  private void notifyListener() {
    Runnable listener = completionListener;
    if (listener == null) {
      return;
    }
    try {
      listener.run();
    } catch (RuntimeException e) {
      Thread t = Thread.currentThread();
      t.getUncaughtExceptionHandler().uncaughtException(t, e);
    }
  }

  /**
   * Returns whether an SQPOLL thread consumes this ring's SQEs.
   *
   * @return true for an {@code IORING_SETUP_SQPOLL} ring
   */
  public boolean sqPolled() {
    return sqPoller != null;
  }

  /**
   * Does what {@code io_uring_enter(2)} does on an SQPOLL ring instead of submitting: wakes the
   * thread for {@code IORING_ENTER_SQ_WAKEUP}, waits for a free SQ slot for {@code
   * IORING_ENTER_SQ_WAIT} (while the thread works).
   *
   * @param wake whether to wake the thread
   * @param waitForSpace whether to wait for SQ space
   * @throws ErrnoException {@code EOWNERDEAD} when the thread is gone, as Linux
   */
  public void sqPollEnter(boolean wake, boolean waitForSpace) {
    if (!sqPoller.alive()) {
      throw new ErrnoException(Errno.EOWNERDEAD, "the SQPOLL thread is gone");
    }
    if (wake) {
      sqPoller.wake();
    }
    while (waitForSpace
        && ringMemory.getSqTailAcquire() - ringMemory.getSqHeadAcquire() >= sqEntries
        && (ringMemory.getSqFlagsAcquire() & iouring.api.abi.RingFlags.IORING_SQ_NEED_WAKEUP)
            == 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(10_000);
    }
  }

  /** Consumes what the application published, for the SQPOLL thread; returns the count. */
  int pollSubmit() {
    if (disabled) {
      return 0; // as Linux's SQPOLL thread: a disabled ring is not polled
    }
    boolean notify;
    int n;
    lock.lock();
    try {
      if (closed) {
        return 0; // freed while the thread was on its way here: it stops at its next look
      }
      n = submitLocked(-1); // everything available: the loop clamps to what the SQ holds
      notify = n > 0 && completionListener != null && cq.takeNotification();
    } finally {
      lock.unlock();
    }
    if (notify) {
      notifyListener();
    }
    return n;
  }

  /** Returns whether the application published SQEs not consumed yet (acquire). */
  boolean sqPending() {
    return ringMemory.getSqTailAcquire() != sqHead;
  }

  /** Returns the shared ring memory, for the SQPOLL thread's flag updates. */
  RingMemory ringMemory() {
    return ringMemory;
  }

  /**
   * Waits for CQEs, the waiting half of {@code io_uring_enter(2)} ({@code io_cqring_wait}).
   *
   * @param minComplete the CQEs to wait for, unsigned, clamped to the CQ size
   * @param deadline the wait's {@link System#nanoTime()} deadline, {@link Long#MAX_VALUE} for none
   * @param beforeSleep run once if the call has to sleep, before it does; Linux applies the
   *     caller's signal mask there, so its errors come only from calls that would block
   * @throws ErrnoException {@code ETIME}, {@code EINTR} or {@code EBADR} from a wait that ended
   *     with no CQE in the ring, or what {@code beforeSleep} throws
   */
  public void await(int minComplete, long deadline, Runnable beforeSleep) {
    if ((setupFlags & IORING_SETUP_DEFER_TASKRUN) != 0 && submitter != Thread.currentThread()) {
      // Linux's io_cqring_wait: only the submitter may run the ring's deferred work.
      throw new ErrnoException(Errno.EEXIST, "a DEFER_TASKRUN ring waits in its own thread");
    }
    int err = cq.await(minComplete, deadline, beforeSleep);
    if (err < 0) {
      throw new ErrnoException(-err, "waiting for " + Integer.toUnsignedString(minComplete));
    }
  }

  /**
   * Tells the ring that an enter returned {@code EBADR}, which reports dropped CQEs once: later
   * waits no longer end for them, as Linux's {@code io_uring_enter} clears {@code
   * IO_CHECK_CQ_DROPPED_BIT} only when it returns that error.
   */
  public void dropReported() {
    lock.lock();
    try {
      cq.dropReported();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Consumes up to {@code toSubmit} SQEs; the caller holds the lock.
   *
   * <p>Linked requests ({@code IOSQE_IO_LINK}, {@code IOSQE_IO_HARDLINK}) are assembled first and
   * run when their chain is complete: at the first member without a link flag, or at the end of the
   * batch, where a dangling link flag is ignored (Linux's {@code io_submit_state_end}). A member
   * that fails prep does not stop assembly; the whole chain then fails without running (Linux's
   * {@code io_submit_fail_init}), and the batch stops only if that member ended the chain.
   */
  private int submitLocked(int toSubmit) {
    RingMemory mem = ringMemory;
    int available = mem.getSqTailAcquire() - sqHead;
    if (Integer.compareUnsigned(available, sqEntries) > 0) {
      available = sqEntries; // a tail beyond head + entries is clamped, as Linux does
    }
    int n = Integer.compareUnsigned(toSubmit, available) < 0 ? toSubmit : available;
    int sqArray = layout.sqArray;
    boolean submitAll = (setupFlags & IORING_SETUP_SUBMIT_ALL) != 0;
    int submitted = 0;
    int length = 0; // members of the chain being assembled
    boolean failed = false; // a member failed prep
    regularAtBatchStart = regularPosted;
    submitting = true;
    try {
      while (submitted < n) {
        int index = sqArray != 0 ? mem.getSqArrayPlain(sqArray + 4 * (sqHead & sqMask)) : sqHead;
        sqHead++;
        if (sqArray != 0 && Integer.compareUnsigned(index, sqEntries) >= 0) {
          // An index past the SQE array is consumed without a CQE and ends the batch (Linux).
          mem.incrementSqDropped();
          break;
        }
        Request req = chainSlot(length);
        req.load(mem.sqesView, (index & sqMask) * SqeLayout.SIZE);
        submitted++;
        length++;
        int err = init(req);
        if (err == 0
            && req.opcode == Opcodes.IORING_OP_LINK_TIMEOUT
            && (length == 1 || chain[length - 2].opcode == Opcodes.IORING_OP_LINK_TIMEOUT)) {
          err = -Errno.EINVAL; // a linked timeout needs a request before it in its chain
        }
        if (err < 0) {
          req.prepError = err;
          failed = true;
        }
        if ((req.flags & LINK_FLAGS) != 0) {
          continue; // keep assembling the chain
        }
        if (length == 1
            && err == 0
            && (req.flags & (SqeFlags.IOSQE_IO_DRAIN | SqeFlags.IOSQE_ASYNC)) == 0
            && !drainActive
            && !drainNext) {
          // The common case, a lone request with nothing queued: what runOrWait would do, kept
          // small so that it compiles into this loop.
          runSingle(req);
          length = 0;
          continue;
        }
        runOrWait(length, failed);
        length = 0;
        failed = false;
        if (err < 0 && !submitAll) {
          break;
        }
      }
      if (length > 0) {
        runOrWait(length, failed); // the last SQE's link flag is ignored: the chain ends here
      }
    } finally {
      mem.putSqHeadRelease(sqHead);
      cq.publish();
      consumed += submitted;
      submitting = false;
      unpinFiles();
    }
    return submitted;
  }

  private Request chainSlot(int i) {
    if (i == chain.length) {
      Request[] grown = java.util.Arrays.copyOf(chain, chain.length * 2);
      for (int j = chain.length; j < grown.length; j++) {
        grown[j] = new Request(memory);
      }
      chain = grown;
    }
    return chain[i];
  }

  /**
   * Runs a chain now or queues it, as Linux 6.18's {@code io_drain_req}: a drain flag on any member
   * drains the whole chain, and one on a member other than the head drains the next chain too
   * ({@code io_init_req_drain}); in drain mode every chain queues, and the mode ends when a chain
   * without a drain finds the queue empty and starts at once. A chain that failed before issue
   * completes at once, drain or not, as Linux's {@code io_queue_sqe_fallback} fails it.
   */
  private void runOrWait(int length, boolean failed) {
    boolean drain = false;
    boolean drainAfter = false;
    for (int i = 0; i < length; i++) {
      if (chain[i].drained) {
        drain = true;
        drainAfter |= i > 0;
      }
    }
    drainActive |= drain;
    if (failed) {
      run(chain, length, true);
      drainNext |= drainAfter;
      return;
    }
    if (drainNext) {
      drain = true;
      drainActive = true;
    }
    drainNext = drainAfter;
    if (!drainActive) {
      run(chain, length, false);
      return;
    }
    Request[] copy = new Request[length];
    for (int i = 0; i < length; i++) {
      copy[i] = new Request(memory).copyFrom(chain[i]);
    }
    waiting.add(new Waiting(copy, drain));
    runWaiting();
    if (!drain && waiting.isEmpty()) {
      drainActive = false;
    }
  }

  /**
   * Starts the queued chains that may start, in order, as Linux 6.18's {@code io_queue_deferred}
   * does in one pass: the first one, and from the first drained one on every one, only when nothing
   * is in flight; chains after a started one and before the next drained one start with it. On
   * Linux a started request stays in flight until its task work has run, so a pass never goes past
   * a drained request it started; the next pass begins once that request has completed, here at
   * once when it completed inline.
   */
  private void runWaiting() {
    boolean drainSeen = false;
    boolean first = true;
    while (!waiting.isEmpty()) {
      Waiting w = waiting.peek();
      drainSeen |= w.drain;
      if ((drainSeen || first) && inflight > 0) {
        return;
      }
      waiting.poll();
      run(w.members, w.members.length, false);
      first = false;
      if (drainSeen) {
        if (inflight > 0) {
          return; // the next pass runs when the chain completes (Pending.complete)
        }
        drainSeen = false;
        first = true;
      }
    }
  }

  /**
   * Runs a chain of {@code length} requests (1 for an unlinked request) in order and posts their
   * CQEs in chain order.
   *
   * <p>A chain where a member failed prep runs nothing: the head completes with {@code -ECANCELED}
   * (or its own prep error), members that failed prep with their error, the others with {@code
   * -ECANCELED}. Otherwise, a member that fails (an error, or a short transfer) and is not a hard
   * link cancels the rest with {@code -ECANCELED}. A failing member with {@code
   * IOSQE_CQE_SKIP_SUCCESS} posts its own CQE and suppresses those of the members it cancels, as
   * Linux's {@code REQ_F_SKIP_LINK_CQES} does.
   */
  private void run(Request[] members, int length, boolean failed) {
    if (failed) {
      Request head = members[0];
      post(head, head.prepError != 0 ? head.prepError : -Errno.ECANCELED, 0);
      if ((head.flags & SqeFlags.IOSQE_CQE_SKIP_SUCCESS) == 0) {
        for (int i = 1; i < length; i++) {
          Request m = members[i];
          post(m, m.prepError != 0 ? m.prepError : -Errno.ECANCELED, 0);
        }
      }
      return;
    }
    runFrom(members, 0, length);
  }

  /** Issues a request without links, drain or IOSQE_ASYNC: {@link #runFrom} for a chain of one. */
  private void runSingle(Request req) {
    // Written only when they change (see Request.load): most requests run alone, in slot 0.
    if (runMembers != chain) {
      runMembers = chain;
    }
    if (runLength != 1) {
      runLength = 1;
    }
    if (runIndex != 0) {
      runIndex = 0;
    }
    if (lastDeferred != null) {
      lastDeferred = null;
    }
    int res = req.def.op.issue(req, this);
    if (res == Op.DEFERRED && lastDeferred != null) {
      return; // completes later
    }
    if ((req.flags & SqeFlags.IOSQE_CQE_SKIP_SUCCESS) == 0 || !succeededAsChainMember(req, res)) {
      post(req, res, req.cqeFlags);
    }
  }

  /** Issues the members of a chain from one on, until one fails or completes later. */
  private void runFrom(Request[] members, int from, int length) {
    runMembers = members; // for defer(), which the op being issued may call
    runLength = length;
    for (int i = from; i < length; i++) {
      Request req = members[i];
      runIndex = i;
      if (req.opcode == Opcodes.IORING_OP_LINK_TIMEOUT) {
        // Its target completed first: the linked timeout is cancelled and the chain goes on. One
        // that fired was taken out of the chain (Linux's io_link_timeout_fn) and posts its own.
        if ((req.linkTimer == null || req.linkTimer.disarm())
            && (req.flags & SqeFlags.IOSQE_CQE_SKIP_SUCCESS) == 0) {
          post(req, -Errno.ECANCELED, 0);
        }
        continue;
      }
      boolean linkTimeout =
          i + 1 < length && members[i + 1].opcode == Opcodes.IORING_OP_LINK_TIMEOUT;
      if ((req.flags & SqeFlags.IOSQE_ASYNC) != 0 && OpTable.runsOnWorkers(req)) {
        // The rest of the chain goes along. A LINK_TIMEOUT after it is not armed now: Linux 6.18
        // arms one when the issue returns (__io_issue_sqe), on the worker: see workerDone.
        Pending pending = (Pending) defer(req);
        work.queue(pending);
        try {
          task.workers().execute(new Worker(this, pending));
        } catch (java.util.concurrent.RejectedExecutionException e) {
          work.unqueue(pending);
          pending.complete(-Errno.ECANCELED, 0, true); // the process is exiting
        }
        return;
      }
      lastDeferred = null;
      int res = req.def.op.issue(req, this);
      // DEFERRED is a value a NOP may also inject as its result: only an issue that handed the
      // request to defer() completes later.
      if (res == Op.DEFERRED && lastDeferred != null) {
        if (linkTimeout && lastDeferred != null && !lastDeferred.done) {
          armLinkTimeout(lastDeferred);
        }
        return; // the rest of the chain went with the deferred request
      }
      if (!completed(req, res, req.cqeFlags, members, i + 1, length)) {
        return;
      }
      if (runMembers != members) {
        // A completion run inside issue (a count-based timeout reached) ran another chain.
        runMembers = members;
        runLength = length;
      }
    }
  }

  /**
   * Arms the LINK_TIMEOUT that follows a request issued inline that completes later (a timeout), as
   * Linux's {@code io_queue_linked_timeout}: see {@link #postLinkTimeout} for when it fires first;
   * if the target completes first, the timeout posts {@code -ECANCELED}.
   */
  private void armLinkTimeout(Pending target) {
    Request timeout = target.rest[0];
    LinkTimer timer = new LinkTimer();
    timeout.linkTimer = timer;
    armedLinks.keySet().removeIf(t -> !t.linkTimer.pending()); // forget those decided since
    armedLinks.put(timeout, target);
    scheduleLinkTimeout(
        target, timer, iouring.core.op.Timeout.delay(timeout.timeoutNanos, timeout.opFlags));
  }

  /** Schedules (or reschedules) a linked timer; false if it is firing, fired or disarmed. */
  private boolean scheduleLinkTimeout(Pending target, LinkTimer timer, long delay) {
    int scheduling = timer.nextGeneration();
    if (scheduling < 0) {
      return false;
    }
    timer.future(
        Timeouts.TIMER.schedule(
            () -> fireLinkTimeout(target, timer, scheduling),
            Math.max(0, delay),
            java.util.concurrent.TimeUnit.NANOSECONDS));
    return true;
  }

  /**
   * Retimes an armed linked timeout, {@code IORING_LINK_TIMEOUT_UPDATE}, as Linux's {@code
   * io_linked_timeout_update}: found by its user_data among the armed ones, or {@code -ENOENT}; one
   * whose timer task has started firing is {@code -EALREADY}, as a running hrtimer callback. A
   * timer task scheduled with the old time no longer fires.
   *
   * @param userData the linked timeout's user_data
   * @param delay the new delay in nanoseconds
   * @return 0, {@code -EALREADY} or {@code -ENOENT}
   */
  @Override
  public int updateLinkTimeout(long userData, long delay) {
    lock.lock();
    try {
      for (java.util.Map.Entry<Request, Pending> e : armedLinks.entrySet()) {
        Request timeout = e.getKey();
        if (timeout.userData == userData && timeout.linkTimer.pending()) {
          return scheduleLinkTimeout(e.getValue(), timeout.linkTimer, delay) ? 0 : -Errno.EALREADY;
        }
      }
      return -Errno.ENOENT;
    } finally {
      lock.unlock();
    }
  }

  private void fireLinkTimeout(Pending target, LinkTimer timer, int scheduling) {
    if (!timer.startFiring(scheduling)) {
      return; // the target completed first, or the timeout was retimed
    }
    lock.lock();
    try {
      if (closed) {
        return; // the ring was freed as the timer fired: nothing posts on it any more
      }
      postLinkTimeout(target.rest[0], target.request.userData);
      cq.publish();
    } finally {
      lock.unlock();
    }
    notifyListenerIfDue();
  }

  /**
   * Posts the CQE of a LINK_TIMEOUT that fired before its target completed, as Linux's {@code
   * io_req_task_link_timeout}: the timeout leaves the chain, which now goes on from the target, and
   * cancels by the target's user_data as {@code ASYNC_CANCEL} would (the first match: a queued
   * request, or the oldest armed timeout, which need not be the target). Its result is {@code
   * -ETIME} when that cancelled something, else the cancel's error ({@code -ENOENT}, or {@code
   * -EALREADY} for a timeout that is firing); the target completes on its own, and its result
   * decides the rest of the chain. The CQEs of what it cancelled follow its own. Holds the lock.
   */
  private void postLinkTimeout(Request timeout, long targetUserData) {
    timeout.linkTimer.fired();
    armedLinks.remove(timeout);
    java.util.List<Completion> cancelled = new java.util.ArrayList<>(1);
    int ret = tryCancel(r -> r.userData == targetUserData, false, false, cancelled::add);
    if ((timeout.flags & SqeFlags.IOSQE_CQE_SKIP_SUCCESS) == 0) {
      post(timeout, ret == 0 ? -Errno.ETIME : ret, 0);
    }
    cq.timeoutCompleted();
    for (Completion c : cancelled) {
      c.complete(-Errno.ECANCELED, 0, true);
    }
  }

  /**
   * Posts a chain member's CQE and tells whether the chain goes on: a failure (an error, or a short
   * transfer) of a member that is not a hard link cancels the rest with {@code -ECANCELED}, whose
   * CQEs a failing member with {@code CQE_SKIP_SUCCESS} suppresses.
   */
  private boolean completed(
      Request req, int res, int cqeFlags, Request[] members, int next, int length) {
    boolean ok = succeededAsChainMember(req, res);
    if (!ok || (req.flags & SqeFlags.IOSQE_CQE_SKIP_SUCCESS) == 0) {
      post(req, res, cqeFlags);
    }
    if (next < length && members[next].linkTimer != null && members[next].linkTimer.due()) {
      postLinkTimeout(members[next], req.userData); // its time ran out on a worker: workerDone
    }
    if (!ok && (req.flags & SqeFlags.IOSQE_IO_HARDLINK) == 0 && next < length) {
      if ((req.flags & SqeFlags.IOSQE_CQE_SKIP_SUCCESS) == 0) {
        for (int j = next; j < length; j++) {
          Request m = members[j];
          if (m.opcode == Opcodes.IORING_OP_LINK_TIMEOUT
              && ((m.linkTimer != null && !m.linkTimer.disarm())
                  || (m.flags & SqeFlags.IOSQE_CQE_SKIP_SUCCESS) != 0)) {
            continue; // it fired and posted already, or it never posts
          }
          post(m, -Errno.ECANCELED, 0);
        }
      }
      return false;
    }
    if (next < length && members[next].linkTimer != null) {
      members[next].linkTimer.disarm(); // the target won the race: stop its linked timer
    }
    return true;
  }

  /** Whether a result lets a chain go on: success, or a timeout's ETIME with ETIME_SUCCESS. */
  private static boolean succeededAsChainMember(Request req, int res) {
    return req.succeeded(res)
        || (req.opcode == Opcodes.IORING_OP_TIMEOUT
            && res == -Errno.ETIME
            && (req.opFlags & iouring.api.abi.OpFlags.IORING_TIMEOUT_ETIME_SUCCESS) != 0);
  }

  /** Posts a CQE and counts it for the timeouts that count completions; holds the lock. */
  private void post(Request req, int res, int cqeFlags) {
    cq.post(req.userData, res, cqeFlags);
    if (req.opcode == iouring.api.abi.Opcodes.IORING_OP_TIMEOUT) {
      cq.timeoutCompleted(); // wakes a waiter even short of min_complete, as Linux
    } else {
      regularPosted++;
      if (timeouts.size() > 0) {
        timeouts.regularPosted(regularPosted);
      }
    }
  }

  @Override
  public Completion defer(Request req) {
    Request copy = new Request(memory).copyFrom(req);
    Request[] rest = new Request[runLength - runIndex - 1];
    for (int i = 0; i < rest.length; i++) {
      rest[i] = new Request(memory).copyFrom(runMembers[runIndex + 1 + i]);
    }
    inflight++;
    Pending pending = new Pending(copy, rest);
    lastDeferred = pending;
    return pending;
  }

  /** Armed linked timeouts (and their targets), for {@code IORING_LINK_TIMEOUT_UPDATE}; lock. */
  private final java.util.IdentityHashMap<Request, Pending> armedLinks =
      new java.util.IdentityHashMap<>();

  /** The request an op deferred during the current issue, for its LINK_TIMEOUT; lock held. */
  private Pending lastDeferred;

  /** A request that completes later, with the rest of its chain waiting for it. */
  private final class Pending implements Completion {
    private final Request request;
    private final Request[] rest;
    private boolean done; // guarded by lock

    Pending(Request request, Request[] rest) {
      this.request = request;
      this.rest = rest;
    }

    @Override
    public Request request() {
      return request;
    }

    @Override
    public boolean complete(int res, int cqeFlags, boolean last) {
      lock.lock();
      try {
        if (done) {
          return false;
        }
        if (!last) {
          post(request, res, cqeFlags); // a multishot CQE: the request goes on
          cq.publish();
          return true;
        }
        done = true;
        inflight--;
        if (completed(request, res, cqeFlags, rest, 0, rest.length) && rest.length > 0) {
          if (closed) {
            // As Linux once the ring is going away: the links of a request that completes fail
            // unrun (io_req_defer_failed), so nothing runs on a closed ring. A linked timeout
            // that fired has left the chain.
            for (Request m : rest) {
              if (m.linkTimer == null || m.linkTimer.disarm()) {
                post(m, -Errno.ECANCELED, 0);
              }
            }
          } else {
            runFrom(rest, 0, rest.length);
          }
        }
        if (inflight == 0) {
          runWaiting();
        }
        if (!submitting) {
          // The chain ran here, outside a batch (on a worker's or a timer's thread): no batch
          // end will unpin what its lookups pinned, and a table left pinned defers every close.
          unpinFiles();
        }
        cq.publish();
        return true;
      } finally {
        lock.unlock();
      }
    }
  }

  @Override
  public Timeouts timeouts() {
    return timeouts;
  }

  @Override
  public void message(long userData, int res, int cqeFlags) {
    if (lock.isHeldByCurrentThread()) {
      cq.post(userData, res, cqeFlags); // a message to itself: its batch publishes it
      return;
    }
    if (lock.tryLock()) {
      deliver(userData, res, cqeFlags);
      return;
    }
    // The target's lock is busy, maybe with a message to the sender: deliver from the timer
    // thread rather than wait, as Linux punts a contended MSG_RING to task work.
    Timeouts.TIMER.execute(
        () -> {
          lock.lock();
          deliver(userData, res, cqeFlags);
        });
  }

  /**
   * Posts a CQE from outside the ring's own batch; the caller holds the lock, which it releases.
   */
  private void deliver(long userData, int res, int cqeFlags) {
    try {
      cq.post(userData, res, cqeFlags);
      cq.publish();
    } finally {
      lock.unlock();
    }
    notifyListenerIfDue();
  }

  @Override
  public int sendFile(FileDescription file, int fileIndex, long userData, boolean postCqe) {
    boolean own = lock.isHeldByCurrentThread();
    try {
      if (!own && !lock.tryLock(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        file.release();
        return -Errno.EAGAIN; // a target busy for that long: the caller may retry
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      file.release();
      return -Errno.EINTR;
    }
    int res;
    try {
      if (closed) {
        file.release(); // a freed ring's table is never dropped again: it would keep the file
        return -Errno.EBADFD;
      }
      res = fixedFiles.install(file, fileIndex);
      if (res >= 0 && postCqe) {
        cq.post(userData, res, 0);
        if (!own) {
          cq.publish();
        }
      }
    } finally {
      if (!own) {
        lock.unlock();
      }
    }
    if (!own) {
      notifyListenerIfDue();
    }
    return res;
  }

  /**
   * Moves a request from queued to running as a worker picks it up.
   *
   * @return false if it was cancelled meanwhile, and then it is completed with {@code -ECANCELED}
   */
  boolean start(Completion c) {
    lock.lock();
    try {
      return work.start(c);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Completes a request a worker ran. A LINK_TIMEOUT after it starts, as on Linux 6.18, when the
   * issue returns ({@code __io_issue_sqe} arms it then), so it never cuts a worker's run short: if
   * its time has passed by the time the request completes, as a timeout of a few nanoseconds does,
   * it fired first and posts its CQE after the request's; otherwise it is disarmed ({@code
   * -ECANCELED}).
   *
   * @param c the request
   * @param res its result
   * @param cqeFlags its CQE flags
   * @param issued {@link System#nanoTime()} when its issue returned
   */
  void workerDone(Completion c, int res, int cqeFlags, long issued) {
    lock.lock();
    try {
      work.finished(c);
      Request[] rest = ((Pending) c).rest;
      if (rest.length > 0 && rest[0].opcode == Opcodes.IORING_OP_LINK_TIMEOUT) {
        Request timeout = rest[0];
        long now = System.nanoTime();
        long left =
            (timeout.opFlags & iouring.api.abi.OpFlags.IORING_TIMEOUT_ABS) != 0
                ? iouring.core.op.Timeout.delay(timeout.timeoutNanos, timeout.opFlags)
                : timeout.timeoutNanos - (now - issued);
        if (left <= 0) {
          timeout.linkTimer = new LinkTimer();
          timeout.linkTimer.expire();
        }
      }
      c.complete(res, cqeFlags, true);
    } finally {
      lock.unlock();
    }
    notifyListenerIfDue();
  }

  /**
   * Cancels requests in flight, as Linux's {@code __io_async_cancel}: {@link #tryCancel} until it
   * finds nothing more (once for a cancel of one), counting each success; then a last look at the
   * workers, where Linux walks the io-wq of every task that uses the ring. With {@code ALL} or
   * {@code ANY} each request is matched once (Linux's {@code cancel_seq}), so a running request is
   * found, and not counted, once. What Linux counts is what this counts: each call that found
   * something, whatever it found; so queued work cancelled alongside a running match, or several
   * queued requests cancelled by one call, count once or not at all (6.18, probe {@code
   * cancel-running.c}).
   */
  @Override
  public int cancel(java.util.function.Predicate<Request> match, int cancelFlags) {
    boolean all =
        (cancelFlags & (OpFlags.IORING_ASYNC_CANCEL_ALL | OpFlags.IORING_ASYNC_CANCEL_ANY)) != 0;
    boolean byFd = (cancelFlags & OpFlags.IORING_ASYNC_CANCEL_FD) != 0;
    java.util.function.Predicate<Request> once = match;
    if (all) {
      java.util.Set<Request> seen =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      once = r -> match.test(r) && seen.add(r);
    }
    java.util.function.Consumer<Completion> cancelled = c -> c.complete(-Errno.ECANCELED, 0, true);
    int found = 0;
    while (true) {
      int ret = tryCancel(once, all, byFd, cancelled);
      if (ret == -Errno.ENOENT) {
        break;
      }
      if (!all) {
        return ret;
      }
      found++;
    }
    int ret = work.cancel(once, all, cancelled);
    if (ret != -Errno.ENOENT && all) {
      found++;
    }
    return all ? found : ret;
  }

  /**
   * Looks for a request to cancel, as Linux's {@code io_try_cancel}: work on the workers first; if
   * that cancelled nothing (a running match is no success: Linux falls through), the oldest armed
   * timeout that matches, except when matching by fd.
   *
   * @return 0, {@code -EALREADY} for a timeout that is firing, or {@code -ENOENT}
   */
  private int tryCancel(
      java.util.function.Predicate<Request> match,
      boolean all,
      boolean byFd,
      java.util.function.Consumer<Completion> cancelled) {
    if (work.cancel(match, all, cancelled) == 0) {
      return 0;
    }
    return byFd ? -Errno.ENOENT : timeouts.cancel(match, cancelled);
  }

  /** Returns the regular CQE count at the start of the current batch; holds the lock. */
  long regularAtBatchStart() {
    return regularAtBatchStart;
  }

  /** Returns the regular CQE count; holds the lock. */
  long regularPosted() {
    return regularPosted;
  }

  /** Tells the completion listener about CQEs posted outside a submission (timers, workers). */
  void notifyListenerIfDue() {
    if (completionListener == null) {
      return;
    }
    boolean notify;
    lock.lock();
    try {
      notify = cq.takeNotification();
    } finally {
      lock.unlock();
    }
    if (notify) {
      notifyListener();
    }
  }

  /** The generic checks of Linux's {@code io_init_req}, in its order, then the op's prep. */
  private int init(Request req) {
    OpTable.Def def = req.def;
    if (def == null) {
      return -Errno.EINVAL;
    }
    int flags = req.flags;
    if ((flags & ~VALID_SQE_FLAGS) != 0) {
      return -Errno.EINVAL;
    }
    if ((flags & SqeFlags.IOSQE_BUFFER_SELECT) != 0 && !def.bufferSelect) {
      return -Errno.EOPNOTSUPP;
    }
    if ((flags & SqeFlags.IOSQE_CQE_SKIP_SUCCESS) != 0) {
      drainDisabled = true;
    }
    if ((flags & SqeFlags.IOSQE_IO_DRAIN) != 0) {
      if (drainDisabled) {
        return -Errno.EOPNOTSUPP;
      }
      req.drained = true;
    }
    if (req.ioprio != 0 && !def.ioprio) {
      return -Errno.EINVAL;
    }
    if (restricted && !restrictions.allows(req.opcode, flags)) {
      return -Errno.EACCES;
    }
    if (req.personality != 0) {
      return -Errno.EINVAL; // no personality can be registered
    }
    return def.op.prep(req, this);
  }

  /**
   * The checks {@link #register} makes before an opcode the process carries out itself ({@code
   * REGISTER_RING_FDS}, {@code UNREGISTER_RING_FDS}): a {@code SINGLE_ISSUER} ring registers from
   * its own thread, and a restricted ring only what its restrictions allow.
   *
   * @param opcode the {@code IORING_REGISTER_*} opcode, without flags
   * @throws ErrnoException {@code EEXIST} or {@code EACCES}
   */
  public void checkRegister(int opcode) {
    checkSubmitter();
    lock.lock();
    try {
      checkRestricted(opcode);
    } finally {
      lock.unlock();
    }
  }

  private void checkSubmitter() {
    Thread owner = submitter;
    if (owner != null && owner != Thread.currentThread()) {
      throw new ErrnoException(Errno.EEXIST, "a SINGLE_ISSUER ring registers from its own thread");
    }
  }

  private void checkRestricted(int opcode) {
    if (restricted
        && opcode >= 0
        && opcode < RegisterOpcodes.IORING_REGISTER_LAST
        && !restrictions.allowsRegister(opcode)) {
      throw new ErrnoException(Errno.EACCES, RegisterOpcodes.name(opcode) + " is restricted");
    }
  }

  /**
   * Registers or unregisters ring resources, the ring half of {@code io_uring_register(2)}.
   *
   * @param opcode the {@code IORING_REGISTER_*} opcode
   * @param arg the argument's user address
   * @param nrArgs the argument count
   * @return the result
   * @throws ErrnoException as Linux for the supported opcodes, {@code EINVAL} for the others
   */
  public int register(int opcode, long arg, int nrArgs) {
    checkSubmitter();
    lock.lock();
    try {
      checkRestricted(opcode);
      switch (opcode) {
        case RegisterOpcodes.IORING_REGISTER_RESTRICTIONS:
          return registerRestrictions(arg, nrArgs);
        case RegisterOpcodes.IORING_REGISTER_ENABLE_RINGS:
          if (arg != 0 || nrArgs != 0) {
            throw new ErrnoException(Errno.EINVAL, "ENABLE_RINGS takes no argument");
          }
          return enable();
        case RegisterOpcodes.IORING_REGISTER_BUFFERS:
          if (arg == 0) {
            // Linux checks the pointer in io_uring_register, before the table is looked at.
            throw new ErrnoException(Errno.EFAULT, "no iovec array");
          }
          registerBuffers(arg, nrArgs);
          return 0;
        case RegisterOpcodes.IORING_UNREGISTER_BUFFERS:
          if (arg != 0 || nrArgs != 0) {
            throw new ErrnoException(Errno.EINVAL, "unregister takes no argument");
          }
          if (buffers.size() == 0) {
            throw new ErrnoException(Errno.ENXIO, "no buffers are registered");
          }
          buffers = BufferTable.EMPTY;
          return 0;
        case RegisterOpcodes.IORING_REGISTER_PROBE:
          return probe(arg, nrArgs);
        case RegisterOpcodes.IORING_REGISTER_FILES:
          if (arg == 0) {
            throw new ErrnoException(Errno.EFAULT, "no fd array");
          }
          registerFiles(arg, nrArgs);
          return 0;
        case RegisterOpcodes.IORING_REGISTER_FILES2:
          return registerFiles2(arg, nrArgs);
        case RegisterOpcodes.IORING_UNREGISTER_FILES:
          if (arg != 0 || nrArgs != 0) {
            throw new ErrnoException(Errno.EINVAL, "unregister takes no argument");
          }
          if (fixedFiles.size() == 0) {
            throw new ErrnoException(Errno.ENXIO, "no files are registered");
          }
          FileTable old = fixedFiles;
          fixedFiles = FileTable.NONE;
          old.releaseAll();
          return 0;
        case RegisterOpcodes.IORING_REGISTER_FILES_UPDATE:
          return updateFiles(arg, nrArgs);
        case RegisterOpcodes.IORING_REGISTER_FILES_UPDATE2:
          return updateFiles2(arg, nrArgs);
        case RegisterOpcodes.IORING_REGISTER_FILE_ALLOC_RANGE:
          return fileAllocRange(arg, nrArgs);
        case RegisterOpcodes.IORING_REGISTER_BUFFERS2:
          return registerBuffers2(arg, nrArgs);
        case RegisterOpcodes.IORING_REGISTER_BUFFERS_UPDATE:
          return updateBuffers(arg, nrArgs);
        case RegisterOpcodes.IORING_REGISTER_PBUF_RING:
          return registerBufRing(arg, nrArgs);
        case RegisterOpcodes.IORING_UNREGISTER_PBUF_RING:
          return unregisterBufRing(arg, nrArgs);
        case RegisterOpcodes.IORING_REGISTER_PBUF_STATUS:
          return bufRingStatus(arg, nrArgs);
        default:
          throw new ErrnoException(
              Errno.EINVAL, RegisterOpcodes.name(opcode) + " is unknown or not supported");
      }
    } finally {
      lock.unlock();
    }
  }

  /** {@code IORING_REGISTER_RESTRICTIONS}, Linux's {@code io_register_restrictions}. */
  private int registerRestrictions(long arg, int nr) {
    if (!disabled) {
      throw new ErrnoException(Errno.EBADFD, "restrictions need a ring created disabled");
    }
    if (restrictions != null) {
      throw new ErrnoException(Errno.EBUSY, "restrictions are already registered");
    }
    if (arg == 0 || Integer.compareUnsigned(nr, MAX_RESTRICTIONS) > 0) {
      throw new ErrnoException(Errno.EINVAL, "no array, or over " + MAX_RESTRICTIONS + " entries");
    }
    ByteBuffer in = nr == 0 ? ByteBuffer.allocate(0) : userStruct(arg, nr * RestrictionLayout.SIZE);
    restrictions = Restrictions.parse(in, nr); // throws EINVAL and keeps none on a bad entry
    return 0;
  }

  /**
   * {@code IORING_REGISTER_BUFFERS2}: a {@code struct io_uring_rsrc_register} of size {@code
   * nrArgs}; {@code IORING_RSRC_REGISTER_SPARSE} or a NULL array registers empty slots. Tags are
   * refused with {@code EINVAL}, as for files.
   */
  private int registerBuffers2(long arg, int size) {
    RsrcArg r = rsrcRegister(arg, size);
    registerBuffers(r.data(), r.nr());
    return 0;
  }

  /** Registers the buffer table, {@code EBUSY} if one exists; a NULL array: all slots empty. */
  private void registerBuffers(long iovecs, int nr) {
    if (buffers.size() > 0) {
      throw new ErrnoException(Errno.EBUSY, "buffers are already registered");
    }
    buffers = BufferTable.register(memory, iovecs, nr, maxRegisteredBuffers);
  }

  /**
   * {@code IORING_REGISTER_BUFFERS_UPDATE}: a {@code struct io_uring_rsrc_update2} of size {@code
   * nrArgs}; returns the slots updated, or the first slot's error.
   */
  private int updateBuffers(long arg, int size) {
    RsrcArg u = rsrcUpdate2(arg, size);
    if (buffers.size() == 0) {
      throw new ErrnoException(Errno.ENXIO, "no buffers are registered");
    }
    BufferTable.Update result = buffers.update(memory, u.offset(), u.data(), u.nr());
    buffers = result.table();
    if (result.done() == 0) {
      throw new ErrnoException(result.errno(), "updating registered buffers");
    }
    return result.done();
  }

  /** Size of {@code struct io_uring_buf_status}: buf_group u32, head u32, resv u32[8]. */
  private static final int BUF_STATUS_SIZE = 40;

  /**
   * {@code IORING_REGISTER_PBUF_RING}, Linux's {@code io_register_pbuf_ring}, for rings in the
   * application's memory. Deviation: {@code IOU_PBUF_RING_MMAP} (a ring the kernel allocates) and
   * {@code IOU_PBUF_RING_INC} (incremental consumption) are not implemented and give {@code
   * EINVAL}, as a kernel without them.
   */
  private int registerBufRing(long arg, int nrArgs) {
    if (arg == 0 || nrArgs != 1) {
      throw new ErrnoException(Errno.EINVAL, "PBUF_RING takes one io_uring_buf_reg");
    }
    ByteBuffer reg = userStruct(arg, BufRingLayout.REG_SIZE);
    long ringAddr = reg.getLong(BufRingLayout.REG_OFF_RING_ADDR);
    int entries = reg.getInt(BufRingLayout.REG_OFF_RING_ENTRIES);
    int group = Short.toUnsignedInt(reg.getShort(BufRingLayout.REG_OFF_BGID));
    int flags = Short.toUnsignedInt(reg.getShort(BufRingLayout.REG_OFF_FLAGS));
    checkResvZero(reg, BufRingLayout.REG_OFF_RESV, BufRingLayout.REG_SIZE);
    if ((flags & ~(OpFlags.IOU_PBUF_RING_MMAP | OpFlags.IOU_PBUF_RING_INC)) != 0) {
      throw new ErrnoException(Errno.EINVAL, "unknown flags 0x" + Integer.toHexString(flags));
    }
    if (entries <= 0 || (entries & (entries - 1)) != 0 || entries >= 65536) {
      throw new ErrnoException(Errno.EINVAL, "ring_entries " + entries);
    }
    int err = providedBuffers.ringAllowed(group);
    if (err < 0) {
      throw new ErrnoException(-err, "buffer group " + group + " is in use");
    }
    if (flags != 0) {
      throw new ErrnoException(Errno.EINVAL, "MMAP and INC buffer rings are not supported yet");
    }
    if (ringAddr == 0) {
      throw new ErrnoException(Errno.EFAULT, "ring_addr is NULL");
    }
    if ((ringAddr & (UserMemory.PAGE_SIZE - 1)) != 0) {
      throw new ErrnoException(Errno.EINVAL, "ring_addr is not page aligned");
    }
    ByteBuffer mem = memory.slice(ringAddr, entries * BufRingLayout.SIZE, true);
    if (mem == null) {
      throw new ErrnoException(Errno.EFAULT, "the ring is not mapped writable");
    }
    err = providedBuffers.registerRing(group, mem, entries);
    if (err < 0) {
      throw new ErrnoException(-err, "buffer group " + group + " is in use");
    }
    return 0;
  }

  /** {@code IORING_UNREGISTER_PBUF_RING}: an {@code io_uring_buf_reg} naming the group. */
  private int unregisterBufRing(long arg, int nrArgs) {
    if (arg == 0 || nrArgs != 1) {
      throw new ErrnoException(Errno.EINVAL, "UNREGISTER_PBUF_RING takes one io_uring_buf_reg");
    }
    ByteBuffer reg = userStruct(arg, BufRingLayout.REG_SIZE);
    checkResvZero(reg, BufRingLayout.REG_OFF_RESV, BufRingLayout.REG_SIZE);
    if (reg.getShort(BufRingLayout.REG_OFF_FLAGS) != 0) {
      throw new ErrnoException(Errno.EINVAL, "flags are set");
    }
    int err =
        providedBuffers.unregisterRing(
            Short.toUnsignedInt(reg.getShort(BufRingLayout.REG_OFF_BGID)));
    if (err < 0) {
      throw new ErrnoException(-err, "no buffer ring for that group");
    }
    return 0;
  }

  /** {@code IORING_REGISTER_PBUF_STATUS}: writes the ring's head into the struct's {@code head}. */
  private int bufRingStatus(long arg, int nrArgs) {
    if (arg == 0 || nrArgs != 1) {
      throw new ErrnoException(Errno.EINVAL, "PBUF_STATUS takes one io_uring_buf_status");
    }
    ByteBuffer status = userStruct(arg, BUF_STATUS_SIZE);
    checkResvZero(status, 8, BUF_STATUS_SIZE);
    int head = providedBuffers.ringHead(status.getInt(0));
    if (head < 0) {
      throw new ErrnoException(-head, "no buffer ring for that group");
    }
    ByteBuffer out = memory.slice(arg + 4, 4, true);
    if (out == null) {
      throw new ErrnoException(Errno.EFAULT, "io_uring_buf_status is not writable");
    }
    out.putInt(0, head);
    return 0;
  }

  private static void checkResvZero(ByteBuffer struct, int from, int to) {
    for (int i = from; i < to; i += 4) {
      if (struct.getInt(i) != 0) {
        throw new ErrnoException(Errno.EINVAL, "a reserved field is set");
      }
    }
  }

  /**
   * With {@code IORING_SETUP_DEFER_TASKRUN}, makes the CQ show what completes outside the
   * submitter's own calls only when the submitter next waits or submits ({@link
   * CompletionQueue#deferTo}).
   */
  private void deferCompletions() {
    if ((setupFlags & IORING_SETUP_DEFER_TASKRUN) != 0) {
      cq.deferTo(submitter, (setupFlags & IORING_SETUP_TASKRUN_FLAG) != 0);
    }
  }

  /** {@code IORING_REGISTER_ENABLE_RINGS}, Linux's {@code io_register_enable_rings}. */
  private int enable() {
    if (!disabled) {
      throw new ErrnoException(Errno.EBADFD, "the ring is enabled already");
    }
    if ((setupFlags & IORING_SETUP_SINGLE_ISSUER) != 0) {
      submitter = Thread.currentThread();
      deferCompletions();
    }
    restricted = restrictions != null;
    disabled = false;
    if (sqPoller != null) {
      sqPoller.wake();
    }
    return 0;
  }

  /**
   * Returns whether the ring was created disabled and not enabled since.
   *
   * @return whether enter must fail with {@code EBADFD}
   */
  public boolean disabled() {
    return disabled;
  }

  private void registerFiles(long fds, int nr) {
    if (fixedFiles.size() > 0) {
      throw new ErrnoException(Errno.EBUSY, "files are already registered");
    }
    fixedFiles = FileTable.register(files, memory, fds, nr, task.limits().fdLimit());
  }

  /**
   * {@code IORING_REGISTER_FILES2}, Linux's {@code io_register_rsrc}: a {@code struct
   * io_uring_rsrc_register}, whose size is {@code nrArgs}. Linux posts a CQE carrying a slot's tag
   * when the slot's file is released; we post none, so non-zero tags are refused with {@code
   * EINVAL} (and {@code IORING_FEAT_RSRC_TAGS} is not reported).
   */
  private int registerFiles2(long arg, int size) {
    RsrcArg r = rsrcRegister(arg, size);
    registerFiles(r.data(), r.nr());
    return 0;
  }

  /** The fields of a checked {@code io_uring_rsrc_register} or {@code io_uring_rsrc_update2}. */
  private record RsrcArg(int offset, long data, int nr) {}

  /**
   * Reads and checks a {@code struct io_uring_rsrc_register} of size {@code size}, as Linux's
   * {@code io_register_rsrc}: the size, {@code nr}, {@code resv2}, the flags, {@code SPARSE} with
   * an array; tags are not supported ({@code EINVAL}).
   */
  private RsrcArg rsrcRegister(long arg, int size) {
    if (size != RsrcLayout.REGISTER_SIZE) {
      throw new ErrnoException(Errno.EINVAL, "io_uring_rsrc_register of " + size + " bytes");
    }
    ByteBuffer rr = userStruct(arg, RsrcLayout.REGISTER_SIZE);
    int nr = rr.getInt(RsrcLayout.REGISTER_OFF_NR);
    int flags = rr.getInt(RsrcLayout.REGISTER_OFF_FLAGS);
    long data = rr.getLong(RsrcLayout.REGISTER_OFF_DATA);
    if (nr == 0 || rr.getLong(RsrcLayout.REGISTER_OFF_RESV2) != 0) {
      throw new ErrnoException(Errno.EINVAL, "nr is 0 or resv2 is set");
    }
    if ((flags & ~OpFlags.IORING_RSRC_REGISTER_SPARSE) != 0) {
      throw new ErrnoException(Errno.EINVAL, "unknown flags 0x" + Integer.toHexString(flags));
    }
    if ((flags & OpFlags.IORING_RSRC_REGISTER_SPARSE) != 0 && data != 0) {
      throw new ErrnoException(Errno.EINVAL, "a sparse table with an array");
    }
    if (rr.getLong(RsrcLayout.REGISTER_OFF_TAGS) != 0) {
      throw new ErrnoException(Errno.EINVAL, "resource tags are not supported");
    }
    return new RsrcArg(0, data, nr);
  }

  /**
   * Reads and checks a {@code struct io_uring_rsrc_update2} of size {@code size}, as Linux's {@code
   * io_register_rsrc_update}; tags are not supported ({@code EINVAL}).
   */
  private RsrcArg rsrcUpdate2(long arg, int size) {
    if (size != RsrcLayout.UPDATE2_SIZE) {
      throw new ErrnoException(Errno.EINVAL, "io_uring_rsrc_update2 of " + size + " bytes");
    }
    ByteBuffer up = userStruct(arg, RsrcLayout.UPDATE2_SIZE);
    int nr = up.getInt(RsrcLayout.UPDATE2_OFF_NR);
    if (nr == 0
        || up.getInt(RsrcLayout.UPDATE2_OFF_RESV) != 0
        || up.getInt(RsrcLayout.UPDATE2_OFF_RESV2) != 0) {
      throw new ErrnoException(Errno.EINVAL, "nr is 0 or a reserved field is set");
    }
    if (up.getLong(RsrcLayout.UPDATE2_OFF_TAGS) != 0) {
      throw new ErrnoException(Errno.EINVAL, "resource tags are not supported");
    }
    return new RsrcArg(
        up.getInt(RsrcLayout.UPDATE2_OFF_OFFSET), up.getLong(RsrcLayout.UPDATE2_OFF_DATA), nr);
  }

  /** {@code IORING_REGISTER_FILES_UPDATE}: a {@code struct io_uring_files_update}, nr fds. */
  private int updateFiles(long arg, int nr) {
    if (nr == 0) {
      throw new ErrnoException(Errno.EINVAL, "no fds to update");
    }
    ByteBuffer up = userStruct(arg, RsrcLayout.UPDATE_SIZE);
    if (up.getInt(RsrcLayout.UPDATE_OFF_RESV) != 0) {
      throw new ErrnoException(Errno.EINVAL, "resv is set");
    }
    return updateFiles(
        up.getInt(RsrcLayout.UPDATE_OFF_OFFSET), up.getLong(RsrcLayout.UPDATE_OFF_DATA), nr);
  }

  /** {@code IORING_REGISTER_FILES_UPDATE2}: a {@code struct io_uring_rsrc_update2} of nrArgs. */
  private int updateFiles2(long arg, int size) {
    RsrcArg u = rsrcUpdate2(arg, size);
    return updateFiles(u.offset(), u.data(), u.nr());
  }

  /** Linux's {@code __io_register_rsrc_update} for files; the caller holds the lock. */
  private int updateFiles(int offset, long fds, int nr) {
    if (Integer.toUnsignedLong(offset) + Integer.toUnsignedLong(nr) > 0xffff_ffffL) {
      throw new ErrnoException(Errno.EOVERFLOW, "update range wraps");
    }
    int res = fixedFiles.update(files, memory, offset, fds, nr);
    if (res < 0) {
      throw new ErrnoException(-res, "updating registered files");
    }
    return res;
  }

  /** {@code IORING_REGISTER_FILE_ALLOC_RANGE}: a {@code struct io_uring_file_index_range}. */
  private int fileAllocRange(long arg, int nrArgs) {
    if (arg == 0 || nrArgs != 0) {
      throw new ErrnoException(Errno.EINVAL, "alloc range takes a struct and nr 0");
    }
    // struct io_uring_file_index_range { u32 off; u32 len; u64 resv; }
    ByteBuffer range = userStruct(arg, 16);
    int off = range.getInt(0);
    int len = range.getInt(4);
    long resv = range.getLong(8);
    long end = Integer.toUnsignedLong(off) + Integer.toUnsignedLong(len);
    if (end > 0xffff_ffffL) {
      throw new ErrnoException(Errno.EOVERFLOW, "alloc range wraps");
    }
    if (resv != 0) {
      throw new ErrnoException(Errno.EINVAL, "resv is set");
    }
    fixedFiles.allocRange(off, len);
    return 0;
  }

  /** Returns a native-order copy of a struct in user memory, or throws {@code EFAULT}. */
  private ByteBuffer userStruct(long arg, int size) {
    ByteBuffer in = arg == 0 ? null : memory.slice(arg, size, false);
    if (in == null) {
      throw new ErrnoException(Errno.EFAULT, "struct at 0x" + Long.toHexString(arg));
    }
    ByteBuffer copy = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    copy.put(0, in, 0, size);
    return copy;
  }

  /**
   * Fills a {@code struct io_uring_probe}, marking exactly the implemented opcodes. As Linux's
   * {@code io_probe}, only the slots of opcodes that exist are read, checked and written, however
   * many the caller offers, so a buffer sized for {@code IORING_OP_LAST} ops suffices.
   */
  private int probe(long arg, int nrArgs) {
    if (arg == 0 || Integer.compareUnsigned(nrArgs, 256) > 0) {
      throw new ErrnoException(
          Errno.EINVAL,
          "probe of " + Integer.toUnsignedString(nrArgs) + (arg == 0 ? " ops at NULL" : " ops"));
    }
    int count = Math.min(nrArgs, iouring.api.abi.Opcodes.IORING_OP_LAST);
    int size = ProbeLayout.SIZE + count * ProbeLayout.OP_SIZE;
    ByteBuffer in = memory.slice(arg, size, true);
    if (in == null) {
      throw new ErrnoException(Errno.EFAULT, "probe buffer is not mapped");
    }
    for (int i = 0; i < size; i++) {
      if (in.get(i) != 0) {
        throw new ErrnoException(Errno.EINVAL, "probe buffer is not zeroed");
      }
    }
    in.put(ProbeLayout.OFF_LAST_OP, (byte) (iouring.api.abi.Opcodes.IORING_OP_LAST - 1));
    in.put(ProbeLayout.OFF_OPS_LEN, (byte) count);
    for (int op = 0; op < count; op++) {
      int at = ProbeLayout.SIZE + op * ProbeLayout.OP_SIZE;
      in.put(at + ProbeLayout.OP_OFF_OP, (byte) op);
      if (OpTable.get(op).supported()) {
        in.putShort(
            at + ProbeLayout.OP_OFF_FLAGS, (short) iouring.api.abi.OpFlags.IO_URING_OP_SUPPORTED);
      }
    }
    return 0;
  }

  /** Ends the fd table pin of {@link #file}, if one was taken; the caller holds the lock. */
  private void unpinFiles() {
    if (pinned) {
      pinned = false;
      files.unpin();
    }
  }

  @Override
  public FileDescription file(int fd, boolean fixed) {
    if (fixed) {
      return fixedFiles.get(fd); // slots change only under the ring lock, which the batch holds
    }
    if (!pinned) {
      files.pin(); // once per batch or completion, before the first lookup; unpinFiles ends it
      pinned = true;
    }
    FileDescription file = files.get(fd);
    return file != null && usableForIo(file) ? file : null;
  }

  /**
   * Returns whether a file can be operated on: {@code fget()} refuses {@code O_PATH} files, which
   * name a place in the tree, not a file to operate on.
   */
  static boolean usableForIo(FileDescription file) {
    return !(file instanceof OpenFile && (((OpenFile) file).flags() & FileFlags.O_PATH) != 0);
  }

  @Override
  public Task task() {
    return task;
  }

  @Override
  public UserMemory memory() {
    return memory;
  }

  @Override
  public BufferTable buffers() {
    return buffers;
  }

  @Override
  public FileTable fixedFiles() {
    return fixedFiles;
  }

  @Override
  public ProvidedBuffers providedBuffers() {
    return providedBuffers;
  }

  @Override
  public int setupFlags() {
    return setupFlags;
  }

  /**
   * Describes the ring for diagnostics: sizes, the shared indexes, what was consumed and posted,
   * and the overflow state.
   *
   * @return one line of text
   */
  public String describe() {
    lock.lock();
    try {
      java.nio.ByteBuffer r = ringMemory.rings;
      return String.format(
          "io_uring sq=%d cq=%d flags=0x%x sq.head=%d sq.tail=%d cq.head=%d cq.tail=%d"
              + " consumed=%d posted=%d backlog=%d sq_dropped=%d cq_overflow=%d buffers=%d",
          sqEntries,
          layout.cqEntries,
          setupFlags,
          r.getInt(RingLayout.SQ_HEAD),
          r.getInt(RingLayout.SQ_TAIL),
          r.getInt(RingLayout.CQ_HEAD),
          r.getInt(RingLayout.CQ_TAIL),
          consumed,
          cq.posted(),
          cq.backlogSize(),
          Integer.toUnsignedLong(r.getInt(RingLayout.SQ_DROPPED)),
          Integer.toUnsignedLong(r.getInt(RingLayout.CQ_OVERFLOW)),
          buffers.size());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isIoUring() {
    return true;
  }

  /**
   * Returns the timer tasks this ring has scheduled that have neither run nor been cancelled: its
   * armed timeouts and armed linked timeouts. Zero once the ring is freed.
   *
   * @return the count
   */
  public int pendingTimers() {
    lock.lock();
    try {
      int n = timeouts.size();
      for (Request timeout : armedLinks.keySet()) {
        if (timeout.linkTimer.armed()) {
          n++;
        }
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Tears the ring down as Linux's ring exit does ({@code io_ring_exit_work}): cancels its timers
   * and linked timers, completes work still queued for a worker with {@code -ECANCELED} (so it
   * never runs), stops the SQPOLL thread, drops the chains waiting behind a drain and the
   * registered files' references. Work a worker is already running finishes on its own, as the
   * worker is never interrupted (an interrupt would close a host {@code FileChannel} for all its
   * users); it then releases its files, and the rest of its chain fails unrun. Closing waits for
   * the ring lock, so for a request being issued inline at that moment (by an SQPOLL thread or
   * another thread's enter). Deviation: Linux frees a ring only once its rings are unmapped too,
   * since a mapping holds the file; the views {@link #mmap} returns hold nothing, so the last fd
   * close frees it (liburing unmaps before it closes). The memory is the garbage collector's.
   * Registered buffers stay reachable until the ring is, so an enter racing the close still finds
   * them, as on Linux, where enter holds the file.
   */
  @Override
  protected void free() {
    task.unchargeRingMemory((long) layout.ringsSize() + layout.sqesSize());
    lock.lock();
    try {
      closed = true;
      timeouts.cancelAll(); // no timer outlives its ring
      if (!armedLinks.isEmpty()) {
        for (Request timeout : armedLinks.keySet()) {
          timeout.linkTimer.disarm(); // cancels its timer task
        }
        armedLinks.clear();
      }
      for (Completion c : work.takeQueued()) {
        c.complete(-Errno.ECANCELED, 0, true); // its worker finds it gone and returns
      }
      if (sqPoller != null) {
        sqPoller.stop(); // nor its SQPOLL thread
      }
      waiting.clear();
      FileTable old = fixedFiles;
      fixedFiles = FileTable.NONE;
      old.releaseAll();
    } finally {
      lock.unlock();
    }
  }
}
