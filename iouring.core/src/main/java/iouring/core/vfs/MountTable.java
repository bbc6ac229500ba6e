package iouring.core.vfs;

import iouring.api.abi.Errno;
import iouring.api.abi.Limits;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A process's file-system view: mount points (absolute, normalized paths) to providers. A path is
 * served by the mount with the longest matching prefix and handed to its provider relative to the
 * mount point.
 *
 * <p>Paths are normalized lexically ({@code .}, {@code ..}, repeated slashes) before the lookup,
 * which is what Linux does when no symlink is involved; a symlink inside a provider is resolved by
 * the provider, which never leaves its own root.
 */
public final class MountTable {
  private final CopyOnWriteArrayList<Mount> mounts = new CopyOnWriteArrayList<>();

  /** One mount point, with an id unique within the table ({@code stx_mnt_id}). */
  record Mount(String path, VfsProvider provider, int id) {}

  /**
   * A path resolved to its provider.
   *
   * @param provider the provider serving the path
   * @param relativePath the path below the mount point
   * @param mountId the mount's id, for {@code stx_mnt_id} and cross-mount checks
   */
  public record Resolved(VfsProvider provider, String relativePath, int mountId) {}

  private final java.util.concurrent.atomic.AtomicInteger nextId =
      new java.util.concurrent.atomic.AtomicInteger(1);

  /**
   * Mounts a provider, replacing any mount at the same path.
   *
   * @param path an absolute path
   * @param provider the provider
   */
  public void mount(String path, VfsProvider provider) {
    String at = normalize(path);
    mounts.removeIf(m -> m.path.equals(at));
    mounts.add(new Mount(at, provider, nextId.getAndIncrement()));
  }

  /**
   * Removes the mount at a path.
   *
   * @param path the mount point
   * @return true if there was one
   */
  public boolean unmount(String path) {
    String at = normalize(path);
    return mounts.removeIf(m -> m.path.equals(at));
  }

  /**
   * Finds the provider for an absolute path.
   *
   * @param absolutePath the path
   * @return the provider and the path below its mount point
   * @throws VfsException {@code ENOENT} when no mount covers it, {@code ENAMETOOLONG}, {@code
   *     EINVAL} for a NUL byte
   */
  public Resolved resolve(String absolutePath) throws VfsException {
    String path = normalize(absolutePath);
    Mount best = null;
    for (Mount m : mounts) {
      if (covers(m.path, path) && (best == null || m.path.length() > best.path.length())) {
        best = m;
      }
    }
    if (best == null) {
      throw new VfsException(Errno.ENOENT, "nothing is mounted at " + path);
    }
    String rest = best.path.equals("/") ? path.substring(1) : path.substring(best.path.length());
    if (rest.startsWith("/")) {
      rest = rest.substring(1);
    }
    return new Resolved(best.provider, rest, best.id);
  }

  private static boolean covers(String mountPoint, String path) {
    if (mountPoint.equals("/")) {
      return true;
    }
    return path.equals(mountPoint)
        || (path.startsWith(mountPoint) && path.charAt(mountPoint.length()) == '/');
  }

  /**
   * Normalizes an absolute path lexically: no {@code .} or {@code ..} components, no repeated or
   * trailing slashes; {@code ..} at the root stays at the root, as in Linux.
   *
   * @param path an absolute path
   * @return the normalized path, starting with {@code /}
   * @throws IllegalArgumentException if the path is not absolute
   */
  public static String normalize(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("not an absolute path: " + path);
    }
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(part);
      }
    }
    return "/" + String.join("/", parts);
  }

  /**
   * Checks a path the way {@code getname(2)} and path walking do.
   *
   * @param path the path from the caller
   * @throws VfsException {@code EFAULT} for null, {@code ENOENT} for empty, {@code EINVAL} for a
   *     NUL byte, {@code ENAMETOOLONG} for a path of {@code PATH_MAX} bytes or more or a component
   *     over {@code NAME_MAX} bytes
   */
  public static void check(String path) throws VfsException {
    if (path == null) {
      throw new VfsException(Errno.EFAULT, "null path");
    }
    if (path.isEmpty()) {
      throw new VfsException(Errno.ENOENT, "empty path");
    }
    if (path.indexOf('\0') >= 0) {
      throw new VfsException(Errno.EINVAL, "path holds a NUL byte");
    }
    byte[] bytes = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (bytes.length >= Limits.PATH_MAX) {
      throw new VfsException(Errno.ENAMETOOLONG, "path of " + bytes.length + " bytes");
    }
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '/') {
        if (i - start > Limits.NAME_MAX) {
          throw new VfsException(Errno.ENAMETOOLONG, "path component of " + (i - start) + " bytes");
        }
        start = i + 1;
      }
    }
  }
}
