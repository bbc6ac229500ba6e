package iouring.vfs.memory;

import static iouring.api.abi.FileFlags.FALLOC_FL_KEEP_SIZE;
import static iouring.api.abi.FileFlags.FALLOC_FL_PUNCH_HOLE;
import static iouring.api.abi.FileFlags.FALLOC_FL_ZERO_RANGE;
import static iouring.api.abi.FileFlags.O_CREAT;
import static iouring.api.abi.FileFlags.O_RDONLY;
import static iouring.api.abi.FileFlags.O_RDWR;
import static iouring.api.abi.FileFlags.O_TRUNC;
import static iouring.api.abi.FileFlags.RENAME_EXCHANGE;
import static iouring.vfs.ProviderFixture.assertErrno;
import static iouring.vfs.ProviderFixture.bytes;
import static iouring.vfs.ProviderFixture.read;
import static iouring.vfs.ProviderFixture.readAll;
import static iouring.vfs.ProviderFixture.writeFully;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsStat;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the contract cannot check from outside a provider: holes and blocks, the size limit,
 * timestamps, link counts and when space comes back. Concurrency has its own test class.
 */
class MemoryProviderTest {
  private static final int PAGE = 4096;
  private static final long BLOCKS_PER_PAGE = PAGE / 512;

  private final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00.123456789Z"));
  private MemoryProvider fs = new MemoryProvider(0, clock);

  @Test
  void holesTakeNoBlocks() throws Exception {
    try (VfsFile f = fs.open("sparse", O_CREAT | O_RDWR, 0600)) {
      writeFully(f, bytes("x"), 10L * 1024 * 1024 * 1024); // 10 GiB in, one page written
      assertEquals(10L * 1024 * 1024 * 1024 + 1, f.size());
      assertEquals(BLOCKS_PER_PAGE, f.stat().blocks());
      assertEquals(PAGE, fs.allocatedBytes());
      assertArrayEquals(new byte[1000], read(f, 5_000_000_000L, 1000));
      f.truncate(20L * PAGE);
      assertEquals(0, f.stat().blocks(), "truncating below the page freed it");
      assertEquals(0, fs.allocatedBytes());
    }
  }

  @Test
  void blocksCountWholePages() throws Exception {
    try (VfsFile f = fs.open("f", O_CREAT | O_RDWR, 0600)) {
      writeFully(f, new byte[PAGE + 1], 0);
      assertEquals(2 * BLOCKS_PER_PAGE, f.stat().blocks());
      assertEquals(PAGE, f.stat().blksize());
    }
  }

