package iouring.core.ring;

import static iouring.api.abi.OpFlags.IORING_RESTRICTION_REGISTER_OP;
import static iouring.api.abi.OpFlags.IORING_RESTRICTION_SQE_FLAGS_ALLOWED;
import static iouring.api.abi.OpFlags.IORING_RESTRICTION_SQE_FLAGS_REQUIRED;
import static iouring.api.abi.OpFlags.IORING_RESTRICTION_SQE_OP;

import iouring.api.ErrnoException;
import iouring.api.abi.Errno;
import iouring.api.abi.Opcodes;
import iouring.api.abi.RegisterOpcodes;
import iouring.api.abi.RestrictionLayout;
import java.nio.ByteBuffer;

/**
 * What a ring registered with {@code IORING_REGISTER_RESTRICTIONS} allows once enabled, Linux's
 * {@code struct io_restriction}: the register opcodes and SQE opcodes named, and the SQE flags
 * allowed and required. Immutable once parsed.
 */
final class Restrictions {
  private final long registerOps; // bit per register opcode below IORING_REGISTER_LAST (38)
  private final long sqeOpsLow; // SQE opcodes 0..63
  private final long sqeOpsHigh; // SQE opcodes 64..127 (none below IORING_OP_LAST today)
  private final int flagsAllowed;
  private final int flagsRequired;

  private Restrictions(
      long registerOps, long sqeOpsLow, long sqeOpsHigh, int flagsAllowed, int flagsRequired) {
    this.registerOps = registerOps;
    this.sqeOpsLow = sqeOpsLow;
    this.sqeOpsHigh = sqeOpsHigh;
    this.flagsAllowed = flagsAllowed;
    this.flagsRequired = flagsRequired;
  }

  /**
   * Parses {@code nr} {@code struct io_uring_restriction}s as Linux's {@code
   * io_parse_restrictions}: the reserved bytes are not checked; a later flags entry replaces an
   * earlier one.
   *
   * @throws ErrnoException {@code EINVAL} for an unknown kind or an opcode out of range
   */
  static Restrictions parse(ByteBuffer in, int nr) {
    long registerOps = 0;
    long low = 0;
    long high = 0;
    int allowed = 0;
    int required = 0;
    for (int i = 0; i < nr; i++) {
      int base = i * RestrictionLayout.SIZE;
      int kind = Short.toUnsignedInt(in.getShort(base + RestrictionLayout.OFF_OPCODE));
      int arg = Byte.toUnsignedInt(in.get(base + RestrictionLayout.OFF_ARG));
      switch (kind) {
        case IORING_RESTRICTION_REGISTER_OP:
          if (arg >= RegisterOpcodes.IORING_REGISTER_LAST) {
            throw new ErrnoException(Errno.EINVAL, "register opcode " + arg + " is out of range");
          }
          registerOps |= 1L << arg;
          break;
        case IORING_RESTRICTION_SQE_OP:
          if (arg >= Opcodes.IORING_OP_LAST) {
            throw new ErrnoException(Errno.EINVAL, "SQE opcode " + arg + " is out of range");
          }
          if (arg < 64) {
            low |= 1L << arg;
          } else {
            high |= 1L << (arg - 64);
          }
          break;
        case IORING_RESTRICTION_SQE_FLAGS_ALLOWED:
          allowed = arg;
          break;
        case IORING_RESTRICTION_SQE_FLAGS_REQUIRED:
          required = arg;
          break;
        default:
          throw new ErrnoException(Errno.EINVAL, "restriction kind " + kind + " is unknown");
      }
    }
    return new Restrictions(registerOps, low, high, allowed, required);
  }

  /** Linux's {@code io_check_restriction}: the opcode named, the required flags set, no other. */
  boolean allows(int opcode, int sqeFlags) {
    long set = opcode < 64 ? sqeOpsLow : sqeOpsHigh;
    if ((set & (1L << (opcode & 63))) == 0) {
      return false;
    }
    if ((sqeFlags & flagsRequired) != flagsRequired) {
      return false;
    }
    return (sqeFlags & ~(flagsAllowed | flagsRequired)) == 0;
  }

  /** Whether a register opcode below {@code IORING_REGISTER_LAST} was named. */
  boolean allowsRegister(int opcode) {
    return (registerOps & (1L << opcode)) != 0;
  }
}
