package iouring.api.spi;

/**
 * What a provider supports beyond the operations every provider has (open, read, write, stat,
 * truncate, plain allocation, directories, rename with {@code RENAME_NOREPLACE}, unlink).
 * Operations of a missing capability fail with the errno Linux gives on a file system without the
 * feature, named on each constant.
 */
public enum VfsCapability {
  /** Symbolic links: {@code symlink} and {@code readlink}; without it {@code EPERM}. */
  SYMLINKS,

  /** Hard links: {@code link}; without it {@code EPERM}. */
  HARD_LINKS,

  /** Extended attributes: {@code getxattr} and {@code setxattr}; without it {@code EOPNOTSUPP}. */
  XATTRS,

  /**
   * {@code fallocate} modes beyond plain allocation ({@code FALLOC_FL_KEEP_SIZE}, {@code
   * PUNCH_HOLE}, {@code ZERO_RANGE}); without it those modes give {@code EOPNOTSUPP}.
   */
  FALLOCATE_MODES,

  /** {@code RENAME_EXCHANGE}, swapping two names atomically; without it {@code EINVAL}. */
  RENAME_EXCHANGE,

  /**
   * Changing a file's mode, owner and times: {@code chmod}, {@code chown} and {@code utimens};
   * without it {@code EPERM}.
   */
  ATTRIBUTES
}
