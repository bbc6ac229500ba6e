package iouring.core.conformance;

import static iouring.api.abi.FileFlags.*;
import static iouring.api.abi.Opcodes.*;
import static iouring.api.abi.RegisterOpcodes.*;
import static iouring.core.conformance.Syscalls.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.IoUringProcess;
import iouring.api.abi.BufRingLayout;
import iouring.api.abi.CqeFlags;
import iouring.api.abi.Errno;
import iouring.api.abi.OpFlags;
import iouring.api.abi.SqeFlags;
import iouring.core.Kernel;
import iouring.vfs.memory.MemoryProvider;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ring-mapped provided buffers ({@code IORING_REGISTER_PBUF_RING}), as liburing's buf-ring.c and
 * the rows measured on Linux 6.18 with {@code docs/probes/buf-ring.c}.
 */
class BufRingTest {
  private IoUringProcess process;
  private RawRing ring;
  private UserBuffer mem; // page 0: the ring, page 1: a second ring, pages 4..: buffers
  private int fd;

  @BeforeEach
  void start() {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new MemoryProvider());
    process = kernel.newProcess();
    ring = RawRing.create(process, 8);
    mem = UserBuffer.allocate(process, 8 * 4096);
    fd = process.openat(AT_FDCWD, "/data.txt", O_RDWR | O_CREAT, 0644);
    UserBuffer text = UserBuffer.allocate(process, 11);
    text.buffer().put(0, "hello world".getBytes(StandardCharsets.US_ASCII));
    assertEquals(11, ring.result(Sqe.rw(IORING_OP_WRITE, fd, text.address(), 11, 0)));
  }

  @AfterEach
  void stop() {
    process.close();
  }

  private int register(long ringAddr, int entries, int group, int flags) {
    UserBuffer reg = UserBuffer.allocate(process, BufRingLayout.REG_SIZE);
    reg.buffer().putLong(BufRingLayout.REG_OFF_RING_ADDR, ringAddr);
    reg.buffer().putInt(BufRingLayout.REG_OFF_RING_ENTRIES, entries);
    reg.buffer().putShort(BufRingLayout.REG_OFF_BGID, (short) group);
    reg.buffer().putShort(BufRingLayout.REG_OFF_FLAGS, (short) flags);
    return process.register(ring.fd, IORING_REGISTER_PBUF_RING, reg.address(), 1);
  }

  private int unregister(int group) {
    UserBuffer reg = UserBuffer.allocate(process, BufRingLayout.REG_SIZE);
    reg.buffer().putShort(BufRingLayout.REG_OFF_BGID, (short) group);
    return process.register(ring.fd, IORING_UNREGISTER_PBUF_RING, reg.address(), 1);
  }

  private int head(int group) {
    UserBuffer st = UserBuffer.allocate(process, 40);
    st.buffer().putInt(0, group);
    assertEquals(0, process.register(ring.fd, IORING_REGISTER_PBUF_STATUS, st.address(), 1));
    return st.buffer().getInt(4);
  }

  private void put(int slot, long addr, int len, int bid) {
    ByteBuffer b = mem.buffer();
    b.putLong(slot * 16 + BufRingLayout.OFF_ADDR, addr);
    b.putInt(slot * 16 + BufRingLayout.OFF_LEN, len);
    b.putShort(slot * 16 + BufRingLayout.OFF_BID, (short) bid);
  }

  private void tail(int value) {
    mem.buffer().putShort(BufRingLayout.OFF_TAIL, (short) value);
  }

  private Sqe read(int fd, int group, int len, long ud) {
    return Sqe.rw(IORING_OP_READ, fd, 0, len, 0)
        .flags(SqeFlags.IOSQE_BUFFER_SELECT)
        .bufIndex(group)
        .userData(ud);
  }

  private static int selected(int bid) {
    return CqeFlags.IORING_CQE_F_BUFFER | bid << CqeFlags.IORING_CQE_BUFFER_SHIFT;
  }

  private String text(long offset, int len) {
    byte[] b = new byte[len];
    mem.buffer().get((int) offset, b);
    return new String(b, StandardCharsets.US_ASCII);
  }

  @Test
  void registrationErrorsAsLinux() {
    long base = mem.address();
    assertErrno(Errno.EINVAL, () -> register(base, 3, 1, 0));
    assertErrno(Errno.EINVAL, () -> register(base, 65536, 1, 0));
    assertErrno(Errno.EINVAL, () -> register(base, 0, 1, 0));
    assertErrno(Errno.EINVAL, () -> register(base + 16, 4, 1, 0));
    assertErrno(Errno.EFAULT, () -> register(0, 4, 1, 0));
    assertErrno(Errno.EINVAL, () -> register(base, 4, 1, 4));
    assertErrno(Errno.EINVAL, () -> process.register(ring.fd, IORING_REGISTER_PBUF_RING, 0, 1));
    assertEquals(0, register(base, 4, 1, 0));
    assertErrno(Errno.EEXIST, () -> register(base + 4096, 4, 1, 0));
    // A legacy group holding buffers cannot become a ring; rings refuse legacy ops.
    Sqe provide =
        Sqe.op(IORING_OP_PROVIDE_BUFFERS).fd(1).addr(base + 8192).len(64).bufIndex(2).userData(5);
    assertEquals(0, ring.result(provide));
    assertErrno(Errno.EEXIST, () -> register(base + 4096, 4, 2, 0));
    assertEquals(-Errno.EINVAL, ring.result(provide.bufIndex(1)));
    assertEquals(-Errno.EINVAL, ring.result(Sqe.op(IORING_OP_REMOVE_BUFFERS).fd(1).bufIndex(1)));
    // Unregister: legacy EINVAL, unknown ENOENT, then gone.
    assertErrno(Errno.EINVAL, () -> unregister(2));
    assertErrno(Errno.ENOENT, () -> unregister(9));
    assertEquals(0, unregister(1));
    assertErrno(Errno.ENOENT, () -> unregister(1));
  }

  @Test
  void readsTakeBuffersInRingOrder() {
    long base = mem.address();
    assertEquals(0, register(base, 4, 1, 0));
    put(0, base + 16384, 5, 11);
    put(1, base + 20480, 100, 12);
    tail(2);
    assertEquals(0, head(1));
    assertEquals(new Cqe(8, 5, selected(11)), ring.run(read(fd, 1, 0, 8)));
    assertEquals("hello", text(16384, 5));
    assertEquals(new Cqe(9, -Errno.EBADF, 0), ring.run(read(-5, 1, 3, 9)), "no buffer taken");
    assertEquals(1, head(1));
    assertEquals(new Cqe(11, 3, selected(12)), ring.run(read(fd, 1, 3, 11)));
    assertEquals("hel", text(20480, 3));
    assertEquals(new Cqe(12, -Errno.ENOBUFS, 0), ring.run(read(fd, 1, 3, 12)));
    assertEquals(2, head(1));
  }

  @Test
  void theHeadWrapsWithTheMask() {
    long base = mem.address();
    assertEquals(0, register(base, 2, 3, 0));
    put(0, base + 16384, 64, 20);
    put(1, base + 16448, 64, 21);
    tail(5); // beyond head + entries: Linux hands the entries out again
    int[] bids = {20, 21, 20, 21};
    for (int i = 0; i < 4; i++) {
      assertEquals(new Cqe(20 + i, 11, selected(bids[i])), ring.run(read(fd, 3, 0, 20 + i)));
    }
  }

  @Test
  void aStatusForALegacyOrUnknownGroupFails() {
    assertEquals(
        0,
        ring.result(
            Sqe.op(IORING_OP_PROVIDE_BUFFERS)
                .fd(1)
                .addr(mem.address() + 8192)
                .len(64)
                .bufIndex(2)));
    UserBuffer st = UserBuffer.allocate(process, 40);
    st.buffer().putInt(0, 2);
    assertErrno(
        Errno.EINVAL,
        () -> process.register(ring.fd, IORING_REGISTER_PBUF_STATUS, st.address(), 1));
    st.buffer().putInt(0, 9);
    assertErrno(
        Errno.ENOENT,
        () -> process.register(ring.fd, IORING_REGISTER_PBUF_STATUS, st.address(), 1));
    assertEquals(0, register(mem.address(), 4, 1, 0));
    st.buffer().putInt(0, 1);
    st.buffer().putInt(8, 1);
    assertErrno(
        Errno.EINVAL,
        () -> process.register(ring.fd, IORING_REGISTER_PBUF_STATUS, st.address(), 1));
  }

  @Test
  void mmapAndIncrementalRingsAreNotSupportedYet() {
    assertErrno(Errno.EINVAL, () -> register(0, 4, 1, OpFlags.IOU_PBUF_RING_MMAP));
    assertErrno(Errno.EINVAL, () -> register(mem.address(), 4, 1, OpFlags.IOU_PBUF_RING_INC));
  }

  @Test
  void theHandlesBufRingAddsAdvancesAndFrees() {
    iouring.api.IoUring handle = iouring.api.IoUring.queueInit(process, 8, 0);
    ByteBuffer pool = ByteBuffer.allocateDirect(2 * 64);
    long poolAddress = process.memory().map(pool);
    iouring.api.BufRing br = handle.setupBufRing(8, 5);
    br.add(poolAddress, 64, 7, 0);
    br.add(poolAddress + 64, 64, 8, 1);
    br.advance(2);
    for (int bid : new int[] {7, 8}) {
      handle.getSqe().prepRead(fd, 0, 0, 0).flags(SqeFlags.IOSQE_BUFFER_SELECT).bufIndex(5);
      handle.submitAndWait(1);
      iouring.api.Cqe cqe = handle.peekCqe();
      assertEquals(11, cqe.res());
      assertEquals(selected(bid), cqe.flags());
      handle.cqeSeen(cqe);
    }
    byte[] second = new byte[5];
    pool.get(64, second);
    assertEquals("hello", new String(second, StandardCharsets.US_ASCII));
    handle.getSqe().prepRead(fd, 0, 0, 0).flags(SqeFlags.IOSQE_BUFFER_SELECT).bufIndex(5);
    handle.submitAndWait(1);
    assertEquals(-Errno.ENOBUFS, handle.peekCqe().res());
    handle.cqeSeen(handle.peekCqe());
    br.close();
    br.close(); // a second close does nothing
    handle.setupBufRing(4, 5).close(); // the group is free again
    handle.close();
  }
}
