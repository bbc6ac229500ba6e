package iouring.api;

import static iouring.api.abi.SqeLayout.*;

import iouring.api.abi.Opcodes;
import java.nio.ByteBuffer;

/**
 * One submission queue entry, {@code struct io_uring_sqe}, seen in place in the mapped SQE array: a
 * flyweight that {@link IoUring} creates once per slot, so that filling an SQE allocates nothing.
 *
 * <p>The {@code prep*} methods are liburing's {@code io_uring_prep_*} helpers and write only the
 * fields their operation uses, as liburing's do; {@link IoUring#getSqe()} has already zeroed the
 * entry. Each returns this, so that a request reads as one chain: {@code ring.getSqe().prepRead(fd,
 * addr, len, 0).userData(7)}. Addresses are user addresses in the process's {@link AddressSpace},
 * as pointers are in C.
 *
 * <p>An {@code Sqe} belongs to the caller from {@link IoUring#getSqe()} until the next {@link
 * IoUring#submit()}, which hands it to the kernel; the kernel copies it (Linux's {@code
 * IORING_FEAT_SUBMIT_STABLE}) and a later {@code getSqe} returns the same object for a new request,
 * so a reference kept past the submit must not be written.
 */
public final class Sqe {
  private final ByteBuffer sqes;
  private final int base;
  private final int size;

  /** Views the entry at byte {@code base} of the SQE mapping, {@code size} bytes long. */
  Sqe(ByteBuffer sqes, int base, int size) {
    this.sqes = sqes;
    this.base = base;
    this.size = size;
  }

  /** Zeroes the entry, like liburing's {@code io_uring_initialize_sqe} but for every byte. */
  void clear() {
    for (int i = 0; i < size; i += 8) {
      sqes.putLong(base + i, 0L);
    }
  }

  /**
   * Fills the fields every read-write style request uses, like {@code io_uring_prep_rw}: opcode,
   * fd, addr, len and off; the other fields stay as they are.
   *
   * @param opcode an {@code IORING_OP_*} value
   * @param fd the file descriptor, or a registered file index with {@code IOSQE_FIXED_FILE}
   * @param addr the user address of the buffer or iovec array, or 0
   * @param len the buffer length or iovec count
   * @param offset the file offset, -1 for the file position
   * @return this
   */
  public Sqe prepRw(int opcode, int fd, long addr, int len, long offset) {
    sqes.put(base + OFF_OPCODE, (byte) opcode);
    sqes.putInt(base + OFF_FD, fd);
    sqes.putLong(base + OFF_OFF, offset);
    sqes.putLong(base + OFF_ADDR, addr);
    sqes.putInt(base + OFF_LEN, len);
    return this;
  }

  /**
   * Prepares a request that does nothing and completes with result 0, like {@code
   * io_uring_prep_nop}.
   *
   * @return this
   */
  public Sqe prepNop() {
    return prepRw(Opcodes.IORING_OP_NOP, -1, 0L, 0, 0L);
  }

  /**
   * Prepares a read into one buffer, like {@code io_uring_prep_read} and {@code pread(2)}.
   *
   * @param fd the file to read
   * @param bufAddr the user address of the destination
   * @param len the number of bytes to read
   * @param offset the file offset, -1 for the file position
   * @return this
   */
  public Sqe prepRead(int fd, long bufAddr, int len, long offset) {
    return prepRw(Opcodes.IORING_OP_READ, fd, bufAddr, len, offset);
  }

  /**
   * Prepares a write from one buffer, like {@code io_uring_prep_write} and {@code pwrite(2)}.
   *
   * @param fd the file to write
   * @param bufAddr the user address of the source
   * @param len the number of bytes to write
   * @param offset the file offset, -1 for the file position
   * @return this
   */
  public Sqe prepWrite(int fd, long bufAddr, int len, long offset) {
    return prepRw(Opcodes.IORING_OP_WRITE, fd, bufAddr, len, offset);
  }

  /**
   * Prepares a vectored read, like {@code io_uring_prep_readv} and {@code preadv(2)}.
   *
   * @param fd the file to read
   * @param iovecsAddr the user address of an array of {@code struct iovec}
   * @param nrVecs the number of iovecs
   * @param offset the file offset, -1 for the file position
   * @return this
   */
  public Sqe prepReadv(int fd, long iovecsAddr, int nrVecs, long offset) {
    return prepRw(Opcodes.IORING_OP_READV, fd, iovecsAddr, nrVecs, offset);
  }

