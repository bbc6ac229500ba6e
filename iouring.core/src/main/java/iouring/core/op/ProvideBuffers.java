package iouring.core.op;

import static iouring.api.abi.Opcodes.IORING_OP_PROVIDE_BUFFERS;

import iouring.api.abi.Errno;
import iouring.api.abi.Limits;

/**
 * {@code IORING_OP_PROVIDE_BUFFERS} and {@code IORING_OP_REMOVE_BUFFERS}, as Linux's {@code kbuf.c}
 * for legacy (not ring-mapped) provided buffers. {@code fd} is the buffer count, {@code buf_group}
 * the group; to provide, {@code addr} is the first buffer, {@code len} each one's size and {@code
 * off} the first buffer id. Reads with {@code IOSQE_BUFFER_SELECT} take them ({@link ReadWrite}).
 *
 * <p>As Linux's {@code access_ok}, provide checks only that the buffers lie below the top of the
 * user address space, not that they are mapped: a read into an unmapped buffer fails with {@code
 * EFAULT} when it happens.
 */
final class ProvideBuffers implements Op {
  /** Linux's {@code MAX_BIDS_PER_BGID}: buffer ids are 16 bits wide in a CQE. */
  private static final long MAX_BIDS_PER_BGID = 1 << 16;

  /** x86_64's {@code TASK_SIZE_MAX}, the end of user memory that {@code access_ok} checks. */
  private static final long TASK_SIZE = 0x7fff_ffff_f000L;

  @Override
  public int prep(Request req, RingContext ctx) {
    // sqe->fd is read into a u64: a negative count is huge.
    long count = Integer.toUnsignedLong(req.fd);
    if (req.opcode != IORING_OP_PROVIDE_BUFFERS) {
      if (req.opFlags != 0
          || req.addr != 0
          || req.len != 0
          || req.off != 0
          || req.spliceFdIn != 0) {
        return -Errno.EINVAL;
      }
      return count == 0 || count > MAX_BIDS_PER_BGID ? -Errno.EINVAL : 0;
    }
    if (req.opFlags != 0 || req.spliceFdIn != 0) {
      return -Errno.EINVAL;
    }
    if (count == 0 || count > MAX_BIDS_PER_BGID) {
      return -Errno.E2BIG;
    }
    if (req.len == 0) {
      return -Errno.EINVAL;
    }
    long size = Integer.toUnsignedLong(req.len) * count; // at most 2^48: no overflow
    if (Long.compareUnsigned(req.addr + size, req.addr) < 0) {
      return -Errno.EOVERFLOW;
    }
    if (size > TASK_SIZE || Long.compareUnsigned(req.addr, TASK_SIZE - size) > 0) {
      return -Errno.EFAULT;
    }
    if (Long.compareUnsigned(req.off, 0xffff) > 0) {
      return -Errno.E2BIG;
    }
    if (req.off + count > MAX_BIDS_PER_BGID) {
      return -Errno.EINVAL;
    }
    return 0;
  }

  @Override
  public int issue(Request req, RingContext ctx) {
    int group = req.bufIndex;
    if (req.opcode != IORING_OP_PROVIDE_BUFFERS) {
      return ctx.providedBuffers().remove(group, req.fd);
    }
    // Linux stores each length capped at MAX_RW_COUNT but lays the buffers out len apart.
    int len = (int) Math.min(Integer.toUnsignedLong(req.len), Limits.MAX_RW_COUNT);
    return ctx.providedBuffers().provide(group, req.addr, req.len, len, req.fd, (int) req.off);
  }
}
