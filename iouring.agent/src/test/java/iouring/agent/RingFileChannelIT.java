package iouring.agent;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs under the shaded agent with {@code it.mount} mounted in memory: every FileChannel method on
 * a mounted file must give what the JDK's own channel gives on a real temp file, step by step.
 */
class RingFileChannelIT {
  private static final Path MOUNT = Path.of(System.getProperty("it.mount"));
  private static final AtomicInteger NAMES = new AtomicInteger();

  @TempDir Path real;

  /** One step of a script, run on both files; its result or exception is the transcript. */
  interface Step {
    Object run(FileChannel channel) throws Exception;
  }

  private List<String> transcript(Path file, Set<OpenOption> options, List<Step> steps)
      throws IOException {
    List<String> out = new ArrayList<>();
    FileChannel channel;
    try {
      channel = FileChannel.open(file, options);
    } catch (Exception e) {
      out.add("open: " + describe(e, file));
      return out;
    }
    try (channel) {
      for (Step step : steps) {
        try {
          Object result = step.run(channel);
          out.add(result instanceof FileChannel ? "this" : String.valueOf(result));
        } catch (Exception e) {
          out.add(describe(e, file));
        }
        out.add("position=" + safe(channel::position) + " size=" + safe(channel::size));
      }
    }
    return out;
  }

  private static String describe(Exception e, Path file) {
    if (e instanceof NullPointerException) {
      return "NullPointerException"; // helpful messages name the JDK's local variables
    }
    String message = e.getMessage() == null ? "" : e.getMessage().replace(file.toString(), "FILE");
    return e.getClass().getName() + ": " + message;
  }

  interface LongCall {
    long call() throws IOException;
  }

  private static String safe(LongCall call) {
    try {
      return String.valueOf(call.call());
    } catch (Exception e) {
      return e.getClass().getSimpleName();
    }
  }

  private void same(Set<OpenOption> options, List<Step> steps, String... setupContent)
      throws IOException {
    String name = "f" + NAMES.incrementAndGet();
    Path mounted = MOUNT.resolve(name);
    Path host = real.resolve(name);
    if (setupContent.length > 0) {
      for (Path p : List.of(mounted, host)) {
        try (FileChannel c = FileChannel.open(p, CREATE, WRITE)) {
          c.write(ByteBuffer.wrap(setupContent[0].getBytes(StandardCharsets.UTF_8)));
        }
      }
    }
    try (FileChannel probe = FileChannel.open(real.resolve("probe"), CREATE, WRITE)) {
      assertTrue(probe.getClass().getName().startsWith("sun."), "outside the mount: JDK channel");
    }
    List<String> expected = transcript(host, options, steps);
    List<String> actual = transcript(mounted, options, steps);
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(
          expected.get(i), actual.get(i), "line " + i + " of\n" + String.join("\n", expected));
    }
    assertEquals(expected.size(), actual.size());
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static ByteBuffer direct(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocateDirect(b.length).put(b).flip();
  }

