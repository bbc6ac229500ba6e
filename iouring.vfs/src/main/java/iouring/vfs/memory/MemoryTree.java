package iouring.vfs.memory;

import iouring.vfs.path.PathWalker;

/**
 * The memory provider's directories as the path walker sees them; callers hold the namespace lock.
 */
final class MemoryTree implements PathWalker.Tree<Directory, Inode> {

  private final Directory root;

  MemoryTree(Directory root) {
    this.root = root;
  }

  @Override
  public Directory root() {
    return root;
  }

  @Override
  public Directory parent(Directory dir) {
    return dir.parent();
  }

  @Override
  public Inode lookup(Directory dir, String name) {
    return dir.get(name);
  }

  @Override
  public Inode node(Directory dir) {
    return dir;
  }

  @Override
  public Directory directory(Inode node) {
    return node instanceof Directory ? (Directory) node : null;
  }

  @Override
  public String symlinkTarget(Inode node) {
    return node instanceof Symlink ? ((Symlink) node).target() : null;
  }
}
