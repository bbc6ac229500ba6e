package iouring.core;

import static iouring.api.abi.EnterFlags.*;

import iouring.api.ErrnoException;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.GeteventsArgLayout;
import iouring.api.abi.RegisterOpcodes;
import iouring.api.abi.TimespecLayout;
import iouring.api.spi.VfsException;
import iouring.core.fd.FdTable;
import iouring.core.fd.FileDescription;
import iouring.core.fd.OpenFile;
import iouring.core.fd.RegisteredRings;
import iouring.core.mem.FaultException;
import iouring.core.mem.UserMemory;
import iouring.core.ring.KernelLimits;
import iouring.core.ring.Ring;
import iouring.core.task.Task;
import iouring.core.vfs.MountTable;
import java.nio.ByteBuffer;

/**
 * One emulated process: its fd table, address space and mount table, and the system calls over
 * them. Each call checks its arguments in the order Linux does, so that a misuse fails with the
 * same errno.
 */
public final class EmulatedProcess implements IoUringProcess {
  /** The enter flags Linux 6.18 accepts (bits 0 to 7); any other bit is {@code EINVAL}. */
  private static final int KNOWN_ENTER_FLAGS = 0xff;

  private final Task task;
  private final FdTable files;
  private final UserMemory memory;
  private volatile boolean exited;

  /** The ring fds each thread registered ({@code IORING_REGISTER_RING_FDS}). */
  private final RegisteredRings registeredRings = new RegisteredRings();

  private final java.util.function.Consumer<EmulatedProcess> onExit;
  private final int pid;

  EmulatedProcess(
      int pid,
      KernelLimits limits,
      MountTable mounts,
      java.util.function.Consumer<EmulatedProcess> onExit) {
    this.pid = pid;
    this.task = new Task(limits, mounts);
    this.onExit = onExit;
    this.files = task.files();
    files.onClose(this::forgetRings);
    this.memory = task.memory();
  }

  /**
   * Returns the process id, unique within its kernel.
   *
   * @return the pid
   */
  public int pid() {
    return pid;
  }

  /**
   * Returns the process's task: its fds, memory and mounts.
   *
   * @return the task
   */
  public Task task() {
    return task;
  }

  /**
   * Returns the process's mount table.
   *
   * @return the mounts
   */
  public MountTable mounts() {
    return task.mounts();
  }

  /**
   * Returns the process's fd table.
   *
   * @return the fds
   */
  public FdTable files() {
    return files;
  }

  @Override
  public UserMemory memory() {
    return memory;
  }

  @Override
  public int setup(int entries, IoUringParams params) {
    alive();
    if (params == null) {
      throw new ErrnoException(Errno.EFAULT, "params is null");
    }
    Ring ring = Ring.create(task, entries, params);
    int fd;
    try {
      fd = files.install(ring);
    } catch (RuntimeException e) {
      ring.release(); // no fd for it: free it now, its SQPOLL thread and ring memory with it
      throw e;
    }
    registeredRings.attach(); // setting up a ring gives the thread its registered-ring slots
    return fd;
  }

  @Override
  public int enter(int fd, int toSubmit, int minComplete, int flags) {
    return enter(fd, toSubmit, minComplete, flags, 0, 0);
  }

  @Override
  public int enter(int fd, int toSubmit, int minComplete, int flags, long arg, int argSize) {
    // The common path is kept small so that it inlines; checks that fail go out of line.
    Ring ring = ringForEnter(fd, flags);
    if (ring.sqPolled()) {
      return enterSqPolled(ring, toSubmit, minComplete, flags, arg, argSize);
    }
    long result = ring.submit(toSubmit, minComplete);
    int submitted = (int) result;
    if (submitted != toSubmit) {
      return submitted; // as Linux: an incomplete submission never waits
    }
    if ((flags & IORING_ENTER_GETEVENTS) == 0
        || (submitted != 0 && (result & Ring.WAIT_NEEDED) == 0)) {
      // Nothing to wait for; with SQEs consumed, a bad wait argument could not change the result.
      return submitted;
    }
    return waitAfterSubmit(ring, submitted, minComplete, flags, arg, argSize);
  }

