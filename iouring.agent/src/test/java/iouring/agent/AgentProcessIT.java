package iouring.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts child JVMs under the agent: what it writes at exit, and how it refuses bad options. */
class AgentProcessIT {
  @TempDir Path dir;

  /** The child: writes 5 bytes, reads them back twice, syncs, and checks the size. */
  public static final class Child {
    private Child() {}

    /**
     * Runs the child's I/O under the directory given.
     *
     * @param args the data directory
     * @throws IOException if the I/O fails
     */
    public static void main(String[] args) throws IOException {
      Path file = Path.of(args[0], "child.bin");
      try (FileChannel channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap("12345".getBytes(StandardCharsets.UTF_8)));
        channel.read(ByteBuffer.allocate(5), 0);
        channel.read(ByteBuffer.allocate(5), 0);
        channel.force(true);
        System.out.println("size " + channel.size());
      }
    }
  }

  /** The child for the Files API: a directory, a move, a listing and deletes under the mount. */
  public static final class FilesChild {
    private FilesChild() {}

    /**
     * Runs the child's Files calls under the directory given.
     *
     * @param args the data directory
     * @throws IOException if a call fails
     */
    public static void main(String[] args) throws IOException {
      Path dir = Files.createDirectory(Path.of(args[0], "dir"));
      Files.writeString(dir.resolve("f"), "x");
      System.out.println("exists " + Files.exists(dir.resolve("f")));
      Files.move(dir.resolve("f"), dir.resolve("g"));
      try (var names = Files.list(dir)) {
        System.out.println("names " + names.map(p -> p.getFileName().toString()).toList());
      }
      Files.delete(dir.resolve("g"));
      Files.delete(dir);
    }
  }

  /** The child for the java.io streams: writes, reads, truncates and syncs a mounted file. */
  public static final class StreamsChild {
    private StreamsChild() {}

    /**
     * Runs the child's stream calls under the directory given.
     *
     * @param args the data directory
     * @throws IOException if a call fails
     */
    public static void main(String[] args) throws IOException {
      File file = new File(args[0], "streams.bin");
      try (FileOutputStream out = new FileOutputStream(file)) {
        out.write("12345".getBytes(StandardCharsets.UTF_8));
      }
      try (FileInputStream in = new FileInputStream(file)) {
        System.out.println("read " + in.read(new byte[5]) + " " + in.read());
      }
      try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
        System.out.println("length " + raf.length());
        raf.setLength(2);
        raf.getFD().sync();
      }
    }
  }

  private static Result run(String agentOptions, String... args)
      throws IOException, InterruptedException {
    return run(Child.class, agentOptions, args);
  }

  private static Result run(Class<?> main, String agentOptions, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:off"); // no CDS warning once the bridge is on the boot class path
    command.add("-javaagent:" + System.getProperty("agent.jar") + "=" + agentOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }

  record Result(int exit, String output) {}

  private static long count(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": (\\d+)").matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Test
  void statsCountSqesByOpcodeAndTheHostStaysEmpty() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Path stats = dir.resolve("stats.json");
    Path trace = dir.resolve("trace.tsv");
    Result result =
        run("mount=" + data + "=memory,stats=" + stats + ",trace=" + trace, data.toString());
    assertEquals(0, result.exit(), result.output());
    assertTrue(result.output().contains("size 5"), result.output());
    String json = Files.readString(stats);
    assertEquals(1, count(json, "IORING_OP_OPENAT"), json);
    assertEquals(1, count(json, "IORING_OP_WRITE"), json);
    assertEquals(2, count(json, "IORING_OP_READ"), json);
    assertEquals(1, count(json, "IORING_OP_FSYNC"), json);
    assertEquals(1, count(json, "IORING_OP_STATX"), json);
    assertEquals(1, count(json, "IORING_OP_CLOSE"), json);
    assertEquals(10, count(json, "bytesRead"), json);
    assertEquals(5, count(json, "bytesWritten"), json);
    List<String> lines = Files.readAllLines(trace);
    assertEquals(Trace.HEADER, lines.get(0));
    assertEquals(1 + 7, lines.size(), String.join("\n", lines));
    assertTrue(
        lines.get(2).contains("\tIORING_OP_WRITE\t" + data.resolve("child.bin") + "\t-1\t5\t5\t"));
    try (var listing = Files.list(data)) {
      assertFalse(listing.findAny().isPresent(), "the host data directory stays empty");
    }
  }

  @Test
  void filesCallsAreCountedAndTraced() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Path stats = dir.resolve("stats.json");
    Path trace = dir.resolve("trace.tsv");
    Result result =
        run(
            FilesChild.class,
            "mount=" + data + "=memory,stats=" + stats + ",trace=" + trace,
            data.toString());
    assertEquals(0, result.exit(), result.output());
    assertTrue(result.output().contains("exists true\nnames [g]"), result.output());
    String json = Files.readString(stats);
    assertEquals(1, count(json, "IORING_OP_MKDIRAT"), json);
    assertEquals(1, count(json, "IORING_OP_RENAMEAT"), json);
    assertEquals(2, count(json, "IORING_OP_UNLINKAT"), json);
    // exists 1, move 2 (source and target), list 1, delete 2 (to tell a directory from a file)
    assertEquals(6, count(json, "IORING_OP_STATX"), json);
    String lines = Files.readString(trace);
    assertTrue(
        lines.contains("\tIORING_OP_MKDIRAT\t" + data.resolve("dir") + "\t0\t0\t0\t"), lines);
    assertTrue(lines.contains("\tIORING_OP_RENAMEAT\t" + data.resolve("dir/f") + "\t"), lines);
    try (var listing = Files.list(data)) {
      assertFalse(listing.findAny().isPresent(), "the host data directory stays empty");
    }
  }

  @Test
  void streamsAreCountedAndTheHostStaysEmpty() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Path stats = dir.resolve("stats.json");
    Path trace = dir.resolve("trace.tsv");
    Result result =
        run(
            StreamsChild.class,
            "mount=" + data + "=memory,stats=" + stats + ",trace=" + trace,
            data.toString());
    assertEquals(0, result.exit(), result.output());
    assertTrue(result.output().contains("read 5 -1\nlength 5"), result.output());
    String json = Files.readString(stats);
    // each open is an OPENAT and the fstat that tells a directory, as the JDK's open0
    assertEquals(3, count(json, "IORING_OP_OPENAT"), json);
    assertEquals(4, count(json, "IORING_OP_STATX"), json); // 3 opens, length()
    assertEquals(1, count(json, "IORING_OP_WRITE"), json);
    assertEquals(2, count(json, "IORING_OP_READ"), json); // 5 bytes, then the end
    assertEquals(1, count(json, "IORING_OP_FTRUNCATE"), json);
    assertEquals(1, count(json, "IORING_OP_FSYNC"), json);
    assertEquals(3, count(json, "IORING_OP_CLOSE"), json);
    assertEquals(5, count(json, "bytesRead"), json);
    assertEquals(5, count(json, "bytesWritten"), json);
    String lines = Files.readString(trace);
    assertTrue(
        lines.contains("\tIORING_OP_FTRUNCATE\t" + data.resolve("streams.bin") + "\t2\t0\t0\t"),
        lines);
    try (var listing = Files.list(data)) {
      assertFalse(listing.findAny().isPresent(), "the host data directory stays empty");
    }
  }

  @Test
  void optionsComeFromAFile() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Path stats = dir.resolve("stats.json");
    Path options = dir.resolve("agent.options");
    Files.writeString(
        options, "# the demo's mount\nmount=" + data + "=memory\nstats=" + stats + "\n");
    Result result = run("options=@" + options, data.toString());
    assertEquals(0, result.exit(), result.output());
    assertEquals(1, count(Files.readString(stats), "IORING_OP_WRITE"));
  }

  @Test
  void badOptionsStopTheJvmWithOneLine() throws Exception {
    assertRefused(
        "foo=1", "iouring agent: unknown option 'foo' (known: mount, trace, stats, ring, options)");
    assertRefused(
        "mount=/tmp/x",
        "iouring agent: malformed mount '/tmp/x' (expected mount=PATH=PROVIDER[:KEY=VALUE...])");
    assertRefused(
        "mount=/tmp/x=nfs",
        "iouring agent: mount /tmp/x: no provider type 'nfs' on the class path");
    assertRefused(
        "ring=3", "iouring agent: option 'ring' must be a power of two from 1 to 32768, not '3'");
    assertRefused(
        "mount=/tmp/x=memory:size=1",
        "iouring agent: mount /tmp/x: EINVAL: unknown memory option 'size'");
  }

  private void assertRefused(String options, String line) throws Exception {
    Result result = run(options, dir.toString());
    assertEquals(2, result.exit(), result.output());
    assertEquals(line, result.output().strip(), result.output());
  }
}
