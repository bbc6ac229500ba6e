package iouring.core.conformance;

import static iouring.api.abi.Opcodes.IORING_OP_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import iouring.api.IoUring;
import iouring.api.IoUringProcess;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the timeout and drain tests share: a process and a ring set up by the test, CQEs as values,
 * timespecs in user memory, and the SQEs and reaping they script with.
 */
abstract class RingScript {
  IoUringProcess process;
  IoUring ring;

  /** A CQE as a value, for comparisons. */
  record C(long userData, int res, int flags) {
    static C of(long userData, int res) {
      return new C(userData, res, 0);
    }
  }

  /** Maps a {@code struct __kernel_timespec} and returns its user address. */
  long timespec(long sec, long nsec) {
    ByteBuffer ts = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    ts.putLong(0, sec).putLong(8, nsec);
    return process.memory().map(ts);
  }

  long ms(long millis) {
    return timespec(millis / 1000, (millis % 1000) * 1_000_000L);
  }

  void timeout(long userData, long ts, long count, int flags, int sqeFlags) {
    ring.getSqe()
        .prepRw(IORING_OP_TIMEOUT, -1, ts, 1, count)
        .rwFlags(flags)
        .flags(sqeFlags)
        .userData(userData);
  }

  void nop(long userData, int sqeFlags) {
    ring.getSqe().prepNop().flags(sqeFlags).userData(userData);
  }

  /** Reaps every CQE ready now. */
  List<C> reap() {
    List<C> all = new ArrayList<>();
    for (var cqe = ring.peekCqe(); cqe != null; cqe = ring.peekCqe()) {
      all.add(new C(cqe.userData(), cqe.res(), cqe.flags()));
      ring.cqeSeen(cqe);
    }
    return all;
  }

  /** Waits for {@code n} CQEs, each within 5 s, and reaps them. */
  List<C> waitFor(int n) {
    List<C> all = new ArrayList<>();
    while (all.size() < n) {
      var cqe = ring.waitCqe(5, TimeUnit.SECONDS);
      assertNotNull(cqe, "CQE " + all.size() + " after " + all);
      all.add(new C(cqe.userData(), cqe.res(), cqe.flags()));
      ring.cqeSeen(cqe);
    }
    return all;
  }
}
