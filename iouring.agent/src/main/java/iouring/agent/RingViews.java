package iouring.agent;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.Opcodes;
import iouring.api.spi.VfsCapability;
import iouring.api.spi.VfsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.DosFileAttributes;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The attribute views of a mounted file, as {@code sun.nio.fs.UnixFileAttributeViews} and {@code
 * FileOwnerAttributeViewImpl} are for host files: {@code basic}, {@code posix}, {@code unix} and
 * {@code owner}, by class and by name. Reads are one STATX each; io_uring has no opcode to set
 * times, modes or owners (utimensat, fchmodat, fchownat), so those go to the mount's provider
 * ({@code utimens}, {@code chmod}, {@code chown}), after the STATX that stands for the JDK's open
 * of the file where the JDK opens it. A view touches no file until a method is called, as the
 * JDK's.
 */
final class RingViews {
  /** From 22 the JDK opens a file for {@code chmod} without following links without O_NOFOLLOW. */
  static final boolean CHMOD_FOLLOWS = Runtime.version().feature() >= 22;

  /** Before 24 the JDK sets a symlink's own times with lutimes, in microseconds. */
  static final boolean LINK_TIMES_IN_MICROS = Runtime.version().feature() < 24;

  private static final Set<String> BASIC_NAMES =
      Set.of(
          "size",
          "creationTime",
          "lastAccessTime",
          "lastModifiedTime",
          "fileKey",
          "isDirectory",
          "isRegularFile",
          "isSymbolicLink",
          "isOther");
  private static final Set<String> POSIX_NAMES =
      union(BASIC_NAMES, "permissions", "owner", "group");
  private static final Set<String> UNIX_NAMES =
      union(POSIX_NAMES, "mode", "ino", "dev", "rdev", "nlink", "uid", "gid", "ctime");

  private RingViews() {}

  private static Set<String> union(Set<String> base, String... more) {
    Set<String> all = new HashSet<>(base);
    all.addAll(Set.of(more));
    return Set.copyOf(all);
  }

  /** A change the provider makes to a file. */
  interface Change {
    void run() throws VfsException;
  }

  /** What {@code Files.readAttributes(Path, String)} and {@code setAttribute} use of a view. */
  interface Dynamic {
    void setAttribute(String attribute, Object value) throws IOException;

    Map<String, Object> readAttributes(String[] attributes) throws IOException;
  }

  /** Returns the view of a class the JDK's Unix provider serves, or null for any other. */
  static Object byClass(
      MountedPaths paths, Path path, MountedFiles.Mounted file, Class<?> type, boolean follow) {
    if (type == BasicFileAttributeView.class) {
      return new Basic(paths, path, file, follow);
    } else if (type == PosixFileAttributeView.class) {
      return new Posix(paths, path, file, follow);
    } else if (type == FileOwnerAttributeView.class) {
      return new Owner(new Posix(paths, path, file, follow));
    } else if (type == UserDefinedFileAttributeView.class && hasXattrs(file)) {
      return new User(paths, path, file, follow);
    } else if (type == DosFileAttributeView.class && hasXattrs(file)) {
      return new Dos(paths, path, file, follow);
    }
    return null;
  }

  /**
   * Whether the mount's provider keeps extended attributes: then the {@code user} view is the
   * agent's; else it is declined and reaches the host, as before there was one.
   */
  static boolean hasXattrs(MountedFiles.Mounted file) {
    return file.provider().capabilities().contains(VfsCapability.XATTRS);
  }

  /** Returns the view of a name the JDK's Unix provider serves, or null for any other. */
  static Dynamic byName(
      MountedPaths paths, Path path, MountedFiles.Mounted file, String name, boolean follow) {
    return switch (name) {
      case "basic" -> new Basic(paths, path, file, follow);
      case "posix" -> new Posix(paths, path, file, follow);
      case "unix" -> new Unix(paths, path, file, follow);
      case "owner" -> new Owner(new Posix(paths, path, file, follow));
      case "user" -> new User(paths, path, file, follow);
      case "dos" -> new Dos(paths, path, file, follow);
      default -> null;
    };
  }

