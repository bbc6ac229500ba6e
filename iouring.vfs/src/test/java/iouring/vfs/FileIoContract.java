package iouring.vfs;

import static iouring.api.abi.FileFlags.O_CREAT;
import static iouring.api.abi.FileFlags.O_RDONLY;
import static iouring.api.abi.FileFlags.O_RDWR;
import static iouring.vfs.ProviderFixture.assertErrno;
import static iouring.vfs.ProviderFixture.bytes;
import static iouring.vfs.ProviderFixture.read;
import static iouring.vfs.ProviderFixture.readAll;
import static iouring.vfs.ProviderFixture.writeFully;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsFile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@code pread}, {@code pwrite}, size, {@code fsync} and {@code ftruncate} of open files. */
public interface FileIoContract extends ProviderFixture {
  /** An offset past the largest file of ext4 (16 TiB) and of the memory provider (64 TiB). */
  long TOO_FAR = 1L << 62;

  @Test
  default void writeThenReadBack() throws Exception {
    try (VfsFile f = provider().open("f", O_CREAT | O_RDWR, 0600)) {
      ByteBuffer src = ByteBuffer.wrap(bytes("hello, world"));
      assertEquals(12, f.write(src, 0));
      assertFalse(src.hasRemaining());
      ByteBuffer dst = ByteBuffer.allocate(5);
      assertEquals(5, f.read(dst, 7));
      assertEquals(5, dst.position());
      assertArrayEquals(bytes("world"), dst.array());
      assertEquals(12, f.size());
    }
  }

  @Test
  default void directBuffersWorkBothWays() throws Exception {
    try (VfsFile f = provider().open("f", O_CREAT | O_RDWR, 0600)) {
      ByteBuffer src = ByteBuffer.allocateDirect(10_000);
      for (int i = 0; i < 10_000; i++) {
        src.put((byte) i);
      }
      src.flip();
      writeFully(f, toArray(src), 100);
      ByteBuffer dst = ByteBuffer.allocateDirect(10_000);
      while (dst.hasRemaining() && f.read(dst, 100 + dst.position()) > 0) {}
      dst.flip();
      for (int i = 0; i < 10_000; i++) {
        assertEquals((byte) i, dst.get(i), "byte " + i);
      }
    }
  }

  @Test
  default void readAtOrPastTheEndReturnsZero() throws Exception {
    put("f", "abc");
    try (VfsFile f = provider().open("f", O_RDONLY, 0)) {
      assertEquals(0, f.read(ByteBuffer.allocate(4), 3));
      assertEquals(0, f.read(ByteBuffer.allocate(4), 1_000_000));
      ByteBuffer dst = ByteBuffer.allocate(10);
      assertEquals(2, f.read(dst, 1));
      assertEquals(2, dst.position());
    }
  }

  @Test
  default void emptyBuffersMoveNothing() throws Exception {
    put("f", "abc");
    try (VfsFile f = provider().open("f", O_RDWR, 0)) {
      assertEquals(0, f.read(ByteBuffer.allocate(0), 0));
      assertEquals(0, f.write(ByteBuffer.allocate(0), 0));
      assertEquals(3, f.size());
    }
  }

  @Test
  default void writingPastTheEndLeavesAHoleOfZeros() throws Exception {
    try (VfsFile f = provider().open("f", O_CREAT | O_RDWR, 0600)) {
      writeFully(f, bytes("end"), 100_000);
      assertEquals(100_003, f.size());
      byte[] all = readAll(f);
      assertEquals(100_003, all.length);
      for (int i = 0; i < 100_000; i++) {
        assertEquals(0, all[i], "byte " + i);
      }
      assertEquals('e', all[100_000]);
    }
    assertEquals(100_003, provider().stat("f", true).size());
  }

  @Test
  default void overwritingKeepsTheBytesAround() throws Exception {
    put("f", "0123456789");
    try (VfsFile f = provider().open("f", O_RDWR, 0)) {
      writeFully(f, bytes("abc"), 4);
    }
    assertEquals("0123abc789", get("f"));
  }

  @Test
  default void largeWritesSpanPages() throws Exception {
    byte[] data = new byte[300_000];
    new Random(7).nextBytes(data);
    try (VfsFile f = provider().open("f", O_CREAT | O_RDWR, 0600)) {
      writeFully(f, data, 4_001);
      assertArrayEquals(data, read(f, 4_001, data.length));
      assertEquals(4_001 + data.length, f.size());
    }
  }