  /**
   * Enter on an SQPOLL ring, as Linux: the thread submits, so enter wakes it or waits for SQ space
   * as asked and returns {@code to_submit} unchanged, then waits for CQEs with {@code GETEVENTS}.
   */
  private int enterSqPolled(
      Ring ring, int toSubmit, int minComplete, int flags, long arg, int argSize) {
    ring.sqPollEnter((flags & IORING_ENTER_SQ_WAKEUP) != 0, (flags & IORING_ENTER_SQ_WAIT) != 0);
    if ((flags & IORING_ENTER_GETEVENTS) == 0
        || (ring.submit(0, minComplete) & Ring.WAIT_NEEDED) == 0) {
      return toSubmit;
    }
    return waitAfterSubmit(ring, toSubmit, minComplete, flags, arg, argSize);
  }

  /** The checks of enter before submission, in Linux's order: flags, then the fd. */
  private Ring ringForEnter(int fd, int flags) {
    alive();
    if ((flags & ~KNOWN_ENTER_FLAGS) != 0) {
      throw new ErrnoException(Errno.EINVAL, "enter flags 0x" + Integer.toHexString(flags));
    }
    if ((flags & IORING_ENTER_EXT_ARG_REG) != 0) {
      throw new ErrnoException(Errno.EINVAL, "no wait region is registered");
    }
    if ((flags & IORING_ENTER_REGISTERED_RING) != 0) {
      return enabled((Ring) registeredRings.get(fd)); // the slot holds a reference
    }
    // No reference is taken, as Linux's fdget takes none for a single-threaded caller: a ring
    // closed by another thread meanwhile stays valid Java memory, and this enter completes as it
    // would on Linux, where the syscall holds the file. It saves two atomic updates.
    long version = files.version();
    RingByFd hit = lastRing;
    if (hit == null || !hit.is(fd, version)) {
      hit = otherRing;
      if (hit == null || !hit.is(fd, version)) {
        return lookUpRing(fd, version);
      }
    }
    return hit.ring;
  }

  /**
   * The table lookup of {@link #ringForEnter}, which remembers what it found; {@code version} was
   * read before the slot is, so a change after that read moves the version.
   */
  private Ring lookUpRing(int fd, long version) {
    FileDescription file = files.get(fd);
    if (file == null) {
      throw new ErrnoException(Errno.EBADF, "fd " + fd + " is not open");
    }
    if (!file.isIoUring()) {
      throw new ErrnoException(Errno.EOPNOTSUPP, "fd " + fd + " is not an io_uring");
    }
    Ring ring = enabled((Ring) file);
    otherRing = lastRing;
    lastRing = new RingByFd(fd, version, ring);
    if (files.version() != version) {
      forgetRings(); // a close after the lookup may have missed this entry: it must not keep it
    }
    return ring;
  }

  /** Drops the rings enter remembers, after a close: a closed ring must be free to go. */
  private void forgetRings() {
    lastRing = null;
    otherRing = null;
  }

  private static Ring enabled(Ring ring) {
    if (ring.disabled()) {
      throw new ErrnoException(Errno.EBADFD, "the ring was created disabled and is not enabled");
    }
    return ring;
  }

  /**
   * A ring an fd referred to at a version of the fd table, found by an enter: the next enters on
   * that fd skip the table while its version stays (every install or close of an fd moves it). Only
   * enabled rings are remembered, and a ring never goes back to disabled. Entries are immutable and
   * read without a lock; the two fields keep the last two rings, so that a process entering two
   * rings in turn allocates nothing.
   */
  private static final class RingByFd {
    final int fd;
    final long version;
    final Ring ring;

    RingByFd(int fd, long version, Ring ring) {
      this.fd = fd;
      this.version = version;
      this.ring = ring;
    }

    boolean is(int fd, long version) {
      return this.fd == fd && this.version == version;
    }
  }

  /**
   * The ring the last enter looked up, and the one before it; see {@link RingByFd}. Volatile, so
   * that a close either clears an entry stored before it or moves the version its storer reads next
   * ({@link #lookUpRing}): no entry keeps a closed ring.
   */
  private volatile RingByFd lastRing;

  private volatile RingByFd otherRing;

  private int waitAfterSubmit(
      Ring ring, int submitted, int minComplete, int flags, long arg, int argSize) {
    try {
      getEvents(ring, minComplete, flags, arg, argSize);
    } catch (ErrnoException e) {
      if (submitted == 0) {
        if (e.errno() == Errno.EBADR) {
          ring.dropReported();
        }
        throw e;
      }
      // As Linux: once SQEs were consumed, enter returns their count whatever the wait gave, and
      // dropped CQEs stay to be reported by a later wait.
    }
    return submitted;
  }

