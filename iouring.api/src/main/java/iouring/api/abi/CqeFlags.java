package iouring.api.abi;

/**
 * Flags ({@code IORING_CQE_F_*}) that the kernel sets in {@code io_uring_cqe.flags}.
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18. When {@link #IORING_CQE_F_BUFFER}
 * is set, the upper 16 bits hold the buffer ID: {@code flags >>> IORING_CQE_BUFFER_SHIFT}.
 */
public final class CqeFlags {

  /** The upper 16 bits of flags hold the ID of the selected provided buffer. */
  public static final int IORING_CQE_F_BUFFER = 1 << 0;

  /** More CQEs will follow for the same SQE (multishot requests). */
  public static final int IORING_CQE_F_MORE = 1 << 1;

  /** The socket still had data queued after this receive. */
  public static final int IORING_CQE_F_SOCK_NONEMPTY = 1 << 2;

  /** This CQE is a zero-copy send notification, not the send result. */
  public static final int IORING_CQE_F_NOTIF = 1 << 3;

  /** The incrementally consumed buffer named by this CQE will get more completions. */
  public static final int IORING_CQE_F_BUF_MORE = 1 << 4;

  /** Filler CQE on a CQE_MIXED ring that the application must ignore. */
  public static final int IORING_CQE_F_SKIP = 1 << 5;

  /** This CQE is 32 bytes long on a CQE_MIXED ring. */
  public static final int IORING_CQE_F_32 = 1 << 15;

  /** Shift that moves the buffer ID out of the upper 16 bits of flags. */
  public static final int IORING_CQE_BUFFER_SHIFT = 16;

  /** Not instantiable: this class only holds constants. */
  private CqeFlags() {}
}