  private static String read(FileChannel c, int n, long position) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    int r = position < 0 ? c.read(b) : c.read(b, position);
    return r + ":" + new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
  }

  @Test
  void readsAndWritesInAllForms() throws IOException {
    same(
        Set.of(READ, WRITE, CREATE),
        List.of(
            c -> c.getClass() == FileChannel.class,
            c -> c.write(bytes("hello ")),
            c -> c.write(direct("world")),
            c -> c.write(bytes("XY"), 20),
            c -> read(c, 4, 0),
            c -> c.position(2),
            c -> read(c, 5, -1),
            c -> {
              ByteBuffer d = ByteBuffer.allocateDirect(3);
              return c.read(d, 6) + ":" + d.flip().remaining();
            },
            c -> c.write(new ByteBuffer[] {bytes("ab"), ByteBuffer.allocate(0), direct("cd")}),
            c -> {
              ByteBuffer[] d = {ByteBuffer.allocate(3), ByteBuffer.allocateDirect(4)};
              c.position(0);
              long r = c.read(d, 0, 2);
              return r + ":" + d[0].position() + "," + d[1].position();
            },
            c -> c.write(new ByteBuffer[] {bytes("zz")}, 0, 0),
            c -> read(c, 10, 100),
            c -> c.position(100),
            c -> read(c, 10, -1),
            c -> read(c, 0, -1),
            c -> c.read(ByteBuffer.allocate(4).asReadOnlyBuffer()),
            c -> c.read(ByteBuffer.allocate(1), -1),
            c -> c.write(bytes("x"), -1),
            c -> c.position(-1),
            c -> c.read((ByteBuffer) null),
            c -> c.read(new ByteBuffer[1], 0, 2)));
  }

  @Test
  void truncateForceAndSize() throws IOException {
    same(
        Set.of(READ, WRITE),
        List.of(
            c -> c.position(8),
            c -> c.truncate(20),
            c -> c.truncate(5),
            c -> read(c, 10, 0),
            c -> c.truncate(-1),
            c -> {
              c.force(true);
              c.force(false);
              return "forced";
            },
            c -> c.position(2).truncate(3).position()),
        "0123456789");
  }

  @Test
  void wrongModesAndClosedChannels() throws IOException {
    same(
        Set.of(READ),
        List.of(
            c -> c.write(bytes("x")),
            c -> c.write(bytes("x"), 0),
            c -> c.write(new ByteBuffer[] {bytes("x")}),
            c -> c.truncate(0),
            c -> c.lock(),
            c -> c.tryLock(0, 1, true).isShared(),
            c -> read(c, 3, 0),
            c -> {
              c.close();
              return c.isOpen();
            },
            c -> read(c, 3, 0),
            c -> c.write(bytes("x")),
            c -> c.position(),
            c -> c.size(),
            c -> {
              c.force(true);
              return "forced";
            }),
        "abc");
    same(
        Set.of(WRITE),
        List.of(c -> read(c, 1, 0), c -> read(c, 1, -1), c -> c.tryLock(0, 1, true)),
        "abc");
  }

  @Test
  void appendCreateNewAndTruncateExisting() throws IOException {
    same(
        Set.of(APPEND),
        List.of(c -> c.write(bytes("de")), c -> c.position(1), c -> c.write(bytes("f"))),
        "abc");
    same(Set.of(WRITE, TRUNCATE_EXISTING), List.of(c -> c.write(bytes("z"))), "abc");
    same(Set.of(WRITE, CREATE_NEW), List.of(c -> "opened"), "abc");
    same(Set.of(WRITE, CREATE_NEW), List.of(c -> c.write(bytes("new"))));
    same(Set.of(READ), List.of(c -> "opened")); // NoSuchFileException
    same(Set.of(READ, APPEND), List.of(c -> "opened"), "abc");
    same(Set.of(APPEND, TRUNCATE_EXISTING), List.of(c -> "opened"), "abc");
  }

  @Test
  void transfersAndLocks() throws IOException {
    Path other = real.resolve("other");
    Files.writeString(other, "from another file");
    same(
        Set.of(READ, WRITE),
        List.of(
            c -> {
              try (SeekableByteChannel sink =
                  Files.newByteChannel(
                      real.resolve("sink" + NAMES.incrementAndGet()), CREATE, WRITE)) {
                return c.transferTo(2, 5, sink) + ":" + sink.size();
              }
            },
            c -> c.transferTo(50, 5, Channels.newChannel(OutputStream.nullOutputStream())),
            c -> {
              try (FileChannel src = FileChannel.open(other)) {
                return c.transferFrom(src, 3, 4);
              }
            },
            c -> {
              try (FileChannel src = FileChannel.open(other)) {
                return c.transferFrom(src, 40, 4);
              }
            },
            c -> c.transferTo(-1, 1, Channels.newChannel(OutputStream.nullOutputStream())),
            c -> read(c, 20, 0),
            c -> {
              FileLock lock = c.lock(0, 4, false);
              String s =
                  lock.isValid()
                      + ","
                      + lock.isShared()
                      + ","
                      + lock.position()
                      + ","
                      + lock.size();
              try {
                c.tryLock(2, 4, false);
              } catch (Exception e) {
                s += "," + e.getClass().getSimpleName();
              }
              FileLock second = c.tryLock(10, 2, true);
              lock.release();
              return s + "," + lock.isValid() + "," + second.isValid();
            },
            c -> {
              // Size 0: to the end of the file from JDK 19 on, an empty range before.
              FileLock lock = c.tryLock(100, 0, false);
              String s = lock.position() + "+" + lock.size();
              try {
                s += "," + c.tryLock(200, 5, false).size();
              } catch (Exception e) {
                s += "," + e.getClass().getSimpleName();
              }
              return s;
            },
            c -> {
              FileLock lock = c.lock();
              c.close();
              return lock.isValid();
            }),
        "0123456789");
  }

  @Test
  void streamsAndByteChannelsAreRingChannels() throws IOException {
    Path file = MOUNT.resolve("stream" + NAMES.incrementAndGet());
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write("streamed".getBytes(StandardCharsets.UTF_8));
    }
    try (InputStream in = Files.newInputStream(file)) {
      assertEquals("streamed", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      assertEquals("RingFileChannel", channel.getClass().getSimpleName());
      assertEquals(8, channel.size());
    }
    try (FileChannel channel = FileChannel.open(file)) {
      UnsupportedOperationException e =
          assertThrows(
              UnsupportedOperationException.class,
              () -> channel.map(FileChannel.MapMode.READ_ONLY, 0, 1));
      assertTrue(e.getMessage().contains("no host file"), e.getMessage());
    }
    assertThrows(
        java.nio.file.NoSuchFileException.class,
        () -> FileChannel.open(MOUNT.resolve("missing/dir/file"), CREATE, WRITE));
  }

  @Test
  void hostDirectoryUnderTheMountStaysEmpty() throws IOException {
    try (FileChannel c = FileChannel.open(MOUNT.resolve("hostcheck"), CREATE, WRITE)) {
      c.write(bytes("data"));
    }
    // The host's own view: through /proc/self/root the path is not the mount's to the agent.
    String[] hostEntries = new java.io.File("/proc/self/root" + MOUNT).list();
    assertFalse(
        hostEntries != null && hostEntries.length > 0,
        "the host directory " + MOUNT + " must stay empty");
  }

  /**
   * A channel closed by one thread while another writes through it: the writes that lose the race
   * fail (the JDK's {@code AsynchronousCloseException}), and none ever reaches a file opened right
   * after the close, which may get the same fd number.
   */
  @Test
  void writesRacingACloseNeverReachTheFileThatReusesTheFd() throws Exception {
    for (int round = 0; round < 300; round++) {
      Path victim = MOUNT.resolve("victim" + NAMES.incrementAndGet());
      Path next = MOUNT.resolve("next" + NAMES.incrementAndGet());
      FileChannel channel = FileChannel.open(victim, CREATE, WRITE);
      java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
      Thread writer =
          new Thread(
              () -> {
                try {
                  while (true) {
                    channel.write(bytes("stray"), 0);
                    writing.countDown();
                  }
                } catch (IOException expected) {
                  writing.countDown(); // closed under it: the end of this writer
                }
              });
      writer.start();
      writing.await();
      channel.close();
      try (FileChannel other = FileChannel.open(next, CREATE, WRITE, READ)) {
        writer.join();
        assertEquals(0, other.size(), "round " + round + ": a write went to the reused fd");
      }
    }
  }
}
