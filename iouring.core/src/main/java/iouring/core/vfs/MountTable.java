package iouring.core.vfs;

import iouring.api.abi.Errno;
import iouring.api.abi.Limits;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

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
  /** Mount ids are unique across all tables, so that mounts of two tables never compare equal. */
  private static final AtomicInteger NEXT_ID = new AtomicInteger(1);

  private final CopyOnWriteArrayList<Mount> mounts = new CopyOnWriteArrayList<>();
  private final ProviderRegistry registry;
  private final MountTable defaults;

  /**
   * One mount point, with an id unique across tables ({@code stx_mnt_id}): a provider held
   * directly, or one looked up by name at each use, so that it can leave and come back.
   *
   * @param path the normalized mount point
   * @param provider the provider, or null for a mount by name
   * @param providerName the provider's name, or null for a direct mount
   * @param id the mount id
   */
  public record Mount(String path, VfsProvider provider, String providerName, int id) {}

  /**
   * A path resolved to its provider.
   *
   * @param provider the provider serving the path
   * @param relativePath the path below the mount point
   * @param mountId the mount's id, for {@code stx_mnt_id} and cross-mount checks
   * @param byName whether the mount names its provider, which may then leave
   */
  public record Resolved(VfsProvider provider, String relativePath, int mountId, boolean byName) {}

  /** Creates an empty table whose mounts can only be direct. */
  public MountTable() {
    this(new ProviderRegistry(), null);
  }

  /**
   * Creates an empty table.
   *
   * @param registry where mounts by name find their provider
   * @param defaults mounts every table of the kernel sees beneath its own, or null
   */
  public MountTable(ProviderRegistry registry, MountTable defaults) {
    this.registry = registry;
    this.defaults = defaults;
  }

  /**
   * Mounts a provider, replacing any mount at the same path.
   *
   * @param path an absolute path
   * @param provider the provider
   */
  public void mount(String path, VfsProvider provider) {
    add(new Mount(normalize(path), provider, null, NEXT_ID.getAndIncrement()));
  }

  /**
   * Mounts the provider of a name, replacing any mount at the same path. The name is looked up at
   * each use: while no provider has it, paths under the mount fail with {@code ENOTCONN}.
   *
   * @param path an absolute path
   * @param providerName the provider's name
   */
  public void mount(String path, String providerName) {
    add(new Mount(normalize(path), null, providerName, NEXT_ID.getAndIncrement()));
  }

  private void add(Mount mount) {
    mounts.removeIf(m -> m.path.equals(mount.path));
    mounts.add(mount);
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
   * Returns the mounts of this table, then those of its defaults it does not hide.
   *
   * @return a snapshot, in no particular order
   */
  public List<Mount> list() {
    List<Mount> all = new ArrayList<>(mounts);
    if (defaults != null) {
      for (Mount m : defaults.list()) {
        if (all.stream().noneMatch(own -> own.path.equals(m.path))) {
          all.add(m);
        }
      }
    }
    return all;
  }

  /**
   * Returns the registry where mounts by name find their provider.
   *
   * @return the registry
   */
  public ProviderRegistry registry() {
    return registry;
  }

  /**
   * Finds the provider for an absolute path.
   *
   * @param absolutePath the path
   * @return the provider and the path below its mount point
   * @throws VfsException {@code ENOENT} when no mount covers it, {@code ENOTCONN} when the provider
   *     of the covering mount is gone
   */
  public Resolved resolve(String absolutePath) throws VfsException {
    String path = normalize(absolutePath);
    Mount best = best(path, null);
    if (best == null) {
      throw new VfsException(Errno.ENOENT, "nothing is mounted at " + path);
    }
    VfsProvider provider = best.provider != null ? best.provider : registry.get(best.providerName);
    if (provider == null) {
      // As a file system whose server went away (FUSE, NFS): the mount stays, its paths fail.
      throw new VfsException(
          Errno.ENOTCONN, "provider " + best.providerName + " of " + best.path + " is gone");
    }
    String rest = best.path.equals("/") ? path.substring(1) : path.substring(best.path.length());
    if (rest.startsWith("/")) {
      rest = rest.substring(1);
    }
    return new Resolved(provider, rest, best.id, best.providerName != null);
  }

  private Mount best(String path, Mount found) {
    Mount best = found;
    for (Mount m : mounts) {
      if (covers(m.path, path) && (best == null || m.path.length() > best.path.length())) {
        best = m;
      }
    }
    // Own mounts win over defaults at the same path: defaults only fill in where this table has
    // nothing as deep.
    return defaults == null ? best : defaults.bestBelow(path, best);
  }

  private Mount bestBelow(String path, Mount own) {
    Mount best = own;
    for (Mount m : list()) {
      if (covers(m.path, path) && (best == null || m.path.length() > best.path.length())) {
        best = m;
      }
    }
    return best;
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
    if (isNormal(path)) {
      return path; // the common case: nothing to split and join again
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

  /** Whether an absolute path is its own normal form: no empty, {@code .} or {@code ..} part. */
  private static boolean isNormal(String path) {
    int n = path.length();
    if (n == 1) {
      return true; // "/"
    }
    int start = 1; // the first character of the current component
    for (int i = 1; i <= n; i++) {
      if (i < n && path.charAt(i) != '/') {
        continue;
      }
      int len = i - start;
      if (len == 0
          || (len == 1 && path.charAt(start) == '.')
          || (len == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.')) {
        return false;
      }
      start = i + 1;
    }
    return true;
  }

  /**
   * Checks a symlink's target as {@code symlinkat(2)} copies it ({@code getname}): it is stored,
   * never walked, so its names may be of any length.
   *
   * @param target the target from the caller
   * @throws VfsException {@code EFAULT} for null, {@code ENOENT} for empty, {@code EINVAL} for a
   *     NUL byte, {@code ENAMETOOLONG} for {@code PATH_MAX} bytes or more
   */
  public static void checkTarget(String target) throws VfsException {
    check(target, false);
  }

  /**
   * Returns where the first component over {@code NAME_MAX} bytes starts, or -1 if none is.
   *
   * @param path the path
   * @return the index of the component's first character, or -1
   */
  public static int longComponent(String path) {
    int start = 0;
    for (int i = 0; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == '/') {
        if (path.substring(start, i).getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            > Limits.NAME_MAX) {
          return start;
        }
        start = i + 1;
      }
    }
    return -1;
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
    check(path, true);
  }

  private static void check(String path, boolean names) throws VfsException {
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
    for (int i = 0; names && i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '/') {
        if (i - start > Limits.NAME_MAX) {
          throw new VfsException(Errno.ENAMETOOLONG, "path component of " + (i - start) + " bytes");
        }
        start = i + 1;
      }
    }
  }
}
