package iouring.core.fd;

import iouring.api.ErrnoException;
import iouring.api.abi.Errno;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
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

  /** The slots; replaced by a larger copy when the table grows (under lock). */
  private volatile AtomicReferenceArray<FileDescription> slots = new AtomicReferenceArray<>(16);

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
      AtomicReferenceArray<FileDescription> current = slots;
      for (int fd = 0; fd < current.length() && fd < limit; fd++) {
        if (current.get(fd) == null) {
          current.set(fd, file);
          return fd;
        }
      }
      int fd = current.length();
      if (fd >= limit) {
        throw new ErrnoException(Errno.EMFILE, "fd table holds " + limit + " files");
      }
      FileDescription[] copy = new FileDescription[Math.min(limit, fd * 2)];
      for (int i = 0; i < fd; i++) {
        copy[i] = current.get(i);
      }
      copy[fd] = file;
      slots = new AtomicReferenceArray<>(copy);
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

  /**
   * Returns the description an fd refers to, without taking a reference.
   *
   * @param fd the fd
   * @return the description, or null if the fd is not open
   */
  public FileDescription get(int fd) {
    AtomicReferenceArray<FileDescription> current = slots;
    return fd >= 0 && fd < current.length() ? current.get(fd) : null;
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
      AtomicReferenceArray<FileDescription> current = slots;
      file = fd >= 0 && fd < current.length() ? current.getAndSet(fd, null) : null;
    } finally {
      lock.unlock();
    }
    if (file == null) {
      throw new ErrnoException(Errno.EBADF, "fd " + fd + " is not open");
    }
    drop(file);
  }

  /** Closes every fd. */
  public void closeAll() {
    FileDescription[] all;
    lock.lock();
    try {
      AtomicReferenceArray<FileDescription> current = slots;
      all = new FileDescription[current.length()];
      for (int i = 0; i < all.length; i++) {
        all[i] = current.getAndSet(i, null);
      }
    } finally {
      lock.unlock();
    }
    Arrays.stream(all).filter(f -> f != null).forEach(this::drop);
  }

  /**
   * Returns the open fds and their descriptions, in fd order.
   *
   * @return a snapshot
   */
  public java.util.SortedMap<Integer, FileDescription> snapshot() {
    java.util.SortedMap<Integer, FileDescription> all = new java.util.TreeMap<>();
    AtomicReferenceArray<FileDescription> current = slots;
    for (int i = 0; i < current.length(); i++) {
      FileDescription f = current.get(i);
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
    AtomicReferenceArray<FileDescription> current = slots;
    int n = 0;
    for (int i = 0; i < current.length(); i++) {
      if (current.get(i) != null) {
        n++;
      }
    }
    return n;
  }
}
