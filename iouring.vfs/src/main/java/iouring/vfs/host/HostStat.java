package iouring.vfs.host;

import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads a host file's status from its {@code unix:} attributes where the host has them, from its
 * basic attributes elsewhere. The JDK does not report {@code st_blocks}, so blocks are estimated
 * from the size, as for a file without holes.
 */
final class HostStat {
  private HostStat() {}

  /**
   * The attributes a stat needs, by name: {@code unix:*} would also look up the owner's and group's
   * names (a read of the user and group databases per call) and build a map twice this size.
   */
  private static final String UNIX_FIELDS =
      "unix:mode,nlink,uid,gid,size,ino,dev,lastAccessTime,lastModifiedTime,ctime";

  /** Returns the status of a file, not following a symlink. */
  static VfsStat of(Path target) throws IOException {
    try {
      Map<String, Object> a = Files.readAttributes(target, UNIX_FIELDS, LinkOption.NOFOLLOW_LINKS);
      long size = (Long) a.get("size");
      long dev = (Long) a.get("dev");
      return VfsStat.builder()
          .mode((Integer) a.get("mode"))
          .nlink((Integer) a.get("nlink"))
          .uid((Integer) a.get("uid"))
          .gid((Integer) a.get("gid"))
          .size(size)
          .blocks((size + 511) / 512)
          .blksize(4096)
          .ino((Long) a.get("ino"))
          .dev(major(dev), minor(dev))
          .times(
              nanos((FileTime) a.get("lastAccessTime")),
              nanos((FileTime) a.get("lastModifiedTime")),
              nanos((FileTime) a.get("ctime")))
          .build();
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      BasicFileAttributes b =
          Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      int type =
          b.isDirectory()
              ? FileFlags.S_IFDIR
              : b.isSymbolicLink() ? FileFlags.S_IFLNK : FileFlags.S_IFREG;
      return VfsStat.builder()
          .mode(type | 0644)
          .nlink(1)
          .size(b.size())
          .blocks((b.size() + 511) / 512)
          .blksize(4096)
          .times(
              nanos(b.lastAccessTime()), nanos(b.lastModifiedTime()), nanos(b.lastModifiedTime()))
          .btime(nanos(b.creationTime()))
          .build();
    }
  }

  /** Linux's {@code MAJOR()} of a 64-bit {@code dev_t} (glibc's {@code gnu_dev_major}). */
  static int major(long dev) {
    return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
  }

  /** Linux's {@code MINOR()} of a 64-bit {@code dev_t} (glibc's {@code gnu_dev_minor}). */
  static int minor(long dev) {
    return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
  }

  private static long nanos(FileTime time) {
    return time.to(TimeUnit.NANOSECONDS);
  }
}
