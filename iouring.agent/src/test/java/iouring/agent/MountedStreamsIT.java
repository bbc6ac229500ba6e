package iouring.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs under the shaded agent with {@code it.mount} mounted in memory: one script of {@code
 * FileInputStream}, {@code FileOutputStream} and {@code RandomAccessFile} calls (and of their
 * channels and descriptors) must give on a mounted directory the transcript it gives on a real temp
 * directory, line by line, failures included.
 */
class MountedStreamsIT {
  private static final Path MOUNT = Path.of(System.getProperty("it.mount"));
  private static final AtomicInteger NAMES = new AtomicInteger();

  @TempDir Path real;

  /** One call of a script; its result, or its exception, is one line of the transcript. */
  interface Call {
    Object run() throws Exception;
  }

  /** A script: the streams it opens live across its calls. */
  interface Script {
    void run(String base, Transcript t) throws Exception;
  }

  /** The lines a script writes, with the base directory replaced so that both runs compare. */
  static final class Transcript {
    private final String base;
    private final List<String> lines = new ArrayList<>();

    Transcript(String base) {
      this.base = base;
    }

    /** Runs a call and writes its result or exception; returns the result, or null. */
    <T> T step(String label, Call call) {
      try {
        Object result = call.run();
        lines.add(label + ": " + show(result));
        @SuppressWarnings("unchecked")
        T typed = (T) result;
        return typed;
      } catch (Exception e) {
        lines.add(label + ": " + describe(e));
        return null;
      }
    }

    private String show(Object result) {
      String text;
      if (result instanceof byte[] bytes) {
        text = Arrays.toString(bytes);
      } else if (result instanceof FileChannel channel) {
        text = "channel open=" + channel.isOpen();
      } else if (result instanceof FileDescriptor) {
        text = "fd"; // a mounted file's is not valid(): see the test below
      } else if (result instanceof java.io.Closeable) {
        text = "opened";
      } else {
        text = String.valueOf(result);
      }
      return text.replace(base, "BASE");
    }

    private String describe(Exception e) {
      if (e instanceof NullPointerException) {
        return "NullPointerException"; // helpful messages name the JDK's local variables
      }
      String message = e.getMessage() == null ? "" : e.getMessage().replace(base, "BASE");
      return e.getClass().getName() + ": " + message;
    }
  }

