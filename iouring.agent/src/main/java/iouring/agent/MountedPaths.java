package iouring.agent;

import static iouring.api.abi.FileFlags.AT_FDCWD;
import static iouring.api.abi.FileFlags.AT_REMOVEDIR;
import static iouring.api.abi.FileFlags.AT_SYMLINK_NOFOLLOW;
import static iouring.api.abi.Opcodes.IORING_OP_LINKAT;
import static iouring.api.abi.Opcodes.IORING_OP_MKDIRAT;
import static iouring.api.abi.Opcodes.IORING_OP_STATX;
import static iouring.api.abi.Opcodes.IORING_OP_SYMLINKAT;
import static iouring.api.abi.Opcodes.IORING_OP_UNLINKAT;

import iouring.agent.bootstrap.RingBridge;
import iouring.api.abi.Errno;
import iouring.api.abi.Statx;
import iouring.api.spi.VfsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Serves the file-system operations of {@code sun.nio.fs.UnixFileSystemProvider} other than opening
 * for the paths under the mounts, each as the JDK's method does it, with the same results and
 * exceptions: attributes and existence through STATX, directories through MKDIRAT, deletion through
 * UNLINKAT, links through SYMLINKAT and LINKAT, moves through RENAMEAT ({@link PathCopy}),
 * attribute views by class and by name through STATX ({@link RingViews}), and {@code
 * sun.nio.fs.UnixPath.toRealPath}, a STATX per name. What io_uring has no opcode for goes to the
 * mount's provider directly: listing a directory (no getdents), reading a symbolic link (no
 * readlinkat), and setting times, modes and owners (no utimensat, fchmodat, fchownat). {@code
 * getFileStore} describes the mount ({@link RingFileStore}).
 */
final class MountedPaths implements RingBridge.Calls {
  /** JDK 17 and 25 differ in a few messages and errno mappings; 21 is the LTS between them. */
  static final boolean JDK_21 = Runtime.version().feature() >= 21;

  /** Linux's {@code MAXSYMLINKS}: the most symbolic links one path walk follows. */
  private static final int MAX_SYMLINKS = 40;

  private final RingIo io;
  private final MountedFiles files;
  private final PathCopy copier;

  MountedPaths(RingIo io, MountedFiles files) {
    this.io = io;
    this.files = files;
    this.copier = new PathCopy(io, files, this);
  }

  RingIo io() {
    return io;
  }

