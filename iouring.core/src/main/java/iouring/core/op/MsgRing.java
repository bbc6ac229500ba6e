package iouring.core.op;

import static iouring.api.abi.OpFlags.*;

import iouring.api.abi.Errno;
import iouring.api.abi.SqeFlags;
import iouring.core.fd.FileDescription;

/**
 * {@code IORING_OP_MSG_RING}, as Linux's {@code msg_ring.c}: posts a CQE on another ring of the
 * process ({@code IORING_MSG_DATA}: {@code user_data = off}, {@code res = len}, flags 0 or, with
 * {@code IORING_MSG_RING_FLAGS_PASS}, {@code file_index}), or installs one of this ring's
 * registered files in the target's table ({@code IORING_MSG_SEND_FD}: {@code addr3} is the source
 * slot, {@code file_index} the target slot or {@code IORING_FILE_INDEX_ALLOC}). The source CQE is
 * 0; a message to the ring itself posts the target CQE first, as Linux.
 */
final class MsgRing implements Op {
  private static final int FLAGS = IORING_MSG_RING_CQE_SKIP | IORING_MSG_RING_FLAGS_PASS;

  @Override
  public int prep(Request req, RingContext ctx) {
    if (req.bufIndex != 0 || req.personality != 0) {
      return -Errno.EINVAL;
    }
    return (req.opFlags & ~FLAGS) != 0 ? -Errno.EINVAL : 0;
  }

  @Override
  public int issue(Request req, RingContext ctx) {
    FileDescription target = ctx.file(req.fd, (req.flags & SqeFlags.IOSQE_FIXED_FILE) != 0);
    if (target == null) {
      return -Errno.EBADF;
    }
    if (!target.isIoUring()) {
      return -Errno.EBADFD;
    }
    RingContext.MessageTarget ring = (RingContext.MessageTarget) target;
    int flags = req.opFlags;
    switch ((int) req.addr) {
      case IORING_MSG_DATA:
        if (req.addr3 != 0 || (flags & ~IORING_MSG_RING_FLAGS_PASS) != 0) {
          return -Errno.EINVAL;
        }
        if ((flags & IORING_MSG_RING_FLAGS_PASS) == 0 && req.spliceFdIn != 0) {
          return -Errno.EINVAL;
        }
        ring.message(
            req.off, req.len, (flags & IORING_MSG_RING_FLAGS_PASS) != 0 ? req.spliceFdIn : 0);
        return 0;
      case IORING_MSG_SEND_FD:
        if (req.len != 0) {
          return -Errno.EINVAL;
        }
        FileDescription file = ctx.fixedFiles().get((int) req.addr3);
        if (file == null || !file.tryRetain()) {
          return -Errno.EBADF;
        }
        // The target's table takes the reference, or drops it on failure.
        return ring.sendFile(
            file, req.spliceFdIn, req.off, (flags & IORING_MSG_RING_CQE_SKIP) == 0);
      default:
        return -Errno.EINVAL;
    }
  }
}
