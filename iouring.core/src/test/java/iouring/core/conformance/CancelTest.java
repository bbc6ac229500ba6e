package iouring.core.conformance;

import static iouring.api.abi.OpFlags.*;
import static iouring.api.abi.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.SqeFlags;
import iouring.core.Kernel;
import iouring.core.task.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ASYNC_CANCEL, as liburing's io-cancel.c checks it and as Linux 6.18 answered (T10, T12, T25, and
 * {@code docs/probes/cancel-running.c} for work on workers). Reads of {@code /gated} wait at a gate
 * the test opens: a request running on a worker for as long as the test needs.
 */
class CancelTest {
  private final GatedReads gated = new GatedReads("/gated");
  private IoUringProcess process;
  private IoUring ring;
  private long longTime;
  private int fd;
  private long buf;

  @BeforeEach
  void start() {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, gated.provider());
    process = kernel.newProcess();
    ring = IoUring.queueInit(process, 64, new IoUringParams());
    fd = process.openat(FileFlags.AT_FDCWD, "/gated", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
    buf = process.memory().map(ByteBuffer.allocateDirect(4096));
    ring.getSqe().prepWrite(fd, buf, 16, 0);
    ring.submitAndWait(1);
    ring.cqeSeen(ring.peekCqe());
    ByteBuffer ts = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    ts.putLong(0, 3600).putLong(8, 0);
    longTime = process.memory().map(ts);
  }

  @AfterEach
  void stop() {
    gated.open(); // lets the workers go, whatever a failing test left waiting
    ring.close();
    process.close();
  }

  /** Queues a 16-byte read of the gated file on a worker. */
  private void gatedRead(long userData) {
    ring.getSqe().prepRead(fd, buf, 16, 0).flags(SqeFlags.IOSQE_ASYNC).userData(userData);
  }

  private void timeout(long userData) {
    ring.getSqe().prepRw(IORING_OP_TIMEOUT, -1, longTime, 1, 0).userData(userData);
  }

  private void cancel(long target, int flags, long userData) {
    ring.getSqe()
        .prepRw(IORING_OP_ASYNC_CANCEL, -1, target, 0, 0)
        .rwFlags(flags)
        .userData(userData);
  }

