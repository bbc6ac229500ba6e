package iouring.api.abi;

/**
 * File-system flag values used by the file opcodes: open flags, {@code AT_*} flags, {@code
 * openat2(2)} resolve flags, mode bits, and the flags of fallocate, renameat2, fadvise,
 * sync_file_range, xattr and lseek.
 *
 * <p>Mirrors the x86_64 values of Linux 6.18 in {@code include/uapi/asm-generic/fcntl.h}, {@code
 * include/uapi/linux/fcntl.h}, {@code include/uapi/linux/openat2.h}, {@code
 * include/uapi/linux/stat.h}, {@code include/uapi/linux/falloc.h}, {@code include/uapi/linux/fs.h},
 * {@code include/uapi/linux/fadvise.h} and {@code include/uapi/linux/xattr.h}. These are the kernel
 * values, which can differ from glibc's: glibc defines {@code O_LARGEFILE} as 0 on 64-bit targets.
 */
public final class FileFlags {

  // ---- open(2) flags ----

  /** Opens for reading only. */
  public static final int O_RDONLY = 0x0;

  /** Opens for writing only. */
  public static final int O_WRONLY = 0x1;

  /** Opens for reading and writing. */
  public static final int O_RDWR = 0x2;

  /** Mask of the access-mode bits. */
  public static final int O_ACCMODE = 0x3;

  /** Creates the file if it does not exist. */
  public static final int O_CREAT = 0x40;

  /** Together with O_CREAT, fails with -EEXIST if the file exists. */
  public static final int O_EXCL = 0x80;

  /** Does not make a terminal the controlling terminal. */
  public static final int O_NOCTTY = 0x100;

  /** Truncates a regular file opened for writing to length 0. */
  public static final int O_TRUNC = 0x200;

  /** Every write appends at the end of the file. */
  public static final int O_APPEND = 0x400;

  /** Opens in non-blocking mode. */
  public static final int O_NONBLOCK = 0x800;

  /** Writes complete only once the data and the metadata needed to read it are durable. */
  public static final int O_DSYNC = 0x1000;

  /** Transfers data directly between user memory and the device, bypassing the page cache. */
  public static final int O_DIRECT = 0x4000;

  /** Allows files whose size does not fit in 32 bits; the kernel forces it on 64-bit. */
  public static final int O_LARGEFILE = 0x8000;

  /** Fails with -ENOTDIR unless the path names a directory. */
  public static final int O_DIRECTORY = 0x10000;

  /** Fails with -ELOOP if the last path component is a symbolic link. */
  public static final int O_NOFOLLOW = 0x20000;

  /** Does not update the access time on reads. */
  public static final int O_NOATIME = 0x40000;

  /** Sets close-on-exec on the new descriptor. */
  public static final int O_CLOEXEC = 0x80000;

  /** Writes complete only once data and all metadata are durable (__O_SYNC | O_DSYNC). */
  public static final int O_SYNC = 0x101000;

  /** Opens a location-only descriptor that allows no reads or writes. */
  public static final int O_PATH = 0x200000;

  /** Creates an unnamed temporary file in the given directory (__O_TMPFILE | O_DIRECTORY). */
  public static final int O_TMPFILE = 0x410000;

  // ---- AT_* flags (include/uapi/linux/fcntl.h) ----

  /** Directory descriptor meaning the current working directory. */
  public static final int AT_FDCWD = -100;

  /** Does not follow a symbolic link in the last path component. */
  public static final int AT_SYMLINK_NOFOLLOW = 0x100;

  /** unlinkat(2) removes a directory instead of a file. */
  public static final int AT_REMOVEDIR = 0x200;

  /** faccessat(2) checks with the effective IDs; the same bit as AT_REMOVEDIR. */
  public static final int AT_EACCESS = 0x200;

  /** Follows a symbolic link in the last path component (linkat(2)). */
  public static final int AT_SYMLINK_FOLLOW = 0x400;

  /** Does not trigger an automount on the last path component. */
  public static final int AT_NO_AUTOMOUNT = 0x800;

