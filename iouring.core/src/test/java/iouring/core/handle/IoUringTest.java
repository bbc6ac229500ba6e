package iouring.core.handle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.Cqe;
import iouring.api.ErrnoException;
import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.Sqe;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.IovecLayout;
import iouring.api.abi.OpFlags;
import iouring.api.abi.Opcodes;
import iouring.api.abi.OpenHowLayout;
import iouring.api.abi.SetupFlags;
import iouring.api.abi.SqeFlags;
import iouring.api.abi.Statx;
import iouring.core.Kernel;
import iouring.vfs.host.HostProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests every verb of the liburing-style handle against the emulated kernel. */
class IoUringTest {
  @TempDir Path dir;

  private IoUringProcess process;

  @BeforeEach
  void newProcess() throws java.io.IOException {
    Kernel kernel = new Kernel();
    kernel.addProvider("host", new HostProvider(dir));
    process = kernel.newProcess();
  }

  @AfterEach
  void endProcess() {
    process.close();
  }

  @Test
  void nopRoundTrip() {
    try (IoUring ring = IoUring.queueInit(process, 8, 0)) {
      assertSame(process, ring.process());
      assertTrue(ring.ringFd() >= 0);
      ring.getSqe().prepNop().userData(42);
      assertEquals(1, ring.submit());
      Cqe cqe = ring.waitCqe();
      assertEquals(42, cqe.userData());
      assertEquals(0, cqe.res());
      assertEquals(0, cqe.flags());
      ring.cqeSeen(cqe);
      assertEquals(0, ring.cqReady());
      assertNull(ring.peekCqe());
    }
  }

