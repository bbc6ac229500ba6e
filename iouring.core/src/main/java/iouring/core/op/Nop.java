package iouring.core.op;

import static iouring.api.abi.OpFlags.*;

import iouring.api.abi.Errno;
import iouring.api.abi.SqeFlags;
import iouring.core.fd.FileDescription;

/**
 * {@code IORING_OP_NOP}, as Linux's {@code nop.c}: checks nothing but {@code nop_flags}; {@code
 * INJECT_RESULT} returns {@code (s32) len}, {@code FILE} looks up {@code fd} (registered with
 * {@code FIXED_FILE}), {@code FIXED_BUFFER} looks up {@code buf_index}. {@code CQE32} needs a CQE32
 * ring, which the emulation does not offer, so it is {@code -EINVAL} as on a plain ring.
 */
final class Nop implements Op {
  private static final int VALID =
      IORING_NOP_INJECT_RESULT
          | IORING_NOP_FILE
          | IORING_NOP_FIXED_FILE
          | IORING_NOP_FIXED_BUFFER
          | IORING_NOP_TW
          | IORING_NOP_CQE32;

  @Override
  public int prep(Request req, RingContext ctx) {
    int flags = req.opFlags;
    if ((flags & ~VALID) != 0 || (flags & IORING_NOP_CQE32) != 0) {
      return -Errno.EINVAL;
    }
    return 0;
  }

  @Override
  public int issue(Request req, RingContext ctx) {
    int flags = req.opFlags;
    int res = (flags & IORING_NOP_INJECT_RESULT) != 0 ? req.len : 0;
    if ((flags & IORING_NOP_FILE) != 0) {
      boolean fixed =
          (flags & IORING_NOP_FIXED_FILE) != 0 || (req.flags & SqeFlags.IOSQE_FIXED_FILE) != 0;
      FileDescription file = ctx.file(req.fd, fixed);
      if (file == null) {
        return -Errno.EBADF;
      }
    }
    if ((flags & IORING_NOP_FIXED_BUFFER) != 0 && !ctx.buffers().has(req.bufIndex)) {
      return -Errno.EFAULT;
    }
    return res;
  }
}
