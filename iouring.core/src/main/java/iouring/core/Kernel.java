package iouring.core;

import iouring.api.IoUringKernel;
import iouring.api.spi.VfsProvider;
import iouring.core.ring.KernelLimits;
import iouring.core.vfs.MountTable;
import iouring.core.vfs.ProviderRegistry;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulated kernel: the providers it knows by name, the mounts every process sees, its limits,
 * and the processes it created. By default every process sees the provider named {@value
 * #ROOT_PROVIDER} at {@code /}. Plain Java: the OSGi component and {@link java.util.ServiceLoader}
 * both construct it.
 */
public final class Kernel implements IoUringKernel {
  /** The provider every process sees at {@code /} unless configured otherwise. */
  public static final String ROOT_PROVIDER = "host";

  private final KernelLimits limits;
  private final ProviderRegistry registry = new ProviderRegistry();
  private final MountTable defaults = new MountTable(registry, null);
  private final Set<EmulatedProcess> processes = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicInteger nextPid =
      new java.util.concurrent.atomic.AtomicInteger(1);

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
    defaults.mount("/", ROOT_PROVIDER);
  }

  /**
   * Makes a provider known under a name, replacing any provider of that name; mounts of that name
   * in every process now reach it.
   *
   * @param name the name mounts use
   * @param provider the provider
   */
  @Override
  public void addProvider(String name, VfsProvider provider) {
    registry.add(name, provider);
  }

  /**
   * Forgets a provider, if it is still the one known under its name. Paths under its mounts fail
   * with {@code ENOTCONN} until a provider of that name comes back; files still open on it are
   * revoked and fail with {@code EIO}.
   *
   * @param name the name
   * @param provider the provider
   */
  public void removeProvider(String name, VfsProvider provider) {
    registry.remove(name, provider);
  }

  /**
   * Mounts a provider, by name, in every process, present and future, beneath the process's own
   * mounts at the same path.
   *
   * @param path an absolute path
   * @param providerName the provider's name
   */
  public void mountDefault(String path, String providerName) {
    defaults.mount(path, providerName);
  }

  /**
   * Removes a mount that every process sees.
   *
   * @param path the mount point
   * @return true if there was one
   */
  public boolean unmountDefault(String path) {
    return defaults.unmount(path);
  }

  /**
   * Returns the registry of providers.
   *
   * @return the registry
   */
  public ProviderRegistry providers() {
    return registry;
  }

  /**
   * Returns the mounts every process sees.
   *
   * @return the default mounts
   */
  public List<MountTable.Mount> defaultMounts() {
    return defaults.list();
  }

  /**
   * Returns the processes that have not exited.
   *
   * @return a snapshot
   */
  public List<EmulatedProcess> processes() {
    return List.copyOf(processes);
  }

  @Override
  public EmulatedProcess newProcess() {
    EmulatedProcess process =
        new EmulatedProcess(
            nextPid.getAndIncrement(),
            limits,
            new MountTable(registry, defaults),
            processes::remove);
    processes.add(process);
    return process;
  }
}
