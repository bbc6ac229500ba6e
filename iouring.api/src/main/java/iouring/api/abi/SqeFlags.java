package iouring.api.abi;

/**
 * Per-request flags ({@code IOSQE_*}) that go in the {@code io_uring_sqe.flags} byte.
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18. Bit 7 is undefined there: an SQE
 * with any bit outside {@link #IOSQE_VALID_MASK} completes with {@code -EINVAL}.
 */
public final class SqeFlags {

  /** The fd field is an index into the registered file table, not a process descriptor. */
  public static final int IOSQE_FIXED_FILE = 1 << 0;

  /** Starts the request only after every earlier request has completed. */
  public static final int IOSQE_IO_DRAIN = 1 << 1;

  /** Links the next SQE to this one; a failure here cancels the rest of the chain. */
  public static final int IOSQE_IO_LINK = 1 << 2;

  /** Links the next SQE like IOSQE_IO_LINK, but the chain continues even if this one fails. */
  public static final int IOSQE_IO_HARDLINK = 1 << 3;

  /** Always issues the request from an async worker instead of trying inline first. */
  public static final int IOSQE_ASYNC = 1 << 4;

  /** Picks a data buffer from the provided-buffer group named by buf_group. */
  public static final int IOSQE_BUFFER_SELECT = 1 << 5;

  /** Posts no CQE when the request succeeds. */
  public static final int IOSQE_CQE_SKIP_SUCCESS = 1 << 6;

  /**
   * Mask of every defined IOSQE bit (0x7f); this is our name, not a kernel one.
   *
   * <p>The kernel checks the same set as {@code SQE_VALID_FLAGS} in {@code io_uring/io_uring.c}.
   */
  public static final int IOSQE_VALID_MASK = 0x7f;

  /** Not instantiable: this class only holds constants. */
  private SqeFlags() {}
}
