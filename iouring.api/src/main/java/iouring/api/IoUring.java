package iouring.api;

import static iouring.api.abi.EnterFlags.IORING_ENTER_EXT_ARG;
import static iouring.api.abi.EnterFlags.IORING_ENTER_GETEVENTS;
import static iouring.api.abi.EnterFlags.IORING_ENTER_REGISTERED_RING;
import static iouring.api.abi.EnterFlags.IORING_ENTER_SQ_WAKEUP;
import static iouring.api.abi.ParamsLayout.*;
import static iouring.api.abi.SetupFlags.IORING_SETUP_CQE32;
import static iouring.api.abi.SetupFlags.IORING_SETUP_IOPOLL;
import static iouring.api.abi.SetupFlags.IORING_SETUP_NO_SQARRAY;
import static iouring.api.abi.SetupFlags.IORING_SETUP_SQE128;
import static iouring.api.abi.SetupFlags.IORING_SETUP_SQPOLL;

import iouring.api.abi.CqeLayout;
import iouring.api.abi.Errno;
import iouring.api.abi.Features;
import iouring.api.abi.GeteventsArgLayout;
import iouring.api.abi.IovecLayout;
import iouring.api.abi.MmapOffsets;
import iouring.api.abi.OpFlags;
import iouring.api.abi.ProbeLayout;
import iouring.api.abi.RegisterOpcodes;
import iouring.api.abi.RingFlags;
import iouring.api.abi.RsrcLayout;
import iouring.api.abi.SqeLayout;
import iouring.api.abi.TimespecLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A ring and the application's view of it: the Java spelling of liburing's {@code struct io_uring},
 * built only on {@link IoUringProcess} and the ring memory its {@code mmap} returns, so it works
 * over any implementation of that interface.
 *
 * <p>The verbs are liburing's, in camelCase:
 *
 * <ul>
 *   <li>setup and teardown: {@link #queueInit(IoUringProcess, int, IoUringParams)} ({@code
 *       io_uring_queue_init_params}), {@link #queueInit(IoUringProcess, int, int)} ({@code
 *       io_uring_queue_init}), {@link #close()} ({@code io_uring_queue_exit});
 *   <li>submission: {@link #getSqe()}, the {@code prep*} methods of {@link Sqe}, {@link #submit()},
 *       {@link #submitAndWait(int)}, {@link #sqReady()}, {@link #sqSpaceLeft()};
 *   <li>completion: {@link #peekCqe()}, {@link #waitCqe()}, {@link #waitCqe(long, TimeUnit)}
 *       ({@code io_uring_wait_cqe_timeout}), {@link #peekBatchCqe(Cqe[])}, {@link #cqeSeen(Cqe)},
 *       {@link #cqAdvance(int)}, {@link #cqReady()}, {@link #cqHasOverflow()};
 *   <li>registration: {@link #registerBuffers(ByteBuffer...)}, {@link #unregisterBuffers()}, {@link
 *       #opSupported(int)} ({@code io_uring_get_probe_ring} with {@code
 *       io_uring_opcode_supported}).
 * </ul>
 *
 * <p>A round trip:
 *
 * <pre>{@code
 * try (IoUring ring = IoUring.queueInit(process, 8, 0)) {
 *   ring.getSqe().prepRead(fd, bufAddress, 4096, 0).userData(1);
 *   ring.submit();
 *   Cqe cqe = ring.waitCqe();
 *   int res = cqe.res();
 *   ring.cqeSeen(cqe);
 * }
 * }</pre>
 *
 * <p>Memory ordering is liburing's: the SQ tail is published with a release store after the SQEs
 * are written, the SQ head is read with an acquire load, the CQ tail with an acquire load before
 * the CQEs are read, and the CQ head is stored with release after they are read. The {@link Sqe}
 * and {@link Cqe} objects are created once per slot here, so submitting and reaping allocate
 * nothing.
 *
 * <p>Not safe for concurrent use, like {@code struct io_uring}: one thread may submit while another
 * reaps, but each side, and registration, must be used by one thread at a time.
 */
public final class IoUring implements AutoCloseable {
  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  // The scratch buffer, mapped once in the process: the wait argument of waitCqe(timeout) and
  // its timespec, then room for the arguments of io_uring_register.
  private static final int SCRATCH_SIZE = 4096;
  private static final int SCRATCH_ARG = 0;
  private static final int SCRATCH_TS = 32;
  private static final int SCRATCH_REGISTER = 64;

  /** Probe entries asked for, as liburing's {@code io_uring_get_probe_ring}. */
  private static final int PROBE_OPS = 256;

  /** {@code _NSIG / 8}, the signal mask size liburing passes even without a mask. */
  private static final int SIGSET_SIZE = 8;

  private static final long[] NO_BUFFERS = new long[0];

  private final IoUringProcess process;
  private final int setupFlags;
  private final ByteBuffer sqRing;
  private final ByteBuffer cqRing;

  // The same memory for the hot paths when MemoryView.RAW: on that path a view's accessors are
  // the fast ones, and without it the buffers are called directly (see MemoryView).
  private final MemoryView sqView;
  private final MemoryView cqView;
  private final int sqHeadOffset;
  private final int sqTailOffset;
  private final int sqFlagsOffset;
  private final int cqHeadOffset;
  private final int cqTailOffset;
  private final int sqMask;
  private final int sqEntries;
  private final int cqMask;
  private final Sqe[] sqes;
  private final Cqe[] cqes;
  private final ByteBuffer scratch;
  private final long scratchAddress;

  /** The ring fd; -1 once closed, so that a late call fails with {@code EBADF}. */
  private int ringFd;

  /**
   * What enter names the ring by: the ring fd, or the registered index after {@link
   * #registerRingFd()}, with {@link #enterFlags} then {@code IORING_ENTER_REGISTERED_RING}.
   */
  private int enterFd;

  private int enterFlags;

  /** Whether register may name the ring by its registered index ({@code FEAT_REG_REG_RING}). */
  private final boolean regRegRing;

  /** The first SQE handed out by getSqe and not yet published to the kernel. */
  private int sqeHead;

  /** The SQE getSqe hands out next. */
  private int sqeTail;

  /**
   * The SQ head as last read: the kernel only moves it forward, so this may count too few free
   * entries, never too many, and getSqe reads the ring again only when it finds the queue full.
   */
  private int sqHeadSeen;

  /**
   * The CQ head: only the application stores it, through this handle's one reaper at a time (see
   * the class), so the value last stored is the value in the ring and need not be read back.
   */
  private int cqHead;

  /** User addresses of the registered buffers, which this handle mapped. */
  private long[] bufferAddresses = NO_BUFFERS;

  /** One bit per opcode the probe reported supported; null until the first probe. */
  private long[] supportedOps;

  private IoUring(IoUringProcess process, int ringFd, IoUringParams params) {
    this.process = process;
    this.ringFd = ringFd;
    this.enterFd = ringFd;
    this.regRegRing = (params.features() & Features.IORING_FEAT_REG_REG_RING) != 0;
    this.setupFlags = params.flags();
    int sqEntriesSet = params.sqEntries();
    int cqEntriesSet = params.cqEntries();
    int sqeSize = (setupFlags & IORING_SETUP_SQE128) != 0 ? SqeLayout.SIZE_SQE128 : SqeLayout.SIZE;
    int cqeSize = (setupFlags & IORING_SETUP_CQE32) != 0 ? CqeLayout.SIZE_CQE32 : CqeLayout.SIZE;

    // Sizes as liburing's io_uring_mmap computes them; offsets only from what setup returned.
    int sqArray = params.sqOff(SQ_OFF_ARRAY);
    int cqesOffset = params.cqOff(CQ_OFF_CQES);
    long sqRingSize = Integer.toUnsignedLong(sqArray) + 4L * Integer.toUnsignedLong(sqEntriesSet);
    long cqRingSize =
        Integer.toUnsignedLong(cqesOffset) + (long) cqeSize * Integer.toUnsignedLong(cqEntriesSet);
    boolean singleMmap = (params.features() & Features.IORING_FEAT_SINGLE_MMAP) != 0;
    if (singleMmap) {
      sqRingSize = Math.max(sqRingSize, cqRingSize);
      cqRingSize = sqRingSize;
    }
    this.sqRing = process.mmap(ringFd, MmapOffsets.IORING_OFF_SQ_RING, length(sqRingSize));
    this.cqRing =
        singleMmap
            ? sqRing
            : process.mmap(ringFd, MmapOffsets.IORING_OFF_CQ_RING, length(cqRingSize));
    this.sqView = MemoryView.of(sqRing);
    this.cqView = singleMmap ? sqView : MemoryView.of(cqRing);
    ByteBuffer sqeMemory =
        process.mmap(
            ringFd,
            MmapOffsets.IORING_OFF_SQES,
            length((long) sqeSize * Integer.toUnsignedLong(sqEntriesSet)));

    this.sqHeadOffset = params.sqOff(SQ_OFF_HEAD);
    this.sqTailOffset = params.sqOff(SQ_OFF_TAIL);
    this.sqFlagsOffset = params.sqOff(SQ_OFF_FLAGS);
    this.cqHeadOffset = params.cqOff(CQ_OFF_HEAD);
    this.cqTailOffset = params.cqOff(CQ_OFF_TAIL);
    // As liburing: masks and sizes come from the ring itself, not from params.
    this.sqMask = sqRing.getInt(params.sqOff(SQ_OFF_RING_MASK));
    this.sqEntries = sqRing.getInt(params.sqOff(SQ_OFF_RING_ENTRIES));
    this.cqMask = cqRing.getInt(params.cqOff(CQ_OFF_RING_MASK));
    int cqEntries = cqRing.getInt(params.cqOff(CQ_OFF_RING_ENTRIES));
    this.sqHeadSeen = sqRing.getInt(sqHeadOffset);
    this.cqHead = cqRing.getInt(cqHeadOffset);

    // As liburing since 2.5: SQ slot i always names SQE i, written once here, so submitting only
    // has to move the tail.
    if ((setupFlags & IORING_SETUP_NO_SQARRAY) == 0) {
      for (int i = 0; i < sqEntries; i++) {
        sqRing.putInt(sqArray + 4 * i, i);
      }
    }
    MemoryView sqeView = MemoryView.of(sqeMemory);
    this.sqes = new Sqe[sqEntries];
    for (int i = 0; i < sqEntries; i++) {
      sqes[i] = new Sqe(sqeMemory, sqeView, i * sqeSize, sqeSize);
    }
    this.cqes = new Cqe[cqEntries];
    for (int i = 0; i < cqEntries; i++) {
      cqes[i] = new Cqe(cqRing, cqView, cqesOffset + i * cqeSize);
    }

    this.scratch = ByteBuffer.allocateDirect(SCRATCH_SIZE).order(ByteOrder.nativeOrder());
    this.scratchAddress = process.memory().map(scratch);
    scratch.putInt(SCRATCH_ARG + GeteventsArgLayout.OFF_SIGMASK_SZ, SIGSET_SIZE);
    scratch.putLong(SCRATCH_ARG + GeteventsArgLayout.OFF_TS, scratchAddress + SCRATCH_TS);
  }

  private static int length(long size) {
    if (size <= 0 || size > Integer.MAX_VALUE) {
      throw new ErrnoException(Errno.EINVAL, "ring mapping of " + size + " bytes");
    }
    return (int) size;
  }

  /**
   * Creates a ring and maps it, like {@code io_uring_queue_init_params}: calls {@code setup}, then
   * maps the SQ ring, the CQ ring (unless the kernel reports {@code IORING_FEAT_SINGLE_MMAP}, where
   * the SQ mapping holds both) and the SQE array, at the offsets {@code setup} wrote into {@code
   * params}.
   *
   * @param process the process that owns the ring
   * @param entries the requested number of SQ entries
   * @param params the setup parameters, read and then filled in by {@code setup}
   * @return the handle, which owns the ring fd
   * @throws ErrnoException whatever {@code setup} or {@code mmap} throws; the ring fd is closed
   *     again when a mapping fails
   */
  public static IoUring queueInit(IoUringProcess process, int entries, IoUringParams params) {
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(params, "params");
    int fd = process.setup(entries, params);
    try {
      return new IoUring(process, fd, params);
    } catch (RuntimeException e) {
      try {
        process.close(fd);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Creates a ring with the given setup flags and maps it, like {@code io_uring_queue_init}.
   *
   * @param process the process that owns the ring
   * @param entries the requested number of SQ entries
   * @param flags {@code IORING_SETUP_*} flags
   * @return the handle, which owns the ring fd
   * @throws ErrnoException whatever {@code setup} or {@code mmap} throws
   */
  public static IoUring queueInit(IoUringProcess process, int entries, int flags) {
    return queueInit(process, entries, new IoUringParams().flags(flags));
  }

  /**
   * Returns the ring fd, for calling the {@link IoUringProcess} directly, like {@code
   * ring->ring_fd}.
   *
   * @return the fd, or -1 after {@link #close()}
   */
  public int ringFd() {
    return ringFd;
  }

  /**
   * Returns the process this ring belongs to; its {@link IoUringProcess#memory()} maps the buffers
   * whose addresses SQEs carry.
   *
   * @return the process
   */
  public IoUringProcess process() {
    return process;
  }

  // ---- submission ----

  /**
   * Returns the next free SQE, zeroed, or null when the submission queue is full, like {@code
   * io_uring_get_sqe}. The SQE reaches the kernel at the next {@link #submit()}.
   *
   * @return the SQE to fill in, or null
   */
  public Sqe getSqe() {
    int tail = sqeTail;
    if (Integer.compareUnsigned(tail - sqHeadSeen, sqEntries) >= 0) {
      sqHeadSeen = sqHeadAcquire();
      if (Integer.compareUnsigned(tail - sqHeadSeen, sqEntries) >= 0) {
        return null;
      }
    }
    Sqe sqe = sqes[tail & sqMask];
    sqeTail = tail + 1;
    sqe.clear();
    return sqe;
  }

  /**
   * Hands every SQE obtained since the last submission to the kernel, like {@code io_uring_submit}.
   *
   * @return the number of SQEs the kernel consumed
   * @throws ErrnoException what {@code io_uring_enter(2)} throws
   */
  public int submit() {
    return submitAndWait(0);
  }

  /**
   * Hands every pending SQE to the kernel and waits until at least {@code waitNr} CQEs are ready,
   * like {@code io_uring_submit_and_wait}.
   *
   * @param waitNr the number of CQEs to wait for; 0 does not wait
   * @return the number of SQEs the kernel consumed
   * @throws ErrnoException what {@code io_uring_enter(2)} throws, such as {@code EINTR} when the
   *     wait is interrupted with nothing submitted
   */
  public int submitAndWait(int waitNr) {
    int submitted = flushSq();
    int flags = 0;
    // As liburing's __io_uring_submit: completions held back (a backlog, task work) or a polled
    // ring make even a submission that waits for nothing enter with GETEVENTS, so they flush.
    boolean getEvents = waitNr != 0 || cqRingNeedsEnter();
    boolean enter = getEvents;
    if (submitted != 0) {
      if ((setupFlags & IORING_SETUP_SQPOLL) == 0) {
        enter = true;
      } else {
        // As liburing: the tail store must be visible before the thread's sleep flag is read.
        VarHandle.fullFence();
        if ((sqFlagsOpaque() & RingFlags.IORING_SQ_NEED_WAKEUP) != 0) {
          flags |= IORING_ENTER_SQ_WAKEUP;
          enter = true;
        }
      }
    }
    if (!enter) {
      return submitted;
    }
    if (getEvents) {
      flags |= IORING_ENTER_GETEVENTS;
    }
    return process.enter(enterFd, submitted, waitNr, flags | enterFlags);
  }

  /**
   * Publishes the SQEs handed out since the last call, as liburing's {@code __io_uring_flush_sq}.
   *
   * @return the SQEs the kernel has not consumed yet
   */
  private int flushSq() {
    int tail = sqeTail;
    if (sqeHead != tail) {
      sqeHead = tail;
      putSqTailRelease(tail);
    }
    int head = sqHeadAcquire();
    sqHeadSeen = head;
    return tail - head;
  }

  /**
   * Returns the number of SQEs handed out by {@link #getSqe()} that the kernel has not consumed
   * yet, submitted or not, like {@code io_uring_sq_ready}.
   *
   * @return the count
   */
  public int sqReady() {
    return sqeTail - sqHeadAcquire();
  }

  /**
   * Returns how many more SQEs {@link #getSqe()} can hand out before the queue is full, like {@code
   * io_uring_sq_space_left}.
   *
   * @return the count
   */
  public int sqSpaceLeft() {
    return sqEntries - sqReady();
  }

  // ---- completion ----

  /**
   * Returns the oldest unseen CQE, or null if none is ready, like {@code io_uring_peek_cqe}; it
   * never waits. When the queue is empty but the kernel holds completions back because the queue
   * was full ({@code IORING_SQ_CQ_OVERFLOW}), it enters the kernel with {@code
   * IORING_ENTER_GETEVENTS} and no wait to flush them, as liburing does.
   *
   * @return the CQE, to be marked with {@link #cqeSeen(Cqe)} once read, or null
   * @throws ErrnoException what {@code io_uring_enter(2)} throws while flushing
   */
  public Cqe peekCqe() {
    Cqe cqe = nextCqe();
    if (cqe == null && cqRingNeedsEnter()) {
      process.enter(enterFd, 0, 0, IORING_ENTER_GETEVENTS | enterFlags);
      cqe = nextCqe();
    }
    return cqe;
  }

  /**
   * Returns the oldest unseen CQE, waiting for one if none is ready, like {@code
   * io_uring_wait_cqe}.
   *
   * @return the CQE, to be marked with {@link #cqeSeen(Cqe)} once read; never null
   * @throws ErrnoException what {@code io_uring_enter(2)} throws, such as {@code EINTR} when the
   *     waiting thread is interrupted
   */
  public Cqe waitCqe() {
    Cqe cqe;
    while ((cqe = nextCqe()) == null) {
      process.enter(enterFd, 0, 1, IORING_ENTER_GETEVENTS | enterFlags);
    }
    return cqe;
  }

  /**
   * Returns the oldest unseen CQE, waiting at most the given time for one, like {@code
   * io_uring_wait_cqe_timeout}. The wait uses {@code IORING_ENTER_EXT_ARG} with a {@code struct
   * io_uring_getevents_arg} and a {@code struct __kernel_timespec} kept in this handle's own mapped
   * memory, so it allocates nothing while CQEs arrive in time.
   *
   * @param timeout the longest time to wait; 0 or less only flushes, like {@link #peekCqe()}
   * @param unit the unit of {@code timeout}
   * @return the CQE, to be marked with {@link #cqeSeen(Cqe)} once read, or null if the time elapsed
   *     first ({@code ETIME})
   * @throws ErrnoException what {@code io_uring_enter(2)} throws other than {@code ETIME}, such as
   *     {@code EINVAL} from a kernel without {@code IORING_FEAT_EXT_ARG} (before Linux 5.11), where
   *     liburing would fall back to a timeout request
   */
  public Cqe waitCqe(long timeout, TimeUnit unit) {
    Cqe cqe = nextCqe();
    if (cqe != null) {
      return cqe;
    }
    long nanos = Math.max(0, unit.toNanos(timeout));
    // liburing passes the same relative timespec to every enter of its loop; we pass what is
    // left, so that a wakeup without a CQE for us cannot stretch the wait.
    long deadline = System.nanoTime() + nanos;
    while (true) {
      scratch.putLong(SCRATCH_TS + TimespecLayout.OFF_TV_SEC, nanos / 1_000_000_000L);
      scratch.putLong(SCRATCH_TS + TimespecLayout.OFF_TV_NSEC, nanos % 1_000_000_000L);
      try {
        process.enter(
            enterFd,
            0,
            1,
            IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG | enterFlags,
            scratchAddress + SCRATCH_ARG,
            GeteventsArgLayout.SIZE);
      } catch (ErrnoException e) {
        if (e.errno() != Errno.ETIME) {
          throw e;
        }
        return nextCqe();
      }
      cqe = nextCqe();
      if (cqe != null) {
        return cqe;
      }
      nanos = deadline - System.nanoTime();
      if (nanos <= 0) {
        return null;
      }
    }
  }

  /**
   * Fills {@code out} with the oldest unseen CQEs, as many as are ready and fit, like {@code
   * io_uring_peek_batch_cqe}; it never waits, and flushes held-back completions as {@link
   * #peekCqe()} does. The caller reads them, then calls {@link #cqAdvance(int)} with the count.
   *
   * @param out where to store the CQEs, oldest first
   * @return the number of CQEs stored, from 0 to {@code out.length}
   * @throws ErrnoException what {@code io_uring_enter(2)} throws while flushing
   */
  public int peekBatchCqe(Cqe[] out) {
    int ready = cqReady();
    if (ready == 0 && cqRingNeedsEnter()) {
      process.enter(enterFd, 0, 0, IORING_ENTER_GETEVENTS | enterFlags);
      ready = cqReady();
    }
    int count = Integer.compareUnsigned(ready, out.length) < 0 ? ready : out.length;
    int head = cqHeadPlain();
    for (int i = 0; i < count; i++) {
      out[i] = cqes[(head + i) & cqMask];
    }
    return count;
  }

  /**
   * Marks the oldest {@code n} CQEs as seen, handing their slots back to the kernel, like {@code
   * io_uring_cq_advance}.
   *
   * @param n the number of CQEs read
   */
  public void cqAdvance(int n) {
    if (n != 0) {
      putCqHeadRelease(cqHeadPlain() + n);
    }
  }

  /**
   * Marks a CQE from {@link #peekCqe()} or {@link #waitCqe()} as seen, like {@code
   * io_uring_cqe_seen}: the oldest CQE's slot goes back to the kernel. A null CQE is ignored.
   *
   * @param cqe the CQE that was read, or null
   */
  public void cqeSeen(Cqe cqe) {
    if (cqe != null) {
      cqAdvance(1);
    }
  }

  /**
   * Returns the number of CQEs ready to be read, like {@code io_uring_cq_ready}; completions the
   * kernel holds back because the queue was full are not counted until flushed.
   *
   * @return the count
   */
  public int cqReady() {
    return cqTailAcquire() - cqHeadPlain();
  }

  /**
   * Returns whether the kernel holds completions back because the completion queue was full ({@code
   * IORING_SQ_CQ_OVERFLOW}), like {@code io_uring_cq_has_overflow}.
   *
   * @return true while completions wait in the kernel's backlog
   */
  public boolean cqHasOverflow() {
    return (sqFlagsOpaque() & RingFlags.IORING_SQ_CQ_OVERFLOW) != 0;
  }

  /** Returns the CQE at the head, or null if the queue is empty; never enters the kernel. */
  private Cqe nextCqe() {
    int head = cqHeadPlain();
    return cqTailAcquire() != head ? cqes[head & cqMask] : null;
  }

  /** As liburing's {@code cq_ring_needs_enter}: polled rings, or completions held back. */
  private boolean cqRingNeedsEnter() {
    return (setupFlags & IORING_SETUP_IOPOLL) != 0
        || (sqFlagsOpaque() & (RingFlags.IORING_SQ_CQ_OVERFLOW | RingFlags.IORING_SQ_TASKRUN)) != 0;
  }

  // ---- registration ----

  /**
   * Registers buffers for {@code READ_FIXED} and {@code WRITE_FIXED}, like {@code
   * io_uring_register_buffers}: maps each buffer, whole, in the process's address space, builds the
   * {@code struct iovec} array in this handle's scratch memory and calls {@code
   * IORING_REGISTER_BUFFERS}. Buffer {@code i} gets index {@code i}; {@link #bufferAddress(int)}
   * gives the address SQEs must use for it.
   *
   * @param buffers the buffers, each registered from index 0 to its capacity
   * @throws ErrnoException what {@code io_uring_register(2)} throws, such as {@code EBUSY} when
   *     buffers are already registered; nothing stays mapped then
   */
  public void registerBuffers(ByteBuffer... buffers) {
    long[] addresses = new long[buffers.length];
    int mapped = 0;
    long temporaryAddress = 0;
    try {
      for (; mapped < buffers.length; mapped++) {
        addresses[mapped] = process.memory().map(buffers[mapped]);
      }
      int size = buffers.length * IovecLayout.SIZE;
      ByteBuffer iovecs = scratch;
      int base = SCRATCH_REGISTER;
      long iovecsAddress = scratchAddress + SCRATCH_REGISTER;
      if (size > SCRATCH_SIZE - SCRATCH_REGISTER) {
        // Too many for the scratch memory: a temporary array, since the kernel copies it.
        iovecs = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        base = 0;
        iovecsAddress = process.memory().map(iovecs);
        temporaryAddress = iovecsAddress;
      }
      for (int i = 0; i < buffers.length; i++) {
        int at = base + i * IovecLayout.SIZE;
        iovecs.putLong(at + IovecLayout.OFF_IOV_BASE, addresses[i]);
        iovecs.putLong(at + IovecLayout.OFF_IOV_LEN, buffers[i].capacity());
      }
      register(RegisterOpcodes.IORING_REGISTER_BUFFERS, iovecsAddress, buffers.length);
      bufferAddresses = addresses;
      mapped = 0; // registered: the mappings now belong to the handle
    } finally {
      if (temporaryAddress != 0) {
        process.memory().unmap(temporaryAddress);
      }
      for (int i = 0; i < mapped; i++) {
        process.memory().unmap(addresses[i]);
      }
    }
  }

  /**
   * Returns the user address at which {@link #registerBuffers(ByteBuffer...)} mapped a registered
   * buffer: the {@code bufAddr} of {@link Sqe#prepReadFixed} and {@link Sqe#prepWriteFixed} lies in
   * {@code [bufferAddress(i), bufferAddress(i) + capacity)}.
   *
   * @param bufIndex the buffer's index
   * @return the address of the buffer's byte 0
   * @throws IndexOutOfBoundsException if no buffer with that index is registered
   */
  public long bufferAddress(int bufIndex) {
    return bufferAddresses[Objects.checkIndex(bufIndex, bufferAddresses.length)];
  }

  /**
   * Unregisters the buffers, like {@code io_uring_unregister_buffers}, and unmaps them from the
   * process's address space.
   *
   * @throws ErrnoException {@code ENXIO} when no buffers are registered, or what else {@code
   *     io_uring_register(2)} throws
   */
  public void unregisterBuffers() {
    register(RegisterOpcodes.IORING_UNREGISTER_BUFFERS, 0L, 0);
    unmapBuffers();
  }

  /**
   * Registers files for {@code IOSQE_FIXED_FILE}, like {@code io_uring_register_files}: slot {@code
   * i} gets the file of {@code fds[i]}, or stays empty for -1. The kernel takes its own reference,
   * so the fds may be closed afterwards.
   *
   * @param fds the fds, -1 for an empty slot
   * @throws ErrnoException what {@code io_uring_register(2)} throws, such as {@code EBUSY} when
   *     files are already registered or {@code EBADF} for an fd that is not open
   */
  public void registerFiles(int... fds) {
    withIntArray(fds, (address, n) -> register(RegisterOpcodes.IORING_REGISTER_FILES, address, n));
  }

  /**
   * Updates registered-file slots from {@code off} on, like {@code io_uring_register_files_update}:
   * -1 empties a slot, {@code IORING_REGISTER_FILES_SKIP} (-2) leaves it, an fd replaces it.
   *
   * @param off the first slot
   * @param fds the new fds
   * @return the number of slots processed
   * @throws ErrnoException what {@code io_uring_register(2)} throws, such as {@code ENXIO} when no
   *     files are registered or {@code EINVAL} for slots past the table
   */
  public int registerFilesUpdate(int off, int... fds) {
    return withIntArray(
        fds,
        (address, n) -> {
          // struct io_uring_files_update lives in scratch memory just before the fd array.
          int at = SCRATCH_REGISTER - RsrcLayout.UPDATE_SIZE;
          scratch.putInt(at + RsrcLayout.UPDATE_OFF_OFFSET, off);
          scratch.putInt(at + RsrcLayout.UPDATE_OFF_RESV, 0);
          scratch.putLong(at + RsrcLayout.UPDATE_OFF_DATA, address);
          return register(RegisterOpcodes.IORING_REGISTER_FILES_UPDATE, scratchAddress + at, n);
        });
  }

  /**
   * Creates and registers a ring of provided buffers for group {@code bgid}, like liburing's {@code
   * io_uring_setup_buf_ring}: its memory is mapped in the process and given to {@code
   * IORING_REGISTER_PBUF_RING}. Add buffers with {@link BufRing#add} and publish them with {@link
   * BufRing#advance}; {@link BufRing#close()} unregisters it.
   *
   * @param entries the ring's slots, a power of two below 65536
   * @param bgid the buffer group, 0..65535
   * @return the buffer ring
   * @throws ErrnoException what {@code io_uring_register(2)} throws, such as {@code EEXIST} when
   *     the group is in use
   * @throws IllegalArgumentException for entries that are not a power of two below 65536
   */
  public BufRing setupBufRing(int entries, int bgid) {
    return new BufRing(this, entries, bgid);
  }

  /**
   * Enables a ring created with {@code IORING_SETUP_R_DISABLED}, like {@code
   * io_uring_enable_rings}; restrictions registered before apply from now on.
   *
   * @throws ErrnoException {@code EBADFD} when the ring is enabled already
   */
  public void enableRings() {
    register(RegisterOpcodes.IORING_REGISTER_ENABLE_RINGS, 0L, 0);
  }

  /**
   * Unregisters every registered file, like {@code io_uring_unregister_files}.
   *
   * @throws ErrnoException {@code ENXIO} when no files are registered
   */
  public void unregisterFiles() {
    register(RegisterOpcodes.IORING_UNREGISTER_FILES, 0L, 0);
  }

  /** A register call that takes the user address and length of an {@code int} array. */
  private interface IntArrayCall {
    int call(long address, int n);
  }

  /**
   * Copies {@code values} into user memory (this handle's scratch memory, or a temporary mapping
   * when they do not fit, since the kernel copies them) and runs {@code call} on them.
   */
  private int withIntArray(int[] values, IntArrayCall call) {
    int size = values.length * 4;
    ByteBuffer array = scratch;
    int base = SCRATCH_REGISTER;
    long address = scratchAddress + SCRATCH_REGISTER;
    long temporary = 0;
    if (size > SCRATCH_SIZE - SCRATCH_REGISTER) {
      array = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
      base = 0;
      address = process.memory().map(array);
      temporary = address;
    }
    try {
      for (int i = 0; i < values.length; i++) {
        array.putInt(base + 4 * i, values[i]);
      }
      return call.call(address, values.length);
    } finally {
      if (temporary != 0) {
        process.memory().unmap(temporary);
      }
    }
  }

  private void unmapBuffers() {
    long[] addresses = bufferAddresses;
    bufferAddresses = NO_BUFFERS;
    for (long address : addresses) {
      process.memory().unmap(address);
    }
  }

  /**
   * Returns whether the kernel supports an opcode, as liburing's {@code io_uring_get_probe_ring}
   * followed by {@code io_uring_opcode_supported}. The first call runs {@code
   * IORING_REGISTER_PROBE} in this handle's scratch memory; later calls use its answer.
   *
   * @param opcode an {@code IORING_OP_*} value
   * @return true if the probe flags the opcode {@code IO_URING_OP_SUPPORTED}
   * @throws ErrnoException what {@code io_uring_register(2)} throws, such as {@code EINVAL} from a
   *     kernel without the probe
   */
  public boolean opSupported(int opcode) {
    long[] ops = supportedOps;
    if (ops == null) {
      ops = probe();
      supportedOps = ops;
    }
    return opcode >= 0 && opcode < PROBE_OPS && (ops[opcode >>> 6] & (1L << opcode)) != 0;
  }

  private long[] probe() {
    int size = ProbeLayout.SIZE + PROBE_OPS * ProbeLayout.OP_SIZE;
    for (int i = 0; i < size; i += 8) {
      scratch.putLong(SCRATCH_REGISTER + i, 0L); // the kernel wants it zeroed
    }
    register(RegisterOpcodes.IORING_REGISTER_PROBE, scratchAddress + SCRATCH_REGISTER, PROBE_OPS);
    long[] ops = new long[PROBE_OPS / 64];
    int lastOp = scratch.get(SCRATCH_REGISTER + ProbeLayout.OFF_LAST_OP) & 0xff;
    int opsLen = scratch.get(SCRATCH_REGISTER + ProbeLayout.OFF_OPS_LEN) & 0xff;
    for (int i = 0; i < opsLen; i++) {
      int at = SCRATCH_REGISTER + ProbeLayout.OFF_OPS + i * ProbeLayout.OP_SIZE;
      int op = scratch.get(at + ProbeLayout.OP_OFF_OP) & 0xff;
      int flags = scratch.getShort(at + ProbeLayout.OP_OFF_FLAGS) & 0xffff;
      // As io_uring_opcode_supported: nothing past last_op is supported.
      if (op <= lastOp && (flags & OpFlags.IO_URING_OP_SUPPORTED) != 0) {
        ops[op >>> 6] |= 1L << op;
      }
    }
    return ops;
  }

  /**
   * Registers the ring fd with the kernel for the calling thread, like {@code
   * io_uring_register_ring_fd}: from now on this handle enters the ring by its registered index
   * ({@code IORING_ENTER_REGISTERED_RING}), which skips the fd lookup. As on Linux the registration
   * belongs to the calling thread: only that thread may use the handle afterwards, until {@link
   * #unregisterRingFd()} or {@link #close()}.
   *
   * @return 1, the number of fds registered
   * @throws ErrnoException {@code EEXIST} if already registered, what {@code
   *     IORING_REGISTER_RING_FDS} throws, such as {@code EBUSY} when the thread's 16 slots are
   *     taken
   */
  public int registerRingFd() {
    if (enterFlags != 0) {
      throw new ErrnoException(Errno.EEXIST, "the ring fd is registered already");
    }
    int n = ringFdUpdate(RegisterOpcodes.IORING_REGISTER_RING_FDS, -1, ringFd); // any free slot
    if (n == 1) {
      enterFd = scratch.getInt(SCRATCH_REGISTER + RsrcLayout.UPDATE_OFF_OFFSET);
      enterFlags = IORING_ENTER_REGISTERED_RING;
    }
    return n;
  }

  /**
   * Drops the registration of {@link #registerRingFd()}, like {@code io_uring_unregister_ring_fd};
   * enter names the ring by its fd again.
   *
   * @return 1, the number of fds unregistered
   * @throws ErrnoException {@code EINVAL} if the ring fd is not registered
   */
  public int unregisterRingFd() {
    if (enterFlags == 0) {
      throw new ErrnoException(Errno.EINVAL, "the ring fd is not registered");
    }
    int n = ringFdUpdate(RegisterOpcodes.IORING_UNREGISTER_RING_FDS, enterFd, 0L);
    if (n == 1) {
      enterFd = ringFd;
      enterFlags = 0;
    }
    return n;
  }

  /** (Un)registers one ring fd slot through a {@code struct io_uring_rsrc_update} in scratch. */
  private int ringFdUpdate(int opcode, int offset, long data) {
    scratch.putInt(SCRATCH_REGISTER + RsrcLayout.UPDATE_OFF_OFFSET, offset);
    scratch.putInt(SCRATCH_REGISTER + RsrcLayout.UPDATE_OFF_RESV, 0);
    scratch.putLong(SCRATCH_REGISTER + RsrcLayout.UPDATE_OFF_DATA, data);
    return register(opcode, scratchAddress + SCRATCH_REGISTER, 1);
  }

  /**
   * {@code io_uring_register(2)} on this ring, as liburing's {@code do_register}: by the registered
   * index once the ring fd is registered (and the kernel has {@code IORING_FEAT_REG_REG_RING}),
   * else by the fd.
   */
  private int register(int opcode, long arg, int nr) {
    if (enterFlags != 0 && regRegRing) {
      return process.register(
          enterFd, opcode | RegisterOpcodes.IORING_REGISTER_USE_REGISTERED_RING, arg, nr);
    }
    return process.register(ringFd, opcode, arg, nr);
  }

  // ---- teardown ----

  /**
   * Registers a listener told when completions are posted to this ring, the Java counterpart of
   * {@code io_uring_register_eventfd}: see {@link IoUringProcess#registerCompletionListener}. For
   * example, to be woken without a waiting thread: {@code ring.registerCompletionListener(() ->
   * ready.complete(null))}.
   *
   * @param listener the listener; it must not block
   * @throws ErrnoException {@code EBUSY} if one is registered
   */
  public void registerCompletionListener(Runnable listener) {
    process.registerCompletionListener(ringFd, listener);
  }

  /**
   * Removes the completion listener, like {@code io_uring_unregister_eventfd}.
   *
   * @throws ErrnoException {@code ENXIO} if none is registered
   */
  public void unregisterCompletionListener() {
    process.unregisterCompletionListener(ringFd);
  }

  /**
   * Closes the ring fd and unmaps the memory this handle mapped in the process (its scratch memory
   * and the registered buffers), like {@code io_uring_queue_exit}. The ring memory views stay
   * readable but are no longer the kernel's concern; a second call does nothing.
   *
   * @throws ErrnoException what {@code close(2)} throws, after the unmapping is done
   */
  @Override
  public void close() {
    int fd = ringFd;
    if (fd < 0) {
      return;
    }
    if (enterFlags != 0) {
      try {
        unregisterRingFd(); // as io_uring_queue_exit; from another thread the slot is not ours
      } catch (ErrnoException e) {
        // The process ends the registration at its exit at the latest.
      }
    }
    ringFd = -1;
    enterFd = -1;
    enterFlags = 0;
    try {
      process.close(fd);
    } finally {
      try {
        unmapBuffers();
      } finally {
        process.memory().unmap(scratchAddress);
      }
    }
  }

  // ---- ring indices, each with the memory order liburing uses ----

  // Acquire and release are a plain access plus a fence: the same ordering as VarHandle's
  // getAcquire/setRelease, without the byte-buffer view's per-access checks, which dominated
  // the round trip in profiles. On x86 both fences cost nothing at run time.

  private int sqHeadAcquire() {
    int head = MemoryView.RAW ? sqView.getInt(sqHeadOffset) : sqRing.getInt(sqHeadOffset);
    VarHandle.acquireFence();
    return head;
  }

  private void putSqTailRelease(int tail) {
    VarHandle.releaseFence();
    if (MemoryView.RAW) {
      sqView.putInt(sqTailOffset, tail);
    } else {
      sqRing.putInt(sqTailOffset, tail);
    }
  }

  /** {@code IO_URING_READ_ONCE(*sq.kflags)}: the kernel changes it with atomic or and and-not. */
  private int sqFlagsOpaque() {
    return (int) INT.getOpaque(sqRing, sqFlagsOffset);
  }

  private int cqTailAcquire() {
    int tail = MemoryView.RAW ? cqView.getInt(cqTailOffset) : cqRing.getInt(cqTailOffset);
    VarHandle.acquireFence();
    return tail;
  }

  /** The CQ head as this handle last stored it ({@link #cqHead}). */
  private int cqHeadPlain() {
    return cqHead;
  }

  private void putCqHeadRelease(int head) {
    cqHead = head;
    VarHandle.releaseFence();
    if (MemoryView.RAW) {
      cqView.putInt(cqHeadOffset, head);
    } else {
      cqRing.putInt(cqHeadOffset, head);
    }
  }
}
