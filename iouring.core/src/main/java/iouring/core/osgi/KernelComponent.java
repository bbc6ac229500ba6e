package iouring.core.osgi;

import iouring.api.IoUringKernel;
import iouring.api.IoUringProcess;
import iouring.api.spi.VfsProvider;
import iouring.core.Kernel;
import iouring.core.ring.KernelLimits;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Publishes the emulated kernel as a service and feeds it the file-system providers that come and
 * go in the service registry. Wiring only: the kernel is plain Java.
 */
@Component(
    service = {IoUringKernel.class, KernelComponent.class},
    configurationPid = KernelComponent.PID)
@Designate(ocd = KernelComponent.Config.class)
public final class KernelComponent implements IoUringKernel {
  /** The configuration PID. */
  public static final String PID = "iouring.kernel";

  /** The kernel's configuration: the limits of each process it creates. */
  @ObjectClassDefinition(
      name = "iouring kernel",
      description = "Limits of every emulated process; each gives Linux's errno when reached.")
  public @interface Config {
    /**
     * Returns the fd limit.
     *
     * @return the most fds per process
     */
    @AttributeDefinition(description = "Most fds a process may hold (EMFILE past it).")
    int fdLimit() default 1024;

    /**
     * Returns the mapping limit.
     *
     * @return the most mapped buffers per process
     */
    @AttributeDefinition(description = "Most buffers a process may map (ENOMEM past it).")
    int maxMappings() default 65530;

    /**
     * Returns the backlog limit.
     *
     * @return the most CQEs a ring's overflow backlog holds
     */
    @AttributeDefinition(description = "Most CQEs an overflowing ring keeps before dropping.")
    int backlogLimit() default 1 << 20;

    /**
     * Returns the registered-buffer limit.
     *
     * @return the most buffers a ring may register
     */
    @AttributeDefinition(description = "Most buffers a ring may register (EINVAL past it).")
    int maxRegisteredBuffers() default 16384;

    /**
     * Returns the ring memory limit.
     *
     * @return bytes
     */
    @AttributeDefinition(
        description = "Most bytes of ring memory the rings of one process hold (ENOMEM past it).")
    long ringMemoryLimit() default 256L << 20;
  }

  private final Kernel kernel;

  /**
   * Creates the kernel from its configuration.
   *
   * @param config the configuration
   */
  @Activate
  public KernelComponent(Config config) {
    this.kernel =
        new Kernel(
            new KernelLimits(
                config.fdLimit(),
                config.maxMappings(),
                config.backlogLimit(),
                config.maxRegisteredBuffers(),
                config.ringMemoryLimit()));
  }

  @Override
  public IoUringProcess newProcess() {
    return kernel.newProcess();
  }

  @Override
  public void addProvider(String name, VfsProvider provider) {
    kernel.addProvider(name, provider);
  }

  /**
   * Returns the kernel this component publishes, for the bundle's other components.
   *
   * @return the kernel
   */
  public Kernel kernel() {
    return kernel;
  }

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void addProvider(VfsProvider provider, Map<String, Object> properties) {
    Object name = properties.get(VfsProvider.NAME_PROPERTY);
    if (name != null) {
      kernel.addProvider(name.toString(), provider);
    }
  }

  void removeProvider(VfsProvider provider, Map<String, Object> properties) {
    Object name = properties.get(VfsProvider.NAME_PROPERTY);
    if (name != null) {
      kernel.removeProvider(name.toString(), provider);
    }
  }
}
