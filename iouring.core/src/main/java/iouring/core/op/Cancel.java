package iouring.core.op;

import static iouring.api.abi.OpFlags.*;

import iouring.api.abi.Errno;
import iouring.api.abi.SqeFlags;
import java.util.function.Predicate;

/**
 * {@code IORING_OP_ASYNC_CANCEL}, as Linux's {@code cancel.c}: finds requests in flight by
 * user_data (the default), by fd ({@code IORING_ASYNC_CANCEL_FD}, a registered slot with {@code
 * FD_FIXED}), by opcode ({@code OP}), or any ({@code ANY}); {@code ALL} and {@code ANY} cancel
 * every match and return the count, 0 when nothing matched (as 6.18, not {@code -ENOENT}).
 *
 * <p>What is in flight here: timeouts and work queued for or running on worker threads. Queued work
 * and armed timeouts complete with {@code -ECANCELED}; a request a worker runs, or a timeout that
 * is firing, cannot be stopped: a cancel of one answers {@code -EALREADY}, and it completes with
 * its own result. {@code ALL} and {@code ANY} return Linux's count, which is of searches that
 * cancelled something rather than of requests (see {@code Ring.cancel}). A request matches by fd on
 * the fd number (and fixed-ness) it was submitted with, where Linux compares the file it resolved:
 * the same unless the fd was closed and reused meanwhile.
 */
final class Cancel implements Op {
  private static final int FLAGS =
      IORING_ASYNC_CANCEL_ALL
          | IORING_ASYNC_CANCEL_FD
          | IORING_ASYNC_CANCEL_ANY
          | IORING_ASYNC_CANCEL_FD_FIXED
          | IORING_ASYNC_CANCEL_USERDATA
          | IORING_ASYNC_CANCEL_OP;

  @Override
  public int prep(Request req, RingContext ctx) {
    if (req.off != 0 || req.spliceFdIn != 0) {
      return -Errno.EINVAL;
    }
    int flags = req.opFlags;
    if ((flags & ~FLAGS) != 0) {
      return -Errno.EINVAL;
    }
    if ((flags & IORING_ASYNC_CANCEL_ANY) != 0
        && (flags & (IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_OP)) != 0) {
      return -Errno.EINVAL;
    }
    return 0;
  }

  @Override
  public int issue(Request req, RingContext ctx) {
    int flags = req.opFlags;
    long userData = req.addr;
    int fd = req.fd;
    boolean fixed = (flags & IORING_ASYNC_CANCEL_FD_FIXED) != 0;
    int opcode = req.len;
    boolean byUserData =
        (flags & (IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_OP)) == 0
            || (flags & IORING_ASYNC_CANCEL_USERDATA) != 0;
    Predicate<Request> match =
        r -> {
          if ((flags & IORING_ASYNC_CANCEL_ANY) != 0) {
            return true;
          }
          if ((flags & IORING_ASYNC_CANCEL_FD) != 0
              && (r.fd != fd || ((r.flags & SqeFlags.IOSQE_FIXED_FILE) != 0) != fixed)) {
            return false;
          }
          if ((flags & IORING_ASYNC_CANCEL_OP) != 0 && r.opcode != opcode) {
            return false;
          }
          return !byUserData || r.userData == userData;
        };
    return ctx.cancel(match, flags);
  }
}
