package iouring.vfs.path;

import iouring.api.abi.Errno;
import iouring.api.abi.Limits;
import iouring.api.spi.VfsException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A provider path or symlink target split at its slashes, with each name checked the way Linux's
 * {@code getname} and path walk check them.
 *
 * <p>Components keep {@code .} and {@code ..}: only a walk that knows where symlinks lead can give
 * {@code ..} its meaning, which is the parent of the directory reached, not a lexical one.
 */
public final class ProviderPath {
  private final List<String> components;
  private final boolean absolute;
  private final boolean trailingSlash;

  private ProviderPath(List<String> components, boolean absolute, boolean trailingSlash) {
    this.components = components;
    this.absolute = absolute;
    this.trailingSlash = trailingSlash;
  }

  /**
   * Splits a path, dropping empty components (repeated slashes).
   *
   * @param path the path; empty means the provider's root
   * @return the parsed path
   * @throws VfsException {@code EINVAL} for a NUL byte, {@code ENAMETOOLONG} for a path of {@code
   *     PATH_MAX} bytes or more or a name over {@code NAME_MAX} bytes
   */
  public static ProviderPath parse(String path) throws VfsException {
    if (path.indexOf('\0') >= 0) {
      throw new VfsException(Errno.EINVAL, "path holds a NUL byte");
    }
    if (utf8Length(path) >= Limits.PATH_MAX) {
      throw new VfsException(Errno.ENAMETOOLONG, "path of " + utf8Length(path) + " bytes");
    }
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == '/') {
        if (i > start) {
          String name = path.substring(start, i);
          checkName(name);
          parts.add(name);
        }
        start = i + 1;
      }
    }
    boolean absolute = path.startsWith("/");
    boolean slash = !parts.isEmpty() && path.endsWith("/");
    return new ProviderPath(Collections.unmodifiableList(parts), absolute, slash);
  }

  /**
   * Checks one name.
   *
   * @param name a name without slashes
   * @throws VfsException {@code ENAMETOOLONG} over {@code NAME_MAX} bytes, {@code EINVAL} for a NUL
   */
  public static void checkName(String name) throws VfsException {
    if (name.indexOf('\0') >= 0) {
      throw new VfsException(Errno.EINVAL, "name holds a NUL byte");
    }
    int bytes = utf8Length(name);
    if (bytes > Limits.NAME_MAX) {
      throw new VfsException(Errno.ENAMETOOLONG, "name of " + bytes + " bytes");
    }
  }

  /**
   * Checks a symlink's target as {@code symlink(2)} does before storing it: not empty, no NUL byte,
   * shorter than {@code PATH_MAX} bytes. The target itself is not resolved.
   *
   * @param target the link's contents
   * @throws VfsException {@code ENOENT}, {@code EINVAL} or {@code ENAMETOOLONG}
   */
  public static void checkSymlinkTarget(String target) throws VfsException {
    if (target.isEmpty()) {
      throw new VfsException(Errno.ENOENT, "empty symlink target");
    }
    if (target.indexOf('\0') >= 0) {
      throw new VfsException(Errno.EINVAL, "symlink target holds a NUL byte");
    }
    if (utf8Length(target) >= Limits.PATH_MAX) {
      throw new VfsException(Errno.ENAMETOOLONG, "symlink target");
    }
  }

  /**
   * Returns the length of a string in UTF-8, which is what Linux's limits count.
   *
   * @param s the string
   * @return its length in bytes
   */
  public static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * Returns the names between the slashes, {@code .} and {@code ..} included.
   *
   * @return the components, in order; empty for the root
   */
  public List<String> components() {
    return components;
  }

  /**
   * Returns whether the path starts with {@code /}; for a symlink target that means the provider's
   * root, as under {@code RESOLVE_IN_ROOT}.
   *
   * @return true for an absolute path
   */
  public boolean absolute() {
    return absolute;
  }

  /**
   * Returns whether a name is followed by a slash, which makes Linux follow a final symlink and
   * require a directory.
   *
   * @return true if the path ends with {@code /} after at least one name
   */
  public boolean trailingSlash() {
    return trailingSlash;
  }
}
