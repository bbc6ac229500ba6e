package iouring.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsProviderFactory;
import iouring.vfs.host.HostProvider;
import iouring.vfs.memory.MemoryProvider;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderFactoryTest {
  @TempDir Path dir;

  @Test
  void serviceLoaderFindsMemoryAndHost() throws Exception {
    assertInstanceOf(MemoryProvider.class, VfsProviderFactory.load("memory").create(Map.of()));
    HostProvider host =
        (HostProvider) VfsProviderFactory.load("host").create(Map.of("root", dir.toString()));
    assertEquals(dir.toRealPath(), host.root());
    assertNull(VfsProviderFactory.load("nfs"));
  }

  @Test
  void badOptionsAreEinval() {
    VfsProviderFactory memory = VfsProviderFactory.load("memory");
    VfsProviderFactory host = VfsProviderFactory.load("host");
    assertEquals(Errno.EINVAL, errno(() -> memory.create(Map.of("size", "1"))));
    assertEquals(Errno.EINVAL, errno(() -> memory.create(Map.of("sizeLimit", "-1"))));
    assertEquals(Errno.EINVAL, errno(() -> host.create(Map.of())));
    assertEquals(Errno.ENOENT, errno(() -> host.create(Map.of("root", dir + "/missing"))));
  }

  private static int errno(org.junit.jupiter.api.function.Executable call) {
    return assertThrows(VfsException.class, call).errno();
  }
}
