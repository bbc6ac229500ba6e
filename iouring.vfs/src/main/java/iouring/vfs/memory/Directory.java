package iouring.vfs.memory;

import iouring.api.abi.FileFlags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A directory of the memory provider: names to inodes, and its parent, which {@code ..} needs.
 *
 * <p>Guarded by the provider's namespace lock: lookups hold it for reading, changes for writing.
 * The entry count is volatile because {@code fstat} of an open directory reads it without the lock.
 */
final class Directory extends Inode {
  /** tmpfs's {@code BOGO_DIRENT_SIZE}: what each entry adds to a directory's size. */
  private static final int BOGO_DIRENT_SIZE = 20;

  private final Map<String, Inode> entries = new HashMap<>();
  private volatile int count;
  private Directory parent;

  /**
   * Creates an empty directory with link count 2 (its name and its own {@code .}).
   *
   * @param sb the provider's shared state
   * @param permissions the permission bits
   * @param parent the parent, or null for the root, which is its own parent
   */
  Directory(SuperBlock sb, int permissions, Directory parent) {
    super(sb, FileFlags.S_IFDIR, permissions, 2);
    this.parent = parent == null ? this : parent;
  }

  /** Returns the parent; the root's parent is the root. */
  Directory parent() {
    return parent;
  }

  /** Moves the directory under another parent, as a rename does. */
  void parent(Directory newParent) {
    parent = newParent;
  }

  /** Returns the entry of a name, or null. */
  Inode get(String name) {
    return entries.get(name);
  }

  /** Adds or replaces an entry. */
  void put(String name, Inode inode) {
    entries.put(name, inode);
    count = entries.size();
  }

  /** Removes an entry. */
  void remove(String name) {
    entries.remove(name);
    count = entries.size();
  }

  /** Returns whether the directory has no entries. */
  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Returns the names, in no particular order. */
  List<String> names() {
    return new ArrayList<>(entries.keySet());
  }

  /** Returns whether this directory is {@code other} or lies below it. */
  boolean isWithin(Directory other) {
    for (Directory d = this; ; d = d.parent) {
      if (d == other) {
        return true;
      }
      if (d.parent == d) {
        return false;
      }
    }
  }

  @Override
  long size() {
    return (long) (count + 2) * BOGO_DIRENT_SIZE;
  }

  @Override
  long blocks() {
    return 0;
  }
}
