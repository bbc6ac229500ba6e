package iouring.vfs.osgi;

import iouring.api.spi.VfsProvider;
import iouring.vfs.fault.FaultProvider;
import iouring.vfs.fault.FaultRule;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Publishes a {@link FaultProvider} over another provider, once configured: each factory
 * configuration names the new provider, picks its target with a service filter and lists its rules.
 * The target is a static reference, so the fault provider comes and goes with it.
 *
 * <p>The target is chosen by the {@code target.target} property, the filter Declarative Services
 * itself applies to the reference named {@code target}: DS cannot build a filter from a plain name,
 * and a component that looked providers up by name itself would see its own service among them and
 * stay registered with nothing to wrap.
 */
@Component(
    service = VfsProvider.class,
    configurationPid = FaultProviderComponent.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE,
    immediate = true) // so that a malformed rule is reported when configured, not on first use
@Designate(ocd = FaultProviderComponent.Config.class, factory = true)
public final class FaultProviderComponent extends FaultProvider {
  /** The factory PID of fault providers. */
  public static final String PID = "iouring.vfs.fault";

  /** A fault provider's configuration. */
  @ObjectClassDefinition(
      name = "iouring fault provider",
      description = "Fails or delays chosen operations of another provider.")
  public @interface Config {
    /**
     * Returns the provider's name.
     *
     * @return the name that mounts use
     */
    @AttributeDefinition(name = "iouring.vfs.name", description = "Name mounts use.")
    String iouring_vfs_name() default "fault";

    /**
     * Returns the filter that selects the wrapped provider.
     *
     * @return an LDAP filter over provider services
     */
    @AttributeDefinition(
        name = "target.target",
        description = "Filter selecting the wrapped provider, e.g. (iouring.vfs.name=memory).")
    String target_target() default "(" + VfsProvider.NAME_PROPERTY + "=memory)";

    /**
     * Returns the rules.
     *
     * @return one rule per string, in the syntax of {@link FaultProvider}
     */
    @AttributeDefinition(
        description = "Rules such as op=read,path=/data/*,nth=3,errno=EIO or op=write,delay=50ms.")
    String[] rules() default {};
  }

  /**
   * Creates the provider from its configuration and its target.
   *
   * @param config the configuration
   * @param target the wrapped provider
   * @throws IllegalArgumentException for a malformed rule
   */
  @Activate
  public FaultProviderComponent(Config config, @Reference(name = "target") VfsProvider target) {
    super(target, FaultRule.parseAll(config.rules()));
  }
}
