package iouring.core.op;

import static iouring.api.abi.FileFlags.*;
import static iouring.api.abi.OpFlags.IORING_FSYNC_DATASYNC;
import static iouring.api.abi.Opcodes.*;

import iouring.api.abi.Errno;
import iouring.api.abi.SqeFlags;
import iouring.api.spi.VfsException;
import iouring.core.fd.FileDescription;
import iouring.core.fd.OpenFile;

/**
 * {@code IORING_OP_FSYNC}, {@code IORING_OP_SYNC_FILE_RANGE} and {@code IORING_OP_FALLOCATE}, as
 * Linux's {@code sync.c}. A sync range syncs the whole file, as most Linux file systems do.
 */
final class Sync implements Op {
  private static final int SYNC_FILE_RANGE_VALID =
      SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;

  /** Linux's {@code FALLOC_FL_MODE_MASK}: the modes, of which a call may name at most one. */
  private static final int FALLOC_FL_MODE_MASK =
      FALLOC_FL_ALLOCATE_RANGE
          | FALLOC_FL_PUNCH_HOLE
          | FALLOC_FL_COLLAPSE_RANGE
          | FALLOC_FL_ZERO_RANGE
          | FALLOC_FL_INSERT_RANGE
          | FALLOC_FL_UNSHARE_RANGE
          | FALLOC_FL_WRITE_ZEROES;

  @Override
  public int prep(Request req, RingContext ctx) {
    switch (req.opcode) {
      case IORING_OP_FSYNC:
        if (req.addr != 0 || req.bufIndex != 0 || req.spliceFdIn != 0) {
          return -Errno.EINVAL;
        }
        return (req.opFlags & ~IORING_FSYNC_DATASYNC) != 0 ? -Errno.EINVAL : 0;
      case IORING_OP_SYNC_FILE_RANGE:
        return req.addr != 0 || req.bufIndex != 0 || req.spliceFdIn != 0 ? -Errno.EINVAL : 0;
      default: // IORING_OP_FALLOCATE
        return req.bufIndex != 0 || req.opFlags != 0 || req.spliceFdIn != 0 ? -Errno.EINVAL : 0;
    }
  }

  @Override
  public int issue(Request req, RingContext ctx) {
    FileDescription desc = ctx.file(req.fd, (req.flags & SqeFlags.IOSQE_FIXED_FILE) != 0);
    if (desc == null) {
      return -Errno.EBADF;
    }
    try {
      // A ring is the one description that is not an OpenFile: an anonymous inode, neither a
      // regular file nor a pipe, which each op below refuses the way Linux does.
      OpenFile file = desc instanceof OpenFile ? (OpenFile) desc : null;
      switch (req.opcode) {
        case IORING_OP_FSYNC:
          if (file == null || !file.file().seekable()) {
            return -Errno.EINVAL; // no ->fsync
          }
          file.file().sync((req.opFlags & IORING_FSYNC_DATASYNC) != 0);
          return 0;
        case IORING_OP_SYNC_FILE_RANGE:
          return syncFileRange(req, file);
        default:
          return fallocate(req, file);
      }
    } catch (VfsException e) {
      // A provider that left mid-call closed the file under it: EIO, as every later operation.
      return desc instanceof OpenFile ? -((OpenFile) desc).errno(e) : -e.errno();
    }
  }

  private static int syncFileRange(Request req, OpenFile file) throws VfsException {
    long offset = req.off;
    long nbytes = Integer.toUnsignedLong(req.len);
    if ((req.opFlags & ~SYNC_FILE_RANGE_VALID) != 0 || offset < 0 || offset + nbytes < 0) {
      return -Errno.EINVAL;
    }
    if (file == null || !file.file().seekable()) {
      return -Errno.ESPIPE; // neither a regular file, a directory nor a link
    }
    if ((req.opFlags & (SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER)) != 0) {
      file.file().sync(true);
    }
    return 0;
  }

  /** The checks of Linux's {@code vfs_fallocate} (6.18), in its order, then the provider. */
  private static int fallocate(Request req, OpenFile file) throws VfsException {
    int mode = req.len;
    long offset = req.off;
    long length = req.addr;
    if (offset < 0 || length <= 0) {
      return -Errno.EINVAL;
    }
    if ((mode & ~(FALLOC_FL_MODE_MASK | FALLOC_FL_KEEP_SIZE)) != 0) {
      return -Errno.EOPNOTSUPP;
    }
    // The modes exclude one another; KEEP_SIZE is required by one and refused by three.
    switch (mode & FALLOC_FL_MODE_MASK) {
      case FALLOC_FL_ALLOCATE_RANGE:
      case FALLOC_FL_UNSHARE_RANGE:
      case FALLOC_FL_ZERO_RANGE:
        break;
      case FALLOC_FL_PUNCH_HOLE:
        if ((mode & FALLOC_FL_KEEP_SIZE) == 0) {
          return -Errno.EOPNOTSUPP;
        }
        break;
      case FALLOC_FL_COLLAPSE_RANGE:
      case FALLOC_FL_INSERT_RANGE:
      case FALLOC_FL_WRITE_ZEROES:
        if ((mode & FALLOC_FL_KEEP_SIZE) != 0) {
          return -Errno.EOPNOTSUPP;
        }
        break;
      default:
        return -Errno.EOPNOTSUPP;
    }
    if (file == null) {
      return -Errno.ENODEV; // a ring is open for writing, but neither a regular file nor a device
    }
    if (!file.writable()) {
      return -Errno.EBADF;
    }
    if (!file.file().seekable()) {
      return -Errno.ESPIPE;
    }
    if (file.file().isDirectory()) {
      return -Errno.EISDIR;
    }
    if (offset + length < 0) {
      return -Errno.EFBIG;
    }
    file.file().allocate(mode, offset, length);
    return 0;
  }
}
