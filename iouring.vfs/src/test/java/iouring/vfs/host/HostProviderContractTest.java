package iouring.vfs.host;

import iouring.api.spi.VfsProvider;
import iouring.vfs.VfsProviderContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The host provider keeps the provider contract over a fresh directory of the host. */
class HostProviderContractTest extends VfsProviderContract {
  @TempDir Path root;

  @Override
  protected VfsProvider createProvider() throws Exception {
    return new HostProvider(root);
  }
}
