package iouring.vfs.host;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsCapability;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsProvider;
import iouring.api.spi.VfsStat;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Real files under a root directory of the host. A path never resolves outside the root: {@code ..}
 * stops at the root, and a file whose real path (after symlinks) lies outside it is refused with
 * {@code EXDEV}, as {@code openat2(RESOLVE_BENEATH)} refuses it.
 *
 * <p>Not final only so that the OSGi component can be one; it overrides nothing.
 *
 * <p>Not yet: resolution component by component (so that a symlink swapped between the check and
 * the open cannot escape either); until then the check after the open closes what escaped.
 */
public class HostProvider implements VfsProvider {
  private final Path root;

  /**
   * Creates a provider over a directory.
   *
   * @param root the directory that is {@code /} for this provider
   * @throws IOException if the directory does not exist
   */
  public HostProvider(Path root) throws IOException {
    this.root = root.toRealPath();
    if (!Files.isDirectory(this.root)) {
      throw new NotDirectoryException(root.toString());
    }
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
  public VfsFile open(String path, int flags, int mode) throws VfsException {
    Path target = beneath(path);
    boolean noFollow = (flags & FileFlags.O_NOFOLLOW) != 0;
    LinkOption[] links =
        noFollow ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
    try {
      if (noFollow && Files.isSymbolicLink(target)) {
        throw new VfsException(Errno.ELOOP, path);
      }
      if (Files.isDirectory(target, links)) {
        return openDirectory(target, flags, path);
      }
      if ((flags & FileFlags.O_DIRECTORY) != 0) {
        throw new VfsException(Files.exists(target, links) ? Errno.ENOTDIR : Errno.ENOENT, path);
      }
      if (!noFollow) {
        checkLinkBeneath(target, path, flags);
      }
      FileChannel channel = FileChannel.open(target, options(flags, noFollow));
      try {
        checkBeneath(target, path);
      } catch (VfsException e) {
        channel.close();
        throw e;
      }
      return new HostFile(channel, target);
    } catch (IOException e) {
      throw errno(e, path);
    }
  }

  private VfsFile openDirectory(Path dir, int flags, String path) throws VfsException {
    // Linux's do_open: O_CREAT|O_EXCL finds the name taken, O_CREAT alone refuses a directory,
    // then may_open refuses to write one.
    if ((flags & FileFlags.O_CREAT) != 0) {
      throw new VfsException((flags & FileFlags.O_EXCL) != 0 ? Errno.EEXIST : Errno.EISDIR, path);
    }
    if ((flags & FileFlags.O_ACCMODE) != FileFlags.O_RDONLY) {
      throw new VfsException(Errno.EISDIR, path);
    }
    checkBeneath(dir, path);
    return new HostDirectory(dir);
  }

  private static Set<OpenOption> options(int flags, boolean noFollow) {
    Set<OpenOption> options = new HashSet<>();
    int access = flags & FileFlags.O_ACCMODE;
    if (access == FileFlags.O_RDONLY || access == FileFlags.O_RDWR) {
      options.add(StandardOpenOption.READ);
    }
    if (access == FileFlags.O_WRONLY || access == FileFlags.O_RDWR) {
      options.add(StandardOpenOption.WRITE);
    }
    if ((flags & FileFlags.O_CREAT) != 0) {
      options.add(
          (flags & FileFlags.O_EXCL) != 0
              ? StandardOpenOption.CREATE_NEW
              : StandardOpenOption.CREATE);
      options.add(
          StandardOpenOption.WRITE); // the JDK creates only for writing; mode stays as asked
    }
    if ((flags & FileFlags.O_TRUNC) != 0 && access != FileFlags.O_RDONLY) {
      options.add(StandardOpenOption.TRUNCATE_EXISTING);
    }
    if (noFollow) {
      options.add(LinkOption.NOFOLLOW_LINKS);
    }
    return options;
  }

  /** Joins a provider path to the root lexically; {@code ..} never climbs above the root. */
  private Path beneath(String path) {
    Path p = root;
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!p.equals(root)) {
          p = p.getParent();
        }
      } else {
        p = p.resolve(part);
      }
    }
    return p;
  }

  private void checkBeneath(Path target, String path) throws VfsException {
    try {
      if (!target.toRealPath().startsWith(root)) {
        throw new VfsException(Errno.EXDEV, path + " resolves outside the provider's root");
      }
    } catch (IOException e) {
      throw errno(e, path);
    }
  }

  /**
   * Checks, before the host opens a path and follows its symlinks, that they stay beneath the root:
   * O_TRUNC and O_CREAT act during the open, before {@link #checkBeneath} could refuse the result.
   * An existing target is checked by its real path; a dangling symlink that O_CREAT would follow,
   * by the real path of the directory it would create in.
   */
  private void checkLinkBeneath(Path target, String path, int flags) throws VfsException {
    if (Files.exists(target)) {
      checkBeneath(target, path);
      return;
    }
    if ((flags & FileFlags.O_CREAT) == 0 || !Files.isSymbolicLink(target)) {
      return; // nothing to follow, or nothing the open could create: it fails on its own
    }
    Path end = target;
    try {
      for (int hops = 0; Files.isSymbolicLink(end); hops++) {
        if (hops == 40) {
          throw new VfsException(Errno.ELOOP, path); // Linux's MAXSYMLINKS
        }
        end = end.resolveSibling(Files.readSymbolicLink(end)).normalize();
      }
    } catch (IOException e) {
      throw errno(e, path);
    }
    Path parent = end.getParent();
    if (parent != null && Files.exists(parent)) {
      checkBeneath(parent, path); // a missing parent fails the open without creating anything
    }
  }

  @Override
  public Set<VfsCapability> capabilities() {
    return EnumSet.of(VfsCapability.SYMLINKS, VfsCapability.HARD_LINKS);
  }

  @Override
  public VfsStat stat(String path, boolean followLinks) throws VfsException {
    Path target = beneath(path);
    if (followLinks) {
      checkBeneath(target, path);
    }
    return stat(target, followLinks);
  }

  /** Reads a host file's status, from its {@code unix:} attributes where the host has them. */
  static VfsStat stat(Path target, boolean followLinks) throws VfsException {
    LinkOption[] links =
        followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    try {
      Map<String, Object> a = Files.readAttributes(target, "unix:*", links);
      long size = (Long) a.get("size");
      return VfsStat.builder()
          .mode((Integer) a.get("mode"))
          .nlink((Integer) a.get("nlink"))
          .uid((Integer) a.get("uid"))
          .gid((Integer) a.get("gid"))
          .size(size)
          .blocks((size + 511) / 512)
          .blksize(4096)
          .ino((Long) a.get("ino"))
          .dev((int) ((Long) a.get("dev") >>> 8), (int) ((Long) a.get("dev") & 0xff))
          .times(
              nanos((FileTime) a.get("lastAccessTime")),
              nanos((FileTime) a.get("lastModifiedTime")),
              nanos((FileTime) a.get("ctime")))
          .build();
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      try {
        BasicFileAttributes b = Files.readAttributes(target, BasicFileAttributes.class, links);
        int type =
            b.isDirectory()
                ? FileFlags.S_IFDIR
                : b.isSymbolicLink() ? FileFlags.S_IFLNK : FileFlags.S_IFREG;
        return VfsStat.builder()
            .mode(type | 0644)
            .nlink(1)
            .size(b.size())
            .blocks((b.size() + 511) / 512)
            .blksize(4096)
            .times(
                nanos(b.lastAccessTime()), nanos(b.lastModifiedTime()), nanos(b.lastModifiedTime()))
            .btime(nanos(b.creationTime()))
            .build();
      } catch (IOException io) {
        throw errno(io, target.toString());
      }
    } catch (IOException e) {
      throw errno(e, target.toString());
    }
  }

  private static long nanos(FileTime time) {
    return time.to(TimeUnit.NANOSECONDS);
  }

  @Override
  public void mkdir(String path, int mode) throws VfsException {
    Path target = beneath(path);
    checkParentBeneath(target, path);
    try {
      Files.createDirectory(target);
    } catch (IOException e) {
      throw errno(e, path);
    }
  }

  @Override
  public void unlink(String path) throws VfsException {
    Path target = beneath(path);
    checkParentBeneath(target, path);
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new VfsException(Errno.EISDIR, path);
    }
    try {
      Files.delete(target);
    } catch (IOException e) {
      throw errno(e, path);
    }
  }

  @Override
  public void rmdir(String path) throws VfsException {
    Path target = beneath(path);
    if (target.equals(root)) {
      throw new VfsException(Errno.EBUSY, "the root");
    }
    checkParentBeneath(target, path);
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new VfsException(
          Files.exists(target, LinkOption.NOFOLLOW_LINKS) ? Errno.ENOTDIR : Errno.ENOENT, path);
    }
    try {
      Files.delete(target);
    } catch (DirectoryNotEmptyException e) {
      throw new VfsException(Errno.ENOTEMPTY, path);
    } catch (IOException e) {
      throw errno(e, path);
    }
  }

  @Override
  public void rename(String from, String to, int flags) throws VfsException {
    if ((flags & ~FileFlags.RENAME_NOREPLACE) != 0) {
      throw new VfsException(Errno.EINVAL, "rename flags " + flags + " on host files");
    }
    Path source = beneath(from);
    Path target = beneath(to);
    checkParentBeneath(source, from);
    checkParentBeneath(target, to);
    try {
      if ((flags & FileFlags.RENAME_NOREPLACE) != 0) {
        // ATOMIC_MOVE is rename(2), which replaces the target; without it the JDK refuses an
        // existing target (EEXIST) and then renames. A target created between the two steps is
        // replaced: renameat2's atomic RENAME_NOREPLACE has no JDK counterpart.
        Files.move(source, target);
        return;
      }
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (DirectoryNotEmptyException e) {
      throw new VfsException(Errno.ENOTEMPTY, to);
    } catch (IOException e) {
      throw errno(e, from);
    }
  }

  @Override
  public List<String> list(String path) throws VfsException {
    Path dir = beneath(path);
    checkBeneath(dir, path);
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).collect(Collectors.toList());
    } catch (IOException e) {
      throw errno(e, path);
    }
  }

  @Override
  public void symlink(String target, String linkPath) throws VfsException {
    Path link = beneath(linkPath);
    checkParentBeneath(link, linkPath);
    try {
      Files.createSymbolicLink(link, Path.of(target));
    } catch (IOException e) {
      throw errno(e, linkPath);
    }
  }

  @Override
  public String readlink(String path) throws VfsException {
    Path link = beneath(path);
    checkParentBeneath(link, path);
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (NotLinkException e) {
      throw new VfsException(Errno.EINVAL, path);
    } catch (IOException e) {
      throw errno(e, path);
    }
  }

  @Override
  public void link(String existing, String newPath) throws VfsException {
    Path source = beneath(existing);
    Path link = beneath(newPath);
    checkParentBeneath(source, existing);
    checkParentBeneath(link, newPath);
    if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new VfsException(Errno.EPERM, existing + " is a directory");
    }
    try {
      Files.createLink(link, source);
    } catch (IOException e) {
      throw errno(e, newPath);
    }
  }

  /** Checks that the directory a name lives in resolves beneath the root. */
  private void checkParentBeneath(Path target, String path) throws VfsException {
    Path parent = target.getParent();
    if (parent == null || !target.startsWith(root) || target.equals(root)) {
      if (!target.equals(root)) {
        throw new VfsException(Errno.EXDEV, path);
      }
      return;
    }
    checkBeneath(parent, path);
  }

  /**
   * The strerror texts the JDK leaves in a plain {@link FileSystemException} or {@link IOException}
   * for the errnos it has no subclass for, with those errnos.
   */
  private static final List<Map.Entry<String, Integer>> REASONS =
      List.of(
          Map.entry("Not a directory", Errno.ENOTDIR),
          Map.entry("Is a directory", Errno.EISDIR),
          Map.entry("Directory not empty", Errno.ENOTEMPTY),
          Map.entry("Too many levels of symbolic links", Errno.ELOOP),
          Map.entry("File name too long", Errno.ENAMETOOLONG),
          Map.entry("Invalid argument", Errno.EINVAL),
          Map.entry("Operation not permitted", Errno.EPERM),
          Map.entry("Read-only file system", Errno.EROFS),
          Map.entry("Invalid cross-device link", Errno.EXDEV),
          Map.entry("Too many links", Errno.EMLINK),
          Map.entry("Device or resource busy", Errno.EBUSY),
          Map.entry("No space left", Errno.ENOSPC),
          Map.entry("File too large", Errno.EFBIG));

  static VfsException errno(IOException e, String path) {
    int errno;
    if (e instanceof NoSuchFileException) {
      errno = Errno.ENOENT;
    } else if (e instanceof FileAlreadyExistsException) {
      errno = Errno.EEXIST;
    } else if (e instanceof AccessDeniedException) {
      errno = Errno.EACCES;
    } else if (e instanceof NotDirectoryException) {
      errno = Errno.ENOTDIR;
    } else if (e instanceof DirectoryNotEmptyException) {
      errno = Errno.ENOTEMPTY;
    } else if (e instanceof FileSystemLoopException) {
      errno = Errno.ELOOP;
    } else {
      String reason =
          e instanceof FileSystemException ? ((FileSystemException) e).getReason() : e.getMessage();
      errno = Errno.EIO;
      for (Map.Entry<String, Integer> r : REASONS) {
        if (reason != null && reason.contains(r.getKey())) {
          errno = r.getValue();
          break;
        }
      }
    }
    return new VfsException(errno, path);
  }
}
