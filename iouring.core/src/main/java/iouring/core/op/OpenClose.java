package iouring.core.op;

import static iouring.api.abi.FileFlags.*;
import static iouring.api.abi.Opcodes.IORING_OP_CLOSE;
import static iouring.api.abi.Opcodes.IORING_OP_FIXED_FD_INSTALL;
import static iouring.api.abi.Opcodes.IORING_OP_OPENAT;

import iouring.api.ErrnoException;
import iouring.api.abi.Errno;
import iouring.api.abi.OpFlags;
import iouring.api.abi.OpenHowLayout;
import iouring.api.abi.SqeFlags;
import iouring.api.spi.VfsException;
import iouring.core.fd.FileDescription;
import iouring.core.fd.OpenFile;
import iouring.core.mem.UserMemory;
import iouring.core.task.Task;
import iouring.core.vfs.MountTable;
import iouring.core.vfs.PathWalk;
import java.nio.ByteBuffer;

/**
 * {@code IORING_OP_OPENAT}, {@code IORING_OP_OPENAT2}, {@code IORING_OP_CLOSE} and {@code
 * IORING_OP_FIXED_FD_INSTALL}, as Linux's {@code openclose.c}. Prep copies the path (and {@code
 * struct open_how}) out of user memory; issue applies {@code build_open_flags}' rules, resolves,
 * opens and installs the new file in the process's fd table.
 *
 * <p>{@code RESOLVE_BENEATH}, {@code RESOLVE_IN_ROOT}, {@code RESOLVE_NO_SYMLINKS} and {@code
 * RESOLVE_NO_XDEV} walk the path one component at a time ({@link PathWalk}), symlink targets
 * included, with Linux's {@code EXDEV} and {@code ELOOP}. {@code RESOLVE_CACHED} refuses {@code
 * O_CREAT} and {@code O_TRUNC} with {@code EAGAIN}, as Linux, and otherwise changes nothing: every
 * lookup here can complete at once. {@code RESOLVE_NO_MAGICLINKS} changes nothing: there are no
 * magic links.
 *
 * <p>With {@code file_index}, open installs the new file in a registered-file slot (a direct
 * descriptor) instead of the fd table, and close empties a slot; {@code FIXED_FD_INSTALL} gives a
 * slot's file an fd. Linux opens (and creates) before it looks at the slot, so a bad slot fails
 * after the file was created, as here.
 */
final class OpenClose implements Op {
  /** Linux's {@code VALID_OPEN_FLAGS} on x86_64; {@code FASYNC} is 020000. */
  private static final long VALID_OPEN_FLAGS =
      O_ACCMODE
          | O_CREAT
          | O_EXCL
          | O_NOCTTY
          | O_TRUNC
          | O_APPEND
          | O_NONBLOCK
          | O_DSYNC
          | 020000
          | O_DIRECT
          | O_LARGEFILE
          | O_DIRECTORY
          | O_NOFOLLOW
          | O_NOATIME
          | O_CLOEXEC
          | O_SYNC
          | O_PATH
          | O_TMPFILE;

  /** The flags {@code O_PATH} keeps. */
  private static final long O_PATH_FLAGS = O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC;

  /**
   * {@code __O_TMPFILE}: {@code O_TMPFILE} is this bit plus {@code O_DIRECTORY}, so testing {@code
   * O_TMPFILE} as a mask would take every {@code O_DIRECTORY} open for a temporary file.
   */
  private static final long __O_TMPFILE = O_TMPFILE & ~O_DIRECTORY;

  private static final long VALID_RESOLVE_FLAGS =
      RESOLVE_NO_XDEV
          | RESOLVE_NO_MAGICLINKS
          | RESOLVE_NO_SYMLINKS
          | RESOLVE_BENEATH
          | RESOLVE_IN_ROOT
          | RESOLVE_CACHED;

  @Override
  public int prep(Request req, RingContext ctx) {
    if (req.opcode == IORING_OP_CLOSE) {
      return prepClose(req);
    }
    if (req.opcode == IORING_OP_FIXED_FD_INSTALL) {
      return prepFixedFdInstall(req);
    }
    if (req.opcode == IORING_OP_OPENAT) {
      // build_open_how: openat(2) ignores unknown flags, O_PATH drops all but a few others, and
      // the mode counts only if the flags left create a file.
      long flags = Integer.toUnsignedLong(req.opFlags) & VALID_OPEN_FLAGS;
      if ((flags & O_PATH) != 0) {
        flags &= O_PATH_FLAGS;
      }
      req.openFlags = flags;
      req.openMode = willCreate(flags) ? req.len & 07777 : 0;
      req.openResolve = 0;
    } else {
      // io_openat2_prep copies open_how before the checks both ops share.
      int err = readOpenHow(req, ctx.memory());
      if (err < 0) {
        return err;
      }
    }
    if (req.bufIndex != 0) {
      return -Errno.EINVAL;
    }
    if ((req.flags & SqeFlags.IOSQE_FIXED_FILE) != 0) {
      return -Errno.EBADF;
    }
    String[] path = new String[1];
    int err = PathArgs.read(ctx.memory(), req.addr, false, path);
    if (err < 0) {
      return err;
    }
    req.path = path[0];
    if (req.spliceFdIn != 0 && (req.openFlags & O_CLOEXEC) != 0) {
      return -Errno.EINVAL;
    }
    return 0;
  }

