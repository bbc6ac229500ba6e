package iouring.vfs.host;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsProvider;
import iouring.api.spi.VfsProviderFactory;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Creates {@link HostProvider}s without a framework, for {@code mount=PATH=host:root=DIR}: host
 * files under {@code DIR}, which must exist.
 */
public final class HostProviderFactory implements VfsProviderFactory {
  /** The option naming the host directory that is the provider's root. */
  public static final String ROOT = "root";

  @Override
  public String type() {
    return "host";
  }

  @Override
  public VfsProvider create(Map<String, String> options) throws VfsException {
    String root = null;
    for (Map.Entry<String, String> option : options.entrySet()) {
      if (!option.getKey().equals(ROOT)) {
        throw new VfsException(Errno.EINVAL, "unknown host option '" + option.getKey() + "'");
      }
      root = option.getValue();
    }
    if (root == null || root.isEmpty()) {
      throw new VfsException(Errno.EINVAL, "host needs root=DIR");
    }
    try {
      return new HostProvider(Path.of(root));
    } catch (InvalidPathException | IOException e) {
      throw new VfsException(Errno.ENOENT, "host root " + root + ": " + e.getMessage());
    }
  }
}
