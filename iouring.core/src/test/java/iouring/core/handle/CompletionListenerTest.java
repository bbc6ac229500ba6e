package iouring.core.handle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.Cqe;
import iouring.api.ErrnoException;
import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.ParamsLayout;
import iouring.api.abi.RingFlags;
import iouring.core.Kernel;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The completion listener: the emulator's IORING_REGISTER_EVENTFD. */
class CompletionListenerTest {
  private IoUringProcess process;
  private IoUring ring;
  private final AtomicInteger calls = new AtomicInteger();

  @BeforeEach
  void start() {
    process = new Kernel().newProcess();
    ring = IoUring.queueInit(process, 8, new IoUringParams());
  }

  @AfterEach
  void stop() {
    ring.close();
    process.close();
  }

  @Test
  void runsOnceForEachSubmissionThatPostedCompletions() {
    ring.registerCompletionListener(calls::incrementAndGet);
    nops(3);
    assertEquals(1, calls.get(), "three CQEs from one submission: one call");
    nops(1);
    assertEquals(2, calls.get());
    ring.submit();
    assertEquals(2, calls.get(), "a submission that posted nothing does not call");
  }

  @Test
  void cqEventfdDisabledSilencesIt() {
    IoUringParams params = new IoUringParams();
    int fd = process.setup(4, params);
    ByteBuffer rings = process.mmap(fd, 0, 4096);
    int cqFlags = params.cqOff(ParamsLayout.CQ_OFF_FLAGS);
    process.registerCompletionListener(fd, calls::incrementAndGet);
    rings.putInt(cqFlags, RingFlags.IORING_CQ_EVENTFD_DISABLED);
    // The SQ array and the SQEs start zeroed: slot 0 holds index 0, and a zeroed SQE is a NOP.
    rings.putInt(params.sqOff(ParamsLayout.SQ_OFF_TAIL), 1);
    assertEquals(1, process.enter(fd, 1, 0, 0));
    assertEquals(0, calls.get());
    rings.putInt(cqFlags, 0);
    rings.putInt(params.sqOff(ParamsLayout.SQ_OFF_TAIL), 2);
    assertEquals(1, process.enter(fd, 1, 0, 0));
    assertEquals(1, calls.get());
    process.close(fd);
  }

  @Test
  void completesAFutureWithoutAWaitingThread() throws Exception {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    ring.registerCompletionListener(() -> ready.complete(null));
    ring.getSqe().prepNop().userData(9);
    ring.submit();
    ready.get(5, TimeUnit.SECONDS);
    Cqe cqe = ring.peekCqe();
    assertEquals(9, cqe.userData());
    ring.cqeSeen(cqe);
  }

  @Test
  void aThrowingListenerDoesNotBreakEnter() {
    AtomicInteger reported = new AtomicInteger();
    Thread.UncaughtExceptionHandler previous = Thread.currentThread().getUncaughtExceptionHandler();
    Thread.currentThread().setUncaughtExceptionHandler((t, e) -> reported.incrementAndGet());
    try {
      ring.registerCompletionListener(
          () -> {
            throw new IllegalStateException("listener bug");
          });
      assertEquals(1, nops(1));
      assertEquals(1, reported.get(), "reported, not swallowed");
    } finally {
      Thread.currentThread().setUncaughtExceptionHandler(previous);
    }
  }

  @Test
  void registrationErrorsAreTheEventfdOnes() {
    ring.registerCompletionListener(calls::incrementAndGet);
    assertEquals(
        Errno.EBUSY,
        assertThrows(ErrnoException.class, () -> ring.registerCompletionListener(() -> {}))
            .errno());
    ring.unregisterCompletionListener();
    assertEquals(
        Errno.ENXIO,
        assertThrows(ErrnoException.class, () -> ring.unregisterCompletionListener()).errno());
    nops(1);
    assertEquals(0, calls.get());
    assertTrue(
        assertThrows(ErrnoException.class, () -> process.registerCompletionListener(99, () -> {}))
                .errno()
            == Errno.EBADF);
  }

  private int nops(int n) {
    for (int i = 0; i < n; i++) {
      ring.getSqe().prepNop().userData(i);
    }
    int submitted = ring.submit();
    for (int i = 0; i < n; i++) {
      ring.cqeSeen(ring.peekCqe());
    }
    return submitted;
  }
}
