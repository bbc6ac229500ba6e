package iouring.agent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The agent's entry points: {@code -javaagent} ({@link #premain}) and attachment to a running JVM
 * ({@link #agentmain}) both funnel into {@link #install}.
 *
 * <p>Paths under a {@code mount=} live in an emulated provider: every FileChannel on them is a
 * {@link RingFileChannel}, the rest of the {@code Files} API on them is served by {@link
 * MountedPaths}, and the {@code java.io} streams on them by {@link RingStreams}; other paths keep
 * the JDK's own I/O. Without a mount the agent only installs the hooks, with nothing behind them,
 * for the OSGi bundle to plug its mounts into ({@link AgentComponent}); it then needs neither the
 * kernel nor the providers on the class path.
 */
public final class IoUringAgent {
  private IoUringAgent() {}

  /**
   * Called by the JVM for {@code -javaagent:iouring.agent.jar[=options]}. Bad options stop the JVM
   * with one line on standard error.
   *
   * @param options the text after {@code =}, or null
   * @param instrumentation the JVM's instrumentation
   */
  public static void premain(String options, Instrumentation instrumentation) {
    try {
      install(options, instrumentation);
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("iouring agent: " + e.getMessage());
      System.err.flush();
      System.exit(2);
    }
  }

  /**
   * Called by the JVM when the agent is attached to a running JVM; bad options fail the attach call
   * and leave the JVM running, with the same one line on its standard error.
   *
   * @param options the options passed to the attach call, or null
   * @param instrumentation the JVM's instrumentation
   */
  public static void agentmain(String options, Instrumentation instrumentation) {
    try {
      install(options, instrumentation);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // The attaching side only learns that the agent failed to initialize.
      System.err.println("iouring agent: " + e.getMessage());
      System.err.flush();
      throw e;
    }
  }

  static void install(String text, Instrumentation instrumentation) {
    // Byte Buddy's safe mode keeps it off sun.misc.Unsafe (a warning on JDK 24+); shading renamed
    // its property along with its packages.
    String byteBuddy = AgentBuilder.class.getPackageName().replace(".agent.builder", "");
    System.setProperty(byteBuddy + ".safe", "true");
    AgentOptions options = AgentOptions.parse(text);
    if (options.mounts.isEmpty()) {
      installHooks(options, instrumentation);
    } else {
      // A class of its own: this one must link without iouring.api on the class path.
      ClassPathAgent.install(options, instrumentation);
    }
  }

  /** Without mounts: the bridge and the hooks, with nothing plugged in. */
  private static void installHooks(AgentOptions options, Instrumentation instrumentation) {
    Stats stats = new Stats();
    Trace trace;
    try {
      trace = options.trace == null ? null : new Trace(options.trace);
      injectBridge(instrumentation);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start: " + e, e);
    }
    if (options.trace != null || options.stats != null) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> exit(options, stats, trace), "iouring-agent-exit"));
    }
    try {
      AgentHooks.ensureInstalled(instrumentation);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("bridge not injected: " + e, e);
    }
  }

  /** Puts the bridge and the state every copy of the agent shares into the boot loader. */
  static void injectBridge(Instrumentation instrumentation) throws IOException {
    if (!BridgeInjector.isInBootLoader(BridgeInjector.BRIDGE)) {
      BridgeInjector.injectBridge(instrumentation);
    }
    BridgeInjector.injectHookState(instrumentation);
  }

  static void exit(AgentOptions options, Stats stats, Trace trace) {
    try {
      if (trace != null) {
        trace.close();
      }
      if (options.stats != null) {
        Files.writeString(options.stats, stats.toJson());
      }
    } catch (IOException e) {
      System.err.println("iouring agent: cannot write " + options.stats + ": " + e);
    }
  }
}
