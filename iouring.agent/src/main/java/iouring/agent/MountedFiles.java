package iouring.agent;

import static iouring.api.abi.FileFlags.AT_FDCWD;
import static iouring.api.abi.FileFlags.O_APPEND;
import static iouring.api.abi.FileFlags.O_CREAT;
import static iouring.api.abi.FileFlags.O_DSYNC;
import static iouring.api.abi.FileFlags.O_EXCL;
import static iouring.api.abi.FileFlags.O_NOFOLLOW;
import static iouring.api.abi.FileFlags.O_RDONLY;
import static iouring.api.abi.FileFlags.O_RDWR;
import static iouring.api.abi.FileFlags.O_SYNC;
import static iouring.api.abi.FileFlags.O_TRUNC;
import static iouring.api.abi.FileFlags.O_WRONLY;
import static iouring.api.abi.Opcodes.IORING_OP_OPENAT;
import static iouring.api.abi.Opcodes.IORING_OP_UNLINKAT;

import iouring.agent.bootstrap.RingBridge;
import iouring.api.abi.Errno;
import iouring.api.spi.VfsProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Serves the paths under the mounts: a path there opens a {@link RingFileChannel} through an OPENAT
 * SQE; any other path is declined, and the JDK opens it as usual. The emulated process mounts each
 * provider at the same path as on the host, so a path needs no translation.
 */
final class MountedFiles implements RingBridge.Opener {
  private static final FileSystem DEFAULT = FileSystems.getDefault();

  private final RingIo io;
  private final Map<String, VfsProvider> mounts;
  private final Map<String, String> names;
  private final Map<String, String> types;
  private final FileLocks locks = new FileLocks();

  /** A path under a mount: the mount point, its provider, and the path absolute and inside it. */
  record Mounted(String mount, VfsProvider provider, String absolute) {
    /** Returns the path as the provider names it: relative to the mount point. */
    String relative() {
      return absolute.length() == mount.length() ? "" : absolute.substring(mount.length() + 1);
    }
  }

  /**
   * Serves the mounts.
   *
   * @param mounts the provider of each mount point
   * @param names the name each provider has in the kernel, by mount point
   * @param types the provider type each was made from ({@code memory}, {@code host}), by mount
   */
  MountedFiles(
      RingIo io,
      Map<String, VfsProvider> mounts,
      Map<String, String> names,
      Map<String, String> types) {
    this.io = io;
    this.mounts = Map.copyOf(mounts);
    this.names = Map.copyOf(names);
    this.types = Map.copyOf(types);
  }

  /** Returns this JVM's lock table for mounted files. */
  FileLocks locks() {
    return locks;
  }

  /** Returns the kernel's name for a mount point's provider. */
  String name(String mount) {
    return names.get(mount);
  }

  /** Returns the provider type of a mount point. */
  String type(String mount) {
    return types.get(mount);
  }

  /** Returns the absolute path if it lies under a mount, else null. */
  String mounted(Path path) {
    Mounted mounted = mount(path);
    return mounted == null ? null : mounted.absolute();
  }

  /** Returns the innermost mount the path lies under, or null if none (or inside the ring). */
  Mounted mount(Path path) {
    if (mounts.isEmpty() || RingIo.inRing() || path.getFileSystem() != DEFAULT) {
      return null;
    }
    return mountedAt(path.toAbsolutePath().normalize().toString());
  }

  /**
   * Returns the innermost mount an absolute path lies under, compared as text (the caller
   * normalizes), or null if none (or inside the ring).
   */
  Mounted mountedAt(String absolute) {
    if (mounts.isEmpty() || RingIo.inRing()) {
      return null;
    }
    String best = null;
    for (String mount : mounts.keySet()) {
      if (absolute.startsWith(mount)
          && (absolute.length() == mount.length() || absolute.charAt(mount.length()) == '/')
          && (best == null || mount.length() > best.length())) {
        best = mount;
      }
    }
    return best == null ? null : new Mounted(best, mounts.get(best), absolute);
  }

  /** Returns true if the absolute path names a directory that a mount point lies under. */
  boolean holdsMount(String absolute) {
    for (String mount : mounts.keySet()) {
      if (mount.startsWith(absolute)
          && mount.length() > absolute.length()
          && (absolute.equals("/") || mount.charAt(absolute.length()) == '/')) {
        return true;
      }
    }
    return false;
  }

  @Override
  public FileChannel open(Path path, Set<? extends OpenOption> options, FileAttribute<?>[] attrs)
      throws IOException {
    String file = mounted(path);
    if (file == null) {
      return null;
    }
    int mode = mode(attrs); // first, as sun.nio.fs.UnixFileSystemProvider
    Opened opened = open(path, file, options, mode, false);
    return new RingFileChannel(
        io,
        locks,
        opened.fd(),
        path.toString(),
        file,
        opened.read(),
        opened.write(),
        opened.append());
  }

