package iouring.core.op;

import static iouring.api.abi.FileFlags.AT_FDCWD;
import static iouring.api.abi.FileFlags.XATTR_CREATE;
import static iouring.api.abi.FileFlags.XATTR_REPLACE;
import static iouring.api.abi.Opcodes.*;

import iouring.api.abi.Errno;
import iouring.api.abi.SqeFlags;
import iouring.api.spi.VfsException;
import iouring.core.fd.FileDescription;
import iouring.core.fd.OpenFile;
import iouring.core.mem.FaultException;
import iouring.core.task.Task;
import iouring.core.vfs.MountTable;
import java.nio.ByteBuffer;

/**
 * The extended-attribute ops, as Linux's {@code xattr.c}: {@code FGETXATTR}, {@code GETXATTR},
 * {@code FSETXATTR} and {@code SETXATTR}. {@code addr} is the name, {@code addr2} the value, {@code
 * len} its size, {@code xattr_flags} the flags and, for the path forms, {@code addr3} the path.
 * Providers without {@link iouring.api.spi.VfsCapability#XATTRS} give {@code EOPNOTSUPP}. The fd
 * forms reach the attribute through the path the file was opened by.
 */
final class Xattr implements Op {
  private static final int XATTR_NAME_MAX = 255;
  private static final int XATTR_SIZE_MAX = 65536;

  @Override
  public int prep(Request req, RingContext ctx) {
    if ((req.flags & SqeFlags.IOSQE_FIXED_FILE) != 0) {
      return -Errno.EBADF;
    }
    boolean set = req.opcode == IORING_OP_SETXATTR || req.opcode == IORING_OP_FSETXATTR;
    if (set ? (req.opFlags & ~(XATTR_CREATE | XATTR_REPLACE)) != 0 : req.opFlags != 0) {
      return -Errno.EINVAL;
    }
    try {
      String name = ctx.memory().getCString(req.addr, XATTR_NAME_MAX);
      if (name == null || name.isEmpty()) {
        return -Errno.ERANGE;
      }
      req.path2 = name;
    } catch (FaultException e) {
      return -Errno.EFAULT;
    }
    if (set && Integer.toUnsignedLong(req.len) > XATTR_SIZE_MAX) {
      return -Errno.E2BIG;
    }
    if (req.opcode == IORING_OP_GETXATTR || req.opcode == IORING_OP_SETXATTR) {
      String[] path = new String[1];
      int err = PathArgs.read(ctx.memory(), req.addr3, false, path);
      req.path = path[0];
      return err;
    }
    return 0;
  }

  @Override
  public int issue(Request req, RingContext ctx) {
    Task task = ctx.task();
    try {
      // The file comes first, as in Linux: the fd forms' file is taken (fget) before the op
      // runs, the path forms look the path up (filename_lookup, following a symlink), and only
      // then does the attribute's name matter.
      MountTable.Resolved at;
      if (req.opcode == IORING_OP_GETXATTR || req.opcode == IORING_OP_SETXATTR) {
        at = task.resolve(AT_FDCWD, req.path); // relative to the working directory
        at.provider().stat(at.relativePath(), true);
      } else {
        FileDescription desc = ctx.file(req.fd, false);
        if (desc == null) {
          return -Errno.EBADF;
        }
        if (!(desc instanceof OpenFile)) {
          return -Errno.EOPNOTSUPP; // an anonymous inode (a ring) has no xattr handlers
        }
        at = task.mounts().resolve(((OpenFile) desc).path());
      }
      String name = req.path2;
      if (!name.startsWith("user.")
          && !name.startsWith("trusted.")
          && !name.startsWith("security.")
          && !name.startsWith("system.")) {
        return -Errno.EOPNOTSUPP; // no handler for the namespace (xattr_resolve_name)
      }
      boolean set = req.opcode == IORING_OP_SETXATTR || req.opcode == IORING_OP_FSETXATTR;
      return set ? set(req, ctx, at) : get(req, ctx, at);
    } catch (VfsException e) {
      return -e.errno();
    }
  }

  private static int set(Request req, RingContext ctx, MountTable.Resolved at) throws VfsException {
    byte[] value;
    try {
      value = req.len == 0 ? new byte[0] : ctx.memory().getBytes(req.off, req.len);
    } catch (FaultException e) {
      return -Errno.EFAULT;
    }
    at.provider().setxattr(at.relativePath(), req.path2, value, req.opFlags, true);
    return 0;
  }

  private static int get(Request req, RingContext ctx, MountTable.Resolved at) throws VfsException {
    byte[] value = at.provider().getxattr(at.relativePath(), req.path2, true);
    long size = Math.min(Integer.toUnsignedLong(req.len), XATTR_SIZE_MAX);
    if (size == 0) {
      return value.length; // the caller asks for the size
    }
    if (value.length > size) {
      return -Errno.ERANGE;
    }
    try {
      ctx.memory().put(req.off, ByteBuffer.wrap(value));
      return value.length;
    } catch (FaultException e) {
      return -Errno.EFAULT;
    }
  }
}
