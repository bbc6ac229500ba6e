package iouring.core.fuzz;

import static iouring.api.abi.Opcodes.IORING_OP_MSG_RING;
import static iouring.api.abi.Opcodes.IORING_OP_NOP;
import static iouring.api.abi.Opcodes.IORING_OP_TIMEOUT;
import static iouring.api.abi.SqeFlags.IOSQE_ASYNC;

import iouring.api.abi.SqeLayout;
import java.nio.ByteBuffer;

/**
 * One generated SQE. Fields that may hold pointers are {@link Ptr}s; {@code fd} is a {@link
 * FuzzProcess} fd choice; everything else is written as generated. {@code user_data} is not
 * generated: the test numbers every SQE it pushes, so that CQEs can be matched to SQEs.
 */
record SqeSpec(
    int opcode,
    int flags,
    int ioprio,
    FuzzProcess.Fd fd,
    Ptr off,
    Ptr addr,
    int len,
    int opFlags,
    int bufIndex,
    int personality,
    int spliceFdIn,
    Ptr addr3,
    long pad2) {

  /** Writes the 64 bytes at {@code at} of a native-order SQE region. */
  void writeTo(ByteBuffer sqes, int at, FuzzProcess p, long userData) {
    sqes.put(at + SqeLayout.OFF_OPCODE, (byte) opcode);
    sqes.put(at + SqeLayout.OFF_FLAGS, (byte) flags);
    sqes.putShort(at + SqeLayout.OFF_IOPRIO, (short) ioprio);
    sqes.putInt(at + SqeLayout.OFF_FD, p.fd(fd));
    sqes.putLong(at + SqeLayout.OFF_OFF, off.resolve(p));
    sqes.putLong(at + SqeLayout.OFF_ADDR, addr.resolve(p));
    sqes.putInt(at + SqeLayout.OFF_LEN, len);
    sqes.putInt(at + SqeLayout.OFF_OP_FLAGS, opFlags);
    sqes.putLong(at + SqeLayout.OFF_USER_DATA, userData);
    sqes.putShort(at + SqeLayout.OFF_BUF_INDEX, (short) bufIndex);
    sqes.putShort(at + SqeLayout.OFF_PERSONALITY, (short) personality);
    sqes.putInt(at + SqeLayout.OFF_SPLICE_FD_IN, spliceFdIn);
    sqes.putLong(at + SqeLayout.OFF_ADDR3, addr3.resolve(p));
    sqes.putLong(at + SqeLayout.OFF_PAD2, pad2);
  }

  /**
   * Returns this SQE as the tampered ring may submit it: a MSG_RING aimed at the clean ring is
   * aimed at the tampered ring itself, since the clean ring accounts for every CQE it holds.
   */
  SqeSpec forTampered() {
    if ((opcode & 0xff) != IORING_OP_MSG_RING || fd.choice() != FuzzProcess.CLEAN_RING) {
      return this;
    }
    return with(opcode, flags, new FuzzProcess.Fd(FuzzProcess.TAMPERED_RING, fd.raw()));
  }

  /**
   * Returns this SQE as one that completes before enter returns: without {@code IOSQE_ASYNC}, and
   * with a NOP in place of a TIMEOUT or a MSG_RING. The clean ring's accounting checks every CQE as
   * soon as enter returns; requests that complete later have tests of their own (AsyncTest,
   * TimeoutTest).
   */
  SqeSpec inline() {
    // Ops that complete later (TIMEOUT) or post CQEs for other user_data (MSG_RING, to this very
    // ring when its fd is chosen) stay on the tampered ring, which checks no accounting.
    int code = opcode & 0xff;
    int op = code == IORING_OP_TIMEOUT || code == IORING_OP_MSG_RING ? IORING_OP_NOP : opcode;
    return with(op, flags & ~IOSQE_ASYNC, fd);
  }

  /** This SQE with another opcode, flags and fd. */
  private SqeSpec with(int op, int fl, FuzzProcess.Fd f) {
    return new SqeSpec(
        op, fl, ioprio, f, off, addr, len, opFlags, bufIndex, personality, spliceFdIn, addr3, pad2);
  }
}
