package iouring.agent;

import iouring.api.IoUringKernel;
import iouring.api.IoUringProcess;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsProvider;
import iouring.api.spi.VfsProviderFactory;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The agent's entry points: {@code -javaagent} ({@link #premain}) and attachment to a running JVM
 * ({@link #agentmain}) both funnel into {@link #install}.
 *
 * <p>Paths under a {@code mount=} live in an emulated provider: every FileChannel on them is a
 * {@link RingFileChannel}, the rest of the {@code Files} API on them is served by {@link
 * MountedPaths}, and the {@code java.io} streams on them by {@link RingStreams}; other paths keep
 * the JDK's own I/O.
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
   * and leave the JVM running.
   *
   * @param options the options passed to the attach call, or null
   * @param instrumentation the JVM's instrumentation
   */
  public static void agentmain(String options, Instrumentation instrumentation) {
    install(options, instrumentation);
  }

  static void install(String text, Instrumentation instrumentation) {
    // Byte Buddy's safe mode keeps it off sun.misc.Unsafe (a warning on JDK 24+); shading renamed
    // its property along with its packages.
    String byteBuddy = AgentBuilder.class.getPackageName().replace(".agent.builder", "");
    System.setProperty(byteBuddy + ".safe", "true");
    AgentOptions options = AgentOptions.parse(text);
    IoUringKernel kernel = IoUringKernel.load();
    IoUringProcess process = kernel.newProcess();
    Map<String, VfsProvider> mounts = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, String> types = new LinkedHashMap<>();
    for (AgentOptions.Mount mount : options.mounts) {
      VfsProviderFactory factory = VfsProviderFactory.load(mount.type());
      if (factory == null) {
        throw new IllegalArgumentException(
            "mount "
                + mount.path()
                + ": no provider type '"
                + mount.type()
                + "' on the class path");
      }
      String name = "agent-mount-" + mounts.size() + "-" + mount.type();
      VfsProvider provider;
      try {
        provider = factory.create(mount.options());
      } catch (VfsException e) {
        throw new IllegalArgumentException("mount " + mount.path() + ": " + e.getMessage(), e);
      }
      kernel.addProvider(name, provider);
      process.mount(mount.path(), name);
      mounts.put(mount.path(), provider);
      names.put(mount.path(), name);
      types.put(mount.path(), mount.type());
    }
    Stats stats = new Stats();
    Trace trace;
    try {
      trace = options.trace == null ? null : new Trace(options.trace);
      BridgeInjector.injectBridge(instrumentation);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start: " + e, e);
    }
    RingIo io = new RingIo(process, options.ringEntries, stats, trace);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> exit(options, stats, trace), "iouring-agent-exit"));
    try {
      // Loads MountedFiles, and with it the bridge's Opener, only now that the boot loader has it.
      MountedFiles files = new MountedFiles(io, mounts, names, types);
      RingStreams streams = new RingStreams(io, files, RingStreams.jdkFields(instrumentation));
      Hooks.install(instrumentation, files, new MountedPaths(io, files), streams);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("bridge not injected: " + e, e);
    }
  }

  private static void exit(AgentOptions options, Stats stats, Trace trace) {
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
