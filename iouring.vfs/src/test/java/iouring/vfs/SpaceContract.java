package iouring.vfs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.spi.VfsSpace;
import org.junit.jupiter.api.Test;

/** {@code statfs(2)}: every provider here reports its space. */
public interface SpaceContract extends ProviderFixture {

  @Test
  default void spaceIsReportedInOrder() throws Exception {
    VfsSpace space = provider().space();
    assertTrue(space.totalBytes() > 0, space.toString());
    assertTrue(space.freeBytes() <= space.totalBytes(), space.toString());
    assertTrue(space.availableBytes() <= space.freeBytes(), space.toString());
    assertTrue(space.blockSize() > 0, space.toString());
  }
}
