package iouring.core.conformance;

import static iouring.api.abi.EnterFlags.IORING_ENTER_GETEVENTS;
import static iouring.api.abi.EnterFlags.IORING_ENTER_SQ_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.FileFlags;
import iouring.api.abi.SetupFlags;
import iouring.core.Kernel;
import iouring.vfs.memory.MemoryProvider;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A full submission queue, as liburing's sq-full.c, sq-space_left.c and sqwait.c check it, with
 * Linux 6.18's results (T29 in {@code linux-probes/out-live5.txt}, Q1 to Q4 in {@code
 * docs/probes/feature-tests.c}): the application may queue {@code sq_entries} SQEs, the kernel
 * consumes at most that many whatever the tail says, and {@code IORING_ENTER_SQ_WAIT} lets an
 * SQPOLL ring's application wait for room.
 */
@Timeout(10)
class SqFullTest {
  private IoUringProcess process;

  @BeforeEach
  void startProcess() {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new MemoryProvider());
    process = kernel.newProcess();
  }

  @AfterEach
  void endProcess() {
    process.close();
  }

  // ---- T29 ----

  @Test
  void fullSqSubmitsInOneEnter() {
    RawRing big = RawRing.create(process, 16);
    for (int i = 0; i < 16; i++) {
      big.push(Sqe.nop(i));
    }
    assertEquals(16, big.sqPending());
    assertEquals(16, big.submitAndWait(16));
    assertEquals(16, big.reap().size());
  }

  // ---- sq-full.c, sq-space_left.c ----

  @Test
  void getSqeHandsOutSqEntriesSqesThenNone() {
    try (IoUring ring = IoUring.queueInit(process, 8, 0)) {
      int got = 0;
      while (ring.getSqe() != null) {
        got++;
      }
      assertEquals(8, got);
    }
  }

  @Test
  void spaceLeftCountsDownToZeroAndSubmittingGivesItBack() {
    try (IoUring ring = IoUring.queueInit(process, 8, 0)) {
      assertEquals(8, ring.sqSpaceLeft());
      for (int i = 1; i <= 8; i++) {
        var sqe = ring.getSqe();
        assertNotNull(sqe, "SQE " + i);
        sqe.prepNop();
        assertEquals(8 - i, ring.sqSpaceLeft());
      }
      assertNull(ring.getSqe());
      assertEquals(8, ring.submit());
      assertEquals(8, ring.sqSpaceLeft());
    }
  }

  /**
   * A tail published 12 past the head of an 8-entry SQ: the kernel takes 8 (Linux's {@code
   * io_sqring_entries} clamps to {@code sq_entries}), the next enter the other 4 (Q2).
   */
  @Test
  void aTailPastTheSqSizeIsClampedToIt() {
    RawRing ring = RawRing.create(process, 8);
    for (int i = 0; i < 8; i++) {
      ring.writeSqe(i, Sqe.nop(i));
      ring.sqArray(i, i);
    }
    int head = ring.sqHead();
    ring.sqTail(head + 12);
    assertEquals(8, ring.enter(12, 0, 0));
    assertEquals(head + 8, ring.sqHead());
    assertEquals(8, ring.reap().size());
    assertEquals(4, ring.enter(12, 0, 0));
    assertEquals(head + 12, ring.sqHead());
    assertEquals(List.of(Cqe.of(0, 0), Cqe.of(1, 0), Cqe.of(2, 0), Cqe.of(3, 0)), ring.reap());
  }

  // ---- sqwait.c ----

  /** {@code SQ_WAIT} on a ring without SQPOLL: accepted, nothing to wait for (Q3). */
  @Test
  void sqWaitWithoutSqPollReturnsAtOnce() {
    RawRing ring = RawRing.create(process, 8);
    assertEquals(0, ring.enter(0, 0, IORING_ENTER_SQ_WAIT));
  }

  /**
   * 2000 reads through an 8-entry SQPOLL ring, submitted one by one, with up to 128 in flight (the
   * CQ of 16 overflows into the backlog): whenever {@code getSqe} finds the SQ full, an enter with
   * {@code SQ_WAIT} returns once there is room, and the next {@code getSqe} always succeeds
   * (liburing's {@code io_uring_sqring_wait}). An enter with {@code SQ_WAIT} and room to spare
   * returns at once (Q4).
   */
  @Test
  void sqWaitAlwaysLeavesRoomForTheNextSqe() {
    IoUringParams sqpoll =
        new IoUringParams().flags(SetupFlags.IORING_SETUP_SQPOLL).sqThreadIdle(1000);
    int fd =
        process.openat(FileFlags.AT_FDCWD, "/sqwait", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
    UserBuffer block = UserBuffer.allocate(process, 4096);
    try (IoUring ring = IoUring.queueInit(process, 8, sqpoll)) {
      ring.getSqe().prepWrite(fd, block.address(), 4096, 0);
      ring.submitAndWait(1);
      ring.cqeSeen(ring.peekCqe());
      assertEquals(0, process.enter(ring.ringFd(), 0, 0, IORING_ENTER_SQ_WAIT));
      UserBuffer buffers = UserBuffer.allocate(process, 256 * 4096);
      int inflight = 0;
      for (int i = 0; i < 2000; i++) {
        var sqe = ring.getSqe();
        if (sqe == null) {
          assertEquals(0, process.enter(ring.ringFd(), 0, 0, IORING_ENTER_SQ_WAIT));
          sqe = ring.getSqe();
          assertNotNull(sqe, "no SQE after SQ_WAIT, read " + i);
        }
        sqe.prepRead(fd, buffers.at((i % 256) * 4096), 4096, 0).userData(i);
        ring.submit();
        inflight++;
        while (inflight >= 128) {
          var cqe = ring.waitCqe();
          assertEquals(4096, cqe.res(), "read " + cqe.userData());
          ring.cqeSeen(cqe);
          inflight--;
        }
      }
      while (inflight > 0) {
        var cqe = ring.waitCqe();
        assertEquals(4096, cqe.res(), "read " + cqe.userData());
        ring.cqeSeen(cqe);
        inflight--;
      }
      assertEquals(0, process.enter(ring.ringFd(), 0, 0, IORING_ENTER_GETEVENTS));
    }
  }
}
