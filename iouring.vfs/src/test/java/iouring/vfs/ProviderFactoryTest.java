package iouring.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsProvider;
import iouring.api.spi.VfsProviderFactory;
import iouring.vfs.fault.FaultProvider;
import iouring.vfs.host.HostProvider;
import iouring.vfs.memory.MemoryProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  @Test
  void faultFactoryWrapsAProviderOfItsTargetTypeWithNumberedRules() throws Exception {
    VfsProviderFactory fault = VfsProviderFactory.load("fault");
    FaultProvider memory =
        (FaultProvider)
            fault.create(
                Map.of(
                    "target", "memory",
                    "target.sizeLimit", "4096",
                    "rule.10", "op=unlink",
                    "rule.2", "op=mkdir,path=/ro/**,errno=EROFS"));
    assertEquals(
        List.of("op=mkdir,path=/ro/**,errno=EROFS", "op=unlink"),
        memory.rules().stream().map(Object::toString).toList());
    memory.mkdir("rw", 0700);
    assertEquals(Errno.EROFS, errno(() -> memory.mkdir("ro/x", 0700)));
    assertEquals(Errno.EIO, errno(() -> memory.unlink("rw")));

    Files.writeString(dir.resolve("f"), "host");
    VfsProvider host =
        fault.create(Map.of("target", "host", "target.root", dir.toString(), "rule.1", "op=open"));
    assertEquals(4, host.stat("f", true).size());
    assertEquals(Errno.EIO, errno(() -> host.open("f", 0, 0)));
  }

  @Test
  void faultFactoryRefusesBadOptionsWithEinval() {
    VfsProviderFactory fault = VfsProviderFactory.load("fault");
    assertEquals(Errno.EINVAL, errno(() -> fault.create(Map.of())));
    assertEquals(Errno.EINVAL, errno(() -> fault.create(Map.of("target", "nfs"))));
    assertEquals(
        Errno.EINVAL, errno(() -> fault.create(Map.of("target", "memory", "rules", "op=read"))));
    assertEquals(
        Errno.EINVAL, errno(() -> fault.create(Map.of("target", "memory", "rule.0", "op=read"))));
    assertEquals(
        Errno.EINVAL, errno(() -> fault.create(Map.of("target", "memory", "rule.1", "op=rd"))));
    assertEquals(
        Errno.EINVAL, errno(() -> fault.create(Map.of("target", "memory", "target.size", "1"))));
    VfsException e =
        assertThrows(
            VfsException.class,
            () -> fault.create(Map.of("target", "memory", "rule.1", "op=read,errno=EFOO")));
    assertTrue(e.getMessage().contains("unknown errno 'EFOO'"), e.getMessage());
  }

  private static int errno(org.junit.jupiter.api.function.Executable call) {
    return assertThrows(VfsException.class, call).errno();
  }
}
