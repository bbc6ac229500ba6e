package iouring.core.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.Cqe;
import iouring.api.ErrnoException;
import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.EnterFlags;
import iouring.api.abi.Errno;
import iouring.api.abi.Features;
import iouring.api.abi.GeteventsArgLayout;
import iouring.api.abi.ParamsLayout;
import iouring.api.abi.RingFlags;
import iouring.api.abi.SetupFlags;
import iouring.core.Kernel;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SQPOLL, as liburing's sqpoll-sleep.c and Linux 6.18 (T20) show it. */
class SqPollTest {
  private IoUringProcess process;

  @BeforeEach
  void start() {
    process = new Kernel().newProcess();
  }

  @AfterEach
  void stop() {
    process.close();
  }

  private static IoUringParams sqpoll(int idleMillis) {
    return new IoUringParams().flags(SetupFlags.IORING_SETUP_SQPOLL).sqThreadIdle(idleMillis);
  }

  @Test
  void theThreadSubmitsWithoutEnter() {
    IoUringParams params = sqpoll(1000);
    int fd = process.setup(4, params);
    assertTrue((params.features() & Features.IORING_FEAT_SQPOLL_NONFIXED) != 0);
    ByteBuffer rings = process.mmap(fd, 0, 4096);
    // A zeroed SQE is a NOP and the SQ array starts zeroed: publishing the tail is enough.
    rings.putInt(params.sqOff(ParamsLayout.SQ_OFF_TAIL), 1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (rings.getInt(params.cqOff(ParamsLayout.CQ_OFF_TAIL)) != 1
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(1, rings.getInt(params.cqOff(ParamsLayout.CQ_OFF_TAIL)), "no enter was called");
    assertEquals(1, rings.getInt(params.sqOff(ParamsLayout.SQ_OFF_HEAD)));
    assertEquals(7, process.enter(fd, 7, 0, 0), "enter on an SQPOLL ring returns to_submit");
    process.close(fd);
  }

  /**
   * A wait on an SQPOLL ring counts from the application's head, even right after the thread
   * published CQEs: the application reaped them, so the wait sleeps until its deadline.
   */
  @Test
  void aWaitAfterTheThreadPublishedCountsFromTheHead() {
    RawRing ring = RawRing.create(process, 4, sqpoll(1000));
    ring.push(iouring.core.conformance.Sqe.nop(1));
    ring.enter(0, 1, EnterFlags.IORING_ENTER_GETEVENTS); // the thread submits, this waits
    assertEquals(java.util.List.of(iouring.core.conformance.Cqe.of(1, 0)), ring.reap());
    UserBuffer arg = UserBuffer.geteventsArg(process, TimeUnit.MILLISECONDS.toNanos(30));
    long start = System.nanoTime();
    ErrnoException e =
        assertThrows(
            ErrnoException.class,
            () ->
                process.enter(
                    ring.fd,
                    0,
                    1,
                    EnterFlags.IORING_ENTER_GETEVENTS | EnterFlags.IORING_ENTER_EXT_ARG,
                    arg.address(),
                    GeteventsArgLayout.SIZE));
    assertEquals(Errno.ETIME, e.errno());
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(25), "it waited");
    ring.close();
  }

  @Test
  void anIdleThreadAsksToBeWokenAndTheHandleWakesIt() throws InterruptedException {
    try (IoUring ring = IoUring.queueInit(process, 8, sqpoll(10))) {
      ByteBuffer rings = process.mmap(ring.ringFd(), 0, 4096);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while ((rings.getInt(276) & RingFlags.IORING_SQ_NEED_WAKEUP) == 0
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertTrue((rings.getInt(276) & RingFlags.IORING_SQ_NEED_WAKEUP) != 0, "sq_flags 0x1");
      for (int i = 0; i < 3; i++) {
        ring.getSqe().prepNop().userData(i);
      }
      ring.submit(); // sees NEED_WAKEUP and enters with IORING_ENTER_SQ_WAKEUP, as liburing
      for (int i = 0; i < 3; i++) {
        Cqe cqe = ring.waitCqe(5, TimeUnit.SECONDS);
        assertNotNull(cqe);
        assertEquals(i, cqe.userData());
        ring.cqeSeen(cqe);
      }
    }
  }

  @Test
  void closingTheRingEndsItsThread() throws InterruptedException {
    int fd = process.setup(4, sqpoll(10));
    process.close(fd);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (sqpollThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(0, sqpollThreads(), "no SQPOLL thread outlives its ring");
  }

  @Test
  void sqAffNeedsSqpoll() {
    assertEquals(
        Errno.EINVAL,
        assertThrows(
                ErrnoException.class,
                () -> process.setup(4, new IoUringParams().flags(SetupFlags.IORING_SETUP_SQ_AFF)))
            .errno());
    int fd =
        process.setup(
            4,
            new IoUringParams()
                .flags(SetupFlags.IORING_SETUP_SQPOLL | SetupFlags.IORING_SETUP_SQ_AFF));
    assertFalse(fd < 0);
    assertEquals(0, process.enter(fd, 0, 0, EnterFlags.IORING_ENTER_SQ_WAKEUP));
    process.close(fd);
  }

  private static long sqpollThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("iouring-sqpoll") && t.isAlive())
        .count();
  }
}