  /** The JDK's {@code AttributesBuilder}: checks the names asked for, then collects values. */
  private static final class Builder {
    private final Set<String> names = new HashSet<>();
    private final Map<String, Object> map = new HashMap<>();
    private boolean all;

    Builder(Set<String> allowed, String[] requested) {
      for (String name : requested) {
        if (name.equals("*")) {
          all = true;
        } else if (!allowed.contains(name)) {
          throw new IllegalArgumentException("'" + name + "' not recognized");
        } else {
          names.add(name);
        }
      }
    }

    void add(String name, Object value) {
      if (all || names.contains(name)) {
        map.put(name, value);
      }
    }

    Map<String, Object> build() {
      return Collections.unmodifiableMap(map);
    }
  }

  /** What every view is of: a path under a mount, followed to its target or not. */
  abstract static class Of {
    final MountedPaths paths;
    final Path path;
    final MountedFiles.Mounted file;
    final boolean follow;

    Of(MountedPaths paths, Path path, MountedFiles.Mounted file, boolean follow) {
      this.paths = paths;
      this.path = path;
      this.file = file;
      this.follow = follow;
    }
  }

  /** {@code basic}: STATX to read; the provider's {@code utimens} to set times. */
  static class Basic extends Of implements BasicFileAttributeView, Dynamic {
    Basic(MountedPaths paths, Path path, MountedFiles.Mounted file, boolean follow) {
      super(paths, path, file, follow);
    }

    @Override
    public String name() {
      return "basic";
    }

    @Override
    public RingAttributes readAttributes() throws IOException {
      return paths.attributesOrThrow(path, file, follow, false, true);
    }

    /**
     * As {@code UnixFileAttributeViews.Basic.setTimes}: the JDK opens the file (following links or
     * not), which the STATX stands for, reads the times it keeps when one is null, then sets both.
     * A symlink's own times are microseconds before JDK 24 (lutimes). The JDK's native code splits
     * a time into seconds and a remainder with C's division, so a time before the epoch that is not
     * a whole second has a negative remainder, which Linux refuses with EINVAL; the JDK then sets
     * every time before the epoch to the epoch, and so does this view.
     */
    @Override
    public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime)
        throws IOException {
      if (lastModifiedTime == null && lastAccessTime == null) {
        return;
      }
      Object stat = paths.stat(file, follow);
      if (stat instanceof Integer res) {
        throw Errors.forPath(res, path.toString());
      }
      RingAttributes attributes = (RingAttributes) stat;
      FileTime modified =
          lastModifiedTime != null ? lastModifiedTime : attributes.lastModifiedTime();
      FileTime accessed = lastAccessTime != null ? lastAccessTime : attributes.lastAccessTime();
      TimeUnit unit =
          LINK_TIMES_IN_MICROS && !follow && attributes.isSymbolicLink()
              ? TimeUnit.MICROSECONDS
              : TimeUnit.NANOSECONDS;
      long perSecond = unit.convert(1, TimeUnit.SECONDS);
      long mod = modified.to(unit);
      long acc = accessed.to(unit);
      if ((mod < 0 && mod % perSecond != 0) || (acc < 0 && acc % perSecond != 0)) {
        mod = Math.max(mod, 0);
        acc = Math.max(acc, 0);
      }
      long modNanos = unit.toNanos(mod);
      long accNanos = unit.toNanos(acc);
      provider(() -> file.provider().utimens(file.relative(), accNanos, modNanos, follow));
    }

    /** Runs a provider call for this file; its errno becomes the JDK's exception. */
    final void provider(Change change) throws IOException {
      try {
        paths
            .io()
            .direct(
                () -> {
                  change.run();
                  return null;
                });
      } catch (VfsException e) {
        throw Errors.forPath(-e.errno(), path.toString());
      }
    }

