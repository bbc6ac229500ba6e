package iouring.core.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import iouring.api.Cqe;
import iouring.api.ErrnoException;
import iouring.api.IoUring;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.core.Kernel;
import iouring.vfs.host.HostProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Providers that arrive, leave and come back under mounts that name them. */
class ProviderChurnTest {
  @TempDir Path root;
  @TempDir Path data;

  private Kernel kernel;
  private IoUringProcess process;
  private HostProvider dataProvider;

  @BeforeEach
  void start() throws IOException {
    kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new HostProvider(root));
    dataProvider = new HostProvider(data);
    Files.writeString(data.resolve("f"), "hello");
    process = kernel.newProcess();
  }

  @AfterEach
  void stop() {
    process.close();
  }

  @Test
  void aMountWaitsForItsProvider() {
    process.mount("/data", "data");
    assertEquals(Errno.ENOTCONN, openErrno("/data/f"));
    kernel.addProvider("data", dataProvider);
    int fd = process.openat(FileFlags.AT_FDCWD, "/data/f", FileFlags.O_RDONLY, 0);
    process.close(fd);
  }

  @Test
  void aLeavingProviderRevokesItsOpenFilesAndComesBack() {
    kernel.addProvider("data", dataProvider);
    process.mount("/data", "data");
    int fd = process.openat(FileFlags.AT_FDCWD, "/data/f", FileFlags.O_RDONLY, 0);
    assertEquals(1, kernel.providers().openCount(dataProvider));
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      long buf = process.memory().map(ByteBuffer.allocateDirect(16));
      assertEquals(5, read(ring, fd, buf));

      kernel.removeProvider("data", dataProvider);
      assertEquals(0, kernel.providers().openCount(dataProvider), "no file description leaks");
      assertEquals(-Errno.EIO, read(ring, fd, buf), "an open file of a departed provider");
      assertEquals(Errno.ENOTCONN, openErrno("/data/f"), "new paths under its mount");
      process.close(fd);

      kernel.addProvider("data", dataProvider);
      int again = process.openat(FileFlags.AT_FDCWD, "/data/f", FileFlags.O_RDONLY, 0);
      assertEquals(5, read(ring, again, buf), "the mount works again");
      process.close(again);
    }
  }

  @Test
  void defaultMountsReachEveryProcessAndOwnMountsWin() throws IOException {
    kernel.addProvider("data", dataProvider);
    kernel.mountDefault("/shared", "data");
    int fd = process.openat(FileFlags.AT_FDCWD, "/shared/f", FileFlags.O_RDONLY, 0);
    process.close(fd);
    Path other = Files.createDirectory(root.resolve("other"));
    kernel.addProvider("other", new HostProvider(other));
    process.mount("/shared", "other");
    assertEquals(Errno.ENOENT, openErrno("/shared/f"), "the process's own mount hides the default");
    process.unmount("/shared");
    fd = process.openat(FileFlags.AT_FDCWD, "/shared/f", FileFlags.O_RDONLY, 0);
    process.close(fd);
  }

  @Test
  void mountMisuseGivesLinuxErrnos() {
    assertEquals(
        Errno.EINVAL, assertThrows(ErrnoException.class, () -> process.mount("rel", "x")).errno());
    assertEquals(
        Errno.EINVAL, assertThrows(ErrnoException.class, () -> process.mount("/x", "")).errno());
    assertEquals(
        Errno.EINVAL,
        assertThrows(ErrnoException.class, () -> process.unmount("/nothing")).errno());
    assertEquals(
        Errno.ENAMETOOLONG,
        assertThrows(ErrnoException.class, () -> process.mount("/" + "x".repeat(300), "x"))
            .errno());
  }

  private int openErrno(String path) {
    return assertThrows(
            ErrnoException.class,
            () -> process.openat(FileFlags.AT_FDCWD, path, FileFlags.O_RDONLY, 0))
        .errno();
  }

  private static int read(IoUring ring, int fd, long buf) {
    ring.getSqe().prepRead(fd, buf, 16, 0);
    ring.submitAndWait(1);
    Cqe cqe = ring.peekCqe();
    int res = cqe.res();
    ring.cqeSeen(cqe);
    return res;
  }
}
