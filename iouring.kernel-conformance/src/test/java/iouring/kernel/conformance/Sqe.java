package iouring.kernel.conformance;

import iouring.api.abi.SqeLayout;
import java.nio.ByteBuffer;

/**
 * The fields of one {@code struct io_uring_sqe}, set fluently and written as 64 bytes with the
 * offsets of {@link SqeLayout}; every field not set is zero, as after liburing's {@code
 * io_uring_prep_*}.
 */
final class Sqe {
  final int opcode;
  int flags;
  int ioprio;
  int fd;
  long off;
  long addr;
  int len;
  int opFlags;
  long userData;
  int bufIndex;
  int personality;
  int spliceFdIn;
  long addr3;

  Sqe(int opcode) {
    this.opcode = opcode;
  }

  Sqe flags(int value) {
    flags = value;
    return this;
  }

  Sqe ioprio(int value) {
    ioprio = value;
    return this;
  }

  Sqe fd(int value) {
    fd = value;
    return this;
  }

  Sqe off(long value) {
    off = value;
    return this;
  }

  Sqe addr(long value) {
    addr = value;
    return this;
  }

  Sqe len(int value) {
    len = value;
    return this;
  }

  /** Sets the op-specific flags word ({@code rw_flags}, {@code nop_flags}, ...). */
  Sqe opFlags(int value) {
    opFlags = value;
    return this;
  }

  Sqe userData(long value) {
    userData = value;
    return this;
  }

  Sqe bufIndex(int value) {
    bufIndex = value;
    return this;
  }

  Sqe personality(int value) {
    personality = value;
    return this;
  }

  Sqe spliceFdIn(int value) {
    spliceFdIn = value;
    return this;
  }

  Sqe addr3(long value) {
    addr3 = value;
    return this;
  }

  /** Writes all 64 bytes at {@code offset} of a native-order SQE region. */
  void writeTo(ByteBuffer sqes, int offset) {
    for (int i = 0; i < SqeLayout.SIZE; i += 8) {
      sqes.putLong(offset + i, 0);
    }
    sqes.put(offset + SqeLayout.OFF_OPCODE, (byte) opcode);
    sqes.put(offset + SqeLayout.OFF_FLAGS, (byte) flags);
    sqes.putShort(offset + SqeLayout.OFF_IOPRIO, (short) ioprio);
    sqes.putInt(offset + SqeLayout.OFF_FD, fd);
    sqes.putLong(offset + SqeLayout.OFF_OFF, off);
    sqes.putLong(offset + SqeLayout.OFF_ADDR, addr);
    sqes.putInt(offset + SqeLayout.OFF_LEN, len);
    sqes.putInt(offset + SqeLayout.OFF_OP_FLAGS, opFlags);
    sqes.putLong(offset + SqeLayout.OFF_USER_DATA, userData);
    sqes.putShort(offset + SqeLayout.OFF_BUF_INDEX, (short) bufIndex);
    sqes.putShort(offset + SqeLayout.OFF_PERSONALITY, (short) personality);
    sqes.putInt(offset + SqeLayout.OFF_SPLICE_FD_IN, spliceFdIn);
    sqes.putLong(offset + SqeLayout.OFF_ADDR3, addr3);
  }
}