    @Override
    public void setAttribute(String attribute, Object value) throws IOException {
      switch (attribute) {
        case "lastModifiedTime" -> setTimes((FileTime) value, null, null);
        case "lastAccessTime" -> setTimes(null, (FileTime) value, null);
        case "creationTime" -> setTimes(null, null, (FileTime) value);
        default ->
            throw new IllegalArgumentException("'" + name() + ":" + attribute + "' not recognized");
      }
    }

    @Override
    public Map<String, Object> readAttributes(String[] requested) throws IOException {
      Builder builder = new Builder(BASIC_NAMES, requested);
      addBasic(readAttributes(), builder);
      return builder.build();
    }

    static void addBasic(BasicFileAttributes a, Builder builder) {
      builder.add("size", a.size());
      builder.add("creationTime", a.creationTime());
      builder.add("lastAccessTime", a.lastAccessTime());
      builder.add("lastModifiedTime", a.lastModifiedTime());
      builder.add("fileKey", a.fileKey());
      builder.add("isDirectory", a.isDirectory());
      builder.add("isRegularFile", a.isRegularFile());
      builder.add("isSymbolicLink", a.isSymbolicLink());
      builder.add("isOther", a.isOther());
    }
  }

  /** {@code posix}: permissions through the provider's {@code chmod}, owners its {@code chown}. */
  static class Posix extends Basic implements PosixFileAttributeView {
    Posix(MountedPaths paths, Path path, MountedFiles.Mounted file, boolean follow) {
      super(paths, path, file, follow);
    }

    @Override
    public String name() {
      return "posix";
    }

    @Override
    @SuppressWarnings("unchecked")
    public void setAttribute(String attribute, Object value) throws IOException {
      switch (attribute) {
        case "permissions" -> setPermissions((Set<PosixFilePermission>) value);
        case "owner" -> setOwner((UserPrincipal) value);
        case "group" -> setGroup((GroupPrincipal) value);
        default -> super.setAttribute(attribute, value);
      }
    }

    @Override
    public Map<String, Object> readAttributes(String[] requested) throws IOException {
      Builder builder = new Builder(POSIX_NAMES, requested);
      addPosix(readAttributes(), builder);
      return builder.build();
    }

    static void addPosix(RingAttributes a, Builder builder) {
      addBasic(a, builder);
      builder.add("permissions", a.permissions());
      builder.add("owner", a.owner());
      builder.add("group", a.group());
    }

    /**
     * As {@code setMode}: {@code chmod} when following links. Without, the JDK opens the file and
     * uses {@code fchmod}: up to 21 with O_NOFOLLOW, so a symlink is ELOOP; from 22 the flag is
     * passed where the mode goes, so the open follows the link, and so does this view.
     */
    final void setMode(int mode) throws IOException {
      boolean followed = follow || CHMOD_FOLLOWS;
      if (!follow) {
        Object stat = paths.stat(file, followed);
        if (stat instanceof Integer res) {
          throw Errors.forPath(res, path.toString());
        } else if (((RingAttributes) stat).isSymbolicLink()) {
          throw Errors.forPath(-Errno.ELOOP, path.toString());
        }
      }
      provider(() -> file.provider().chmod(file.relative(), mode, followed));
    }

    /** As {@code setOwners}: {@code chown}, or {@code lchown} without following links. */
    final void setOwners(int uid, int gid) throws IOException {
      provider(() -> file.provider().chown(file.relative(), uid, gid, follow));
    }

    @Override
    public void setPermissions(Set<PosixFilePermission> perms) throws IOException {
      int mode = 0;
      for (PosixFilePermission perm : perms) {
        if (perm == null) {
          throw new NullPointerException();
        }
        mode |= 0400 >> perm.ordinal(); // OWNER_READ first, as 0400
      }
      setMode(mode);
    }

    @Override
    public void setOwner(UserPrincipal owner) throws IOException {
      setOwners(Principals.uid(owner), -1);
    }

    @Override
    public UserPrincipal getOwner() throws IOException {
      return readAttributes().owner();
    }

    @Override
    public void setGroup(GroupPrincipal group) throws IOException {
      setOwners(-1, Principals.gid(group));
    }
  }

  /** {@code unix}: the POSIX attributes and the rest of {@code struct stat}, by name only. */
  static final class Unix extends Posix {
    Unix(MountedPaths paths, Path path, MountedFiles.Mounted file, boolean follow) {
      super(paths, path, file, follow);
    }

    @Override
    public String name() {
      return "unix";
    }

    @Override
    public void setAttribute(String attribute, Object value) throws IOException {
      switch (attribute) {
        case "mode" -> setMode((Integer) value);
        case "uid" -> setOwners((Integer) value, -1);
        case "gid" -> setOwners(-1, (Integer) value);
        default -> super.setAttribute(attribute, value);
      }
    }

    @Override
    public Map<String, Object> readAttributes(String[] requested) throws IOException {
      Builder builder = new Builder(UNIX_NAMES, requested);
      RingAttributes a = readAttributes();
      addPosix(a, builder);
      builder.add("mode", a.mode());
      builder.add("ino", a.ino());
      builder.add("dev", a.dev());
      builder.add("rdev", a.rdev());
      builder.add("nlink", a.nlink());
      builder.add("uid", a.uid());
      builder.add("gid", a.gid());
      builder.add("ctime", a.ctime());
      return builder.build();
    }
  }

  /** {@code owner}, over the POSIX view, as {@code FileOwnerAttributeViewImpl}. */
  static final class Owner implements FileOwnerAttributeView, Dynamic {
    private final Posix view;

    Owner(Posix view) {
      this.view = view;
    }

    @Override
    public String name() {
      return "owner";
    }

    @Override
    public UserPrincipal getOwner() throws IOException {
      return view.readAttributes().owner();
    }

    @Override
    public void setOwner(UserPrincipal owner) throws IOException {
      view.setOwner(owner);
    }

    @Override
    public void setAttribute(String attribute, Object value) throws IOException {
      if (!attribute.equals("owner")) {
        throw new IllegalArgumentException("'" + name() + ":" + attribute + "' not recognized");
      }
      setOwner((UserPrincipal) value);
    }

    @Override
    public Map<String, Object> readAttributes(String[] attributes) throws IOException {
      Map<String, Object> result = new HashMap<>();
      for (String attribute : attributes) {
        if (!attribute.equals("*") && !attribute.equals("owner")) {
          throw new IllegalArgumentException("'" + name() + ":" + attribute + "' not recognized");
        }
        result.put("owner", getOwner());
      }
      return result;
    }
  }

  /**
   * {@code user}: the extended attributes of the {@code user.} namespace, as the JDK's {@code
   * LinuxUserDefinedFileAttributeView} reaches them: each call opens the file ({@code O_RDONLY},
   * with {@code O_NOFOLLOW} unless following links: an {@code OPENAT} SQE), works on the open file
   * and closes it. Values are read and written by {@code FGETXATTR} and {@code FSETXATTR} SQEs;
   * io_uring has no opcode to list or remove attributes, so those go to the mount's provider
   * ({@code listxattr}, {@code removexattr}). Messages are the JDK's.
   */
  static final class User extends Of implements UserDefinedFileAttributeView, Dynamic {
    private static final String PREFIX = "user.";

    /** Linux's {@code XATTR_NAME_MAX}, the JDK's {@code maxNameLength()} on Linux. */
    private static final int NAME_MAX = 255;

    User(MountedPaths paths, Path path, MountedFiles.Mounted file, boolean follow) {
      super(paths, path, file, follow);
    }

    @Override
    public String name() {
      return "user";
    }

    /** The JDK's {@code openForAttributeAccess}, its failure rethrown as the JDK rethrows it. */
    int open() throws IOException {
      int flags = FileFlags.O_RDONLY | (follow ? 0 : FileFlags.O_NOFOLLOW);
      int fd =
          paths
              .io()
              .submitPath(
                  Opcodes.IORING_OP_OPENAT,
                  file.absolute(),
                  (sqe, address) -> sqe.prepOpenat(FileFlags.AT_FDCWD, address, flags, 0));
      if (fd < 0) {
        throw Errors.forPath(fd, path.toString());
      }
      return fd;
    }

    void close(int fd) {
      try {
        paths.io().close(fd, file.absolute());
      } catch (IOException e) {
        // as the JDK's close of the attribute fd: a failure changes nothing it reports
      }
    }

    /** The JDK's {@code nameAsBytes}: the full name, or its errors, after the open. */
    private String fullName(String name) throws FileSystemException {
      if (name == null) {
        throw new NullPointerException("'name' is null");
      }
      String full = PREFIX + name;
      if (full.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
        throw new FileSystemException(path.toString(), null, "'" + full + "' is too big");
      }
      return full;
    }

    private FileSystemException failure(String what, int res) {
      return new FileSystemException(path.toString(), null, what + Errno.message(-res));
    }

    /** An xattr SQE on the open fd, with the name as a C string in the process's memory. */
    int xattr(int fd, String fullName, ByteBuffer value, boolean set) {
      RingIo io = paths.io();
      long name = io.memory().map(RingIo.cString(fullName));
      long buffer = value == null ? 0 : io.memory().map(value);
      long at = value == null ? 0 : buffer + value.position();
      int len = value == null ? 0 : value.remaining();
      try {
        return io.submit(
            set ? Opcodes.IORING_OP_FSETXATTR : Opcodes.IORING_OP_FGETXATTR,
            file.absolute(),
            0,
            len,
            sqe -> {
              if (set) {
                sqe.prepFsetxattr(fd, name, at, 0, len);
              } else {
                sqe.prepFgetxattr(fd, name, at, len);
              }
            });
      } finally {
        if (value != null) {
          io.memory().unmap(buffer);
        }
        io.memory().unmap(name);
      }
    }

    @Override
    public List<String> list() throws IOException {
      int fd = open();
      try {
        List<String> all;
        try {
          all = paths.io().direct(() -> file.provider().listxattr(file.relative(), follow));
        } catch (VfsException e) {
          throw failure("Unable to get list of extended attributes: ", -e.errno());
        }
        List<String> user = new ArrayList<>();
        for (String name : all) {
          if (name.startsWith(PREFIX)) {
            user.add(name.substring(PREFIX.length()));
          }
        }
        return Collections.unmodifiableList(user);
      } finally {
        close(fd);
      }
    }

    @Override
    public int size(String name) throws IOException {
      int fd = open();
      try {
        int res = xattr(fd, fullName(name), null, false);
        if (res < 0) {
          throw failure("Unable to get size of extended attribute '" + name + "': ", res);
        }
        return res;
      } finally {
        close(fd);
      }
    }

    @Override
    public int read(String name, ByteBuffer dst) throws IOException {
      if (dst.isReadOnly()) {
        throw new IllegalArgumentException("Read-only buffer");
      }
      int pos = dst.position();
      int fd = open();
      try {
        int res = xattr(fd, fullName(name), dst, false);
        if (res > 0 && !dst.hasRemaining()) {
          res = -Errno.ERANGE; // asked into no room: the size came back, the value does not fit
        }
        if (res < 0) {
          String why = res == -Errno.ERANGE ? "Insufficient space in buffer" : Errno.message(-res);
          throw new FileSystemException(
              path.toString(), null, "Error reading extended attribute '" + name + "': " + why);
        }
        dst.position(pos + res);
        return res;
      } finally {
        close(fd);
      }
    }

    @Override
    public int write(String name, ByteBuffer src) throws IOException {
      int pos = src.position();
      int rem = src.remaining();
      int fd = open();
      try {
        int res = xattr(fd, fullName(name), src, true);
        if (res < 0) {
          throw failure("Error writing extended attribute '" + name + "': ", res);
        }
        src.position(pos + rem);
        return rem;
      } finally {
        close(fd);
      }
    }

    @Override
    public void delete(String name) throws IOException {
      int fd = open();
      try {
        String full = fullName(name);
        try {
          paths
              .io()
              .direct(
                  () -> {
                    file.provider().removexattr(file.relative(), full, follow);
                    return null;
                  });
        } catch (VfsException e) {
          throw failure("Unable to delete extended attribute '" + name + "': ", -e.errno());
        }
      } finally {
        close(fd);
      }
    }

    /** As {@code AbstractUserDefinedFileAttributeView.setAttribute}: a write of the value. */
    @Override
    public void setAttribute(String attribute, Object value) throws IOException {
      write(attribute, value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : (ByteBuffer) value);
    }

    /** As {@code AbstractUserDefinedFileAttributeView.readAttributes}: each value read in full. */
    @Override
    public Map<String, Object> readAttributes(String[] attributes) throws IOException {
      List<String> names = new ArrayList<>();
      for (String name : attributes) {
        if (name.equals("*")) {
          names = list();
          break;
        }
        if (name.isEmpty()) {
          throw new IllegalArgumentException();
        }
        names.add(name);
      }
      Map<String, Object> result = new HashMap<>();
      for (String name : names) {
        int size = size(name);
        byte[] buf = new byte[size];
        int n = read(name, ByteBuffer.wrap(buf));
        result.put(name, n == size ? buf : Arrays.copyOf(buf, n));
      }
      return result;
    }
  }

  /**
   * {@code dos}: the JDK's {@code LinuxDosFileAttributeView}, which keeps the four DOS bits in the
   * {@code user.DOSATTRIB} attribute as text ({@code 0x20}, NUL-terminated) and the rest in the
   * file's status: an {@code OPENAT} as the JDK's open, a STATX, {@code FGETXATTR} and, to change a
   * bit, {@code FSETXATTR}. Served where the mount's provider keeps extended attributes.
   */
  static final class Dos extends Of implements DosFileAttributeView, Dynamic {
    private static final String XATTR = "user.DOSATTRIB";
    private static final int READONLY = 0x01;
    private static final int HIDDEN = 0x02;
    private static final int SYSTEM = 0x04;
    private static final int ARCHIVE = 0x20;
    private static final Set<String> NAMES =
        union(BASIC_NAMES, "readonly", "archive", "system", "hidden");

    private final Basic basic;
    private final User xattrs;

    Dos(MountedPaths paths, Path path, MountedFiles.Mounted file, boolean follow) {
      super(paths, path, file, follow);
      this.basic = new Basic(paths, path, file, follow);
      this.xattrs = new User(paths, path, file, follow);
    }

    @Override
    public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime)
        throws IOException {
      basic.setTimes(lastModifiedTime, lastAccessTime, createTime);
    }

    @Override
    public String name() {
      return "dos";
    }

    /** The JDK's {@code getDosAttribute}: the bits, 0 without the attribute. */
    private int bits(int fd) throws IOException {
      ByteBuffer value = ByteBuffer.allocateDirect(24);
      int len = xattrs.xattr(fd, XATTR, value, false);
      if (len == -Errno.ENODATA) {
        return 0;
      }
      if (len < 0) {
        throw Errors.forPath(len, path.toString());
      }
      if (len > 0) {
        byte[] bytes = new byte[len];
        value.get(0, bytes);
        String text =
            new String(bytes, 0, bytes[len - 1] == 0 ? len - 1 : len, StandardCharsets.UTF_8);
        if (text.length() >= 3 && text.startsWith("0x")) {
          try {
            return Integer.parseInt(text.substring(2), 16);
          } catch (NumberFormatException e) {
            // falls through to the JDK's complaint
          }
        }
      }
      // The JDK's UnixException without an errno, which it rethrows as a plain IOException.
      throw new IOException("Value of " + XATTR + " attribute is invalid");
    }

    @Override
    public DosFileAttributes readAttributes() throws IOException {
      int fd = xattrs.open();
      try {
        RingAttributes attributes = basic.readAttributes();
        return new DosAttributes(attributes, bits(fd));
      } finally {
        xattrs.close(fd);
      }
    }

    /** The JDK's {@code updateDosAttribute}: read the bits, write them back if they change. */
    private void update(int flag, boolean enable) throws IOException {
      int fd = xattrs.open();
      try {
        int old = bits(fd);
        int bits = enable ? old | flag : old & ~flag;
        if (bits != old) {
          byte[] text = ("0x" + Integer.toHexString(bits)).getBytes(StandardCharsets.UTF_8);
          ByteBuffer value = ByteBuffer.allocateDirect(text.length + 1).put(text).put((byte) 0);
          int res = xattrs.xattr(fd, XATTR, value.flip(), true);
          if (res < 0) {
            throw Errors.forPath(res, path.toString());
          }
        }
      } finally {
        xattrs.close(fd);
      }
    }

    @Override
    public void setReadOnly(boolean value) throws IOException {
      update(READONLY, value);
    }

    @Override
    public void setHidden(boolean value) throws IOException {
      update(HIDDEN, value);
    }

    @Override
    public void setSystem(boolean value) throws IOException {
      update(SYSTEM, value);
    }

    @Override
    public void setArchive(boolean value) throws IOException {
      update(ARCHIVE, value);
    }

    @Override
    public void setAttribute(String attribute, Object value) throws IOException {
      switch (attribute) {
        case "readonly" -> setReadOnly((Boolean) value);
        case "archive" -> setArchive((Boolean) value);
        case "system" -> setSystem((Boolean) value);
        case "hidden" -> setHidden((Boolean) value);
        case "lastModifiedTime", "lastAccessTime", "creationTime" ->
            basic.setAttribute(attribute, value);
        default ->
            throw new IllegalArgumentException("'" + name() + ":" + attribute + "' not recognized");
      }
    }

    @Override
    public Map<String, Object> readAttributes(String[] requested) throws IOException {
      Builder builder = new Builder(NAMES, requested);
      DosFileAttributes a = readAttributes();
      Basic.addBasic(a, builder);
      builder.add("readonly", a.isReadOnly());
      builder.add("archive", a.isArchive());
      builder.add("system", a.isSystem());
      builder.add("hidden", a.isHidden());
      return builder.build();
    }

    /** A file's basic attributes and its DOS bits. */
    private record DosAttributes(BasicFileAttributes basic, int bits) implements DosFileAttributes {
      @Override
      public FileTime lastModifiedTime() {
        return basic.lastModifiedTime();
      }

      @Override
      public FileTime lastAccessTime() {
        return basic.lastAccessTime();
      }

      @Override
      public FileTime creationTime() {
        return basic.creationTime();
      }

      @Override
      public boolean isRegularFile() {
        return basic.isRegularFile();
      }

      @Override
      public boolean isDirectory() {
        return basic.isDirectory();
      }

      @Override
      public boolean isSymbolicLink() {
        return basic.isSymbolicLink();
      }

      @Override
      public boolean isOther() {
        return basic.isOther();
      }

      @Override
      public long size() {
        return basic.size();
      }

      @Override
      public Object fileKey() {
        return basic.fileKey();
      }

      @Override
      public boolean isReadOnly() {
        return (bits & READONLY) != 0;
      }

      @Override
      public boolean isHidden() {
        return (bits & HIDDEN) != 0;
      }

      @Override
      public boolean isArchive() {
        return (bits & ARCHIVE) != 0;
      }

      @Override
      public boolean isSystem() {
        return (bits & SYSTEM) != 0;
      }
    }
  }
}
