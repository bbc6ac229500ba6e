package iouring.api.abi;

/**
 * Byte offsets of {@code struct io_uring_getevents_arg}, the wait argument that {@code
 * io_uring_enter(2)} takes with {@code IORING_ENTER_EXT_ARG}.
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18; the {@code argsz} argument must
 * equal {@link #SIZE}.
 *
 * <pre>{@code
 * byte  0                   8                12                  16                  24
 *       +-------------------+----------------+-------------------+-------------------+
 *       | sigmask (u64 ptr) | sigmask_sz u32 | min_wait_usec u32 | ts (u64 ptr)      |
 *       +-------------------+----------------+-------------------+-------------------+
 * }</pre>
 */
public final class GeteventsArgLayout {

  /** Size of struct io_uring_getevents_arg in bytes. */
  public static final int SIZE = 24;

  /** Offset of sigmask, a u64 pointer to the signal mask to apply while waiting, or 0. */
  public static final int OFF_SIGMASK = 0;

  /** Offset of sigmask_sz, the u32 size of that signal mask in bytes. */
  public static final int OFF_SIGMASK_SZ = 8;

  /** Offset of min_wait_usec, the u32 minimum batch wait in microseconds (formerly pad). */
  public static final int OFF_MIN_WAIT_USEC = 12;

  /** Offset of ts, a u64 pointer to a struct __kernel_timespec timeout, or 0. */
  public static final int OFF_TS = 16;

  /** Not instantiable: this class only holds constants. */
  private GeteventsArgLayout() {}
}
