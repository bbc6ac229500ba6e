package iouring.vfs.memory;

import static iouring.api.abi.FileFlags.RENAME_EXCHANGE;
import static iouring.api.abi.FileFlags.RENAME_NOREPLACE;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.vfs.path.PathWalker.Last;
import iouring.vfs.path.PathWalker.Walk;

/**
 * One {@code renameat2(2)} in the memory provider, checked in the order of Linux's {@code
 * do_renameat2} and {@code vfs_rename}, then applied. Runs under the namespace lock held for
 * writing, so the whole rename is one atomic step.
 */
final class Rename {
  private final Walk<Directory, Inode> from;
  private final Walk<Directory, Inode> to;
  private final boolean noReplace;
  private final boolean exchange;
  private final String fromPath;
  private final String toPath;

  Rename(
      Walk<Directory, Inode> from,
      Walk<Directory, Inode> to,
      int flags,
      String fromPath,
      String toPath) {
    this.from = from;
    this.to = to;
    this.noReplace = (flags & RENAME_NOREPLACE) != 0;
    this.exchange = (flags & RENAME_EXCHANGE) != 0;
    this.fromPath = fromPath;
    this.toPath = toPath;
  }

  /**
   * Checks the flags before any lookup, as Linux does.
   *
   * @throws VfsException {@code EINVAL} for unknown flags, {@code RENAME_WHITEOUT} (no overlay file
   *     system needs one here) and {@code NOREPLACE} with {@code EXCHANGE}
   */
  static void checkFlags(int flags) throws VfsException {
    if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) != 0
        || (flags & RENAME_NOREPLACE) != 0 && (flags & RENAME_EXCHANGE) != 0) {
      throw new VfsException(Errno.EINVAL, "rename flags " + flags);
    }
  }

  /** Checks the rename and applies it. */
  void run() throws VfsException {
    if (from.last() != Last.NAME) {
      throw new VfsException(Errno.EBUSY, fromPath);
    }
    if (to.last() != Last.NAME) {
      throw new VfsException(noReplace ? Errno.EEXIST : Errno.EBUSY, toPath);
    }
    Inode source = from.node();
    Inode target = to.node();
    if (source == null) {
      throw new VfsException(Errno.ENOENT, fromPath);
    }
    if (exchange && target == null) {
      throw new VfsException(Errno.ENOENT, toPath);
    }
    if (noReplace && target != null) {
      throw new VfsException(Errno.EEXIST, toPath);
    }
    if (from.mustBeDirectory() && !(source instanceof Directory)
        || to.mustBeDirectory()
            && !(exchange ? target instanceof Directory : isDirectory(source))) {
      throw new VfsException(Errno.ENOTDIR, fromPath + " or " + toPath);
    }
    if (source instanceof Directory && to.dir().isWithin((Directory) source)) {
      throw new VfsException(Errno.EINVAL, toPath + " is inside " + fromPath);
    }
    if (target instanceof Directory && from.dir().isWithin((Directory) target)) {
      throw new VfsException(exchange ? Errno.EINVAL : Errno.ENOTEMPTY, fromPath);
    }
    if (source == target) {
      return; // vfs_rename: two names of one inode, or one name twice: nothing to do
    }
    if (exchange) {
      swap(source, target);
    } else {
      move(source, target);
    }
  }

  private void move(Inode source, Inode target) throws VfsException {
    Directory oldDir = from.dir();
    Directory newDir = to.dir();
    if (target != null) {
      if (source instanceof Directory) {
        if (!(target instanceof Directory)) {
          throw new VfsException(Errno.ENOTDIR, toPath);
        }
        if (!((Directory) target).isEmpty()) {
          throw new VfsException(Errno.ENOTEMPTY, toPath);
        }
        newDir.nlink(newDir.nlink() - 1); // the replaced directory's ".."
      } else if (target instanceof Directory) {
        throw new VfsException(Errno.EISDIR, toPath);
      }
      MemoryProvider.dropLink(target);
    }
    oldDir.remove(from.name());
    newDir.put(to.name(), source);
    if (source instanceof Directory) {
      reparent((Directory) source, oldDir, newDir);
    }
    source.changed();
    oldDir.modified();
    newDir.modified();
  }

  private void swap(Inode source, Inode target) {
    Directory oldDir = from.dir();
    Directory newDir = to.dir();
    oldDir.put(from.name(), target);
    newDir.put(to.name(), source);
    if (source instanceof Directory) {
      reparent((Directory) source, oldDir, newDir);
    }
    if (target instanceof Directory) {
      reparent((Directory) target, newDir, oldDir);
    }
    source.changed();
    target.changed();
    oldDir.modified();
    newDir.modified();
  }

  /** Moves a directory's ".." link from one parent to another. */
  private static void reparent(Directory dir, Directory oldParent, Directory newParent) {
    dir.parent(newParent);
    if (oldParent != newParent) {
      oldParent.nlink(oldParent.nlink() - 1);
      newParent.nlink(newParent.nlink() + 1);
    }
  }

  private static boolean isDirectory(Inode node) {
    return node instanceof Directory;
  }
}
