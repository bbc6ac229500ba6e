package iouring.core.conformance;

import static iouring.api.abi.FileFlags.*;
import static iouring.api.abi.Opcodes.*;
import static iouring.api.abi.RegisterOpcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.IoUring;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.OpFlags;
import iouring.api.abi.SqeFlags;
import iouring.core.Kernel;
import iouring.vfs.host.HostProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct descriptors against Linux 6.18: opens into registered-file slots, closes of slots and
 * {@code FIXED_FD_INSTALL}, from the T16 rows of the probe ({@code linux-probes/out-live3.txt}) and
 * liburing's {@code open-direct-link.c}, {@code close-opath.c} and {@code fd-install.c}.
 */
class DirectDescriptorsTest {
  private static final int ALLOC = OpFlags.IORING_FILE_INDEX_ALLOC;

  @TempDir Path dir;

  private Kernel kernel;
  private HostProvider provider;
  private IoUringProcess process;
  private RawRing ring;
  private UserBuffer buf;
  private long path;

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(dir.resolve("f.txt"), "0123456789");
    kernel = new Kernel();
    provider = new HostProvider(dir);
    kernel.addProvider(Kernel.ROOT_PROVIDER, provider);
    process = kernel.newProcess();
    ring = RawRing.create(process, 16);
    buf = UserBuffer.allocate(process, 64);
    path = UserBuffer.cString(process, "/f.txt").address();
  }

  @AfterEach
  void tearDown() {
    process.close();
  }

  private void registerSparse(int n) {
    UserBuffer fds = UserBuffer.allocate(process, 4 * n);
    for (int i = 0; i < n; i++) {
      fds.buffer().putInt(4 * i, -1);
    }
    assertEquals(0, process.register(ring.fd, IORING_REGISTER_FILES, fds.address(), n));
  }

  private Sqe openDirect(int fileIndex) {
    return Sqe.op(IORING_OP_OPENAT).fd(AT_FDCWD).addr(path).spliceFdIn(fileIndex).userData(10);
  }

  private Sqe closeDirect(int fileIndex) {
    return Sqe.op(IORING_OP_CLOSE).spliceFdIn(fileIndex).userData(9);
  }

  private int readFixed(int slot) {
    return ring.result(
        Sqe.rw(IORING_OP_READ, slot, buf.address(), 4, 0).flags(SqeFlags.IOSQE_FIXED_FILE));
  }

  private static Sqe install(int slot, int flags) {
    return Sqe.op(IORING_OP_FIXED_FD_INSTALL)
        .fd(slot)
        .flags(SqeFlags.IOSQE_FIXED_FILE)
        .opFlags(flags)
        .userData(5);
  }

  @Test
  void openIntoASlotAndReadThroughIt() {
    registerSparse(3);
    assertEquals(0, ring.result(openDirect(2)), "file_index 2 is slot 1");
    assertEquals(4, readFixed(1));
    assertEquals("0123", buf.text(4));
    assertEquals(-Errno.EBADF, readFixed(0));
    assertEquals(1, kernel.providers().openCount(provider), "held by the slot alone");
  }

  @Test
  void openIntoAnOccupiedSlotReplacesItsFile() {
    registerSparse(1);
    assertEquals(0, ring.result(openDirect(1)));
    assertEquals(0, ring.result(openDirect(1)));
    assertEquals(1, kernel.providers().openCount(provider), "the replaced file was dropped");
  }

  @Test
  void openAllocPicksFreeSlotsUntilFull() {
    registerSparse(2);
    assertEquals(0, ring.result(openDirect(ALLOC)));
    assertEquals(1, ring.result(openDirect(ALLOC)));
    assertEquals(-Errno.ENFILE, ring.result(openDirect(ALLOC)), "T16: table full");
    assertEquals(-Errno.EINVAL, ring.result(openDirect(10)), "T16: slot past the table");
    assertEquals(-Errno.EINVAL, ring.result(openDirect(2).opFlags(O_CLOEXEC)), "T16");
    assertEquals(0, ring.result(closeDirect(1)));
    assertEquals(0, ring.result(openDirect(ALLOC)), "a closed slot is free again");
    assertEquals(2, kernel.providers().openCount(provider), "failed installs dropped the file");
  }

  @Test
  void withoutATableASlotIsEnxioAndAllocEnfile() {
    assertEquals(-Errno.ENXIO, ring.result(openDirect(1)));
    assertEquals(-Errno.ENFILE, ring.result(openDirect(ALLOC)));
    assertEquals(-Errno.ENXIO, ring.result(closeDirect(1)));
    assertEquals(0, kernel.providers().openCount(provider));
  }

  @Test
  void closeDirectEmptiesTheSlot() {
    registerSparse(2);
    assertEquals(0, ring.result(openDirect(2)));
    assertEquals(0, ring.result(closeDirect(2)), "T16 CLOSE file_index=2");
    assertEquals(-Errno.EBADF, ring.result(closeDirect(2)), "T16 again");
    assertEquals(-Errno.EINVAL, ring.result(closeDirect(3)), "past the table");
    assertEquals(-Errno.EBADF, readFixed(1));
    assertEquals(0, kernel.providers().openCount(provider));
  }

  // fd-install.c
  @Test
  void fixedFdInstallGivesTheSlotsFileAnFd() {
    registerSparse(2);
    assertEquals(0, ring.result(openDirect(1)));
    int fd = ring.result(install(0, 0));
    assertTrue(fd >= 0, Errno.name(-fd));
    assertEquals(4, ring.result(Sqe.rw(IORING_OP_READ, fd, buf.address(), 4, 2)));
    assertEquals("2345", buf.text(4));
    int fd2 = ring.result(install(0, OpFlags.IORING_FIXED_FD_NO_CLOEXEC));
    assertTrue(fd2 >= 0 && fd2 != fd);
    assertEquals(0, ring.result(closeDirect(1)));
    process.close(fd);
    assertEquals(1, kernel.providers().openCount(provider), "fd2 still holds the file");
    process.close(fd2);
    assertEquals(0, kernel.providers().openCount(provider));
  }

  @Test
  void fixedFdInstallChecks() {
    registerSparse(2);
    assertEquals(0, ring.result(openDirect(1)));
    assertEquals(-Errno.EBADF, ring.result(install(0, 0).flags(0)), "needs IOSQE_FIXED_FILE");
    assertEquals(-Errno.EINVAL, ring.result(install(0, 2)), "unknown flag");
    assertEquals(-Errno.EINVAL, ring.result(install(0, 0).addr(1)));
    assertEquals(-Errno.EINVAL, ring.result(install(0, 0).spliceFdIn(1)));
    assertEquals(-Errno.EBADF, ring.result(install(1, 0)), "empty slot");
    assertEquals(-Errno.EBADF, ring.result(install(5, 0)), "past the table");
  }

  @Test
  void theHandleRegistersUpdatesAndInstalls() {
    try (IoUring h = IoUring.queueInit(process, 8, 0)) {
      int fd = process.openat(AT_FDCWD, "/f.txt", O_RDONLY, 0);
      h.registerFiles(-1, -1);
      assertEquals(1, h.registerFilesUpdate(1, fd));
      UserBuffer fds = UserBuffer.allocate(process, 4);
      fds.buffer().putInt(0, fd);
      h.getSqe().prepFilesUpdate(fds.address(), 1, ALLOC).userData(1);
      h.getSqe().prepFixedFdInstall(1, 0).userData(2);
      assertEquals(2, h.submitAndWait(2));
      assertEquals(1, h.waitCqe().res());
      h.cqAdvance(1);
      assertTrue(h.waitCqe().res() >= 0);
      h.cqAdvance(1);
      assertEquals(0, fds.buffer().getInt(0), "ALLOC took slot 0");
      h.unregisterFiles();
    }
  }
}
