package iouring.api;

import iouring.api.abi.Errno;

/**
 * A system call failed with a Linux error number; what {@code -1} with {@code errno} is to a C
 * program. Thrown for syscall misuse only: an operation submitted through a ring never throws, it
 * completes with {@code cqe.res = -errno}.
 */
public final class ErrnoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The positive Linux error number. */
  private final int errno;

  /**
   * Creates an exception for the given error number and a message saying what was wrong.
   *
   * @param errno the Linux error number; its sign is ignored
   * @param detail what the caller did wrong, in a few words
   */
  public ErrnoException(int errno, String detail) {
    super(Errno.name(errno) + " (" + Errno.message(errno) + "): " + detail);
    this.errno = Math.abs(errno);
  }

  /**
   * Returns the positive Linux error number, for example {@link Errno#EINVAL}.
   *
   * @return the error number
   */
  public int errno() {
    return errno;
  }
}
