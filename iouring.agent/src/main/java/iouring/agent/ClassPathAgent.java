package iouring.agent;

import iouring.api.IoUringKernel;
import iouring.api.spi.VfsProviderFactory;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent of {@code -javaagent} and of an attach call with mounts: the kernel and the providers
 * come from the application class path, {@code IoUringKernel.load()} and {@code
 * VfsProviderFactory.load(type)} (ServiceLoader), and it serves its mounts for the JVM's life.
 */
final class ClassPathAgent {
  /** Holds the bridge for the mounts of the command line or the attach call. */
  private static final Object OWNER =
      new Object() {
        @Override
        public String toString() {
          return "the mounts of the -javaagent or attach options";
        }
      };

  private ClassPathAgent() {}

  static void install(AgentOptions options, Instrumentation instrumentation) {
    IoUringKernel kernel = IoUringKernel.load();
    AtomicInteger index = new AtomicInteger();
    AgentMounts mounts =
        AgentMounts.create(
            options,
            kernel,
            VfsProviderFactory::load,
            "on the class path",
            index::getAndIncrement,
            instrumentation);
    Stats stats = new Stats();
    Trace trace;
    try {
      trace = options.trace == null ? null : new Trace(options.trace);
      IoUringAgent.injectBridge(instrumentation);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start: " + e, e);
    }
    RingIo io = new RingIo(mounts.process, options.ringEntries, stats, trace);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> IoUringAgent.exit(options, stats, trace), "iouring-agent-exit"));
    try {
      if (!AgentHooks.ensureInstalled(instrumentation)) {
        return;
      }
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("bridge not injected: " + e, e);
    }
    // Loads MountedFiles, and with it the bridge's Opener, only now that the boot loader has it.
    MountedFiles files = new MountedFiles(io, mounts.providers, mounts.names, mounts.types);
    RingStreams streams =
        new RingStreams(io, files, RingStreams.jdkFields(AgentHooks.instrumentation()));
    String holder = AgentHooks.plug(OWNER, files, new MountedPaths(io, files), streams);
    if (holder != null) {
      throw new IllegalStateException("the hooks already serve " + holder);
    }
  }
}
