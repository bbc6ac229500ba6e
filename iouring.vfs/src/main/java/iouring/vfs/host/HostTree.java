package iouring.vfs.host;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.vfs.path.PathWalker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The host directory tree under a root, as the path walker sees it: every lookup reads one name's
 * attributes without following it, so a symlink reaches the walker as a symlink and is resolved by
 * the walker's rules, never by the host's.
 */
final class HostTree implements PathWalker.Tree<Path, HostTree.Node> {
  /** A host file found by a walk, with its attributes as they were when it was looked up. */
  record Node(Path path, BasicFileAttributes attributes) {}

  private final Path root;

  HostTree(Path root) {
    this.root = root;
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public Path parent(Path dir) {
    // dir was reached through real directories only, so its lexical parent is its real parent.
    return dir.equals(root) ? root : dir.getParent();
  }

  @Override
  public Node lookup(Path dir, String name) throws VfsException {
    Path path;
    try {
      path = dir.resolve(name);
    } catch (InvalidPathException e) {
      throw new VfsException(Errno.EINVAL, name + " is not a name on this host");
    }
    if (!dir.equals(path.getParent()) || !name.equals(path.getFileName().toString())) {
      // A host whose separator is not '/' could read one name as several.
      throw new VfsException(Errno.EINVAL, name + " is not a name on this host");
    }
    try {
      return new Node(path, attributes(path));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw HostErrors.errno(e, name);
    }
  }

  @Override
  public Node node(Path dir) throws VfsException {
    try {
      return new Node(dir, attributes(dir));
    } catch (IOException e) {
      throw HostErrors.errno(e, String.valueOf(dir.getFileName()));
    }
  }

  @Override
  public Path directory(Node node) {
    return node.attributes().isDirectory() ? node.path() : null;
  }

  @Override
  public String symlinkTarget(Node node) throws VfsException {
    if (!node.attributes().isSymbolicLink()) {
      return null;
    }
    try {
      return Files.readSymbolicLink(node.path()).toString();
    } catch (IOException e) {
      throw HostErrors.errno(e, String.valueOf(node.path().getFileName()));
    }
  }

  private static BasicFileAttributes attributes(Path path) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }
}
