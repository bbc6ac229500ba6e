package iouring.vfs.memory;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsProvider;
import iouring.api.spi.VfsProviderFactory;
import java.time.Clock;
import java.util.Map;

/**
 * Creates {@link MemoryProvider}s without a framework, for {@code mount=PATH=memory[:sizeLimit=N]}.
 * Each call gives a new, empty file system.
 */
public final class MemoryProviderFactory implements VfsProviderFactory {
  /** The option that limits file data, in bytes; absent or 0 for no limit. */
  public static final String SIZE_LIMIT = "sizeLimit";

  @Override
  public String type() {
    return "memory";
  }

  @Override
  public VfsProvider create(Map<String, String> options) throws VfsException {
    long sizeLimit = 0;
    for (Map.Entry<String, String> option : options.entrySet()) {
      if (!option.getKey().equals(SIZE_LIMIT)) {
        throw new VfsException(Errno.EINVAL, "unknown memory option '" + option.getKey() + "'");
      }
      try {
        sizeLimit = Long.parseLong(option.getValue());
      } catch (NumberFormatException e) {
        sizeLimit = -1;
      }
      if (sizeLimit < 0) {
        throw new VfsException(
            Errno.EINVAL, "sizeLimit must be a byte count: " + option.getValue());
      }
    }
    return new MemoryProvider(sizeLimit, Clock.systemUTC());
  }
}
