package iouring.vfs.fault;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** An operation a fault rule can fail or delay: one per SPI method that can fail. */
enum FaultOp {
  /** {@code VfsProvider.open}. */
  OPEN,
  /** {@code VfsFile.read}. */
  READ,
  /** {@code VfsFile.write}. */
  WRITE,
  /** {@code VfsFile.sync}. */
  SYNC,
  /** {@code VfsFile.size}. */
  SIZE,
  /** {@code VfsProvider.stat} and {@code VfsFile.stat}. */
  STAT,
  /** {@code VfsFile.truncate}. */
  TRUNCATE,
  /** {@code VfsFile.allocate}. */
  ALLOCATE,
  /** {@code VfsProvider.mkdir}. */
  MKDIR,
  /** {@code VfsProvider.unlink}. */
  UNLINK,
  /** {@code VfsProvider.rmdir}. */
  RMDIR,
  /** {@code VfsProvider.rename}. */
  RENAME,
  /** {@code VfsProvider.list}. */
  LIST,
  /** {@code VfsProvider.symlink}. */
  SYMLINK,
  /** {@code VfsProvider.readlink}. */
  READLINK,
  /** {@code VfsProvider.link}. */
  LINK,
  /** {@code VfsProvider.getxattr}. */
  GETXATTR,
  /** {@code VfsProvider.setxattr}. */
  SETXATTR,
  /** {@code VfsProvider.listxattr}. */
  LISTXATTR,
  /** {@code VfsProvider.removexattr}. */
  REMOVEXATTR,
  /** {@code VfsProvider.chmod}. */
  CHMOD,
  /** {@code VfsProvider.chown}. */
  CHOWN,
  /** {@code VfsProvider.utimens}. */
  UTIMENS,
  /** {@code VfsProvider.space}. */
  SPACE;

  /** Returns the name rules use: the constant in lower case. */
  String ruleName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns every rule name, for error messages. */
  static String ruleNames() {
    return Arrays.stream(values()).map(FaultOp::ruleName).collect(Collectors.joining(", "));
  }
}
