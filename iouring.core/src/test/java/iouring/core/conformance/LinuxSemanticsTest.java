package iouring.core.conformance;

import static iouring.api.abi.EnterFlags.*;
import static iouring.api.abi.MmapOffsets.*;
import static iouring.api.abi.Opcodes.*;
import static iouring.api.abi.ParamsLayout.*;
import static iouring.core.conformance.Syscalls.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.ErrnoException;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.Features;
import iouring.api.abi.FileFlags;
import iouring.api.abi.GeteventsArgLayout;
import iouring.api.abi.OpFlags;
import iouring.api.abi.ProbeLayout;
import iouring.api.abi.RegisterOpcodes;
import iouring.api.abi.SetupFlags;
import iouring.api.abi.SqeFlags;
import iouring.core.Kernel;
import iouring.core.ring.KernelLimits;
import iouring.vfs.host.HostProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Linux 6.18 behaviour for what iouring implements, case by case from the recorded probe outputs
 * ({@code linux-probes/out-live*.txt}, tags T1 to T22), plus the kernel source where the probes
 * stop. Each nested class is one probe group. Where iouring deliberately differs (a feature not
 * there yet) the test says so and expects iouring's documented result. Features that liburing tests
 * in files of their own have classes of their own: {@link CqOverflowTest} (T15), {@link DrainTest},
 * {@link SkipCqeTest}, {@link SubmitAllTest}, {@link SqFullTest}.
 */
class LinuxSemanticsTest {
  private static final int GETEVENTS = IORING_ENTER_GETEVENTS;

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

  private IoUringParams setup(int entries, IoUringParams params) {
    process.close(process.setup(entries, params));
    return params;
  }

  private int openFile(String name, String content, int flags) throws IOException {
    Files.writeString(dir.resolve(name), content);
    return process.openat(FileFlags.AT_FDCWD, "/" + name, flags, 0644);
  }

  /**
   * T1: io_uring_setup sizes, limits, flags and offsets; {@code CQSIZE} is {@link
   * CqOverflowTest}'s.
   */
  @Nested
  class Setup {
    @ParameterizedTest(name = "setup({0}) gives {1}/{2}")
    @CsvSource({"1,1,2", "2,2,4", "3,4,8", "5,8,16", "4096,4096,8192", "32768,32768,65536"})
    void entriesRoundUpToAPowerOfTwo(int entries, int sq, int cq) {
      IoUringParams params = setup(entries, new IoUringParams());
      assertEquals(sq, params.sqEntries());
      assertEquals(cq, params.cqEntries());
    }

    @ParameterizedTest(name = "setup({0}) is EINVAL")
    @ValueSource(ints = {0, 32769, -1})
    void entriesZeroOrOver32768AreEinval(int entries) {
      assertErrno(Errno.EINVAL, () -> process.setup(entries, new IoUringParams()));
    }

    @Test
    void clampLimitsEntriesInsteadOfFailing() {
      IoUringParams params =
          setup(100000, new IoUringParams().flags(SetupFlags.IORING_SETUP_CLAMP));
      assertEquals(32768, params.sqEntries());
      assertEquals(65536, params.cqEntries());
    }

    @ParameterizedTest(name = "resv[{0}] != 0 is EINVAL")
    @ValueSource(ints = {0, 1, 2})
    void nonZeroResvIsEinval(int index) {
      IoUringParams params = new IoUringParams().resv(index, 1);
      assertErrno(Errno.EINVAL, () -> process.setup(8, params));
    }

    @ParameterizedTest(name = "flag 0x{0} is EINVAL")
    @ValueSource(ints = {1 << 19, 1 << 20, 1 << 21, 1 << 31, (1 << 20) | (1 << 16)})
    void unknownFlagBitsAreEinval(int flags) {
      assertErrno(Errno.EINVAL, () -> process.setup(8, new IoUringParams().flags(flags)));
    }

    @Test
    void noSqArrayHasNoArrayAndTakesSqesInOrder() {
      IoUringParams params = new IoUringParams().flags(SetupFlags.IORING_SETUP_NO_SQARRAY);
      RawRing ring = RawRing.create(process, 8, params);
      assertEquals(0, params.sqOff(SQ_OFF_ARRAY));
      for (int i = 0; i < 3; i++) {
        ring.push(Sqe.nop(13 + i));
      }
      assertEquals(3, ring.submit());
      assertEquals(List.of(Cqe.of(13, 0), Cqe.of(14, 0), Cqe.of(15, 0)), ring.reap());
    }

    @Test
    void offsetsOutsideTheLayoutAreZero() {
      IoUringParams params = setup(8, new IoUringParams());
      assertEquals(0, params.sqOff(SQ_OFF_RESV1));
      assertEquals(0, params.bytes().getLong(OFF_SQ_OFF + SQ_OFF_USER_ADDR));
      assertEquals(0, params.cqOff(CQ_OFF_RESV1));
      assertEquals(0, params.bytes().getLong(OFF_CQ_OFF + CQ_OFF_USER_ADDR));
    }

    @Test
    void setupWithAFullFdTableIsEmfile() {
      KernelLimits two = new KernelLimits(2, 64, 1024, 16);
      try (IoUringProcess small = new Kernel(two).newProcess()) {
        small.setup(1, new IoUringParams());
        small.setup(1, new IoUringParams());
        assertErrno(Errno.EMFILE, () -> small.setup(1, new IoUringParams()));
      }
    }