  /**
   * Opens an {@link AsynchronousFileChannel}, as {@code UnixFileSystemProvider
   * .newAsynchronousFileChannel}: the flags of a file channel, reading by default, and no {@code
   * APPEND}.
   *
   * @param file the absolute path under a mount
   * @param executor the executor of the channel's operations, or null for the default pool
   */
  AsynchronousFileChannel openAsynchronous(
      Path path,
      String file,
      Set<? extends OpenOption> options,
      ExecutorService executor,
      FileAttribute<?>[] attrs)
      throws IOException {
    int mode = mode(attrs);
    Opened opened = open(path, file, options, mode, true);
    return new RingAsynchronousFileChannel(
        io, locks, opened.fd(), file, opened.read(), opened.write(), executor);
  }

  /** An open file and the access it was opened for. */
  private record Opened(int fd, boolean read, boolean write, boolean append) {}

  private Opened open(
      Path path, String file, Set<? extends OpenOption> options, int mode, boolean async)
      throws IOException {
    // The checks and the flags of sun.nio.fs.UnixChannelFactory, in its order.
    boolean read = false;
    boolean write = false;
    boolean append = false;
    boolean truncate = false;
    boolean create = false;
    boolean createNew = false;
    boolean deleteOnClose = false;
    boolean sync = false;
    boolean dsync = false;
    boolean noFollow = false;
    for (OpenOption option : options) {
      if (option instanceof StandardOpenOption standard) {
        switch (standard) {
          case READ -> read = true;
          case WRITE -> write = true;
          case APPEND -> append = true;
          case TRUNCATE_EXISTING -> truncate = true;
          case CREATE -> create = true;
          case CREATE_NEW -> createNew = true;
          case DELETE_ON_CLOSE -> deleteOnClose = true;
          case SPARSE -> {}
          case SYNC -> sync = true;
          case DSYNC -> dsync = true;
          default -> throw new UnsupportedOperationException();
        }
      } else if (option == LinkOption.NOFOLLOW_LINKS) {
        noFollow = true;
      } else if (option == null) {
        throw new NullPointerException();
      } else {
        throw new UnsupportedOperationException(option + " not supported");
      }
    }
    if (!read && !write) {
      if (append && !async) {
        write = true;
      } else {
        read = true; // an asynchronous channel reads by default, APPEND or not
      }
    }
    if (async && append) {
      throw new UnsupportedOperationException("APPEND not allowed");
    }
    if (read && append) {
      throw new IllegalArgumentException("READ + APPEND not allowed");
    }
    if (append && truncate) {
      throw new IllegalArgumentException("APPEND + TRUNCATE_EXISTING not allowed");
    }
    int flags = read && write ? O_RDWR : write ? O_WRONLY : O_RDONLY;
    if (write) {
      flags |= truncate ? O_TRUNC : 0;
      flags |= append ? O_APPEND : 0;
      if (createNew) {
        if (path.toString().equals(".") || path.toString().endsWith("/.")) {
          throw Errors.forPath(-Errno.EEXIST, path.toString());
        }
        flags |= O_CREAT | O_EXCL;
      } else if (create) {
        flags |= O_CREAT;
      }
    }
    if (!createNew && (noFollow || deleteOnClose)) {
      flags |= O_NOFOLLOW;
    }
    flags |= dsync ? O_DSYNC : 0;
    flags |= sync ? O_SYNC : 0;
    int fd = openat(file, flags, mode);
    if (fd < 0) {
      int errno = createNew && fd == -Errno.EISDIR ? -Errno.EEXIST : fd;
      throw Errors.forPath(errno, path.toString());
    }
    if (deleteOnClose) {
      // As the JDK on Unix: the name goes at once, the open file stays usable until closed.
      ByteBuffer name = RingIo.cString(file);
      long address = io.memory().map(name);
      try {
        io.submit(IORING_OP_UNLINKAT, file, 0, 0, sqe -> sqe.prepUnlinkat(AT_FDCWD, address, 0));
      } finally {
        io.memory().unmap(address);
      }
    }
    return new Opened(fd, read, write, append);
  }

  private int openat(String file, int flags, int mode) {
    ByteBuffer name = RingIo.cString(file);
    long address = io.memory().map(name);
    try {
      return io.submit(
          IORING_OP_OPENAT, file, 0, 0, sqe -> sqe.prepOpenat(AT_FDCWD, address, flags, mode));
    } finally {
      io.memory().unmap(address);
    }
  }

  /** The mode of a created file: {@code posix:permissions} if given, else 0666 (less umask). */
  private static int mode(FileAttribute<?>[] attrs) {
    return mode(attrs, 0666);
  }

  /**
   * The mode of a created file or directory: {@code posix:permissions} if given, else the given.
   */
  static int mode(FileAttribute<?>[] attrs, int fallback) {
    int mode = fallback;
    for (FileAttribute<?> attr : attrs) {
      if (!attr.name().equals("posix:permissions") && !attr.name().equals("unix:permissions")) {
        throw new UnsupportedOperationException(
            "'" + attr.name() + "' not supported as initial attribute");
      }
      mode = 0;
      @SuppressWarnings("unchecked")
      Set<PosixFilePermission> permissions = (Set<PosixFilePermission>) attr.value();
      String text = PosixFilePermissions.toString(permissions);
      for (int i = 0; i < 9; i++) {
        mode |= text.charAt(i) == '-' ? 0 : 1 << (8 - i);
      }
    }
    return mode;
  }
}
