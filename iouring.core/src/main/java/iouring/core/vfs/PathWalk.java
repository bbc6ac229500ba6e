package iouring.core.vfs;

import static iouring.api.abi.FileFlags.S_IFDIR;
import static iouring.api.abi.FileFlags.S_IFLNK;
import static iouring.api.abi.FileFlags.S_IFMT;

import iouring.api.abi.Errno;
import iouring.api.abi.Limits;
import iouring.api.spi.VfsException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Walks a path name by name across the mounts of a process, as Linux's {@code link_path_walk}: each
 * component is looked up ({@code lstat}), a symlink is read and its target walked in its place, and
 * {@code ..} goes to the parent of the directory actually reached, not of the name as written. The
 * result is an absolute path with no {@code .}, {@code ..} or symlink in the part walked, which a
 * provider then opens as it stands.
 *
 * <p>Two uses. A path with {@code ..} in it is walked up to its last {@code ..}, so that {@code
 * link/..} is the parent of the link's target and {@code missing/..} is {@code ENOENT}, as on
 * Linux; what follows the last {@code ..} is left to the provider, which resolves it the same way
 * (a path without {@code ..} never comes here: lexical and physical resolution agree on it). And
 * {@code openat2}'s {@code RESOLVE_BENEATH}, {@code RESOLVE_IN_ROOT}, {@code RESOLVE_NO_SYMLINKS}
 * and {@code RESOLVE_NO_XDEV} walk every component, checking their rule at each step, symlink
 * targets included, with Linux's errors ({@code EXDEV} for a step out of the scope or across a
 * mount, {@code ELOOP} for a symlink or too many of them).
 *
 * <p>An absolute symlink target starts again at the root of the mount that holds the symlink, as
 * providers resolve it themselves (each provider is its own {@code RESOLVE_IN_ROOT} jail); under
 * {@code RESOLVE_IN_ROOT} at the directory the walk is scoped to. Linux would start at the
 * process's root: the two agree for a provider mounted at {@code /}. The walk and the open that
 * follows are two steps: a rename between them goes unnoticed, where Linux would detect it and fail
 * the walk with {@code EAGAIN}.
 */
public final class PathWalk {
  /** Linux's {@code MAXSYMLINKS}: more symlinks in one walk is {@code ELOOP}. */
  public static final int MAX_SYMLINKS = 40;

  /**
   * The most name lookups one walk may cost its providers, counted as the depth of each name looked
   * up (a provider resolves each prefix from its root): {@code ELOOP} past it. Linux walks from a
   * cached dentry, linearly; a walk here is quadratic in the path's depth. Any path of at most
   * {@code PATH_MAX} bytes fits (2047 names deep cost about 2 million); only symlinks that expand
   * into thousands of names again and again reach it.
   */
  public static final long MAX_LOOKUPS = 1 << 22;

  /** {@code ..} may not leave the start directory, nor may a symlink: {@code EXDEV}. */
  public static final int BENEATH = 1;

  /** The start directory is the root: {@code /} and {@code ..} at it stay there. */
  public static final int IN_ROOT = 2;

  /** Any symlink to be followed is {@code ELOOP}. */
  public static final int NO_SYMLINKS = 4;

  /** A step onto another mount is {@code EXDEV}. */
  public static final int NO_XDEV = 8;

  /** Follow a symlink in the last component (open without {@code O_NOFOLLOW}). */
  public static final int FOLLOW_LAST = 16;

  /** Walk every component, not only up to the last {@code ..}. */
  public static final int ALL = 32;

  private PathWalk() {}

  /**
   * Returns whether a path has a {@code ..} component, the one thing lexical normalization gets
   * wrong once a symlink or a missing name precedes it.
   *
   * @param path a path
   * @return whether one of its components is {@code ..}
   */
  public static boolean hasDotDot(String path) {
    int at = path.indexOf("..");
    while (at >= 0) {
      boolean starts = at == 0 || path.charAt(at - 1) == '/';
      boolean ends = at + 2 == path.length() || path.charAt(at + 2) == '/';
      if (starts && ends) {
        return true;
      }
      at = path.indexOf("..", at + 1);
    }
    return false;
  }

