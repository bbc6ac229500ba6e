package iouring.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attaches the agent to a running JVM ({@code Agent-Class}): the JDK classes the application has
 * already used are retransformed, so its next I/O under the mount goes through the ring.
 */
class AgentAttachIT {
  @TempDir Path dir;

  /** The application: I/O on its data directory, a pause until told to go on, the same I/O. */
  public static final class App {
    private static final Charset UTF_8 = StandardCharsets.UTF_8;

    private App() {}

    /**
     * Writes, reads and lists its data directory, waits for a line on standard input, and does it
     * again; the second round differs if the directory has been mounted in the meantime.
     *
     * @param args the data directory
     * @throws IOException if the I/O fails
     */
    public static void main(String[] args) throws IOException {
      Path data = Path.of(args[0]);
      round(data, "before");
      System.out.println("waiting");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
      while (!"go".equals(in.readLine())) {
        System.out.println("waiting");
      }
      round(data, "after");
    }

    private static void round(Path data, String name) throws IOException {
      Path file = data.resolve(name + ".txt");
      try (FileChannel channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(name.getBytes(UTF_8)));
        ByteBuffer back = ByteBuffer.allocate(name.length());
        channel.read(back, 0);
        System.out.println(name + ": read " + new String(back.array(), UTF_8));
      }
      try (var names = Files.list(data)) {
        System.out.println(
            name + ": listed " + names.map(p -> p.getFileName().toString()).sorted().toList());
      }
      System.out.println(name + ": before.txt exists " + Files.exists(data.resolve("before.txt")));
    }
  }

  @Test
  void anAttachedAgentMountsUnderARunningApplication() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Path stats = dir.resolve("stats.json");
    Path stderr = dir.resolve("stderr.txt");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:off"); // no CDS warning once the bridge is on the boot class path
    if (Runtime.version().feature() >= 21) {
      command.add("-XX:+EnableDynamicAgentLoading"); // else JDK 21+ warns (JEP 451)
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(App.class.getName());
    command.add(data.toString());
    Process app = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      for (String line = out.readLine(); !"waiting".equals(line); line = out.readLine()) {
        assertTrue(
            line != null, "the application ended early: " + lines + Files.readString(stderr));
        lines.add(line);
      }
      VirtualMachine vm = VirtualMachine.attach(String.valueOf(app.pid()));
      try {
        // Bad options fail the attach call, before the agent changes anything.
        assertThrows(AgentInitializationException.class, () -> vm.loadAgent(jar(), "foo=1"));
        vm.loadAgent(jar(), "mount=" + data + "=memory,stats=" + stats);
      } finally {
        vm.detach();
      }
      Writer in = new OutputStreamWriter(app.getOutputStream(), StandardCharsets.UTF_8);
      in.write("go\n");
      in.flush();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
      assertTrue(app.waitFor(20, TimeUnit.SECONDS), "the application did not end");
      assertEquals(0, app.exitValue(), lines + Files.readString(stderr));
      assertEquals(
          List.of(
              "before: read before",
              "before: listed [before.txt]",
              "before: before.txt exists true",
              // The mount hides the host directory: the same calls now see the ring's files.
              "after: read after",
              "after: listed [after.txt]",
              "after: before.txt exists false"),
          lines);
      assertTrue(
          Files.readString(stderr)
              .startsWith(
                  "iouring agent: unknown option 'foo' (known: mount, fault, trace, stats, ring,"
                      + " options)\n"),
          Files.readString(stderr));
    } finally {
      app.destroyForcibly();
    }
    try (var host = Files.list(data)) {
      assertEquals(
          List.of("before.txt"),
          host.map(p -> p.getFileName().toString()).toList(),
          "the host saw only the write from before the attach");
    }
    String json = Files.readString(stats);
    assertEquals(1, count(json, "IORING_OP_OPENAT"), json);
    assertEquals(1, count(json, "IORING_OP_WRITE"), json);
    assertEquals(1, count(json, "IORING_OP_READ"), json);
    assertEquals(1, count(json, "IORING_OP_CLOSE"), json);
    assertEquals(5, count(json, "bytesWritten"), json);
  }

  private static String jar() {
    return System.getProperty("agent.jar");
  }

  private static long count(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": (\\d+)").matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
