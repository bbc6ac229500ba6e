package iouring.vfs.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads and writes of direct buffers that call the JDK's {@code pread(2)} and {@code pwrite(2)}
 * natives without the channel (this module's tests open {@code sun.nio.ch}, which lets them in):
 * the channel's results, and its guarantee that a close never lets a call reach the file that takes
 * the descriptor's number next.
 */
class HostFileDirectIoTest {
  private static final int SIZE = 10_000;

  @TempDir Path root;

  private byte[] fill(String name, int seed) throws Exception {
    byte[] data = new byte[SIZE];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 + seed);
    }
    Files.write(root.resolve(name), data);
    return data;
  }

  private HostFile open(String name, boolean uninterruptible) throws Exception {
    return (HostFile) new HostProvider(root, uninterruptible).open(name, FileFlags.O_RDONLY, 0);
  }

  @Test
  void directReadsGiveWhatTheChannelGives() throws Exception {
    fill("f", 7);
    HostFile direct = open("f", true);
    HostFile channel = open("f", false);
    assertTrue(direct.readsDirectly(), "the surefire configuration opens sun.nio.ch");
    assertFalse(channel.readsDirectly());
    // {position, limit, offset}: whole, part, from a position, short at the end, past the end,
    // nothing to read.
    long[][] cases = {
      {0, 4096, 0},
      {0, 100, 1},
      {17, 4000, 123},
      {0, 4096, SIZE - 50},
      {0, 64, SIZE},
      {0, 64, SIZE + 1000},
      {5, 5, 0}
    };
    for (long[] c : cases) {
      ByteBuffer a = ByteBuffer.allocateDirect(4096);
      ByteBuffer b = ByteBuffer.allocateDirect(4096);
      for (ByteBuffer buf : new ByteBuffer[] {a, b}) {
        buf.limit((int) c[1]).position((int) c[0]);
      }
      int n = direct.read(a, c[2]);
      int m = channel.read(b, c[2]);
      String what = "position " + c[0] + ", limit " + c[1] + ", offset " + c[2];
      assertEquals(m, n, what);
      assertEquals(b.position(), a.position(), what);
      assertEquals(b.limit(), a.limit(), what);
      assertEquals(b.flip().position((int) c[0]), a.flip().position((int) c[0]), what);
    }
    direct.close();
    channel.close();
    assertEquals(
        Errno.EBADF,
        assertThrows(VfsException.class, () -> direct.read(ByteBuffer.allocateDirect(1), 0))
            .errno());
  }

  @Test
  void directWritesLeaveWhatTheChannelLeaves() throws Exception {
    fill("a", 5);
    fill("b", 5);
    HostFile direct = (HostFile) new HostProvider(root, true).open("a", FileFlags.O_RDWR, 0);
    HostFile channel = (HostFile) new HostProvider(root, false).open("b", FileFlags.O_RDWR, 0);
    assertTrue(direct.readsDirectly());
    // {position, limit, offset}: inside, from a position, across the end, past the end (a hole),
    // nothing to write.
    long[][] cases = {
      {0, 4096, 0}, {17, 300, 5000}, {0, 2000, SIZE - 100}, {0, 10, SIZE + 5000}, {3, 3, 0}
    };
    for (long[] c : cases) {
      ByteBuffer a = ByteBuffer.allocateDirect(4096);
      ByteBuffer b = ByteBuffer.allocateDirect(4096);
      for (int i = 0; i < 4096; i++) {
        a.put(i, (byte) (i * 7 + c[2]));
        b.put(i, (byte) (i * 7 + c[2]));
      }
      a.limit((int) c[1]).position((int) c[0]);
      b.limit((int) c[1]).position((int) c[0]);
      String what = "position " + c[0] + ", limit " + c[1] + ", offset " + c[2];
      assertEquals(channel.write(b, c[2]), direct.write(a, c[2]), what);
      assertEquals(b.position(), a.position(), what);
    }
    direct.close();
    channel.close();
    assertArrayEquals(Files.readAllBytes(root.resolve("b")), Files.readAllBytes(root.resolve("a")));
    assertEquals(
        Errno.EBADF,
        assertThrows(VfsException.class, () -> direct.write(ByteBuffer.allocateDirect(1), 0))
            .errno());
    HostFile readOnly = open("a", true);
    assertEquals(
        Errno.EBADF,
        assertThrows(VfsException.class, () -> readOnly.write(ByteBuffer.allocateDirect(1), 0))
            .errno(),
        "a file open for reading");
    readOnly.close();
  }

  @Test
  void heapAndReadOnlyBuffersStillGoThroughTheChannel() throws Exception {
    byte[] data = fill("f", 3);
    HostFile file = open("f", true);
    ByteBuffer heap = ByteBuffer.allocate(100);
    assertEquals(100, file.read(heap, 200));
    for (int i = 0; i < 100; i++) {
      assertEquals(data[200 + i], heap.get(i));
    }
    file.close();
  }

  /**
   * The guard that replaces the channel's: a close waits for the direct calls under way before it
   * closes the descriptor (whose number the next open may take), and a call after the close has
   * begun fails with {@code EBADF}.
   */
  @Test
  void aCloseWaitsForTheDirectCallsUnderWay() throws Exception {
    fill("f", 1);
    HostFile file = open("f", true);
    VarHandle calls =
        MethodHandles.privateLookupIn(HostFile.class, MethodHandles.lookup())
            .findVarHandle(HostFile.class, "calls", int.class);
    calls.getAndAdd(file, 1); // a call between its check and its system call
    AtomicBoolean closed = new AtomicBoolean();
    Thread closer =
        new Thread(
            () -> {
              file.close();
              closed.set(true);
            });
    closer.start();
    Thread.sleep(100);
    assertFalse(closed.get(), "close returned with a call under way");
    assertTrue(file.channel().isOpen(), "the descriptor was closed under a call");
    assertEquals(
        Errno.EBADF,
        assertThrows(VfsException.class, () -> file.read(ByteBuffer.allocateDirect(8), 0)).errno(),
        "a read that starts once the close has begun");
    calls.getAndAdd(file, -1); // the read ends
    closer.join(10_000);
    assertTrue(closed.get());
    assertFalse(file.channel().isOpen());
  }
}
