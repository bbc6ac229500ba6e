package iouring.agent;

import iouring.api.IoUringKernel;
import iouring.api.IoUringProcess;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsProvider;
import iouring.api.spi.VfsProviderFactory;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * The mounts of the options, made real: a new provider per {@code mount=} from the factory of its
 * type (wrapped by the {@code fault} factory's provider when the mount has faults), made known to
 * the kernel under a private name, and mounted in a new process at the same path as on the host.
 * The factories come from the class path ({@code -javaagent}) or the service registry (the bundle).
 */
final class AgentMounts {
  /** The type of iouring.vfs's fault-injecting provider, which wraps a mount's for fault=. */
  private static final String FAULT = "fault";

  final IoUringProcess process;
  final Map<String, VfsProvider> providers = new LinkedHashMap<>();
  final Map<String, String> names = new LinkedHashMap<>();
  final Map<String, String> types = new LinkedHashMap<>();

  private AgentMounts(IoUringProcess process) {
    this.process = process;
  }

  /**
   * Creates every mount's provider, then the process that mounts them.
   *
   * @param options the parsed options
   * @param kernel the kernel
   * @param factories the factory of a type, or null if there is none
   * @param where where factories come from, for messages ({@code on the class path})
   * @param index the number in the next mount's provider name ({@code agent-mount-N-TYPE})
   * @param instrumentation the agent's instrumentation, or null when there is none
   * @throws IllegalArgumentException with the one line to report for a type or option that fails
   */
  static AgentMounts create(
      AgentOptions options,
      IoUringKernel kernel,
      Function<String, VfsProviderFactory> factories,
      String where,
      IntSupplier index,
      Instrumentation instrumentation) {
    Map<String, VfsProvider> created = new LinkedHashMap<>();
    for (AgentOptions.Mount mount : options.mounts) {
      created.put(mount.path(), provider(mount, factories, where, instrumentation));
    }
    AgentMounts mounts = new AgentMounts(kernel.newProcess());
    mounts.process.umask(hostUmask());
    for (AgentOptions.Mount mount : options.mounts) {
      String name = "agent-mount-" + index.getAsInt() + "-" + mount.type();
      VfsProvider provider = created.get(mount.path());
      kernel.addProvider(name, provider);
      mounts.process.mount(mount.path(), name);
      mounts.providers.put(mount.path(), provider);
      mounts.names.put(mount.path(), name);
      mounts.types.put(mount.path(), mount.type());
    }
    return mounts;
  }

  /**
   * Opens {@code sun.nio.ch} to a provider's module, so that the host provider can make its file
   * channels uninterruptible (an interrupt of the application's thread then closes no mounted file,
   * and each read skips the JDK's interrupt bookkeeping), as {@code --add-opens
   * java.base/sun.nio.ch=ALL-UNNAMED} would. A provider that does not use it is unaffected, and
   * where the JDK refuses the host provider's interrupt shield does the work.
   */
  static void openFileChannels(Instrumentation instrumentation, VfsProviderFactory factory) {
    if (instrumentation == null || factory == null) {
      return;
    }
    try {
      Module base = FileChannel.class.getModule();
      Module provider = factory.getClass().getModule();
      if (!base.isOpen("sun.nio.ch", provider)) {
        instrumentation.redefineModule(
            base, Set.of(), Map.of(), Map.of("sun.nio.ch", Set.of(provider)), Set.of(), Map.of());
      }
    } catch (RuntimeException e) {
      // Not this JDK's layout, or not modifiable: the provider keeps interruptible channels.
    }
  }

  /** The umask when the JVM's own cannot be read: the usual one. */
  static final int DEFAULT_UMASK = 022;

  /**
   * Returns the JVM's own umask, which the emulated process takes so that files and directories
   * created under a mount get the modes the host would give them: Linux reports it in {@code
   * /proc/self/status} (since 4.7); elsewhere, or if that cannot be read, {@link #DEFAULT_UMASK}.
   */
  static int hostUmask() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Umask:")) {
          return Integer.parseInt(line.substring("Umask:".length()).trim(), 8) & 0777;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or not readable: the usual mask.
    }
    return DEFAULT_UMASK;
  }

  /**
   * Creates a mount's provider; with fault options, the fault provider's factory creates it,
   * wrapped, from the mount's type and options and the rules.
   */
  private static VfsProvider provider(
      AgentOptions.Mount mount,
      Function<String, VfsProviderFactory> factories,
      String where,
      Instrumentation instrumentation) {
    String type = mount.type();
    Map<String, String> providerOptions = mount.options();
    VfsProviderFactory own = factories.apply(type);
    if (own == null) {
      throw new IllegalArgumentException(
          "mount " + mount.path() + ": no provider type '" + type + "' " + where);
    }
    if (!mount.faults().isEmpty()) {
      providerOptions = new LinkedHashMap<>();
      providerOptions.put("target", mount.type());
      for (Map.Entry<String, String> option : mount.options().entrySet()) {
        providerOptions.put("target." + option.getKey(), option.getValue());
      }
      for (int i = 0; i < mount.faults().size(); i++) {
        providerOptions.put("rule." + (i + 1), mount.faults().get(i));
      }
    }
    VfsProviderFactory factory = mount.faults().isEmpty() ? own : factories.apply(FAULT);
    if (factory == null) {
      throw new IllegalArgumentException(
          "mount " + mount.path() + ": fault options need the provider type 'fault' (iouring.vfs)");
    }
    openFileChannels(instrumentation, own);
    if (factory != own) {
      openFileChannels(instrumentation, factory); // the fault provider wraps the mount's own
    }
    try {
      return factory.create(providerOptions);
    } catch (VfsException e) {
      throw new IllegalArgumentException("mount " + mount.path() + ": " + e.getMessage(), e);
    }
  }
}
