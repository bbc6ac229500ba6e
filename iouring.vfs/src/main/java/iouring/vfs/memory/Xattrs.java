package iouring.vfs.memory;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The extended attributes of one inode, with the limits and errors of Linux's {@code setxattr(2)}:
 * only the {@code user.} namespace, names up to 255 bytes, values up to 64 KiB.
 */
final class Xattrs {
  private final Map<String, byte[]> values = new ConcurrentHashMap<>();

  /**
   * Returns a copy of a value; the name has passed {@link XattrRules#checkCall} and {@link
   * XattrRules#checkNamespace}.
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
   * call has passed {@link XattrRules#checkCall} and {@link XattrRules#checkNamespace}.
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
   * Removes a value; the name has passed {@link XattrRules#checkCall} and {@link
   * XattrRules#checkNamespace}.
   *
   * @throws VfsException {@code ENODATA} when absent
   */
  void remove(String name) throws VfsException {
    if (values.remove(name) == null) {
      throw new VfsException(Errno.ENODATA, name);
    }
  }
}
