package iouring.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One file system that processes can mount: the host file system under a root directory, a file
 * system in memory, and so on. Paths are relative to the provider's own root; the provider resolves
 * them without ever leaving that root.
 *
 * <p>Under OSGi a provider is a service with the property {@value #NAME_PROPERTY}; mounts name it.
 */
@ConsumerType
public interface VfsProvider {

  /** The service property that names a provider in mount tables. */
  String NAME_PROPERTY = "iouring.vfs.name";

  /**
   * Opens a file, with the semantics of {@code openat(2)} below this provider's root.
   *
   * @param path a path relative to the provider's root, with {@code /} separators
   * @param flags {@code O_*} flags
   * @param mode the permission bits of a file that {@code O_CREAT} creates
   * @return the open file description
   * @throws VfsException with the errno {@code openat(2)} would give
   */
  VfsFile open(String path, int flags, int mode) throws VfsException;
}
