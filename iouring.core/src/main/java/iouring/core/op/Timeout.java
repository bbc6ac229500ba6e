package iouring.core.op;

import static iouring.api.abi.OpFlags.*;

import iouring.api.abi.Errno;
import iouring.api.abi.Opcodes;
import iouring.api.abi.SqeFlags;
import iouring.api.abi.TimespecLayout;
import iouring.core.mem.FaultException;

/**
 * {@code IORING_OP_TIMEOUT}, {@code IORING_OP_TIMEOUT_REMOVE} and {@code IORING_OP_LINK_TIMEOUT},
 * as Linux's {@code timeout.c}; the chain side of a linked timeout is in the ring's chain runner.
 *
 * <p>A timeout completes with {@code -ETIME} when its time passes (a failure that breaks a link,
 * unless {@code IORING_TIMEOUT_ETIME_SUCCESS}), with 0 once {@code off} other CQEs were posted
 * (counted from the start of its submission batch, so that earlier requests of the same batch
 * count, as on Linux where their CQEs are flushed after the timeout is armed), or with {@code
 * -ECANCELED} when removed. {@code IORING_TIMEOUT_MULTISHOT} posts {@code -ETIME} with {@code
 * IORING_CQE_F_MORE} at every expiry, {@code off} times (forever for 0). Relative times and {@code
 * CLOCK_MONOTONIC} and {@code CLOCK_BOOTTIME} deadlines run on {@link System#nanoTime()}; {@code
 * CLOCK_REALTIME} deadlines on {@link System#currentTimeMillis()}. Removing, updating or cancelling
 * a timeout whose timer task has started (it waits for the ring lock) is {@code -EALREADY}, as
 * Linux answers for a timeout whose hrtimer callback runs.
 *
 * <p>A {@code LINK_TIMEOUT} starts when its target's issue returns, as in Linux 6.18: at once for a
 * target that completes later inline (a timeout), but only when the worker is done with a target
 * sent to a worker ({@code IOSQE_ASYNC}), so it never times a worker's run. When it fires it
 * cancels by the target's user_data and posts {@code -ETIME}, or the cancel's error when that found
 * nothing to cancel.
 */
public final class Timeout implements Op {
  private static final int TIMEOUT_FLAGS =
      IORING_TIMEOUT_ABS
          | IORING_TIMEOUT_CLOCK_MASK
          | IORING_TIMEOUT_ETIME_SUCCESS
          | IORING_TIMEOUT_MULTISHOT;

  @Override
  public int prep(Request req, RingContext ctx) {
    if (req.opcode == Opcodes.IORING_OP_LINK_TIMEOUT) {
      // A linked timeout counts nothing and fires once (Linux: is_timeout_link).
      if (req.off != 0 || (req.opFlags & IORING_TIMEOUT_MULTISHOT) != 0) {
        return -Errno.EINVAL;
      }
      return prepTimeout(req, ctx);
    }
    return req.opcode == Opcodes.IORING_OP_TIMEOUT ? prepTimeout(req, ctx) : prepRemove(req, ctx);
  }

  private static int prepTimeout(Request req, RingContext ctx) {
    if (req.bufIndex != 0 || req.len != 1 || req.spliceFdIn != 0) {
      return -Errno.EINVAL;
    }
    int flags = req.opFlags;
    if ((flags & ~TIMEOUT_FLAGS) != 0
        || Integer.bitCount(flags & IORING_TIMEOUT_CLOCK_MASK) > 1
        || (flags & (IORING_TIMEOUT_MULTISHOT | IORING_TIMEOUT_ABS))
            == (IORING_TIMEOUT_MULTISHOT | IORING_TIMEOUT_ABS)) {
      return -Errno.EINVAL;
    }
    return readTimespec(req, ctx, req.addr);
  }

  private static int prepRemove(Request req, RingContext ctx) {
    if ((req.flags & SqeFlags.IOSQE_FIXED_FILE) != 0) {
      return -Errno.EINVAL;
    }
    if (req.bufIndex != 0 || req.len != 0 || req.spliceFdIn != 0) {
      return -Errno.EINVAL;
    }
    int flags = req.opFlags;
    if ((flags & IORING_TIMEOUT_UPDATE_MASK) == 0) {
      return flags != 0 ? -Errno.EINVAL : 0;
    }
    if (Integer.bitCount(flags & IORING_TIMEOUT_UPDATE_MASK) > 1
        || (flags & ~(IORING_TIMEOUT_UPDATE_MASK | IORING_TIMEOUT_ABS | IORING_TIMEOUT_CLOCK_MASK))
            != 0
        || Integer.bitCount(flags & IORING_TIMEOUT_CLOCK_MASK) > 1) {
      return -Errno.EINVAL;
    }
    return readTimespec(req, ctx, req.off); // addr2: the new time
  }

  /** Reads the {@code struct __kernel_timespec} at prep, as the kernel copies it then. */
  private static int readTimespec(Request req, RingContext ctx, long address) {
    long sec;
    long nsec;
    try {
      sec = ctx.memory().getLong(address + TimespecLayout.OFF_TV_SEC);
      nsec = ctx.memory().getLong(address + TimespecLayout.OFF_TV_NSEC);
    } catch (FaultException e) {
      return -Errno.EFAULT;
    }
    if (sec < 0 || nsec < 0) {
      return -Errno.EINVAL; // tv_nsec >= 1e9 is not rejected: it is a longer time, as 6.18
    }
    req.timeoutNanos =
        sec > Long.MAX_VALUE / 1_000_000_000L - 1
            ? Long.MAX_VALUE / 2
            : Math.min(sec * 1_000_000_000L + nsec, Long.MAX_VALUE / 2);
    return 0;
  }

  @Override
  public int issue(Request req, RingContext ctx) {
    if (req.opcode == Opcodes.IORING_OP_LINK_TIMEOUT) {
      return -Errno.ECANCELED; // reached after its target completed: the target won the race
    }
    if (req.opcode == Opcodes.IORING_OP_TIMEOUT_REMOVE) {
      int flags = req.opFlags;
      if ((flags & IORING_LINK_TIMEOUT_UPDATE) != 0) {
        return ctx.updateLinkTimeout(req.addr, delay(req.timeoutNanos, flags));
      }
      if ((flags & IORING_TIMEOUT_UPDATE) != 0) {
        return ctx.timeouts().update(req.addr, delay(req.timeoutNanos, flags));
      }
      return ctx.timeouts().remove(req.addr);
    }
    RingContext.Completion completion = ctx.defer(req);
    ctx.timeouts().arm(completion, delay(req.timeoutNanos, req.opFlags), req.off, req.opFlags);
    return DEFERRED;
  }

  /**
   * Turns a timeout's time into a delay from now, by its clock for an absolute time.
   *
   * @param nanos the time from the SQE's timespec
   * @param flags the {@code IORING_TIMEOUT_*} flags
   * @return nanoseconds from now
   */
  public static long delay(long nanos, int flags) {
    if ((flags & IORING_TIMEOUT_ABS) == 0) {
      return nanos;
    }
    if ((flags & IORING_TIMEOUT_REALTIME) != 0) {
      return nanos - System.currentTimeMillis() * 1_000_000L;
    }
    return nanos - System.nanoTime(); // CLOCK_MONOTONIC (and BOOTTIME) is System.nanoTime()
  }
}
