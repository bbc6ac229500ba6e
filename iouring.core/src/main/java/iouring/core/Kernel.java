package iouring.core;

import iouring.api.IoUringKernel;
import iouring.api.spi.VfsProvider;
import iouring.core.ring.KernelLimits;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulated kernel: the providers it knows by name, its limits, and the processes it creates. A
 * new process mounts the provider named {@value #ROOT_PROVIDER} at {@code /} when there is one.
 * Plain Java: the OSGi component and {@link java.util.ServiceLoader} both construct it.
 */
public final class Kernel implements IoUringKernel {
  /** The provider a new process mounts at {@code /}. */
  public static final String ROOT_PROVIDER = "host";

  private final KernelLimits limits;
  private final Map<String, VfsProvider> providers = new ConcurrentHashMap<>();

  /** Creates a kernel with Linux's default limits and no providers. */
  public Kernel() {
    this(KernelLimits.DEFAULTS);
  }

  /**
   * Creates a kernel with the given limits and no providers.
   *
   * @param limits the per-process limits
   */
  public Kernel(KernelLimits limits) {
    this.limits = Objects.requireNonNull(limits);
  }

  /**
   * Makes a provider known under a name, replacing any provider of that name.
   *
   * @param name the name mounts use
   * @param provider the provider
   */
  public void addProvider(String name, VfsProvider provider) {
    providers.put(name, provider);
  }

  /**
   * Forgets a provider, if it is still the one known under its name.
   *
   * @param name the name
   * @param provider the provider
   */
  public void removeProvider(String name, VfsProvider provider) {
    providers.remove(name, provider);
  }

  @Override
  public EmulatedProcess newProcess() {
    EmulatedProcess process = new EmulatedProcess(limits);
    VfsProvider root = providers.get(ROOT_PROVIDER);
    if (root != null) {
      process.mounts().mount("/", root);
    }
    return process;
  }
}
