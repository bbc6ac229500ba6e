package iouring.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Lucene, a real library that does its file I/O through {@code FileChannel} and {@code
 * Files}, runs {@link LuceneIndexApp} in three child JVMs: without the agent; under the agent with
 * the index outside every mount (passthrough); and under the agent with the index inside a memory
 * mount. The three transcripts must be identical, the passthrough run must submit no SQE, and the
 * mounted run must leave its host directory empty while its {@code stats=} count the SQEs Lucene's
 * I/O became.
 */
class ThirdPartyLibraryIT {
  /** Lucene draws its segment ids from this seed, so that every run writes the same bytes. */
  private static final String SEED = "-Dtests.seed=5eed1e55";

  @TempDir Path dir;

  private record Run(Process process, Path out, Path err) {
    String finish() throws IOException, InterruptedException {
      int exit = process.waitFor();
      String output = Files.readString(out);
      String errors = Files.readString(err);
      assertEquals(0, exit, output + errors);
      assertFalse(errors.contains("iouring agent"), errors);
      return output;
    }
  }

  private Run start(String name, String agentOptions, Path index) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:off"); // no CDS warning once the bridge is on the boot class path
    // A run of seconds: the client compiler and the serial collector spend the least CPU on it.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    if (agentOptions != null) {
      command.add("-javaagent:" + System.getProperty("agent.jar") + "=" + agentOptions);
    }
    command.add(SEED);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LuceneIndexApp.class.getName());
    command.add(index.toString());
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    return new Run(process, out, err);
  }

  private static long count(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": (\\d+)").matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  /** The names of the files the transcript lists at its end, from the index's directory. */
  private static List<String> listed(String transcript) {
    return transcript
        .lines()
        .filter(line -> line.startsWith("file "))
        .map(line -> line.split(" ")[1])
        .collect(Collectors.toList());
  }

  private static void sameLines(String expected, String actual, String what) {
    List<String> want = expected.lines().collect(Collectors.toList());
    List<String> got = actual.lines().collect(Collectors.toList());
    for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
      assertEquals(want.get(i), got.get(i), what + ", line " + (i + 1) + " of\n" + expected);
    }
    assertEquals(want.size(), got.size(), what + ": line count\n" + actual);
  }

  @Test
  void luceneGivesOneTranscriptOnTheHostInPassthroughAndInAMemoryMount() throws Exception {
    Path plain = Files.createDirectory(dir.resolve("plain"));
    Path host = Files.createDirectory(dir.resolve("host"));
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Path mounted = Files.createDirectory(dir.resolve("mounted"));
    Path passStats = dir.resolve("passthrough.json");
    Path mountStats = dir.resolve("mounted.json");
    Path mountTrace = dir.resolve("mounted.tsv");
    // Started together: the machine's cores are shared, and each JVM waits on its own I/O.
    Run first = start("plain", null, plain.resolve("index"));
    Run second =
        start(
            "passthrough",
            "mount=" + elsewhere + "=memory,stats=" + passStats,
            host.resolve("index"));
    Run third =
        start(
            "mounted",
            "mount=" + mounted + "=memory,stats=" + mountStats + ",trace=" + mountTrace,
            mounted.resolve("index"));
    String expected = first.finish();
    String passthrough = second.finish();
    String inMount = third.finish();

    assertTrue(expected.contains("\ncheckIndex clean true segments 2 docs 341\n"), expected);
    assertTrue(expected.startsWith("second writer: LockObtainFailedException\n"), expected);
    assertTrue(expected.contains("\ncommit merged: numDocs 308 maxDoc 308\n"), expected);
    assertTrue(
        expected.contains("\nthe reader of before the merge: segments 3 numDocs 308 maxDoc 360\n"),
        expected);
    List<String> files = listed(expected);
    assertTrue(files.size() > 20, expected);
    assertTrue(files.contains("write.lock") && files.contains("segments_6"), expected);
    assertEquals(files, names(plain.resolve("index")), "the transcript lists the host's files");
    sameLines(expected, passthrough, "passthrough");
    sameLines(expected, inMount, "memory mount");

    assertEquals(files, names(host.resolve("index")));
    String pass = Files.readString(passStats);
    assertTrue(pass.contains("\"ops\": {}"), "no SQE for a path outside the mounts: " + pass);
    assertEquals(List.of(), names(elsewhere));

    assertEquals(List.of(), names(mounted), "the host directory under the mount stays empty");
    String json = Files.readString(mountStats);
    for (String op :
        List.of(
            "OPENAT",
            "READ",
            "WRITE",
            "CLOSE",
            "FSYNC",
            "STATX",
            "RENAMEAT",
            "UNLINKAT",
            "MKDIRAT")) {
      assertTrue(count(json, "IORING_OP_" + op) > 0, op + " in " + json);
    }
    // Every file Lucene opened is closed again: no descriptor of the emulated process leaks.
    List<String[]> trace =
        Files.readAllLines(mountTrace).stream()
            .skip(1)
            .map(line -> line.split("\t"))
            .collect(Collectors.toList());
    long opened =
        trace.stream()
            .filter(f -> f[1].equals("IORING_OP_OPENAT") && Integer.parseInt(f[5]) >= 0)
            .count();
    assertEquals(opened, count(json, "IORING_OP_CLOSE"), json);
    assertEquals(
        count(json, "IORING_OP_OPENAT"),
        trace.stream().filter(f -> f[1].equals("IORING_OP_OPENAT")).count());
    assertTrue(
        trace.stream().allMatch(f -> f[2].startsWith(mounted.resolve("index").toString())),
        "every SQE names the index or a file in it");
    // The final index was written once at least, and read back whole for the checksums.
    long indexBytes =
        expected
            .lines()
            .filter(line -> line.startsWith("file "))
            .mapToLong(line -> Long.parseLong(line.split(" ")[2]))
            .sum();
    assertTrue(count(json, "bytesWritten") >= indexBytes, json);
    assertTrue(count(json, "bytesRead") >= indexBytes, json);
  }
}
