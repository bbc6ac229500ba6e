package iouring.vfs.host;

import static iouring.api.abi.FileFlags.O_ACCMODE;
import static iouring.api.abi.FileFlags.O_CREAT;
import static iouring.api.abi.FileFlags.O_DIRECTORY;
import static iouring.api.abi.FileFlags.O_EXCL;
import static iouring.api.abi.FileFlags.O_NOFOLLOW;
import static iouring.api.abi.FileFlags.O_RDONLY;
import static iouring.api.abi.FileFlags.O_RDWR;
import static iouring.api.abi.FileFlags.O_TRUNC;
import static iouring.api.abi.FileFlags.O_WRONLY;
import static iouring.api.abi.FileFlags.XATTR_CREATE;
import static iouring.api.abi.FileFlags.XATTR_REPLACE;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsCapability;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsProvider;
import iouring.api.spi.VfsSpace;
import iouring.api.spi.VfsStat;
import iouring.vfs.path.PathWalker;
import iouring.vfs.path.PathWalker.Last;
import iouring.vfs.path.PathWalker.Walk;
import iouring.vfs.path.ProviderPath;
import iouring.vfs.path.XattrRules;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Real files under a root directory of the host, resolved the way Linux's {@code
 * openat2(RESOLVE_IN_ROOT)} resolves them: name by name from the root, {@code ..} stopping at the
 * root, and every symlink followed by this provider, not the host, with an absolute target starting
 * again at the root. A path therefore never names anything outside the root, whatever symlinks lie
 * in it; the operation itself then runs on the resolved name without following it ({@code
 * NOFOLLOW_LINKS}), so a symlink that appears there meanwhile gives {@code ELOOP} instead of a way
 * out.
 *
 * <p>What remains: the JDK has no {@code openat(2)}, so another host process that replaces a
 * directory on an already resolved path with a symlink, between the walk and the operation, can
 * redirect that one operation. Linux's {@code RESOLVE_IN_ROOT} is atomic; this is as close as plain
 * Java gets, and closes every way out for processes that reach the host only through this provider.
 *
 * <p>Deviations from Linux, because the JDK cannot express them: {@code RENAME_EXCHANGE} and {@code
 * fallocate} modes other than 0 are missing (their capabilities are not offered); {@code
 * RENAME_NOREPLACE} checks and renames in two steps; plain {@code fallocate} extends the size
 * without reserving blocks; {@code stx_blocks} is estimated from the size; a symlink target is
 * stored as the JDK normalizes it (no repeated or trailing slashes); {@code fstat} of an open file
 * whose name was removed is {@code ENOENT}; only regular files, directories and symlinks can be
 * opened ({@code ENXIO} for devices, FIFOs and sockets, which could block or reach hardware);
 * {@code utimens} sets a time before the epoch that is not a whole second to the epoch; {@code
 * chown} of owner and group is two calls; on JDK 22 and later {@code chmod} of a resolved name may
 * follow a symlink another process put there meanwhile (see {@link #chmod}).
 *
 * <p>Not final only so that the OSGi component can be one; it overrides nothing.
 */
public class HostProvider implements VfsProvider {
  /** {@code __O_TMPFILE}, the bit that tells {@code O_TMPFILE} from {@code O_DIRECTORY}. */
  private static final int O_TMPFILE_BIT = 0x400000;

  private final Path root;

  /** The file store of the root, found at the first {@link #space()}; racy but idempotent. */
  private volatile FileStore rootStore;

  private final PathWalker<Path, HostTree.Node> walker;

  /**
   * Whether files' channels are made uninterruptible when the JVM allows ({@link Uninterruptible}).
   */
  private final boolean uninterruptible;

  /** Whether the root's file system keeps {@code user.} attributes: then {@code XATTRS}. */
  private final boolean xattrs;

  /**
   * Creates a provider over a directory.
   *
   * @param root the directory that is {@code /} for this provider
   * @throws IOException if the directory does not exist
   */
  public HostProvider(Path root) throws IOException {
    this(root, true);
  }

  /**
   * Creates a provider over a directory, for tests that exercise the interrupt shield of {@link
   * HostFile} in a JVM that would let its channels be uninterruptible.
   *
   * @param root the directory that is {@code /} for this provider
   * @param uninterruptible false to leave every channel interruptible
   * @throws IOException if the directory does not exist
   */
  HostProvider(Path root, boolean uninterruptible) throws IOException {
    this.uninterruptible = uninterruptible;
    this.root = root.toRealPath();
    if (!Files.isDirectory(this.root)) {
      throw new NotDirectoryException(root.toString());
    }
    this.walker = new PathWalker<>(new HostTree(this.root));
    this.xattrs = keepsUserXattrs(this.root);
  }

  /**
   * Returns the root directory.
   *
   * @return the real path of the root
   */
  public Path root() {
    return root;
  }

  @Override
  public Set<VfsCapability> capabilities() {
    Set<VfsCapability> all =
        EnumSet.of(VfsCapability.SYMLINKS, VfsCapability.HARD_LINKS, VfsCapability.ATTRIBUTES);
    if (xattrs) {
      all.add(VfsCapability.XATTRS);
    }
    return all;
  }

  /** Whether the root's file system keeps {@code user.} attributes for the JDK (ext4, tmpfs). */
  private static boolean keepsUserXattrs(Path root) {
    try {
      return Files.getFileStore(root).supportsFileAttributeView(UserDefinedFileAttributeView.class);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The {@code user} view of a file for an xattr call, after Linux's checks in its order: the
   * call's own ({@link XattrRules#checkCall}), the file ({@code ENOENT}...), a file that keeps no
   * {@code user.} attributes ({@code xattr_permission}: {@code ENODATA} to read, {@code EPERM} to
   * write), the namespace. The JDK reaches only the {@code user.} namespace, which is also all that
   * Linux lets an unprivileged process use.
   */
  private UserDefinedFileAttributeView userView(
      String path, String name, byte[] value, int flags, boolean followLinks, boolean set)
      throws VfsException {
    if (!xattrs) {
      throw new VfsException(Errno.EOPNOTSUPP, "extended attributes");
    }
    if (name != null) {
      XattrRules.checkCall(name, value, flags);
    }
    HostTree.Node node = existing(walker.walk(path, followLinks), path);
    BasicFileAttributes a = node.attributes();
    if (name != null && !a.isRegularFile() && !a.isDirectory()) {
      throw new VfsException(set ? Errno.EPERM : Errno.ENODATA, name + " on " + path);
    }
    if (name != null) {
      XattrRules.checkNamespace(name);
    }
    UserDefinedFileAttributeView view =
        Files.getFileAttributeView(
            node.path(), UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      throw new VfsException(Errno.EOPNOTSUPP, "extended attributes");
    }
    return view;
  }

  @Override
  public byte[] getxattr(String path, String name, boolean followLinks) throws VfsException {
    UserDefinedFileAttributeView view = userView(path, name, null, 0, followLinks, false);
    String user = name.substring(XattrRules.USER.length());
    try {
      ByteBuffer value = ByteBuffer.allocate(view.size(user));
      view.read(user, value);
      return Arrays.copyOf(value.array(), value.position());
    } catch (IOException e) {
      throw HostErrors.errno(e, path);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code XATTR_CREATE} and {@code XATTR_REPLACE} are checked, then the value written: the JDK
   * has no flags, so a value set by someone else between the two is replaced (Linux checks and sets
   * under the inode's lock).
   */
  @Override
  public void setxattr(String path, String name, byte[] value, int flags, boolean followLinks)
      throws VfsException {
    UserDefinedFileAttributeView view = userView(path, name, value, flags, followLinks, true);
    String user = name.substring(XattrRules.USER.length());
    try {
      boolean create = (flags & XATTR_CREATE) != 0;
      boolean replace = (flags & XATTR_REPLACE) != 0;
      if (create || replace) {
        boolean present = view.list().contains(user);
        if (create && present) {
          throw new VfsException(Errno.EEXIST, name);
        }
        if (replace && !present || create && replace) {
          throw new VfsException(present ? Errno.EEXIST : Errno.ENODATA, name);
        }
      }
      view.write(user, ByteBuffer.wrap(value));
    } catch (IOException e) {
      throw HostErrors.errno(e, path);
    }
  }

  @Override
  public List<String> listxattr(String path, boolean followLinks) throws VfsException {
    UserDefinedFileAttributeView view = userView(path, null, null, 0, followLinks, false);
    try {
      List<String> names = new ArrayList<>();
      for (String user : view.list()) {
        names.add(XattrRules.USER + user);
      }
      return names;
    } catch (IOException e) {
      throw HostErrors.errno(e, path);
    }
  }

  @Override
  public void removexattr(String path, String name, boolean followLinks) throws VfsException {
    UserDefinedFileAttributeView view = userView(path, name, null, 0, followLinks, true);
    try {
      view.delete(name.substring(XattrRules.USER.length()));
    } catch (IOException e) {
      throw HostErrors.errno(e, path);
    }
  }

  @Override
  public VfsFile open(String path, int flags, int mode) throws VfsException {
    boolean create = (flags & O_CREAT) != 0;
    boolean exclusive = create && (flags & O_EXCL) != 0;
    if ((flags & O_TMPFILE_BIT) != 0) {
      throw new VfsException(Errno.EOPNOTSUPP, "O_TMPFILE");
    }
    if (create && (flags & O_DIRECTORY) != 0) {
      throw new VfsException(Errno.EINVAL, "O_CREAT with O_DIRECTORY"); // as Linux 6.4 and later
    }
    Walk<Path, HostTree.Node> w = walker.walk(path, !exclusive && (flags & O_NOFOLLOW) == 0);
    HostTree.Node node = w.node();
    if (create) {
      if (w.last() != Last.NAME || w.mustBeDirectory()) {
        throw new VfsException(Errno.EISDIR, path);
      }
      if (node != null && exclusive) {
        throw new VfsException(Errno.EEXIST, path);
      }
    } else if (node == null) {
      throw new VfsException(Errno.ENOENT, path);
    }
    if (node != null) {
      if (node.attributes().isSymbolicLink()) {
        throw new VfsException(Errno.ELOOP, path + " is a symlink and O_NOFOLLOW is set");
      }
      if (node.attributes().isDirectory()) {
        if (create || (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC) != 0) {
          throw new VfsException(Errno.EISDIR, path);
        }
        return new HostDirectory(node.path());
      }
      if (w.mustBeDirectory() || (flags & O_DIRECTORY) != 0) {
        throw new VfsException(Errno.ENOTDIR, path);
      }
      if (!node.attributes().isRegularFile()) {
        throw new VfsException(Errno.ENXIO, path + " is not a regular file");
      }
    }
    Path target = node != null ? node.path() : w.dir().resolve(w.name());
    try {
      if ((flags & O_TRUNC) != 0 && (flags & O_ACCMODE) == O_RDONLY && node != null) {
        // Linux truncates even for O_RDONLY; the JDK ignores TRUNCATE_EXISTING without WRITE.
        FileChannel.open(
                target,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING,
                LinkOption.NOFOLLOW_LINKS)
            .close();
      }
      FileChannel channel =
          FileChannel.open(target, options(flags, node == null), permissions(mode));
      return new HostFile(
          channel,
          target,
          flags,
          node != null ? node.attributes().fileKey() : null,
          uninterruptible);
    } catch (IOException e) {
      throw HostErrors.errno(e, path);
    }
  }

  private static Set<OpenOption> options(int flags, boolean creating) {
    Set<OpenOption> options = new HashSet<>();
    int access = flags & O_ACCMODE;
    if (access == O_RDONLY || access == O_RDWR) {
      options.add(StandardOpenOption.READ);
    }
    if (access == O_WRONLY || access == O_RDWR) {
      options.add(StandardOpenOption.WRITE);
    }
    if (creating) {
      options.add(StandardOpenOption.CREATE);
      // The JDK creates only when writing; HostFile still refuses writes O_RDONLY forbids.
      options.add(StandardOpenOption.WRITE);
    }
    if ((flags & O_TRUNC) != 0 && access != O_RDONLY) {
      options.add(StandardOpenOption.TRUNCATE_EXISTING);
    }
    // The walk resolved every symlink already: one here now is a race, never to be followed.
    options.add(LinkOption.NOFOLLOW_LINKS);
    return options;
  }

  /** Returns the permission bits for a new file, where the host has POSIX permissions. */
  private FileAttribute<?>[] permissions(int mode) {
    if (!root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((mode & (0400 >> i)) != 0) {
        perms.add(order[i]);
      }
    }
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)};
  }

  @Override
  public VfsStat stat(String path, boolean followLinks) throws VfsException {
    return stat(existing(walker.walk(path, followLinks), path).path());
  }

  /** Reads a host file's status without following a symlink; the walk has followed them. */
  static VfsStat stat(Path target) throws VfsException {
    try {
      return HostStat.of(target);
    } catch (IOException e) {
      throw HostErrors.errno(e, String.valueOf(target.getFileName()));
    }
  }

  @Override
  public void mkdir(String path, int mode) throws VfsException {
    Walk<Path, HostTree.Node> w = walker.walkParent(path);
    if (w.last() != Last.NAME || w.node() != null) {
      throw new VfsException(Errno.EEXIST, path);
    }
    try {
      Files.createDirectory(w.dir().resolve(w.name()), permissions(mode));
    } catch (IOException e) {
      throw HostErrors.errno(e, path);
    }
  }

  @Override
  public void unlink(String path) throws VfsException {
    Walk<Path, HostTree.Node> w = walker.walkParent(path);
    if (w.last() != Last.NAME) {
      throw new VfsException(Errno.EISDIR, path);
    }
    HostTree.Node node = existing(w, path);
    if (node.attributes().isDirectory()) {
      throw new VfsException(Errno.EISDIR, path);
    }
    delete(node.path(), path);
  }

  @Override
  public void rmdir(String path) throws VfsException {
    Walk<Path, HostTree.Node> w = walker.walkParent(path);
    switch (w.last()) {
      case ROOT:
        throw new VfsException(Errno.EBUSY, "the root");
      case DOT:
        throw new VfsException(Errno.EINVAL, path + " ends in .");
      case DOTDOT:
        throw new VfsException(Errno.ENOTEMPTY, path + " ends in ..");
      default:
        break;
    }
    HostTree.Node node = existing(w, path);
    if (!node.attributes().isDirectory()) {
      throw new VfsException(Errno.ENOTDIR, path);
    }
    delete(node.path(), path);
  }

  private static void delete(Path target, String path) throws VfsException {
    try {
      Files.delete(target); // unlink(2) or rmdir(2) of the name itself, never what it points to
    } catch (IOException e) {
      throw HostErrors.errno(e, path);
    }
  }

  @Override
  public void rename(String from, String to, int flags) throws VfsException {
    if ((flags & ~FileFlags.RENAME_NOREPLACE) != 0) {
      // RENAME_EXCHANGE needs renameat2(2), which the JDK does not reach.
      throw new VfsException(Errno.EINVAL, "rename flags " + flags + " on host files");
    }
    boolean noReplace = flags != 0;
    Walk<Path, HostTree.Node> source = walker.walkParent(from);
    Walk<Path, HostTree.Node> target = walker.walkParent(to);
    if (source.last() != Last.NAME) {
      throw new VfsException(Errno.EBUSY, from);
    }
    if (target.last() != Last.NAME) {
      throw new VfsException(noReplace ? Errno.EEXIST : Errno.EBUSY, to);
    }
    if (source.node() == null) {
      throw new VfsException(Errno.ENOENT, from);
    }
    if (noReplace && target.node() != null) {
      throw new VfsException(Errno.EEXIST, to);
    }
    if ((source.mustBeDirectory() || target.mustBeDirectory())
        && !source.node().attributes().isDirectory()) {
      throw new VfsException(Errno.ENOTDIR, from);
    }
    try {
      // ATOMIC_MOVE is rename(2) itself, with its checks (EINVAL into itself, ENOTEMPTY, ...).
      Files.move(
          source.node().path(),
          target.dir().resolve(target.name()),
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw HostErrors.errno(e, from + " -> " + to);
    }
  }

  @Override
  public List<String> list(String path) throws VfsException {
    HostTree.Node node = existing(walker.walk(path, true), path);
    if (!node.attributes().isDirectory()) {
      throw new VfsException(Errno.ENOTDIR, path);
    }
    try (Stream<Path> entries = Files.list(node.path())) {
      return entries.map(p -> p.getFileName().toString()).collect(Collectors.toList());
    } catch (IOException e) {
      throw HostErrors.errno(e, path);
    }
  }

  @Override
  public void symlink(String target, String linkPath) throws VfsException {
    ProviderPath.checkSymlinkTarget(target);
    Path link = newName(walker.walkParent(linkPath), linkPath);
    try {
      // The JDK drops repeated and trailing slashes from the target; the walker reads it alike.
      Files.createSymbolicLink(link, link.getFileSystem().getPath(target));
    } catch (IOException e) {
      throw HostErrors.errno(e, linkPath);
    }
  }

  @Override
  public String readlink(String path) throws VfsException {
    HostTree.Node node = existing(walker.walk(path, false), path);
    if (!node.attributes().isSymbolicLink()) {
      throw new VfsException(Errno.EINVAL, path + " is not a symlink");
    }
    try {
      return Files.readSymbolicLink(node.path()).toString();
    } catch (IOException e) {
      throw HostErrors.errno(e, path);
    }
  }

  @Override
  public void link(String existing, String newPath) throws VfsException {
    HostTree.Node node = existing(walker.walk(existing, false), existing);
    if (node.attributes().isDirectory()) {
      throw new VfsException(Errno.EPERM, existing + " is a directory");
    }
    Path link = newName(walker.walkParent(newPath), newPath);
    try {
      Files.createLink(link, node.path()); // link(2), which does not follow a symlink on Linux
    } catch (IOException e) {
      throw HostErrors.errno(e, newPath);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The host file system that holds the root directory, as its {@link FileStore} reports it.
   */
  @Override
  public VfsSpace space() throws VfsException {
    try {
      FileStore store = rootStore;
      if (store == null) {
        store = Files.getFileStore(root);
        rootStore = store;
      }
      long total = store.getTotalSpace();
      long free = Math.min(total, store.getUnallocatedSpace());
      long available = Math.min(free, store.getUsableSpace());
      int blockSize;
      try {
        blockSize = (int) Math.min(Integer.MAX_VALUE, store.getBlockSize());
      } catch (UnsupportedOperationException e) {
        blockSize = 4096;
      }
      return new VfsSpace(total, free, available, blockSize);
    } catch (IOException e) {
      throw HostErrors.errno(e, "");
    }
  }

  /**
   * As {@code fchmodat(2)}, through the JDK's {@code unix:mode} on the resolved name with {@code
   * NOFOLLOW_LINKS}. Up to JDK 21 that is {@code open(O_NOFOLLOW)} and {@code fchmod}, which never
   * follows a symlink; later JDKs open without {@code O_NOFOLLOW}, so a symlink that another host
   * process puts on the resolved name between the walk and the change is followed: the race this
   * class's description names.
   */
  @Override
  public void chmod(String path, int mode, boolean followLinks) throws VfsException {
    HostTree.Node node = existing(walker.walk(path, followLinks), path);
    if (node.attributes().isSymbolicLink()) {
      throw new VfsException(Errno.EOPNOTSUPP, path + " is a symlink"); // as fchmodat2(2)
    }
    try {
      Files.setAttribute(node.path(), "unix:mode", mode & 07777, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException e) {
      throw attributeErrno(e, path);
    }
  }

  /** As {@code fchownat(2)}: {@code lchown} of the resolved name, which never follows it. */
  @Override
  public void chown(String path, int uid, int gid, boolean followLinks) throws VfsException {
    HostTree.Node node = existing(walker.walk(path, followLinks), path);
    try {
      if (uid != -1 || gid == -1) {
        Files.setAttribute(node.path(), "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
      }
      if (gid != -1) {
        Files.setAttribute(node.path(), "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
      }
    } catch (IOException | UnsupportedOperationException e) {
      throw attributeErrno(e, path);
    }
  }

  /**
   * As {@code utimensat(2)}: the JDK sets the resolved name's times without following it ({@code
   * open(O_NOFOLLOW)} and {@code futimens}, or for a symlink {@code utimensat} with {@code
   * AT_SYMLINK_NOFOLLOW}, or {@code lutimes} with microseconds before JDK 24). Deviation: the JDK
   * splits a time before the epoch into a negative second and a negative nanosecond count, which
   * Linux refuses; the JDK then sets every time before the epoch to the epoch itself. Whole seconds
   * before the epoch are kept.
   */
  @Override
  public void utimens(String path, long atimeNanos, long mtimeNanos, boolean followLinks)
      throws VfsException {
    HostTree.Node node = existing(walker.walk(path, followLinks), path);
    try {
      Files.getFileAttributeView(
              node.path(), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(time(mtimeNanos), time(atimeNanos), null);
    } catch (IOException e) {
      throw HostErrors.errno(e, path);
    }
  }

  private static FileTime time(long nanos) {
    return nanos == VfsStat.NO_TIME ? null : FileTime.from(nanos, TimeUnit.NANOSECONDS);
  }

  /** The errno of a failed attribute change; a host without {@code unix:} views has no modes. */
  private static VfsException attributeErrno(Exception e, String path) {
    if (e instanceof IOException io) {
      return HostErrors.errno(io, path);
    }
    return new VfsException(Errno.EPERM, path + ": the host file system has no unix attributes");
  }

  /** Returns the node a walk found, or fails as Linux does for a missing or slashed file. */
  private static HostTree.Node existing(Walk<Path, HostTree.Node> w, String path)
      throws VfsException {
    HostTree.Node node = w.node();
    if (node == null) {
      throw new VfsException(Errno.ENOENT, path);
    }
    if (w.mustBeDirectory() && !node.attributes().isDirectory()) {
      throw new VfsException(Errno.ENOTDIR, path);
    }
    return node;
  }

  /** Returns where a new name goes, after the checks of Linux's {@code filename_create}. */
  private static Path newName(Walk<Path, HostTree.Node> w, String path) throws VfsException {
    if (w.last() != Last.NAME || w.node() != null) {
      throw new VfsException(Errno.EEXIST, path);
    }
    if (w.mustBeDirectory()) {
      throw new VfsException(Errno.ENOENT, path);
    }
    return w.dir().resolve(w.name());
  }
}
