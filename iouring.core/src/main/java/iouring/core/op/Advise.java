package iouring.core.op;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.SqeFlags;
import iouring.core.fd.FileDescription;
import iouring.core.fd.OpenFile;

/**
 * {@code IORING_OP_FADVISE}, as Linux's {@code advise.c}: checks the advice and the file and
 * returns 0. Advice changes no result, only caching, and providers cache as they see fit.
 */
final class Advise implements Op {
  @Override
  public int prep(Request req, RingContext ctx) {
    return req.bufIndex != 0 || req.spliceFdIn != 0 ? -Errno.EINVAL : 0;
  }

  @Override
  public int issue(Request req, RingContext ctx) {
    long length = req.addr != 0 ? req.addr : Integer.toUnsignedLong(req.len);
    FileDescription desc = ctx.file(req.fd, (req.flags & SqeFlags.IOSQE_FIXED_FILE) != 0);
    if (desc == null) {
      return -Errno.EBADF;
    }
    if (desc instanceof OpenFile && !((OpenFile) desc).file().seekable()) {
      return -Errno.ESPIPE; // generic_fadvise: a FIFO has no page cache to advise
    }
    // A ring is an anonymous inode, with a mapping on the no-op backing device: Linux's
    // generic_fadvise checks the length and the advice and ignores it, as for any file here.
    int advice = req.opFlags;
    if (advice < FileFlags.POSIX_FADV_NORMAL || advice > FileFlags.POSIX_FADV_NOREUSE) {
      return -Errno.EINVAL;
    }
    return length < 0 ? -Errno.EINVAL : 0;
  }
}