  @Test
  void nopRoundTripsInBatchesOf32() {
    try (IoUring ring = IoUring.queueInit(process, 32, 0)) {
      Cqe[] batch = new Cqe[32];
      for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 32; i++) {
          ring.getSqe().prepNop().userData(round * 100L + i);
        }
        assertNull(ring.getSqe(), "the SQ holds 32");
        assertEquals(32, ring.submit());
        assertEquals(32, ring.cqReady());
        assertEquals(32, ring.peekBatchCqe(batch));
        for (int i = 0; i < 32; i++) {
          assertEquals(round * 100L + i, batch[i].userData());
          assertEquals(0, batch[i].res());
        }
        ring.cqAdvance(32);
        assertEquals(0, ring.cqReady());
      }
    }
  }

  @Test
  void getSqeReturnsNullWhenTheSqIsFull() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      for (int i = 0; i < 4; i++) {
        assertNotNull(ring.getSqe());
      }
      assertNull(ring.getSqe());
      assertNull(ring.getSqe(), "still full: a null getSqe takes nothing");
      assertEquals(4, ring.submit());
      assertNotNull(ring.getSqe(), "consumed SQEs free their slots");
    }
  }

  @Test
  void getSqeSeesSlotsAnSqPollThreadFreedWithoutAnEnter() throws InterruptedException {
    // The handle keeps the SQ head it last read; when the queue looks full it must read the ring
    // again, since the kernel's thread moves the head on its own.
    try (IoUring ring =
        IoUring.queueInit(process, 4, new IoUringParams().flags(SetupFlags.IORING_SETUP_SQPOLL))) {
      for (int i = 0; i < 4; i++) {
        ring.getSqe().prepNop().userData(i);
      }
      ring.submit(); // publishes; the thread consumes the four on its own
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (ring.sqReady() != 0 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertEquals(0, ring.sqReady());
      for (int i = 0; i < 4; i++) {
        assertNotNull(ring.getSqe(), "slot " + i + " was freed by the thread");
      }
      assertNull(ring.getSqe());
    }
  }

  @Test
  void reapingFollowsTheHeadTheHandleStored() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      for (int round = 0; round < 5; round++) { // wraps the 8-entry CQ
        for (int i = 0; i < 3; i++) {
          ring.getSqe().prepNop().userData(round * 10 + i);
        }
        assertEquals(3, ring.submitAndWait(3));
        assertEquals(3, ring.cqReady());
        Cqe first = ring.peekCqe();
        assertEquals(round * 10, first.userData());
        ring.cqeSeen(first);
        Cqe[] rest = new Cqe[4];
        assertEquals(2, ring.peekBatchCqe(rest));
        assertEquals(round * 10 + 1, rest[0].userData());
        assertEquals(round * 10 + 2, rest[1].userData());
        ring.cqAdvance(2);
        assertEquals(0, ring.cqReady());
        assertNull(ring.peekCqe());
      }
    }
  }

  @Test
  void queuesCountReadyAndFreeEntries() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      assertEquals(0, ring.sqReady());
      assertEquals(4, ring.sqSpaceLeft());
      assertEquals(0, ring.cqReady());
      ring.getSqe().prepNop();
      ring.getSqe().prepNop();
      ring.getSqe().prepNop();
      assertEquals(3, ring.sqReady());
      assertEquals(1, ring.sqSpaceLeft());
      assertEquals(0, ring.cqReady());
      assertEquals(3, ring.submit());
      assertEquals(0, ring.sqReady());
      assertEquals(4, ring.sqSpaceLeft());
      assertEquals(3, ring.cqReady());
      ring.cqeSeen(ring.peekCqe());
      assertEquals(2, ring.cqReady());
    }
  }

  @Test
  void submitWithNothingPendingReturnsZero() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      assertEquals(0, ring.submit());
      ring.getSqe().prepNop();
      assertEquals(1, ring.submit());
      assertEquals(0, ring.submit(), "an SQE is submitted once");
    }
  }

  @Test
  void submitAndWaitReturnsWithTheCqesReady() {
    try (IoUring ring = IoUring.queueInit(process, 8, 0)) {
      for (int i = 0; i < 3; i++) {
        ring.getSqe().prepNop().userData(i);
      }
      assertEquals(3, ring.submitAndWait(3));
      assertEquals(3, ring.cqReady());
    }
  }

  @Test
  void peekCqeReturnsNullWhenNothingIsReady() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      assertNull(ring.peekCqe());
      ring.getSqe().prepNop();
      assertNull(ring.peekCqe(), "not submitted yet");
    }
  }

  @Test
  void peekCqeReturnsTheSameCqeUntilSeen() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      ring.getSqe().prepNop().userData(1);
      ring.getSqe().prepNop().userData(2);
      ring.submit();
      Cqe first = ring.peekCqe();
      assertSame(first, ring.peekCqe());
      assertEquals(1, first.userData());
      ring.cqeSeen(first);
      assertEquals(2, ring.peekCqe().userData());
    }
  }

  @Test
  void waitCqeWithTimeoutReturnsNullOnceTheTimeHasPassed() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      long start = System.nanoTime();
      assertNull(ring.waitCqe(50, TimeUnit.MILLISECONDS));
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
      assertNull(ring.waitCqe(0, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  void waitCqeWithTimeoutReturnsAReadyCqe() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      ring.getSqe().prepNop().userData(5);
      ring.submit();
      Cqe cqe = ring.waitCqe(10, TimeUnit.SECONDS);
      assertEquals(5, cqe.userData());
      ring.cqeSeen(cqe);
      assertEquals(0, ring.cqReady());
    }
  }

  @Test
  void waitCqeWaitsForACompletionFromAnotherThread() throws Exception {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      CompletableFuture<Long> reaped =
          CompletableFuture.supplyAsync(
              () -> {
                Cqe cqe = ring.waitCqe();
                long userData = cqe.userData();
                ring.cqeSeen(cqe);
                return userData;
              });
      Thread.sleep(20);
      ring.getSqe().prepNop().userData(9);
      ring.submit();
      assertEquals(9, reaped.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void waitCqeWithTimeoutWaitsForACompletionFromAnotherThread() throws Exception {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      CompletableFuture<Long> reaped =
          CompletableFuture.supplyAsync(
              () -> {
                Cqe cqe = ring.waitCqe(10, TimeUnit.SECONDS);
                long userData = cqe.userData();
                ring.cqeSeen(cqe);
                return userData;
              });
      Thread.sleep(20);
      ring.getSqe().prepNop().userData(11);
      ring.submit();
      assertEquals(11, reaped.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void cqAdvanceAndCqeSeenHandSlotsBack() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      for (int i = 0; i < 4; i++) {
        ring.getSqe().prepNop().userData(i);
      }
      ring.submit();
      ring.cqeSeen(null);
      assertEquals(4, ring.cqReady(), "a null CQE is ignored");
      ring.cqeSeen(ring.peekCqe());
      assertEquals(1, ring.peekCqe().userData());
      ring.cqAdvance(0);
      assertEquals(1, ring.peekCqe().userData());
      ring.cqAdvance(2);
      assertEquals(3, ring.peekCqe().userData());
      ring.cqAdvance(1);
      assertEquals(0, ring.cqReady());
    }
  }

  @Test
  void peekBatchCqeStopsAtTheArrayLengthAndAtTheTail() {
    try (IoUring ring = IoUring.queueInit(process, 8, 0)) {
      for (int i = 0; i < 5; i++) {
        ring.getSqe().prepNop().userData(i);
      }
      ring.submit();
      Cqe[] three = new Cqe[3];
      assertEquals(3, ring.peekBatchCqe(three));
      assertEquals(0, three[0].userData());
      assertEquals(2, three[2].userData());
      ring.cqAdvance(3);
      Cqe[] eight = new Cqe[8];
      assertEquals(2, ring.peekBatchCqe(eight));
      assertEquals(3, eight[0].userData());
      assertEquals(4, eight[1].userData());
      ring.cqAdvance(2);
      assertEquals(0, ring.peekBatchCqe(eight));
    }
  }

  @Test
  void cqesWrapAroundTheRing() {
    try (IoUring ring = IoUring.queueInit(process, 2, 0)) {
      for (int i = 0; i < 100; i++) {
        ring.getSqe().prepNop().userData(i);
        ring.submit();
        Cqe cqe = ring.peekCqe();
        assertEquals(i, cqe.userData());
        ring.cqeSeen(cqe);
      }
    }
  }

  @Test
  void peekCqeFlushesCompletionsHeldBackByAFullQueue() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      for (int i = 0; i < 16; i++) {
        ring.getSqe().prepNop().userData(i);
        if (ring.sqSpaceLeft() == 0) {
          assertEquals(4, ring.submit());
        }
      }
      assertEquals(8, ring.cqReady(), "the CQ holds 2 x 4");
      assertTrue(ring.cqHasOverflow());
      for (int i = 0; i < 16; i++) {
        Cqe cqe = ring.peekCqe();
        assertNotNull(cqe, "CQE " + i);
        assertEquals(i, cqe.userData());
        ring.cqeSeen(cqe);
      }
      assertNull(ring.peekCqe());
      assertFalse(ring.cqHasOverflow());
    }
  }

  @Test
  void submitFlushesCompletionsHeldBackByAFullQueue() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      for (int i = 0; i < 12; i++) {
        ring.getSqe().prepNop().userData(i);
        if (ring.sqSpaceLeft() == 0) {
          ring.submit();
        }
      }
      assertTrue(ring.cqHasOverflow());
      ring.cqAdvance(8);
      assertEquals(0, ring.cqReady(), "held back until the kernel is entered");
      // As liburing: a submit with nothing to submit still enters with GETEVENTS to flush.
      assertEquals(0, ring.submit());
      assertEquals(4, ring.cqReady());
      assertFalse(ring.cqHasOverflow());
      assertEquals(8, ring.peekCqe().userData());
    }
  }

  @Test
  void peekBatchCqeFlushesCompletionsHeldBackByAFullQueue() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      for (int i = 0; i < 12; i++) {
        ring.getSqe().prepNop().userData(i);
        if (ring.sqSpaceLeft() == 0) {
          ring.submit();
        }
      }
      Cqe[] batch = new Cqe[16];
      assertEquals(8, ring.peekBatchCqe(batch));
      ring.cqAdvance(8);
      assertEquals(4, ring.peekBatchCqe(batch));
      assertEquals(8, batch[0].userData());
      assertEquals(11, batch[3].userData());
      ring.cqAdvance(4);
      assertFalse(ring.cqHasOverflow());
    }
  }

  @Test
  void getSqeZeroesTheSlot() {
    try (IoUring ring = IoUring.queueInit(process, 1, 0)) {
      ring.getSqe().prepNop().userData(1).ioprio(1);
      ring.submit();
      Cqe cqe = ring.peekCqe();
      assertEquals(-Errno.EINVAL, cqe.res(), "NOP takes no ioprio");
      ring.cqeSeen(cqe);
      ring.getSqe().prepNop().userData(2); // the same slot, with ioprio cleared
      ring.submit();
      cqe = ring.peekCqe();
      assertEquals(2, cqe.userData());
      assertEquals(0, cqe.res());
    }
  }

  @Test
  void flagsReachTheKernel() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      ring.getSqe().prepNop().userData(1).flags(SqeFlags.IOSQE_CQE_SKIP_SUCCESS);
      ring.getSqe().prepNop().userData(2).flags(0x80);
      ring.submit();
      Cqe cqe = ring.peekCqe();
      assertEquals(2, cqe.userData(), "the skipped NOP posted nothing");
      assertEquals(-Errno.EINVAL, cqe.res(), "bit 7 is no IOSQE flag");
    }
  }

  @Test
  void readsAndWritesAFile() throws Exception {
    try (IoUring ring = IoUring.queueInit(process, 8, 0)) {
      int fd =
          process.openat(FileFlags.AT_FDCWD, "/data", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
      ByteBuffer out = ByteBuffer.wrap("hello, ring".getBytes(StandardCharsets.US_ASCII));
      long outAddress = process.memory().map(out);
      ByteBuffer in = ByteBuffer.allocate(64);
      long inAddress = process.memory().map(in);

      ring.getSqe().prepWrite(fd, outAddress, out.capacity(), 0).userData(1);
      ring.getSqe().prepFsync(fd, OpFlags.IORING_FSYNC_DATASYNC).userData(2);
      ring.getSqe().prepRead(fd, inAddress, 64, 0).userData(3);
      assertEquals(3, ring.submitAndWait(3));
      Cqe[] cqes = new Cqe[3];
      assertEquals(3, ring.peekBatchCqe(cqes));
      assertEquals(11, cqes[0].res());
      assertEquals(0, cqes[1].res());
      assertEquals(11, cqes[2].res());
      ring.cqAdvance(3);
      assertEquals("hello, ring", new String(in.array(), 0, 11, StandardCharsets.US_ASCII));
      assertEquals("hello, ring", Files.readString(dir.resolve("data")));
    }
  }

  /** Maps a NUL-terminated copy of {@code path}, as C passes one. */
  private long cString(String path) {
    byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocateDirect(bytes.length + 1);
    b.put(0, bytes);
    return process.memory().map(b);
  }

  /** Submits what is queued, waits for one CQE and returns its result. */
  private static int result(IoUring ring) {
    ring.submitAndWait(1);
    Cqe cqe = ring.waitCqe();
    int res = cqe.res();
    ring.cqeSeen(cqe);
    return res;
  }

  @Test
  void managesFilesWithThePrepHelpers() throws Exception {
    try (IoUring ring = IoUring.queueInit(process, 8, 0)) {
      int at = FileFlags.AT_FDCWD;
      ring.getSqe().prepMkdirat(at, cString("/d"), 0755);
      assertEquals(0, result(ring));
      ring.getSqe().prepOpenat(at, cString("/d/f"), FileFlags.O_CREAT | FileFlags.O_RDWR, 0644);
      int fd = result(ring);
      assertTrue(fd >= 0);
      ByteBuffer out = ByteBuffer.wrap("0123456789".getBytes(StandardCharsets.US_ASCII));
      ring.getSqe().prepWrite(fd, process.memory().map(out), 10, 0);
      assertEquals(10, result(ring));
      ring.getSqe().prepFtruncate(fd, 4);
      assertEquals(0, result(ring));
      ring.getSqe().prepFallocate(fd, 0, 0, 8);
      assertEquals(0, result(ring));
      ring.getSqe().prepFadvise(fd, 0, 0, FileFlags.POSIX_FADV_SEQUENTIAL);
      assertEquals(0, result(ring));
      ring.getSqe().prepSyncFileRange(fd, 0, 0, FileFlags.SYNC_FILE_RANGE_WRITE);
      assertEquals(0, result(ring));
      ByteBuffer statx = ByteBuffer.allocateDirect(Statx.STATX_SIZE_BYTES);
      statx.order(ByteOrder.nativeOrder());
      ring.getSqe()
          .prepStatx(
              fd,
              cString(""),
              FileFlags.AT_EMPTY_PATH,
              Statx.STATX_SIZE,
              process.memory().map(statx));
      assertEquals(0, result(ring));
      assertEquals(8, statx.getLong(Statx.OFF_STX_SIZE));
      ring.getSqe().prepClose(fd);
      assertEquals(0, result(ring));
      ring.getSqe().prepSymlinkat(cString("f"), at, cString("/d/s"));
      assertEquals(0, result(ring));
      ring.getSqe().prepLinkat(at, cString("/d/f"), at, cString("/d/h"), 0);
      assertEquals(0, result(ring));
      ring.getSqe().prepRenameat(at, cString("/d/h"), at, cString("/d/g"), 0);
      assertEquals(0, result(ring));
      assertEquals("0123\0\0\0\0", Files.readString(dir.resolve("d/g")));
      ByteBuffer how = ByteBuffer.allocateDirect(OpenHowLayout.SIZE).order(ByteOrder.nativeOrder());
      how.putLong(OpenHowLayout.OFF_RESOLVE, FileFlags.RESOLVE_NO_SYMLINKS);
      ring.getSqe().prepOpenat2(at, cString("/d/s"), process.memory().map(how));
      assertEquals(-Errno.ELOOP, result(ring));
      ring.getSqe().prepFgetxattr(fd, cString("user.x"), 0, 0); // closed above
      assertEquals(-Errno.EBADF, result(ring));
      for (String name : new String[] {"/d/s", "/d/g", "/d/f"}) {
        ring.getSqe().prepUnlinkat(at, cString(name), 0);
        assertEquals(0, result(ring));
      }
      ring.getSqe().prepUnlinkat(at, cString("/d"), FileFlags.AT_REMOVEDIR);
      assertEquals(0, result(ring));
      assertFalse(Files.exists(dir.resolve("d")));
    }
  }

  @Test
  void readsAndWritesAFileWithIovecs() throws Exception {
    try (IoUring ring = IoUring.queueInit(process, 8, 0)) {
      int fd =
          process.openat(FileFlags.AT_FDCWD, "/vec", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
      ByteBuffer a = ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII));
      ByteBuffer b = ByteBuffer.wrap("defg".getBytes(StandardCharsets.US_ASCII));
      ByteBuffer c = ByteBuffer.allocate(7);
      ByteBuffer iovecs = ByteBuffer.allocate(3 * IovecLayout.SIZE).order(ByteOrder.nativeOrder());
      long iovecsAddress = process.memory().map(iovecs);
      iovecs.putLong(0, process.memory().map(a)).putLong(8, 3);
      iovecs.putLong(16, process.memory().map(b)).putLong(24, 4);
      iovecs.putLong(32, process.memory().map(c)).putLong(40, 7);

      ring.getSqe().prepWritev(fd, iovecsAddress, 2, 0);
      ring.submit();
      Cqe cqe = ring.waitCqe();
      assertEquals(7, cqe.res());
      ring.cqeSeen(cqe);
      ring.getSqe().prepReadv(fd, iovecsAddress + 2 * IovecLayout.SIZE, 1, 0);
      ring.submit();
      cqe = ring.waitCqe();
      assertEquals(7, cqe.res());
      ring.cqeSeen(cqe);
      assertEquals("abcdefg", new String(c.array(), StandardCharsets.US_ASCII));
    }
  }

  @Test
  void rwFlagsAndIoprioReachTheKernel() throws Exception {
    // SUBMIT_ALL: a request that fails its prep would otherwise end the batch.
    try (IoUring ring = IoUring.queueInit(process, 8, SetupFlags.IORING_SETUP_SUBMIT_ALL)) {
      int fd =
          process.openat(FileFlags.AT_FDCWD, "/log", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
      ByteBuffer text = ByteBuffer.wrap("xy".getBytes(StandardCharsets.US_ASCII));
      long address = process.memory().map(text);
      ring.getSqe().prepWrite(fd, address, 2, 0).ioprio(2 << 13 | 4); // best effort, level 4
      ring.getSqe().prepWrite(fd, address, 2, 0).ioprio(4 << 13); // no such class
      ring.getSqe().prepWrite(fd, address, 2, 0).rwFlags(OpFlags.RWF_APPEND);
      ring.getSqe().prepWrite(fd, address, 2, 0).rwFlags(OpFlags.RWF_ATOMIC);
      assertEquals(4, ring.submitAndWait(4));
      Cqe[] cqes = new Cqe[4];
      assertEquals(4, ring.peekBatchCqe(cqes));
      assertEquals(2, cqes[0].res());
      assertEquals(-Errno.EINVAL, cqes[1].res(), "ioprio class 4 is refused");
      assertEquals(2, cqes[2].res(), "appended");
      assertEquals(-Errno.EOPNOTSUPP, cqes[3].res(), "RWF_ATOMIC is refused");
      ring.cqAdvance(4);
      assertEquals("xyxy", Files.readString(dir.resolve("log")));
    }
  }

  @Test
  void registeredBuffersCarryFixedReadsAndWrites() throws Exception {
    try (IoUring ring = IoUring.queueInit(process, 8, 0)) {
      int fd =
          process.openat(FileFlags.AT_FDCWD, "/fixed", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
      ByteBuffer source = ByteBuffer.allocateDirect(4096);
      ByteBuffer target = ByteBuffer.allocateDirect(4096);
      byte[] pattern = new byte[4096];
      for (int i = 0; i < pattern.length; i++) {
        pattern[i] = (byte) (i * 31);
      }
      source.put(0, pattern);
      ring.registerBuffers(source, target);

      ring.getSqe().prepWriteFixed(fd, ring.bufferAddress(0), 4096, 0, 0).userData(1);
      ring.submit();
      Cqe cqe = ring.waitCqe();
      assertEquals(4096, cqe.res());
      ring.cqeSeen(cqe);
      // Half the file into the second half of the target: addresses inside a buffer work too.
      ring.getSqe().prepReadFixed(fd, ring.bufferAddress(1) + 2048, 2048, 0, 1).userData(2);
      ring.submit();
      cqe = ring.waitCqe();
      assertEquals(2048, cqe.res());
      ring.cqeSeen(cqe);

      byte[] read = new byte[2048];
      target.get(2048, read);
      byte[] expected = new byte[2048];
      System.arraycopy(pattern, 0, expected, 0, 2048);
      assertArrayEquals(expected, read);
      assertArrayEquals(pattern, Files.readAllBytes(dir.resolve("fixed")));

      ring.getSqe().prepReadFixed(fd, ring.bufferAddress(1), 4097, 0, 1);
      ring.submit();
      cqe = ring.waitCqe();
      assertEquals(-Errno.EFAULT, cqe.res(), "past the end of the registered buffer");
      ring.cqeSeen(cqe);
    }
  }

  @Test
  void registeringTwiceFailsAndUnregisteringUnmaps() {
    try (IoUring ring = IoUring.queueInit(process, 8, 0)) {
      ring.registerBuffers(ByteBuffer.allocate(64));
      long address = ring.bufferAddress(0);
      ErrnoException busy =
          assertThrows(ErrnoException.class, () -> ring.registerBuffers(ByteBuffer.allocate(64)));
      assertEquals(Errno.EBUSY, busy.errno());
      assertEquals(address, ring.bufferAddress(0), "the registered buffer is untouched");
      assertThrows(IndexOutOfBoundsException.class, () -> ring.bufferAddress(1));

      ring.unregisterBuffers();
      assertThrows(IndexOutOfBoundsException.class, () -> ring.bufferAddress(0));
      ErrnoException unmapped =
          assertThrows(ErrnoException.class, () -> process.memory().unmap(address));
      assertEquals(Errno.EINVAL, unmapped.errno(), "unregistering unmapped the buffer");
      ErrnoException none = assertThrows(ErrnoException.class, ring::unregisterBuffers);
      assertEquals(Errno.ENXIO, none.errno());
    }
  }

  @Test
  void registersMoreBuffersThanTheScratchMemoryHolds() {
    try (IoUring ring = IoUring.queueInit(process, 8, 0)) {
      ByteBuffer[] buffers = new ByteBuffer[300];
      for (int i = 0; i < buffers.length; i++) {
        buffers[i] = ByteBuffer.allocate(16);
      }
      ring.registerBuffers(buffers);
      ring.getSqe().prepNop().userData(1);
      ring.submit();
      assertEquals(0, ring.waitCqe().res());
      assertTrue(ring.bufferAddress(299) > ring.bufferAddress(0));
    }
  }

  @Test
  void probeReportsTheImplementedOpcodes() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      assertTrue(ring.opSupported(Opcodes.IORING_OP_NOP));
      assertTrue(ring.opSupported(Opcodes.IORING_OP_READ));
      assertTrue(ring.opSupported(Opcodes.IORING_OP_WRITE_FIXED));
      assertFalse(ring.opSupported(Opcodes.IORING_OP_SEND));
      assertFalse(ring.opSupported(Opcodes.IORING_OP_LAST));
      assertFalse(ring.opSupported(255));
      assertFalse(ring.opSupported(-1));
    }
  }

  @Test
  void queueInitTakesSetupFlagsOrParams() {
    try (IoUring ring = IoUring.queueInit(process, 4, SetupFlags.IORING_SETUP_NO_SQARRAY)) {
      for (int i = 0; i < 10; i++) {
        ring.getSqe().prepNop().userData(i);
        ring.submit();
        Cqe cqe = ring.waitCqe();
        assertEquals(i, cqe.userData());
        ring.cqeSeen(cqe);
      }
    }
    IoUringParams params = new IoUringParams().flags(SetupFlags.IORING_SETUP_CQSIZE).cqEntries(64);
    try (IoUring ring = IoUring.queueInit(process, 4, params)) {
      assertEquals(64, params.cqEntries());
      for (int i = 0; i < 64; i++) {
        ring.getSqe().prepNop();
        if (ring.sqSpaceLeft() == 0) {
          ring.submit();
        }
      }
      assertEquals(64, ring.cqReady(), "the CQ holds what CQSIZE asked for");
      assertFalse(ring.cqHasOverflow());
    }
  }

  @Test
  void queueInitReportsSetupErrors() {
    ErrnoException e = assertThrows(ErrnoException.class, () -> IoUring.queueInit(process, 0, 0));
    assertEquals(Errno.EINVAL, e.errno());
  }

  @Test
  void closeReleasesTheFdAndWhatTheHandleMapped() {
    IoUring ring = IoUring.queueInit(process, 4, 0);
    int fd = ring.ringFd();
    ring.registerBuffers(ByteBuffer.allocate(64));
    long buffer = ring.bufferAddress(0);
    ring.close();
    assertEquals(-1, ring.ringFd());
    ErrnoException closed = assertThrows(ErrnoException.class, () -> process.enter(fd, 0, 0, 0));
    assertEquals(Errno.EBADF, closed.errno());
    ErrnoException unmapped =
        assertThrows(ErrnoException.class, () -> process.memory().unmap(buffer));
    assertEquals(Errno.EINVAL, unmapped.errno());
    ring.close(); // a second close does nothing

    ring.getSqe().prepNop();
    ErrnoException late = assertThrows(ErrnoException.class, ring::submit);
    assertEquals(Errno.EBADF, late.errno());
  }

  @Test
  void aRegisteredRingFdIsWhatTheHandleEntersBy() {
    IoUring ring = IoUring.queueInit(process, 4, 0);
    int fd = ring.ringFd();
    assertEquals(1, ring.registerRingFd());
    assertEquals(Errno.EEXIST, assertThrows(ErrnoException.class, ring::registerRingFd).errno());
    // Slot 0 of this thread: enter by index works, and the handle uses it.
    assertEquals(
        0, process.enter(0, 0, 0, iouring.api.abi.EnterFlags.IORING_ENTER_REGISTERED_RING));
    process.close(fd); // the fd is gone; the registered index still reaches the ring
    ring.getSqe().prepNop().userData(5);
    assertEquals(1, ring.submitAndWait(1));
    Cqe cqe = ring.waitCqe(1, TimeUnit.SECONDS);
    assertEquals(5, cqe.userData());
    ring.cqeSeen(cqe);
    assertEquals(1, ring.unregisterRingFd());
    assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, ring::unregisterRingFd).errno());
    ring.getSqe().prepNop();
    assertEquals(
        Errno.EBADF,
        assertThrows(ErrnoException.class, ring::submit).errno(),
        "by its fd again, which is closed");
    assertEquals(
        Errno.EBADF,
        assertThrows(ErrnoException.class, ring::close).errno(),
        "the fd was closed behind the handle's back");
  }

  @Test
  void closeUnregistersTheRingFd() {
    IoUring ring = IoUring.queueInit(process, 4, 0);
    ring.registerRingFd();
    ring.close();
    assertEquals(
        Errno.EBADF,
        assertThrows(
                ErrnoException.class,
                () ->
                    process.enter(0, 0, 0, iouring.api.abi.EnterFlags.IORING_ENTER_REGISTERED_RING))
            .errno(),
        "the slot was emptied, so the ring could go");
  }

  @Test
  void aDeferTaskrunRingShowsLateCompletionsToWaitsAndPeeks() throws Exception {
    int flags =
        SetupFlags.IORING_SETUP_SINGLE_ISSUER
            | SetupFlags.IORING_SETUP_DEFER_TASKRUN
            | SetupFlags.IORING_SETUP_TASKRUN_FLAG;
    try (IoUring ring = IoUring.queueInit(process, 8, flags)) {
      ByteBuffer ts = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
      ts.putLong(0, 0).putLong(8, 1_000_000); // 1 ms
      long tsAddress = process.memory().map(ts);
      ring.getSqe().prepRw(Opcodes.IORING_OP_TIMEOUT, -1, tsAddress, 1, 0).userData(3);
      ring.submit();
      Cqe cqe = ring.waitCqe(); // enters with GETEVENTS, which shows it
      assertEquals(3, cqe.userData());
      assertEquals(-Errno.ETIME, cqe.res());
      ring.cqeSeen(cqe);

      ring.getSqe().prepRw(Opcodes.IORING_OP_TIMEOUT, -1, tsAddress, 1, 0).userData(4);
      ring.submit();
      Cqe peeked = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (peeked == null && System.nanoTime() < deadline) {
        Thread.sleep(1);
        peeked = ring.peekCqe(); // IORING_SQ_TASKRUN makes it enter, as liburing's peek
      }
      assertNotNull(peeked, "a peek finds the fired timeout");
      assertEquals(4, peeked.userData());
      ring.cqeSeen(peeked);
    }
  }

  @Test
  void sqeSettersChain() {
    try (IoUring ring = IoUring.queueInit(process, 4, 0)) {
      Sqe sqe = ring.getSqe();
      assertSame(sqe, sqe.prepRw(Opcodes.IORING_OP_NOP, -1, 0, 0, 0));
      assertSame(sqe, sqe.userData(3).flags(0).ioprio(0).rwFlags(0));
      ring.submit();
      assertEquals(3, ring.waitCqe().userData());
    }
  }
}
