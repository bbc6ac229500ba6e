package iouring.vfs.memory;

import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsStat;

/**
 * A file of the memory provider, whatever its kind, with what {@code struct inode} holds: number,
 * type and permissions, owner, link count, timestamps and extended attributes.
 *
 * <p>The link count changes only under the provider's namespace lock; timestamps are volatile so
 * that data I/O can move them without that lock. Two writes racing on a timestamp may leave either
 * value, which Linux allows as well. Mode, owner and group change under the namespace lock too
 * ({@code chmod}, {@code chown}), and are volatile for the readers that do not hold it.
 */
abstract class Inode {
  /** Where relatime stops skipping atime updates: once a day, as Linux. */
  private static final long DAY_NANOS = 24L * 3600 * 1_000_000_000L;

  final SuperBlock sb;
  private final long ino;
  private volatile int mode;
  private volatile int uid;
  private volatile int gid;
  private final long btime;
  private final Xattrs xattrs = new Xattrs();
  private volatile int nlink;
  private volatile long atime;
  private volatile long mtime;
  private volatile long ctime;

  /**
   * Creates an inode with every timestamp now.
   *
   * @param sb the provider's shared state
   * @param type the {@code S_IF*} type
   * @param permissions the permission bits, of which only {@code 07777} is kept
   * @param nlink the initial link count
   */
  Inode(SuperBlock sb, int type, int permissions, int nlink) {
    this.sb = sb;
    this.ino = sb.newIno();
    this.mode = type | (permissions & 07777);
    this.nlink = nlink;
    long now = sb.now();
    this.btime = now;
    this.atime = now;
    this.mtime = now;
    this.ctime = now;
  }

  /** Returns the inode number. */
  final long ino() {
    return ino;
  }

  /** Returns the type and permission bits. */
  final int mode() {
    return mode;
  }

  /**
   * Sets the permission, set-id and sticky bits ({@code 07777}), keeping the type; records the
   * change. Callers hold the namespace lock.
   */
  final void permissions(int permissions) {
    mode = (mode & FileFlags.S_IFMT) | (permissions & 07777);
    changed();
  }

  /**
   * Sets owner and group, -1 keeping either, as {@code chown_common}: a file that is not a
   * directory loses its set-user-id bit, and its set-group-id bit if it is group-executable, even
   * when root changes nothing. Callers hold the namespace lock.
   */
  final void owners(int newUid, int newGid) {
    if (newUid != -1) {
      uid = newUid;
    }
    if (newGid != -1) {
      gid = newGid;
    }
    int m = mode;
    if ((m & FileFlags.S_IFMT) != FileFlags.S_IFDIR) {
      m &= ~FileFlags.S_ISUID;
      if ((m & FileFlags.S_IXGRP) != 0) {
        m &= ~FileFlags.S_ISGID;
      }
      mode = m;
    }
    changed();
  }

  /**
   * Sets access and modification times, {@link VfsStat#NO_TIME} keeping either; records the change
   * unless both are kept, as {@code vfs_utimes}.
   */
  final void times(long atimeNanos, long mtimeNanos) {
    if (atimeNanos == VfsStat.NO_TIME && mtimeNanos == VfsStat.NO_TIME) {
      return;
    }
    if (atimeNanos != VfsStat.NO_TIME) {
      atime = atimeNanos;
    }
    if (mtimeNanos != VfsStat.NO_TIME) {
      mtime = mtimeNanos;
    }
    changed();
  }

  /** Returns the link count. */
  final int nlink() {
    return nlink;
  }

  /** Sets the link count; callers hold the namespace lock. */
  final void nlink(int value) {
    nlink = value;
  }

  /** Returns the extended attributes. */
  final Xattrs xattrs() {
    return xattrs;
  }

  /** Returns the size {@code stat} reports. */
  abstract long size();

  /** Returns the 512-byte blocks {@code stat} reports. */
  abstract long blocks();

  /** Records a change of the contents: mtime and ctime, as a write or truncate does. */
  final void modified() {
    long now = sb.now();
    mtime = now;
    ctime = now;
  }

  /** Records a change of the status only (links, name, attributes): ctime. */
  final void changed() {
    ctime = sb.now();
  }

  /**
   * Records an access the way Linux's default {@code relatime} mount option does: only when atime
   * is not newer than mtime or ctime, or is a day old, so that reads rarely write shared state. The
   * millisecond clock, a fraction of the cost of a nanosecond timestamp, rules out the common case
   * of a recent atime; only a possible update reads the nanosecond time.
   */
  final void accessed() {
    long a = atime;
    boolean stale = a <= mtime || a <= ctime;
    if (!stale && (sb.nowMillis() + 1) * 1_000_000L - a <= DAY_NANOS) {
      return; // even the last nanosecond of this millisecond is less than a day after atime
    }
    long now = sb.now();
    if (stale || now - a >= DAY_NANOS) {
      atime = now;
    }
  }

  /** Returns the file's status. */
  final VfsStat stat() {
    return VfsStat.builder()
        .mode(mode)
        .nlink(nlink)
        .uid(uid)
        .gid(gid)
        .size(size())
        .blocks(blocks())
        .blksize(FileData.PAGE_SIZE)
        .ino(ino)
        .dev(0, sb.devMinor())
        .times(atime, mtime, ctime)
        .btime(btime)
        .build();
  }

  /** Returns whether this is a directory. */
  final boolean isDirectory() {
    return (mode & FileFlags.S_IFMT) == FileFlags.S_IFDIR;
  }
}
