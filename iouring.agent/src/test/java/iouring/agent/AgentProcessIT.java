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
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
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

  /**
   * The child under a host mount: says whether {@code sun.nio.ch} is open to the class path, where
   * the host provider lives, and reads a mounted file.
   */
  public static final class HostMountReader {
    private HostMountReader() {}

    /**
     * Reads the file given.
     *
     * @param args the file
     * @throws IOException if a read fails
     */
    public static void main(String[] args) throws IOException {
      Module base = FileChannel.class.getModule();
      System.out.println("opened " + base.isOpen("sun.nio.ch", HostMountReader.class.getModule()));
      try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ)) {
        ByteBuffer buf = ByteBuffer.allocate(5);
        System.out.println("read " + channel.read(buf, 0) + " " + new String(buf.array(), "UTF-8"));
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

  /** The child for fault options: each step prints its result or the exception it threw. */
  public static final class FaultChild {
    private FaultChild() {}

    interface Step {
      Object run() throws IOException;
    }

    private static void step(String name, Step step) {
      String result;
      try {
        result = String.valueOf(step.run());
      } catch (IOException e) {
        result = e.getClass().getName() + ": " + e.getMessage();
      }
      System.out.println(name + " -> " + result);
    }

    /**
     * Runs I/O that the test's fault options fail, and I/O next to it that they leave alone.
     *
     * @param args the data directory
     * @throws IOException if the set-up fails
     */
    public static void main(String[] args) throws IOException {
      Path data = Path.of(args[0]);
      Files.createDirectory(data.resolve("full"));
      Files.writeString(data.resolve("flaky.txt"), "flaky");
      step("write full/a", () -> Files.writeString(data.resolve("full/a"), "data").getFileName());
      step("write ok", () -> Files.writeString(data.resolve("ok"), "data").getFileName());
      step("open secret", () -> Files.readString(data.resolve("secret.txt")));
      try (FileChannel channel = FileChannel.open(data.resolve("flaky.txt"))) {
        for (int i = 1; i <= 3; i++) {
          step("read flaky " + i, () -> channel.read(ByteBuffer.allocate(5), 0));
        }
      }
      try (FileChannel channel = FileChannel.open(data.resolve("ok"), StandardOpenOption.WRITE)) {
        for (int i = 1; i <= 4; i++) {
          step("force ok " + i, () -> sync(channel));
        }
      }
      long start = System.nanoTime();
      step("read ok", () -> Files.readString(data.resolve("ok")));
      System.out.println("slow " + ((System.nanoTime() - start) >= 200_000_000L));
    }

    private static String sync(FileChannel channel) throws IOException {
      channel.force(true);
      return "synced";
    }
  }

  /** The child for a recording started while it runs: I/O before it, and I/O during it. */
  public static final class LateRecordingChild {
    private LateRecordingChild() {}

    /**
     * Writes one file, then starts a recording, writes another and dumps the recording.
     *
     * @param args the data directory and the recording's file
     * @throws IOException if the I/O or the dump fails
     */
    public static void main(String[] args) throws IOException {
      Files.writeString(Path.of(args[0], "before"), "x");
      try (Recording recording = new Recording()) {
        recording.enable("iouring.RingOperation");
        recording.start();
        Files.writeString(Path.of(args[0], "during"), "y");
        recording.stop();
        recording.dump(Path.of(args[1]));
      }
    }
  }

  private static Result run(String agentOptions, String... args)
      throws IOException, InterruptedException {
    return run(Child.class, agentOptions, args);
  }

  private static Result run(Class<?> main, String agentOptions, String... args)
      throws IOException, InterruptedException {
    return run(List.of(), main, agentOptions, args);
  }

  private static Result run(
      List<String> jvmOptions, Class<?> main, String agentOptions, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:off"); // no CDS warning once the bridge is on the boot class path
    command.addAll(jvmOptions);
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
  void theAgentOpensSunNioChToTheProviderOfAHostMount() throws Exception {
    Path host = Files.createDirectory(dir.resolve("host"));
    Files.writeString(host.resolve("f"), "12345");
    Path mount = dir.resolve("mnt");
    Path stats = dir.resolve("stats.json");
    Result result =
        run(
            HostMountReader.class,
            "mount=" + mount + "=host:root=" + host + ",stats=" + stats,
            mount.resolve("f").toString());
    assertEquals(0, result.exit(), result.output());
    // The host provider's channels can be uninterruptible: no interrupt closes a mounted file.
    assertTrue(result.output().contains("opened true"), result.output());
    assertTrue(result.output().contains("read 5 12345"), result.output());
    assertEquals(1, count(Files.readString(stats), "IORING_OP_READ"), "the read was an SQE");
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
  void jfrRecordsOneRingOperationPerSqeAsTheStatsCountThem() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Path stats = dir.resolve("stats.json");
    Path recording = dir.resolve("child.jfr");
    Result result =
        run(
            List.of("-XX:StartFlightRecording=dumponexit=true,filename=" + recording),
            Child.class,
            "mount=" + data + "=memory,stats=" + stats,
            data.toString());
    assertEquals(0, result.exit(), result.output());
    List<RecordedEvent> events =
        RecordingFile.readAllEvents(recording).stream()
            .filter(e -> e.getEventType().getName().equals("iouring.RingOperation"))
            .toList();
    Map<String, Long> byOpcode = new TreeMap<>();
    long read = 0;
    long written = 0;
    for (RecordedEvent event : events) {
      String opcode = event.getString("opcode");
      byOpcode.merge(opcode, 1L, Long::sum);
      assertEquals(data.resolve("child.bin").toString(), event.getString("path"));
      assertFalse(event.getDuration().isNegative(), event.toString());
      if (opcode.equals("IORING_OP_READ")) {
        read += event.getInt("result");
      } else if (opcode.equals("IORING_OP_WRITE")) {
        written += event.getInt("result");
        assertEquals(-1, event.getLong("offset"), "a write at the channel's position");
        assertEquals(5, event.getLong("length"));
      }
    }
    String json = Files.readString(stats);
    Map<String, Long> counted = new TreeMap<>();
    Matcher op = Pattern.compile("\"(IORING_OP_\\w+)\": (\\d+)").matcher(json);
    while (op.find()) {
      counted.put(op.group(1), Long.parseLong(op.group(2)));
    }
    assertEquals(counted, byOpcode, json);
    assertEquals(7, events.size());
    assertEquals(count(json, "bytesRead"), read);
    assertEquals(count(json, "bytesWritten"), written);
    RecordedEvent firstRead =
        events.stream()
            .filter(e -> e.getString("opcode").equals("IORING_OP_READ"))
            .findFirst()
            .orElseThrow();
    assertEquals(0, firstRead.getLong("offset"));
    assertEquals(5, firstRead.getLong("length"));
    assertEquals(5, firstRead.getInt("result"));
  }

  @Test
  void aRecordingStartedLaterSeesTheOperationsFromThenOn() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Path recording = dir.resolve("late.jfr");
    Result result =
        run(
            LateRecordingChild.class,
            "mount=" + data + "=memory",
            data.toString(),
            recording.toString());
    assertEquals(0, result.exit(), result.output());
    List<String> seen =
        RecordingFile.readAllEvents(recording).stream()
            .filter(e -> e.getEventType().getName().equals("iouring.RingOperation"))
            .map(e -> e.getString("opcode") + " " + Path.of(e.getString("path")).getFileName())
            .toList();
    assertEquals(
        List.of("IORING_OP_OPENAT during", "IORING_OP_WRITE during", "IORING_OP_CLOSE during"),
        seen);
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
  void faultOptionsFailMountedIoWithTheJdksExceptions() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Path stats = dir.resolve("stats.json");
    Result result =
        run(
            FaultChild.class,
            String.join(
                ",",
                "fault=" + data + "/full/*:write:ENOSPC",
                "fault=" + data + "/secret.txt:open:EACCES",
                "fault=" + data + "/flaky.*:read:EIO:nth=2",
                "fault=" + data + "/ok:sync:EIO:every=2",
                "fault=" + data + "/o?:read:none:delay=200",
                "mount=" + data + "=memory",
                "stats=" + stats),
            data.toString());
    assertEquals(0, result.exit(), result.output());
    assertEquals(
        String.join(
            "\n",
            "write full/a -> java.io.IOException: No space left on device",
            "write ok -> ok",
            "open secret -> java.nio.file.AccessDeniedException: " + data.resolve("secret.txt"),
            "read flaky 1 -> 5",
            "read flaky 2 -> java.io.IOException: Input/output error",
            "read flaky 3 -> 5",
            "force ok 1 -> synced",
            "force ok 2 -> java.io.IOException: Input/output error",
            "force ok 3 -> synced",
            "force ok 4 -> java.io.IOException: Input/output error",
            "read ok -> data",
            "slow true"),
        result.output().strip());
    String json = Files.readString(stats);
    assertEquals(4, count(json, "IORING_OP_FSYNC"), json);
    try (var listing = Files.list(data)) {
      assertFalse(listing.findAny().isPresent(), "the host data directory stays empty");
    }
  }

  @Test
  void withoutMountsTheHooksNeedNoKernelOnTheClassPath() throws Exception {
    // As a JVM that runs an OSGi framework starts: the iouring bundles are not on its class path.
    Path data = Files.createDirectory(dir.resolve("data"));
    Path classes = Path.of(Child.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xshare:off",
            "-javaagent:" + System.getProperty("agent.jar"),
            "-cp",
            classes.toString(),
            Child.class.getName(),
            data.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    assertEquals("size 5", output.strip(), "nothing but the child's line: " + output);
    assertEquals(5, Files.size(data.resolve("child.bin")), "nothing mounted: the host has it");
  }

  @Test
  void badOptionsStopTheJvmWithOneLine() throws Exception {
    assertRefused(
        "foo=1",
        "iouring agent: unknown option 'foo' (known: mount, fault, trace, stats, ring,"
            + " options)");
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
    assertRefused(
        "mount=/tmp/x=memory,fault=/tmp/y/*:read:EIO",
        "iouring agent: fault '/tmp/y/*:read:EIO': /tmp/y/* is under no mount");
    assertRefused(
        "mount=/tmp/x=memory:size=1,fault=/tmp/x/*:read:EIO",
        "iouring agent: mount /tmp/x: EINVAL: unknown memory option 'size'");
  }

  private void assertRefused(String options, String line) throws Exception {
    Result result = run(options, dir.toString());
    assertEquals(2, result.exit(), result.output());
    assertEquals(line, result.output().strip(), result.output());
  }
}
