package iouring.api.spi;

import java.util.List;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One file system that processes can mount: the host file system under a root directory, a file
 * system in memory, and so on. Paths are relative to the provider's own root; the provider resolves
 * them without ever leaving that root.
 *
 * <p>Under OSGi a provider is a service with the property {@value #NAME_PROPERTY}; mounts name it.
 */
@ConsumerType
public interface VfsProvider {

  /** The service property that names a provider in mount tables. */
  String NAME_PROPERTY = "iouring.vfs.name";

  /**
   * Opens a file, with the semantics of {@code openat(2)} below this provider's root.
   *
   * @param path a path relative to the provider's root, with {@code /} separators
   * @param flags {@code O_*} flags
   * @param mode the permission bits of a file that {@code O_CREAT} creates
   * @return the open file description
   * @throws VfsException with the errno {@code openat(2)} would give
   */
  VfsFile open(String path, int flags, int mode) throws VfsException;

  /**
   * Returns what this provider supports beyond the operations every provider has.
   *
   * @return the capabilities; empty by default
   */
  default Set<VfsCapability> capabilities() {
    return Set.of();
  }

  /**
   * Returns a file's status, like {@code statx(2)}.
   *
   * @param path a path relative to the provider's root
   * @param followLinks false for {@code AT_SYMLINK_NOFOLLOW}: a symlink reports itself
   * @return the status
   * @throws VfsException {@code ENOENT}, {@code ENOTDIR}, {@code ELOOP} and the like
   */
  VfsStat stat(String path, boolean followLinks) throws VfsException;

  /**
   * Creates a directory, like {@code mkdir(2)}.
   *
   * @param path the new directory
   * @param mode its permission bits
   * @throws VfsException {@code EEXIST}, {@code ENOENT} for a missing parent, {@code ENOSPC}
   */
  void mkdir(String path, int mode) throws VfsException;

  /**
   * Removes a name that is not a directory, like {@code unlink(2)}; an open file stays readable
   * through its open descriptions.
   *
   * @param path the name
   * @throws VfsException {@code ENOENT}, {@code EISDIR} for a directory
   */
  void unlink(String path) throws VfsException;

  /**
   * Removes an empty directory, like {@code rmdir(2)}.
   *
   * @param path the directory
   * @throws VfsException {@code ENOENT}, {@code ENOTDIR}, {@code ENOTEMPTY}, {@code EBUSY} for the
   *     root
   */
  void rmdir(String path) throws VfsException;

  /**
   * Renames a file or directory, like {@code renameat2(2)}.
   *
   * @param from the existing name
   * @param to the new name
   * @param flags 0, {@code RENAME_NOREPLACE} or {@code RENAME_EXCHANGE}
   * @throws VfsException {@code ENOENT}, {@code EEXIST} with {@code RENAME_NOREPLACE}, {@code
   *     ENOTEMPTY}, {@code EISDIR}, {@code ENOTDIR}, {@code EINVAL} for a directory moved into
   *     itself or unsupported flags
   */
  void rename(String from, String to, int flags) throws VfsException;

  /**
   * Lists a directory, like {@code getdents(2)} without {@code .} and {@code ..}.
   *
   * @param path the directory
   * @return the names of its entries, in no particular order
   * @throws VfsException {@code ENOENT}, {@code ENOTDIR}
   */
  List<String> list(String path) throws VfsException;

  /**
   * Creates a symbolic link, like {@code symlink(2)}; needs {@link VfsCapability#SYMLINKS}.
   *
   * @param target the link's contents, not checked
   * @param linkPath the new link
   * @throws VfsException {@code EEXIST}, {@code ENOENT}; {@code EPERM} by default
   */
  default void symlink(String target, String linkPath) throws VfsException {
    throw new VfsException(iouring.api.abi.Errno.EPERM, "symlinks are not supported");
  }

  /**
   * Returns a symbolic link's contents, like {@code readlink(2)}.
   *
   * @param path the link
   * @return its target
   * @throws VfsException {@code EINVAL} for a name that is not a link (always, by default)
   */
  default String readlink(String path) throws VfsException {
    throw new VfsException(iouring.api.abi.Errno.EINVAL, path + " is not a symlink");
  }

  /**
   * Creates a hard link, like {@code linkat(2)} without {@code AT_SYMLINK_FOLLOW}; needs {@link
   * VfsCapability#HARD_LINKS}.
   *
   * @param existing the existing file
   * @param newPath the new name
   * @throws VfsException {@code EEXIST}, {@code ENOENT}, {@code EPERM} for a directory (and by
   *     default)
   */
  default void link(String existing, String newPath) throws VfsException {
    throw new VfsException(iouring.api.abi.Errno.EPERM, "hard links are not supported");
  }

  /**
   * Reads an extended attribute, like {@code getxattr(2)}; needs {@link VfsCapability#XATTRS}.
   *
   * @param path the file
   * @param name the attribute's full name, e.g. {@code user.comment}
   * @param followLinks false for {@code lgetxattr}
   * @return the value
   * @throws VfsException {@code ENODATA} when absent; {@code EOPNOTSUPP} by default
   */
  default byte[] getxattr(String path, String name, boolean followLinks) throws VfsException {
    throw new VfsException(iouring.api.abi.Errno.EOPNOTSUPP, "extended attributes");
  }

  /**
   * Writes an extended attribute, like {@code setxattr(2)}; needs {@link VfsCapability#XATTRS}.
   *
   * @param path the file
   * @param name the attribute's full name
   * @param value the value
   * @param flags 0, {@code XATTR_CREATE} or {@code XATTR_REPLACE}
   * @param followLinks false for {@code lsetxattr}
   * @throws VfsException {@code EEXIST}, {@code ENODATA}, {@code ENOSPC}; {@code EOPNOTSUPP} by
   *     default
   */
  default void setxattr(String path, String name, byte[] value, int flags, boolean followLinks)
      throws VfsException {
    throw new VfsException(iouring.api.abi.Errno.EOPNOTSUPP, "extended attributes");
  }

  /**
   * Lists a file's extended attributes, like {@code listxattr(2)}; needs {@link
   * VfsCapability#XATTRS}. io_uring has no opcode for it: the agent's attribute views use it.
   *
   * @param path the file
   * @param followLinks false for {@code llistxattr}
   * @return the full names ({@code user.comment}), in no particular order
   * @throws VfsException {@code ENOENT}, {@code ENOTDIR}; {@code EOPNOTSUPP} by default
   */
  default java.util.List<String> listxattr(String path, boolean followLinks) throws VfsException {
    throw new VfsException(iouring.api.abi.Errno.EOPNOTSUPP, "extended attributes");
  }

  /**
   * Removes an extended attribute, like {@code removexattr(2)}; needs {@link VfsCapability#XATTRS}.
   * io_uring has no opcode for it: the agent's attribute views use it.
   *
   * @param path the file
   * @param name the attribute's full name
   * @param followLinks false for {@code lremovexattr}
   * @throws VfsException {@code ENODATA} when absent; {@code EOPNOTSUPP} by default
   */
  default void removexattr(String path, String name, boolean followLinks) throws VfsException {
    throw new VfsException(iouring.api.abi.Errno.EOPNOTSUPP, "extended attributes");
  }

  /**
   * Changes a file's permission bits, like {@code fchmodat(2)}; needs {@link
   * VfsCapability#ATTRIBUTES}. Only {@code 07777} of the mode is used; the file type stays, and the
   * change time becomes now.
   *
   * @param path the file
   * @param mode the new permission, set-id and sticky bits
   * @param followLinks false for {@code AT_SYMLINK_NOFOLLOW}: a symlink is {@code EOPNOTSUPP}, as
   *     Linux has no mode for links
   * @throws VfsException {@code ENOENT}, {@code ENOTDIR}, {@code ELOOP}; {@code EPERM} by default
   */
  default void chmod(String path, int mode, boolean followLinks) throws VfsException {
    throw new VfsException(iouring.api.abi.Errno.EPERM, "changing modes is not supported");
  }

  /**
   * Changes a file's owner and group, like {@code fchownat(2)}; needs {@link
   * VfsCapability#ATTRIBUTES}. As Linux, a file that is not a directory loses its set-user-id bit,
   * and its set-group-id bit if group-executable; the change time becomes now.
   *
   * @param path the file
   * @param uid the new owner, or -1 to keep it
   * @param gid the new group, or -1 to keep it
   * @param followLinks false for {@code AT_SYMLINK_NOFOLLOW}: a symlink changes itself
   * @throws VfsException {@code ENOENT}, {@code ENOTDIR}, {@code ELOOP}; {@code EPERM} by default
   */
  default void chown(String path, int uid, int gid, boolean followLinks) throws VfsException {
    throw new VfsException(iouring.api.abi.Errno.EPERM, "changing owners is not supported");
  }

  /**
   * Sets a file's access and modification times, like {@code utimensat(2)}; needs {@link
   * VfsCapability#ATTRIBUTES}. The change time becomes now, unless both times are omitted.
   *
   * @param path the file
   * @param atimeNanos the access time in nanoseconds since the epoch, or {@link VfsStat#NO_TIME} to
   *     keep it ({@code UTIME_OMIT})
   * @param mtimeNanos the modification time, or {@link VfsStat#NO_TIME} to keep it
   * @param followLinks false for {@code AT_SYMLINK_NOFOLLOW}: a symlink changes itself
   * @throws VfsException {@code ENOENT}, {@code ENOTDIR}, {@code ELOOP}; {@code EPERM} by default
   */
  default void utimens(String path, long atimeNanos, long mtimeNanos, boolean followLinks)
      throws VfsException {
    throw new VfsException(iouring.api.abi.Errno.EPERM, "setting times is not supported");
  }

  /**
   * Returns the space of this file system, as {@code statfs(2)} reports it: for a bounded file
   * system its size and what is left; the numbers may change with every write.
   *
   * @return the space
   * @throws VfsException {@code EIO} and the like; {@code ENOSYS} by default, for a provider that
   *     cannot tell
   */
  default VfsSpace space() throws VfsException {
    throw new VfsException(iouring.api.abi.Errno.ENOSYS, "this provider does not report its space");
  }
}
