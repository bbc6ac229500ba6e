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
import java.util.Set;

/**
 * The attributes of a mounted file, read from the {@code struct statx} a STATX SQE filled, as
 * {@code sun.nio.fs.UnixFileAttributes} reads them from {@code stat}. The owner and group are named
 * by their numeric ids: the emulated process has no user database to look names up in.
 */
final class RingAttributes implements PosixFileAttributes {
  /** Up to JDK 21 the JDK's creation time on Linux is the modification time; 22 reads btime. */
  private static final boolean BIRTH_TIME = Runtime.version().feature() >= 22;

  private final int mask;
  private final int mode;
  private final int uid;
  private final int gid;
  private final long size;
  private final FileTime accessed;
  private final FileTime modified;
  private final FileTime created;
  private final Key key;

  /** The file key: device and inode, as the JDK's {@code UnixFileKey}. */
  record Key(long device, long inode) {}

  /** A user or group named by its numeric id. */
  record Principal(String getName) implements GroupPrincipal {
    @Override
    public String toString() {
      return getName;
    }
  }

  RingAttributes(ByteBuffer statx) {
    mask = statx.getInt(Statx.OFF_STX_MASK);
    mode = statx.getShort(Statx.OFF_STX_MODE) & 0xffff;
    uid = statx.getInt(Statx.OFF_STX_UID);
    gid = statx.getInt(Statx.OFF_STX_GID);
    size = statx.getLong(Statx.OFF_STX_SIZE);
    accessed = time(statx, Statx.OFF_STX_ATIME);
    modified = time(statx, Statx.OFF_STX_MTIME);
    created =
        BIRTH_TIME && (mask & Statx.STATX_BTIME) != 0 ? time(statx, Statx.OFF_STX_BTIME) : modified;
    long device =
        ((long) statx.getInt(Statx.OFF_STX_DEV_MAJOR) << 32)
            | (statx.getInt(Statx.OFF_STX_DEV_MINOR) & 0xffffffffL);
    key = new Key(device, statx.getLong(Statx.OFF_STX_INO));
  }

  private static FileTime time(ByteBuffer statx, int offset) {
    long seconds = statx.getLong(offset + Statx.OFF_TS_TV_SEC);
    int nanos = statx.getInt(offset + Statx.OFF_TS_TV_NSEC);
    return FileTime.from(Instant.ofEpochSecond(seconds, nanos));
  }

  int mode() {
    return mode;
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
    return new Principal(Integer.toUnsignedString(uid));
  }

  @Override
  public GroupPrincipal group() {
    return new Principal(Integer.toUnsignedString(gid));
  }

  @Override
  public Set<PosixFilePermission> permissions() {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ first, as 0400
    for (int i = 0; i < all.length; i++) {
      if ((mode & (0400 >> i)) != 0) {
        permissions.add(all[i]);
      }
    }
    return permissions;
  }
}