  @Override
  public Object[] call(String method, Object[] args) throws IOException {
    Path path = (Path) args[0];
    if (method.equals("copy") || method.equals("move")) {
      return copier.serve(method.equals("move"), path, (Path) args[1], (CopyOption[]) args[2]);
    } else if (method.equals("createLink")) {
      return link(path, (Path) args[1]);
    } else if (method.equals("isSameFile")) {
      return sameFile(path, (Path) args[1]);
    }
    MountedFiles.Mounted file = files.mount(path);
    if (file == null) {
      return null;
    }
    return switch (method) {
      case "checkAccess" -> served(checkAccess(path, file, (AccessMode[]) args[1]));
      case "isReadable" -> served(can(path, file, AccessMode.READ));
      case "isWritable" -> served(can(path, file, AccessMode.WRITE));
      case "isExecutable" -> served(can(path, file, AccessMode.EXECUTE));
      case "exists" -> served(statx(file, follow(args, 1)) >= 0);
      case "isDirectory" -> served(stat(file, true) instanceof RingAttributes a && a.isDirectory());
      case "isRegularFile" ->
          served(stat(file, true) instanceof RingAttributes a && a.isRegularFile());
      case "readAttributes", "readAttributesIfExists" -> {
        if (args[1] instanceof String attributes) {
          yield byName(path, file, attributes, null, (LinkOption[]) args[2], false);
        }
        Class<?> type = (Class<?>) args[1];
        if (type != BasicFileAttributes.class && type != PosixFileAttributes.class) {
          yield null; // the JDK throws for these before it touches a file
        }
        boolean ifExists = method.equals("readAttributesIfExists");
        boolean follow = follow(args, 2);
        // JDK 25 answers this one case from stat directly, where ENOTDIR stays ENOTDIR.
        boolean notDirIsMissing = !(ifExists && follow && type == BasicFileAttributes.class);
        yield served(attributesOrThrow(path, file, follow, ifExists, notDirIsMissing));
      }
      case "createDirectory" -> served(createDirectory(path, file, (FileAttribute<?>[]) args[1]));
      case "implDelete" -> served(delete(path, file, (Boolean) args[1]));
      case "newDirectoryStream" -> served(list(path, file, args[1]));
      case "createSymbolicLink" ->
          served(symlink(path, file, (Path) args[1], (FileAttribute<?>[]) args[2]));
      case "readSymbolicLink" -> served(readlink(path, file));
      case "setAttribute" ->
          byName(path, file, (String) args[1], args[2], (LinkOption[]) args[3], true);
      case "getFileAttributeView" -> {
        Class<?> type = (Class<?>) args[1];
        Object view = RingViews.byClass(this, path, file, type, follow(args, 2));
        yield view == null
            ? null
            : served(view); // the JDK answers null for the rest, touching nothing
      }
      case "getFileStore" -> served(store(path, file));
      case "newAsynchronousFileChannel" -> {
        @SuppressWarnings("unchecked")
        Set<? extends OpenOption> options = (Set<? extends OpenOption>) args[1];
        yield served(
            files.openAsynchronous(
                path,
                file.absolute(),
                options,
                (ExecutorService) args[2],
                (FileAttribute<?>[]) args[3]));
      }
      case "toRealPath" -> served(realPath(path, file, follow(args, 1)));
      default -> null;
    };
  }

  /**
   * As {@code AbstractFileSystemProvider.readAttributes(Path, String, ...)} and {@code
   * setAttribute}: the view named before the colon ({@code basic} without one), then its
   * attributes. Linux's own {@code dos} and {@code user} views are declined and reach the host; a
   * null name is declined too, for the JDK to throw before it touches a file.
   */
  private Object[] byName(
      Path path,
      MountedFiles.Mounted file,
      String attribute,
      Object value,
      LinkOption[] options,
      boolean set)
      throws IOException {
    if (attribute == null) {
      return null;
    }
    int colon = attribute.indexOf(':');
    String view = colon < 0 ? "basic" : attribute.substring(0, colon);
    String names = colon < 0 ? attribute : attribute.substring(colon + 1);
    if (view.isEmpty()) {
      throw new IllegalArgumentException(attribute);
    } else if ((view.equals("dos") || view.equals("user")) && !RingViews.hasXattrs(file)) {
      return null; // Linux's own views, which the agent serves only for providers keeping xattrs
    }
    boolean follow = follow(options);
    RingViews.Dynamic dynamic = RingViews.byName(this, path, file, view, follow);
    if (dynamic == null) {
      throw new UnsupportedOperationException("View '" + view + "' not available");
    } else if (set) {
      dynamic.setAttribute(names, value);
      return served(null);
    }
    return served(dynamic.readAttributes(names.split(",")));
  }

  /** As {@code getFileStore}: the file's status first (NoSuchFileException and the like). */
  private RingFileStore store(Path path, MountedFiles.Mounted file) throws IOException {
    Object attributes = stat(file, true);
    if (attributes instanceof Integer res) {
      throw Errors.forPath(res, path.toString());
    }
    return new RingFileStore(
        file.mount(),
        files.name(file.mount()),
        files.type(file.mount()),
        () -> io.direct(file.provider()::space));
  }

  private static Object[] served(Object result) {
    return new Object[] {result};
  }

  private static boolean follow(Object[] args, int index) {
    return args.length <= index || follow((LinkOption[]) args[index]);
  }

  /** As the JDK's {@code Util.followLinks}. */
  private static boolean follow(LinkOption[] options) {
    boolean follow = true;
    for (LinkOption option : options) {
      if (option == LinkOption.NOFOLLOW_LINKS) {
        follow = false;
      } else if (option == null) {
        throw new NullPointerException();
      }
    }
    return follow;
  }