  /** Operates on the descriptor itself when the path is empty. */
  public static final int AT_EMPTY_PATH = 0x1000;

  /** Mask of the statx(2) synchronisation bits. */
  public static final int AT_STATX_SYNC_TYPE = 0x6000;

  /** statx(2) syncs like stat(2) does; the value 0. */
  public static final int AT_STATX_SYNC_AS_STAT = 0x0000;

  /** statx(2) forces attributes to be synchronised with a remote server. */
  public static final int AT_STATX_FORCE_SYNC = 0x2000;

  /** statx(2) returns whatever is cached without synchronising. */
  public static final int AT_STATX_DONT_SYNC = 0x4000;

  /** Applies the operation to the whole subtree. */
  public static final int AT_RECURSIVE = 0x8000;

  // ---- openat2(2) resolve flags (include/uapi/linux/openat2.h) ----

  /** Fails path resolution that would cross a mount point. */
  public static final int RESOLVE_NO_XDEV = 0x01;

  /** Fails path resolution through magic links such as /proc/self/fd entries. */
  public static final int RESOLVE_NO_MAGICLINKS = 0x02;

  /** Fails path resolution through any symbolic link. */
  public static final int RESOLVE_NO_SYMLINKS = 0x04;

  /** Fails path resolution that would escape the starting directory. */
  public static final int RESOLVE_BENEATH = 0x08;

  /** Resolves the path as if the starting directory were the root. */
  public static final int RESOLVE_IN_ROOT = 0x10;

  /** Fails with -EAGAIN unless the whole path is resolvable from the dentry cache. */
  public static final int RESOLVE_CACHED = 0x20;

  // ---- mode bits (include/uapi/linux/stat.h, octal in the header) ----

  /** Mask of the file-type bits (octal 0170000). */
  public static final int S_IFMT = 0xf000;

  /** File type of a socket (octal 0140000). */
  public static final int S_IFSOCK = 0xc000;

  /** File type of a symbolic link (octal 0120000). */
  public static final int S_IFLNK = 0xa000;

  /** File type of a regular file (octal 0100000). */
  public static final int S_IFREG = 0x8000;

  /** File type of a block device (octal 0060000). */
  public static final int S_IFBLK = 0x6000;

  /** File type of a directory (octal 0040000). */
  public static final int S_IFDIR = 0x4000;

  /** File type of a character device (octal 0020000). */
  public static final int S_IFCHR = 0x2000;

  /** File type of a FIFO (octal 0010000). */
  public static final int S_IFIFO = 0x1000;

  /** Set-user-ID bit (octal 04000). */
  public static final int S_ISUID = 0x800;

  /** Set-group-ID bit (octal 02000). */
  public static final int S_ISGID = 0x400;

  /** Sticky bit (octal 01000). */
  public static final int S_ISVTX = 0x200;

  /** Read, write and execute permission for the owner (octal 0700). */
  public static final int S_IRWXU = 0x1c0;

  /** Read permission for the owner (octal 0400). */
  public static final int S_IRUSR = 0x100;

  /** Write permission for the owner (octal 0200). */
  public static final int S_IWUSR = 0x80;

  /** Execute permission for the owner (octal 0100). */
  public static final int S_IXUSR = 0x40;

  /** Read, write and execute permission for the group (octal 070). */
  public static final int S_IRWXG = 0x38;

  /** Read permission for the group (octal 040). */
  public static final int S_IRGRP = 0x20;

  /** Write permission for the group (octal 020). */
  public static final int S_IWGRP = 0x10;

  /** Execute permission for the group (octal 010). */
  public static final int S_IXGRP = 0x8;

  /** Read, write and execute permission for others (octal 07). */
  public static final int S_IRWXO = 0x7;

  /** Read permission for others (octal 04). */
  public static final int S_IROTH = 0x4;

  /** Write permission for others (octal 02). */
  public static final int S_IWOTH = 0x2;

  /** Execute permission for others (octal 01). */
  public static final int S_IXOTH = 0x1;

