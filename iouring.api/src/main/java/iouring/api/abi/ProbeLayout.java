package iouring.api.abi;

/**
 * Byte offsets of {@code struct io_uring_probe} and of its {@code struct io_uring_probe_op}
 * entries, which {@code IORING_REGISTER_PROBE} fills.
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18. The {@code ops[]} array of {@code
 * nr_args} entries follows the 16-byte header.
 *
 * <pre>{@code
 * io_uring_probe header (16 bytes)
 * byte  0         1         2          4                                16
 *       +---------+---------+----------+--------------------------------+
 *       | last_op | ops_len | resv u16 | resv2[3] (u32 each)            | ops[] ...
 *       +---------+---------+----------+--------------------------------+
 *
 * io_uring_probe_op (8 bytes)
 * byte  0    1      2           4           8
 *       +----+------+-----------+-----------+
 *       | op | resv | flags u16 | resv2 u32 |
 *       +----+------+-----------+-----------+
 * }</pre>
 */
public final class ProbeLayout {

  /** Size of the io_uring_probe header in bytes, without ops[]. */
  public static final int SIZE = 16;

  /** Offset of last_op, the u8 highest opcode the kernel knows. */
  public static final int OFF_LAST_OP = 0;

  /** Offset of ops_len, the u8 count of ops[] entries filled in. */
  public static final int OFF_OPS_LEN = 1;

  /** Offset of resv, a u16 that must be zero. */
  public static final int OFF_RESV = 2;

  /** Offset of resv2, three u32 that must be zero. */
  public static final int OFF_RESV2 = 4;

  /** Offset of ops, the first struct io_uring_probe_op. */
  public static final int OFF_OPS = 16;

  /** Size of struct io_uring_probe_op in bytes. */
  public static final int OP_SIZE = 8;

  /** Offset in io_uring_probe_op of op, the u8 opcode. */
  public static final int OP_OFF_OP = 0;

  /** Offset in io_uring_probe_op of resv, a reserved u8. */
  public static final int OP_OFF_RESV = 1;

  /** Offset in io_uring_probe_op of flags, a u16 of IO_URING_OP_* bits. */
  public static final int OP_OFF_FLAGS = 2;

  /** Offset in io_uring_probe_op of resv2, a reserved u32. */
  public static final int OP_OFF_RESV2 = 4;

  /** Not instantiable: this class only holds constants. */
  private ProbeLayout() {}
}
