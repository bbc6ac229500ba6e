package iouring.api;

import iouring.api.spi.VfsProvider;
import java.util.ServiceLoader;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The emulated kernel: it creates processes, each with its own fd table, address space and
 * file-system view. Under OSGi it is a service; without a framework, {@link #load()} finds it.
 */
@ProviderType
public interface IoUringKernel {

  /**
   * Creates a new emulated process with an empty fd table, an empty address space and the kernel's
   * default mounts.
   *
   * @return the new process; closing it closes every fd it holds
   */
  IoUringProcess newProcess();

  /**
   * Makes a provider known under a name, replacing any provider of that name, so that mounts of
   * that name reach it. Under OSGi providers arrive as services; this is for code that runs without
   * a framework and creates its own, such as the Java agent.
   *
   * @param name the name mounts use
   * @param provider the provider
   */
  void addProvider(String name, VfsProvider provider);

  /**
   * Finds the kernel implementation through {@link ServiceLoader}, for use without an OSGi
   * framework.
   *
   * @return the first kernel found on the class path
   * @throws IllegalStateException if no implementation is on the class path
   */
  static IoUringKernel load() {
    return ServiceLoader.load(IoUringKernel.class, IoUringKernel.class.getClassLoader())
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no iouring.api.IoUringKernel implementation on the class path;"
                        + " add the iouring.core jar"));
  }
}
