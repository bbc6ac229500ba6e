package iouring.vfs.osgi;

import iouring.api.spi.VfsProvider;
import iouring.vfs.host.HostProvider;
import java.io.IOException;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Publishes a {@link HostProvider} as a service named by its configuration. Without configuration
 * it serves the host's whole file system as {@code host}, which is what a process sees when it
 * mounts nothing else.
 */
@Component(
    service = VfsProvider.class,
    configurationPid = HostProviderComponent.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HostProviderComponent.Config.class, factory = true)
public final class HostProviderComponent extends HostProvider {
  /** The configuration PID, also the factory PID for more host providers. */
  public static final String PID = "iouring.vfs.host";

  /** A host provider's configuration. */
  @ObjectClassDefinition(
      name = "iouring host provider",
      description = "Real files under a root directory, never resolved outside it.")
  public @interface Config {
    /**
     * Returns the provider's name.
     *
     * @return the name that mounts use
     */
    @AttributeDefinition(name = "iouring.vfs.name", description = "Name mounts use.")
    String iouring_vfs_name() default "host";

    /**
     * Returns the root directory.
     *
     * @return the host directory that is the provider's {@code /}
     */
    @AttributeDefinition(description = "Host directory that is the provider's root.")
    String root() default "/";
  }

  /**
   * Creates the provider from its configuration.
   *
   * @param config the configuration
   * @throws IOException if the root directory does not exist
   */
  @Activate
  public HostProviderComponent(Config config) throws IOException {
    super(Path.of(config.root()));
  }
}
