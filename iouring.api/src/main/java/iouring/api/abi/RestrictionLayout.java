package iouring.api.abi;

/**
 * Byte offsets of {@code struct io_uring_restriction}, one entry of the array that {@code
 * IORING_REGISTER_RESTRICTIONS} takes.
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18. The byte at offset 2 is a union
 * whose meaning depends on the {@code IORING_RESTRICTION_*} value in {@code opcode}.
 *
 * <pre>{@code
 * byte  0            2                                       3      4                  16
 *       +------------+---------------------------------------+------+------------------+
 *       | opcode u16 | register_op / sqe_op / sqe_flags (u8) | resv | resv2[3] (u32)   |
 *       +------------+---------------------------------------+------+------------------+
 * }</pre>
 */
public final class RestrictionLayout {

  /** Size of struct io_uring_restriction in bytes. */
  public static final int SIZE = 16;

  /** Offset of opcode, the u16 IORING_RESTRICTION_* kind. */
  public static final int OFF_OPCODE = 0;

  /** Offset of the u8 argument union; our name for the slot its three members share. */
  public static final int OFF_ARG = 2;

  /** Offset of register_op, the allowed io_uring_register(2) opcode. */
  public static final int OFF_REGISTER_OP = OFF_ARG;

  /** Offset of sqe_op, the allowed SQE opcode. */
  public static final int OFF_SQE_OP = OFF_ARG;

  /** Offset of sqe_flags, the allowed or required IOSQE_* bits. */
  public static final int OFF_SQE_FLAGS = OFF_ARG;

  /** Offset of resv, a u8 that must be zero. */
  public static final int OFF_RESV = 3;

  /** Offset of resv2, three u32 that must be zero. */
  public static final int OFF_RESV2 = 4;

  /** Not instantiable: this class only holds constants. */
  private RestrictionLayout() {}
}
