package iouring.agent;

import static iouring.api.abi.FileFlags.AT_FDCWD;
import static iouring.api.abi.FileFlags.AT_REMOVEDIR;
import static iouring.api.abi.FileFlags.O_CREAT;
import static iouring.api.abi.FileFlags.O_EXCL;
import static iouring.api.abi.FileFlags.O_RDWR;
import static iouring.api.abi.Opcodes.IORING_OP_CLOSE;
import static iouring.api.abi.Opcodes.IORING_OP_MKDIRAT;
import static iouring.api.abi.Opcodes.IORING_OP_OPENAT;
import static iouring.api.abi.Opcodes.IORING_OP_RENAMEAT;
import static iouring.api.abi.Opcodes.IORING_OP_UNLINKAT;

import iouring.agent.bootstrap.RingBridge;
import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Serves {@code java.io.File} for the paths under the mounts, as the JDK's {@code
 * java.io.UnixFileSystem} and its native code do it, with the same results: the methods are named
 * as {@code UnixFileSystem}'s ({@code getBooleanAttributes}, {@code getLength}, {@code delete},
 * ...), or as the {@code File} methods that call them where the running JDK's {@code
 * UnixFileSystem} method is native ({@code length}, {@code mkdir}, ... on JDK 17). The first
 * argument is the file (a path string for {@code createFileExclusively} and {@code canonicalize}).
 *
 * <p>Each system call the JDK makes is one SQE where io_uring has the opcode: {@code stat} is
 * STATX, {@code mkdir} MKDIRAT, {@code remove} UNLINKAT and, for a directory, UNLINKAT with {@code
 * AT_REMOVEDIR} (glibc's two calls), {@code rename} RENAMEAT, the exclusive create OPENAT and
 * CLOSE. What io_uring has no opcode for goes to the mount's provider: listing (no getdents),
 * {@code chmod} and {@code utimes} (no fchmodat, utimensat) and {@code readlink} in {@code
 * realpath}. A rename between a mount and anything else is false, as the JDK's on {@code EXDEV}.
 */
final class IoFiles implements RingBridge.Calls {
  // java.io.FileSystem's constants.
  private static final int BA_EXISTS = 0x01;
  private static final int BA_REGULAR = 0x02;
  private static final int BA_DIRECTORY = 0x04;
  private static final int BA_HIDDEN = 0x08;
  private static final int ACCESS_READ = 0x04;
  private static final int ACCESS_WRITE = 0x02;
  private static final int ACCESS_EXECUTE = 0x01;
  private static final int SPACE_TOTAL = 0;
  private static final int SPACE_FREE = 1;
  private static final int SPACE_USABLE = 2;

  /** Linux's highest errno, {@code EHWPOISON}. */
  private static final int LAST_ERRNO = 133;

  /** The longest name, as Linux's file systems (and the JDK when it cannot ask) take it. */
  private static final int NAME_MAX = 255;

  /** The JDK's canonicalization refuses a longer path with ENAMETOOLONG. */
  private static final int PATH_MAX = 4096;

  private final MountedFiles files;
  private final MountedPaths paths;
  private final RingIo io;
  private final boolean emptyIsCwd;
  private final String userDir = System.getProperty("user.dir");
  private final MethodHandle generateFile;
  private final MethodHandle tempLocation;

  /**
   * Serves the mounts.
   *
   * @param emptyIsCwd whether the running JDK takes the empty path for the working directory (JDK
   *     25's {@code getFileForSysCalls}); JDK 17 passes it to the system, which answers ENOENT
   * @param generateFile {@code File.TempDirectory.generateFile} where {@code createTempFile} is
   *     served here (JDK 17), else null
   * @param tempLocation {@code File.TempDirectory.location} with it
   */
  IoFiles(
      MountedFiles files,
      MountedPaths paths,
      boolean emptyIsCwd,
      MethodHandle generateFile,
      MethodHandle tempLocation) {
    this.files = files;
    this.paths = paths;
    this.io = paths.io();
    this.emptyIsCwd = emptyIsCwd;
    this.generateFile = generateFile;
    this.tempLocation = tempLocation;
  }

  @Override
  public Object[] call(String method, Object[] args) throws IOException {
    if (method.equals("rename")) {
      return rename((File) args[0], (File) args[1]);
    } else if (method.equals("canonicalize")) {
      return canonicalize((String) args[0]);
    } else if (method.equals("createTempFile")) {
      return createTempFile((String) args[0], (String) args[1], (File) args[2]);
    }
    Object first = args[0];
    String path = first instanceof File f ? f.getPath() : (String) first;
    boolean create = method.equals("createFileExclusively") || method.equals("createNewFile");
    MountedFiles.Mounted file = mounted(path, emptyIsCwd && !create);
    if (file == null || (method.equals("setLastModified") && (Long) args[1] < 0)) {
      return null; // a negative time is the JDK's to refuse, before it asks the security manager
    }
    checkPermission(method, path);
    return switch (method) {
      case "getBooleanAttributes" -> served(attributes(file) | hidden(first));
      case "hasBooleanAttributes" -> {
        int wanted = (Integer) args[1];
        int found = attributes(file) | ((wanted & BA_HIDDEN) != 0 ? hidden(first) : 0);
        yield served((found & wanted) == wanted);
      }
      case "checkAccess" -> served(access(file, (Integer) args[1]));
      case "canRead" -> served(access(file, ACCESS_READ));
      case "canWrite" -> served(access(file, ACCESS_WRITE));
      case "canExecute" -> served(access(file, ACCESS_EXECUTE));
      case "getLastModifiedTime", "lastModified" ->
          served(
              paths.stat(file, true) instanceof RingAttributes a
                  ? a.lastModifiedTime().toMillis()
                  : 0L);
      case "getLength", "length" ->
          served(paths.stat(file, true) instanceof RingAttributes a ? a.size() : 0L);
      case "setPermission" ->
          served(setPermission(file, (Integer) args[1], (Boolean) args[2], (Boolean) args[3]));
      case "setReadable" -> served(setPermission(file, ACCESS_READ, args));
      case "setWritable" -> served(setPermission(file, ACCESS_WRITE, args));
      case "setExecutable" -> served(setPermission(file, ACCESS_EXECUTE, args));
      case "setReadOnly" -> served(chmod(file, 0, 0222));
      case "createFileExclusively", "createNewFile" -> served(createExclusively(file));
      case "delete" -> served(delete(file));
      case "list", "normalizedList" -> served(list(file));
      case "createDirectory", "mkdir" -> served(mkdir(file));
      case "setLastModifiedTime", "setLastModified" ->
          served(setLastModified(file, (Long) args[1]));
      case "getSpace" -> served(space(file, (Integer) args[1]));
      case "getNameMax" -> served(NAME_MAX);
      case "getTotalSpace" -> served(space(file, SPACE_TOTAL));
      case "getFreeSpace" -> served(space(file, SPACE_FREE));
      case "getUsableSpace" -> served(space(file, SPACE_USABLE));
      default -> null;
    };
  }

  private static Object[] served(Object result) {
    return new Object[] {result};
  }

  /**
   * Returns the mount a {@code java.io.File} path lies under, or null: an invalid path (with NUL)
   * is the JDK's to refuse, and so is the empty path where the JDK does not take it for the working
   * directory. A relative path is resolved against {@code user.dir}, as {@code
   * File.getAbsolutePath}.
   */
  private MountedFiles.Mounted mounted(String path, boolean emptyIsCwd) {
    if (path.indexOf('\0') >= 0 || (path.isEmpty() && !emptyIsCwd)) {
      return null;
    }
    String absolute;
    if (path.startsWith("/")) {
      absolute = path;
    } else if (path.isEmpty()) {
      absolute = userDir;
    } else {
      absolute = userDir.endsWith("/") ? userDir + path : userDir + "/" + path;
    }
    return files.mountedAt(normalize(absolute));
  }

  /** Removes the {@code .} and {@code ..} names that java.io keeps in a path. */
  private static String normalize(String absolute) {
    return absolute.contains("/.") ? Path.of(absolute).normalize().toString() : absolute;
  }

  /**
   * As JDK 17's {@code File} methods, which ask the security manager before they call the native
   * method that the agent serves in their place; the {@code UnixFileSystem} methods were called by
   * {@code File} after its own check.
   */
  @SuppressWarnings("removal")
  private static void checkPermission(String method, String path) {
    SecurityManager security = System.getSecurityManager();
    if (security == null) {
      return;
    }
    switch (method) {
      case "canRead", "lastModified", "length", "normalizedList" -> security.checkRead(path);
      case "canExecute" -> security.checkExec(path);
      case "getTotalSpace", "getFreeSpace", "getUsableSpace" -> {
        security.checkPermission(new RuntimePermission("getFileSystemAttributes"));
        security.checkRead(path);
      }
      case "canWrite",
          "setReadable",
          "setWritable",
          "setExecutable",
          "setReadOnly",
          "createNewFile",
          "mkdir",
          "setLastModified" ->
          security.checkWrite(path);
      default -> {}
    }
  }

  /** As {@code getBooleanAttributes0}: one stat, following links. */
  private int attributes(MountedFiles.Mounted file) {
    if (!(paths.stat(file, true) instanceof RingAttributes a)) {
      return 0;
    }
    return BA_EXISTS | (a.isRegularFile() ? BA_REGULAR : 0) | (a.isDirectory() ? BA_DIRECTORY : 0);
  }

  /** As {@code UnixFileSystem.isHidden}: the name begins with a dot. */
  private static int hidden(Object file) {
    return file instanceof File f && f.getName().startsWith(".") ? BA_HIDDEN : 0;
  }

  /**
   * As {@code access(2)} for root, as the emulated process acts (and the agent's {@code
   * checkAccess}): reading and writing an existing file are allowed, executing needs a directory or
   * an execute bit.
   */
  private boolean access(MountedFiles.Mounted file, int access) {
    if (!(paths.stat(file, true) instanceof RingAttributes a)) {
      return false;
    }
    return (access & ACCESS_EXECUTE) == 0 || a.isDirectory() || (a.mode() & 0111) != 0;
  }

  /** {@code File.setReadable(enable, ownerOnly)} and its kin. */
  private boolean setPermission(MountedFiles.Mounted file, int access, Object[] args) {
    return setPermission(file, access, (Boolean) args[1], (Boolean) args[2]);
  }

  /** As {@code setPermission0}: stat for the mode, then {@code chmod} with the bits changed. */
  private boolean setPermission(
      MountedFiles.Mounted file, int access, boolean enable, boolean ownerOnly) {
    int bits =
        switch (access) {
          case ACCESS_READ -> ownerOnly ? 0400 : 0444;
          case ACCESS_WRITE -> ownerOnly ? 0200 : 0222;
          default -> ownerOnly ? 0100 : 0111;
        };
    return enable ? chmod(file, bits, 0) : chmod(file, 0, bits);
  }

  /** Stats the file, then sets {@code set} and clears {@code clear} in its mode. */
  private boolean chmod(MountedFiles.Mounted file, int set, int clear) {
    if (!(paths.stat(file, true) instanceof RingAttributes a)) {
      return false;
    }
    int mode = ((a.mode() | set) & ~clear) & 07777;
    return provider(() -> file.provider().chmod(file.relative(), mode, true));
  }

  /**
   * As {@code setLastModifiedTime0}: stat for the access time, which {@code utimes} keeps in
   * microseconds, then both times. A time past 2262 (the end of nanoseconds in a long) is set to
   * that end.
   */
  private boolean setLastModified(MountedFiles.Mounted file, long millis) {
    if (!(paths.stat(file, true) instanceof RingAttributes a)) {
      return false;
    }
    Instant accessed = a.lastAccessTime().toInstant();
    long atime = accessed.getEpochSecond() * 1_000_000_000L + accessed.getNano() / 1000 * 1000L;
    long mtime = millis > Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : millis * 1_000_000;
    return provider(() -> file.provider().utimens(file.relative(), atime, mtime, true));
  }

  /** A provider call that either succeeds or fails, as the JDK's boolean natives report it. */
  private interface Change {
    void run() throws VfsException;
  }

  private boolean provider(Change change) {
    try {
      io.direct(
          () -> {
            change.run();
            return null;
          });
      return true;
    } catch (VfsException e) {
      return false;
    }
  }

  /**
   * As {@code createFileExclusively0}: {@code open(O_RDWR | O_CREAT | O_EXCL, 0666)}, false if the
   * name exists, else the errno's text; then {@code close}.
   */
  private boolean createExclusively(MountedFiles.Mounted file) throws IOException {
    int fd =
        io.submitPath(
            IORING_OP_OPENAT,
            file.absolute(),
            (sqe, name) -> sqe.prepOpenat(AT_FDCWD, name, O_RDWR | O_CREAT | O_EXCL, 0666));
    if (fd == -Errno.EEXIST) {
      return false;
    } else if (fd < 0) {
      throw new IOException(Errno.message(-fd));
    }
    int res = io.submit(IORING_OP_CLOSE, file.absolute(), 0, 0, sqe -> sqe.prepClose(fd));
    if (res < 0) {
      throw new IOException(Errno.message(-res));
    }
    return true;
  }

  /** As glibc's {@code remove}: {@code unlink}, and {@code rmdir} if that says EISDIR. */
  private boolean delete(MountedFiles.Mounted file) {
    int res = unlinkat(file, 0);
    if (res == -Errno.EISDIR) {
      res = unlinkat(file, AT_REMOVEDIR);
    }
    return res == 0;
  }

  private int unlinkat(MountedFiles.Mounted file, int flags) {
    return io.submitPath(
        IORING_OP_UNLINKAT,
        file.absolute(),
        (sqe, name) -> sqe.prepUnlinkat(AT_FDCWD, name, flags));
  }

  /**
   * As {@code list0}, which opens the directory (a STATX stands for it) and reads its names (the
   * provider's listing): null for a missing file or one that is not a directory.
   */
  private String[] list(MountedFiles.Mounted file) {
    if (!(paths.stat(file, true) instanceof RingAttributes a) || !a.isDirectory()) {
      return null;
    }
    try {
      List<String> names = io.direct(() -> file.provider().list(file.relative()));
      return names.toArray(new String[0]);
    } catch (VfsException e) {
      return null;
    }
  }

  private boolean mkdir(MountedFiles.Mounted file) {
    int res =
        io.submitPath(
            IORING_OP_MKDIRAT,
            file.absolute(),
            (sqe, name) -> sqe.prepMkdirat(AT_FDCWD, name, 0777));
    return res == 0;
  }

  /** As {@code getSpace0}: 0 if the file cannot be reached, else what the mount's store says. */
  private long space(MountedFiles.Mounted file, int which) {
    if (!(paths.stat(file, true) instanceof RingAttributes)) {
      return 0L;
    }
    RingFileStore store =
        new RingFileStore(
            file.mount(),
            files.name(file.mount()),
            files.type(file.mount()),
            () -> io.direct(file.provider()::space));
    try {
      return switch (which) {
        case SPACE_TOTAL -> store.getTotalSpace();
        case SPACE_FREE -> store.getUnallocatedSpace();
        default -> store.getUsableSpace();
      };
    } catch (IOException e) {
      return 0L; // java.io.File reports a failure as no space
    }
  }

  /**
   * As {@code rename0}: RENAMEAT within one mount; between a mount and the host or another mount
   * false, as {@code rename(2)} fails there with EXDEV.
   */
  private Object[] rename(File source, File target) {
    MountedFiles.Mounted from = mounted(source.getPath(), emptyIsCwd);
    MountedFiles.Mounted to = mounted(target.getPath(), emptyIsCwd);
    if (from == null && to == null) {
      return null;
    } else if (from == null || to == null || !from.mount().equals(to.mount())) {
      return served(false);
    }
    long newName = io.memory().map(RingIo.cString(to.absolute()));
    try {
      int res =
          io.submitPath(
              IORING_OP_RENAMEAT,
              from.absolute(),
              (sqe, oldName) -> sqe.prepRenameat(AT_FDCWD, oldName, AT_FDCWD, newName, 0));
      return served(res == 0);
    } finally {
      io.memory().unmap(newName);
    }
  }

  /**
   * As JDK 17's {@code File.createTempFile(prefix, suffix, directory)} for a directory under a
   * mount, whose exclusive create is native there: the JDK's own name generator, then the checks
   * and the loop of {@code createTempFile}, with the existence check and the create on the ring. A
   * prefix the JDK refuses (null, shorter than 3) is left to it.
   */
  @SuppressWarnings("removal")
  private Object[] createTempFile(String prefix, String suffix, File directory) throws IOException {
    if (generateFile == null || prefix == null || prefix.length() < 3) {
      return null;
    }
    String tail = suffix == null ? ".tmp" : suffix;
    File dir = directory != null ? directory : (File) invoke(() -> tempLocation.invoke());
    if (mounted(dir.getPath(), emptyIsCwd) == null) {
      return null;
    }
    SecurityManager security = System.getSecurityManager();
    File file;
    MountedFiles.Mounted mounted;
    do {
      file = (File) invoke(() -> generateFile.invoke(prefix, tail, dir));
      if (security != null) {
        try {
          security.checkWrite(file.getPath());
        } catch (SecurityException e) {
          if (directory == null) {
            throw new SecurityException("Unable to create temporary file");
          }
          throw e;
        }
      }
      mounted = mounted(file.getPath(), emptyIsCwd);
    } while ((attributes(mounted) & BA_EXISTS) != 0);
    if (!createExclusively(mounted)) {
      throw new IOException("Unable to create temporary file");
    }
    return served(file);
  }

  /** A call through a method handle. */
  private interface Handle {
    Object call() throws Throwable;
  }

  private static Object invoke(Handle handle) throws IOException {
    try {
      return handle.call();
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * As the JDK's {@code canonicalize0} ({@code JDK_Canonicalize}) for a path under a mount: {@code
   * realpath} of the whole path; if that fails, of ever shorter prefixes until one resolves (a
   * missing name, a name that is not a directory or a denied search lets it go on, any other error
   * is an IOException with the error's text), the rest appended; then {@code .} and {@code ..}
   * removed as text. The {@code realpath} is the emulated kernel's ({@link #realpath}), so that the
   * canonical path names the file that the path reaches through the agent.
   */
  private Object[] canonicalize(String path) throws IOException {
    if (!path.startsWith("/")
        || path.indexOf('\0') >= 0
        || files.mountedAt(normalize(path)) == null) {
      return null;
    }
    if (path.getBytes(StandardCharsets.UTF_8).length > PATH_MAX) {
      throw new IOException(Errno.message(Errno.ENAMETOOLONG));
    }
    Object whole = realpath(path);
    if (whole instanceof String resolved) {
      return served(collapse(resolved));
    }
    Object prefix = null;
    int end = path.length();
    while (end > 0) {
      end = path.lastIndexOf('/', end - 1);
      if (end <= 0) {
        break;
      }
      prefix = realpath(path.substring(0, end));
      if (prefix instanceof String) {
        break;
      }
      int errno = -(Integer) prefix;
      if (errno != Errno.ENOENT && errno != Errno.ENOTDIR && errno != Errno.EACCES) {
        throw new IOException(Errno.message(errno));
      }
      prefix = null;
    }
    if (prefix instanceof String resolved) {
      String rest = path.substring(end);
      if (resolved.endsWith("/") && rest.startsWith("/")) {
        rest = rest.substring(1);
      }
      return served(collapse(resolved + rest));
    }
    return served(collapse(path));
  }

  /**
   * {@code realpath(3)} of a path, in the emulated kernel's terms, as {@code Path.toRealPath} under
   * a mount ({@link MountedPaths#resolveLinks}): the path normalized as text, then a STATX (not
   * following links) per name below the mount point and the provider's {@code readlink} for a link,
   * an absolute target starting again at the mount point. A path outside every mount (a prefix
   * above the mount point) is a directory as named if a mount point lies under it, else the host's.
   * Returns the resolved path, or the {@code -errno} as an Integer.
   */
  private Object realpath(String path) {
    String normalized = Path.of(path).normalize().toString();
    MountedFiles.Mounted file = files.mountedAt(normalized);
    if (file == null) {
      return files.holdsMount(normalized) ? normalized : hostRealpath(normalized);
    }
    Object resolved = paths.resolveLinks(file);
    return resolved instanceof MountedFiles.Mounted at ? at.absolute() : resolved;
  }

  /** The host's {@code realpath}, through the JDK, its exception turned back into the errno. */
  private static Object hostRealpath(String path) {
    try {
      return Path.of(path).toRealPath().toString();
    } catch (NoSuchFileException e) {
      return -Errno.ENOENT;
    } catch (AccessDeniedException e) {
      return -Errno.EACCES;
    } catch (FileSystemException e) {
      String reason = String.valueOf(e.getReason());
      for (int errno = 1; errno <= LAST_ERRNO; errno++) {
        if (reason.startsWith(Errno.message(errno))) {
          return -errno;
        }
      }
      return -Errno.EIO;
    } catch (IOException e) {
      return -Errno.EIO;
    }
  }

  /**
   * As {@code collapse} in the JDK's {@code canonicalize_md.c}: removes each {@code .} name, and
   * each {@code ..} with the name before it; a {@code ..} with no name before it stays, and a path
   * of one name is left as it is.
   */
  static String collapse(String path) {
    String[] names = path.substring(1).split("/", -1);
    boolean dots = false;
    for (String name : names) {
      dots |= name.equals(".") || name.equals("..");
    }
    if (!dots || names.length < 2) {
      return path;
    }
    for (int i = 0; i < names.length; i++) {
      if (".".equals(names[i])) {
        names[i] = null;
      } else if ("..".equals(names[i])) {
        int j = i - 1;
        while (j >= 0 && names[j] == null) {
          j--;
        }
        if (j >= 0) {
          names[j] = null;
          names[i] = null;
        }
      }
    }
    StringBuilder out = new StringBuilder();
    for (String name : names) {
      if (name != null) {
        out.append('/').append(name);
      }
    }
    return out.length() == 0 ? "/" : out.toString();
  }
}