  /** Submits a STATX for the file; returns the result, and on success fills {@code into}. */
  int statx(MountedFiles.Mounted file, boolean follow, ByteBuffer into) {
    long buffer = io.memory().map(into);
    try {
      int flags = follow ? 0 : AT_SYMLINK_NOFOLLOW;
      return io.submitPath(
          IORING_OP_STATX,
          file.absolute(),
          (sqe, name) ->
              sqe.prepStatx(
                  AT_FDCWD, name, flags, Statx.STATX_BASIC_STATS | Statx.STATX_BTIME, buffer));
    } finally {
      io.memory().unmap(buffer);
    }
  }

  private int statx(MountedFiles.Mounted file, boolean follow) {
    return statx(file, follow, statxBuffer());
  }

  private static ByteBuffer statxBuffer() {
    return ByteBuffer.allocateDirect(Statx.STATX_SIZE_BYTES).order(ByteOrder.nativeOrder());
  }

  /** Returns the attributes, or the {@code -errno} of the failed STATX as an Integer. */
  Object stat(MountedFiles.Mounted file, boolean follow) {
    ByteBuffer buffer = statxBuffer();
    int res = statx(file, follow, buffer);
    return res < 0 ? Integer.valueOf(res) : new RingAttributes(buffer);
  }

  /**
   * As {@code UnixFileAttributes.get}, or {@code getIfExists} (null when there is no file). JDK 17
   * reports a path through a regular file (ENOTDIR) as "Not a directory"; later JDKs (25 checked)
   * report it as missing when reading attributes or the source of a copy or move.
   */
  RingAttributes attributesOrThrow(
      Path path,
      MountedFiles.Mounted file,
      boolean follow,
      boolean ifExists,
      boolean notDirIsMissing)
      throws IOException {
    Object attributes = stat(file, follow);
    if (attributes instanceof Integer failed) {
      int res = failed == -Errno.ENOTDIR && notDirIsMissing && JDK_21 ? -Errno.ENOENT : failed;
      if (ifExists && res == -Errno.ENOENT) {
        return null;
      }
      throw Errors.forPath(res, path.toString());
    }
    return (RingAttributes) attributes;
  }

  /**
   * As {@code checkAccess}, for a caller with root's rights: the emulated process acts as root, as
   * the memory provider, whose files all belong to uid 0, assumes. Linux's access(2) then grants
   * reading and writing, and executing a directory or a file with any execute bit set.
   */
  private Object checkAccess(Path path, MountedFiles.Mounted file, AccessMode[] modes)
      throws IOException {
    Object attributes = stat(file, true);
    if (attributes instanceof Integer res) {
      throw Errors.forPath(res == -Errno.ENOTDIR ? -Errno.ENOENT : res, path.toString());
    }
    RingAttributes found = (RingAttributes) attributes;
    for (AccessMode access : modes) {
      if (access == AccessMode.EXECUTE && !found.isDirectory() && (found.mode() & 0111) == 0) {
        throw new AccessDeniedException(path.toString());
      }
    }
    return null;
  }

