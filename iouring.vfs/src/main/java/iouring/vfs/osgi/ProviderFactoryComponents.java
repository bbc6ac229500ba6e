package iouring.vfs.osgi;

import iouring.api.spi.VfsException;
import iouring.api.spi.VfsProvider;
import iouring.api.spi.VfsProviderFactory;
import iouring.vfs.fault.FaultProviderFactory;
import iouring.vfs.host.HostProviderFactory;
import iouring.vfs.memory.MemoryProviderFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The provider factories as services, for code that creates its own providers from a type and
 * options under OSGi, as the agent bundle does for its {@code mount=} options. Each service has the
 * property {@value #TYPE_PROPERTY}, the factory's type. The fault factory finds its target type
 * among the other factory services.
 */
public final class ProviderFactoryComponents {
  /** The service property that holds a factory's type. */
  public static final String TYPE_PROPERTY = "iouring.vfs.type";

  private ProviderFactoryComponents() {}

  /** A component that publishes a factory of this bundle as it is. */
  abstract static class Published implements VfsProviderFactory {
    private final VfsProviderFactory factory;

    Published(VfsProviderFactory factory) {
      this.factory = factory;
    }

    @Override
    public final String type() {
      return factory.type();
    }

    @Override
    public final VfsProvider create(Map<String, String> options) throws VfsException {
      return factory.create(options);
    }
  }

  /** The {@code memory} factory. */
  @Component(service = VfsProviderFactory.class, property = TYPE_PROPERTY + "=memory")
  public static final class Memory extends Published {
    /** Creates the component. */
    public Memory() {
      super(new MemoryProviderFactory());
    }
  }

  /** The {@code host} factory. */
  @Component(service = VfsProviderFactory.class, property = TYPE_PROPERTY + "=host")
  public static final class Host extends Published {
    /** Creates the component. */
    public Host() {
      super(new HostProviderFactory());
    }
  }

  /** The {@code fault} factory, whose targets are the other factory services. */
  @Component(service = VfsProviderFactory.class, property = TYPE_PROPERTY + "=fault")
  public static final class Fault extends Published {
    private final Map<String, VfsProviderFactory> targets;

    /** Creates the component. */
    public Fault() {
      this(new ConcurrentHashMap<>());
    }

    private Fault(Map<String, VfsProviderFactory> targets) {
      super(new FaultProviderFactory(targets::get));
      this.targets = targets;
    }

    @Reference(
        cardinality = ReferenceCardinality.MULTIPLE,
        policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY,
        target = "(!(" + TYPE_PROPERTY + "=fault))")
    void addTarget(VfsProviderFactory target) {
      targets.put(target.type(), target);
    }

    void removeTarget(VfsProviderFactory target) {
      targets.remove(target.type(), target);
    }
  }
}
