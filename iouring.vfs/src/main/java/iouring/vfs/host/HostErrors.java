package iouring.vfs.host;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the JDK's {@link IOException}s back into the errno the host's system call returned. The JDK
 * keeps only the {@code strerror(3)} text for most failures, so the text is looked up among glibc's
 * texts, which {@link Errno#message} holds; an unknown text is {@code EIO}.
 */
final class HostErrors {
  private static final Map<String, Integer> BY_MESSAGE = new HashMap<>();

  static {
    for (int e = 1; e < 200; e++) {
      String message = Errno.message(e);
      if (!message.startsWith("Unknown error")) {
        BY_MESSAGE.putIfAbsent(message, e);
      }
    }
  }

  private HostErrors() {}

  /**
   * Returns the exception for a failed host call.
   *
   * @param e what the JDK threw
   * @param path the provider path, for the message
   * @return the exception with the host's errno
   */
  static VfsException errno(IOException e, String path) {
    return new VfsException(number(e), path);
  }

  private static int number(IOException e) {
    if (e instanceof NoSuchFileException) {
      return Errno.ENOENT;
    } else if (e instanceof FileAlreadyExistsException) {
      return Errno.EEXIST;
    } else if (e instanceof AccessDeniedException) {
      return Errno.EACCES;
    } else if (e instanceof NotDirectoryException) {
      return Errno.ENOTDIR;
    } else if (e instanceof DirectoryNotEmptyException) {
      return Errno.ENOTEMPTY;
    } else if (e instanceof FileSystemLoopException) {
      return Errno.ELOOP;
    } else if (e instanceof NotLinkException) {
      return Errno.EINVAL;
    } else if (e instanceof ClosedChannelException) {
      return Errno.EBADF;
    }
    String text = e instanceof FileSystemException ? ((FileSystemException) e).getReason() : null;
    text = text != null ? text : String.valueOf(e.getMessage());
    Integer errno = BY_MESSAGE.get(text);
    if (errno == null && text.lastIndexOf(": ") >= 0) {
      // The JDK's attribute views say what failed, then strerror: "Unable to ...: No data
      // available".
      errno = BY_MESSAGE.get(text.substring(text.lastIndexOf(": ") + 2));
    }
    return errno != null ? errno : Errno.EIO;
  }
}
