package iouring.core.conformance;

import static iouring.api.abi.EnterFlags.IORING_ENTER_GETEVENTS;
import static iouring.api.abi.MmapOffsets.*;
import static iouring.api.abi.ParamsLayout.*;
import static iouring.core.conformance.Syscalls.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.CqeLayout;
import iouring.api.abi.Errno;
import iouring.api.abi.Features;
import iouring.api.abi.FileFlags;
import iouring.api.abi.Opcodes;
import iouring.api.abi.RingFlags;
import iouring.api.abi.SetupFlags;
import iouring.api.abi.SqeLayout;
import iouring.core.Kernel;
import iouring.vfs.host.HostProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 26 tests of gVisor's {@code test/syscalls/linux/io_uring.cc}, one method each, named after
 * it. Where gVisor and Linux 6.18 disagree the Linux result is expected, and the method says so;
 * where iouring copies gVisor on purpose (the ring layout, the drop policy when asked for) gVisor's
 * numbers are expected.
 */
class GvisorConformanceTest {
  /** gVisor's {@code BLOCK_SZ}: reads go into page-sized buffers. */
  private static final int BLOCK_SZ = 4096;

  @TempDir Path dir;

  private IoUringProcess process;

  @BeforeEach
  void startProcess() throws java.io.IOException {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new HostProvider(dir));
    process = kernel.newProcess();
  }

  @AfterEach
  void endProcess() {
    process.close();
  }

  // gVisor: ValidFD.
  @Test
  void validFd() {
    int fd = process.setup(1, new IoUringParams());
    assertTrue(fd >= 0, "fd " + fd);
    assertEquals(64, process.mmap(fd, IORING_OFF_SQ_RING, 64).capacity());
  }

  // gVisor: ParamsNonZeroResv.
  @Test
  void paramsNonZeroResv() {
    IoUringParams params = new IoUringParams().resv(1, 1);
    assertErrno(Errno.EINVAL, () -> process.setup(1, params));
  }

  // gVisor: ZeroCQEntries.
  @Test
  void zeroCqEntries() {
    IoUringParams params = new IoUringParams().flags(SetupFlags.IORING_SETUP_CQSIZE).cqEntries(0);
    assertErrno(Errno.EINVAL, () -> process.setup(1, params));
  }

  // gVisor: ZeroCQEntriesLessThanSQEntries.
  @Test
  void zeroCqEntriesLessThanSqEntries() {
    IoUringParams params = new IoUringParams().flags(SetupFlags.IORING_SETUP_CQSIZE).cqEntries(16);
    assertErrno(Errno.EINVAL, () -> process.setup(32, params));
  }

  // gVisor: UnsupportedFlags (gVisor-only). gVisor rejects SQPOLL; Linux 6.18 accepts it, and so
  // does iouring, which runs an SQ thread. A flag iouring does not implement (IOPOLL) is still
  // EINVAL, as on a kernel without it.
  @Test
  void unsupportedFlags() {
    int fd = process.setup(1, new IoUringParams().flags(SetupFlags.IORING_SETUP_SQPOLL));
    process.close(fd);
    IoUringParams params = new IoUringParams().flags(SetupFlags.IORING_SETUP_IOPOLL);
    assertErrno(Errno.EINVAL, () -> process.setup(1, params));
  }

  // gVisor: MMapMUnMapWork. There is no munmap: a mapping stays usable after the ring fd is
  // closed (as a live mmap keeps a Linux ring alive), while enter on the closed fd is EBADF.
  @Test
  void mmapMunmapWork() {
    IoUringParams params = new IoUringParams();
    int fd = process.setup(1, params);
    int length = params.sqOff(SQ_OFF_ARRAY) + params.sqEntries() * 4;
    assertEquals(388, length);
    ByteBuffer sqRing = process.mmap(fd, IORING_OFF_SQ_RING, length);
    ByteBuffer sqes = process.mmap(fd, IORING_OFF_SQES, SqeLayout.SIZE);
    Sqe.nop(7).writeTo(sqes, 0);
    sqRing.putInt(params.sqOff(SQ_OFF_TAIL), 1);
    assertEquals(1, process.enter(fd, 1, 1, IORING_ENTER_GETEVENTS));

    process.close(fd);

    assertEquals(1, sqRing.getInt(params.sqOff(SQ_OFF_HEAD)));
    sqRing.putInt(params.sqOff(SQ_OFF_TAIL), 2);
    assertEquals(2, sqRing.getInt(params.sqOff(SQ_OFF_TAIL)));
    sqes.putLong(SqeLayout.OFF_USER_DATA, 8);
    assertEquals(8, sqes.getLong(SqeLayout.OFF_USER_DATA));
    assertErrno(Errno.EBADF, () -> process.enter(fd, 1, 0, 0));
  }

  // gVisor: MMapWrongOffset.
  @Test
  void mmapWrongOffset() {
    int fd = process.setup(1, new IoUringParams());
    assertErrno(Errno.EINVAL, () -> process.mmap(fd, 66, 4096));
  }

  // gVisor: MMapOffsets. Java has no page-aligned addresses to check; instead the two ring
  // offsets must map the same memory (IORING_FEAT_SINGLE_MMAP) and the SQEs other memory.
  @Test
  void mmapOffsets() {
    IoUringParams params = new IoUringParams();
    int fd = process.setup(1, params);
    int sqLength = params.sqOff(SQ_OFF_ARRAY) + params.sqEntries() * 4;
    int cqLength = params.cqOff(CQ_OFF_CQES) + params.cqEntries() * CqeLayout.SIZE;
    ByteBuffer sqRing = process.mmap(fd, IORING_OFF_SQ_RING, sqLength);
    ByteBuffer cqRing = process.mmap(fd, IORING_OFF_CQ_RING, cqLength);
    ByteBuffer sqes = process.mmap(fd, IORING_OFF_SQES, SqeLayout.SIZE);
    assertEquals(388, sqRing.capacity());
    assertEquals(352, cqRing.capacity());
    assertEquals(64, sqes.capacity());
    assertEquals(ByteOrder.nativeOrder(), sqRing.order());

    cqRing.putInt(params.cqOff(CQ_OFF_HEAD), 0x5a5a);
    assertEquals(0x5a5a, sqRing.getInt(params.cqOff(CQ_OFF_HEAD)));
    sqes.putInt(0, 0x1234_5678);
    assertEquals(0, sqRing.getInt(0));
    assertEquals(0, cqRing.getInt(0));
  }

  // gVisor: ReturnedParamsValues (gVisor-only). iouring keeps gVisor's layout byte for byte.
  @Test
  void returnedParamsValues() {
    IoUringParams params = new IoUringParams();
    process.setup(1, params);
    assertEquals(1, params.sqEntries());
    assertEquals(2, params.cqEntries());

    assertEquals(0, params.sqOff(SQ_OFF_HEAD));
    assertEquals(64, params.sqOff(SQ_OFF_TAIL));
    assertEquals(256, params.sqOff(SQ_OFF_RING_MASK));
    assertEquals(264, params.sqOff(SQ_OFF_RING_ENTRIES));
    assertEquals(276, params.sqOff(SQ_OFF_FLAGS));
    assertEquals(272, params.sqOff(SQ_OFF_DROPPED));
    assertEquals(384, params.sqOff(SQ_OFF_ARRAY));

    assertEquals(128, params.cqOff(CQ_OFF_HEAD));
    assertEquals(192, params.cqOff(CQ_OFF_TAIL));
    assertEquals(260, params.cqOff(CQ_OFF_RING_MASK));
    assertEquals(268, params.cqOff(CQ_OFF_RING_ENTRIES));
    assertEquals(284, params.cqOff(CQ_OFF_OVERFLOW));
    assertEquals(320, params.cqOff(CQ_OFF_CQES));
    assertEquals(280, params.cqOff(CQ_OFF_FLAGS));

    assertNotEquals(0, params.features() & Features.IORING_FEAT_SINGLE_MMAP);
  }

  // gVisor: SqeIndexArrayCacheAligned.
  @Test
  void sqeIndexArrayCacheAligned() {
    for (int entries = 1; entries <= 9; entries++) {
      IoUringParams params = new IoUringParams();
      process.close(process.setup(entries, params));
      assertEquals(0, params.sqOff(SQ_OFF_ARRAY) % 64, "entries " + entries);
    }
  }

  // gVisor: SingleNOPTest. The SQ array is left as zeroed memory, which names SQE 0.
  @Test
  void singleNopTest() {
    RawRing ring = RawRing.create(process, 1);
    assertEquals(1, ring.sqEntries);
    assertEquals(2, ring.cqEntries);
    assertEquals(0, ring.sqHead());

    ring.writeSqe(0, Sqe.nop(42));
    ring.sqTail(ring.sqTail() + 1);
    assertEquals(1, ring.enter(1, 1, IORING_ENTER_GETEVENTS));

    assertEquals(1, ring.sqHead());
    assertEquals(1, ring.cqTail());
    assertEquals(Cqe.of(42, 0), ring.cqe(0));
    ring.cqHead(ring.cqHead() + 1);
  }

  // gVisor: QueueingNOPTest. to_submit limits how many queued SQEs one enter consumes.
  @Test
  void queueingNopTest() {
    RawRing ring = RawRing.create(process, 4);
    for (int i = 0; i < 4; i++) {
      ring.push(Sqe.nop(42 + i));
    }
    assertEquals(4, ring.sqTail());

    assertEquals(2, ring.enter(2, 2, IORING_ENTER_GETEVENTS));
    assertEquals(2, ring.sqHead());
    assertEquals(2, ring.cqTail());
    assertEquals(Cqe.of(42, 0), ring.cqe(0));
    assertEquals(Cqe.of(43, 0), ring.cqe(1));
    ring.cqHead(ring.cqHead() + 2);

    assertEquals(2, ring.enter(2, 2, IORING_ENTER_GETEVENTS));
    assertEquals(4, ring.sqHead());
    assertEquals(4, ring.cqTail());
    assertEquals(Cqe.of(44, 0), ring.cqe(2));
    assertEquals(Cqe.of(45, 0), ring.cqe(3));
  }

  // gVisor: MultipleNOPTest.
  @Test
  void multipleNopTest() {
    RawRing ring = RawRing.create(process, 4);
    for (int i = 0; i < 3; i++) {
      ring.push(Sqe.nop(42 + i));
    }
    assertEquals(3, ring.enter(3, 3, IORING_ENTER_GETEVENTS));
    assertEquals(3, ring.sqHead());
    assertEquals(3, ring.cqTail());
    for (int i = 0; i < 3; i++) {
      assertEquals(Cqe.of(42 + i, 0), ring.cqe(i));
    }
  }

  // gVisor: MultiThreadedNOPTest. gVisor joins each thread before starting the next; here the
  // four enters really run at once, and the ring lock must serialize them.
  @Test
  void multiThreadedNopTest() throws Exception {
    RawRing ring = RawRing.create(process, 4);
    for (int i = 0; i < 4; i++) {
      ring.push(Sqe.nop(42 + i));
    }
    CyclicBarrier start = new CyclicBarrier(4);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            threads.submit(
                () -> {
                  start.await();
                  return ring.enter(1, 1, IORING_ENTER_GETEVENTS);
                }));
      }
      for (Future<Integer> result : results) {
        assertEquals(1, result.get(10, TimeUnit.SECONDS));
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(4, ring.sqHead());
    assertEquals(4, ring.cqTail());
    for (int i = 0; i < 4; i++) {
      assertEquals(Cqe.of(42 + i, 0), ring.cqe(i));
    }
  }

  // gVisor: InvalidOpCodeTest.
  @Test
  void invalidOpCodeTest() {
    RawRing ring = RawRing.create(process, 1);
    ring.push(Sqe.op(255).userData(42));
    assertEquals(1, ring.enter(1, 1, IORING_ENTER_GETEVENTS));
    assertEquals(1, ring.sqHead());
    assertEquals(1, ring.cqTail());
    assertEquals(Cqe.of(42, -Errno.EINVAL), ring.cqe(0));
  }

  // gVisor: CorruptRingHeader. Every byte the application can write is 0xff; enter must come back
  // in bounded time with a count, and the process must keep working.
  @Test
  void corruptRingHeader() {
    IoUringParams params = new IoUringParams();
    int fd = process.setup(64, params);
    int sqLength = params.sqOff(SQ_OFF_ARRAY) + params.sqEntries() * 4;
    int cqLength = params.cqOff(CQ_OFF_CQES) + params.cqEntries() * CqeLayout.SIZE;
    for (ByteBuffer mapping :
        List.of(
            process.mmap(fd, IORING_OFF_SQ_RING, sqLength),
            process.mmap(fd, IORING_OFF_CQ_RING, cqLength),
            process.mmap(fd, IORING_OFF_SQES, params.sqEntries() * SqeLayout.SIZE))) {
      byte[] ones = new byte[mapping.capacity()];
      Arrays.fill(ones, (byte) 0xff);
      mapping.put(0, ones);
    }

    int submitted =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> process.enter(fd, 1, 0, IORING_ENTER_GETEVENTS));
    assertTrue(submitted >= 0, "enter returned " + submitted);
    int all = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> process.enter(fd, 64, 0, 0));
    assertTrue(all >= 0, "enter returned " + all);
    process.close(fd);

    try (RawRing ring = RawRing.create(process, 4)) {
      assertEquals(Cqe.of(1, 0), ring.run(Sqe.nop(1)));
    }
  }

  // gVisor: SQERingBuffersWrapAroundTest. The SQ wraps; the CQ fills slots 4..7 of 8.
  @Test
  void sqeRingBuffersWrapAroundTest() {
    RawRing ring = RawRing.create(process, 4);
    for (int i = 0; i < 4; i++) {
      ring.push(Sqe.nop(42 + i));
    }
    assertEquals(4, ring.enter(4, 4, IORING_ENTER_GETEVENTS));
    assertEquals(4, ring.sqHead());
    assertEquals(4, ring.cqTail());
    for (int i = 0; i < 4; i++) {
      assertEquals(Cqe.of(42 + i, 0), ring.cqe(i));
    }
    ring.cqHead(ring.cqHead() + 4);

    for (int i = 0; i < 4; i++) {
      ring.push(Sqe.nop(42 + 2 * (i + 1)));
    }
    assertEquals(8, ring.sqTail());
    assertEquals(4, ring.enter(4, 4, IORING_ENTER_GETEVENTS));
    assertEquals(8, ring.sqHead());
    assertEquals(8, ring.cqTail());
    for (int i = 0; i < 4; i++) {
      assertEquals(Cqe.of(42 + 2 * (i + 1), 0), ring.cqe(4 + i));
    }
  }

  // gVisor: NonNullSigsetTest (gVisor-only; gVisor gives EFAULT). Linux accepts a readable
  // 8-byte sigset; iouring checks it and, having no signals, ignores it.
  @Test
  void nonNullSigsetTest() {
    RawRing ring = RawRing.create(process, 1);
    UserBuffer sigset = UserBuffer.allocate(process, 8);
    ring.push(Sqe.nop(42));
    assertEquals(1, process.enter(ring.fd, 1, 1, IORING_ENTER_GETEVENTS, sigset.address(), 8));
    assertEquals(List.of(Cqe.of(42, 0)), ring.reap());

    // A sigset of the wrong size is EINVAL (set_user_sigmask) once the call has to wait.
    assertErrno(
        Errno.EINVAL,
        () -> process.enter(ring.fd, 0, 1, IORING_ENTER_GETEVENTS, sigset.address(), 4));
  }

  // gVisor: OverflowCQTest (gVisor-only), under gVisor's drop policy: CQEs that do not fit are
  // dropped and counted in cq_overflow; the CQEs in the ring are never overwritten.
  @Test
  void overflowCqTest() {
    RawRing ring = RawRing.create(process, 4, new IoUringParams().dropOnOverflow(true));
    assertEquals(8, ring.cqEntries);
    assertEquals(0, ring.params.features() & Features.IORING_FEAT_NODROP);
    fillCqInTwoRounds(ring);

    ring.push(Sqe.nop(52));
    ring.push(Sqe.nop(53));
    assertEquals(10, ring.sqTail());
    assertEquals(2, ring.enter(2, 2, IORING_ENTER_GETEVENTS));
    assertEquals(10, ring.sqHead());
    assertEquals(8, ring.cqTail());
    assertEquals(Cqe.of(42, 0), ring.cqe(0));
    assertEquals(Cqe.of(43, 0), ring.cqe(1));
    assertEquals(0, ring.sqDropped());
    assertEquals(2, ring.cqOverflow());
  }

  // OverflowCQTest's twin under Linux's default no-drop policy (IORING_FEAT_NODROP): the CQEs
  // that do not fit wait in a backlog, flagged by IORING_SQ_CQ_OVERFLOW, and enter with
  // GETEVENTS moves them into the ring, in order, once the application has made room.
  @Test
  void overflowCqBacklogLinux() {
    RawRing ring = RawRing.create(process, 4);
    assertNotEquals(0, ring.params.features() & Features.IORING_FEAT_NODROP);
    fillCqInTwoRounds(ring);

    ring.push(Sqe.nop(52));
    ring.push(Sqe.nop(53));
    assertEquals(2, ring.enter(2, 2, IORING_ENTER_GETEVENTS));
    assertEquals(10, ring.sqHead());
    assertEquals(8, ring.cqTail());
    assertEquals(RingFlags.IORING_SQ_CQ_OVERFLOW, ring.sqFlags() & RingFlags.IORING_SQ_CQ_OVERFLOW);
    assertEquals(0, ring.cqOverflow());
    assertEquals(0, ring.sqDropped());

    List<Cqe> first = ring.reap();
    assertEquals(8, first.size());
    assertEquals(Cqe.of(42, 0), first.get(0));
    assertEquals(Cqe.of(46, 0), first.get(7));
    assertEquals(0, ring.enter(0, 0, IORING_ENTER_GETEVENTS));
    assertEquals(List.of(Cqe.of(52, 0), Cqe.of(53, 0)), ring.reap());
    assertEquals(0, ring.sqFlags() & RingFlags.IORING_SQ_CQ_OVERFLOW);
    assertEquals(0, ring.cqOverflow());
  }

  /** OverflowCQTest's two rounds: eight NOPs fill the 8-entry CQ, which is never reaped. */
  private static void fillCqInTwoRounds(RawRing ring) {
    for (int round = 0; round < 2; round++) {
      assertEquals(4 * round, ring.sqTail());
      for (int i = 0; i < 4; i++) {
        ring.push(Sqe.nop(42 + i + round));
      }
      assertEquals(4, ring.enter(4, 4, IORING_ENTER_GETEVENTS));
      assertEquals(4 * (round + 1), ring.sqHead());
      assertEquals(0, ring.sqDropped());
      assertEquals(0, ring.cqOverflow());
      assertEquals(4 * (round + 1), ring.cqTail());
      for (int i = 0; i < 4; i++) {
        assertEquals(Cqe.of(42 + i + round, 0), ring.cqe(i + 4 * round));
      }
    }
  }

  // gVisor: SingleREADVTest.
  @Test
  void singleReadvTest() throws IOException {
    int fd = openFile("deadbeef", "DEADBEEF", FileFlags.O_RDONLY);
    RawRing ring = RawRing.create(process, 1);
    assertEquals(1, ring.sqEntries);
    assertEquals(2, ring.cqEntries);
    UserBuffer buf = UserBuffer.allocate(process, BLOCK_SZ);
    UserBuffer iov = UserBuffer.iovecs(process, buf.address(), 8);

    ring.push(readv(fd, iov, 1).userData(iov.address()));
    assertEquals(1, ring.enter(1, 1, IORING_ENTER_GETEVENTS));
    assertEquals(1, ring.sqHead());
    assertEquals(1, ring.cqTail());
    assertEquals(Cqe.of(iov.address(), 8), ring.cqe(0));
    assertEquals("DEADBEEF", buf.text(8));
  }

  // gVisor: ReadvEmptyFile. A zero-length read of an empty file is 0, end of file.
  @Test
  void readvEmptyFile() throws IOException {
    int fd = openFile("empty", "", FileFlags.O_RDONLY);
    RawRing ring = RawRing.create(process, 1);
    UserBuffer buf = UserBuffer.allocate(process, BLOCK_SZ);
    UserBuffer iov = UserBuffer.iovecs(process, buf.address(), 0);

    ring.push(readv(fd, iov, 1).userData(iov.address()));
    assertEquals(1, ring.enter(1, 1, IORING_ENTER_GETEVENTS));
    assertEquals(1, ring.sqHead());
    assertEquals(1, ring.cqTail());
    assertEquals(Cqe.of(iov.address(), 0), ring.cqe(0));
  }

  // gVisor: ThreeREADVSingleEnterTest.
  @Test
  void threeReadvSingleEnterTest() throws IOException {
    RawRing ring = RawRing.create(process, 4);
    assertEquals(4, ring.sqEntries);
    assertEquals(8, ring.cqEntries);
    String content = "DEADBEEF";
    String[] contents = new String[3];
    UserBuffer[] bufs = new UserBuffer[3];
    for (int i = 0; i < 3; i++) {
      contents[i] = content;
      int fd = openFile("file" + i, content, FileFlags.O_RDONLY);
      bufs[i] = UserBuffer.allocate(process, BLOCK_SZ);
      UserBuffer iov = UserBuffer.iovecs(process, bufs[i].address(), content.length());
      ring.push(readv(fd, iov, 1).userData(i));
      content += " DEADBEEF";
    }
    assertEquals(3, ring.sqTail());

    assertEquals(3, ring.enter(3, 3, IORING_ENTER_GETEVENTS));
    assertEquals(3, ring.sqHead());
    assertEquals(3, ring.cqTail());
    int[] sizes = {8, 17, 26};
    for (int i = 0; i < 3; i++) {
      assertEquals(Cqe.of(i, sizes[i]), ring.cqe(i));
      assertEquals(contents[i], bufs[i].text(sizes[i]));
    }
  }

  // gVisor: ReadClosedFD. The fd is looked up when the SQE is consumed, not when it is queued.
  @Test
  void readClosedFd() throws IOException {
    int fd = openFile("deadbeef", "DEADBEEF", FileFlags.O_RDONLY);
    RawRing ring = RawRing.create(process, 1);
    UserBuffer buf = UserBuffer.allocate(process, BLOCK_SZ);
    UserBuffer iov = UserBuffer.iovecs(process, buf.address(), 8);
    ring.push(readv(fd, iov, 1).userData(iov.address()));
    process.close(fd);

    assertEquals(1, ring.enter(1, 1, IORING_ENTER_GETEVENTS));
    assertEquals(1, ring.sqHead());
    assertEquals(1, ring.cqTail());
    assertEquals(Cqe.of(iov.address(), -Errno.EBADF), ring.cqe(0));
  }

  // gVisor: ShortReadREADVTest. Asking for twice the file gives the file.
  @Test
  void shortReadReadvTest() throws IOException {
    int fd = openFile("deadbeef", "DEADBEEF", FileFlags.O_RDONLY);
    RawRing ring = RawRing.create(process, 1);
    UserBuffer buf = UserBuffer.allocate(process, BLOCK_SZ);
    UserBuffer iov = UserBuffer.iovecs(process, buf.address(), 16);

    ring.push(readv(fd, iov, 1).userData(iov.address()));
    assertEquals(1, ring.enter(1, 1, IORING_ENTER_GETEVENTS));
    assertEquals(1, ring.sqHead());
    assertEquals(1, ring.cqTail());
    assertEquals(Cqe.of(iov.address(), 8), ring.cqe(0));
    assertEquals("DEADBEEF", buf.text(8));
  }

  // gVisor: NoReadPermissionsREADVTest.
  @Test
  void noReadPermissionsReadvTest() throws IOException {
    int fd = openFile("deadbeef", "DEADBEEF", FileFlags.O_WRONLY);
    RawRing ring = RawRing.create(process, 1);
    UserBuffer buf = UserBuffer.allocate(process, BLOCK_SZ);
    UserBuffer iov = UserBuffer.iovecs(process, buf.address(), 8);

    ring.push(readv(fd, iov, 1).userData(iov.address()));
    assertEquals(1, ring.enter(1, 1, IORING_ENTER_GETEVENTS));
    assertEquals(1, ring.sqHead());
    assertEquals(1, ring.cqTail());
    assertEquals(Cqe.of(iov.address(), -Errno.EBADF), ring.cqe(0));
    assertFalse(buf.text(8).startsWith("DEAD"));
  }

  // gVisor: READVWithInvalidSqeFieldValue. ioprio 1 is class NONE with a level, which Linux's
  // ioprio_check_cap refuses; buf_index is ignored without buffer selection.
  @Test
  void readvWithInvalidSqeFieldValue() throws IOException {
    int fd = openFile("deadbeef", "DEADBEEF", FileFlags.O_RDONLY);
    RawRing ring = RawRing.create(process, 1);
    UserBuffer buf = UserBuffer.allocate(process, BLOCK_SZ);
    UserBuffer iov = UserBuffer.iovecs(process, buf.address(), 8);

    ring.push(readv(fd, iov, 1).userData(iov.address()).ioprio(1).bufIndex(0));
    assertEquals(1, ring.enter(1, 1, IORING_ENTER_GETEVENTS));
    assertEquals(1, ring.sqHead());
    assertEquals(1, ring.cqTail());
    assertEquals(Cqe.of(iov.address(), -Errno.EINVAL), ring.cqe(0));
  }

  private int openFile(String name, String content, int flags) throws IOException {
    Files.writeString(dir.resolve(name), content);
    return process.openat(FileFlags.AT_FDCWD, "/" + name, flags, 0644);
  }

  private static Sqe readv(int fd, UserBuffer iovecs, int count) {
    return Sqe.op(Opcodes.IORING_OP_READV).fd(fd).addr(iovecs.address()).len(count).off(0);
  }
}
