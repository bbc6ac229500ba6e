package iouring.vfs.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An interrupt of the calling thread leaves a host file open, as a signal leaves a Linux file
 * alone: a JDK channel would close under every descriptor sharing it. Each case runs with the
 * channels left interruptible (the shield and the reopen do the work) and, where the JVM allows it
 * (this module's tests open {@code sun.nio.ch}), with uninterruptible channels.
 */
class HostFileInterruptTest {
  private static final int BLOCK = 4096;
  private static final int BLOCKS = 64;

  @TempDir Path root;

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private byte[] fill(String name) throws IOException {
    byte[] data = new byte[BLOCK * BLOCKS];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 + i / BLOCK);
    }
    Files.write(root.resolve(name), data);
    return data;
  }

  @Test
  void theTestJvmLetsChannelsBeUninterruptible() throws Exception {
    fill("f");
    HostFile file = (HostFile) new HostProvider(root).open("f", FileFlags.O_RDONLY, 0);
    assertTrue(file.uninterruptible(), "the surefire configuration opens sun.nio.ch");
    Thread.currentThread().interrupt();
    file.channel().read(ByteBuffer.allocate(1), 0); // would throw ClosedByInterruptException
    assertTrue(file.channel().isOpen(), "an interrupt closes nothing");
    file.close();
    HostFile plain = (HostFile) new HostProvider(root, false).open("f", FileFlags.O_RDONLY, 0);
    assertFalse(plain.uninterruptible());
    plain.close();
  }

  @ParameterizedTest(name = "uninterruptible channels: {0}")
  @ValueSource(booleans = {false, true})
  void anInterruptedCallerReadsWritesAndKeepsItsInterrupt(boolean uninterruptible)
      throws Exception {
    byte[] data = fill("f");
    VfsFile file = new HostProvider(root, uninterruptible).open("f", FileFlags.O_RDWR, 0);
    Thread.currentThread().interrupt();
    ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
    assertEquals(BLOCK, file.read(buf, BLOCK));
    assertTrue(Thread.currentThread().isInterrupted(), "the caller's interrupt is kept");
    assertEquals(data[BLOCK + 7], buf.get(7));
    assertEquals(3, file.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0));
    assertEquals((long) BLOCK * BLOCKS, file.size());
    file.sync(false);
    file.truncate(BLOCK);
    assertTrue(Thread.currentThread().isInterrupted());
    Thread.interrupted();
    assertEquals(BLOCK, file.size(), "still open once the interrupt is gone");
    ByteBuffer head = ByteBuffer.allocate(3);
    file.read(head, 0);
    assertArrayEquals(new byte[] {1, 2, 3}, head.array());
    file.close();
  }

  @ParameterizedTest(name = "uninterruptible channels: {0}")
  @ValueSource(booleans = {false, true})
  void interruptsDuringReadsNeitherFailNorCloseTheFile(boolean uninterruptible) throws Exception {
    byte[] data = fill("f");
    HostFile file =
        (HostFile) new HostProvider(root, uninterruptible).open("f", FileFlags.O_RDONLY, 0);
    FileChannel first = file.channel();
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
              try {
                for (int i = 0; i < 20_000; i++) {
                  int block = i % BLOCKS;
                  buf.clear();
                  assertEquals(BLOCK, file.read(buf, (long) block * BLOCK), "read " + i);
                  for (int j = 0; j < BLOCK; j += 511) {
                    assertEquals(data[block * BLOCK + j], buf.get(j), "read " + i + " byte " + j);
                  }
                  Thread.interrupted();
                }
              } catch (Throwable t) {
                failure.set(t);
              } finally {
                done.set(true);
              }
            });
    reader.start();
    int interrupts = 0;
    while (!done.get()) {
      reader.interrupt(); // every 20 microseconds or so: many land in the middle of a read
      interrupts++;
      LockSupport.parkNanos(20_000);
    }
    reader.join();
    if (failure.get() != null) {
      throw new AssertionError("after " + interrupts + " interrupts", failure.get());
    }
    ByteBuffer buf = ByteBuffer.allocate(BLOCK);
    assertEquals(BLOCK, file.read(buf, 0));
    if (uninterruptible) {
      assertSame(first, file.channel(), "never closed, so never reopened");
    }
    file.close();
  }

  @ParameterizedTest(name = "uninterruptible channels: {0}")
  @ValueSource(booleans = {false, true})
  void aCloseDuringReadsGivesTheDataOrEbadfNeverAnEndOfFile(boolean uninterruptible)
      throws Exception {
    byte[] data = fill("f");
    for (int round = 0; round < 200; round++) {
      VfsFile file = new HostProvider(root, uninterruptible).open("f", FileFlags.O_RDONLY, 0);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicBoolean started = new AtomicBoolean();
      Thread reader =
          new Thread(
              () -> {
                ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
                try {
                  for (int i = 0; ; i++) {
                    int block = i % BLOCKS;
                    buf.clear();
                    started.set(true);
                    int n;
                    try {
                      n = file.read(buf, (long) block * BLOCK);
                    } catch (VfsException e) {
                      assertEquals(Errno.EBADF, e.errno(), "a read of a closed file");
                      return;
                    }
                    assertEquals(BLOCK, n, "read " + i + ": all of the block, or EBADF");
                    assertEquals(data[block * BLOCK + 100], buf.get(100));
                  }
                } catch (Throwable t) {
                  failure.set(t);
                }
              });
      reader.start();
      while (!started.get()) {
        Thread.onSpinWait();
      }
      LockSupport.parkNanos(20_000 + round * 500L);
      file.close(); // as a provider leaving closes its files under running reads
      reader.join();
      if (failure.get() != null) {
        throw new AssertionError("round " + round, failure.get());
      }
    }
  }

  @Test
  void aChannelClosedByAnInterruptIsReopenedOnlyAsTheSameFile() throws Exception {
    byte[] data = fill("f");
    HostFile file = (HostFile) new HostProvider(root, false).open("f", FileFlags.O_RDONLY, 0);
    closeByInterrupt(file);
    ByteBuffer buf = ByteBuffer.allocate(BLOCK);
    assertEquals(BLOCK, file.read(buf, 0), "reopened: the same file");
    assertEquals(data[5], buf.get(5));

    closeByInterrupt(file);
    Files.write(root.resolve("other"), new byte[BLOCK]);
    Files.move(root.resolve("other"), root.resolve("f"), StandardCopyOption.REPLACE_EXISTING);
    VfsException e = assertThrows(VfsException.class, () -> file.read(buf.clear(), 0));
    assertEquals(Errno.EIO, e.errno(), "another file took the name: never read in its place");
    file.close();
    assertEquals(Errno.EBADF, assertThrows(VfsException.class, file::size).errno());
  }

  @Test
  void aFileThisOpenCreatedIsNotReopened() throws Exception {
    HostFile file =
        (HostFile)
            new HostProvider(root, false).open("new", FileFlags.O_CREAT | FileFlags.O_RDWR, 0600);
    assertEquals(3, file.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0));
    closeByInterrupt(file);
    VfsException e = assertThrows(VfsException.class, () -> file.read(ByteBuffer.allocate(3), 0));
    assertEquals(Errno.EIO, e.errno(), "no key from the open to check a new channel against");
    file.close();
  }

  /** Closes the file's channel the way an interrupt in the middle of a call does. */
  private static void closeByInterrupt(HostFile file) {
    Thread.currentThread().interrupt();
    assertThrows(
        ClosedByInterruptException.class, () -> file.channel().read(ByteBuffer.allocate(1), 0));
    Thread.interrupted();
    assertFalse(file.channel().isOpen());
  }
}
