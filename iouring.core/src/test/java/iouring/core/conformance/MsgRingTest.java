package iouring.core.conformance;

import static iouring.api.abi.OpFlags.*;
import static iouring.api.abi.Opcodes.IORING_OP_MSG_RING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.core.Kernel;
import iouring.vfs.memory.MemoryProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MSG_RING between rings of one process, as liburing's msg-ring.c and Linux 6.18 (T19). */
class MsgRingTest {
  private IoUringProcess process;
  private IoUring a;
  private IoUring b;

  @BeforeEach
  void start() {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new MemoryProvider());
    process = kernel.newProcess();
    a = IoUring.queueInit(process, 8, new IoUringParams());
    b = IoUring.queueInit(process, 8, new IoUringParams());
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    process.close();
  }

  private record C(long userData, int res, int flags) {}

  private static List<C> reap(IoUring ring) {
    List<C> all = new ArrayList<>();
    for (Cqe cqe = ring.peekCqe(); cqe != null; cqe = ring.peekCqe()) {
      all.add(new C(cqe.userData(), cqe.res(), cqe.flags()));
      ring.cqeSeen(cqe);
    }
    return all;
  }

  private void msg(int targetFd, int cmd, int len, long off, int flags, int fileIndex, long ud) {
    a.getSqe()
        .prepRw(IORING_OP_MSG_RING, targetFd, cmd, len, off)
        .rwFlags(flags)
        .fileIndex(fileIndex)
        .userData(ud);
    a.submit();
  }

  @Test
  void dataReachesTheTarget() {
    msg(b.ringFd(), IORING_MSG_DATA, 77, 2748, 0, 0, 1);
    assertEquals(List.of(new C(1, 0, 0)), reap(a));
    assertEquals(List.of(new C(2748, 77, 0)), reap(b));
  }

  @Test
  void flagsPassSetsTheTargetFlags() {
    msg(b.ringFd(), IORING_MSG_DATA, 5, 3567, IORING_MSG_RING_FLAGS_PASS, 0x1234, 2);
    assertEquals(List.of(new C(2, 0, 0)), reap(a));
    assertEquals(List.of(new C(3567, 5, 0x1234)), reap(b));
  }

  @Test
  void errorsAsLinux() {
    int file = process.openat(FileFlags.AT_FDCWD, "/f", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
    msg(file, IORING_MSG_DATA, 0, 0, 0, 0, 3);
    msg(b.ringFd(), 99, 0, 0, 0, 0, 4);
    msg(b.ringFd(), IORING_MSG_DATA, 0, 0, 1 << 5, 0, 6);
    msg(9999, IORING_MSG_DATA, 0, 0, 0, 0, 7);
    assertEquals(
        List.of(
            new C(3, -Errno.EBADFD, 0),
            new C(4, -Errno.EINVAL, 0),
            new C(6, -Errno.EINVAL, 0),
            new C(7, -Errno.EBADF, 0)),
        reap(a));
    assertEquals(List.of(), reap(b));
    process.close(file);
  }

  @Test
  void aMessageToItselfPostsTheTargetCqeFirst() {
    msg(a.ringFd(), IORING_MSG_DATA, 6, 85, 0, 0, 5);
    assertEquals(List.of(new C(85, 6, 0), new C(5, 0, 0)), reap(a));
  }

  @Test
  void sendFdInstallsARegisteredFileInTheTarget() {
    int file = process.openat(FileFlags.AT_FDCWD, "/f", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
    a.registerFiles(file);
    b.registerFiles(-1, -1);
    a.getSqe()
        .prepRw(IORING_OP_MSG_RING, b.ringFd(), IORING_MSG_SEND_FD, 0, 42)
        .addr3(0)
        .fileIndex(2) // slot 1 of the target: file_index is slot + 1
        .userData(8);
    a.submit();
    assertEquals(List.of(new C(8, 0, 0)), reap(a));
    assertEquals(List.of(new C(42, 0, 0)), reap(b));
    process.close(file);
  }
}
