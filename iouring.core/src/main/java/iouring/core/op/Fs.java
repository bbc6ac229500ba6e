package iouring.core.op;

import static iouring.api.abi.FileFlags.*;
import static iouring.api.abi.Opcodes.*;

import iouring.api.abi.Errno;
import iouring.api.abi.SqeFlags;
import iouring.api.spi.VfsException;
import iouring.core.fd.FileDescription;
import iouring.core.fd.OpenFile;
import iouring.core.task.Task;
import iouring.core.vfs.MountTable;

/**
 * The namespace ops, as Linux's {@code fs.c}: {@code RENAMEAT}, {@code UNLINKAT}, {@code MKDIRAT},
 * {@code SYMLINKAT} and {@code LINKAT}. Prep checks the fields each op must leave zero and copies
 * the paths; issue resolves them and calls the provider. A rename or link between two mounts is
 * {@code EXDEV}, as between two Linux file systems.
 */
final class Fs implements Op {
  @Override
  public int prep(Request req, RingContext ctx) {
    // Each prep of fs.c checks the fields its op leaves unused, then IOSQE_FIXED_FILE (a path op
    // has no file to fix), then UNLINKAT's flags.
    boolean twoPaths;
    boolean unused;
    switch (req.opcode) {
      case IORING_OP_RENAMEAT:
      case IORING_OP_LINKAT:
        unused = req.bufIndex != 0 || req.spliceFdIn != 0;
        twoPaths = true;
        break;
      case IORING_OP_UNLINKAT:
        unused = req.off != 0 || req.len != 0 || req.bufIndex != 0 || req.spliceFdIn != 0;
        twoPaths = false;
        break;
      case IORING_OP_MKDIRAT:
        unused = req.off != 0 || req.opFlags != 0 || req.bufIndex != 0 || req.spliceFdIn != 0;
        twoPaths = false;
        break;
      default: // IORING_OP_SYMLINKAT
        unused = req.len != 0 || req.opFlags != 0 || req.bufIndex != 0 || req.spliceFdIn != 0;
        twoPaths = true;
        break;
    }
    if (unused) {
      return -Errno.EINVAL;
    }
    if ((req.flags & SqeFlags.IOSQE_FIXED_FILE) != 0) {
      return -Errno.EBADF;
    }
    if (req.opcode == IORING_OP_UNLINKAT && (req.opFlags & ~AT_REMOVEDIR) != 0) {
      return -Errno.EINVAL;
    }
    // LINKAT takes an empty old path with AT_EMPTY_PATH (getname_uflags); the rest use getname.
    boolean emptyAllowed = req.opcode == IORING_OP_LINKAT && (req.opFlags & AT_EMPTY_PATH) != 0;
    String[] path = new String[1];
    int err = PathArgs.read(ctx.memory(), req.addr, emptyAllowed, path);
    if (err < 0) {
      return err;
    }
    req.path = path[0];
    if (twoPaths) {
      err = PathArgs.read(ctx.memory(), req.off, false, path); // addr2
      if (err < 0) {
        return err;
      }
      req.path2 = path[0];
    }
    return 0;
  }

