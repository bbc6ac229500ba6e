package iouring.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The agent as a bundle: configured through ConfigAdmin, it mounts a directory in memory for the
 * FileChannel and Files calls of every bundle (here the probe's); stopped, or deprived of the
 * kernel, it lets new calls through to the host while a channel opened before keeps its file;
 * started again, it routes again. The JVM has the hooks from {@code -javaagent} (the Equinox run)
 * or from the bundle attaching itself (the Felix run, {@code -Djdk.attach.allowAttachSelf=true}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AgentIT {
  private static final String MEMORY = "memory";

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;

  private Path root;
  private Path data;
  private Path host;
  private Path stats;
  private org.osgi.service.cm.Configuration config;

  @Configuration
  public Option[] config() {
    return Frameworks.base();
  }

  /** A data directory and its host view, through a symbolic link outside the mount. */
  @Before
  public void directories() throws Exception {
    root = Files.createTempDirectory("iouring-agent-it");
    data = Files.createDirectory(root.resolve("data"));
    host = Files.createSymbolicLink(root.resolve("host"), data);
    stats = root.resolve("stats.json");
    config = configAdmin.getConfiguration("iouring.agent", "?");
  }

  /** Mounts the data directory in memory, with the given faults. */
  private void mount(String... faults) throws Exception {
    Dictionary<String, Object> props = new Hashtable<>();
    props.put("mount", new String[] {data + "=memory"});
    props.put("fault", faults);
    props.put("stats", stats.toString());
    config.update(props);
    awaitStore(MEMORY);
  }

  @After
  public void unmount() throws Exception {
    config.delete();
    awaitStore(null);
    // With no file open, the session is released right after it leaves the bridge.
    await(() -> Files.exists(stats), "stats to be written at the release");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  public void stoppingTheBundleKeepsOpenChannelsAndRestartingRoutesAgain() throws Exception {
    mount();
    try (FileChannel channel =
        FileChannel.open(
            data.resolve("a.txt"),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ)) {
      channel.write(ByteBuffer.wrap(bytes("hello")));
      assertEquals("hello", read(channel));
    }
    Files.writeString(data.resolve("b.txt"), "files api");
    assertEquals("files api", Files.readString(data.resolve("b.txt")));
    assertEquals(List.of("a.txt", "b.txt"), names(data));
    assertEquals("the host directory stays empty", List.of(), names(host));

    FileChannel open = FileChannel.open(data.resolve("a.txt"), StandardOpenOption.READ);
    Bundle agent = bundle("iouring.agent");
    agent.stop();
    try {
      assertEquals("the channel opened before the stop reads on", "hello", read(open));
      assertFalse("the ring is kept while a channel is open", Files.exists(stats));
      Files.writeString(data.resolve("c.txt"), "host");
      assertEquals("new calls reach the host", List.of("c.txt"), names(host));
      assertFalse(Files.exists(data.resolve("a.txt")));
    } finally {
      open.close();
    }
    assertTrue("stats are written when the last channel closes", Files.exists(stats));
    String json = Files.readString(stats);
    assertTrue(json, json.contains("\"IORING_OP_OPENAT\""));
    assertTrue(json, json.contains("\"IORING_OP_CLOSE\""));

    agent.start();
    awaitStore(MEMORY);
    assertFalse("the mount hides the host again", Files.exists(data.resolve("c.txt")));
    Files.writeString(data.resolve("d.txt"), "again");
    assertEquals("again", Files.readString(data.resolve("d.txt")));
    assertEquals(List.of("d.txt"), names(data));
    assertEquals(List.of("c.txt"), names(host));
  }

  @Test
  public void theKernelLeavingDetachesAsAStopDoes() throws Exception {
    mount();
    FileChannel open =
        FileChannel.open(
            data.resolve("kept.txt"),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ);
    Bundle core = bundle("iouring.core");
    try {
      open.write(ByteBuffer.wrap(bytes("kept")));
      core.stop();
      assertEquals("kept", read(open));
      open.write(ByteBuffer.wrap(bytes("!")), 4);
      assertEquals("kept!", read(open));
      Files.writeString(data.resolve("h.txt"), "host");
      assertEquals(List.of("h.txt"), names(host));
    } finally {
      open.close();
      core.start();
    }
    awaitStore(MEMORY);
    assertFalse(Files.exists(data.resolve("h.txt")));
    assertEquals(List.of("h.txt"), names(host));
  }

  @Test
  public void faultsOfTheConfigurationFailCallsAsOnTheCommandLine() throws Exception {
    mount(data + "/bad*:read:EIO", data + "/full:write:ENOSPC");
    Files.writeString(data.resolve("bad.txt"), "written");
    IOException read =
        assertThrows(IOException.class, () -> Files.readString(data.resolve("bad.txt")));
    assertEquals("Input/output error", read.getMessage());
    IOException write =
        assertThrows(IOException.class, () -> Files.writeString(data.resolve("full"), "x"));
    assertEquals("No space left on device", write.getMessage());
    assertEquals(List.of(), names(host));
  }

  private Bundle bundle(String name) {
    Bundle bundle =
        Arrays.stream(context.getBundles())
            .filter(b -> name.equals(b.getSymbolicName()))
            .findFirst()
            .orElse(null);
    assertNotNull(name, bundle);
    return bundle;
  }

  /**
   * Waits until the data directory's store is the mount's (its type is the provider's), or with
   * null until it is the host's again; the configuration reaches the agent asynchronously.
   */
  private void awaitStore(String type) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      FileStore store;
      try {
        store = Files.getFileStore(data);
      } catch (java.nio.file.FileSystemException e) {
        // A call that met the session as it ended fails as on a mount whose provider left
        // (ENOTCONN); the next one finds the host.
        if (!"Transport endpoint is not connected".equals(e.getReason())
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(20);
        continue;
      }
      boolean mounted = MEMORY.equals(store.type());
      if (type == null ? !mounted : type.equals(store.type())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("store of " + data + " is still " + store + " " + store.type());
      }
      Thread.sleep(20);
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(64);
    channel.read(buffer, 0);
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
