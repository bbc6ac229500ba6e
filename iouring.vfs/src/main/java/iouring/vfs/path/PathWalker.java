package iouring.vfs.path;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a provider path one name at a time, the way Linux's {@code link_path_walk} does under
 * {@code openat2(RESOLVE_IN_ROOT)}: {@code ..} is the parent of the directory reached and stops at
 * the root, a symlink in the middle of a path is followed, an absolute symlink target starts again
 * at the provider's root, and more than {@value #MAX_SYMLINKS} symlinks in one walk is {@code
 * ELOOP}. Since every step goes through {@link Tree}, a walk can never name anything outside the
 * tree it was given.
 *
 * @param <D> a directory of the tree
 * @param <N> any node of the tree
 */
public final class PathWalker<D, N> {
  /** Linux's {@code MAXSYMLINKS}: the most symlinks one path walk follows. */
  public static final int MAX_SYMLINKS = 40;

  /**
   * What a walk needs to know about a file-system tree.
   *
   * @param <D> a directory
   * @param <N> any node
   */
  public interface Tree<D, N> {
    /**
     * Returns the root directory.
     *
     * @return the root
     */
    D root();

    /**
     * Returns a directory's parent; the root is its own parent.
     *
     * @param dir the directory
     * @return the parent
     */
    D parent(D dir);

    /**
     * Looks a name up in a directory without following a symlink.
     *
     * @param dir the directory
     * @param name the name, not {@code .} or {@code ..}
     * @return the node, or null when there is no such name
     * @throws VfsException on a failure other than absence
     */
    N lookup(D dir, String name) throws VfsException;

    /**
     * Returns the node of a directory, for a walk that ends on one.
     *
     * @param dir the directory
     * @return its node
     * @throws VfsException on failure
     */
    N node(D dir) throws VfsException;

    /**
     * Returns the directory a node is, if it is one.
     *
     * @param node the node
     * @return the directory, or null for any other kind of file
     */
    D directory(N node);

    /**
     * Returns a symlink's target, if the node is a symlink.
     *
     * @param node the node
     * @return the target, or null for any other kind of file
     * @throws VfsException if the link cannot be read
     */
    String symlinkTarget(N node) throws VfsException;
  }

  /** How a path ends, as Linux's {@code last_type}. */
  public enum Last {
    /** A name: the only kind that can be created, removed or renamed. */
    NAME,
    /** {@code .} */
    DOT,
    /** {@code ..} */
    DOTDOT,
    /** No name at all: the root. */
    ROOT
  }

  /**
   * Where a walk ended.
   *
   * @param <D> a directory
   * @param <N> any node
   * @param dir the directory holding the last name; for {@link Last#DOT}, {@link Last#DOTDOT} and
   *     {@link Last#ROOT}, the directory the path names
   * @param name the last name, or null unless {@code last} is {@link Last#NAME}
   * @param last how the path ends
   * @param node what the path names, or null if the last name does not exist
   * @param mustBeDirectory whether a trailing slash asks for a directory
   */
  public record Walk<D, N>(D dir, String name, Last last, N node, boolean mustBeDirectory) {}

  private final Tree<D, N> tree;

  /**
   * Creates a walker over a tree.
   *
   * @param tree the tree
   */
  public PathWalker(Tree<D, N> tree) {
    this.tree = tree;
  }

  /**
   * Walks a path to its last name. Every name but the last must exist; the last one may not.
   *
   * @param path the path, relative to the root
   * @param followFinal whether a symlink as the last name is followed (a trailing slash always
   *     follows it)
   * @return where the walk ended
   * @throws VfsException {@code ENOENT} for a missing directory on the way, {@code ENOTDIR} for a
   *     name on the way that is not a directory, {@code ELOOP} past {@value #MAX_SYMLINKS}
   *     symlinks, {@code ENAMETOOLONG} and {@code EINVAL} for bad names
   */
  public Walk<D, N> walk(String path, boolean followFinal) throws VfsException {
    return walk(path, followFinal, false);
  }

  /**
   * Walks a path to the directory that holds its last name, as Linux does for the operations that
   * create, remove or rename a name: the last name is never followed, even with a trailing slash,
   * which only sets {@link Walk#mustBeDirectory()}.
   *
   * @param path the path, relative to the root
   * @return where the walk ended
   * @throws VfsException as {@link #walk(String, boolean)}
   */
  public Walk<D, N> walkParent(String path) throws VfsException {
    return walk(path, false, true);
  }

  private Walk<D, N> walk(String path, boolean followFinal, boolean parentOnly)
      throws VfsException {
    ProviderPath parsed = ProviderPath.parse(path);
    Deque<String> pending = new ArrayDeque<>(parsed.components());
    boolean mustBeDirectory = parsed.trailingSlash();
    D dir = tree.root();
    int links = 0;
    while (!pending.isEmpty()) {
      String name = pending.pollFirst();
      boolean last = pending.isEmpty();
      if (name.equals(".") || name.equals("..")) {
        if (name.equals("..")) {
          dir = tree.parent(dir);
        }
        if (last) {
          Last kind = name.equals(".") ? Last.DOT : Last.DOTDOT;
          return new Walk<>(dir, null, kind, tree.node(dir), mustBeDirectory);
        }
        continue;
      }
      N node = tree.lookup(dir, name);
      if (node == null) {
        if (last) {
          return new Walk<>(dir, name, Last.NAME, null, mustBeDirectory);
        }
        throw new VfsException(Errno.ENOENT, name);
      }
      String target = tree.symlinkTarget(node);
      if (target != null && (!last || !parentOnly && (followFinal || mustBeDirectory))) {
        if (++links > MAX_SYMLINKS) {
          throw new VfsException(Errno.ELOOP, path);
        }
        if (target.isEmpty()) {
          throw new VfsException(Errno.ENOENT, name + " is an empty symlink");
        }
        ProviderPath into = ProviderPath.parse(target);
        if (into.absolute()) {
          dir = tree.root(); // RESOLVE_IN_ROOT: "/" is the provider's root, never the host's
        }
        List<String> names = into.components();
        for (int i = names.size() - 1; i >= 0; i--) {
          pending.addFirst(names.get(i));
        }
        if (last && into.trailingSlash()) {
          mustBeDirectory = true;
        }
        continue;
      }
      if (last) {
        return new Walk<>(dir, name, Last.NAME, node, mustBeDirectory);
      }
      D sub = tree.directory(node);
      if (sub == null) {
        throw new VfsException(Errno.ENOTDIR, name);
      }
      dir = sub;
    }
    return new Walk<>(dir, null, Last.ROOT, tree.node(dir), mustBeDirectory);
  }
}
