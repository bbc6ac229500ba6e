package iouring.vfs.memory;

import static iouring.api.abi.FileFlags.O_ACCMODE;
import static iouring.api.abi.FileFlags.O_CREAT;
import static iouring.api.abi.FileFlags.O_DIRECTORY;
import static iouring.api.abi.FileFlags.O_EXCL;
import static iouring.api.abi.FileFlags.O_NOFOLLOW;
import static iouring.api.abi.FileFlags.O_RDONLY;
import static iouring.api.abi.FileFlags.O_TRUNC;

import iouring.api.abi.Errno;
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
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A file system in the heap, as tmpfs is one in the page cache: sparse regular files, directories,
 * symlinks, hard links, extended attributes and the {@code fallocate} modes, with Linux's errors.
 *
 * <p>One read-write lock per provider makes namespace operations atomic with respect to one
 * another: lookups share it, changes hold it alone. Reads and writes of open files never take it;
 * see {@link FileData} for how they stay correct in parallel.
 *
 * <p>Deviations from tmpfs: there are no permission checks (the process owns this file system, as
 * root would), so every file starts out belonging to uid 0 and gid 0 ({@code chown} changes that);
 * {@code O_TMPFILE} and {@code RENAME_WHITEOUT} are {@code EOPNOTSUPP} and {@code EINVAL}; {@code
 * FALLOC_FL_ZERO_RANGE}, which tmpfs lacks, works as on ext4; files stop at {@link #MAX_FILE_SIZE}
 * ({@code EFBIG}); only {@code user.} extended attributes exist; the size limit counts file data
 * only, in 4 KiB pages, never directories, symlinks or attributes.
 *
 * <p>Not final only so that the OSGi component can be one; it overrides nothing.
 */
public class MemoryProvider implements VfsProvider {
  /** The largest file, 2^46 bytes (64 TiB); a write or size past it is {@code EFBIG}. */
  public static final long MAX_FILE_SIZE = SuperBlock.MAX_FILE_SIZE;

  /** {@code __O_TMPFILE}, the bit that tells {@code O_TMPFILE} from {@code O_DIRECTORY}. */
  private static final int O_TMPFILE_BIT = 0x400000;

  private final SuperBlock sb;
  private final Directory root;
  private final ReentrantReadWriteLock namespace = new ReentrantReadWriteLock();
  private final PathWalker<Directory, Inode> walker;

  /** Creates an empty file system without a size limit, on the system clock. */
  public MemoryProvider() {
    this(0, Clock.systemUTC());
  }

  /**
   * Creates an empty file system.
   *
   * @param sizeLimit the most bytes of file data, counted in whole pages; 0 for no limit
   * @param clock the clock of every timestamp
   */
  public MemoryProvider(long sizeLimit, Clock clock) {
    this.sb = new SuperBlock(clock, sizeLimit);
    this.root = new Directory(sb, 01777, null); // tmpfs's default root mode
    this.walker = new PathWalker<>(new MemoryTree(root));
  }

  /**
   * Returns the bytes of file data allocated now, the quantity the size limit bounds.
   *
   * @return the allocated bytes, a multiple of the page size
   */
  public long allocatedBytes() {
    return sb.allocated();
  }

  @Override
  public Set<VfsCapability> capabilities() {
    return EnumSet.allOf(VfsCapability.class);
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
    Lock lock = create ? namespace.writeLock() : namespace.readLock();
    lock.lock();
    try {
      // O_EXCL never follows a final symlink: the link itself exists.
      Walk<Directory, Inode> w = walker.walk(path, !exclusive && (flags & O_NOFOLLOW) == 0);
      Inode node = w.node();
      boolean created = false;
      if (create) {
        if (w.last() != Last.NAME || w.mustBeDirectory()) {
          throw new VfsException(Errno.EISDIR, path);
        }
        if (node != null && exclusive) {
          throw new VfsException(Errno.EEXIST, path);
        }
        if (node == null) {
          node = new RegularFile(sb, mode);
          w.dir().put(w.name(), node);
          w.dir().modified();
          created = true;
        }
      } else if (node == null) {
        throw new VfsException(Errno.ENOENT, path);
      }
      if (node instanceof Symlink) {
        throw new VfsException(Errno.ELOOP, path + " is a symlink and O_NOFOLLOW is set");
      }
      if (node instanceof Directory) {
        // build_open_flags: O_TRUNC asks for write access, which a directory never grants.
        if (create || (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC) != 0) {
          throw new VfsException(Errno.EISDIR, path);
        }
        return new MemoryDirectoryFile((Directory) node);
      }
      if (w.mustBeDirectory() || (flags & O_DIRECTORY) != 0) {
        throw new VfsException(Errno.ENOTDIR, path);
      }
      RegularFile file = (RegularFile) node;
      // Linux truncates on O_TRUNC even with O_RDONLY, given write permission, which root has.
      if (!created && (flags & O_TRUNC) != 0 && file.data().truncate(0)) {
        file.modified();
      }
      file.opened();
      return new MemoryFile(file, flags);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public VfsStat stat(String path, boolean followLinks) throws VfsException {
    Lock lock = namespace.readLock();
    lock.lock();
    try {
      return existing(walker.walk(path, followLinks), path).stat();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void mkdir(String path, int mode) throws VfsException {
    Lock lock = namespace.writeLock();
    lock.lock();
    try {
      Walk<Directory, Inode> w = walker.walkParent(path);
      if (w.last() != Last.NAME || w.node() != null) {
        throw new VfsException(Errno.EEXIST, path);
      }
      Directory parent = w.dir();
      parent.put(w.name(), new Directory(sb, mode, parent));
      parent.nlink(parent.nlink() + 1); // the new directory's ".."
      parent.modified();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void unlink(String path) throws VfsException {
    Lock lock = namespace.writeLock();
    lock.lock();
    try {
      Walk<Directory, Inode> w = walker.walkParent(path);
      if (w.last() != Last.NAME) {
        throw new VfsException(Errno.EISDIR, path);
      }
      Inode node = existing(w, path);
      if (node instanceof Directory) {
        throw new VfsException(Errno.EISDIR, path);
      }
      w.dir().remove(w.name());
      w.dir().modified();
      dropLink(node);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void rmdir(String path) throws VfsException {
    Lock lock = namespace.writeLock();
    lock.lock();
    try {
      Walk<Directory, Inode> w = walker.walkParent(path);
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
      Inode node = existing(w, path);
      if (!(node instanceof Directory)) {
        throw new VfsException(Errno.ENOTDIR, path);
      }
      if (!((Directory) node).isEmpty()) {
        throw new VfsException(Errno.ENOTEMPTY, path);
      }
      w.dir().remove(w.name());
      w.dir().nlink(w.dir().nlink() - 1);
      w.dir().modified();
      dropLink(node);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void rename(String from, String to, int flags) throws VfsException {
    Rename.checkFlags(flags);
    Lock lock = namespace.writeLock();
    lock.lock();
    try {
      new Rename(walker.walkParent(from), walker.walkParent(to), flags, from, to).run();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<String> list(String path) throws VfsException {
    Lock lock = namespace.readLock();
    lock.lock();
    try {
      Inode node = existing(walker.walk(path, true), path);
      if (!(node instanceof Directory)) {
        throw new VfsException(Errno.ENOTDIR, path);
      }
      node.accessed();
      return ((Directory) node).names();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void symlink(String target, String linkPath) throws VfsException {
    ProviderPath.checkSymlinkTarget(target);
    Lock lock = namespace.writeLock();
    lock.lock();
    try {
      Walk<Directory, Inode> w = newName(walker.walkParent(linkPath), linkPath);
      w.dir().put(w.name(), new Symlink(sb, target));
      w.dir().modified();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String readlink(String path) throws VfsException {
    Lock lock = namespace.readLock();
    lock.lock();
    try {
      Inode node = existing(walker.walk(path, false), path);
      if (!(node instanceof Symlink)) {
        throw new VfsException(Errno.EINVAL, path + " is not a symlink");
      }
      node.accessed();
      return ((Symlink) node).target();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void link(String existing, String newPath) throws VfsException {
    Lock lock = namespace.writeLock();
    lock.lock();
    try {
      Walk<Directory, Inode> source = walker.walk(existing, false);
      Inode node = existing(source, existing);
      if (node instanceof Directory) {
        throw new VfsException(Errno.EPERM, existing + " is a directory");
      }
      Walk<Directory, Inode> w = newName(walker.walkParent(newPath), newPath);
      w.dir().put(w.name(), node);
      w.dir().modified();
      if (node instanceof RegularFile) {
        ((RegularFile) node).linked();
      } else {
        node.nlink(node.nlink() + 1);
        node.changed();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public byte[] getxattr(String path, String name, boolean followLinks) throws VfsException {
    XattrRules.checkCall(name, null, 0);
    Lock lock = namespace.readLock();
    lock.lock();
    try {
      Inode node = xattrTarget(walker.walk(path, followLinks), path, name, false);
      return node.xattrs().get(name);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void setxattr(String path, String name, byte[] value, int flags, boolean followLinks)
      throws VfsException {
    XattrRules.checkCall(name, value, flags);
    Lock lock = namespace.readLock(); // the attribute map is concurrent; names do not change
    lock.lock();
    try {
      Inode node = xattrTarget(walker.walk(path, followLinks), path, name, true);
      node.xattrs().set(name, value, flags);
      node.changed();
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>As tmpfs: the size limit and what the files' pages leave of it, in 4 KiB blocks. Without a
   * limit the JVM's heap bounds the data, so its maximum size stands for the total.
   */
  @Override
  public VfsSpace space() {
    long used = sb.allocated();
    long limit = sb.sizeLimit();
    long total = limit == Long.MAX_VALUE ? Math.max(Runtime.getRuntime().maxMemory(), used) : limit;
    long free = Math.max(0, total - used);
    return new VfsSpace(total, free, free, FileData.PAGE_SIZE);
  }

  @Override
  public void chmod(String path, int mode, boolean followLinks) throws VfsException {
    Lock lock = namespace.writeLock();
    lock.lock();
    try {
      Inode node = existing(walker.walk(path, followLinks), path);
      if (node instanceof Symlink) {
        throw new VfsException(Errno.EOPNOTSUPP, path + " is a symlink"); // as fchmodat2(2)
      }
      node.permissions(mode);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void chown(String path, int uid, int gid, boolean followLinks) throws VfsException {
    Lock lock = namespace.writeLock();
    lock.lock();
    try {
      existing(walker.walk(path, followLinks), path).owners(uid, gid);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void utimens(String path, long atimeNanos, long mtimeNanos, boolean followLinks)
      throws VfsException {
    Lock lock = namespace.writeLock();
    lock.lock();
    try {
      existing(walker.walk(path, followLinks), path).times(atimeNanos, mtimeNanos);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<String> listxattr(String path, boolean followLinks) throws VfsException {
    Lock lock = namespace.readLock();
    lock.lock();
    try {
      Inode node = existing(walker.walk(path, followLinks), path);
      // A symlink keeps no user. attribute, so it lists none (Linux: the same, on tmpfs).
      return node instanceof RegularFile || node instanceof Directory
          ? node.xattrs().names()
          : List.of();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void removexattr(String path, String name, boolean followLinks) throws VfsException {
    XattrRules.checkCall(name, null, 0);
    Lock lock = namespace.readLock(); // the attribute map is concurrent; names do not change
    lock.lock();
    try {
      Inode node = xattrTarget(walker.walk(path, followLinks), path, name, true);
      node.xattrs().remove(name);
      node.changed();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the file whose attribute is asked for; Linux keeps {@code user.} attributes to regular
   * files and directories ({@code xattr_permission}).
   */
  private static Inode xattrTarget(Walk<Directory, Inode> w, String path, String name, boolean set)
      throws VfsException {
    Inode node = existing(w, path);
    if (!(node instanceof RegularFile) && !(node instanceof Directory)) {
      throw new VfsException(set ? Errno.EPERM : Errno.ENODATA, name + " on a symlink");
    }
    XattrRules.checkNamespace(name);
    return node;
  }

  /** Returns the node a walk found, or fails as Linux does for a missing or slashed file. */
  static Inode existing(Walk<Directory, Inode> w, String path) throws VfsException {
    Inode node = w.node();
    if (node == null) {
      throw new VfsException(Errno.ENOENT, path);
    }
    if (w.mustBeDirectory() && !(node instanceof Directory)) {
      throw new VfsException(Errno.ENOTDIR, path);
    }
    return node;
  }

  /** Checks that a walk ends on a name that can be created ({@code filename_create}). */
  private static Walk<Directory, Inode> newName(Walk<Directory, Inode> w, String path)
      throws VfsException {
    if (w.last() != Last.NAME || w.node() != null) {
      throw new VfsException(Errno.EEXIST, path);
    }
    if (w.mustBeDirectory()) {
      // Linux: a trailing slash asks for a directory, which only mkdir makes.
      throw new VfsException(Errno.ENOENT, path);
    }
    return w;
  }

  /** Takes one link away from an inode that lost a name. */
  static void dropLink(Inode node) {
    if (node instanceof RegularFile) {
      ((RegularFile) node).unlinked();
    } else if (node instanceof Directory) {
      node.nlink(0); // its name and its own "." go at once
      node.changed();
    } else {
      node.nlink(node.nlink() - 1);
      node.changed();
    }
  }
}
