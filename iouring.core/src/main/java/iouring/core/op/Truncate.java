package iouring.core.op;

import iouring.api.abi.Errno;
import iouring.api.abi.SqeFlags;
import iouring.api.spi.VfsException;
import iouring.core.fd.FileDescription;
import iouring.core.fd.OpenFile;

/**
 * {@code IORING_OP_FTRUNCATE}, as Linux's {@code truncate.c}: the new size is {@code off}; every
 * other field must be 0. A file not open for writing is {@code EINVAL}, as {@code do_ftruncate}
 * reports it.
 */
final class Truncate implements Op {
  @Override
  public int prep(Request req, RingContext ctx) {
    if (req.opFlags != 0
        || req.addr != 0
        || req.len != 0
        || req.bufIndex != 0
        || req.spliceFdIn != 0
        || req.addr3 != 0) {
      return -Errno.EINVAL;
    }
    return 0;
  }

  @Override
  public int issue(Request req, RingContext ctx) {
    FileDescription desc = ctx.file(req.fd, (req.flags & SqeFlags.IOSQE_FIXED_FILE) != 0);
    if (desc == null) {
      return -Errno.EBADF;
    }
    try {
      if (!(desc instanceof OpenFile)) {
        return -Errno.EINVAL;
      }
      OpenFile file = (OpenFile) desc;
      if (!file.writable() || file.file().isDirectory() || !file.file().seekable()) {
        return -Errno.EINVAL;
      }
      if (req.off < 0) {
        return -Errno.EINVAL; // do_truncate, after the file was found and checked
      }
      file.file().truncate(req.off);
      return 0;
    } catch (VfsException e) {
      // A provider that left mid-call closed the file under it: EIO, as every later operation.
      return desc instanceof OpenFile ? -((OpenFile) desc).errno(e) : -e.errno();
    }
  }
}
