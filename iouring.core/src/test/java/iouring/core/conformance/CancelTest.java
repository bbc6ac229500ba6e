package iouring.core.conformance;

import static iouring.api.abi.OpFlags.*;
import static iouring.api.abi.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.SqeFlags;
import iouring.core.Kernel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ASYNC_CANCEL, as liburing's io-cancel.c checks it and as Linux 6.18 answered (T10, T12, T25). */
class CancelTest {
  private IoUringProcess process;
  private IoUring ring;
  private long longTime;

  @BeforeEach
  void start() {
    process = new Kernel().newProcess();
    ring = IoUring.queueInit(process, 16, new IoUringParams());
    ByteBuffer ts = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    ts.putLong(0, 3600).putLong(8, 0);
    longTime = process.memory().map(ts);
  }

  @AfterEach
  void stop() {
    ring.close();
    process.close();
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
}
