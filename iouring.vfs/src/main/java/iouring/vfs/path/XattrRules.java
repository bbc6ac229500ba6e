package iouring.vfs.path;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;

/**
 * The checks of Linux's {@code getxattr(2)} and {@code setxattr(2)} that come before and right
 * after the file is found, shared by the providers that keep extended attributes: only the {@code
 * user.} namespace, names up to 255 bytes, values up to 64 KiB.
 */
public final class XattrRules {
  /** Linux's {@code XATTR_NAME_MAX}. */
  public static final int NAME_MAX = 255;

  /** Linux's {@code XATTR_SIZE_MAX}. */
  public static final int SIZE_MAX = 65536;

  /** The one namespace kept. */
  public static final String USER = "user.";

  private XattrRules() {}

  /**
   * Checks what Linux checks before it looks the path up: flags, the name's length, the value's
   * size.
   *
   * @param value the value, or null for {@code getxattr}
   * @throws VfsException {@code EINVAL} for unknown flags, {@code ERANGE} for an empty or too long
   *     name (as {@code strncpy_from_user} into an {@code XATTR_NAME_MAX} buffer), {@code E2BIG}
   */
  public static void checkCall(String name, byte[] value, int flags) throws VfsException {
    if ((flags & ~(FileFlags.XATTR_CREATE | FileFlags.XATTR_REPLACE)) != 0) {
      throw new VfsException(Errno.EINVAL, "xattr flags " + flags);
    }
    int bytes = ProviderPath.utf8Length(name);
    if (bytes == 0 || bytes > NAME_MAX) {
      throw new VfsException(Errno.ERANGE, "xattr name of " + bytes + " bytes");
    }
    if (value != null && value.length > SIZE_MAX) {
      throw new VfsException(Errno.E2BIG, "xattr value of " + value.length + " bytes");
    }
  }

  /**
   * Checks a name's namespace, which Linux does once it has the file: {@code EOPNOTSUPP} outside
   * {@code user.}, the only namespace here; {@code EINVAL} for the bare prefix.
   */
  public static void checkNamespace(String name) throws VfsException {
    if (!name.startsWith(USER)) {
      throw new VfsException(Errno.EOPNOTSUPP, "xattr namespace of " + name);
    }
    if (name.length() == USER.length()) {
      throw new VfsException(Errno.EINVAL, "xattr name without a suffix");
    }
  }
}
