package iouring.agent;

import static iouring.api.abi.FileFlags.S_IFDIR;
import static iouring.api.abi.FileFlags.S_IFLNK;
import static iouring.api.abi.FileFlags.S_IFMT;
import static iouring.api.abi.FileFlags.S_IFREG;

import iouring.api.abi.Statx;
import java.nio.ByteBuffer;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * The attributes of a mounted file, read from the {@code struct statx} a STATX SQE filled, as
 * {@code sun.nio.fs.UnixFileAttributes} reads them from {@code stat}. The owner and group are named
 * by their numeric ids: the emulated process has no user database to look names up in.
 */
final class RingAttributes implements PosixFileAttributes {
  /** Up to JDK 21 the JDK's creation time on Linux is the modification time; 22 reads btime. */
  private static final boolean BIRTH_TIME = Runtime.version().feature() >= 22;

  /** JDK 25 answers permissions in an EnumSet; earlier JDKs in a HashSet. */
  private static final boolean ENUM_SET_PERMISSIONS = Runtime.version().feature() >= 25;

  private final int mask;
  private final int mode;
  private final int nlink;
  private final int uid;
  private final int gid;
  private final long size;
  private final FileTime accessed;
  private final FileTime modified;
  private final FileTime changed;
  private final FileTime created;
  private final long dev;
  private final long rdev;
  private final Key key;

  /** The file key: device and inode, as the JDK's {@code UnixFileKey}. */
  record Key(long device, long inode) {}

  /** A user named by its numeric id. */
  record User(int uid) implements UserPrincipal {
    @Override
    public String getName() {
      return Integer.toUnsignedString(uid);
    }

    @Override
    public String toString() {
      return getName();
    }
  }

  /** A group named by its numeric id. */
  record Group(int gid) implements GroupPrincipal {
    @Override
    public String getName() {
      return Integer.toUnsignedString(gid);
    }

    @Override
    public String toString() {
      return getName();
    }
  }

  RingAttributes(ByteBuffer statx) {
    mask = statx.getInt(Statx.OFF_STX_MASK);
    mode = statx.getShort(Statx.OFF_STX_MODE) & 0xffff;
    nlink = statx.getInt(Statx.OFF_STX_NLINK);
    uid = statx.getInt(Statx.OFF_STX_UID);
    gid = statx.getInt(Statx.OFF_STX_GID);
    size = statx.getLong(Statx.OFF_STX_SIZE);
    accessed = time(statx, Statx.OFF_STX_ATIME);
    modified = time(statx, Statx.OFF_STX_MTIME);
    changed = time(statx, Statx.OFF_STX_CTIME);
    created =
        BIRTH_TIME && (mask & Statx.STATX_BTIME) != 0 ? time(statx, Statx.OFF_STX_BTIME) : modified;
    int major = statx.getInt(Statx.OFF_STX_DEV_MAJOR);
    int minor = statx.getInt(Statx.OFF_STX_DEV_MINOR);
    dev = makedev(major, minor);
    rdev = makedev(statx.getInt(Statx.OFF_STX_RDEV_MAJOR), statx.getInt(Statx.OFF_STX_RDEV_MINOR));
    key = new Key(((long) major << 32) | (minor & 0xffffffffL), statx.getLong(Statx.OFF_STX_INO));
  }

  /** glibc's {@code makedev}: the {@code dev_t} that {@code stat} reports and the JDK keeps. */
  static long makedev(int major, int minor) {
    long ma = major & 0xffffffffL;
    long mi = minor & 0xffffffffL;
    return ((ma & 0xfffff000L) << 32)
        | ((ma & 0xfffL) << 8)
        | ((mi & 0xffffff00L) << 12)
        | (mi & 0xffL);
  }

  private static FileTime time(ByteBuffer statx, int offset) {
    long seconds = statx.getLong(offset + Statx.OFF_TS_TV_SEC);
    int nanos = statx.getInt(offset + Statx.OFF_TS_TV_NSEC);
    return FileTime.from(Instant.ofEpochSecond(seconds, nanos));
  }

  /** Returns {@code st_mode}: type and permission bits, as {@code unix:mode}. */
  int mode() {
    return mode;
  }

  int nlink() {
    return nlink;
  }

  int uid() {
    return uid;
  }

  int gid() {
    return gid;
  }

  long ino() {
    return key.inode();
  }

  long dev() {
    return dev;
  }

  long rdev() {
    return rdev;
  }

  /** Returns the status change time, as {@code unix:ctime}. */
  FileTime ctime() {
    return changed;
  }

  @Override
  public FileTime lastModifiedTime() {
    return modified;
  }

  @Override
  public FileTime lastAccessTime() {
    return accessed;
  }

  @Override
  public FileTime creationTime() {
    return created;
  }

  @Override
  public boolean isRegularFile() {
    return (mode & S_IFMT) == S_IFREG;
  }

  @Override
  public boolean isDirectory() {
    return (mode & S_IFMT) == S_IFDIR;
  }

  @Override
  public boolean isSymbolicLink() {
    return (mode & S_IFMT) == S_IFLNK;
  }

  @Override
  public boolean isOther() {
    return !isRegularFile() && !isDirectory() && !isSymbolicLink();
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public Object fileKey() {
    return key;
  }

  @Override
  public UserPrincipal owner() {
    return new User(uid);
  }

  @Override
  public GroupPrincipal group() {
    return new Group(gid);
  }

  @Override
  public Set<PosixFilePermission> permissions() {
    // The JDK's kind of set, whose order shows when it is printed: an EnumSet from 25, a HashSet
    // before.
    Set<PosixFilePermission> permissions =
        ENUM_SET_PERMISSIONS ? EnumSet.noneOf(PosixFilePermission.class) : new HashSet<>();
    PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ first, as 0400
    for (int i = 0; i < all.length; i++) {
      if ((mode & (0400 >> i)) != 0) {
        permissions.add(all[i]);
      }
    }
    return permissions;
  }
}
