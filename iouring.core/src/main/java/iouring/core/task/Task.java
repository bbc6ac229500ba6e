package iouring.core.task;

import static iouring.api.abi.FileFlags.*;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.core.fd.FdTable;
import iouring.core.fd.FileDescription;
import iouring.core.fd.OpenFile;
import iouring.core.mem.UserMemory;
import iouring.core.ring.KernelLimits;
import iouring.core.vfs.MountTable;
import iouring.core.vfs.PathWalk;

/**
 * What a process owns and its requests run with, Linux's {@code task_struct} in miniature: the fd
 * table, the address space, the mount table and the limits. A ring's requests run with the task of
 * the process that created the ring, as io_uring requests run with their submitter's files and
 * memory. Path resolution for the syscalls and for the ring's file ops lives here, so both behave
 * the same.
 */
public final class Task {
  private final KernelLimits limits;
  private final FdTable files;
  private final UserMemory memory;
  private final MountTable mounts;

  /** The most worker threads a process runs at once. */
  public static final int MAX_WORKERS = 16;

  private volatile java.util.concurrent.ThreadPoolExecutor workers;

  /** The file mode creation mask, {@code umask(2)}'s: 0 until set. */
  private final java.util.concurrent.atomic.AtomicInteger umask =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Sets the file mode creation mask, as {@code umask(2)}.
   *
   * @param mask the new mask; only its {@code 0777} bits count
   * @return the previous mask
   */
  public int umask(int mask) {
    return umask.getAndSet(mask & 0777);
  }

  /**
   * Returns the mode a file or directory is created with: the permission and mode bits asked for,
   * less the creation mask, as Linux's {@code open} and {@code mkdir} apply it.
   *
   * @param mode the mode asked for
   * @return the mode to create with
   */
  public int creationMode(int mode) {
    return mode & 07777 & ~umask.get();
  }

  /** Bytes of ring memory the process's rings hold, against {@code ringMemoryLimit}. */
  private final java.util.concurrent.atomic.AtomicLong ringBytes =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Accounts ring memory to the process, as Linux charges ring pages to its memory cgroup.
   *
   * @param bytes the ring's bytes
   * @return false, with nothing accounted, if the process would pass {@code ringMemoryLimit}
   */
  public boolean chargeRingMemory(long bytes) {
    for (long held = ringBytes.get(); ; held = ringBytes.get()) {
      if (held + bytes > limits.ringMemoryLimit()) {
        return false;
      }
      if (ringBytes.compareAndSet(held, held + bytes)) {
        return true;
      }
    }
  }

  /**
   * Returns ring memory a freed ring held.
   *
   * @param bytes the ring's bytes
   */
  public void unchargeRingMemory(long bytes) {
    ringBytes.addAndGet(-bytes);
  }

  /**
   * Returns the bytes of ring memory the process's rings hold.
   *
   * @return the bytes
   */
  public long ringMemory() {
    return ringBytes.get();
  }

  /**
   * Creates a task with an empty fd table, address space and mount table.
   *
   * @param limits the limits it runs under
   * @param mounts its mount table
   */
  public Task(KernelLimits limits, MountTable mounts) {
    this.limits = limits;
    this.mounts = mounts;
    this.files = new FdTable(limits.fdLimit());
    this.memory = new UserMemory(limits.maxMappings());
  }

