package iouring.core.osgi;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One mount every process sees, from a ConfigAdmin factory configuration of PID {@value #PID}: a
 * path and the name of the provider mounted there. The mount names its provider, so it waits for a
 * provider that has not arrived yet and survives one that leaves and comes back.
 */
@Component(configurationPid = MountComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = MountComponent.Config.class, factory = true)
public final class MountComponent {
  /** The factory PID of mount configurations. */
  public static final String PID = "iouring.mount";

  /** A mount's configuration. */
  @ObjectClassDefinition(
      name = "iouring mount",
      description = "A provider mounted at a path in every emulated process.")
  public @interface Config {
    /**
     * Returns the mount point.
     *
     * @return an absolute path
     */
    @AttributeDefinition(description = "Absolute path of the mount point.")
    String path();

    /**
     * Returns the provider's name.
     *
     * @return the iouring.vfs.name of the provider
     */
    @AttributeDefinition(description = "iouring.vfs.name of the provider to mount.")
    String provider();
  }

  private final KernelComponent kernel;
  private final String path;

  /**
   * Adds the mount.
   *
   * @param kernel the kernel component
   * @param config the configuration
   */
  @Activate
  public MountComponent(@Reference KernelComponent kernel, Config config) {
    if (!config.path().startsWith("/")) {
      throw new IllegalArgumentException(
          "iouring.mount: path '" + config.path() + "' is not absolute");
    }
    this.kernel = kernel;
    this.path = config.path();
    kernel.kernel().mountDefault(path, config.provider());
  }

  @Deactivate
  void deactivate() {
    kernel.kernel().unmountDefault(path);
  }
}
