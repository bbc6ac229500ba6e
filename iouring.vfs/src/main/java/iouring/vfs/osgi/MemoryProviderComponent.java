package iouring.vfs.osgi;

import iouring.api.spi.VfsProvider;
import iouring.vfs.memory.MemoryProvider;
import java.time.Clock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Publishes a {@link MemoryProvider} as a service named by its configuration. Without configuration
 * there is one, {@code memory}, without a size limit; each factory configuration adds another,
 * empty one.
 */
@Component(
    service = VfsProvider.class,
    configurationPid = MemoryProviderComponent.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL,
    // A delayed component is disposed whenever no bundle holds the service, and its files with
    // it; the files must live as long as the configuration does.
    immediate = true)
@Designate(ocd = MemoryProviderComponent.Config.class, factory = true)
public final class MemoryProviderComponent extends MemoryProvider {
  /** The configuration PID, also the factory PID for more memory providers. */
  public static final String PID = "iouring.vfs.memory";

  /** A memory provider's configuration. */
  @ObjectClassDefinition(
      name = "iouring memory provider",
      description = "A tmpfs-like file system in the heap; its contents go with the service.")
  public @interface Config {
    /**
     * Returns the provider's name.
     *
     * @return the name that mounts use
     */
    @AttributeDefinition(name = "iouring.vfs.name", description = "Name mounts use.")
    String iouring_vfs_name() default "memory";

    /**
     * Returns the size limit.
     *
     * @return the most bytes of file data, or 0 for no limit
     */
    @AttributeDefinition(
        description = "Most bytes of file data, in 4 KiB pages (ENOSPC past it); 0 for no limit.",
        min = "0")
    long sizeLimit() default 0;
  }

  /**
   * Creates the provider from its configuration.
   *
   * @param config the configuration
   */
  @Activate
  public MemoryProviderComponent(Config config) {
    super(config.sizeLimit(), Clock.systemUTC());
  }
}
