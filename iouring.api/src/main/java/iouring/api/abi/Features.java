package iouring.api.abi;

/**
 * Feature bits ({@code IORING_FEAT_*}) that {@code io_uring_setup(2)} returns in {@code
 * io_uring_params.features}.
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18, which reports all eighteen bits
 * ({@code 0x3ffff}). An emulator should report only the ones it implements.
 */
public final class Features {

  /** The SQ and CQ rings share one mapping at IORING_OFF_SQ_RING. */
  public static final int IORING_FEAT_SINGLE_MMAP = 1 << 0;

  /** Completions that do not fit in the CQ are kept and flushed later, never dropped. */
  public static final int IORING_FEAT_NODROP = 1 << 1;

  /** SQE data is consumed at submission, so the application may reuse it right away. */
  public static final int IORING_FEAT_SUBMIT_STABLE = 1 << 2;

  /** An offset of -1 means the current file position for reads and writes. */
  public static final int IORING_FEAT_RW_CUR_POS = 1 << 3;

  /** Requests run with the credentials of the submitter, not of the ring creator. */
  public static final int IORING_FEAT_CUR_PERSONALITY = 1 << 4;

  /** Pollable files are retried on readiness instead of blocking an async worker. */
  public static final int IORING_FEAT_FAST_POLL = 1 << 5;

  /** Poll requests take 32-bit event masks in poll32_events. */
  public static final int IORING_FEAT_POLL_32BITS = 1 << 6;

  /** The SQPOLL thread may use non-registered file descriptors. */
  public static final int IORING_FEAT_SQPOLL_NONFIXED = 1 << 7;

  /** io_uring_enter(2) understands IORING_ENTER_EXT_ARG. */
  public static final int IORING_FEAT_EXT_ARG = 1 << 8;

  /** Async work runs in native worker threads of the submitting task. */
  public static final int IORING_FEAT_NATIVE_WORKERS = 1 << 9;

  /** Registered files and buffers can carry tags reported on release. */
  public static final int IORING_FEAT_RSRC_TAGS = 1 << 10;

  /** IOSQE_CQE_SKIP_SUCCESS is supported. */
  public static final int IORING_FEAT_CQE_SKIP = 1 << 11;

  /** Files of linked requests are resolved when the request starts, not at submission. */
  public static final int IORING_FEAT_LINKED_FILE = 1 << 12;

  /** io_uring_register(2) accepts a registered ring index with the registered-ring flag. */
  public static final int IORING_FEAT_REG_REG_RING = 1 << 13;

  /** Send and receive accept IORING_RECVSEND_BUNDLE. */
  public static final int IORING_FEAT_RECVSEND_BUNDLE = 1 << 14;

  /** Waits accept a minimum batch timeout in min_wait_usec. */
  public static final int IORING_FEAT_MIN_TIMEOUT = 1 << 15;

  /** Reads and writes accept attributes through attr_ptr and attr_type_mask. */
  public static final int IORING_FEAT_RW_ATTR = 1 << 16;

  /** io_uring_enter(2) understands IORING_ENTER_NO_IOWAIT. */
  public static final int IORING_FEAT_NO_IOWAIT = 1 << 17;

  /** Not instantiable: this class only holds constants. */
  private Features() {}
}
