package iouring.agent.launcher;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.UndeclaredThrowableException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * The jar's {@code Premain-Class} and {@code Agent-Class}. The JVM puts the agent jar on the system
 * class path, where only this package and the bootstrap bridge are classes; this launcher creates
 * the agent's own class loader ({@link AgentClassLoader}), once per JVM, and calls the real {@code
 * premain} or {@code agentmain} of {@code iouring.agent.IoUringAgent} through it. It uses JDK types
 * only, so that nothing of the agent's implementation is loaded by the system class loader.
 */
public final class AgentLauncher {
  /** The class with the agent's real entry points, defined by the agent's loader. */
  static final String AGENT = "iouring.agent.IoUringAgent";

  private static final MethodType ENTRY =
      MethodType.methodType(void.class, String.class, Instrumentation.class);

  private static AgentClassLoader loader;

  private AgentLauncher() {}

  /**
   * Called by the JVM for {@code -javaagent:iouring.agent.jar[=options]}. A jar the launcher cannot
   * read stops the JVM with one line on standard error and exit status 2, as bad options do.
   *
   * @param options the text after {@code =}, or null
   * @param instrumentation the JVM's instrumentation
   */
  public static void premain(String options, Instrumentation instrumentation) {
    MethodHandle premain;
    try {
      premain = entry("premain");
    } catch (IllegalStateException e) {
      System.err.println("iouring agent: " + e.getMessage());
      System.err.flush();
      System.exit(2);
      return;
    }
    call(premain, options, instrumentation);
  }

  /**
   * Called by the JVM when the agent is attached to a running JVM. The real {@code agentmain}'s
   * exceptions reach the JVM unwrapped, so the attach call fails as it would without the launcher.
   *
   * @param options the options passed to the attach call, or null
   * @param instrumentation the JVM's instrumentation
   */
  public static void agentmain(String options, Instrumentation instrumentation) {
    MethodHandle agentmain;
    try {
      agentmain = entry("agentmain");
    } catch (IllegalStateException e) {
      System.err.println("iouring agent: " + e.getMessage());
      System.err.flush();
      throw e;
    }
    call(agentmain, options, instrumentation);
  }

  private static void call(MethodHandle entry, String options, Instrumentation instrumentation) {
    try {
      entry.invokeExact(options, instrumentation);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      // premain and agentmain declare no checked exception.
      throw new UndeclaredThrowableException(e);
    }
  }

  /** The real entry point of this name, in the agent's loader, which is created on first use. */
  private static synchronized MethodHandle entry(String name) {
    try {
      if (loader == null) {
        Path jar = agentJar();
        AgentClassLoader created = new AgentClassLoader(jar, ClassLoader.getSystemClassLoader());
        if (!created.holds(AGENT)) {
          throw new IllegalStateException(
              "cannot start: " + jar + " lacks " + AgentClassLoader.PREFIX + "; not an agent jar");
        }
        loader = created;
      }
      return MethodHandles.publicLookup().findStatic(loader.loadClass(AGENT), name, ENTRY);
    } catch (IllegalAccessException e) {
      if (e.getCause() instanceof LinkageError) {
        // The class does not link (a type it needs is missing from the class path): the JVM's
        // error, as the JVM's own lookup of the entry point would throw it.
        throw (LinkageError) e.getCause();
      }
      throw new IllegalStateException("cannot start: " + e, e);
    } catch (IOException | ReflectiveOperationException | URISyntaxException e) {
      throw new IllegalStateException("cannot start: " + e, e);
    }
  }

  /**
   * The jar this class came from; or, when an unpacked copy of the launcher comes first on the
   * class path, the first jar on it that holds the agent's implementation classes.
   */
  private static Path agentJar() throws IOException, URISyntaxException {
    CodeSource source = AgentLauncher.class.getProtectionDomain().getCodeSource();
    if (source != null && source.getLocation() != null) {
      Path own = Path.of(source.getLocation().toURI());
      if (Files.isRegularFile(own)) {
        return own;
      }
    }
    String marker = AgentClassLoader.PREFIX + AGENT.replace('.', '/') + ".class";
    URL found = AgentLauncher.class.getClassLoader().getResource(marker);
    if (found == null || !"jar".equals(found.getProtocol())) {
      throw new IllegalStateException("cannot start: no jar on the class path holds " + marker);
    }
    return Path.of(((JarURLConnection) found.openConnection()).getJarFileURL().toURI());
  }
}
