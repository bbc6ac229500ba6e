package iouring.api.spi;

import iouring.api.abi.Errno;

/**
 * A provider operation failed with a Linux error number, which the emulated kernel reports as
 * {@code cqe.res = -errno}. It carries no stack trace: it is a result, not a bug report.
 */
public final class VfsException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The positive Linux error number. */
  private final int errno;

  /**
   * Creates an exception for an error number.
   *
   * @param errno the Linux error number; its sign is ignored
   * @param detail what failed, for logs; may be empty
   */
  public VfsException(int errno, String detail) {
    super(Errno.name(errno) + (detail.isEmpty() ? "" : ": " + detail), null, false, false);
    this.errno = Math.abs(errno);
  }

  /**
   * Returns the positive Linux error number.
   *
   * @return the error number
   */
  public int errno() {
    return errno;
  }
}
