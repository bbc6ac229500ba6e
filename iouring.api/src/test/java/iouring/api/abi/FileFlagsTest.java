package iouring.api.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Tests {@link FileFlags} against the octal values of the x86_64 headers. */
class FileFlagsTest {

  /** Open flags match asm-generic/fcntl.h, which writes them in octal. */
  @Test
  void openFlags() {
    assertEquals(00000003, FileFlags.O_ACCMODE);
    assertEquals(00000100, FileFlags.O_CREAT);
    assertEquals(00000200, FileFlags.O_EXCL);
    assertEquals(00000400, FileFlags.O_NOCTTY);
    assertEquals(00001000, FileFlags.O_TRUNC);
    assertEquals(00002000, FileFlags.O_APPEND);
    assertEquals(00004000, FileFlags.O_NONBLOCK);
    assertEquals(00010000, FileFlags.O_DSYNC);
    assertEquals(00040000, FileFlags.O_DIRECT);
    assertEquals(00100000, FileFlags.O_LARGEFILE);
    assertEquals(00200000, FileFlags.O_DIRECTORY);
    assertEquals(00400000, FileFlags.O_NOFOLLOW);
    assertEquals(01000000, FileFlags.O_NOATIME);
    assertEquals(02000000, FileFlags.O_CLOEXEC);
    assertEquals(04000000 | FileFlags.O_DSYNC, FileFlags.O_SYNC);
    assertEquals(010000000, FileFlags.O_PATH);
    assertEquals(020000000 | FileFlags.O_DIRECTORY, FileFlags.O_TMPFILE);
    assertEquals(FileFlags.O_RDWR, FileFlags.O_ACCMODE & FileFlags.O_RDWR);
  }

  /** AT_* values, including the statx sync type mask. */
  @Test
  void atFlags() {
    assertEquals(-100, FileFlags.AT_FDCWD);
    assertEquals(0x100, FileFlags.AT_SYMLINK_NOFOLLOW);
    assertEquals(0x200, FileFlags.AT_REMOVEDIR);
    assertEquals(0x1000, FileFlags.AT_EMPTY_PATH);
    assertEquals(
        FileFlags.AT_STATX_SYNC_TYPE, FileFlags.AT_STATX_FORCE_SYNC | FileFlags.AT_STATX_DONT_SYNC);
    assertEquals(0, FileFlags.AT_STATX_SYNC_AS_STAT);
  }

  /** Mode bits match linux/stat.h, which writes them in octal. */
  @Test
  void modeBits() {
    assertEquals(0170000, FileFlags.S_IFMT);
    assertEquals(0140000, FileFlags.S_IFSOCK);
    assertEquals(0120000, FileFlags.S_IFLNK);
    assertEquals(0100000, FileFlags.S_IFREG);
    assertEquals(0060000, FileFlags.S_IFBLK);
    assertEquals(0040000, FileFlags.S_IFDIR);
    assertEquals(0020000, FileFlags.S_IFCHR);
    assertEquals(0010000, FileFlags.S_IFIFO);
    assertEquals(04000, FileFlags.S_ISUID);
    assertEquals(02000, FileFlags.S_ISGID);
    assertEquals(01000, FileFlags.S_ISVTX);
    assertEquals(0777, FileFlags.S_IRWXU | FileFlags.S_IRWXG | FileFlags.S_IRWXO);
    assertEquals(FileFlags.S_IRWXU, FileFlags.S_IRUSR | FileFlags.S_IWUSR | FileFlags.S_IXUSR);
    assertEquals(FileFlags.S_IRWXG, FileFlags.S_IRGRP | FileFlags.S_IWGRP | FileFlags.S_IXGRP);
    assertEquals(FileFlags.S_IRWXO, FileFlags.S_IROTH | FileFlags.S_IWOTH | FileFlags.S_IXOTH);
  }

  /** Resolve, fallocate, rename, fadvise, sync_file_range, xattr and seek values. */
  @Test
  void otherFlags() {
    assertEquals(
        0x3f,
        FileFlags.RESOLVE_NO_XDEV
            | FileFlags.RESOLVE_NO_MAGICLINKS
            | FileFlags.RESOLVE_NO_SYMLINKS
            | FileFlags.RESOLVE_BENEATH
            | FileFlags.RESOLVE_IN_ROOT
            | FileFlags.RESOLVE_CACHED);
    assertEquals(0x02, FileFlags.FALLOC_FL_PUNCH_HOLE);
    assertEquals(0x40, FileFlags.FALLOC_FL_UNSHARE_RANGE);
    assertEquals(4, FileFlags.RENAME_WHITEOUT);
    assertEquals(4, FileFlags.POSIX_FADV_DONTNEED);
    assertEquals(5, FileFlags.POSIX_FADV_NOREUSE);
    assertEquals(
        7,
        FileFlags.SYNC_FILE_RANGE_WAIT_BEFORE
            | FileFlags.SYNC_FILE_RANGE_WRITE
            | FileFlags.SYNC_FILE_RANGE_WAIT_AFTER);
    assertEquals(2, FileFlags.XATTR_REPLACE);
    assertEquals(2, FileFlags.SEEK_END);
  }
}