  @Test
  default void writeAtAnImpossibleOffsetIsEfbig() throws Exception {
    assumeTrue(refusesHugeFiles(), "the provider takes files of 2^62 bytes");
    try (VfsFile f = provider().open("f", O_CREAT | O_RDWR, 0600)) {
      assertErrno(Errno.EFBIG, () -> f.write(ByteBuffer.wrap(bytes("x")), TOO_FAR));
      assertEquals(0, f.size());
    }
  }

  @Test
  default void syncSucceeds() throws Exception {
    try (VfsFile f = provider().open("f", O_CREAT | O_RDWR, 0600)) {
      writeFully(f, bytes("durable"), 0);
      f.sync(false);
      f.sync(true);
    }
    assertEquals("durable", get("f"));
  }

  @Test
  default void truncateShrinksAndGrowingReadsZeros() throws Exception {
    put("f", "0123456789");
    try (VfsFile f = provider().open("f", O_RDWR, 0)) {
      f.truncate(4);
      assertEquals(4, f.size());
      assertArrayEquals(bytes("0123"), readAll(f));
      f.truncate(8);
      assertEquals(8, f.size());
      assertArrayEquals(new byte[] {'0', '1', '2', '3', 0, 0, 0, 0}, readAll(f));
      f.truncate(8);
      assertEquals(8, provider().stat("f", true).size());
      f.truncate(0);
      assertEquals(0, readAll(f).length);
    }
  }

  @Test
  default void truncateToAnImpossibleSizeIsEfbig() throws Exception {
    assumeTrue(refusesHugeFiles(), "the provider takes files of 2^62 bytes");
    put("f", "x");
    try (VfsFile f = provider().open("f", O_RDWR, 0)) {
      assertErrno(Errno.EFBIG, () -> f.truncate(TOO_FAR));
      assertEquals(1, f.size());
    }
  }

  @Test
  default void directoriesCannotBeReadOrWritten() throws Exception {
    provider().mkdir("d", 0700);
    try (VfsFile d = provider().open("d", O_RDONLY, 0)) {
      assertErrno(Errno.EISDIR, () -> d.read(ByteBuffer.allocate(1), 0));
      assertErrno(Errno.EISDIR, () -> d.write(ByteBuffer.allocate(1), 0));
      assertErrno(Errno.EISDIR, () -> d.truncate(0));
      assertErrno(Errno.EISDIR, () -> d.allocate(0, 0, 1));
      d.sync(false);
    }
  }

  @Test
  default void statOfAnOpenFileIsThatOfItsPath() throws Exception {
    put("f", "12345");
    try (VfsFile f = provider().open("f", O_RDONLY, 0)) {
      assertEquals(provider().stat("f", true).ino(), f.stat().ino());
      assertEquals(5, f.stat().size());
      assertEquals(provider().stat("f", true).mode(), f.stat().mode());
    }
  }

  @Test
  default void anUnlinkedFileStaysUsableWhileOpen() throws Exception {
    put("f", "still here");
    try (VfsFile f = provider().open("f", O_RDWR, 0)) {
      provider().unlink("f");
      assertErrno(Errno.ENOENT, () -> provider().stat("f", true));
      assertFalse(provider().list("").contains("f"));
      assertArrayEquals(bytes("still here"), readAll(f));
      writeFully(f, bytes("!"), 10);
      assertEquals(11, f.size());
    }
    put("f", "new");
    assertEquals("new", get("f"));
  }

  @Test
  default void parallelWritersOfDisjointRangesLoseNothing() throws Exception {
    int threads = 4;
    int chunk = 64 * 1024 + 123; // not page aligned, so neighbours share pages
    try (VfsFile f = provider().open("f", O_CREAT | O_RDWR, 0600)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int id = t;
          done.add(
              pool.submit(
                  () -> {
                    byte[] data = new byte[chunk];
                    Arrays.fill(data, (byte) (id + 1));
                    for (int i = 0; i < chunk; i += 1000) {
                      int n = Math.min(1000, chunk - i);
                      ByteBuffer src = ByteBuffer.wrap(data, i, n);
                      while (src.hasRemaining()) {
                        f.write(src, (long) id * chunk + i + (src.position() - i));
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> d : done) {
          d.get();
        }
      } finally {
        pool.shutdown();
      }
      byte[] all = readAll(f);
      assertEquals(threads * chunk, all.length);
      for (int i = 0; i < all.length; i++) {
        assertEquals(i / chunk + 1, all[i], "byte " + i);
      }
    }
  }

  private static byte[] toArray(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
