package iouring.vfs.fault;

import iouring.api.spi.VfsProvider;
import iouring.vfs.VfsProviderContract;
import iouring.vfs.memory.MemoryProvider;
import java.util.List;

/** A fault provider without rules is its target: it keeps the whole contract over memory. */
class FaultProviderContractTest extends VfsProviderContract {
  @Override
  protected VfsProvider createProvider() {
    return new FaultProvider(new MemoryProvider(), List.of());
  }
}
