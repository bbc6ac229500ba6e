package iouring.agent;

import iouring.api.IoUringKernel;
import iouring.api.spi.VfsProviderFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The mounts of the bundle's configuration, served from one activation of {@link AgentComponent} to
 * the close of the last file opened through them: its own process of the registry's kernel,
 * providers from the registry's factories, a ring, and the bridge while attached. Detached, the
 * hooks let every new call through to the JDK, the files open through the ring keep working, and
 * the ring and the process are released when the last of them closes; {@code stats=} and {@code
 * trace=} are written then (or at JVM exit, if that comes first).
 *
 * <p>Loaded only once the bridge is in the boot loader: it links {@link MountedFiles}, an {@link
 * iouring.agent.bootstrap.RingBridge.Opener}.
 */
final class BundleSession {
  /**
   * The numbers in the provider names ({@code agent-mount-N-TYPE}) of the sessions not yet
   * released: a new session takes the lowest free ones, and so replaces the providers of a released
   * session in the kernel rather than adding more, but never those of one whose files are open.
   */
  private static final TreeSet<Integer> TAKEN = new TreeSet<>();

  private final AgentOptions options;
  private final AgentMounts mounts;
  private final List<Integer> indices;
  private final Stats stats;
  private final Trace trace;
  private final RingIo io;
  private final Thread exitHook;
  private final AtomicBoolean written = new AtomicBoolean();

  private BundleSession(
      AgentOptions options,
      AgentMounts mounts,
      List<Integer> indices,
      Stats stats,
      Trace trace,
      RingIo io) {
    this.options = options;
    this.mounts = mounts;
    this.indices = indices;
    this.stats = stats;
    this.trace = trace;
    this.io = io;
    this.exitHook = new Thread(this::write, "iouring-agent-exit");
  }

  /**
   * Creates the mounts and plugs them into the bridge.
   *
   * @param options the parsed configuration
   * @param kernel the kernel service
   * @param factories the factory service of a type, or null
   * @return the session, attached
   * @throws IllegalArgumentException for a mount whose type or options fail
   * @throws IllegalStateException if the trace cannot be created or other mounts hold the bridge
   */
  static BundleSession start(
      AgentOptions options, IoUringKernel kernel, Function<String, VfsProviderFactory> factories) {
    List<Integer> indices = new ArrayList<>();
    AgentMounts mounts;
    try {
      mounts =
          AgentMounts.create(
              options,
              kernel,
              factories,
              "registered",
              () -> take(indices),
              AgentHooks.instrumentation());
    } catch (RuntimeException e) {
      free(indices);
      throw e;
    }
    Stats stats = new Stats();
    Trace trace = null;
    RingIo io = null;
    try {
      trace = options.trace == null ? null : new Trace(options.trace);
      io = new RingIo(mounts.process, options.ringEntries, stats, trace);
    } catch (IOException | RuntimeException e) {
      mounts.process.close();
      free(indices);
      throw new IllegalStateException("cannot start: " + e, e);
    }
    BundleSession session = new BundleSession(options, mounts, indices, stats, trace, io);
    MountedFiles files = new MountedFiles(io, mounts.providers, mounts.names, mounts.types);
    RingStreams streams =
        new RingStreams(io, files, RingStreams.jdkFields(AgentHooks.instrumentation()));
    String holder = AgentHooks.plug(session, files, new MountedPaths(io, files), streams);
    if (holder != null) {
      session.release();
      throw new IllegalStateException("the hooks already serve " + holder);
    }
    Runtime.getRuntime().addShutdownHook(session.exitHook);
    return session;
  }

  /**
   * Takes the mounts out of the bridge; the ring and the process go when no file is open on them.
   */
  void detach() {
    AgentHooks.unplug(this);
    io.whenIdle(this::release);
  }

  /** Returns the number of files open through the session's ring. */
  int openFiles() {
    return io.openFiles();
  }

  private void release() {
    io.close();
    mounts.process.close();
    free(indices);
    try {
      Runtime.getRuntime().removeShutdownHook(exitHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // the JVM is exiting, or the hook was never added: it writes, or nothing is left to
    }
    write();
  }

  private void write() {
    if (written.compareAndSet(false, true)) {
      IoUringAgent.exit(options, stats, trace);
    }
  }

  private static int take(List<Integer> indices) {
    synchronized (TAKEN) {
      int index = 0;
      while (TAKEN.contains(index)) {
        index++;
      }
      TAKEN.add(index);
      indices.add(index);
      return index;
    }
  }

  private static void free(List<Integer> indices) {
    synchronized (TAKEN) {
      TAKEN.removeAll(indices);
    }
  }

  @Override
  public String toString() {
    return "the mounts of the iouring.agent bundle's configuration";
  }
}
