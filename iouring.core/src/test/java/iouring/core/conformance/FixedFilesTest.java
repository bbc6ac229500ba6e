package iouring.core.conformance;

import static iouring.api.abi.FileFlags.*;
import static iouring.api.abi.Opcodes.*;
import static iouring.api.abi.RegisterOpcodes.*;
import static iouring.core.conformance.Syscalls.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.Features;
import iouring.api.abi.Limits;
import iouring.api.abi.OpFlags;
import iouring.api.abi.RsrcLayout;
import iouring.api.abi.SqeFlags;
import iouring.core.Kernel;
import iouring.vfs.host.HostProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registered files against Linux 6.18: the T16 and T30 rows of the probe ({@code
 * linux-probes/out-live3.txt}, {@code out-live6.txt}), then liburing's {@code file-register.c},
 * {@code file-update.c} and {@code fixed-link.c} cases, and the references a slot holds.
 */
class FixedFilesTest {
  private static final int EBADF = -Errno.EBADF;
  private static final int EINVAL = -Errno.EINVAL;

  @TempDir Path dir;

  private Kernel kernel;
  private HostProvider provider;
  private IoUringProcess process;
  private RawRing ring;
  private UserBuffer buf;

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(dir.resolve("f.txt"), "0123456789abcdef");
    kernel = new Kernel();
    provider = new HostProvider(dir);
    kernel.addProvider(Kernel.ROOT_PROVIDER, provider);
    process = kernel.newProcess();
    ring = RawRing.create(process, 16);
    buf = UserBuffer.allocate(process, 64);
  }

  @AfterEach
  void tearDown() {
    process.close();
  }

  private int open() {
    return process.openat(AT_FDCWD, "/f.txt", O_RDONLY, 0);
  }

  private UserBuffer ints(int... values) {
    UserBuffer b = UserBuffer.allocate(process, Math.max(4, 4 * values.length));
    for (int i = 0; i < values.length; i++) {
      b.buffer().putInt(4 * i, values[i]);
    }
    return b;
  }

  private int register(int opcode, long arg, int nr) {
    return process.register(ring.fd, opcode, arg, nr);
  }

  private Sqe readFixed(int slot) {
    return Sqe.rw(IORING_OP_READ, slot, buf.address(), 4, 0)
        .flags(SqeFlags.IOSQE_FIXED_FILE)
        .userData(1);
  }

  private static Sqe filesUpdate(long fds, int len, long off) {
    return Sqe.op(IORING_OP_FILES_UPDATE).fd(-1).addr(fds).len(len).off(off).userData(2);
  }

  private long update(int offset, long fds) {
    UserBuffer up = UserBuffer.allocate(process, RsrcLayout.UPDATE_SIZE);
    up.buffer().putInt(RsrcLayout.UPDATE_OFF_OFFSET, offset);
    up.buffer().putLong(RsrcLayout.UPDATE_OFF_DATA, fds);
    return up.address();
  }

  private long rsrcRegister(int nr, int flags, long data) {
    UserBuffer rr = UserBuffer.allocate(process, RsrcLayout.REGISTER_SIZE);
    rr.buffer().putInt(RsrcLayout.REGISTER_OFF_NR, nr);
    rr.buffer().putInt(RsrcLayout.REGISTER_OFF_FLAGS, flags);
    rr.buffer().putLong(RsrcLayout.REGISTER_OFF_DATA, data);
    return rr.address();
  }

  @Test
  void probeT16() {
    int fd = open();
    assertEquals(EBADF, ring.result(readFixed(0)), "READ FIXED_FILE w/o registration");
    assertErrno(Errno.ENXIO, () -> register(IORING_UNREGISTER_FILES, 0, 0));
    UserBuffer fds = ints(fd, -1, fd);
    assertEquals(0, register(IORING_REGISTER_FILES, fds.address(), 3));
    assertErrno(Errno.EBUSY, () -> register(IORING_REGISTER_FILES, fds.address(), 3));
    assertErrno(Errno.EBUSY, () -> register(IORING_REGISTER_FILES, fds.address(), 0));
    assertEquals(4, ring.result(readFixed(0)));
    assertEquals("0123", buf.text(4));
    assertEquals(EBADF, ring.result(readFixed(1)), "sparse slot");
    assertEquals(EBADF, ring.result(readFixed(3)), "out of range");
    assertEquals(EBADF, ring.result(readFixed(-1)), "negative");
    UserBuffer upd = ints(fd);
    assertEquals(1, ring.result(filesUpdate(upd.address(), 1, 1)));
    assertEquals(4, ring.result(readFixed(1)), "after update");
    UserBuffer upd2 = ints(-1, OpFlags.IORING_REGISTER_FILES_SKIP);
    assertEquals(2, ring.result(filesUpdate(upd2.address(), 2, 0)), "SKIP counts");
    assertEquals(EBADF, ring.result(readFixed(0)), "emptied by -1");
    assertEquals(4, ring.result(readFixed(1)), "left by SKIP");
    assertEquals(EINVAL, ring.result(filesUpdate(upd.address(), 1, 5)), "out of range");
    assertEquals(EINVAL, ring.result(filesUpdate(upd.address(), 0, 0)), "len 0");
    assertEquals(
        EINVAL,
        ring.result(filesUpdate(upd.address(), 1, 0).flags(SqeFlags.IOSQE_FIXED_FILE)),
        "FIXED_FILE");
    assertEquals(EINVAL, ring.result(filesUpdate(upd.address(), 1, 0).spliceFdIn(1)));
    assertEquals(EINVAL, ring.result(filesUpdate(upd.address(), 1, 0).opFlags(1)), "rw_flags");
    assertEquals(EBADF, ring.result(filesUpdate(ints(9999).address(), 1, 0)));
    assertEquals(1, register(IORING_REGISTER_FILES_UPDATE, update(0, upd.address()), 1));
    assertEquals(4, ring.result(readFixed(0)));
    assertEquals(0, register(IORING_UNREGISTER_FILES, 0, 0));
    assertEquals(EBADF, ring.result(readFixed(0)), "unregistered");
  }

  @Test
  void probeT30FilesUpdateAllocWritesTheSlotsBack() {
    int fd = open();
    assertEquals(0, register(IORING_REGISTER_FILES2, rsrcRegister(2, 1, 0), 32));
    UserBuffer upd = ints(fd, fd);
    Sqe alloc = filesUpdate(upd.address(), 2, Integer.toUnsignedLong(-1));
    assertEquals(2, ring.result(alloc));
    assertEquals(0, upd.buffer().getInt(0));
    assertEquals(1, upd.buffer().getInt(4));
    assertEquals(-Errno.ENFILE, ring.result(filesUpdate(ints(fd).address(), 1, 0xffff_ffffL)));
  }

  @Test
  void filesUpdateAllocWithoutATableIsEnxio() {
    assertEquals(-Errno.ENXIO, ring.result(filesUpdate(ints(open()).address(), 1, 0xffff_ffffL)));
    assertEquals(-Errno.ENXIO, ring.result(filesUpdate(ints(open()).address(), 1, 0)));
  }

  // file-register.c: test_basic, test_sparse, test_zero, test_huge, and the checks before them.
  @Test
  void registerChecksItsArguments() {
    int fd = open();
    assertErrno(Errno.EINVAL, () -> register(IORING_REGISTER_FILES, ints().address(), 0));
    assertErrno(Errno.EFAULT, () -> register(IORING_REGISTER_FILES, 0, 1));
    assertErrno(
        Errno.EMFILE,
        () ->
            register(IORING_REGISTER_FILES, ints(fd).address(), Limits.IORING_MAX_FIXED_FILES + 1));
    assertErrno(Errno.EMFILE, () -> register(IORING_REGISTER_FILES, ints(fd).address(), 1025));
    assertErrno(Errno.EBADF, () -> register(IORING_REGISTER_FILES, ints(fd, 9999).address(), 2));
    assertErrno(Errno.EBADF, () -> register(IORING_REGISTER_FILES, ints(ring.fd).address(), 1));
    assertErrno(Errno.EINVAL, () -> register(IORING_UNREGISTER_FILES, 0, 1));
    // Nothing stayed registered after the failures.
    assertEquals(0, register(IORING_REGISTER_FILES, ints(fd).address(), 1));
  }

  @Test
  void registerFiles2SparseAndUpdate2() {
    int fd = open();
    assertErrno(Errno.EINVAL, () -> register(IORING_REGISTER_FILES2, rsrcRegister(4, 1, 0), 16));
    assertErrno(Errno.EINVAL, () -> register(IORING_REGISTER_FILES2, rsrcRegister(0, 1, 0), 32));
    assertErrno(Errno.EINVAL, () -> register(IORING_REGISTER_FILES2, rsrcRegister(4, 2, 0), 32));
    assertErrno(
        Errno.EINVAL,
        () -> register(IORING_REGISTER_FILES2, rsrcRegister(1, 1, ints(fd).address()), 32));
    assertErrno(Errno.EFAULT, () -> register(IORING_REGISTER_FILES2, 0, 32));
    assertEquals(0, register(IORING_REGISTER_FILES2, rsrcRegister(4, 1, 0), 32));
    for (int i = 0; i < 4; i++) {
      assertEquals(EBADF, ring.result(readFixed(i)));
    }
    UserBuffer up = UserBuffer.allocate(process, RsrcLayout.UPDATE2_SIZE);
    up.buffer().putInt(RsrcLayout.UPDATE2_OFF_OFFSET, 3);
    up.buffer().putLong(RsrcLayout.UPDATE2_OFF_DATA, ints(fd).address());
    up.buffer().putInt(RsrcLayout.UPDATE2_OFF_NR, 1);
    assertErrno(Errno.EINVAL, () -> register(IORING_REGISTER_FILES_UPDATE2, up.address(), 16));
    assertEquals(1, register(IORING_REGISTER_FILES_UPDATE2, up.address(), 32));
    assertEquals(4, ring.result(readFixed(3)));
    up.buffer().putInt(RsrcLayout.UPDATE2_OFF_RESV2, 1);
    assertErrno(Errno.EINVAL, () -> register(IORING_REGISTER_FILES_UPDATE2, up.address(), 32));
  }

  // file-update.c: updates past the table, with a reserved field set, and without a table.
  @Test
  void registerFilesUpdateChecksItsArguments() {
    int fd = open();
    UserBuffer fds = ints(fd, fd);
    assertErrno(
        Errno.ENXIO, () -> register(IORING_REGISTER_FILES_UPDATE, update(0, fds.address()), 1));
    assertEquals(0, register(IORING_REGISTER_FILES, ints(-1, -1).address(), 2));
    assertErrno(
        Errno.EINVAL, () -> register(IORING_REGISTER_FILES_UPDATE, update(0, fds.address()), 0));
    assertErrno(
        Errno.EINVAL, () -> register(IORING_REGISTER_FILES_UPDATE, update(1, fds.address()), 2));
    assertErrno(
        Errno.EOVERFLOW,
        () -> register(IORING_REGISTER_FILES_UPDATE, update(-1, fds.address()), 2));
    UserBuffer resv = UserBuffer.allocate(process, RsrcLayout.UPDATE_SIZE);
    resv.buffer().putInt(RsrcLayout.UPDATE_OFF_RESV, 1);
    resv.buffer().putLong(RsrcLayout.UPDATE_OFF_DATA, fds.address());
    assertErrno(Errno.EINVAL, () -> register(IORING_REGISTER_FILES_UPDATE, resv.address(), 1));
    assertEquals(2, register(IORING_REGISTER_FILES_UPDATE, update(0, fds.address()), 2));
    // A bad fd stops the update; the slots before it were updated, and its own slot emptied.
    UserBuffer bad = ints(-1, 9999);
    assertEquals(1, register(IORING_REGISTER_FILES_UPDATE, update(0, bad.address()), 2));
    assertEquals(EBADF, ring.result(readFixed(0)));
    assertEquals(EBADF, ring.result(readFixed(1)), "emptied before the bad fd was looked up");
  }

  @Test
  void aSlotKeepsItsFileAfterTheFdIsClosedAndDropsItWhenReplaced() {
    int fd = open();
    assertEquals(0, register(IORING_REGISTER_FILES, ints(fd, fd).address(), 2));
    process.close(fd);
    assertEquals(1, kernel.providers().openCount(provider), "the slots hold the file");
    assertEquals(4, ring.result(readFixed(1)));
    assertEquals(2, register(IORING_REGISTER_FILES_UPDATE, update(0, ints(-1, -1).address()), 2));
    assertEquals(0, kernel.providers().openCount(provider), "emptied slots dropped it");
  }

  @Test
  void unregisteringAndClosingTheRingDropEverySlot() {
    int fd = open();
    assertEquals(0, register(IORING_REGISTER_FILES, ints(fd).address(), 1));
    process.close(fd);
    assertEquals(0, register(IORING_UNREGISTER_FILES, 0, 0));
    assertEquals(0, kernel.providers().openCount(provider));
    fd = open();
    assertEquals(0, register(IORING_REGISTER_FILES, ints(fd, fd).address(), 2));
    process.close(fd);
    ring.close();
    assertEquals(0, kernel.providers().openCount(provider), "freeing the ring dropped them");
  }

  // fixed-link.c: fixed files in a chain; and a slot filled by the chain's first member is used
  // by the next, as IORING_FEAT_LINKED_FILE promises.
  @Test
  void linkedRequestsResolveTheirFixedFileWhenTheyStart() {
    assertEquals(
        Features.IORING_FEAT_LINKED_FILE,
        ring.params.features() & Features.IORING_FEAT_LINKED_FILE);
    int fd = open();
    assertEquals(0, register(IORING_REGISTER_FILES, ints(-1).address(), 1));
    ring.push(filesUpdate(ints(fd).address(), 1, 0).flags(SqeFlags.IOSQE_IO_LINK));
    ring.push(readFixed(0).flags(SqeFlags.IOSQE_FIXED_FILE | SqeFlags.IOSQE_IO_LINK));
    ring.push(
        Sqe.rw(IORING_OP_READ, 0, buf.at(4), 4, 4).flags(SqeFlags.IOSQE_FIXED_FILE).userData(3));
    ring.submitAndWait(3);
    assertEquals(List.of(Cqe.of(2, 1), Cqe.of(1, 4), Cqe.of(3, 4)), ring.reap());
    assertEquals("01234567", buf.text(8));
  }

  @Test
  void fileAllocRangeBoundsAllocation() {
    int fd = open();
    assertEquals(0, register(IORING_REGISTER_FILES, ints(-1, -1, -1, -1).address(), 4));
    UserBuffer range = UserBuffer.allocate(process, 16);
    range.buffer().putInt(0, 2).putInt(4, 1);
    assertErrno(Errno.EINVAL, () -> register(IORING_REGISTER_FILE_ALLOC_RANGE, range.address(), 1));
    assertEquals(0, register(IORING_REGISTER_FILE_ALLOC_RANGE, range.address(), 0));
    UserBuffer upd = ints(fd, fd);
    assertEquals(1, ring.result(filesUpdate(upd.address(), 2, 0xffff_ffffL)), "one slot in range");
    assertEquals(2, upd.buffer().getInt(0));
    range.buffer().putInt(0, 3).putInt(4, 2);
    assertErrno(Errno.EINVAL, () -> register(IORING_REGISTER_FILE_ALLOC_RANGE, range.address(), 0));
    range.buffer().putInt(0, -1).putInt(4, 2);
    assertErrno(
        Errno.EOVERFLOW, () -> register(IORING_REGISTER_FILE_ALLOC_RANGE, range.address(), 0));
  }
}
