package iouring.core.conformance;

import static iouring.api.abi.FileFlags.*;
import static iouring.api.abi.Opcodes.*;
import static iouring.api.abi.RegisterOpcodes.*;
import static iouring.core.conformance.Syscalls.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.IovecLayout;
import iouring.api.abi.OpFlags;
import iouring.api.abi.RsrcLayout;
import iouring.core.Kernel;
import iouring.vfs.memory.MemoryProvider;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Registered buffers in the {@code BUFFERS2} and {@code BUFFERS_UPDATE} forms, as liburing's
 * fixed-buf-update and register-buffers tests and the rows measured on Linux 6.18 with {@code
 * docs/probes/buffers-update.c}: sparse tables, slot updates returning the count done, an empty
 * iovec clearing its slot.
 */
class FixedBuffersTest {
  private IoUringProcess process;
  private RawRing ring;
  private UserBuffer mem;
  private int fd;

  @BeforeEach
  void start() {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new MemoryProvider());
    process = kernel.newProcess();
    ring = RawRing.create(process, 8);
    mem = UserBuffer.allocate(process, 16 * 4096);
    fd = process.openat(AT_FDCWD, "/data.txt", O_RDWR | O_CREAT, 0644);
    UserBuffer text = UserBuffer.allocate(process, 11);
    text.buffer().put(0, "hello world".getBytes(StandardCharsets.US_ASCII));
    assertEquals(11, ring.result(Sqe.rw(IORING_OP_WRITE, fd, text.address(), 11, 0)));
  }

  @AfterEach
  void stop() {
    process.close();
  }

  /** Writes iovecs given as (page offset, length) pairs; offset -1 is a NULL base. */
  private long iovecs(long... pageLen) {
    UserBuffer b = UserBuffer.allocate(process, pageLen.length / 2 * IovecLayout.SIZE);
    for (int i = 0; i < pageLen.length / 2; i++) {
      long base = pageLen[2 * i] < 0 ? 0 : mem.address() + pageLen[2 * i] * 4096;
      b.buffer().putLong(i * IovecLayout.SIZE + IovecLayout.OFF_IOV_BASE, base);
      b.buffer().putLong(i * IovecLayout.SIZE + IovecLayout.OFF_IOV_LEN, pageLen[2 * i + 1]);
    }
    return b.address();
  }

  private int register2(int nr, int flags, long data, int size) {
    UserBuffer rr = UserBuffer.allocate(process, RsrcLayout.REGISTER_SIZE);
    rr.buffer().putInt(RsrcLayout.REGISTER_OFF_NR, nr);
    rr.buffer().putInt(RsrcLayout.REGISTER_OFF_FLAGS, flags);
    rr.buffer().putLong(RsrcLayout.REGISTER_OFF_DATA, data);
    return process.register(ring.fd, IORING_REGISTER_BUFFERS2, rr.address(), size);
  }

  private int update(int offset, long data, int nr, int resv, int size) {
    UserBuffer up = UserBuffer.allocate(process, RsrcLayout.UPDATE2_SIZE);
    up.buffer().putInt(RsrcLayout.UPDATE2_OFF_OFFSET, offset);
    up.buffer().putInt(RsrcLayout.UPDATE2_OFF_RESV, resv);
    up.buffer().putLong(RsrcLayout.UPDATE2_OFF_DATA, data);
    up.buffer().putInt(RsrcLayout.UPDATE2_OFF_NR, nr);
    return process.register(ring.fd, IORING_REGISTER_BUFFERS_UPDATE, up.address(), size);
  }

  private int readFixed(int index, int page, long ud) {
    return ring.result(
        Sqe.rw(IORING_OP_READ_FIXED, fd, mem.address() + page * 4096L, 10, 0)
            .bufIndex(index)
            .userData(ud));
  }

  @Test
  void theProbeRows() {
    int sparse = OpFlags.IORING_RSRC_REGISTER_SPARSE;
    int full = RsrcLayout.UPDATE2_SIZE;
    assertErrno(Errno.ENXIO, () -> update(0, iovecs(0, 4096), 1, 0, full));
    assertErrno(Errno.EINVAL, () -> register2(4, sparse, 0, 16));
    assertErrno(
        Errno.EINVAL, () -> register2(4, sparse, iovecs(0, 4096), RsrcLayout.REGISTER_SIZE));
    assertErrno(Errno.EINVAL, () -> register2(0, sparse, 0, RsrcLayout.REGISTER_SIZE));
    assertErrno(Errno.EINVAL, () -> register2(4, 2, 0, RsrcLayout.REGISTER_SIZE));
    assertEquals(0, register2(4, sparse, 0, RsrcLayout.REGISTER_SIZE));
    assertErrno(Errno.EBUSY, () -> register2(4, sparse, 0, RsrcLayout.REGISTER_SIZE));
    assertEquals(-Errno.EFAULT, readFixed(0, 0, 1), "a sparse slot");

    long four = iovecs(0, 4096, -1, 0, 2, 4096, 3, 100);
    assertErrno(Errno.EINVAL, () -> update(3, four, 2, 0, full));
    assertEquals(4, update(0, four, 4, 0, full));
    assertEquals(1, update(0, iovecs(0, 4096, -1, 5, 0, 10), 3, 0, full), "stops at the bad one");
    assertErrno(Errno.EFAULT, () -> update(0, iovecs(-1, 5, 0, 10), 2, 0, full));
    assertErrno(Errno.EINVAL, () -> update(0, four, 0, 0, full));
    assertErrno(Errno.EINVAL, () -> update(0, four, 1, 0, 16));
    assertErrno(Errno.EINVAL, () -> update(0, four, 1, 1, full));
    assertErrno(Errno.EFAULT, () -> update(0, 0, 1, 0, full));

    assertEquals(10, readFixed(2, 2, 2));
    assertEquals("hello worl", text(2 * 4096, 10));
    assertEquals(-Errno.EFAULT, readFixed(1, 0, 3), "slot 1 is empty");
    assertEquals(10, readFixed(0, 0, 4));
    assertEquals(1, update(0, iovecs(-1, 0), 1, 0, full), "an empty iovec clears the slot");
    assertEquals(-Errno.EFAULT, readFixed(0, 0, 5));
  }

  @Test
  void buffers2WithAnArrayOrWithout() {
    assertEquals(0, register2(2, 0, iovecs(0, 4096, 1, 4096), RsrcLayout.REGISTER_SIZE));
    assertEquals(10, readFixed(1, 1, 1));
    RawRing other = RawRing.create(process, 8);
    UserBuffer rr = UserBuffer.allocate(process, RsrcLayout.REGISTER_SIZE);
    rr.buffer().putInt(RsrcLayout.REGISTER_OFF_NR, 2);
    assertEquals(
        0,
        process.register(
            other.fd, IORING_REGISTER_BUFFERS2, rr.address(), RsrcLayout.REGISTER_SIZE),
        "a NULL array without SPARSE is a sparse table too");
  }

  private String text(int offset, int len) {
    byte[] b = new byte[len];
    mem.buffer().get(offset, b);
    return new String(b, StandardCharsets.US_ASCII);
  }
}