    @Test
    void anSqPollRingWithNoFdLeavesNoThread() throws InterruptedException {
      KernelLimits one = new KernelLimits(1, 64, 1024, 16);
      try (IoUringProcess small = new Kernel(one).newProcess()) {
        small.setup(1, new IoUringParams());
        long before = sqPollThreads();
        assertErrno(
            Errno.EMFILE,
            () -> small.setup(1, new IoUringParams().flags(SetupFlags.IORING_SETUP_SQPOLL)));
        for (int i = 0; i < 100 && sqPollThreads() > before; i++) {
          Thread.sleep(10); // the thread ends on its own once told to stop
        }
        assertEquals(before, sqPollThreads());
      }
    }

    private static long sqPollThreads() {
      return Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("iouring-sqpoll") && t.isAlive())
          .count();
    }

    @Test
    void ringMemoryPastTheLimitIsEnomem() {
      // An 8-entry ring: one page of rings and one page of SQEs.
      KernelLimits twoRings = new KernelLimits(64, 64, 1024, 16, 4 * 4096);
      try (IoUringProcess small = new Kernel(twoRings).newProcess()) {
        int a = small.setup(8, new IoUringParams());
        small.setup(8, new IoUringParams());
        assertErrno(Errno.ENOMEM, () -> small.setup(8, new IoUringParams()));
        small.close(a);
        small.setup(8, new IoUringParams()); // closing a ring gives its memory back
      }
    }

