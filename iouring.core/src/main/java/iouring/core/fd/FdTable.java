package iouring.core.fd;

import iouring.api.ErrnoException;
import iouring.api.abi.Errno;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A process's fd table: small integers to open file descriptions, lowest free number first, as
 * {@code open(2)} allocates them. Lookups read a volatile array and never lock.
 */
public final class FdTable {
  private final ReentrantLock lock = new ReentrantLock();
  private final int limit;

  /** Callers between {@link #pin()} and {@link #unpin()}. */
  private final java.util.concurrent.atomic.AtomicInteger pinners =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Descriptions closed while pinned, released when the last pinner leaves. */
  private final java.util.concurrent.ConcurrentLinkedQueue<FileDescription> deferred =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /**
   * The slots, each read and written through {@link #SLOT} (volatile); the array is replaced by a
   * larger copy when the table grows (under lock). A plain array rather than an {@code
   * AtomicReferenceArray}: one dependent load less on every lookup, the first step of every enter.
   */
  private volatile FileDescription[] slots = new FileDescription[16];

  private static final VarHandle SLOT =
      MethodHandles.arrayElementVarHandle(FileDescription[].class);

  /**
   * Counts the changes of the table, bumped (under lock) after each slot is written: a lookup made
   * at one version is still true while the version has not moved ({@link #version()}).
   */
  private volatile long version;

  /**
   * Creates an empty table.
   *
   * @param limit the most fds it may hold, Linux's {@code RLIMIT_NOFILE}; more give {@code EMFILE}
   */
  public FdTable(int limit) {
    this.limit = limit;
  }

  /**
   * Installs a description at the lowest free fd; the table takes over the caller's reference.
   *
   * @param file the description
   * @return the fd
   * @throws ErrnoException {@code EMFILE} when the table is full
   */
  public int install(FileDescription file) {
    lock.lock();
    try {
      FileDescription[] current = slots;
      for (int fd = 0; fd < current.length && fd < limit; fd++) {
        if ((FileDescription) SLOT.getVolatile(current, fd) == null) {
          SLOT.setVolatile(current, fd, file);
          version++;
          return fd;
        }
      }
      int fd = current.length;
      if (fd >= limit) {
        throw new ErrnoException(Errno.EMFILE, "fd table holds " + limit + " files");
      }
      FileDescription[] copy = new FileDescription[Math.min(limit, fd * 2)];
      for (int i = 0; i < fd; i++) {
        copy[i] = (FileDescription) SLOT.getVolatile(current, i);
      }
      copy[fd] = file;
      slots = copy;
      version++;
      return fd;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Pins every description of the table for the caller: until the matching {@link #unpin()}, a
   * closed fd's description is not released, so that {@link #get(int)} results stay usable without
   * a reference each. A submission batch pins once instead of counting references per request, as
   * Linux's {@code fdget} skips the count for a single-threaded caller. Must be called before the
   * lookups it protects.
   */
  public void pin() {
    pinners.incrementAndGet();
  }

  /** Ends a {@link #pin()}; the last one out releases what closes deferred meanwhile. */
  public void unpin() {
    if (pinners.decrementAndGet() == 0 && !deferred.isEmpty()) {
      releaseDeferred();
    }
  }

  /**
   * Drops the table's reference to a description removed from it: at once, or, while a pinner may
   * still use it, when the last pinner leaves. A ring is released at once, pinned or not: a batch
   * that found it without a reference loses nothing when it is freed (I/O, registration and {@code
   * IORING_OP_CLOSE} refuse ring fds; {@code MSG_RING} finds it closed), while a deferred release
   * would let the closed ring's requests run on for as long as another ring's batch takes.
   */
  private void drop(FileDescription file) {
    if (pinners.get() == 0 || file.isIoUring()) {
      file.release();
      return;
    }
    deferred.add(file);
    if (pinners.get() == 0) {
      releaseDeferred(); // the last pinner left before it could see this one
    }
  }

  private void releaseDeferred() {
    for (FileDescription f = deferred.poll(); f != null; f = deferred.poll()) {
      f.release();
    }
  }

  /** Told after an fd is closed; see {@link #onClose}. */
  private volatile Runnable closeListener = () -> {};

  /**
   * Sets what to tell after each close of an fd (and after {@link #closeAll}), outside the lock and
   * after the version has moved: the owner of a memory of lookups forgets the descriptions it
   * holds, so that a closed one can be freed.
   *
   * @param listener what to run
   */
  public void onClose(Runnable listener) {
    closeListener = listener;
  }

  /**
   * Returns the table's version: it moves after every change of a slot, so a {@link #get} made
   * after reading a version gives what the fd refers to for as long as the version reads the same.
   *
   * @return the version
   */
  public long version() {
    return version;
  }

  /**
   * Returns the description an fd refers to, without taking a reference.
   *
   * @param fd the fd
   * @return the description, or null if the fd is not open
   */
  public FileDescription get(int fd) {
    FileDescription[] current = slots;
    return fd >= 0 && fd < current.length ? (FileDescription) SLOT.getVolatile(current, fd) : null;
  }

  /**
   * Returns the description an fd refers to with a reference taken, which the caller releases.
   *
   * @param fd the fd
   * @return the description, or null if the fd is not open
   */
  public FileDescription retain(int fd) {
    FileDescription file = get(fd);
    return file != null && file.tryRetain() ? file : null;
  }

  /**
   * Removes an fd and drops the table's reference to its description.
   *
   * @param fd the fd
   * @throws ErrnoException {@code EBADF} if the fd is not open
   */
  public void close(int fd) {
    FileDescription file;
    lock.lock();
    try {
      FileDescription[] current = slots;
      file =
          fd >= 0 && fd < current.length
              ? (FileDescription) SLOT.getAndSet(current, fd, null)
              : null;
      version++;
    } finally {
      lock.unlock();
    }
    if (file == null) {
      throw new ErrnoException(Errno.EBADF, "fd " + fd + " is not open");
    }
    closeListener.run();
    drop(file);
  }

  /** Closes every fd. */
  public void closeAll() {
    FileDescription[] all;
    lock.lock();
    try {
      FileDescription[] current = slots;
      all = new FileDescription[current.length];
      for (int i = 0; i < all.length; i++) {
        all[i] = (FileDescription) SLOT.getAndSet(current, i, null);
      }
      version++;
    } finally {
      lock.unlock();
    }
    closeListener.run();
    Arrays.stream(all).filter(f -> f != null).forEach(this::drop);
  }

  /**
   * Returns the open fds and their descriptions, in fd order.
   *
   * @return a snapshot
   */
  public java.util.SortedMap<Integer, FileDescription> snapshot() {
    java.util.SortedMap<Integer, FileDescription> all = new java.util.TreeMap<>();
    FileDescription[] current = slots;
    for (int i = 0; i < current.length; i++) {
      FileDescription f = (FileDescription) SLOT.getVolatile(current, i);
      if (f != null) {
        all.put(i, f);
      }
    }
    return all;
  }

  /**
   * Returns the number of open fds.
   *
   * @return the count
   */
  public int count() {
    FileDescription[] current = slots;
    int n = 0;
    for (int i = 0; i < current.length; i++) {
      if ((FileDescription) SLOT.getVolatile(current, i) != null) {
        n++;
      }
    }
    return n;
  }
}