  /** Waits for {@code n} CQEs and returns each user_data's results, in the order posted. */
  private Map<Long, List<Integer>> waitFor(int n) {
    Map<Long, List<Integer>> all = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Cqe cqe = ring.waitCqe(10, TimeUnit.SECONDS);
      assertNotNull(cqe, "CQE " + i + " of " + n);
      all.computeIfAbsent(cqe.userData(), k -> new ArrayList<>()).add(cqe.res());
      ring.cqeSeen(cqe);
    }
    return all;
  }

  private Map<Long, Integer> reap() {
    Map<Long, Integer> all = new HashMap<>();
    for (Cqe cqe = ring.peekCqe(); cqe != null; cqe = ring.peekCqe()) {
      all.put(cqe.userData(), cqe.res());
      ring.cqeSeen(cqe);
    }
    return all;
  }

  @Test
  void cancelsATimeoutByUserData() {
    timeout(79);
    cancel(79, 0, 5);
    ring.submit();
    assertEquals(Map.of(79L, -Errno.ECANCELED, 5L, 0), reap());
  }

  @Test
  void nothingToCancelIsEnoentButAllGivesZero() {
    cancel(1234, 0, 1);
    cancel(1234, IORING_ASYNC_CANCEL_ALL, 2);
    cancel(0, IORING_ASYNC_CANCEL_ANY, 3);
    ring.submit();
    assertEquals(Map.of(1L, -Errno.ENOENT, 2L, 0, 3L, 0), reap());
  }

  @Test
  void allAndAnyCountWhatTheyCancel() {
    timeout(7);
    timeout(7);
    timeout(8);
    cancel(7, IORING_ASYNC_CANCEL_ALL, 1);
    ring.submit();
    Map<Long, Integer> got = reap();
    assertEquals(2, got.get(1L));
    assertEquals(-Errno.ECANCELED, got.get(7L));
    cancel(0, IORING_ASYNC_CANCEL_ANY, 2);
    ring.submit();
    assertEquals(Map.of(8L, -Errno.ECANCELED, 2L, 1), reap());
  }

  @Test
  void byOpcode() {
    timeout(9);
    ring.getSqe()
        .prepRw(IORING_OP_ASYNC_CANCEL, -1, 0, IORING_OP_TIMEOUT, 0)
        .rwFlags(IORING_ASYNC_CANCEL_OP | IORING_ASYNC_CANCEL_ALL)
        .userData(1);
    ring.submit();
    assertEquals(Map.of(9L, -Errno.ECANCELED, 1L, 1), reap());
  }

  @Test
  void prepChecks() {
    ring.getSqe().prepRw(IORING_OP_ASYNC_CANCEL, -1, 1, 0, 5).userData(1); // off != 0
    ring.submit();
    cancel(1, 1 << 7, 2);
    ring.submit();
    cancel(1, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_FD, 3);
    ring.submit();
    cancel(1, 0, 4);
    ring.getSqe().flags(0);
    ring.submit();
    ring.getSqe()
        .prepRw(IORING_OP_ASYNC_CANCEL, -1, 1, 0, 0)
        .flags(SqeFlags.IOSQE_BUFFER_SELECT)
        .userData(5);
    ring.submit();
    Map<Long, Integer> got = reap();
    assertEquals(-Errno.EINVAL, got.get(1L));
    assertEquals(-Errno.EINVAL, got.get(2L));
    assertEquals(-Errno.EINVAL, got.get(3L));
    assertEquals(-Errno.EOPNOTSUPP, got.get(5L), "T12: buffer select is caught before prep");
  }

  @Test
  void aRunningRequestIsEalreadyAndCompletesWithItsOwnResult() throws InterruptedException {
    gatedRead(1);
    ring.submit();
    gated.awaitEntered(1); // a worker runs it, inside the provider's read
    cancel(1, 0, 2);
    ring.submit();
    assertEquals(Map.of(2L, -Errno.EALREADY), reap(), "R1: found, but running");
    ring.getSqe()
        .prepRw(IORING_OP_ASYNC_CANCEL, fd, 0, 0, 0)
        .rwFlags(IORING_ASYNC_CANCEL_FD)
        .userData(3);
    ring.submit();
    assertEquals(Map.of(3L, -Errno.EALREADY), reap(), "R4: by fd too");
    ring.getSqe()
        .prepRw(IORING_OP_TIMEOUT_REMOVE, -1, 1, 0, 0)
        .userData(4); // TIMEOUT_REMOVE looks at timeouts only
    ring.submit();
    assertEquals(Map.of(4L, -Errno.ENOENT), reap(), "R7");
    gated.open();
    assertEquals(Map.of(1L, List.of(16)), waitFor(1), "a read is not interrupted");
  }

  @Test
  void allAndAnyFindButDoNotCountARunningRequest() throws InterruptedException {
    gatedRead(1);
    timeout(3);
    ring.submit();
    gated.awaitEntered(1);
    cancel(1, IORING_ASYNC_CANCEL_ALL, 10);
    ring.getSqe()
        .prepRw(IORING_OP_ASYNC_CANCEL, -1, 0, IORING_OP_READ, 0)
        .rwFlags(IORING_ASYNC_CANCEL_OP | IORING_ASYNC_CANCEL_ALL)
        .userData(11);
    ring.submit();
    assertEquals(Map.of(10L, 0, 11L, 0), reap(), "R2, R5: Linux counts only what it cancelled");
    cancel(0, IORING_ASYNC_CANCEL_ANY, 12);
    ring.submit();
    assertEquals(Map.of(12L, 1, 3L, -Errno.ECANCELED), reap(), "R6: the timeout counts");
    gated.open();
    assertEquals(Map.of(1L, List.of(16)), waitFor(1));
  }

  @Test
  void queuedWorkIsCancelledButCountedAsLinuxCountsIt() throws InterruptedException {
    // Fill every worker with a read at the gate: what follows waits queued (Linux's pending io-wq
    // work, as probe cancel-running.c makes it with IORING_REGISTER_IOWQ_MAX_WORKERS).
    for (int i = 0; i < Task.MAX_WORKERS; i++) {
      gatedRead(100 + i);
    }
    ring.submit();
    gated.awaitEntered(Task.MAX_WORKERS);

    gatedRead(1);
    cancel(1, 0, 20);
    ring.submit();
    assertEquals(Map.of(1L, -Errno.ECANCELED, 20L, 0), reap(), "Q1: a queued request");

    gatedRead(100);
    cancel(100, IORING_ASYNC_CANCEL_ALL, 21);
    ring.submit();
    assertEquals(
        Map.of(100L, -Errno.ECANCELED, 21L, 0),
        reap(),
        "Q2: the queued one is cancelled, but the running match makes Linux count nothing");

    gatedRead(2);
    gatedRead(2);
    cancel(2, IORING_ASYNC_CANCEL_ALL, 22);
    ring.submit();
    Map<Long, List<Integer>> got = waitFor(3);
    assertEquals(List.of(-Errno.ECANCELED, -Errno.ECANCELED), got.get(2L));
    assertEquals(List.of(1), got.get(22L), "Q4: one search cancelled both, and counts once");

    gatedRead(100);
    timeout(100);
    cancel(100, IORING_ASYNC_CANCEL_ALL, 23);
    ring.submit();
    got = waitFor(3);
    assertEquals(List.of(-Errno.ECANCELED, -Errno.ECANCELED), got.get(100L));
    assertEquals(List.of(1), got.get(23L), "Q5: only the timeout counts");

    gatedRead(3);
    gatedRead(4);
    cancel(0, IORING_ASYNC_CANCEL_ANY, 24);
    ring.submit();
    assertEquals(
        Map.of(3L, -Errno.ECANCELED, 4L, -Errno.ECANCELED, 24L, 0), reap(), "Q3: ANY counts 0");

    gated.open();
    got = waitFor(Task.MAX_WORKERS);
    for (int i = 0; i < Task.MAX_WORKERS; i++) {
      assertEquals(List.of(16), got.get(100L + i), "the running reads complete on their own");
    }
  }
}
