package iouring.vfs.host;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsProvider;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Real files under a root directory of the host. A path never resolves outside the root: {@code ..}
 * stops at the root, and a file whose real path (after symlinks) lies outside it is refused with
 * {@code EXDEV}, as {@code openat2(RESOLVE_BENEATH)} refuses it.
 *
 * <p>Not yet: resolution component by component (so that a symlink swapped between the check and
 * the open cannot escape either), directory operations, stat.
 */
public final class HostProvider implements VfsProvider {
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
      FileChannel channel = FileChannel.open(target, options(flags, noFollow));
      try {
        checkBeneath(target, path);
      } catch (VfsException e) {
        channel.close();
        throw e;
      }
      return new HostFile(channel);
    } catch (IOException e) {
      throw errno(e, path);
    }
  }

  private VfsFile openDirectory(Path dir, int flags, String path) throws VfsException {
    int access = flags & FileFlags.O_ACCMODE;
    if (access != FileFlags.O_RDONLY
        || (flags & FileFlags.O_CREAT) != 0 && (flags & FileFlags.O_EXCL) != 0) {
      throw new VfsException(
          (flags & FileFlags.O_CREAT) != 0 && (flags & FileFlags.O_EXCL) != 0
              ? Errno.EEXIST
              : Errno.EISDIR,
          path);
    }
    checkBeneath(dir, path);
    return new HostDirectory();
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
    } else if (e instanceof FileSystemLoopException) {
      errno = Errno.ELOOP;
    } else if (String.valueOf(e.getMessage()).contains("Is a directory")) {
      errno = Errno.EISDIR;
    } else if (String.valueOf(e.getMessage()).contains("Too many levels of symbolic links")) {
      errno = Errno.ELOOP;
    } else if (String.valueOf(e.getMessage()).contains("No space left")) {
      errno = Errno.ENOSPC;
    } else if (String.valueOf(e.getMessage()).contains("File too large")) {
      errno = Errno.EFBIG;
    } else {
      errno = Errno.EIO;
    }
    return new VfsException(errno, path);
  }
}