  @Override
  public int issue(Request req, RingContext ctx) {
    Task task = ctx.task();
    try {
      switch (req.opcode) {
        case IORING_OP_UNLINKAT:
          {
            MountTable.Resolved at = task.resolve(req.fd, req.path);
            if ((req.opFlags & AT_REMOVEDIR) != 0) {
              at.provider().rmdir(at.relativePath());
            } else if (Task.trailingSlash(req.path)) {
              // Linux's do_unlinkat, "slashes": never an unlink; what is there says which error.
              int type = task.typeOf(req.fd, req.path);
              return type == 0 ? -Errno.ENOENT : type == S_IFDIR ? -Errno.EISDIR : -Errno.ENOTDIR;
            } else {
              at.provider().unlink(at.relativePath());
            }
            return 0;
          }
        case IORING_OP_MKDIRAT:
          {
            MountTable.Resolved at = task.resolve(req.fd, req.path);
            at.provider().mkdir(at.relativePath(), task.creationMode(req.len));
            return 0;
          }
        case IORING_OP_SYMLINKAT:
          {
            MountTable.checkTarget(req.path); // the target is stored, not resolved
            MountTable.Resolved at = task.resolve(req.fd, req.path2);
            if (Task.trailingSlash(req.path2)) {
              return newNameWithSlash(task, req.fd, req.path2);
            }
            at.provider().symlink(req.path, at.relativePath());
            return 0;
          }
        case IORING_OP_RENAMEAT:
          {
            int flags = req.opFlags;
            if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0
                || (flags & (RENAME_NOREPLACE | RENAME_EXCHANGE))
                    == (RENAME_NOREPLACE | RENAME_EXCHANGE)
                || (flags & (RENAME_WHITEOUT | RENAME_EXCHANGE))
                    == (RENAME_WHITEOUT | RENAME_EXCHANGE)) {
              return -Errno.EINVAL;
            }
            if ((flags & RENAME_WHITEOUT) != 0) {
              return -Errno.EINVAL; // whiteouts are for overlay file systems; none is emulated
            }
            MountTable.Resolved from = task.resolve(req.fd, req.path);
            MountTable.Resolved to = task.resolve(req.len, req.path2); // len is newdirfd
            if (Task.trailingSlash(req.path) || Task.trailingSlash(req.path2)) {
              // Linux's do_renameat2: a slash after either name needs a directory to move.
              int type = task.typeOf(req.fd, req.path);
              if (type == 0) {
                return -Errno.ENOENT;
              }
              if (type != S_IFDIR) {
                return -Errno.ENOTDIR;
              }
            }
            if (from.mountId() != to.mountId()) {
              return -Errno.EXDEV;
            }
            from.provider().rename(from.relativePath(), to.relativePath(), flags);
            return 0;
          }
        default: // IORING_OP_LINKAT
          {
            int flags = req.opFlags;
            if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) {
              return -Errno.EINVAL;
            }
            MountTable.Resolved from;
            if (req.path.isEmpty()) {
              // Only with AT_EMPTY_PATH (prep refused it otherwise): link the file the fd is open
              // on, which Linux allows the process that opened it since 6.10. We reach the file by
              // the path it was opened by, as the fd forms of the xattr ops do.
              FileDescription file = req.fd == AT_FDCWD ? null : task.files().get(req.fd);
              if (req.fd != AT_FDCWD && file == null) {
                return -Errno.EBADF;
              }
              if (file != null && !(file instanceof OpenFile)) {
                return -Errno.EXDEV; // a ring lives on no mount of ours
              }
              from = task.mounts().resolve(file == null ? "/" : ((OpenFile) file).path());
            } else {
              from = task.resolve(req.fd, req.path);
              if (Task.trailingSlash(req.path)) {
                task.mustBeDirectory(req.fd, req.path); // a directory then fails to link: EPERM
              }
            }
            MountTable.Resolved to = task.resolve(req.len, req.path2); // len is newdirfd
            if (Task.trailingSlash(req.path2)) {
              return newNameWithSlash(task, req.len, req.path2);
            }
            if (from.mountId() != to.mountId()) {
              return -Errno.EXDEV;
            }
            if ((flags & AT_SYMLINK_FOLLOW) != 0
                && (from.provider().stat(from.relativePath(), false).mode() & S_IFMT) == S_IFLNK) {
              // Linking what a symlink points to needs resolution the SPI leaves to providers.
              return -Errno.EOPNOTSUPP;
            }
            from.provider().link(from.relativePath(), to.relativePath());
            return 0;
          }
      }
    } catch (VfsException e) {
      return -e.errno();
    }
  }

  /**
   * The result of creating a link or symlink under a new name with a slash after it, as Linux's
   * {@code filename_create}: {@code EEXIST} if something is there, else {@code ENOENT} (a slash
   * asks for a directory, which these never create).
   */
  private static int newNameWithSlash(Task task, int dirfd, String path) throws VfsException {
    return task.typeOf(dirfd, path) != 0 ? -Errno.EEXIST : -Errno.ENOENT;
  }
}
