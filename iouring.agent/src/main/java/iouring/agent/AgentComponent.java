package iouring.agent;

import iouring.api.IoUringKernel;
import iouring.api.spi.VfsProviderFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The agent under OSGi: once configured (PID {@value #PID}), it makes sure the hooks are in the JDK
 * (a {@code -javaagent} put them there, or the bundle attaches itself), creates the configured
 * mounts from the kernel and the provider factories of the service registry, and plugs them into
 * the bridge. Deactivated (the bundle stops, the configuration goes, the kernel or a factory
 * leaves), it takes them out again: new calls go to the JDK, files open through the ring keep
 * working until closed. Every problem is one line on standard error, and the component then stays
 * passive.
 */
@Component(
    configurationPid = AgentComponent.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE,
    immediate = true,
    service = {})
@Designate(ocd = AgentComponent.Config.class)
public final class AgentComponent {
  /** The configuration PID. */
  public static final String PID = "iouring.agent";

  /** The agent's configuration: the options of the command line, one value per option. */
  @ObjectClassDefinition(
      name = "iouring agent",
      description =
          "Routes FileChannel and Files I/O under mounts through the emulated ring, as the"
              + " -javaagent options do.")
  public @interface Config {
    /**
     * Returns the mounts.
     *
     * @return one PATH=TYPE[:KEY=VALUE...] per mount
     */
    @AttributeDefinition(
        description =
            "PATH=TYPE[:KEY=VALUE...]: everything under PATH lives in a new provider of TYPE"
                + " (memory[:sizeLimit=BYTES] or host:root=DIR).")
    String[] mount() default {};

    /**
     * Returns the faults.
     *
     * @return one GLOB:OPS:ERRNO[:nth=N|:nth=N+|:every=N][:delay=MS] per fault
     */
    @AttributeDefinition(
        description =
            "GLOB:OPS:ERRNO[:nth=N|:nth=N+|:every=N][:delay=MS]: calls under a mount that match"
                + " fail with ERRNO.")
    String[] fault() default {};

    /**
     * Returns the trace file.
     *
     * @return a path, or empty for none
     */
    @AttributeDefinition(
        required = false,
        description = "File for one tab-separated line per SQE; empty for none.")
    String trace() default "";

    /**
     * Returns the statistics file.
     *
     * @return a path, or empty for none
     */
    @AttributeDefinition(
        required = false,
        description = "File for the JSON counts of SQEs by opcode and bytes; empty for none.")
    String stats() default "";

    /**
     * Returns the ring size.
     *
     * @return a power of two from 1 to 32768
     */
    @AttributeDefinition(description = "Ring entries, a power of two.", min = "1", max = "32768")
    int ring() default 64;
  }

  /** The running session, a {@link BundleSession}; not named here, see {@link #activate}. */
  private final Object session;

  /**
   * Serves the configured mounts.
   *
   * @param context the bundle's context
   * @param config the configuration
   * @param kernel the kernel service
   * @param factories the provider factory services
   */
  @Activate
  public AgentComponent(
      BundleContext context,
      Config config,
      @Reference IoUringKernel kernel,
      @Reference(
              cardinality = ReferenceCardinality.MULTIPLE,
              policyOption = ReferencePolicyOption.GREEDY)
          List<VfsProviderFactory> factories) {
    this.session = activate(context, config, kernel, factories);
  }

  /**
   * Returns the session, or null with one line said. This class names no type that links the
   * bridge: until the boot loader has it, the bundle's loader must not load it from the bundle.
   */
  private static Object activate(
      BundleContext context,
      Config config,
      IoUringKernel kernel,
      List<VfsProviderFactory> factories) {
    AgentOptions options;
    try {
      options = AgentOptions.parse(options(config));
    } catch (IllegalArgumentException e) {
      return passive(e.getMessage());
    }
    if (!BridgeInjector.isInBootLoader(BridgeInjector.HOOK_STATE)) {
      String failure = SelfAttach.attach(context.getBundle());
      if (failure != null) {
        return passive(
            "no instrumentation to hook the JDK with (start the JVM with -javaagent:"
                + "iouring.agent.jar, or allow -Djdk.attach.allowAttachSelf=true): "
                + failure);
      }
    }
    if (!BridgeInjector.isInBootLoader(BridgeInjector.HOOK_STATE)) {
      return passive("the attached agent left no bridge in the boot class loader");
    }
    ClassLoader own = AgentComponent.class.getClassLoader();
    try {
      if (Class.forName(BridgeInjector.HOOK_STATE, false, own).getClassLoader() != null) {
        return passive(
            "this framework does not boot-delegate iouring.agent.bootstrap; set"
                + " org.osgi.framework.bootdelegation=iouring.agent.bootstrap");
      }
    } catch (ClassNotFoundException e) {
      return passive("cannot load " + BridgeInjector.HOOK_STATE + ": " + e);
    }
    if (!AgentHooks.installed()) {
      return passive("the JDK's file system provider is not hooked");
    }
    Map<String, VfsProviderFactory> byType = new LinkedHashMap<>();
    for (VfsProviderFactory factory : factories) {
      byType.putIfAbsent(factory.type(), factory);
    }
    try {
      return BundleSession.start(options, kernel, byType::get);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return passive(e.getMessage());
    }
  }

  /** The configuration as the options of the command line. */
  private static List<String> options(Config config) {
    List<String> options = new ArrayList<>();
    for (String mount : config.mount()) {
      options.add("mount=" + mount);
    }
    for (String fault : config.fault()) {
      options.add("fault=" + fault);
    }
    if (!config.trace().isEmpty()) {
      options.add("trace=" + config.trace());
    }
    if (!config.stats().isEmpty()) {
      options.add("stats=" + config.stats());
    }
    options.add("ring=" + config.ring());
    return options;
  }

  private static Object passive(String why) {
    System.err.println("iouring agent: " + why + "; mounts are not served and I/O stays direct");
    return null;
  }

  @Deactivate
  void deactivate() {
    if (session != null) {
      ((BundleSession) session).detach();
    }
  }
}
