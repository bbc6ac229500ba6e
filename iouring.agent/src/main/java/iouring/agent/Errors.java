package iouring.agent;

import iouring.api.abi.Errno;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Turns a CQE's {@code -errno} into the exception the JDK throws for the same errno. */
final class Errors {
  private Errors() {}

  /** As {@code sun.nio.fs.UnixException.translateToIOException} for a failed open. */
  static IOException forPath(int res, String file) {
    return forPaths(res, file, null);
  }

  /** As {@code sun.nio.fs.UnixException.translateToIOException} for two paths (move, copy). */
  static IOException forPaths(int res, String file, String other) {
    int errno = -res;
    return switch (errno) {
      case Errno.ENOENT -> new NoSuchFileException(file, other, null);
      case Errno.EEXIST -> new FileAlreadyExistsException(file, other, null);
      case Errno.EACCES -> new AccessDeniedException(file, other, null);
      case Errno.ELOOP ->
          new FileSystemException(
              file,
              other,
              Errno.message(errno) + " or unable to access attributes of symbolic link");
      default -> new FileSystemException(file, other, Errno.message(errno));
    };
  }

  /** As the JDK's native dispatcher for a failed read, write, sync or truncate: strerror. */
  static IOException forIo(int res) {
    return new IOException(Errno.message(-res));
  }
}