  private boolean can(Path path, MountedFiles.Mounted file, AccessMode mode) {
    try {
      checkAccess(path, file, new AccessMode[] {mode});
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Object createDirectory(Path path, MountedFiles.Mounted file, FileAttribute<?>[] attrs)
      throws IOException {
    int mode = MountedFiles.mode(attrs, 0777);
    int res =
        io.submitPath(
            IORING_OP_MKDIRAT,
            file.absolute(),
            (sqe, name) -> sqe.prepMkdirat(AT_FDCWD, name, mode));
    if (res == -Errno.EISDIR) {
      throw new FileAlreadyExistsException(path.toString());
    } else if (res < 0) {
      throw Errors.forPath(res, path.toString());
    }
    return null;
  }

  /** As {@code implDelete}: STATX (not following links) to tell a directory, then UNLINKAT. */
  boolean delete(Path path, MountedFiles.Mounted file, boolean failIfNotExists) throws IOException {
    Object attributes = stat(file, false);
    int res;
    boolean directory = false;
    if (attributes instanceof Integer failed) {
      res = failed;
    } else {
      directory = ((RingAttributes) attributes).isDirectory();
      int flags = directory ? AT_REMOVEDIR : 0;
      res =
          io.submitPath(
              IORING_OP_UNLINKAT,
              file.absolute(),
              (sqe, name) -> sqe.prepUnlinkat(AT_FDCWD, name, flags));
    }
    if (res >= 0) {
      return true;
    }
    if (!failIfNotExists && res == -Errno.ENOENT) {
      return false;
    }
    if (directory && (res == -Errno.EEXIST || res == -Errno.ENOTEMPTY)) {
      throw new DirectoryNotEmptyException(path.toString());
    }
    throw Errors.forPath(res, path.toString());
  }

  private DirectoryStream<Path> list(Path dir, MountedFiles.Mounted file, Object filter)
      throws IOException {
    if (filter == null) {
      throw new NullPointerException();
    }
    Object attributes = stat(file, true);
    if (attributes instanceof Integer res && res != -Errno.ENOTDIR) {
      throw Errors.forPath(res, dir.toString());
    } else if (!(attributes instanceof RingAttributes a) || !a.isDirectory()) {
      throw new NotDirectoryException(dir.toString());
    }
    List<String> names;
    try {
      names = io.direct(() -> file.provider().list(file.relative()));
    } catch (VfsException e) {
      throw Errors.forPath(-e.errno(), dir.toString());
    }
    @SuppressWarnings("unchecked")
    DirectoryStream.Filter<? super Path> typed = (DirectoryStream.Filter<? super Path>) filter;
    return new RingDirectoryStream(dir, names, typed);
  }

  private Object symlink(
      Path link, MountedFiles.Mounted file, Path target, FileAttribute<?>[] attrs)
      throws IOException {
    if (attrs.length > 0) {
      throw new UnsupportedOperationException(
          "Initial file attributes not supported when creating symbolic link");
    }
    long address = io.memory().map(RingIo.cString(target.toString()));
    try {
      int res =
          io.submitPath(
              IORING_OP_SYMLINKAT,
              file.absolute(),
              (sqe, name) -> sqe.prepSymlinkat(address, AT_FDCWD, name));
      if (res < 0) {
        throw Errors.forPath(res, link.toString());
      }
    } finally {
      io.memory().unmap(address);
    }
    return null;
  }

  /** As {@code createLink}: one LINKAT; a link between a mount and elsewhere is EXDEV. */
  private Object[] link(Path link, Path existing) throws IOException {
    MountedFiles.Mounted to = files.mount(link);
    MountedFiles.Mounted from = files.mount(existing);
    if (to == null && from == null) {
      return null;
    }
    int res;
    if (to == null || from == null || !to.mount().equals(from.mount())) {
      res = -Errno.EXDEV;
    } else {
      long newName = io.memory().map(RingIo.cString(to.absolute()));
      try {
        res =
            io.submitPath(
                IORING_OP_LINKAT,
                from.absolute(),
                (sqe, oldName) -> sqe.prepLinkat(AT_FDCWD, oldName, AT_FDCWD, newName, 0));
      } finally {
        io.memory().unmap(newName);
      }
    }
    if (res < 0) {
      throw Errors.forPaths(res, link.toString(), existing.toString());
    }
    return served(null);
  }

  /** As {@code isSameFile}: equal paths are the same file; else both must exist, keys compared. */
  private Object[] sameFile(Path path, Path other) throws IOException {
    if (path.equals(other)) {
      return served(true);
    } else if (other == null) {
      throw new NullPointerException();
    } else if (files.mount(path) == null && files.mount(other) == null) {
      return null;
    }
    Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    return served(key.equals(Files.readAttributes(other, BasicFileAttributes.class).fileKey()));
  }

  /**
   * As {@code UnixPath.toRealPath}, in the emulated kernel's terms. Following links it is {@code
   * realpath(3)} over the path as the mount's provider walks it: one STATX (not following links)
   * per name, a symbolic link's target from the provider (no readlinkat opcode) spliced in its
   * place, an absolute target starting again at the mount point (the provider's root, which {@code
   * ..} never leaves), {@code ELOOP} past 40 links, {@code ENOTDIR} for a name that is not the last
   * and not a directory; a failure names the path as given, as the JDK's {@code realpath} does. A
   * path is matched to its mount after lexical normalization ({@link MountedFiles}), so with {@code
   * NOFOLLOW_LINKS} the real path is the normalized one, which must exist (the JDK keeps a {@code
   * ..} that follows a symbolic link).
   */
  private Path realPath(Path path, MountedFiles.Mounted file, boolean follow) throws IOException {
    if (!follow) {
      if (stat(file, false) instanceof Integer res) {
        throw Errors.forPath(res, file.absolute());
      }
      return path.getFileSystem().getPath(file.absolute());
    }
    Object resolved = resolveLinks(file);
    if (resolved instanceof Integer res) {
      throw Errors.forPath(res, path.toString());
    }
    return path.getFileSystem().getPath(((MountedFiles.Mounted) resolved).absolute());
  }

  /**
   * The walk of {@link #realPath} following links: returns the resolved path, or the {@code -errno}
   * of the walk as an Integer. {@code java.io.File.getCanonicalPath} walks so too ({@link
   * IoFiles}).
   */
  Object resolveLinks(MountedFiles.Mounted file) {
    Deque<String> pending = new ArrayDeque<>();
    push(pending, file.relative());
    List<String> resolved = new ArrayList<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String name = pending.pollFirst();
      if (name.equals(".")) {
        continue;
      } else if (name.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
        }
        continue;
      }
      resolved.add(name);
      MountedFiles.Mounted at = below(file, resolved);
      Object attributes = stat(at, false);
      if (attributes instanceof Integer) {
        return attributes;
      }
      RingAttributes found = (RingAttributes) attributes;
      if (found.isSymbolicLink()) {
        if (++links > MAX_SYMLINKS) {
          return -Errno.ELOOP;
        }
        String target;
        try {
          target = io.direct(() -> at.provider().readlink(at.relative()));
        } catch (VfsException e) {
          return -e.errno();
        }
        resolved.remove(resolved.size() - 1);
        if (target.startsWith("/")) {
          resolved.clear();
        }
        push(pending, target);
      } else if (!pending.isEmpty() && !found.isDirectory()) {
        return -Errno.ENOTDIR;
      }
    }
    return below(file, resolved);
  }

  /**
   * Puts a path's names in front of those still to resolve; a trailing slash becomes a {@code .},
   * so that the name before it must be a directory.
   */
  private static void push(Deque<String> pending, String path) {
    List<String> names = new ArrayList<>();
    for (String name : path.split("/")) {
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    if (path.endsWith("/") && !names.isEmpty()) {
      names.add(".");
    }
    for (int i = names.size() - 1; i >= 0; i--) {
      pending.addFirst(names.get(i));
    }
  }

  /** The path of the given names below a mount's root. */
  private static MountedFiles.Mounted below(MountedFiles.Mounted file, List<String> names) {
    String absolute = names.isEmpty() ? file.mount() : file.mount() + "/" + String.join("/", names);
    return new MountedFiles.Mounted(file.mount(), file.provider(), absolute);
  }

  private Path readlink(Path link, MountedFiles.Mounted file) throws IOException {
    try {
      String target = io.direct(() -> file.provider().readlink(file.relative()));
      return link.getFileSystem().getPath(target);
    } catch (VfsException e) {
      if (e.errno() == Errno.EINVAL) {
        throw new NotLinkException(link.toString());
      }
      throw Errors.forPath(-e.errno(), link.toString());
    }
  }
}
