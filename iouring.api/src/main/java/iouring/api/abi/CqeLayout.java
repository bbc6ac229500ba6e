package iouring.api.abi;

/**
 * Byte offsets of the fields of {@code struct io_uring_cqe}, the completion queue entry.
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18. A CQE is 16 bytes, or 32 bytes on
 * a ring set up with {@code IORING_SETUP_CQE32}, where {@code big_cqe[2]} follows; the CQ stride
 * changes but the ring offsets do not.
 *
 * <pre>{@code
 * byte  0                     8           12          16
 *       +---------------------+-----------+-----------+
 *       | user_data (u64)     | res (s32) | flags u32 |
 *       +---------------------+-----------+-----------+
 *   16  | big_cqe[0] (u64)    | big_cqe[1] (u64)      |  CQE32 only
 *       +---------------------+-----------------------+
 *   32  end of a 32-byte CQE
 * }</pre>
 */
public final class CqeLayout {

  /** Size of one CQE in bytes. */
  public static final int SIZE = 16;

  /** Size of one CQE in bytes on a CQE32 ring, or of one flagged IORING_CQE_F_32. */
  public static final int SIZE_CQE32 = 32;

  /** Offset of user_data, the u64 copied from the SQE. */
  public static final int OFF_USER_DATA = 0;

  /** Offset of res, the s32 result or negated errno. */
  public static final int OFF_RES = 8;

  /** Offset of flags, a u32 of IORING_CQE_F_* bits and the buffer ID. */
  public static final int OFF_FLAGS = 12;

  /** Offset of big_cqe, the two extra u64 words of a 32-byte CQE. */
  public static final int OFF_BIG_CQE = 16;

  /** Not instantiable: this class only holds constants. */
  private CqeLayout() {}
}