  @Test
  void fallocateModesMoveBlocksAsTmpfs() throws Exception {
    try (VfsFile f = fs.open("f", O_CREAT | O_RDWR, 0600)) {
      f.allocate(FALLOC_FL_KEEP_SIZE, 0, 10L * PAGE);
      assertEquals(0, f.size());
      assertEquals(10 * BLOCKS_PER_PAGE, f.stat().blocks(), "KEEP_SIZE allocates past the end");
      f.allocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, PAGE + 100, 3L * PAGE);
      assertEquals(8 * BLOCKS_PER_PAGE, f.stat().blocks(), "only whole pages are freed");
      f.allocate(FALLOC_FL_ZERO_RANGE, 0, 10L * PAGE);
      assertEquals(10L * PAGE, f.size());
      assertEquals(10 * BLOCKS_PER_PAGE, f.stat().blocks(), "ZERO_RANGE allocates the range");
      f.allocate(0, 20L * PAGE, 1);
      assertEquals(20L * PAGE + 1, f.size());
      assertEquals(11 * BLOCKS_PER_PAGE, f.stat().blocks());
      f.truncate(PAGE);
      assertEquals(BLOCKS_PER_PAGE, f.stat().blocks(), "truncation frees blocks past the end");
    }
  }

  @Test
  void writesStopAtTheSizeLimitAndReportWhatFit() throws Exception {
    fs = new MemoryProvider(3 * PAGE, clock);
    try (VfsFile f = fs.open("f", O_CREAT | O_RDWR, 0600)) {
      ByteBuffer src = ByteBuffer.wrap(new byte[5 * PAGE]);
      assertEquals(3 * PAGE, f.write(src, 0), "a partial write, as Linux");
      assertEquals(2 * PAGE, src.remaining());
      assertErrno(Errno.ENOSPC, () -> f.write(src, 3L * PAGE));
      assertEquals(3L * PAGE, f.size());
      f.write(ByteBuffer.wrap(bytes("overwrite")), 0); // present pages need no space
      f.truncate(100L * PAGE); // a hole needs none either
      assertErrno(Errno.ENOSPC, () -> f.allocate(0, 0, 200L * PAGE));
      assertEquals(100L * PAGE, f.size(), "a failed fallocate changes nothing");
      assertEquals(3L * PAGE, fs.allocatedBytes());
    }
  }

  @Test
  void spaceReportsTheLimitAndWhatThePagesLeaveOfIt() throws Exception {
    fs = new MemoryProvider(10 * PAGE, clock);
    assertEquals(10L * PAGE, fs.space().totalBytes());
    assertEquals(10L * PAGE, fs.space().availableBytes());
    assertEquals(PAGE, fs.space().blockSize());
    try (VfsFile f = fs.open("f", O_CREAT | O_RDWR, 0600)) {
      writeFully(f, new byte[PAGE + 1], 0);
      f.truncate(50L * PAGE); // a hole takes no space
      assertEquals(8L * PAGE, fs.space().freeBytes());
      assertEquals(8L * PAGE, fs.space().availableBytes());
      f.truncate(0);
    }
    assertEquals(10L * PAGE, fs.space().freeBytes());
    fs = new MemoryProvider(0, clock);
    assertEquals(Runtime.getRuntime().maxMemory(), fs.space().totalBytes(), "no limit: the heap");
  }

  @Test
  void spaceComesBackFromUnlinkPunchAndTruncate() throws Exception {
    fs = new MemoryProvider(2 * PAGE, clock);
    try (VfsFile f = fs.open("f", O_CREAT | O_RDWR, 0600)) {
      writeFully(f, new byte[2 * PAGE], 0);
      try (VfsFile g = fs.open("g", O_CREAT | O_RDWR, 0600)) {
        assertErrno(Errno.ENOSPC, () -> g.write(ByteBuffer.wrap(bytes("x")), 0));
        f.allocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, PAGE);
        writeFully(g, bytes("x"), 0);
        assertErrno(Errno.ENOSPC, () -> g.write(ByteBuffer.wrap(bytes("x")), PAGE));
        f.truncate(0);
        writeFully(g, bytes("x"), PAGE);
      }
    }
    fs.unlink("g");
    assertEquals(0, fs.allocatedBytes());
  }

  @Test
  void theLargestFileIs64TiB() throws Exception {
    long max = MemoryProvider.MAX_FILE_SIZE;
    assertEquals(1L << 46, max);
    try (VfsFile f = fs.open("f", O_CREAT | O_RDWR, 0600)) {
      assertEquals(2, f.write(ByteBuffer.wrap(bytes("abcd")), max - 2), "cut at the limit");
      assertEquals(max, f.size());
      assertErrno(Errno.EFBIG, () -> f.write(ByteBuffer.wrap(bytes("x")), max));
      assertErrno(Errno.EFBIG, () -> f.truncate(max + 1));
      assertErrno(Errno.EFBIG, () -> f.allocate(0, max, 1));
      f.truncate(0);
    }
  }

  @Test
  void anUnlinkedOpenFileKeepsItsDataUntilTheLastClose() throws Exception {
    VfsFile a = fs.open("f", O_CREAT | O_RDWR, 0600);
    VfsFile b = fs.open("f", O_RDONLY, 0);
    writeFully(a, new byte[3 * PAGE], 0);
    fs.unlink("f");
    assertEquals(0, a.stat().nlink());
    assertEquals(3L * PAGE, fs.allocatedBytes());
    a.close();
    assertEquals(3 * PAGE, readAll(b).length);
    b.close();
    assertEquals(0, fs.allocatedBytes(), "the last close freed the pages");
  }

  @Test
  void hardLinksCountAndShareUntilTheLastName() throws Exception {
    put("f", 2 * PAGE);
    fs.link("f", "g");
    fs.link("g", "h");
    assertEquals(3, fs.stat("h", true).nlink());
    fs.unlink("f");
    fs.rename("g", "x", 0);
    assertEquals(2, fs.stat("x", true).nlink());
    fs.unlink("x");
    assertEquals(2L * PAGE, fs.allocatedBytes());
    fs.unlink("h");
    assertEquals(0, fs.allocatedBytes());
  }

  @Test
  void replacingAFileByRenameFreesIt() throws Exception {
    put("a", PAGE);
    put("b", 2 * PAGE);
    fs.rename("a", "b", 0);
    assertEquals(PAGE, fs.allocatedBytes());
  }

  @Test
  void directoryLinkCountsFollowSubdirectories() throws Exception {
    fs.mkdir("d", 0700);
    fs.mkdir("d/a", 0700);
    fs.mkdir("d/b", 0700);
    put("d/f", 1);
    assertEquals(4, fs.stat("d", true).nlink());
    fs.mkdir("e", 0700);
    fs.rename("d/a", "e/a", 0);
    assertEquals(3, fs.stat("d", true).nlink());
    assertEquals(3, fs.stat("e", true).nlink());
    fs.rename("d/b", "e/a", 0); // replaces the empty e/a
    assertEquals(2, fs.stat("d", true).nlink());
    assertEquals(3, fs.stat("e", true).nlink());
    fs.rename("d/f", "e/a", RENAME_EXCHANGE); // a file and a directory trade places
    assertEquals(3, fs.stat("d", true).nlink());
    assertEquals(2, fs.stat("e", true).nlink());
    fs.rmdir("d/f");
    assertEquals(2, fs.stat("d", true).nlink());
    assertEquals(4, fs.stat("", true).nlink());
  }

  @Test
  void aRemovedDirectoryStaysOpenWithNoLinks() throws Exception {
    fs.mkdir("d", 0700);
    try (VfsFile d = fs.open("d", O_RDONLY, 0)) {
      fs.rmdir("d");
      assertEquals(0, d.stat().nlink());
    }
  }

  @Test
  void directorySizesGrowWithEntriesAsTmpfs() throws Exception {
    fs.mkdir("d", 0700);
    assertEquals(40, fs.stat("d", true).size());
    put("d/a", 0);
    put("d/b", 0);
    assertEquals(80, fs.stat("d", true).size());
  }

  @Test
  void inodesAreUniqueAndDevicesDifferPerProvider() throws Exception {
    Set<Long> inodes = new HashSet<>();
    inodes.add(fs.stat("", true).ino());
    for (int i = 0; i < 100; i++) {
      put("f" + i, 0);
      assertTrue(inodes.add(fs.stat("f" + i, true).ino()));
      fs.unlink("f" + i);
      put("f" + i, 0);
      assertTrue(inodes.add(fs.stat("f" + i, true).ino()), "numbers are never reused");
    }
    VfsStat other = new MemoryProvider().stat("", true);
    assertNotEquals(fs.stat("", true).devMinor(), other.devMinor());
    assertEquals(0, other.uid());
    assertEquals(01777, other.mode() & 07777, "tmpfs's root mode");
  }

  @Test
  void creationStampsEveryTimeAndTouchesTheParent() throws Exception {
    long t0 = clock.nanos();
    clock.advanceNanos(1_000);
    put("f", 1);
    VfsStat st = fs.stat("f", true);
    long t1 = t0 + 1_000;
    assertEquals(t1, st.btimeNanos());
    assertEquals(t1, st.atimeNanos());
    assertEquals(t1, st.mtimeNanos());
    assertEquals(t1, st.ctimeNanos());
    assertEquals(t1, fs.stat("", true).mtimeNanos());
    assertEquals(t1, fs.stat("", true).ctimeNanos());
  }

  @Test
  void writesAndTruncationMoveMtimeAndCtime() throws Exception {
    put("f", 10);
    try (VfsFile f = fs.open("f", O_RDWR, 0)) {
      clock.advanceNanos(5);
      writeFully(f, bytes("x"), 0);
      assertTimes(f.stat(), clock.nanos(), clock.nanos());
      long written = clock.nanos();
      clock.advanceNanos(5);
      f.truncate(10); // the same size: tmpfs leaves the times alone
      assertTimes(f.stat(), written, written);
      f.truncate(3);
      assertTimes(f.stat(), clock.nanos(), clock.nanos());
      clock.advanceNanos(5);
      f.write(ByteBuffer.allocate(0), 0); // nothing written, nothing changed
      assertEquals(clock.nanos() - 5, f.stat().mtimeNanos());
      f.allocate(0, 0, 100);
      assertTimes(f.stat(), clock.nanos(), clock.nanos());
    }
  }

  @Test
  void metadataChangesMoveOnlyCtime() throws Exception {
    put("f", 1);
    long made = clock.nanos();
    clock.advanceNanos(7);
    fs.setxattr("f", "user.k", bytes("v"), 0, true);
    assertTimes(fs.stat("f", true), made, clock.nanos());
    clock.advanceNanos(7);
    fs.link("f", "g");
    assertTimes(fs.stat("f", true), made, clock.nanos());
    clock.advanceNanos(7);
    fs.rename("g", "h", 0);
    assertTimes(fs.stat("f", true), made, clock.nanos());
    assertEquals(clock.nanos(), fs.stat("", true).mtimeNanos(), "the directory changed");
  }

  @Test
  void readsMoveAtimeTheRelatimeWay() throws Exception {
    put("f", 1);
    clock.advanceNanos(10);
    try (VfsFile f = fs.open("f", O_RDONLY, 0)) {
      read(f, 0, 1);
      long firstRead = clock.nanos();
      assertEquals(firstRead, f.stat().atimeNanos(), "atime was not newer than mtime");
      clock.advanceNanos(10);
      read(f, 0, 1);
      assertEquals(firstRead, f.stat().atimeNanos(), "already newer than mtime: kept");
      clock.advanceNanos(24L * 3600 * 1_000_000_000L);
      read(f, 0, 1);
      assertEquals(clock.nanos(), f.stat().atimeNanos(), "a day old: updated");
    }
  }

  @Test
  void openWithTruncateEvenReadOnlyEmptiesAsLinux() throws Exception {
    put("f", PAGE);
    fs.open("f", O_RDONLY | O_TRUNC, 0).close();
    assertEquals(0, fs.stat("f", true).size());
    assertEquals(0, fs.allocatedBytes());
  }

  @Test
  void symlinkLoopsAnywhereInAPathAreEloop() throws Exception {
    fs.mkdir("d", 0700);
    fs.symlink("../d/loop", "d/loop");
    fs.symlink("/d/x/../y", "d/x");
    fs.symlink("x", "d/y");
    assertErrno(Errno.ELOOP, () -> fs.stat("d/loop", true));
    assertErrno(Errno.ELOOP, () -> fs.stat("d/loop/../f", false));
    assertErrno(Errno.ELOOP, () -> fs.open("d/x", O_CREAT | O_RDWR, 0600));
    assertErrno(Errno.ELOOP, () -> fs.mkdir("d/y/new", 0700));
    assertEquals("../d/loop", fs.readlink("d/loop"));
  }

  @Test
  void userAttributesSurviveRenameAndFollowHardLinks() throws Exception {
    put("f", 1);
    fs.setxattr("f", "user.a", bytes("1"), 0, true);
    fs.link("f", "g");
    fs.rename("f", "h", 0);
    assertArrayEquals(bytes("1"), fs.getxattr("g", "user.a", true));
    assertArrayEquals(bytes("1"), fs.getxattr("h", "user.a", true));
  }

  private static void assertTimes(VfsStat st, long mtime, long ctime) {
    assertEquals(mtime, st.mtimeNanos(), "mtime");
    assertEquals(ctime, st.ctimeNanos(), "ctime");
  }

  private void put(String path, int size) throws Exception {
    try (VfsFile f = fs.open(path, O_CREAT | O_RDWR | O_TRUNC, 0644)) {
      writeFully(f, new byte[size], 0);
    }
  }
}
