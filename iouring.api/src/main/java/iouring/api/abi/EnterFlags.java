package iouring.api.abi;

/**
 * Flags ({@code IORING_ENTER_*}) for the {@code flags} argument of {@code io_uring_enter(2)}.
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18, which accepts bits 0 to 7 and
 * fails any other bit with {@code -EINVAL}.
 */
public final class EnterFlags {

  /** Waits until min_complete completions are available. */
  public static final int IORING_ENTER_GETEVENTS = 1 << 0;

  /** Wakes the SQPOLL thread if it has gone to sleep. */
  public static final int IORING_ENTER_SQ_WAKEUP = 1 << 1;

  /** Waits until the SQPOLL thread has made room in the SQ. */
  public static final int IORING_ENTER_SQ_WAIT = 1 << 2;

  /** The arg pointer is a struct io_uring_getevents_arg and argsz its size (24). */
  public static final int IORING_ENTER_EXT_ARG = 1 << 3;

  /** The fd argument is an index into the registered ring table. */
  public static final int IORING_ENTER_REGISTERED_RING = 1 << 4;

  /** The wait timeout is an absolute time on the ring's clock instead of a relative one. */
  public static final int IORING_ENTER_ABS_TIMER = 1 << 5;

  /** The wait argument is an offset into a registered wait-argument region. */
  public static final int IORING_ENTER_EXT_ARG_REG = 1 << 6;

  /** Does not account the wait as iowait. */
  public static final int IORING_ENTER_NO_IOWAIT = 1 << 7;

  /** Not instantiable: this class only holds constants. */
  private EnterFlags() {}
}
