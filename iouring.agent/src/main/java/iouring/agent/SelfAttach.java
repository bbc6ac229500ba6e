package iouring.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.osgi.framework.Bundle;

/**
 * Loads the agent into its own JVM through the attach API, for a bundle started in a JVM without
 * {@code -javaagent}: the bundle's entries are copied into a temporary jar (a bundle need not be a
 * file), and the JVM runs that jar's {@code agentmain} without options, which installs the hooks
 * with nothing behind them. The JVM must allow it: {@code -Djdk.attach.allowAttachSelf=true}; from
 * JDK 21 it warns about the dynamically loaded agent unless started with {@code
 * -XX:+EnableDynamicAgentLoading}.
 */
final class SelfAttach {
  private SelfAttach() {}

  /**
   * Attaches the bundle's agent to this JVM.
   *
   * @param bundle the agent bundle
   * @return null once attached, else why not, in a few words
   */
  static String attach(Bundle bundle) {
    Module attach = ModuleLayer.boot().findModule("jdk.attach").orElse(null);
    if (attach == null) {
      return "the runtime lacks the jdk.attach module";
    }
    Path jar;
    try {
      jar = copy(bundle);
    } catch (IOException e) {
      return "cannot write the agent jar: " + e;
    }
    try {
      Class<?> vm =
          Class.forName("com.sun.tools.attach.VirtualMachine", true, attach.getClassLoader());
      Method load = vm.getMethod("loadAgent", String.class, String.class);
      Object machine =
          vm.getMethod("attach", String.class)
              .invoke(null, Long.toString(ProcessHandle.current().pid()));
      try {
        load.invoke(machine, jar.toString(), "");
      } finally {
        vm.getMethod("detach").invoke(machine);
      }
      return null;
    } catch (InvocationTargetException e) {
      return String.valueOf(e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      return e.toString();
    }
  }

  /** Copies the bundle's entries, manifest first, into a jar deleted at exit. */
  private static Path copy(Bundle bundle) throws IOException {
    Path jar = Files.createTempFile("iouring-agent-", ".jar");
    jar.toFile().deleteOnExit();
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      copyEntry(bundle, "META-INF/MANIFEST.MF", out);
      Deque<String> dirs = new ArrayDeque<>();
      dirs.add("/");
      while (!dirs.isEmpty()) {
        Enumeration<String> paths = bundle.getEntryPaths(dirs.remove());
        while (paths != null && paths.hasMoreElements()) {
          String path = paths.nextElement();
          if (path.endsWith("/")) {
            dirs.add(path);
          } else if (!path.equals("META-INF/MANIFEST.MF")) {
            copyEntry(bundle, path, out);
          }
        }
      }
    }
    return jar;
  }

  private static void copyEntry(Bundle bundle, String path, JarOutputStream out)
      throws IOException {
    URL url = bundle.getEntry(path);
    if (url == null) {
      throw new IOException("bundle lacks " + path);
    }
    out.putNextEntry(new JarEntry(path));
    try (InputStream in = url.openStream()) {
      in.transferTo(out);
    }
    out.closeEntry();
  }
}