  // ---- fallocate(2) modes (include/uapi/linux/falloc.h) ----

  /** Allocates the range and extends the file size if needed; the default mode 0. */
  public static final int FALLOC_FL_ALLOCATE_RANGE = 0x00;

  /** Does not change the file size even if the range extends past it. */
  public static final int FALLOC_FL_KEEP_SIZE = 0x01;

  /** Deallocates the range, which then reads as zeros (needs FALLOC_FL_KEEP_SIZE). */
  public static final int FALLOC_FL_PUNCH_HOLE = 0x02;

  /** Reserved flag that no file system implements; the kernel rejects it. */
  public static final int FALLOC_FL_NO_HIDE_STALE = 0x04;

  /** Removes the range and shifts the data after it down. */
  public static final int FALLOC_FL_COLLAPSE_RANGE = 0x08;

  /** Makes the range read as zeros, allocating it. */
  public static final int FALLOC_FL_ZERO_RANGE = 0x10;

  /** Inserts a hole of the range's length and shifts the data after it up. */
  public static final int FALLOC_FL_INSERT_RANGE = 0x20;

  /** Unshares blocks of the range that are shared with other files. */
  public static final int FALLOC_FL_UNSHARE_RANGE = 0x40;

  /** Zeroes the range by writing zeros so that later overwrites need no allocation. */
  public static final int FALLOC_FL_WRITE_ZEROES = 0x80;

  // ---- renameat2(2) flags (include/uapi/linux/fs.h) ----

  /** Fails with -EEXIST instead of replacing an existing target. */
  public static final int RENAME_NOREPLACE = 1 << 0;

  /** Atomically exchanges source and target, which must both exist. */
  public static final int RENAME_EXCHANGE = 1 << 1;

  /** Leaves a whiteout object at the source (for overlay file systems). */
  public static final int RENAME_WHITEOUT = 1 << 2;

  // ---- posix_fadvise(2) advice (include/uapi/linux/fadvise.h, x86_64) ----

  /** No special access pattern. */
  public static final int POSIX_FADV_NORMAL = 0;

  /** Data will be accessed in random order. */
  public static final int POSIX_FADV_RANDOM = 1;

  /** Data will be accessed sequentially. */
  public static final int POSIX_FADV_SEQUENTIAL = 2;

  /** Data will be accessed soon, so reading ahead is useful. */
  public static final int POSIX_FADV_WILLNEED = 3;

  /** Data will not be accessed soon, so its cached pages may be dropped. */
  public static final int POSIX_FADV_DONTNEED = 4;

  /** Data will be accessed only once. */
  public static final int POSIX_FADV_NOREUSE = 5;

  // ---- sync_file_range(2) flags (include/uapi/linux/fs.h) ----

  /** Waits for writeback already under way on the range before starting any. */
  public static final int SYNC_FILE_RANGE_WAIT_BEFORE = 1;

  /** Starts writeback of the dirty pages in the range. */
  public static final int SYNC_FILE_RANGE_WRITE = 2;

  /** Waits for writeback of the range to finish. */
  public static final int SYNC_FILE_RANGE_WAIT_AFTER = 4;

  // ---- setxattr(2) flags (include/uapi/linux/xattr.h) ----

  /** Fails with -EEXIST if the attribute already exists. */
  public static final int XATTR_CREATE = 0x1;

  /** Fails with -ENODATA if the attribute does not exist yet. */
  public static final int XATTR_REPLACE = 0x2;

  // ---- lseek(2) whence (include/uapi/linux/fs.h) ----

  /** Seeks to an absolute offset. */
  public static final int SEEK_SET = 0;

  /** Seeks relative to the current position. */
  public static final int SEEK_CUR = 1;

  /** Seeks relative to the end of the file. */
  public static final int SEEK_END = 2;

  /** Seeks to the next offset at or after the given one that holds data. */
  public static final int SEEK_DATA = 3;

  /** Seeks to the next hole at or after the given offset. */
  public static final int SEEK_HOLE = 4;

  /** Not instantiable: this class only holds constants. */
  private FileFlags() {}
}