  /**
   * Copies {@code struct open_how} as {@code copy_struct_from_user} does: a larger struct is
   * accepted if the bytes this kernel does not know are zero. Unlike {@code openat2(2)}, io_uring
   * sets no {@code PAGE_SIZE} limit on the size.
   */
  private static int readOpenHow(Request req, UserMemory mem) {
    long size = Integer.toUnsignedLong(req.len);
    if (size < OpenHowLayout.SIZE) {
      return -Errno.EINVAL;
    }
    // No mapping holds more than Integer.MAX_VALUE bytes, so a larger size runs off one: EFAULT.
    ByteBuffer how = size <= Integer.MAX_VALUE ? mem.slice(req.off, (int) size, false) : null;
    if (how == null) {
      return -Errno.EFAULT;
    }
    for (int i = OpenHowLayout.SIZE; i < how.limit(); i++) {
      if (how.get(i) != 0) {
        return -Errno.E2BIG; // a newer struct with fields this kernel does not know
      }
    }
    req.openFlags = how.getLong(OpenHowLayout.OFF_FLAGS);
    req.openMode = how.getLong(OpenHowLayout.OFF_MODE);
    req.openResolve = how.getLong(OpenHowLayout.OFF_RESOLVE);
    return 0;
  }

  private static int prepClose(Request req) {
    if (req.off != 0 || req.addr != 0 || req.len != 0 || req.opFlags != 0 || req.bufIndex != 0) {
      return -Errno.EINVAL;
    }
    if ((req.flags & SqeFlags.IOSQE_FIXED_FILE) != 0) {
      return -Errno.EBADF;
    }
    if (req.spliceFdIn != 0 && req.fd != 0) {
      return -Errno.EINVAL;
    }
    return 0;
  }

  /** Linux's {@code io_install_fixed_fd_prep}. */
  private static int prepFixedFdInstall(Request req) {
    if (req.off != 0
        || req.addr != 0
        || req.len != 0
        || req.bufIndex != 0
        || req.spliceFdIn != 0
        || req.addr3 != 0) {
      return -Errno.EINVAL;
    }
    if ((req.flags & SqeFlags.IOSQE_FIXED_FILE) == 0) {
      return -Errno.EBADF; // the op installs a registered file, so it must name a slot
    }
    if ((req.opFlags & ~OpFlags.IORING_FIXED_FD_NO_CLOEXEC) != 0) {
      return -Errno.EINVAL;
    }
    return 0;
  }

  @Override
  public int issue(Request req, RingContext ctx) {
    if (req.opcode == IORING_OP_CLOSE) {
      return close(req, ctx);
    }
    if (req.opcode == IORING_OP_FIXED_FD_INSTALL) {
      return fixedFdInstall(req, ctx);
    }
    int err = buildOpenFlags(req);
    if (err < 0) {
      return err;
    }
    Task task = ctx.task();
    try {
      int flags = (int) req.openFlags;
      if (Task.trailingSlash(req.path)) {
        if ((flags & O_CREAT) != 0) {
          // Linux's open_last_lookups: a create whose walk reaches a last name with a slash after
          // it is EISDIR, whatever is there; the walk to it fails first if it fails.
          task.mustBeDirectory(req.fd, Task.parent(req.path));
          return -Errno.EISDIR;
        }
        flags |= O_DIRECTORY; // else the walk wants a directory there: ENOTDIR before any O_TRUNC
      }
      String path = resolvePath(task, req);
      OpenFile file = task.open(req.fd, path, flags, (int) req.openMode);
      if (req.spliceFdIn != 0) {
        return ctx.fixedFiles().install(file, req.spliceFdIn); // slot + 1, or ALLOC
      }
      try {
        return task.files().install(file);
      } catch (ErrnoException e) {
        file.release();
        return -e.errno();
      }
    } catch (VfsException e) {
      return -e.errno();
    }
  }