  private void same(Script script) throws Exception {
    String name = "s" + NAMES.incrementAndGet();
    Path mounted = Files.createDirectory(MOUNT.resolve(name));
    Path host = Files.createDirectory(real.resolve(name));
    List<String> expected = transcript(host, script);
    List<String> actual = transcript(mounted, script);
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(
          expected.get(i), actual.get(i), "line " + i + " of\n" + String.join("\n", expected));
    }
    assertEquals(expected.size(), actual.size());
    assertHostUnderTheMountIsEmpty();
  }

  private static List<String> transcript(Path base, Script script) throws Exception {
    Transcript t = new Transcript(base.toString());
    script.run(base.toString(), t);
    return t.lines;
  }

  /** The host directory under the mount stays empty: through /proc/self/root it is the host's. */
  private static void assertHostUnderTheMountIsEmpty() {
    String[] entries = new File("/proc/self/root" + MOUNT).list();
    assertTrue(
        entries == null || entries.length == 0,
        "the host directory " + MOUNT + " must stay empty: " + Arrays.toString(entries));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String text(byte[] b, int n) {
    return n < 0 ? "n=" + n : new String(b, 0, n, StandardCharsets.US_ASCII);
  }

  @Test
  void fileInputStream() throws Exception {
    same(
        (b, t) -> {
          t.step("missing", () -> new FileInputStream(b + "/nope"));
          t.step("directory", () -> new FileInputStream(b));
          t.step("missing parent", () -> new FileInputStream(b + "/no/pe"));
          t.step("null name", () -> new FileInputStream((String) null));
          t.step(
              "setup",
              () -> {
                try (FileOutputStream out = new FileOutputStream(b + "/f")) {
                  out.write(ascii("0123456789abcdef"));
                }
                return Files.createDirectory(Path.of(b, "dir"));
              });
          t.step("directory by File", () -> new FileInputStream(new File(b, "dir")));
          t.step("through a file", () -> new FileInputStream(b + "/f/x"));
          FileInputStream in = t.step("open", () -> new FileInputStream(new File(b, "f")));
          byte[] buf = new byte[8];
          t.step("available", in::available);
          t.step("read", in::read);
          t.step("read 3", () -> text(buf, in.read(buf, 0, 3)));
          t.step("read 0", () -> in.read(buf, 0, 0));
          t.step("read bad offset", () -> in.read(buf, 7, 2));
          t.step("read negative", () -> in.read(buf, -1, 1));
          t.step("read null", () -> in.read(null));
          t.step("read null 0", () -> in.read(null, 0, 0));
          t.step("available", in::available);
          t.step("skip 2", () -> in.skip(2));
          t.step("skip -1", () -> in.skip(-1));
          t.step("skip -100", () -> in.skip(-100));
          FileChannel channel = t.step("channel", in::getChannel);
          t.step("same channel", () -> in.getChannel() == channel);
          t.step("channel position", channel::position);
          t.step("channel size", channel::size);
          t.step("channel read", () -> channel.read(ByteBuffer.allocate(2)));
          t.step("stream follows", in::read);
          t.step("channel position 1", () -> channel.position(1).position());
          t.step("read after position", in::read);
          t.step("channel write", () -> channel.write(ByteBuffer.wrap(ascii("x"))));
          t.step("readNBytes 4", () -> in.readNBytes(4));
          t.step("readNBytes 0", () -> in.readNBytes(0));
          t.step("readNBytes -1", () -> in.readNBytes(-1));
          t.step("readAllBytes", in::readAllBytes);
          t.step("read at EOF", in::read);
          t.step("read buffer at EOF", () -> in.read(buf));
          t.step("readAllBytes at EOF", in::readAllBytes);
          t.step("available at EOF", in::available);
          t.step("skip past EOF", () -> in.skip(100));
          t.step("available past EOF", in::available);
          t.step("read past EOF", in::read);
          t.step("position past EOF", channel::position);
          t.step("fd", in::getFD);
          t.step("close", () -> close(in));
          t.step("channel closed", channel::isOpen);
          t.step("close twice", () -> close(in));
          t.step("read closed", in::read);
          t.step("read buffer closed", () -> in.read(buf));
          t.step("read 0 closed", () -> in.read(buf, 0, 0));
          t.step("skip closed", () -> in.skip(1));
          t.step("available closed", in::available);
          t.step("readAllBytes closed", in::readAllBytes);
          t.step("channel after close", in::getChannel);
          FileInputStream second = t.step("reopen", () -> new FileInputStream(b + "/f"));
          t.step("skip from start", () -> second.skip(10));
          t.step("readNBytes", () -> second.readNBytes(100));
          FileInputStream third = t.step("third", () -> new FileInputStream(b + "/f"));
          t.step("late channel", () -> third.getChannel().position(14).size());
          t.step("transferTo a buffer", () -> transfer(third, new ByteArrayOutputStream()));
          t.step("closed by its channel", () -> close(third.getChannel()));
          t.step("read after channel close", third::read);
          t.step("close second", () -> close(second));
          t.step(
              "transferTo a file",
              () -> {
                try (FileInputStream from = new FileInputStream(b + "/f");
                    FileOutputStream to = new FileOutputStream(b + "/copy")) {
                  from.skip(3);
                  return from.transferTo(to) + " " + from.read() + " " + to.getChannel().size();
                }
              });
          t.step("copied", () -> Files.readString(Path.of(b, "copy")));
        });
  }

  private static String close(java.io.Closeable c) throws IOException {
    c.close();
    return "closed";
  }

  private static String transfer(FileInputStream in, ByteArrayOutputStream out) throws IOException {
    long n = in.transferTo(out);
    return n + " " + out.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void fileOutputStream() throws Exception {
    same(
        (b, t) -> {
          t.step("directory", () -> new FileOutputStream(b));
          t.step("missing parent", () -> new FileOutputStream(b + "/no/pe"));
          FileOutputStream out = t.step("create", () -> new FileOutputStream(b + "/f"));
          t.step("write", () -> run(() -> out.write('a')));
          t.step("write int above a byte", () -> run(() -> out.write(0x162)));
          t.step("write array", () -> run(() -> out.write(ascii("bcd"))));
          t.step("write slice", () -> run(() -> out.write(ascii("xefx"), 1, 2)));
          t.step("write 0", () -> run(() -> out.write(ascii("x"), 1, 0)));
          t.step("write bad slice", () -> run(() -> out.write(ascii("x"), 1, 1)));
          t.step("write null", () -> run(() -> out.write(null)));
          FileChannel channel = t.step("channel", out::getChannel);
          t.step("channel position", channel::position);
          t.step("channel read", () -> channel.read(ByteBuffer.allocate(1)));
          t.step("channel write", () -> channel.write(ByteBuffer.wrap(ascii("gh"))));
          t.step("stream follows", () -> run(() -> out.write('i')));
          t.step("channel position 2", () -> channel.position(2).position());
          t.step("overwrite", () -> run(() -> out.write(ascii("ZZ"))));
          t.step("flush", () -> run(out::flush));
          t.step("fd sync", () -> run(() -> out.getFD().sync()));
          t.step("content", () -> Files.readString(Path.of(b, "f")));
          t.step("close", () -> close(out));
          t.step("write closed", () -> run(() -> out.write(1)));
          t.step("write array closed", () -> run(() -> out.write(ascii("x"))));
          t.step("write 0 closed", () -> run(() -> out.write(ascii("x"), 0, 0)));
          t.step("channel closed", channel::isOpen);
          FileOutputStream append = t.step("append", () -> new FileOutputStream(b + "/f", true));
          t.step("append position", () -> append.getChannel().position());
          t.step("append write", () -> run(() -> append.write(ascii("++"))));
          t.step(
              "append channel write", () -> append.getChannel().write(ByteBuffer.wrap(ascii("-"))));
          t.step("append position 0", () -> append.getChannel().position(0).position());
          t.step("append again", () -> run(() -> append.write('!')));
          t.step("close append", () -> close(append));
          t.step("appended", () -> Files.readString(Path.of(b, "f")));
          FileOutputStream truncating =
              t.step("truncate", () -> new FileOutputStream(new File(b, "f")));
          t.step("truncated", () -> Files.size(Path.of(b, "f")));
          t.step("close by channel", () -> close(truncating.getChannel()));
          t.step("write after channel close", () -> run(() -> truncating.write(1)));
          t.step(
              "read-only file",
              () ->
                  Files.setPosixFilePermissions(
                      Path.of(b, "f"), PosixFilePermissions.fromString("r--r--r--")));
          t.step("write a read-only file", () -> close(new FileOutputStream(b + "/f", true)));
          FileInputStream in = t.step("input", () -> new FileInputStream(b + "/f"));
          FileOutputStream shared = t.step("on its fd", () -> new FileOutputStream(in.getFD()));
          t.step("write on a read-only fd", () -> run(() -> shared.write(1)));
          t.step("close shared", () -> close(shared));
          t.step("input closed with it", in::read);
        });
  }

  interface Action {
    void run() throws Exception;
  }

  private static String run(Action action) throws Exception {
    action.run();
    return "ok";
  }

  @Test
  void randomAccessFile() throws Exception {
    same(
        (b, t) -> {
          t.step("bad mode", () -> new RandomAccessFile(b + "/f", "w"));
          t.step("r missing", () -> new RandomAccessFile(b + "/f", "r"));
          t.step("r directory", () -> new RandomAccessFile(b, "r"));
          t.step("rw directory", () -> new RandomAccessFile(b, "rw"));
          t.step("rw missing parent", () -> new RandomAccessFile(b + "/no/pe", "rw"));
          RandomAccessFile raf = t.step("rw", () -> new RandomAccessFile(b + "/f", "rw"));
          t.step("length", raf::length);
          t.step("writeInt", () -> run(() -> raf.writeInt(0x01020304)));
          t.step("writeLong", () -> run(() -> raf.writeLong(-2)));
          t.step("writeUTF", () -> run(() -> raf.writeUTF("h\u00e9llo")));
          t.step("writeChars", () -> run(() -> raf.writeChars("ab")));
          t.step("writeBytes", () -> run(() -> raf.writeBytes("line1\nline2\r\nline3\rline4")));
          t.step("writeDouble", () -> run(() -> raf.writeDouble(1.5)));
          t.step("writeBoolean", () -> run(() -> raf.writeBoolean(true)));
          t.step("writeShort", () -> run(() -> raf.writeShort(-3)));
          t.step("pointer", () -> raf.getFilePointer());
          t.step("length", () -> raf.length());
          t.step("seek 0", () -> run(() -> raf.seek(0)));
          t.step("readInt", raf::readInt);
          t.step("readLong", raf::readLong);
          t.step("readUTF", raf::readUTF);
          t.step("readChar", raf::readChar);
          t.step("readChar", raf::readChar);
          t.step("readLine", raf::readLine);
          t.step("readLine", raf::readLine);
          t.step("readLine", raf::readLine);
          t.step("pointer", raf::getFilePointer);
          t.step("readLine", raf::readLine);
          t.step("readDouble", raf::readDouble);
          t.step("readBoolean", raf::readBoolean);
          t.step("readShort", raf::readShort);
          t.step("readLine at EOF", raf::readLine);
          t.step("readInt at EOF", raf::readInt);
          t.step("readFully at EOF", () -> run(() -> raf.readFully(new byte[2])));
          t.step("read at EOF", raf::read);
          t.step("seek negative", () -> run(() -> raf.seek(-1)));
          t.step("seek past end", () -> run(() -> raf.seek(100)));
          t.step("read past end", raf::read);
          t.step("write a hole", () -> run(() -> raf.write(ascii("end"))));
          t.step("length with hole", raf::length);
          t.step("seek into hole", () -> run(() -> raf.seek(90)));
          byte[] hole = new byte[12];
          t.step("read hole", () -> raf.read(hole) + " " + Arrays.toString(hole));
          t.step("skipBytes 0", () -> raf.skipBytes(0));
          t.step("skipBytes past end", () -> raf.skipBytes(50));
          t.step("seek beyond", () -> run(() -> raf.seek(200)));
          t.step("skipBytes from beyond", () -> raf.skipBytes(1));
          t.step("pointer", raf::getFilePointer);
          FileChannel channel = t.step("channel", raf::getChannel);
          t.step("channel position", channel::position);
          t.step("seek moves the channel", () -> run(() -> raf.seek(4)));
          t.step("channel position", channel::position);
          t.step("channel moves the file", () -> channel.position(8).position());
          t.step("pointer", raf::getFilePointer);
          t.step("setLength shrinks under the position", () -> run(() -> raf.setLength(6)));
          t.step("pointer", raf::getFilePointer);
          t.step("channel position", channel::position);
          t.step("setLength grows", () -> run(() -> raf.setLength(4000)));
          t.step("pointer", raf::getFilePointer);
          t.step("length", raf::length);
          t.step("setLength shrinks above the position", () -> run(() -> raf.setLength(10)));
          t.step("pointer", raf::getFilePointer);
          t.step("setLength negative", () -> run(() -> raf.setLength(-1)));
          t.step("channel truncate", () -> channel.truncate(3).size());
          t.step("pointer", raf::getFilePointer);
          t.step("read null", () -> raf.read(null));
          t.step("read bad slice", () -> raf.read(new byte[2], 1, 2));
          t.step("write bad slice", () -> run(() -> raf.write(new byte[2], 2, 1)));
          t.step("fd", raf::getFD);
          t.step("fd sync", () -> run(() -> raf.getFD().sync()));
          t.step("close", () -> close(raf));
          t.step("close twice", () -> close(raf));
          t.step("channel closed", channel::isOpen);
          t.step("read closed", raf::read);
          t.step("write closed", () -> run(() -> raf.write(1)));
          t.step("pointer closed", raf::getFilePointer);
          t.step("length closed", raf::length);
          t.step("seek closed", () -> run(() -> raf.seek(1)));
          t.step("setLength closed", () -> run(() -> raf.setLength(1)));
          t.step("readLine closed", raf::readLine);
          t.step("skipBytes closed", () -> raf.skipBytes(1));
          t.step("sync closed", () -> run(() -> raf.getFD().sync()));
          RandomAccessFile r = t.step("r", () -> new RandomAccessFile(b + "/f", "r"));
          t.step("r read", () -> r.read(new byte[3]));
          t.step("r write", () -> run(() -> r.write(1)));
          t.step("r writeBytes", () -> run(() -> r.writeBytes("x")));
          t.step("r setLength shorter", () -> run(() -> r.setLength(1)));
          t.step("r setLength longer", () -> run(() -> r.setLength(5000)));
          t.step("r channel write", () -> r.getChannel().write(ByteBuffer.wrap(ascii("x"))));
          t.step("r channel is the same", () -> r.getChannel() == r.getChannel());
          FileInputStream shared = t.step("stream on its fd", () -> new FileInputStream(r.getFD()));
          t.step("seek 1", () -> run(() -> r.seek(1)));
          t.step("shared position", shared::read);
          t.step("pointer follows", r::getFilePointer);
          t.step("close shared", () -> close(shared));
          t.step("closes the file too", r::read);
          t.step("rws", () -> close(new RandomAccessFile(b + "/f", "rws")));
          t.step("rwd", () -> close(new RandomAccessFile(b + "/f", "rwd")));
          t.step(
              "read-only",
              () ->
                  Files.setPosixFilePermissions(
                      Path.of(b, "f"), PosixFilePermissions.fromString("r--r--r--")));
          t.step("rw on a read-only file", () -> close(new RandomAccessFile(b + "/f", "rw")));
          RandomAccessFile last = t.step("last", () -> new RandomAccessFile(b + "/g", "rw"));
          t.step("closed by its channel", () -> close(last.getChannel()));
          t.step("read after channel close", last::read);
        });
  }

  /** The JDK's own users of the streams: a zip file is a RandomAccessFile inside ZipFile. */
  @Test
  void zipFiles() throws Exception {
    same(
        (b, t) -> {
          t.step(
              "write a zip",
              () -> {
                try (ZipOutputStream zip =
                    new ZipOutputStream(new FileOutputStream(b + "/z.zip"))) {
                  zip.putNextEntry(new ZipEntry("a.txt"));
                  zip.write(ascii("alpha"));
                  zip.putNextEntry(new ZipEntry("dir/b.txt"));
                  zip.write(ascii("beta"));
                }
                return Files.size(Path.of(b, "z.zip"));
              });
          t.step(
              "read it",
              () -> {
                try (ZipFile zip = new ZipFile(b + "/z.zip")) {
                  List<String> out = new ArrayList<>();
                  for (ZipEntry e : Collections.list(zip.entries())) {
                    out.add(e.getName() + "=" + new String(zip.getInputStream(e).readAllBytes()));
                  }
                  return out;
                }
              });
          t.step("not a zip", () -> new ZipFile(b + "/z.zip/x"));
          t.step("missing", () -> new ZipFile(b + "/nope.zip"));
        });
  }

  @Test
  void outsideTheMountTheStreamsAreTheJdks() throws IOException {
    Path file = real.resolve("host");
    try (FileOutputStream out = new FileOutputStream(file.toFile())) {
      out.write(ascii("host"));
      assertTrue(out.getFD().valid());
      assertTrue(out.getChannel().getClass().getName().startsWith("sun.nio.ch."));
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      assertTrue(raf.getFD().valid());
      assertEquals(4, raf.length());
      assertTrue(raf.getChannel().getClass().getName().startsWith("sun.nio.ch."));
    }
    IOException e =
        assertThrows(IOException.class, () -> new FileInputStream(MOUNT.resolve("in").toString()));
    assertEquals(MOUNT.resolve("in") + " (No such file or directory)", e.getMessage());
  }

  @Test
  void aMountedStreamsDescriptorIsNotValidAndItsChannelIsTheRings() throws IOException {
    Path file = MOUNT.resolve("m" + NAMES.incrementAndGet());
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(ascii("mounted"));
      assertFalse(raf.getFD().valid());
      assertEquals("RingFileChannel[" + file + "]", raf.getChannel().toString());
      assertEquals("mounted", Files.readString(file));
    }
    assertHostUnderTheMountIsEmpty();
  }

  /**
   * A stream closed by one thread while another writes to it: the writes that lose the race fail
   * with the JDK's {@code "Stream Closed"}, and none reaches a file opened right after the close,
   * which may get the same fd number.
   */
  @Test
  void writesRacingACloseNeverReachTheFileThatReusesTheFd() throws Exception {
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    for (int round = 0; round < 300; round++) {
      Path victim = MOUNT.resolve("victim" + NAMES.incrementAndGet());
      Path next = MOUNT.resolve("next" + NAMES.incrementAndGet());
      FileOutputStream out = new FileOutputStream(victim.toString());
      java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
      Thread writer =
          new Thread(
              () -> {
                try {
                  while (true) {
                    out.write('x');
                    writing.countDown();
                  }
                } catch (IOException e) {
                  failures.add(e.getMessage());
                  writing.countDown();
                }
              });
      writer.start();
      writing.await();
      out.close();
      try (RandomAccessFile other = new RandomAccessFile(next.toString(), "rw")) {
        writer.join();
        assertEquals(0, other.length(), "round " + round + ": a write went to the reused fd");
      }
    }
    assertEquals(Collections.nCopies(300, "Stream Closed"), failures);
  }
}