    // Linux 6.18 reports all 18 features (0x3ffff); iouring reports exactly what it implements.
    @Test
    void featuresAreExactlyThoseImplemented() {
      int expected =
          Features.IORING_FEAT_SINGLE_MMAP
              | Features.IORING_FEAT_NODROP
              | Features.IORING_FEAT_SUBMIT_STABLE
              | Features.IORING_FEAT_RW_CUR_POS
              | Features.IORING_FEAT_EXT_ARG
              | Features.IORING_FEAT_CQE_SKIP
              | Features.IORING_FEAT_LINKED_FILE
              | Features.IORING_FEAT_SQPOLL_NONFIXED
              | Features.IORING_FEAT_REG_REG_RING;
      assertEquals(expected, setup(8, new IoUringParams()).features());
    }
  }

  /** mmap of ring memory: io_uring_validate_mmap_request and mmap(2) itself. */
  @Nested
  class Mmap {
    @Test
    void lengthZeroIsEinval() {
      int fd = process.setup(1, new IoUringParams());
      assertErrno(Errno.EINVAL, () -> process.mmap(fd, IORING_OFF_SQ_RING, 0));
    }

    @Test
    void lengthOverTheRegionIsEinval() {
      int fd = process.setup(1, new IoUringParams());
      assertEquals(4096, process.mmap(fd, IORING_OFF_SQ_RING, 4096).capacity());
      assertErrno(Errno.EINVAL, () -> process.mmap(fd, IORING_OFF_CQ_RING, 4097));
      assertErrno(Errno.EINVAL, () -> process.mmap(fd, IORING_OFF_SQES, 4097));
    }

    @Test
    void closedFdIsEbadf() {
      int fd = process.setup(1, new IoUringParams());
      process.close(fd);
      assertErrno(Errno.EBADF, () -> process.mmap(fd, IORING_OFF_SQ_RING, 64));
    }
  }

  /** T3: NOP and the generic checks every SQE goes through. */
  @Nested
  class Nop {
    private RawRing ring;

    @BeforeEach
    void createRing() {
      ring = RawRing.create(process, 8);
    }

    @Test
    void nopSucceeds() {
      assertEquals(Cqe.of(0x1234, 0), ring.run(Sqe.nop(0x1234)));
    }

    @Test
    void junkInFieldsNopDoesNotUseIsIgnored() {
      Sqe junk = Sqe.nop(2).fd(-77).addr(0xdead).len(99).off(12345).bufIndex(5).addr3(9);
      assertEquals(Cqe.of(2, 0), ring.run(junk));
    }

    @Test
    void injectResultReturnsLenAsSigned() {
      int inject = OpFlags.IORING_NOP_INJECT_RESULT;
      assertEquals(Cqe.of(3, 42), ring.run(Sqe.nop(3).len(42).opFlags(inject)));
      assertEquals(Cqe.of(4, -Errno.EIO), ring.run(Sqe.nop(4).len(-5).opFlags(inject)));
      // INT_MIN too (the fuzzer found it lost: it is the value an op returns to defer itself).
      assertEquals(
          Cqe.of(5, Integer.MIN_VALUE),
          ring.run(Sqe.nop(5).len(Integer.MIN_VALUE).opFlags(inject)));
    }

    @Test
    void nopFlagsKnownBits() {
      assertEquals(0, ring.result(Sqe.nop(100).opFlags(OpFlags.IORING_NOP_INJECT_RESULT)));
      assertEquals(0, ring.result(Sqe.nop(101).opFlags(OpFlags.IORING_NOP_FILE).fd(ring.fd)));
      assertEquals(
          -Errno.EBADF, ring.result(Sqe.nop(101).opFlags(OpFlags.IORING_NOP_FILE).fd(9999)));
      assertEquals(0, ring.result(Sqe.nop(102).opFlags(OpFlags.IORING_NOP_FIXED_FILE)));
      assertEquals(
          -Errno.EFAULT, ring.result(Sqe.nop(103).opFlags(OpFlags.IORING_NOP_FIXED_BUFFER)));
      assertEquals(0, ring.result(Sqe.nop(104).opFlags(OpFlags.IORING_NOP_TW)));
      // CQE32 needs a CQE32 ring.
      assertEquals(-Errno.EINVAL, ring.result(Sqe.nop(105).opFlags(OpFlags.IORING_NOP_CQE32)));
    }

    @Test
    void nopFlagsUnknownBitsAreEinval() {
      for (int bit = 6; bit < 32; bit++) {
        assertEquals(
            -Errno.EINVAL, ring.result(Sqe.nop(100 + bit).opFlags(1 << bit)), "bit " + bit);
      }
    }

    @Test
    void ioprioOnNopIsEinval() {
      assertEquals(Cqe.of(5, -Errno.EINVAL), ring.run(Sqe.nop(5).ioprio(1)));
    }

    @Test
    void unregisteredPersonalityIsEinval() {
      assertEquals(Cqe.of(6, -Errno.EINVAL), ring.run(Sqe.nop(6).personality(999)));
    }

    // A lone NOP with IO_LINK (bit 2) or IO_HARDLINK (bit 3) ends its chain at the submission
    // boundary and runs (0). -22 is EINVAL, -95 EOPNOTSUPP (BUFFER_SELECT on an op without
    // buffer selection).
    @ParameterizedTest(name = "sqe->flags = 1 << {0} gives {1}")
    @CsvSource({"0,0", "1,0", "2,0", "3,0", "4,0", "5,-95", "7,-22"})
    void sqeFlagBits(int bit, int res) {
      assertEquals(Cqe.of(200 + bit, res), ring.run(Sqe.nop(200 + bit).flags(1 << bit)));
    }

    @Test
    void duplicateUserDataIsKept() {
      ring.push(Sqe.nop(7));
      ring.push(Sqe.nop(7));
      assertEquals(2, ring.submitAndWait(2));
      assertEquals(List.of(Cqe.of(7, 0), Cqe.of(7, 0)), ring.reap());
    }
  }

  /**
   * T3, T13: how enter consumes SQEs and what it returns. A full SQ is {@link SqFullTest}'s, {@code
   * IORING_SETUP_SUBMIT_ALL} {@link SubmitAllTest}'s.
   */
  @Nested
  class Submission {
    private RawRing ring;

    @BeforeEach
    void createRing() {
      ring = RawRing.create(process, 8);
    }

    @ParameterizedTest(name = "opcode {0} is EINVAL")
    @ValueSource(ints = {200, 65, 63})
    void opcodesPastTheLastAreEinval(int opcode) {
      assertEquals(Cqe.of(7, -Errno.EINVAL), ring.run(Sqe.op(opcode).userData(7)));
    }

    // Linux 6.18 runs every opcode up to 62; iouring fails those it lacks at prep with
    // EOPNOTSUPP, as a kernel built without them does.
    @Test
    void opcodesNotImplementedYetAreEopnotsupp() {
      assertEquals(Cqe.of(8, -Errno.EOPNOTSUPP), ring.run(Sqe.op(IORING_OP_POLL_ADD).userData(8)));
    }

    @Test
    void toSubmitBeyondWhatIsQueuedSubmitsWhatIsQueued() {
      ring.push(Sqe.nop(15));
      assertEquals(1, ring.enter(5, 0, 0));
      assertEquals(List.of(Cqe.of(15, 0)), ring.reap());
    }

    @Test
    void enterWithNothingToDoReturnsZero() {
      assertEquals(0, ring.enter(0, 0, 0));
    }

    @ParameterizedTest(name = "enter flags 0x{0} is EINVAL")
    @ValueSource(ints = {1 << 8, 1 << 12})
    void unknownEnterFlagsAreEinval(int flags) {
      assertErrno(Errno.EINVAL, () -> ring.enter(0, 0, flags));
    }

    @ParameterizedTest(name = "enter flags 0x{0} without GETEVENTS is 0")
    @ValueSource(ints = {IORING_ENTER_ABS_TIMER, IORING_ENTER_NO_IOWAIT})
    void waitFlagsWithoutGeteventsDoNothing(int flags) {
      assertEquals(0, ring.enter(0, 0, flags));
    }

    @Test
    void enterOnAnFdNotOpenIsEbadf() {
      assertErrno(Errno.EBADF, () -> process.enter(9999, 0, 0, 0));
    }

    /**
     * Enter remembers the ring it found for an fd (so that the next enters skip the fd table),
     * which must never outlive the fd: after a close, and a reopen by another ring or by a file,
     * with other rings entered in between, enter acts on what the fd refers to now.
     */
    @Test
    void enterFollowsTheFdAfterCloseReopenAndOtherRings() throws IOException {
      assertEquals(Cqe.of(1, 0), ring.run(Sqe.op(IORING_OP_NOP).userData(1)));
      int fd = ring.fd;
      ring.close();
      assertErrno(Errno.EBADF, () -> process.enter(fd, 0, 0, 0));
      assertErrno(Errno.EBADF, () -> process.enter(fd, 0, 0, 0));
      RawRing other = RawRing.create(process, 8);
      assertEquals(fd, other.fd, "the lowest free fd");
      other.push(Sqe.op(IORING_OP_NOP).userData(2));
      assertEquals(1, process.enter(fd, 1, 1, GETEVENTS));
      assertEquals(java.util.List.of(Cqe.of(2, 0)), other.reap());
      RawRing third = RawRing.create(process, 8);
      assertEquals(Cqe.of(3, 0), third.run(Sqe.op(IORING_OP_NOP).userData(3)));
      assertEquals(Cqe.of(4, 0), other.run(Sqe.op(IORING_OP_NOP).userData(4)));
      other.close();
      int file = openFile("plain", "x", FileFlags.O_RDONLY);
      assertEquals(fd, file);
      assertErrno(Errno.EOPNOTSUPP, () -> process.enter(fd, 0, 0, 0));
      assertEquals(Cqe.of(5, 0), third.run(Sqe.op(IORING_OP_NOP).userData(5)));
      third.close();
    }

    @Test
    void enterOnAFileThatIsNotARingIsEopnotsupp() throws IOException {
      int fd = openFile("plain", "x", FileFlags.O_RDONLY);
      assertErrno(Errno.EOPNOTSUPP, () -> process.enter(fd, 0, 0, 0));
    }

    @Test
    void sqArrayIndexOutOfRangeIsDroppedAndEndsTheBatch() {
      int head = ring.sqHead();
      ring.push(Sqe.nop(21));
      ring.pushWithIndex(Sqe.nop(22), 1000);
      ring.push(Sqe.nop(23));
      assertEquals(1, ring.enter(3, 0, 0));
      assertEquals(head + 2, ring.sqHead());
      assertEquals(1, ring.sqDropped());
      assertEquals(List.of(Cqe.of(21, 0)), ring.reap());
      assertEquals(1, ring.enter(1, 0, 0));
      assertEquals(1, ring.sqDropped());
      assertEquals(List.of(Cqe.of(23, 0)), ring.reap());
    }

    @Test
    void incompleteSubmissionDoesNotWait() {
      ring.push(Sqe.nop(4));
      ring.push(Sqe.op(200).userData(5));
      ring.push(Sqe.nop(6));
      int submitted =
          assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ring.enter(3, 3, GETEVENTS));
      assertEquals(2, submitted);
      assertEquals(2, ring.cqReady());
    }
  }

  /** T4: READ, WRITE, READV and WRITEV on a regular file holding "0123456789". */
  @Nested
  class ReadWrite {
    private RawRing ring;
    private int fd;
    private UserBuffer buf;

    @BeforeEach
    void openFile() throws IOException {
      ring = RawRing.create(process, 16);
      fd = LinuxSemanticsTest.this.openFile("f.txt", "0123456789", FileFlags.O_RDWR);
      buf = UserBuffer.allocate(process, 256);
    }

    private Sqe read(int len, long off) {
      return Sqe.rw(IORING_OP_READ, fd, buf.address(), len, off);
    }

    private Sqe write(String text, long off) {
      UserBuffer src = UserBuffer.allocate(process, text.length()).put(text);
      return Sqe.rw(IORING_OP_WRITE, fd, src.address(), text.length(), off);
    }

    private String fileContent() throws IOException {
      return new String(Files.readAllBytes(dir.resolve("f.txt")), StandardCharsets.ISO_8859_1);
    }

    @Test
    void readAtAnOffsetLeavesTheFilePosition() {
      assertEquals(4, ring.result(read(4, 0)));
      assertEquals("0123", buf.text(4));
      assertEquals(0, process.lseek(fd, 0, FileFlags.SEEK_CUR));
    }

    @Test
    void readAtMinusOneUsesAndAdvancesTheFilePosition() {
      assertEquals(4, ring.result(read(4, -1)));
      assertEquals("0123", buf.text(4));
      assertEquals(4, process.lseek(fd, 0, FileFlags.SEEK_CUR));
      assertEquals(6, ring.result(read(100, -1)), "a short read at end of file");
      assertEquals("456789", buf.text(6));
      assertEquals(10, process.lseek(fd, 0, FileFlags.SEEK_CUR));
    }

    @Test
    void readPastEndOfFileIsZero() {
      assertEquals(0, ring.result(read(4, 100)));
    }

    @Test
    void offsetBelowMinusOneIsEinval() {
      assertEquals(-Errno.EINVAL, ring.result(read(4, -2)));
    }

    @ParameterizedTest(name = "fd {0} is EBADF")
    @ValueSource(ints = {-1, 9999})
    void badFdIsEbadf(int badFd) {
      assertEquals(-Errno.EBADF, ring.result(read(4, 0).fd(badFd)));
    }

    @Test
    void unmappedBufferIsEfault() {
      assertEquals(-Errno.EFAULT, ring.result(read(4, 0).addr(0x10)));
    }

    @Test
    void zeroLengthReadIsZero() {
      assertEquals(0, ring.result(read(0, 0)));
    }

    @Test
    void unknownRwFlagIsEopnotsupp() {
      assertEquals(-Errno.EOPNOTSUPP, ring.result(read(4, 0).opFlags(0x80000000)));
    }

    @Test
    void rwfNowaitReads() {
      assertEquals(4, ring.result(read(4, 0).opFlags(OpFlags.RWF_NOWAIT)));
    }

    @Test
    void bufIndexSpliceFdInAndAddr3AreIgnored() {
      assertEquals(4, ring.result(read(4, 0).bufIndex(3)));
      assertEquals(4, ring.result(read(4, 0).spliceFdIn(5)));
      assertEquals(4, ring.result(read(4, 0).addr3(5)));
    }

    @Test
    void unknownAttrTypeMaskIsEinval() {
      assertEquals(-Errno.EINVAL, ring.result(read(4, 0).pad2(5)));
    }

    @Test
    void idleIoprioIsAccepted() {
      assertEquals(4, ring.result(read(4, 0).ioprio(0x7fff)));
    }

    @Test
    void unregisteredPersonalityIsEinval() {
      assertEquals(-Errno.EINVAL, ring.result(read(4, 0).personality(1)));
    }

    // T16: IOSQE_FIXED_FILE names a registered-file slot, and none can be registered yet.
    @Test
    void fixedFileWithoutRegisteredFilesIsEbadf() {
      assertEquals(-Errno.EBADF, ring.result(read(4, 0).fd(0).flags(SqeFlags.IOSQE_FIXED_FILE)));
    }

    // T31: buffer selection from a group that has no buffers.
    @Test
    void bufferSelectWithoutProvidedBuffersIsEnobufs() {
      Sqe select = read(4, 0).addr(0).flags(SqeFlags.IOSQE_BUFFER_SELECT);
      assertEquals(-Errno.ENOBUFS, ring.result(select));
    }

    @Test
    void writeToAReadOnlyFdIsEbadf() {
      int readOnly = process.openat(FileFlags.AT_FDCWD, "/f.txt", FileFlags.O_RDONLY, 0);
      assertEquals(-Errno.EBADF, ring.result(write("ab", 0).fd(readOnly)));
    }

    @Test
    void readOfADirectoryIsEisdir() throws IOException {
      Files.createDirectory(dir.resolve("d"));
      int dirFd =
          process.openat(FileFlags.AT_FDCWD, "/d", FileFlags.O_RDONLY | FileFlags.O_DIRECTORY, 0);
      assertEquals(-Errno.EISDIR, ring.result(read(4, 0).fd(dirFd)));
    }

    @Test
    void writePastTheEndLeavesAHole() throws IOException {
      assertEquals(2, ring.result(write("XY", 20)));
      assertEquals(22, Files.size(dir.resolve("f.txt")));
      assertEquals("0123456789" + "\0".repeat(10) + "XY", fileContent());
    }

    @Test
    void writeAtMinusOneUsesAndAdvancesTheFilePosition() throws IOException {
      assertEquals(0, process.lseek(fd, 0, FileFlags.SEEK_SET));
      assertEquals(3, ring.result(write("abc", -1)));
      assertEquals(3, process.lseek(fd, 0, FileFlags.SEEK_CUR));
      assertEquals("abc3456789", fileContent());
    }

    @Test
    void readvFillsEachIovecInTurn() {
      UserBuffer iov = UserBuffer.iovecs(process, buf.at(0), 3, buf.at(10), 0, buf.at(20), 4);
      Sqe readv = Sqe.op(IORING_OP_READV).fd(fd).addr(iov.address()).len(3).off(0);
      assertEquals(7, ring.result(readv));
      assertEquals("012", buf.text(3));
      assertEquals(0, buf.buffer().get(10));
      assertEquals("3456", new String(bytes(buf, 20, 4), StandardCharsets.US_ASCII));
    }

    @Test
    void readvOfNoIovecsIsZero() {
      UserBuffer iov = UserBuffer.iovecs(process, buf.address(), 4);
      assertEquals(0, ring.result(Sqe.op(IORING_OP_READV).fd(fd).addr(iov.address()).len(0)));
    }

    @Test
    void readvOfMoreThan1024IovecsIsEinval() {
      UserBuffer iov = UserBuffer.allocate(process, 1025 * 16);
      assertEquals(
          -Errno.EINVAL, ring.result(Sqe.op(IORING_OP_READV).fd(fd).addr(iov.address()).len(1025)));
    }

    @Test
    void readvWithAnUnmappedIovecArrayIsEfault() {
      assertEquals(-Errno.EFAULT, ring.result(Sqe.op(IORING_OP_READV).fd(fd).addr(0x10).len(1)));
    }

    @Test
    void readvIntoAnUnmappedBufferIsEfault() {
      UserBuffer iov = UserBuffer.iovecs(process, 0x10, 4);
      assertEquals(
          -Errno.EFAULT, ring.result(Sqe.op(IORING_OP_READV).fd(fd).addr(iov.address()).len(1)));
    }

    @Test
    void writevWritesTheIovecs() throws IOException {
      UserBuffer src = UserBuffer.allocate(process, 2).put("zz");
      UserBuffer iov = UserBuffer.iovecs(process, src.address(), 2);
      Sqe writev = Sqe.op(IORING_OP_WRITEV).fd(fd).addr(iov.address()).len(1).off(0);
      assertEquals(2, ring.result(writev));
      assertEquals("zz23456789", fileContent());
    }
  }

  /** T4: FSYNC. */
  @Nested
  class Fsync {
    private RawRing ring;
    private int fd;

    @BeforeEach
    void openFile() throws IOException {
      ring = RawRing.create(process, 8);
      fd = LinuxSemanticsTest.this.openFile("f.txt", "0123456789", FileFlags.O_RDWR);
    }

    private Sqe fsync() {
      return Sqe.op(IORING_OP_FSYNC).fd(fd);
    }

    @Test
    void fsyncSucceeds() {
      assertEquals(0, ring.result(fsync()));
      assertEquals(0, ring.result(fsync().opFlags(OpFlags.IORING_FSYNC_DATASYNC)));
      assertEquals(0, ring.result(fsync().off(4).len(4)));
    }

    @Test
    void unknownFsyncFlagIsEinval() {
      assertEquals(-Errno.EINVAL, ring.result(fsync().opFlags(2)));
    }

    @Test
    void addrIsEinval() {
      assertEquals(-Errno.EINVAL, ring.result(fsync().addr(8)));
    }

    @Test
    void badFdIsEbadf() {
      assertEquals(-Errno.EBADF, ring.result(fsync().fd(-1)));
    }
  }

  /** T16, T17: registered buffers and READ_FIXED / WRITE_FIXED. */
  @Nested
  class FixedBuffers {
    private RawRing ring;
    private int fd;
    private UserBuffer buf0;
    private UserBuffer buf1;
    private UserBuffer iovecs;

    @BeforeEach
    void openFile() throws IOException {
      ring = RawRing.create(process, 8);
      fd = LinuxSemanticsTest.this.openFile("f.txt", "abcdefghij", FileFlags.O_RDWR);
      buf0 = UserBuffer.allocate(process, 4096);
      buf1 = UserBuffer.allocate(process, 4096);
      iovecs = UserBuffer.iovecs(process, buf0.address(), 4096, buf1.address(), 4096);
    }

    private void register() {
      assertEquals(
          0,
          process.register(ring.fd, RegisterOpcodes.IORING_REGISTER_BUFFERS, iovecs.address(), 2));
    }

    private Sqe readFixed(int index, long addr, int len) {
      return Sqe.rw(IORING_OP_READ_FIXED, fd, addr, len, 0).bufIndex(index);
    }

    @Test
    void readFixedWithoutRegisteredBuffersIsEfault() {
      assertEquals(-Errno.EFAULT, ring.result(readFixed(0, buf0.address(), 4)));
    }

    @Test
    void readFixedInsideABufferReads() {
      register();
      assertEquals(4, ring.result(readFixed(0, buf0.address(), 4)));
      assertEquals("abcd", buf0.text(4));
      assertEquals(3, ring.result(readFixed(1, buf1.at(100), 3)));
      assertEquals("abc", new String(bytes(buf1, 100, 3), StandardCharsets.US_ASCII));
    }

    @Test
    void readFixedOutsideItsBufferIsEfault() {
      register();
      assertEquals(-Errno.EFAULT, ring.result(readFixed(1, buf0.address(), 4)), "other buffer");
      assertEquals(-Errno.EFAULT, ring.result(readFixed(0, buf0.at(4094), 4)), "crossing end");
      assertEquals(-Errno.EFAULT, ring.result(readFixed(2, buf0.address(), 4)), "no buffer 2");
    }

    @Test
    void writeFixedWrites() throws IOException {
      register();
      buf0.put("XY");
      Sqe write = Sqe.rw(IORING_OP_WRITE_FIXED, fd, buf0.address(), 2, 0).bufIndex(0);
      assertEquals(2, ring.result(write));
      assertEquals("XYcdefghij", Files.readString(dir.resolve("f.txt")));
    }

    @Test
    void readvStillWorksWhileBuffersAreRegistered() {
      register();
      UserBuffer iov = UserBuffer.iovecs(process, buf1.address(), 10);
      assertEquals(10, ring.result(Sqe.op(IORING_OP_READV).fd(fd).addr(iov.address()).len(1)));
    }

    @Test
    void registeringTwiceIsEbusy() {
      register();
      assertErrno(
          Errno.EBUSY,
          () ->
              process.register(
                  ring.fd, RegisterOpcodes.IORING_REGISTER_BUFFERS, iovecs.address(), 2));
    }

    @Test
    void unregisterWithNothingRegisteredIsEnxio() {
      register();
      assertEquals(0, process.register(ring.fd, RegisterOpcodes.IORING_UNREGISTER_BUFFERS, 0, 0));
      assertErrno(
          Errno.ENXIO,
          () -> process.register(ring.fd, RegisterOpcodes.IORING_UNREGISTER_BUFFERS, 0, 0));
      assertEquals(-Errno.EFAULT, ring.result(readFixed(0, buf0.address(), 4)));
    }

    // io_uring_register checks "if (!arg) ret = -EFAULT" before the table (EBUSY) and count.
    @Test
    void registeringANullArrayIsEfault() {
      int op = RegisterOpcodes.IORING_REGISTER_BUFFERS;
      assertErrno(Errno.EFAULT, () -> process.register(ring.fd, op, 0, 0));
      register();
      assertErrno(Errno.EFAULT, () -> process.register(ring.fd, op, 0, 2));
    }

    @Test
    void registeringNoBuffersIsEinval() {
      int op = RegisterOpcodes.IORING_REGISTER_BUFFERS;
      assertErrno(Errno.EINVAL, () -> process.register(ring.fd, op, iovecs.address(), 0));
    }

    @Test
    void registeringAnUnmappedBufferIsEfault() {
      UserBuffer bad = UserBuffer.iovecs(process, 0x10, 4096);
      assertErrno(
          Errno.EFAULT,
          () ->
              process.register(ring.fd, RegisterOpcodes.IORING_REGISTER_BUFFERS, bad.address(), 1));
    }
  }

  /** T2: IORING_REGISTER_PROBE and unknown register opcodes. */
  @Nested
  class Probe {
    private static final int OPS = ProbeLayout.OFF_OPS;

    private RawRing ring;

    @BeforeEach
    void createRing() {
      ring = RawRing.create(process, 4);
    }

    private UserBuffer probe(int slots) {
      return UserBuffer.allocate(process, ProbeLayout.SIZE + slots * ProbeLayout.OP_SIZE);
    }

    private int probe(UserBuffer into, int nrArgs) {
      return process.register(
          ring.fd, RegisterOpcodes.IORING_REGISTER_PROBE, into.address(), nrArgs);
    }

    @Test
    void probeListsExactlyTheImplementedOps() {
      UserBuffer p = probe(256);
      assertEquals(0, probe(p, 256));
      assertEquals(62, p.buffer().get(ProbeLayout.OFF_LAST_OP));
      assertEquals(63, p.buffer().get(ProbeLayout.OFF_OPS_LEN));
      Set<Integer> implemented =
          Set.of(
              IORING_OP_NOP,
              IORING_OP_READV,
              IORING_OP_WRITEV,
              IORING_OP_FSYNC,
              IORING_OP_READ_FIXED,
              IORING_OP_WRITE_FIXED,
              IORING_OP_SYNC_FILE_RANGE,
              IORING_OP_TIMEOUT,
              IORING_OP_TIMEOUT_REMOVE,
              IORING_OP_ASYNC_CANCEL,
              IORING_OP_MSG_RING,
              IORING_OP_LINK_TIMEOUT,
              IORING_OP_FALLOCATE,
              IORING_OP_OPENAT,
              IORING_OP_CLOSE,
              IORING_OP_FILES_UPDATE,
              IORING_OP_STATX,
              IORING_OP_READ,
              IORING_OP_WRITE,
              IORING_OP_FADVISE,
              IORING_OP_OPENAT2,
              IORING_OP_PROVIDE_BUFFERS,
              IORING_OP_REMOVE_BUFFERS,
              IORING_OP_RENAMEAT,
              IORING_OP_UNLINKAT,
              IORING_OP_MKDIRAT,
              IORING_OP_SYMLINKAT,
              IORING_OP_LINKAT,
              IORING_OP_FSETXATTR,
              IORING_OP_SETXATTR,
              IORING_OP_FGETXATTR,
              IORING_OP_GETXATTR,
              IORING_OP_FIXED_FD_INSTALL,
              IORING_OP_FTRUNCATE);
      for (int op = 0; op < 63; op++) {
        int at = OPS + op * ProbeLayout.OP_SIZE;
        assertEquals(op, p.buffer().get(at + ProbeLayout.OP_OFF_OP) & 0xff, "ops[" + op + "].op");
        int flags = p.buffer().getShort(at + ProbeLayout.OP_OFF_FLAGS);
        int expected = implemented.contains(op) ? OpFlags.IO_URING_OP_SUPPORTED : 0;
        assertEquals(expected, flags, "ops[" + op + "].flags");
      }
      assertEquals(0, p.buffer().getLong(OPS + 63 * ProbeLayout.OP_SIZE), "ops[63] untouched");
    }

    @Test
    void probeOfFewerOpsFillsThoseOnly() {
      UserBuffer p = probe(4);
      assertEquals(0, probe(p, 4));
      assertEquals(62, p.buffer().get(ProbeLayout.OFF_LAST_OP));
      assertEquals(4, p.buffer().get(ProbeLayout.OFF_OPS_LEN));
    }

    @Test
    void probeWithNonZeroResvIsEinval() {
      UserBuffer p = probe(256);
      p.buffer().putShort(ProbeLayout.OFF_RESV, (short) 1);
      assertErrno(Errno.EINVAL, () -> probe(p, 256));
    }

    @Test
    void probeOfMoreThan256OpsIsEinval() {
      UserBuffer p = probe(300);
      assertErrno(Errno.EINVAL, () -> probe(p, 300));
    }

    // register.c: "if (!arg || nr_args > 256) ret = -EINVAL", before any copy.
    @Test
    void probeWithoutABufferIsEinval() {
      assertErrno(
          Errno.EINVAL,
          () -> process.register(ring.fd, RegisterOpcodes.IORING_REGISTER_PROBE, 0, 4));
    }

    // io_probe clamps nr_args to IORING_OP_LAST before it copies: only 63 slots are read,
    // checked for zero and written, however many the caller claims.
    @Test
    void probeReadsNoMoreSlotsThanThereAreOps() {
      UserBuffer p = probe(63);
      assertEquals(0, probe(p, 256));
      assertEquals(63, p.buffer().get(ProbeLayout.OFF_OPS_LEN));
    }

    @ParameterizedTest(name = "register opcode {0} is EINVAL")
    @ValueSource(ints = {200, 38})
    void unknownRegisterOpcodesAreEinval(int opcode) {
      assertErrno(Errno.EINVAL, () -> process.register(ring.fd, opcode, 0, 0));
    }
  }

  /** T13, T15, T21: waiting for completions, EXT_ARG and interruption. */
  @Nested
  class Waiting {
    private RawRing ring;

    @BeforeEach
    void createRing() {
      ring = RawRing.create(process, 4);
    }

    private UserBuffer geteventsArg(long timeoutNanos) {
      return UserBuffer.geteventsArg(process, timeoutNanos);
    }

    private UserBuffer timespec(long nanos) {
      return UserBuffer.timespec(process, nanos);
    }

    private int enterExt(int toSubmit, int minComplete, int flags, UserBuffer arg, int size) {
      return process.enter(
          ring.fd, toSubmit, minComplete, flags | IORING_ENTER_EXT_ARG, arg.address(), size);
    }

    @Test
    void timeoutWithNothingToWaitForIsEtime() {
      UserBuffer arg = geteventsArg(TimeUnit.MILLISECONDS.toNanos(30));
      long start = System.nanoTime();
      assertErrno(Errno.ETIME, () -> enterExt(0, 1, GETEVENTS, arg, GeteventsArgLayout.SIZE));
      long waited = System.nanoTime() - start;
      assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(25), "waited " + waited + " ns");
    }

    @Test
    void absoluteTimeoutInThePastIsEtimeAtOnce() {
      UserBuffer arg = UserBuffer.allocate(process, GeteventsArgLayout.SIZE);
      arg.buffer().putLong(GeteventsArgLayout.OFF_TS, timespec(System.nanoTime()).address());
      assertTimeoutPreemptively(
          Duration.ofSeconds(10),
          () ->
              assertErrno(
                  Errno.ETIME,
                  () ->
                      enterExt(
                          0, 1, GETEVENTS | IORING_ENTER_ABS_TIMER, arg, GeteventsArgLayout.SIZE)));
    }

    @Test
    void timeoutWithACqeInTheRingIsNotAnError() {
      ring.push(Sqe.nop(1));
      assertEquals(1, ring.submit());
      UserBuffer arg = geteventsArg(TimeUnit.MILLISECONDS.toNanos(20));
      assertEquals(0, enterExt(0, 2, GETEVENTS, arg, GeteventsArgLayout.SIZE));
      assertEquals(List.of(Cqe.of(1, 0)), ring.reap());
    }

    /**
     * A wait after a submission counts from the application's head: the CQEs that submission posted
     * end it at once when there are enough of them (which the emulator knows without reading the
     * head), while a wait that submits nothing, or a submission that posts too few, still waits for
     * the CQEs the application has not reaped.
     */
    @Test
    void aWaitCountsFromTheHeadWhateverTheLastSubmissionPosted() {
      UserBuffer arg = geteventsArg(TimeUnit.MILLISECONDS.toNanos(30));
      ring.push(Sqe.nop(1));
      assertEquals(1, enterExt(1, 1, GETEVENTS, arg, GeteventsArgLayout.SIZE));
      assertEquals(List.of(Cqe.of(1, 0)), ring.reap());
      long start = System.nanoTime();
      assertErrno(Errno.ETIME, () -> enterExt(0, 1, GETEVENTS, arg, GeteventsArgLayout.SIZE));
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(25), "it waited");
      ring.push(Sqe.nop(2));
      start = System.nanoTime();
      assertEquals(1, enterExt(1, 2, GETEVENTS, arg, GeteventsArgLayout.SIZE));
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(25), "it waited");
      ring.push(Sqe.nop(3));
      assertEquals(1, enterExt(1, 2, GETEVENTS, arg, GeteventsArgLayout.SIZE)); // 2 unreaped
      assertEquals(List.of(Cqe.of(2, 0), Cqe.of(3, 0)), ring.reap());
    }

    @Test
    void extArgOfTheWrongSizeIsEinval() {
      UserBuffer arg = geteventsArg(0);
      assertErrno(Errno.EINVAL, () -> enterExt(0, 1, GETEVENTS, arg, GeteventsArgLayout.SIZE - 1));
    }

    @Test
    void unmappedExtArgIsEfault() {
      assertErrno(
          Errno.EFAULT,
          () ->
              process.enter(
                  ring.fd, 0, 1, GETEVENTS | IORING_ENTER_EXT_ARG, 0x10, GeteventsArgLayout.SIZE));
    }

    // io_uring_enter reads the argument only to wait, after submitting, and reports a wait
    // error only when nothing was submitted.
    @Test
    void badExtArgAfterASubmissionStillReturnsTheCount() {
      UserBuffer arg = geteventsArg(0);
      ring.push(Sqe.nop(1));
      assertEquals(1, enterExt(1, 1, GETEVENTS, arg, GeteventsArgLayout.SIZE - 1));
      assertEquals(List.of(Cqe.of(1, 0)), ring.reap());
    }

    @Test
    void extArgIsNotReadWithoutGetevents() {
      ring.push(Sqe.nop(1));
      assertEquals(
          1, process.enter(ring.fd, 1, 0, IORING_ENTER_EXT_ARG, 0x10, GeteventsArgLayout.SIZE));
      assertEquals(List.of(Cqe.of(1, 0)), ring.reap());
    }

    // io_cqring_wait applies the signal mask only once it has to sleep.
    @Test
    void sigmaskIsCheckedOnlyWhenTheCallMustSleep() {
      UserBuffer sigset = UserBuffer.allocate(process, 8);
      ring.push(Sqe.nop(1));
      assertEquals(1, process.enter(ring.fd, 1, 1, GETEVENTS, sigset.address(), 4));
      assertEquals(0, process.enter(ring.fd, 0, 0, GETEVENTS, 0x10, 8));
      assertEquals(List.of(Cqe.of(1, 0)), ring.reap());
      assertErrno(Errno.EFAULT, () -> process.enter(ring.fd, 0, 1, GETEVENTS, 0x10, 8));
    }

    @Test
    void geteventsWithMinCompleteZeroReturnsAtOnce() {
      int res =
          assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ring.enter(0, 0, GETEVENTS));
      assertEquals(0, res);
    }

    @Test
    void minCompleteIsClampedToTheCqSize() {
      for (int i = 0; i < 8; i++) {
        ring.push(Sqe.nop(i));
        if (ring.sqPending() == 4) {
          assertEquals(4, ring.submit());
        }
      }
      assertEquals(8, ring.cqReady());
      int res =
          assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ring.enter(0, 9, GETEVENTS));
      assertEquals(0, res);
    }

    @Test
    void interruptedWaitIsEintr() throws Exception {
      CompletableFuture<ErrnoException> failure = new CompletableFuture<>();
      Thread waiter =
          new Thread(
              () -> {
                try {
                  ring.enter(0, 1, GETEVENTS);
                  failure.completeExceptionally(new AssertionError("enter returned"));
                } catch (ErrnoException e) {
                  failure.complete(e);
                }
              });
      waiter.start();
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (waiter.getState() != Thread.State.WAITING && System.nanoTime() < giveUp) {
        Thread.sleep(1); // interrupting earlier would also give EINTR, but test less
      }
      waiter.interrupt();
      ErrnoException e;
      try {
        e = failure.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException wrapped) {
        throw new AssertionError(wrapped.getCause());
      }
      assertEquals(Errno.EINTR, e.errno());
      waiter.join(10_000);
    }
  }

  private static byte[] bytes(UserBuffer buf, int offset, int length) {
    byte[] out = new byte[length];
    buf.buffer().get(offset, out);
    return out;
  }
}
