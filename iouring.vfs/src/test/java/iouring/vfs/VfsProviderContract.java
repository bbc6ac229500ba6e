package iouring.vfs;

import iouring.api.spi.VfsProvider;
import org.junit.jupiter.api.BeforeEach;

/**
 * The behaviour every {@link VfsProvider} owes the emulated kernel: Linux's semantics and errnos
 * for each SPI operation, with its failure cases, as Jimfs tests every {@code FileChannel} method.
 * A provider's test extends this class and says how to make a fresh, empty provider.
 *
 * <p>The contract comes in parts, one interface per group of operations, so that each reads in one
 * sitting. A test that needs a {@link iouring.api.spi.VfsCapability} skips itself without it; the
 * parts also check that a missing capability fails with the errno its constant names.
 */
public abstract class VfsProviderContract
    implements PathContract,
        OpenContract,
        FileIoContract,
        AllocateContract,
        DirectoryContract,
        RenameContract,
        SymlinkContract,
        LinkContract,
        XattrContract,
        AttributeContract,
        SpaceContract {
  private VfsProvider provider;

  /**
   * Creates the provider under test.
   *
   * @return a fresh provider with an empty root directory
   * @throws Exception if it cannot be made
   */
  protected abstract VfsProvider createProvider() throws Exception;

  @BeforeEach
  void createProviderUnderTest() throws Exception {
    provider = createProvider();
  }

  @Override
  public VfsProvider provider() {
    return provider;
  }
}