  /**
   * Reads the wait argument and waits, as Linux's {@code io_get_ext_arg} and {@code
   * io_cqring_wait}: the argument is read only by a call that waits, after its submission, so a bad
   * one cannot stop SQEs from being consumed. {@code CLOCK_MONOTONIC} is {@link System#nanoTime()}.
   * The emulation has no signals: a signal mask (plain, or in a {@code struct
   * io_uring_getevents_arg}) is checked as Linux checks it, when the call is about to sleep, and
   * otherwise ignored.
   */
  private void getEvents(Ring ring, int minComplete, int flags, long arg, int argSize) {
    long sigmask = arg;
    int sigmaskSize = argSize;
    long deadline = Long.MAX_VALUE;
    if ((flags & IORING_ENTER_EXT_ARG) != 0) {
      if (argSize != GeteventsArgLayout.SIZE) {
        throw new ErrnoException(Errno.EINVAL, "getevents arg size " + argSize);
      }
      try {
        sigmask = memory.getLong(arg + GeteventsArgLayout.OFF_SIGMASK);
        sigmaskSize = memory.getInt(arg + GeteventsArgLayout.OFF_SIGMASK_SZ);
        int minWait = memory.getInt(arg + GeteventsArgLayout.OFF_MIN_WAIT_USEC);
        long ts = memory.getLong(arg + GeteventsArgLayout.OFF_TS);
        if (minWait != 0) {
          throw new ErrnoException(Errno.EINVAL, "min_wait_usec is not supported");
        }
        if (ts != 0) {
          deadline = deadline(ts, (flags & IORING_ENTER_ABS_TIMER) != 0);
        }
      } catch (FaultException e) {
        throw new ErrnoException(Errno.EFAULT, "getevents arg is not mapped");
      }
    }
    long mask = sigmask;
    int maskSize = sigmaskSize;
    ring.await(minComplete, deadline, mask == 0 ? () -> {} : () -> checkSigmask(mask, maskSize));
  }