  /**
   * Walks a path.
   *
   * @param mounts the process's mounts
   * @param start the absolute, normalized directory a relative path starts from (a dirfd's path, or
   *     {@code /}), and the scope of {@link #BENEATH} and {@link #IN_ROOT}
   * @param path the path as written, already checked by {@link MountTable#check}
   * @param flags {@link #BENEATH}, {@link #IN_ROOT}, {@link #NO_SYMLINKS}, {@link #NO_XDEV}, {@link
   *     #FOLLOW_LAST}, {@link #ALL}
   * @return the absolute path reached; its last component may not exist (for a create to make)
   * @throws VfsException {@code ENOENT} or {@code ENOTDIR} for a component that is missing or not a
   *     directory before the end, {@code ELOOP}, {@code EXDEV}, or a provider's error
   */
  public static String walk(MountTable mounts, String start, String path, int flags)
      throws VfsException {
    List<String> scope = components(start);
    boolean scoped = (flags & (BENEATH | IN_ROOT)) != 0;
    List<String> done;
    if (path.startsWith("/")) {
      if ((flags & BENEATH) != 0) {
        throw new VfsException(Errno.EXDEV, "absolute path under RESOLVE_BENEATH");
      }
      done = (flags & IN_ROOT) != 0 ? new ArrayList<>(scope) : new ArrayList<>();
    } else {
      done = new ArrayList<>(scope);
    }
    int floor = scoped ? scope.size() : 0;
    int mount = (flags & NO_XDEV) != 0 ? mounts.resolve(start).mountId() : 0;
    Deque<String> todo = new ArrayDeque<>();
    int dotDots = push(todo, components(path)); // the .. still ahead, so none is searched for
    int links = 0;
    long lookups = 0;
    while (!todo.isEmpty()) {
      if ((flags & ALL) == 0 && dotDots == 0) {
        done.addAll(todo); // no .. left: the provider resolves the rest as Linux would
        break;
      }
      String name = todo.pollFirst();
      if (name.equals("..")) {
        dotDots--;
        if (done.size() <= floor) {
          if ((flags & BENEATH) != 0) {
            throw new VfsException(Errno.EXDEV, ".. above the directory under RESOLVE_BENEATH");
          }
          continue; // the root, or RESOLVE_IN_ROOT's root: .. stays there
        }
        done.remove(done.size() - 1);
        checkMount(mounts, done, flags, mount);
        continue;
      }
      done.add(name);
      MountTable.Resolved at = checkMount(mounts, done, flags, mount);
      if (at.relativePath().length() >= Limits.PATH_MAX) {
        // Symlinks can lead past PATH_MAX, which no provider path may reach.
        throw new VfsException(Errno.ENAMETOOLONG, "resolved path too long");
      }
      lookups += done.size();
      if (lookups > MAX_LOOKUPS) {
        throw new VfsException(Errno.ELOOP, "path walk too long");
      }
      boolean last = todo.isEmpty();
      int type;
      try {
        type = at.provider().stat(at.relativePath(), false).mode() & S_IFMT;
      } catch (VfsException e) {
        if (last && e.errno() == Errno.ENOENT) {
          break; // the last name may be created
        }
        throw e;
      }
      if (type == S_IFLNK) {
        if (last && (flags & FOLLOW_LAST) == 0) {
          break; // the operation acts on the link itself
        }
        if ((flags & NO_SYMLINKS) != 0) {
          throw new VfsException(Errno.ELOOP, "symlink under RESOLVE_NO_SYMLINKS");
        }
        if (++links > MAX_SYMLINKS) {
          throw new VfsException(Errno.ELOOP, "too many levels of symbolic links");
        }
        String target = at.provider().readlink(at.relativePath());
        String linkPath = join(done);
        done.remove(done.size() - 1);
        if (target.startsWith("/")) {
          if ((flags & BENEATH) != 0) {
            throw new VfsException(Errno.EXDEV, "absolute symlink under RESOLVE_BENEATH");
          }
          done =
              (flags & IN_ROOT) != 0
                  ? new ArrayList<>(scope)
                  : components(mountPoint(linkPath, at.relativePath()));
        }
        dotDots += push(todo, components(target));
        continue;
      }
      if (!last && type != S_IFDIR) {
        throw new VfsException(Errno.ENOTDIR, join(done) + " is not a directory");
      }
    }
    return join(done);
  }

  /** Puts names in front of those still to walk; returns how many of them are {@code ..}. */
  private static int push(Deque<String> todo, List<String> names) {
    int dotDots = 0;
    for (int i = names.size() - 1; i >= 0; i--) {
      String name = names.get(i);
      dotDots += name.equals("..") ? 1 : 0;
      todo.addFirst(name);
    }
    return dotDots;
  }

  private static MountTable.Resolved checkMount(
      MountTable mounts, List<String> done, int flags, int mount) throws VfsException {
    MountTable.Resolved at = mounts.resolve(join(done));
    if ((flags & NO_XDEV) != 0 && at.mountId() != mount) {
      throw new VfsException(Errno.EXDEV, "path crosses a mount under RESOLVE_NO_XDEV");
    }
    return at;
  }

  /** The mount point of an absolute path, given the part of it below the mount point. */
  private static String mountPoint(String absolute, String relative) {
    String point =
        relative.isEmpty()
            ? absolute
            : absolute.substring(0, absolute.length() - relative.length() - 1);
    return point.isEmpty() ? "/" : point;
  }

  private static List<String> components(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return parts;
  }

  private static String join(List<String> parts) {
    return "/" + String.join("/", parts);
  }
}
