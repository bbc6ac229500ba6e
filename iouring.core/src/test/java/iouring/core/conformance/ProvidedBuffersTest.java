package iouring.core.conformance;

import static iouring.api.abi.FileFlags.*;
import static iouring.api.abi.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.IoUringProcess;
import iouring.api.abi.CqeFlags;
import iouring.api.abi.Errno;
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
 * Legacy provided buffers against Linux 6.18: every T18 row of the probe ({@code
 * linux-probes/out-live3.txt}), then liburing's {@code provide-buffers.c} and the buffer-select
 * cases of {@code read-write.c}: {@code READV} with one iovec, the buffer consumed by a failure or
 * end of file, {@code ENOBUFS}.
 */
class ProvidedBuffersTest {
  private static final int SELECT = SqeFlags.IOSQE_BUFFER_SELECT;

  @TempDir Path dir;

  private IoUringProcess process;
  private RawRing ring;
  private UserBuffer pool;
  private int fd;

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(dir.resolve("f.txt"), "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP");
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new HostProvider(dir));
    process = kernel.newProcess();
    ring = RawRing.create(process, 16);
    pool = UserBuffer.allocate(process, 4096);
    fd = process.openat(AT_FDCWD, "/f.txt", O_RDONLY, 0);
  }

  @AfterEach
  void tearDown() {
    process.close();
  }

  private static Sqe provide(long addr, int len, int nbufs, int group, int bid) {
    return Sqe.op(IORING_OP_PROVIDE_BUFFERS)
        .fd(nbufs)
        .addr(addr)
        .len(len)
        .off(bid)
        .bufIndex(group)
        .userData(1);
  }

  private static Sqe remove(int nbufs, int group) {
    return Sqe.op(IORING_OP_REMOVE_BUFFERS).fd(nbufs).bufIndex(group).userData(6);
  }

  private Sqe read(int group, int len, long off) {
    return Sqe.rw(IORING_OP_READ, fd, 0, len, off).flags(SELECT).bufIndex(group).userData(2);
  }

  private static int selected(int bid) {
    return CqeFlags.IORING_CQE_F_BUFFER | bid << CqeFlags.IORING_CQE_BUFFER_SHIFT;
  }

  @Test
  void probeT18() {
    assertEquals(0, ring.result(provide(pool.address(), 16, 4, 7, 10)));
    assertEquals(new Cqe(2, 16, 0xa0001), ring.run(read(7, 16, 0)));
    assertEquals(new Cqe(2, 3, 0xb0001), ring.run(read(7, 3, 0)));
    assertEquals(new Cqe(2, 16, 0xc0001), ring.run(read(7, 0, 0)), "len 0: the buffer's size");
    assertEquals(Cqe.of(2, -Errno.ENOBUFS), ring.run(read(8, 16, 0)), "group without buffers");
    assertEquals(new Cqe(2, 0, 0xd0001), ring.run(read(7, 16, 1000)), "EOF consumes the buffer");
    assertEquals(0, ring.result(remove(10, 7)), "all four were consumed");
    assertEquals(0, ring.result(remove(10, 7)), "empty group");
    assertEquals(-Errno.ENOENT, ring.result(remove(10, 9)), "unknown group");
    assertEquals(-Errno.EINVAL, ring.result(remove(0, 7)));
    assertEquals(-Errno.E2BIG, ring.result(provide(pool.address(), 16, 0, 7, 0)));
    assertEquals(-Errno.E2BIG, ring.result(provide(pool.address(), 16, 70000, 7, 0)));
    assertEquals(-Errno.EINVAL, ring.result(provide(pool.address(), 16, 2, 7, 65535)), "wrap");
    assertEquals(-Errno.EINVAL, ring.result(provide(pool.address(), 0, 2, 7, 0)), "len 0");
    assertEquals(-Errno.EINVAL, ring.result(provide(pool.address(), 16, 2, 7, 0).opFlags(1)));
    assertEquals(-Errno.EOPNOTSUPP, ring.result(Sqe.nop(15).flags(SELECT)));
    assertEquals(0, ring.result(provide(pool.address(), 16, 2, 7, 0)));
    assertEquals(new Cqe(2, 16, selected(0)), ring.run(read(7, 16, 0)), "bid 0 before 1");
  }

  @Test
  void theReadLandsInTheSelectedBuffer() {
    assertEquals(0, ring.result(provide(pool.address(), 8, 2, 1, 0)));
    assertEquals(new Cqe(2, 8, selected(0)), ring.run(read(1, 8, 0)));
    assertEquals(new Cqe(2, 8, selected(1)), ring.run(read(1, 100, 10)), "capped at the size");
    assertEquals("01234567abcdefgh", pool.text(16));
  }

  @Test
  void readvSelectsWithOneIovec() {
    assertEquals(0, ring.result(provide(pool.address(), 16, 2, 3, 5)));
    UserBuffer iov = UserBuffer.iovecs(process, 0, 4);
    Sqe readv =
        Sqe.rw(IORING_OP_READV, fd, iov.address(), 1, 0).flags(SELECT).bufIndex(3).userData(4);
    assertEquals(new Cqe(4, 4, selected(5)), ring.run(readv), "the iovec's length bounds it");
    assertEquals("0123", pool.text(4));
    assertEquals(Cqe.of(4, -Errno.EINVAL), ring.run(readv.len(2)), "READV selects one iovec");
    assertEquals(Cqe.of(4, -Errno.EFAULT), ring.run(readv.len(1).addr(8)), "iovec not mapped");
  }

  @Test
  void removeReturnsTheNumberRemoved() {
    assertEquals(0, ring.result(provide(pool.address(), 16, 3, 2, 0)));
    assertEquals(2, ring.result(remove(2, 2)));
    assertEquals(1, ring.result(remove(5, 2)));
    assertEquals(Cqe.of(2, -Errno.ENOBUFS), ring.run(read(2, 0, 0)));
  }

  @Test
  void aFailedReadConsumesItsBufferAndABadFdDoesNot() {
    int wronly = process.openat(AT_FDCWD, "/f.txt", O_WRONLY, 0);
    assertEquals(0, ring.result(provide(pool.address(), 16, 2, 4, 0)));
    Sqe bad = Sqe.rw(IORING_OP_READ, 999, 0, 0, 0).flags(SELECT).bufIndex(4).userData(7);
    assertEquals(Cqe.of(7, -Errno.EBADF), ring.run(bad), "no file: no buffer taken");
    Sqe writeOnly = Sqe.rw(IORING_OP_READ, wronly, 0, 0, 0).flags(SELECT).bufIndex(4).userData(8);
    // Linux selects the buffer before it checks the file's mode, and a failed legacy-buffer
    // request keeps the buffer and reports it.
    assertEquals(new Cqe(8, -Errno.EBADF, selected(0)), ring.run(writeOnly));
    assertEquals(1, ring.result(remove(10, 4)), "only bid 1 is left");
  }

  @Test
  void provideChecksOnlyTheAddressRangeAndAnUnmappedBufferFaultsWhenRead() {
    assertEquals(
        -Errno.EFAULT,
        ring.result(provide(0x7fff_ffff_f000L - 16, 16, 2, 5, 0)),
        "past user space");
    assertEquals(-Errno.EOVERFLOW, ring.result(provide(-16, 16, 2, 5, 0)));
    assertEquals(0, ring.result(provide(0x1000, 16, 1, 5, 0)), "unmapped, but in user space");
    assertEquals(new Cqe(2, -Errno.EFAULT, selected(0)), ring.run(read(5, 16, 0)));
  }

  @Test
  void fixedFileAndBufferSelectWithoutBuffersIsEnobufs() {
    UserBuffer fds = UserBuffer.allocate(process, 4);
    fds.buffer().putInt(0, fd);
    process.register(
        ring.fd, iouring.api.abi.RegisterOpcodes.IORING_REGISTER_FILES, fds.address(), 1);
    Sqe sqe = read(6, 16, 0).fd(0).flags(SELECT | SqeFlags.IOSQE_FIXED_FILE);
    assertEquals(Cqe.of(2, -Errno.ENOBUFS), ring.run(sqe), "T31");
  }
}
