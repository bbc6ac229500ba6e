package iouring.agent.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's loader over a jar laid out as the build lays out the agent jar; its parent, the
 * test's class loader, has the module's classes too, as an application could have classes of the
 * same names.
 */
class AgentClassLoaderTest {
  private static final String PREFIX = AgentClassLoader.PREFIX;

  @TempDir Path dir;

  private Path jar;
  private ClassLoader parent;
  private AgentClassLoader loader;

  @BeforeEach
  void layOutAJar() throws IOException {
    parent = AgentClassLoaderTest.class.getClassLoader();
    jar = dir.resolve("agent.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Map.Entry<String, byte[]> entry :
          Map.of(
                  PREFIX + "iouring/agent/Stats.class",
                  bytes("iouring/agent/Stats.class"),
                  PREFIX + "iouring/agent/notes.txt",
                  "own".getBytes(StandardCharsets.UTF_8),
                  PREFIX + "iouring/agent/a b.txt",
                  "spaced".getBytes(StandardCharsets.UTF_8),
                  "iouring/agent/root.txt",
                  "root".getBytes(StandardCharsets.UTF_8))
              .entrySet()) {
        out.putNextEntry(new JarEntry(entry.getKey()));
        out.write(entry.getValue());
        out.closeEntry();
      }
    }
    loader = new AgentClassLoader(jar, parent);
  }

  private byte[] bytes(String resource) throws IOException {
    try (InputStream in = parent.getResourceAsStream(resource)) {
      assertNotNull(in, resource);
      return in.readAllBytes();
    }
  }

  @Test
  void itsOwnClassesComeFirstAndFromTheJar() throws Exception {
    Class<?> own = loader.loadClass("iouring.agent.Stats");
    assertSame(loader, own.getClassLoader());
    assertSame(parent, parent.loadClass("iouring.agent.Stats").getClassLoader());
    assertSame(own, loader.loadClass("iouring.agent.Stats"), "defined once");
    assertEquals(
        jar.toUri().toURL(), own.getProtectionDomain().getCodeSource().getLocation(), "its jar");
    assertEquals("iouring.agent", own.getPackageName());
    assertTrue(loader.holds("iouring.agent.Stats"));
    assertFalse(loader.holds("iouring.agent.Trace"));
  }

  @Test
  void everyOtherNameGoesToTheParent() throws Exception {
    assertSame(String.class, loader.loadClass("java.lang.String"));
    assertSame(parent, loader.loadClass("iouring.api.IoUringKernel").getClassLoader());
    // Not in the jar: the parent's copy, as for any class of the application.
    assertSame(parent, loader.loadClass("iouring.agent.Trace").getClassLoader());
    assertThrows(ClassNotFoundException.class, () -> loader.loadClass("iouring.agent.Nothing"));
  }

  @Test
  void theBridgeComesOnlyFromTheBootLoader() {
    String bridge = "iouring.agent.bootstrap.RingBridge";
    assertNotNull(parent.getResource(bridge.replace('.', '/') + ".class"), "the parent has it");
    // The boot loader of this JVM has no bridge: no second copy from the class path instead.
    assertThrows(ClassNotFoundException.class, () -> loader.loadClass(bridge));
  }

  @Test
  void itsOwnResourcesComeFirst() throws Exception {
    try (InputStream in = loader.getResourceAsStream("iouring/agent/notes.txt")) {
      assertEquals("own", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    URL url = loader.getResource("iouring/agent/notes.txt");
    assertEquals(
        "jar:" + jar.toUri().toURL() + "!/" + PREFIX + "iouring/agent/notes.txt", url.toString());
    assertEquals("own", read(url));
    assertEquals("spaced", read(loader.getResource("iouring/agent/a b.txt")));
    List<URL> stats = Collections.list(loader.getResources("iouring/agent/Stats.class"));
    assertEquals(2, stats.size(), stats.toString());
    assertTrue(stats.get(0).toString().contains("!/" + PREFIX), stats.toString());
    assertEquals(parent.getResource("iouring/agent/Stats.class"), stats.get(1));
    // The class path's own resources, and the jar's root, are the parent's business.
    assertEquals(
        parent.getResource("iouring/agent/Trace.class"),
        loader.getResource("iouring/agent/Trace.class"));
    assertNull(loader.getResource("iouring/agent/root.txt"));
    assertNull(loader.getResourceAsStream("iouring/agent/none.txt"));
  }

  private static String read(URL url) throws IOException {
    try (InputStream in = url.openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aJarWithoutTheLayoutHoldsNoAgent() throws IOException {
    Path plain = dir.resolve("plain.jar");
    try (OutputStream out = new JarOutputStream(Files.newOutputStream(plain))) {
      out.flush();
    }
    assertFalse(new AgentClassLoader(plain, parent).holds(AgentLauncher.AGENT));
  }
}
