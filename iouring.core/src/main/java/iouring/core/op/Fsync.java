package iouring.core.op;

import static iouring.api.abi.OpFlags.IORING_FSYNC_DATASYNC;

import iouring.api.abi.Errno;
import iouring.api.abi.SqeFlags;
import iouring.api.spi.VfsException;
import iouring.core.fd.FileDescription;
import iouring.core.fd.OpenFile;

/**
 * {@code IORING_OP_FSYNC}, as Linux's {@code sync.c}: {@code addr}, {@code buf_index} and {@code
 * splice_fd_in} must be 0 and {@code fsync_flags} at most {@code IORING_FSYNC_DATASYNC}. The range
 * in {@code off} and {@code len} is accepted; providers sync the whole file, which is what Linux
 * does on most file systems.
 */
final class Fsync implements Op {
  @Override
  public int prep(Request req, RingContext ctx) {
    if (req.addr != 0 || req.bufIndex != 0 || req.spliceFdIn != 0) {
      return -Errno.EINVAL;
    }
    if ((req.opFlags & ~IORING_FSYNC_DATASYNC) != 0) {
      return -Errno.EINVAL;
    }
    return 0;
  }

  @Override
  public int issue(Request req, RingContext ctx) {
    FileDescription file = ctx.file(req.fd, (req.flags & SqeFlags.IOSQE_FIXED_FILE) != 0);
    if (file == null) {
      return -Errno.EBADF;
    }
    try {
      if (!(file instanceof OpenFile)) {
        return -Errno.EINVAL; // a ring has no fsync, as in Linux
      }
      OpenFile open = (OpenFile) file;
      if ((open.flags() & iouring.api.abi.FileFlags.O_PATH) != 0) {
        return -Errno.EBADF;
      }
      if (!open.file().seekable()) {
        return -Errno.EINVAL;
      }
      open.file().sync((req.opFlags & IORING_FSYNC_DATASYNC) != 0);
      return 0;
    } catch (VfsException e) {
      return -e.errno();
    } finally {
      file.release();
    }
  }
}
