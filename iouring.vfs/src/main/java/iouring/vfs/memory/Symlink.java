package iouring.vfs.memory;

import iouring.api.abi.FileFlags;
import iouring.vfs.path.ProviderPath;

/** A symbolic link of the memory provider: its target, stored as given and never checked. */
final class Symlink extends Inode {
  private final String target;

  /** Creates a link with Linux's fixed permissions {@code 0777}. */
  Symlink(SuperBlock sb, String target) {
    super(sb, FileFlags.S_IFLNK, 0777, 1);
    this.target = target;
  }

  /** Returns the target. */
  String target() {
    return target;
  }

  @Override
  long size() {
    return ProviderPath.utf8Length(target);
  }

  @Override
  long blocks() {
    return 0; // tmpfs keeps short targets in the inode
  }
}
