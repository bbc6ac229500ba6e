package iouring.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application whose class path holds classes named as the agent's internals runs under the
 * agent: it sees its own classes, cannot load the agent's, and its I/O under the mount still goes
 * through the ring, whose classes come from the agent's own class loader.
 */
class AgentClassLoaderIT {
  @TempDir Path dir;

  /** The application's own {@code iouring.agent.RingIo}: a split package with the agent's. */
  private static final String RING_IO =
      String.join(
          "\n",
          "package iouring.agent;",
          "public final class RingIo {",
          "  public static String owner() {",
          "    return \"the application's RingIo\";",
          "  }",
          "}");

  /** The application's own class of the name the agent's shaded Byte Buddy uses. */
  private static final String BYTE_BUDDY =
      String.join(
          "\n",
          "package iouring.agent.shaded.bytebuddy;",
          "public class ByteBuddy {",
          "  public String owner() {",
          "    return \"the application's ByteBuddy\";",
          "  }",
          "}");

  /** The application: its own classes, the agent's names, then I/O under the mount. */
  private static final String APP =
      String.join(
          "\n",
          "package clash;",
          "import java.nio.ByteBuffer;",
          "import java.nio.channels.FileChannel;",
          "import java.nio.charset.StandardCharsets;",
          "import java.nio.file.Path;",
          "import java.nio.file.StandardOpenOption;",
          "public final class ClashApp {",
          "  public static void main(String[] args) throws Exception {",
          "    ClassLoader app = ClassLoader.getSystemClassLoader();",
          "    System.out.println(iouring.agent.RingIo.owner() + \", system loader \"",
          "        + (iouring.agent.RingIo.class.getClassLoader() == app));",
          "    System.out.println(new iouring.agent.shaded.bytebuddy.ByteBuddy().owner()",
          "        + \", system loader \"",
          "        + (iouring.agent.shaded.bytebuddy.ByteBuddy.class.getClassLoader() == app));",
          "    for (String name : new String[] {\"iouring.agent.MountedFiles\",",
          "        \"iouring.agent.IoUringAgent\", \"iouring.agent.RingFileChannel\",",
          "        \"iouring.agent.shaded.bytebuddy.agent.builder.AgentBuilder\"}) {",
          "      try {",
          "        app.loadClass(name);",
          "        System.out.println(name + \" loaded\");",
          "      } catch (ClassNotFoundException e) {",
          "        System.out.println(name + \" not found\");",
          "      }",
          "    }",
          "    String bridge = \"iouring.agent.bootstrap.RingBridge\";",
          "    System.out.println(\"bridge in the boot loader \"",
          "        + (app.loadClass(bridge).getClassLoader() == null));",
          "    Path file = Path.of(args[0], \"clash.txt\");",
          "    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,",
          "        StandardOpenOption.READ, StandardOpenOption.WRITE)) {",
          "      channel.write(ByteBuffer.wrap(\"clash\".getBytes(StandardCharsets.UTF_8)));",
          "      ByteBuffer back = ByteBuffer.allocate(5);",
          "      channel.read(back, 0);",
          "      Class<?> type = channel.getClass();",
          "      System.out.println(\"read \" + new String(back.array(), StandardCharsets.UTF_8)",
          "          + \" through \" + type.getName() + \" of \" + type.getClassLoader().getName()",
          "          + \", the application's RingIo is not its \"",
          "          + (type.getClassLoader() != iouring.agent.RingIo.class.getClassLoader()));",
          "    }",
          "  }",
          "}");

