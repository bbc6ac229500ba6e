package iouring.vfs.memory;

import iouring.api.spi.VfsProvider;
import iouring.vfs.VfsProviderContract;

/** The memory provider keeps the whole provider contract, every capability included. */
class MemoryProviderContractTest extends VfsProviderContract {
  @Override
  protected VfsProvider createProvider() {
    return new MemoryProvider();
  }
}
