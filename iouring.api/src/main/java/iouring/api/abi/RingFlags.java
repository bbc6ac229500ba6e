package iouring.api.abi;

/**
 * Flags kept in the shared SQ ring flags word ({@code IORING_SQ_*}, written by the kernel) and CQ
 * ring flags word ({@code IORING_CQ_*}, written by the application).
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18.
 */
public final class RingFlags {

  /** The SQPOLL thread is asleep and needs IORING_ENTER_SQ_WAKEUP to see new SQEs. */
  public static final int IORING_SQ_NEED_WAKEUP = 1 << 0;

  /** Completions are waiting in the overflow list because the CQ was full. */
  public static final int IORING_SQ_CQ_OVERFLOW = 1 << 1;

  /** Task work is pending and the task should enter the kernel to run it. */
  public static final int IORING_SQ_TASKRUN = 1 << 2;

  /** Stops eventfd notifications for new completions while set. */
  public static final int IORING_CQ_EVENTFD_DISABLED = 1 << 0;

  /** Not instantiable: this class only holds constants. */
  private RingFlags() {}
}