  @Test
  void theApplicationSeesItsOwnClassesAndTheRingStillServesTheMount() throws Exception {
    Path classes =
        compile(
            Map.of(
                "iouring/agent/RingIo", RING_IO,
                "iouring/agent/shaded/bytebuddy/ByteBuddy", BYTE_BUDDY,
                "clash/ClashApp", APP));
    Path data = Files.createDirectory(dir.resolve("data"));
    Path stats = dir.resolve("stats.json");
    List<String> classPath = new ArrayList<>(List.of(classes.toString()));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      // The module's own classes directory would put the agent's classes on the class path.
      if (!Files.isRegularFile(Path.of(entry, "iouring", "agent", "MountedFiles.class"))) {
        classPath.add(entry);
      }
    }
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xshare:off", // no CDS warning once the bridge is on the boot class path
            "-javaagent:"
                + System.getProperty("agent.jar")
                + "=mount="
                + data
                + "=memory,stats="
                + stats,
            "-cp",
            String.join(File.pathSeparator, classPath),
            "clash.ClashApp",
            data.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    assertEquals(
        String.join(
            "\n",
            "the application's RingIo, system loader true",
            "the application's ByteBuddy, system loader true",
            "iouring.agent.MountedFiles not found",
            "iouring.agent.IoUringAgent not found",
            "iouring.agent.RingFileChannel not found",
            "iouring.agent.shaded.bytebuddy.agent.builder.AgentBuilder not found",
            "bridge in the boot loader true",
            "read clash through iouring.agent.RingFileChannel of iouring-agent,"
                + " the application's RingIo is not its true"),
        output.strip());
    String json = Files.readString(stats);
    assertEquals(1, count(json, "IORING_OP_OPENAT"), json);
    assertEquals(1, count(json, "IORING_OP_WRITE"), json);
    assertEquals(1, count(json, "IORING_OP_READ"), json);
    assertEquals(1, count(json, "IORING_OP_CLOSE"), json);
    try (var listing = Files.list(data)) {
      assertFalse(listing.findAny().isPresent(), "the host data directory stays empty");
    }
  }

  @Test
  void theAgentJarHoldsOnlyTheLauncherAndTheBridgeAsClasses() throws IOException {
    try (var jar = new JarFile(System.getProperty("agent.jar"))) {
      List<String> classes =
          jar.stream()
              .map(JarEntry::getName)
              .filter(name -> name.endsWith(".class") && !name.startsWith("META-INF/"))
              .sorted()
              .toList();
      assertTrue(
          classes.stream()
              .allMatch(
                  name ->
                      name.startsWith("iouring/agent/launcher/")
                          || name.startsWith("iouring/agent/bootstrap/")),
          classes.toString());
      assertTrue(
          classes.contains("iouring/agent/launcher/AgentLauncher.class"), classes.toString());
      assertTrue(classes.contains("iouring/agent/bootstrap/RingBridge.class"), classes.toString());
      String prefix = "META-INF/iouring-agent/classes/";
      assertNotNull(jar.getEntry(prefix + "iouring/agent/IoUringAgent.class"));
      assertNotNull(jar.getEntry(prefix + "iouring/agent/shaded/bytebuddy/ByteBuddy.class"));
      assertEquals(
          "iouring.agent.launcher.AgentLauncher",
          jar.getManifest().getMainAttributes().getValue("Premain-Class"));
      assertEquals(
          "iouring.agent.launcher.AgentLauncher",
          jar.getManifest().getMainAttributes().getValue("Agent-Class"));
      assertEquals(
          ".,META-INF/iouring-agent/classes",
          jar.getManifest().getMainAttributes().getValue("Bundle-ClassPath"));
    }
  }

  /** Compiles the sources (path without .java, text) into a new directory. */
  private Path compile(Map<String, String> sources) throws IOException {
    Path src = Files.createDirectory(dir.resolve("src"));
    Path out = Files.createDirectory(dir.resolve("classes"));
    List<String> args =
        new ArrayList<>(List.of("--release", "17", "-cp", out.toString(), "-d", out.toString()));
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = src.resolve(source.getKey() + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
      args.add(file.toString());
    }
    ByteArrayOutputStream messages = new ByteArrayOutputStream();
    int status =
        ToolProvider.getSystemJavaCompiler()
            .run(null, messages, messages, args.toArray(String[]::new));
    assertEquals(0, status, messages.toString(StandardCharsets.UTF_8));
    return out;
  }

  private static long count(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": (\\d+)").matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