  /**
   * Prepares a vectored write, like {@code io_uring_prep_writev} and {@code pwritev(2)}.
   *
   * @param fd the file to write
   * @param iovecsAddr the user address of an array of {@code struct iovec}
   * @param nrVecs the number of iovecs
   * @param offset the file offset, -1 for the file position
   * @return this
   */
  public Sqe prepWritev(int fd, long iovecsAddr, int nrVecs, long offset) {
    return prepRw(Opcodes.IORING_OP_WRITEV, fd, iovecsAddr, nrVecs, offset);
  }

  /**
   * Prepares a read into part of a registered buffer, like {@code io_uring_prep_read_fixed}.
   *
   * @param fd the file to read
   * @param bufAddr a user address inside registered buffer {@code bufIndex}
   * @param len the number of bytes to read, which must fit in that buffer
   * @param offset the file offset, -1 for the file position
   * @param bufIndex the index of the registered buffer
   * @return this
   */
  public Sqe prepReadFixed(int fd, long bufAddr, int len, long offset, int bufIndex) {
    prepRw(Opcodes.IORING_OP_READ_FIXED, fd, bufAddr, len, offset);
    sqes.putShort(base + OFF_BUF_INDEX, (short) bufIndex);
    return this;
  }

  /**
   * Prepares a write from part of a registered buffer, like {@code io_uring_prep_write_fixed}.
   *
   * @param fd the file to write
   * @param bufAddr a user address inside registered buffer {@code bufIndex}
   * @param len the number of bytes to write, which must fit in that buffer
   * @param offset the file offset, -1 for the file position
   * @param bufIndex the index of the registered buffer
   * @return this
   */
  public Sqe prepWriteFixed(int fd, long bufAddr, int len, long offset, int bufIndex) {
    prepRw(Opcodes.IORING_OP_WRITE_FIXED, fd, bufAddr, len, offset);
    sqes.putShort(base + OFF_BUF_INDEX, (short) bufIndex);
    return this;
  }

  /**
   * Prepares a file sync, like {@code io_uring_prep_fsync} and {@code fsync(2)}.
   *
   * @param fd the file to sync
   * @param fsyncFlags 0, or {@code IORING_FSYNC_DATASYNC} for {@code fdatasync(2)}
   * @return this
   */
  public Sqe prepFsync(int fd, int fsyncFlags) {
    prepRw(Opcodes.IORING_OP_FSYNC, fd, 0L, 0, 0L);
    sqes.putInt(base + OFF_FSYNC_FLAGS, fsyncFlags);
    return this;
  }

  /**
   * Sets {@code user_data}, the value the kernel copies into this request's CQE, like {@code
   * io_uring_sqe_set_data64}.
   *
   * @param userData any value
   * @return this
   */
  public Sqe userData(long userData) {
    sqes.putLong(base + OFF_USER_DATA, userData);
    return this;
  }

  /**
   * Sets the {@code IOSQE_*} flags byte, replacing what was there, like {@code
   * io_uring_sqe_set_flags}.
   *
   * @param flags {@code IOSQE_*} bits; only the low 8 bits are stored
   * @return this
   */
  public Sqe flags(int flags) {
    sqes.put(base + OFF_FLAGS, (byte) flags);
    return this;
  }

  /**
   * Sets {@code ioprio}, the I/O priority of a read or write.
   *
   * @param ioprio an {@code ioprio_set(2)} value; only the low 16 bits are stored
   * @return this
   */
  public Sqe ioprio(int ioprio) {
    sqes.putShort(base + OFF_IOPRIO, (short) ioprio);
    return this;
  }

  /**
   * Sets {@code rw_flags}, the {@code RWF_*} bits of a read or write, as {@code preadv2(2)} takes
   * them.
   *
   * @param rwFlags {@code RWF_*} bits
   * @return this
   */
  public Sqe rwFlags(int rwFlags) {
    sqes.putInt(base + OFF_RW_FLAGS, rwFlags);
    return this;
  }
}