  /** Reads a {@code struct __kernel_timespec} and returns the deadline it sets. */
  private long deadline(long ts, boolean absolute) {
    long sec = memory.getLong(ts + TimespecLayout.OFF_TV_SEC);
    long nsec = memory.getLong(ts + TimespecLayout.OFF_TV_NSEC);
    if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
      throw new ErrnoException(Errno.EINVAL, "bad timespec");
    }
    if (sec > 9_000_000_000L) {
      return Long.MAX_VALUE; // centuries away: no deadline
    }
    long nanos = sec * 1_000_000_000L + nsec;
    return absolute ? nanos : System.nanoTime() + nanos;
  }

  private void checkSigmask(long sigmask, int size) {
    if (size != 8) {
      throw new ErrnoException(Errno.EINVAL, "sigset size " + size);
    }
    try {
      memory.getLong(sigmask);
    } catch (FaultException e) {
      throw new ErrnoException(Errno.EFAULT, "sigset is not mapped");
    }
  }

  @Override
  public int register(int fd, int opcode, long arg, int nrArgs) {
    alive();
    Ring ring;
    if ((opcode & RegisterOpcodes.IORING_REGISTER_USE_REGISTERED_RING) != 0) {
      ring = (Ring) registeredRings.get(fd);
      if (!ring.tryRetain()) {
        throw new ErrnoException(Errno.EBADF, "registered ring " + fd + " is gone");
      }
      opcode &= ~RegisterOpcodes.IORING_REGISTER_USE_REGISTERED_RING;
    } else {
      ring = retainRing(fd);
    }
    try {
      switch (opcode) {
        case RegisterOpcodes.IORING_REGISTER_RING_FDS:
          ring.checkRegister(opcode);
          return registeredRings.register(files, memory, arg, nrArgs);
        case RegisterOpcodes.IORING_UNREGISTER_RING_FDS:
          ring.checkRegister(opcode);
          return registeredRings.unregister(memory, arg, nrArgs);
        default:
          return ring.register(opcode, arg, nrArgs);
      }
    } finally {
      ring.release();
    }
  }

  @Override
  public void registerCompletionListener(int fd, Runnable listener) {
    alive();
    if (listener == null) {
      throw new ErrnoException(Errno.EFAULT, "null listener");
    }
    Ring ring = retainRing(fd);
    try {
      ring.completionListener(listener);
    } finally {
      ring.release();
    }
  }

  @Override
  public void unregisterCompletionListener(int fd) {
    alive();
    Ring ring = retainRing(fd);
    try {
      ring.completionListener(null);
    } finally {
      ring.release();
    }
  }

  @Override
  public ByteBuffer mmap(int fd, long offset, int length) {
    alive();
    FileDescription file = files.retain(fd);
    if (file == null) {
      throw new ErrnoException(Errno.EBADF, "fd " + fd + " is not open");
    }
    try {
      if (!(file instanceof Ring)) {
        throw new ErrnoException(Errno.ENODEV, "fd " + fd + " cannot be mapped");
      }
      return ((Ring) file).mmap(offset, length);
    } finally {
      file.release();
    }
  }

  @Override
  public int umask(int mask) {
    alive();
    return task.umask(mask);
  }

  @Override
  public int openat(int dirfd, String path, int flags, int mode) {
    alive();
    try {
      OpenFile file = task.open(dirfd, path, flags, mode);
      try {
        return files.install(file);
      } catch (ErrnoException e) {
        file.release();
        throw e;
      }
    } catch (VfsException e) {
      throw new ErrnoException(e.errno(), "openat " + path);
    }
  }

  @Override
  public long lseek(int fd, long offset, int whence) {
    alive();
    FileDescription file = files.retain(fd);
    if (file == null) {
      throw new ErrnoException(Errno.EBADF, "fd " + fd + " is not open");
    }
    try {
      if (!(file instanceof OpenFile) || !((OpenFile) file).file().seekable()) {
        throw new ErrnoException(Errno.ESPIPE, "fd " + fd + " is not seekable");
      }
      OpenFile open = (OpenFile) file;
      open.positionLock().lock();
      try {
        long base;
        switch (whence) {
          case FileFlags.SEEK_SET:
            base = 0;
            break;
          case FileFlags.SEEK_CUR:
            base = open.position();
            break;
          case FileFlags.SEEK_END:
            base = open.file().size();
            break;
          default:
            throw new ErrnoException(Errno.EINVAL, "whence " + whence);
        }
        long target = base + offset;
        if (target < 0 || ((base ^ target) & (offset ^ target)) < 0) {
          throw new ErrnoException(Errno.EINVAL, "offset " + offset);
        }
        open.position(target);
        return target;
      } finally {
        open.positionLock().unlock();
      }
    } catch (VfsException e) {
      throw new ErrnoException(e.errno(), "lseek");
    } finally {
      file.release();
    }
  }

  @Override
  public void mount(String path, String provider) {
    alive();
    checkMountPoint(path);
    if (provider == null || provider.isEmpty()) {
      throw new ErrnoException(Errno.EINVAL, "no provider name");
    }
    task.mounts().mount(path, provider);
  }

  @Override
  public void unmount(String path) {
    alive();
    checkMountPoint(path);
    if (!task.mounts().unmount(path)) {
      throw new ErrnoException(Errno.EINVAL, path + " is not a mount point of this process");
    }
  }

  private static void checkMountPoint(String path) {
    try {
      MountTable.check(path);
    } catch (VfsException e) {
      throw new ErrnoException(e.errno(), "mount point " + path);
    }
    if (!path.startsWith("/")) {
      throw new ErrnoException(Errno.EINVAL, "mount point " + path + " is not absolute");
    }
  }

  @Override
  public void close(int fd) {
    alive();
    files.close(fd);
  }

  @Override
  public void close() {
    exited = true;
    onExit.accept(this);
    registeredRings.releaseAll();
    files.closeAll();
    task.shutdownWorkers();
  }

  private Ring retainRing(int fd) {
    FileDescription file = files.retain(fd);
    if (file == null) {
      throw new ErrnoException(Errno.EBADF, "fd " + fd + " is not open");
    }
    if (!(file instanceof Ring)) {
      file.release();
      throw new ErrnoException(Errno.EOPNOTSUPP, "fd " + fd + " is not an io_uring");
    }
    return (Ring) file;
  }

  private void alive() {
    if (exited) {
      throw new ErrnoException(Errno.ESRCH, "the process has exited");
    }
  }
}
