package iouring.api.abi;

/**
 * Flags ({@code IORING_SETUP_*}) for {@code io_uring_params.flags} in {@code io_uring_setup(2)}.
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18, which accepts bits 0 to 18. Newer
 * kernels define {@code IORING_SETUP_SQE_MIXED} (bit 19) and {@code IORING_SETUP_SQ_REWIND} (bit
 * 20); 6.18 rejects both, like every other undefined bit, with {@code -EINVAL}.
 */
public final class SetupFlags {

  /** Completions are reaped by busy-polling the device instead of by interrupts. */
  public static final int IORING_SETUP_IOPOLL = 1 << 0;

  /** A kernel thread polls the SQ, so submission needs no system call. */
  public static final int IORING_SETUP_SQPOLL = 1 << 1;

  /** Pins the SQPOLL thread to the CPU given in sq_thread_cpu. */
  public static final int IORING_SETUP_SQ_AFF = 1 << 2;

  /** Sizes the CQ from cq_entries instead of twice the SQ size. */
  public static final int IORING_SETUP_CQSIZE = 1 << 3;

  /** Clamps too-large SQ and CQ sizes to the maximum instead of failing. */
  public static final int IORING_SETUP_CLAMP = 1 << 4;

  /** Shares the async worker pool of the ring whose descriptor is in wq_fd. */
  public static final int IORING_SETUP_ATTACH_WQ = 1 << 5;

  /** Starts the ring disabled until IORING_REGISTER_ENABLE_RINGS. */
  public static final int IORING_SETUP_R_DISABLED = 1 << 6;

  /** Keeps submitting the rest of a batch after one SQE fails to be prepared. */
  public static final int IORING_SETUP_SUBMIT_ALL = 1 << 7;

  /** Runs completion task work on the next kernel entry instead of interrupting the task. */
  public static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;

  /** Sets IORING_SQ_TASKRUN in the SQ ring flags when task work is pending. */
  public static final int IORING_SETUP_TASKRUN_FLAG = 1 << 9;

  /** Makes every SQE 128 bytes, giving 80 bytes of command data from offset 48. */
  public static final int IORING_SETUP_SQE128 = 1 << 10;

  /** Makes every CQE 32 bytes, adding two 64-bit words of extra data. */
  public static final int IORING_SETUP_CQE32 = 1 << 11;

  /** Promises that only one task submits requests to the ring. */
  public static final int IORING_SETUP_SINGLE_ISSUER = 1 << 12;

  /** Defers task work until the submitter waits for completions. */
  public static final int IORING_SETUP_DEFER_TASKRUN = 1 << 13;

  /** The application supplies the ring memory through the user_addr offsets fields. */
  public static final int IORING_SETUP_NO_MMAP = 1 << 14;

  /** Returns a registered-ring index instead of a file descriptor. */
  public static final int IORING_SETUP_REGISTERED_FD_ONLY = 1 << 15;

  /** Removes the SQ index array; the SQ tail indexes the SQE array directly. */
  public static final int IORING_SETUP_NO_SQARRAY = 1 << 16;

  /** Sleeps for part of the expected I/O time before busy-polling (needs IOPOLL). */
  public static final int IORING_SETUP_HYBRID_IOPOLL = 1 << 17;

  /** Lets 16-byte and 32-byte CQEs share one CQ; big ones carry IORING_CQE_F_32. */
  public static final int IORING_SETUP_CQE_MIXED = 1 << 18;

  /** Not instantiable: this class only holds constants. */
  private SetupFlags() {}
}
