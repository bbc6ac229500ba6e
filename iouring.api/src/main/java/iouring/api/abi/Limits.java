package iouring.api.abi;

/**
 * Size limits that the Linux 6.18 kernel enforces on io_uring and the file system calls it wraps.
 *
 * <p>Most values are kernel-internal rather than UAPI: the ring limits come from {@code
 * io_uring/io_uring.c} and {@code io_uring/rsrc.c}, the I/O limits from {@code
 * include/uapi/linux/uio.h} and {@code include/linux/fs.h}, and the path limits from {@code
 * include/uapi/linux/limits.h}.
 */
public final class Limits {

  /** Largest SQ size; setup with more entries fails -EINVAL unless IORING_SETUP_CLAMP is given. */
  public static final int IORING_MAX_ENTRIES = 32768;

  /** Largest CQ size, twice IORING_MAX_ENTRIES. */
  public static final int IORING_MAX_CQ_ENTRIES = 2 * IORING_MAX_ENTRIES;

  /** Largest iovec count of a vectored read or write; more fails -EINVAL. */
  public static final int UIO_MAXIOV = 1024;

  /** Largest byte count one read or write transfers (INT_MAX rounded down to a page). */
  public static final int MAX_RW_COUNT = 0x7ffff000;

  /** Largest path length, counting the terminating NUL byte. */
  public static final int PATH_MAX = 4096;

  /** Largest length of a single path component, without the terminating NUL byte. */
  public static final int NAME_MAX = 255;

  /** Largest number of registered buffers. */
  public static final int IORING_MAX_REG_BUFFERS = 1 << 14;

  /** Largest number of registered file slots. */
  public static final int IORING_MAX_FIXED_FILES = 1 << 20;

  /** Not instantiable: this class only holds constants. */
  private Limits() {}
}
