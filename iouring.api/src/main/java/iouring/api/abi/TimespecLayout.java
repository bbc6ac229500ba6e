package iouring.api.abi;

/**
 * Byte offsets of {@code struct __kernel_timespec}, the time value of timeouts and waits.
 *
 * <p>Mirrors {@code include/uapi/linux/time_types.h}, where both fields are 64-bit on every
 * architecture.
 *
 * <pre>{@code
 * byte  0                   8                  16
 *       +-------------------+------------------+
 *       | tv_sec (s64)      | tv_nsec (s64)    |
 *       +-------------------+------------------+
 * }</pre>
 */
public final class TimespecLayout {

  /** Size of struct __kernel_timespec in bytes. */
  public static final int SIZE = 16;

  /** Offset of tv_sec, the s64 seconds. */
  public static final int OFF_TV_SEC = 0;

  /** Offset of tv_nsec, the s64 nanoseconds, which must lie in 0 to 999999999. */
  public static final int OFF_TV_NSEC = 8;

  /** Not instantiable: this class only holds constants. */
  private TimespecLayout() {}
}
