package iouring.api.spi;

import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Creates providers of one type from options, for code that runs without an OSGi framework (the
 * Java agent's {@code mount=PATH=TYPE:options}). Under OSGi, providers are services configured
 * through Configuration Admin instead; iouring.vfs also registers its factories as services (with
 * the property {@code iouring.vfs.type}), for the agent bundle's mounts.
 */
@ConsumerType
public interface VfsProviderFactory {

  /**
   * Returns the type this factory creates, the name mounts give: {@code "memory"}, {@code "host"}.
   *
   * @return the type
   */
  String type();

  /**
   * Creates a new, independent provider of this type.
   *
   * @param options the type's options, for example {@code root} for host files; never null
   * @return the provider
   * @throws VfsException {@code EINVAL} for an unknown or malformed option, or the errno of what
   *     failed while setting the provider up
   */
  VfsProvider create(Map<String, String> options) throws VfsException;

  /**
   * Finds the factory of a type through {@link ServiceLoader}, for use without an OSGi framework.
   *
   * @param type the type, as {@link #type()} gives it
   * @return the first factory of that type on the class path, or null if there is none
   */
  static VfsProviderFactory load(String type) {
    for (VfsProviderFactory factory :
        ServiceLoader.load(VfsProviderFactory.class, VfsProviderFactory.class.getClassLoader())) {
      if (factory.type().equals(type)) {
        return factory;
      }
    }
    return null;
  }
}
