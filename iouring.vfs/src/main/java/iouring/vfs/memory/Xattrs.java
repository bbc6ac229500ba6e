package iouring.vfs.memory;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;
import iouring.vfs.path.ProviderPath;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The extended attributes of one inode, with the limits and errors of Linux's {@code setxattr(2)}:
 * only the {@code user.} namespace, names up to 255 bytes, values up to 64 KiB.
 */
final class Xattrs {
  /** Linux's {@code XATTR_NAME_MAX}. */
  static final int NAME_MAX = 255;

  /** Linux's {@code XATTR_SIZE_MAX}. */
  static final int SIZE_MAX = 65536;

  private static final String USER = "user.";

  private final Map<String, byte[]> values = new ConcurrentHashMap<>();

  /**
   * Returns a copy of a value; the name has passed {@link #checkCall} and {@link #checkNamespace}.
   *
   * @throws VfsException {@code ENODATA} when absent
   */
  byte[] get(String name) throws VfsException {
    byte[] value = values.get(name);
    if (value == null) {
      throw new VfsException(Errno.ENODATA, name);
    }
    return value.clone();
  }

  /**
   * Sets a value, atomically with respect to {@code XATTR_CREATE} and {@code XATTR_REPLACE}; the
   * call has passed {@link #checkCall} and {@link #checkNamespace}.
   *
   * @throws VfsException {@code EEXIST}, {@code ENODATA}
   */
  void set(String name, byte[] value, int flags) throws VfsException {
    boolean create = (flags & FileFlags.XATTR_CREATE) != 0;
    boolean replace = (flags & FileFlags.XATTR_REPLACE) != 0;
    byte[] copy = value.clone();
    if (create && replace) {
      // simple_xattr_set: each flag refuses the state the other one needs.
      int errno = values.containsKey(name) ? Errno.EEXIST : Errno.ENODATA;
      throw new VfsException(errno, name);
    }
    if (create && values.putIfAbsent(name, copy) != null) {
      throw new VfsException(Errno.EEXIST, name);
    }
    if (replace && values.replace(name, copy) == null) {
      throw new VfsException(Errno.ENODATA, name);
    }
    if (!create && !replace) {
      values.put(name, copy);
    }
  }

  /** Returns the names of the attributes set, in no particular order. */
  List<String> names() {
    return List.copyOf(values.keySet());
  }

  /**
   * Removes a value; the name has passed {@link #checkCall} and {@link #checkNamespace}.
   *
   * @throws VfsException {@code ENODATA} when absent
   */
  void remove(String name) throws VfsException {
    if (values.remove(name) == null) {
      throw new VfsException(Errno.ENODATA, name);
    }
  }

  /**
   * Checks what Linux checks before it looks the path up: flags, the name's length, the value's
   * size.
   *
   * @param value the value, or null for {@code getxattr}
   * @throws VfsException {@code EINVAL} for unknown flags, {@code ERANGE} for an empty or too long
   *     name (as {@code strncpy_from_user} into an {@code XATTR_NAME_MAX} buffer), {@code E2BIG}
   */
  static void checkCall(String name, byte[] value, int flags) throws VfsException {
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
  static void checkNamespace(String name) throws VfsException {
    if (!name.startsWith(USER)) {
      throw new VfsException(Errno.EOPNOTSUPP, "xattr namespace of " + name);
    }
    if (name.length() == USER.length()) {
      throw new VfsException(Errno.EINVAL, "xattr name without a suffix");
    }
  }
}
