package iouring.core.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import iouring.api.spi.VfsProvider;
import iouring.vfs.host.HostProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRegistryTest {
  @TempDir Path dir;

  private final ProviderRegistry registry = new ProviderRegistry();

  @Test
  void aFileOpenedOnAProviderThatAlreadyLeftIsRevokedAtOnce() throws IOException {
    VfsProvider p = new HostProvider(dir);
    AtomicInteger revoked = new AtomicInteger();
    registry.opened(p, revoked::incrementAndGet);
    assertEquals(1, revoked.get());
    assertEquals(0, registry.openCount(p));
  }

  @Test
  void replacingAProviderRevokesTheFilesOfTheOldOne() throws IOException {
    VfsProvider a = new HostProvider(dir);
    VfsProvider b = new HostProvider(dir);
    AtomicInteger revoked = new AtomicInteger();
    registry.add("x", a);
    registry.opened(a, revoked::incrementAndGet);
    assertEquals(1, registry.openCount(a));
    registry.add("x", b);
    assertEquals(1, revoked.get());
    assertSame(b, registry.get("x"));
    registry.remove("x", a); // no longer the one known as x: nothing happens
    assertSame(b, registry.get("x"));
    registry.remove("x", b);
    assertNull(registry.get("x"));
  }

  @Test
  void closedFilesAreForgotten() throws IOException {
    VfsProvider a = new HostProvider(dir);
    ProviderRegistry.Revocable file = () -> {};
    registry.add("x", a);
    registry.opened(a, file);
    registry.closed(a, file);
    assertEquals(0, registry.openCount(a));
  }
}