  /**
   * Returns the process's worker threads, Linux's io-wq, created on first use: at most {@value
   * #MAX_WORKERS} daemon threads, which end after a minute without work.
   *
   * @return the executor
   */
  public java.util.concurrent.Executor workers() {
    java.util.concurrent.ThreadPoolExecutor pool = workers;
    if (pool == null) {
      synchronized (this) {
        pool = workers;
        if (pool == null) {
          java.util.concurrent.atomic.AtomicInteger n =
              new java.util.concurrent.atomic.AtomicInteger();
          pool =
              new java.util.concurrent.ThreadPoolExecutor(
                  MAX_WORKERS,
                  MAX_WORKERS,
                  60,
                  java.util.concurrent.TimeUnit.SECONDS,
                  new java.util.concurrent.LinkedBlockingQueue<>(),
                  r -> {
                    Thread t = new Thread(r, "iouring-wq-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                  });
          pool.allowCoreThreadTimeOut(true);
          workers = pool;
        }
      }
    }
    return pool;
  }

  /**
   * Stops taking new work for the workers: work already queued or running finishes (a worker is
   * never interrupted: an interrupt closes a {@code FileChannel} for every user), then the threads
   * end.
   */
  public void shutdownWorkers() {
    java.util.concurrent.ThreadPoolExecutor pool = workers;
    if (pool != null) {
      pool.shutdown();
    }
  }

  /**
   * Returns the limits.
   *
   * @return the limits
   */
  public KernelLimits limits() {
    return limits;
  }

  /**
   * Returns the fd table.
   *
   * @return the fds
   */
  public FdTable files() {
    return files;
  }

  /**
   * Returns the address space.
   *
   * @return the memory
   */
  public UserMemory memory() {
    return memory;
  }

  /**
   * Returns the mount table.
   *
   * @return the mounts
   */
  public MountTable mounts() {
    return mounts;
  }

  /**
   * Turns a path relative to a directory fd into an absolute, normalized path, as path walking
   * starts: an absolute path ignores {@code dirfd}; {@code AT_FDCWD} means the working directory,
   * which is {@code /}; otherwise {@code dirfd} must be an open directory.
   *
   * @param dirfd a directory fd or {@code AT_FDCWD}
   * @param path the path, already checked by {@link MountTable#check}
   * @return the absolute path
   * @throws VfsException {@code EBADF} for a bad dirfd, {@code ENOTDIR} for one that is not a
   *     directory
   */
  public String absolute(int dirfd, String path) throws VfsException {
    String start = path.startsWith("/") ? "/" : directory(dirfd);
    if (PathWalk.hasDotDot(path)) {
      // .. is the parent of the directory reached, which a symlink or a missing name makes
      // differ from the name as written: walk up to the last .., as Linux's link_path_walk.
      return PathWalk.walk(mounts, start, path, 0);
    }
    return MountTable.normalize(path.startsWith("/") ? path : start + "/" + path);
  }

  /**
   * Returns the absolute path of a directory fd, or {@code /} for {@code AT_FDCWD}.
   *
   * @param dirfd the fd
   * @return its path
   * @throws VfsException {@code EBADF} or {@code ENOTDIR}
   */
  public String directory(int dirfd) throws VfsException {
    if (dirfd == AT_FDCWD) {
      return "/";
    }
    FileDescription dir = files.get(dirfd);
    if (dir == null) {
      throw new VfsException(Errno.EBADF, "dirfd " + dirfd);
    }
    if (!(dir instanceof OpenFile) || !((OpenFile) dir).file().isDirectory()) {
      throw new VfsException(Errno.ENOTDIR, "dirfd " + dirfd);
    }
    return ((OpenFile) dir).path();
  }

  /**
   * Resolves a path to the provider that serves it. A last component {@code .} or {@code ..}
   * reaches the provider as written, below its parent: Linux decides by that component's type
   * before it looks at anything else ({@code rmdir} of {@code .} is {@code EINVAL}, of {@code ..}
   * {@code ENOTEMPTY}, {@code mkdir} {@code EEXIST} ...), and providers resolve it as Linux does.
   * The one exception is {@code ..} at a mount's root, which goes to the parent mount's directory.
   *
   * @param dirfd a directory fd or {@code AT_FDCWD}
   * @param path the path from the caller
   * @return the provider and the path below its mount point
   * @throws VfsException as path walking: {@code EFAULT}, {@code ENOENT}, {@code ENAMETOOLONG},
   *     {@code EBADF}, {@code ENOTDIR}
   */
  public MountTable.Resolved resolve(int dirfd, String path) throws VfsException {
    checkPath(dirfd, path);
    String last = lastName(path);
    if (last.equals(".") || last.equals("..")) {
      MountTable.Resolved at = mounts.resolve(absolute(dirfd, parent(path)));
      String below = at.relativePath();
      if (!below.isEmpty() || last.equals(".")) {
        return new MountTable.Resolved(
            at.provider(), below.isEmpty() ? last : below + "/" + last, at.mountId(), at.byName());
      }
    }
    return mounts.resolve(absolute(dirfd, path));
  }

  /**
   * Checks a path as {@link MountTable#check} does, with Linux's order for a component over {@code
   * NAME_MAX}: the walk meets it only after the components before it, so a missing one or a
   * non-directory among those is {@code ENOENT} or {@code ENOTDIR} first ({@code f/LONG} is {@code
   * ENOTDIR} when {@code f} is a file).
   *
   * @throws VfsException what {@link MountTable#check} throws, or the walk's error before it
   */
  public void checkPath(int dirfd, String path) throws VfsException {
    try {
      MountTable.check(path);
    } catch (VfsException e) {
      int at = MountTable.longComponent(path);
      if (e.errno() != Errno.ENAMETOOLONG
          || at <= 0
          || path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
              >= iouring.api.abi.Limits.PATH_MAX) {
        throw e; // getname's own checks, PATH_MAX among them, come before any walk
      }
      String before = path.substring(0, at);
      if (!before.equals("/")) {
        mustBeDirectory(dirfd, before);
      }
      throw e;
    }
  }

  /**
   * Whether a path has a slash after its last component ({@code f/}, {@code d//}), which makes
   * Linux's walk require a directory there ({@code LOOKUP_DIRECTORY}, or the op's own check of
   * {@code last.name[last.len]}). {@code /} and a last component {@code .} or {@code ..}, which are
   * directories anyway, are not counted.
   *
   * @param path the path as the caller wrote it
   * @return true for a trailing slash after a name
   */
  public static boolean trailingSlash(String path) {
    if (path.length() < 2 || !path.endsWith("/")) {
      return false;
    }
    String last = lastName(path);
    return !last.isEmpty() && !last.equals(".") && !last.equals("..");
  }

  /** Where a path's last name ends: its length without trailing slashes, keeping a lone "/". */
  private static int lastNameEnd(String path) {
    int end = path.length();
    while (end > 1 && path.charAt(end - 1) == '/') {
      end--;
    }
    return end;
  }

  /** A path's last name as written, without the slashes after it; empty for "/". */
  private static String lastName(String path) {
    int end = lastNameEnd(path);
    return path.substring(path.lastIndexOf('/', end - 1) + 1, end);
  }

  /**
   * Returns a path without its last component: what its walk goes through first ({@code .} for a
   * single name, {@code /} for a name at the root).
   *
   * @param path a path with a last name
   * @return the path of its parent directory
   */
  public static String parent(String path) {
    int slash = path.lastIndexOf('/', lastNameEnd(path) - 1);
    return slash < 0 ? "." : slash == 0 ? "/" : path.substring(0, slash);
  }

  /**
   * Looks a path up as a directory, following a last symlink: what the walk of a longer path, or of
   * this one with a trailing slash, does with it.
   *
   * @throws VfsException {@code ENOENT} if it is missing, {@code ENOTDIR} if it is not a directory
   */
  public void mustBeDirectory(int dirfd, String path) throws VfsException {
    MountTable.Resolved at = resolve(dirfd, path);
    if ((at.provider().stat(at.relativePath(), true).mode() & S_IFMT) != S_IFDIR) {
      throw new VfsException(Errno.ENOTDIR, path + " is not a directory");
    }
  }

  /**
   * Returns the file type ({@code S_IFMT} bits) of what a path names, a last symlink not followed,
   * or 0 if nothing is there.
   *
   * @throws VfsException the walk's error before the last component ({@code ENOTDIR}, ...)
   */
  public int typeOf(int dirfd, String path) throws VfsException {
    MountTable.Resolved at = resolve(dirfd, path);
    try {
      return at.provider().stat(at.relativePath(), false).mode() & S_IFMT;
    } catch (VfsException e) {
      if (e.errno() != Errno.ENOENT) {
        throw e;
      }
      return 0;
    }
  }

  /**
   * Opens a file as {@code openat(2)} does and returns its new open file description, not yet
   * installed in any table.
   *
   * @param dirfd a directory fd or {@code AT_FDCWD}
   * @param path the path
   * @param flags {@code O_*} flags, already validated by the caller's rules
   * @param mode the permission bits of a created file
   * @return the open file, holding one reference
   * @throws VfsException the errno {@code openat(2)} gives
   */
  public OpenFile open(int dirfd, String path, int flags, int mode) throws VfsException {
    checkPath(dirfd, path);
    String absolute = absolute(dirfd, path);
    MountTable.Resolved at = mounts.resolve(absolute);
    if ((flags & O_TMPFILE) == O_TMPFILE) {
      throw new VfsException(Errno.EOPNOTSUPP, "O_TMPFILE is not supported");
    }
    VfsFile file = at.provider().open(at.relativePath(), flags, creationMode(mode));
    return new OpenFile(
        file, flags, absolute, at.provider(), at.byName() ? mounts.registry() : null);
  }
}