  /** Linux's {@code WILL_CREATE}: the flags that make open use the mode. */
  private static boolean willCreate(long flags) {
    return (flags & (O_CREAT | __O_TMPFILE)) != 0;
  }

  /**
   * The checks of Linux's {@code build_open_flags}, in its order. They are the same for both ops:
   * openat's flags and mode were already cut down to valid values at prep ({@code build_open_how}),
   * so only openat2 can fail the first ones.
   */
  private static int buildOpenFlags(Request req) {
    long flags = req.openFlags;
    if ((flags & ~VALID_OPEN_FLAGS) != 0) {
      return -Errno.EINVAL;
    }
    if ((req.openResolve & ~VALID_RESOLVE_FLAGS) != 0) {
      return -Errno.EINVAL;
    }
    if ((req.openResolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT))
        == (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) {
      return -Errno.EINVAL;
    }
    if (willCreate(flags) ? (req.openMode & ~07777) != 0 : req.openMode != 0) {
      return -Errno.EINVAL;
    }
    if ((flags & (O_DIRECTORY | O_CREAT)) == (O_DIRECTORY | O_CREAT)) {
      return -Errno.EINVAL;
    }
    if ((flags & __O_TMPFILE) != 0) {
      if ((flags & O_DIRECTORY) == 0) {
        return -Errno.EINVAL;
      }
      if ((flags & O_ACCMODE) == O_RDONLY) {
        return -Errno.EINVAL; // ACC_MODE gives MAY_WRITE to every access mode but O_RDONLY
      }
    }
    if ((flags & O_PATH) != 0 && (flags & ~O_PATH_FLAGS) != 0) {
      return -Errno.EINVAL;
    }
    if ((req.openResolve & RESOLVE_CACHED) != 0
        && (flags & (O_TRUNC | O_CREAT | __O_TMPFILE)) != 0) {
      return -Errno.EAGAIN; // Linux does not even try a create or truncate from the cache alone
    }
    return 0;
  }

  /**
   * Applies the {@code RESOLVE_*} flags and returns the path to open: with any of the walk's rules,
   * every component is looked up in turn and checked ({@link PathWalk}), symlinks followed as open
   * follows them (the last one not under {@code O_NOFOLLOW} or {@code O_CREAT | O_EXCL}).
   */
  private static String resolvePath(Task task, Request req) throws VfsException {
    long resolve = req.openResolve;
    int rules = 0;
    if ((resolve & RESOLVE_BENEATH) != 0) {
      rules |= PathWalk.BENEATH;
    }
    if ((resolve & RESOLVE_IN_ROOT) != 0) {
      rules |= PathWalk.IN_ROOT;
    }
    if ((resolve & RESOLVE_NO_SYMLINKS) != 0) {
      rules |= PathWalk.NO_SYMLINKS;
    }
    if ((resolve & RESOLVE_NO_XDEV) != 0) {
      rules |= PathWalk.NO_XDEV;
    }
    if (rules == 0) {
      return req.path;
    }
    MountTable.check(req.path);
    long flags = req.openFlags;
    boolean exclusive = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
    if ((flags & O_NOFOLLOW) == 0 && !exclusive) {
      rules |= PathWalk.FOLLOW_LAST;
    }
    String start = task.directory(req.fd);
    return PathWalk.walk(task.mounts(), start, req.path, rules | PathWalk.ALL);
  }

  private static int close(Request req, RingContext ctx) {
    if (req.spliceFdIn != 0) {
      return ctx.fixedFiles().remove(req.spliceFdIn - 1);
    }
    FileDescription file = ctx.task().files().get(req.fd);
    if (file == null || file.isIoUring()) {
      return -Errno.EBADF; // Linux refuses to close a ring through a ring
    }
    try {
      ctx.task().files().close(req.fd);
      return 0;
    } catch (ErrnoException e) {
      return -e.errno();
    }
  }

  /**
   * Installs a registered file in the fd table, as Linux's {@code io_install_fixed_fd} ({@code
   * receive_fd}). Linux marks the new fd close-on-exec unless {@code IORING_FIXED_FD_NO_CLOEXEC};
   * an emulated process never execs, so the flag is accepted and changes nothing visible.
   */
  private static int fixedFdInstall(Request req, RingContext ctx) {
    FileDescription file = ctx.file(req.fd, true);
    if (file == null || !file.tryRetain()) {
      return -Errno.EBADF;
    }
    try {
      return ctx.task().files().install(file); // the fd table takes over this reference
    } catch (ErrnoException e) {
      file.release();
      return -e.errno();
    }
  }
}
