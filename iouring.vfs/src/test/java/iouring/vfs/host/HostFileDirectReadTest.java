package iouring.vfs.host;

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
 * Reads into direct buffers that call the JDK's {@code pread(2)} native without the channel (this
 * module's tests open {@code sun.nio.ch}, which lets them in): the channel's results, and its
 * guarantee that a close never lets a read reach the file that takes the descriptor's number next.
 */
class HostFileDirectReadTest {
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
   * The guard that replaces the channel's: a close waits for the direct reads under way before it
   * closes the descriptor (whose number the next open may take), and a read after the close has
   * begun fails with {@code EBADF}.
   */
  @Test
  void aCloseWaitsForTheDirectReadsUnderWay() throws Exception {
    fill("f", 1);
    HostFile file = open("f", true);
    VarHandle calls =
        MethodHandles.privateLookupIn(HostFile.class, MethodHandles.lookup())
            .findVarHandle(HostFile.class, "calls", int.class);
    calls.getAndAdd(file, 1); // a read between its check and its system call
    AtomicBoolean closed = new AtomicBoolean();
    Thread closer =
        new Thread(
            () -> {
              file.close();
              closed.set(true);
            });
    closer.start();
    Thread.sleep(100);
    assertFalse(closed.get(), "close returned with a read under way");
    assertTrue(file.channel().isOpen(), "the descriptor was closed under a read");
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
