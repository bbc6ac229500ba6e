package iouring.core.conformance;

import static iouring.api.abi.EnterFlags.IORING_ENTER_GETEVENTS;
import static iouring.api.abi.Opcodes.IORING_OP_TIMEOUT;
import static iouring.api.abi.RegisterOpcodes.IORING_REGISTER_ENABLE_RINGS;
import static iouring.api.abi.RegisterOpcodes.IORING_REGISTER_PROBE;
import static iouring.api.abi.SetupFlags.*;
import static iouring.core.conformance.Syscalls.assertErrno;
import static iouring.core.conformance.Syscalls.elsewhere;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.RingFlags;
import iouring.core.Kernel;
import iouring.vfs.memory.MemoryProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code IORING_SETUP_DEFER_TASKRUN}, line by line as {@code docs/probes/defer-taskrun.c} asked
 * Linux 6.18: the flags it needs and refuses, what only the submitter may do, and when CQEs show.
 */
class DeferTaskrunTest {
  private static final int DEFER = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER;

  private IoUringProcess process;

  @BeforeEach
  void start() {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new MemoryProvider());
    process = kernel.newProcess();
  }

  @AfterEach
  void stop() {
    process.close();
  }

  private int setup(int flags) {
    int fd = process.setup(4, new IoUringParams().flags(flags));
    process.close(fd);
    return 0;
  }

  private long timespec(long sec, long nsec) {
    ByteBuffer ts = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    ts.putLong(0, sec).putLong(8, nsec);
    return process.memory().map(ts);
  }

  @Test
  void setupTakesItOnlyWithSingleIssuerAndWithoutSqpoll() {
    assertErrno(Errno.EINVAL, () -> setup(IORING_SETUP_DEFER_TASKRUN)); // S1
    assertEquals(0, setup(DEFER)); // S2
    assertEquals(0, setup(DEFER | IORING_SETUP_COOP_TASKRUN)); // S3
    assertEquals(0, setup(DEFER | IORING_SETUP_TASKRUN_FLAG)); // S4: no COOP needed with it
    assertErrno(Errno.EINVAL, () -> setup(DEFER | IORING_SETUP_SQPOLL)); // S5
    assertEquals(0, setup(DEFER | IORING_SETUP_R_DISABLED)); // S6
    assertErrno(Errno.EINVAL, () -> setup(IORING_SETUP_TASKRUN_FLAG)); // S7
  }

  @Test
  void anotherThreadMayNeitherWaitNorSubmitNorRegister() throws Exception {
    RawRing ring = RawRing.create(process, 8, new IoUringParams().flags(DEFER)); // T2
    assertEquals(-Errno.EEXIST, elsewhere(() -> ring.enter(0, 0, IORING_ENTER_GETEVENTS)));
    assertEquals(-Errno.EEXIST, elsewhere(() -> ring.enter(0, 1, IORING_ENTER_GETEVENTS)));
    assertEquals(0, elsewhere(() -> ring.enter(0, 0, 0)));
    ring.push(Sqe.nop(5));
    assertEquals(-Errno.EEXIST, elsewhere(() -> ring.enter(1, 0, 0)));
    assertEquals(
        -Errno.EEXIST, elsewhere(() -> process.register(ring.fd, IORING_REGISTER_PROBE, 0, 0)));
    assertEquals(1, ring.enter(1, 1, IORING_ENTER_GETEVENTS));
    assertEquals(List.of(new Cqe(5, 0, 0)), ring.reap());
  }

  @Test
  void whatCompletesInASubmissionShowsAtOnce() {
    RawRing ring =
        RawRing.create(
            process, 8, new IoUringParams().flags(DEFER | IORING_SETUP_TASKRUN_FLAG)); // C1, K1
    ring.push(Sqe.nop(8));
    assertEquals(1, ring.enter(1, 0, 0));
    assertEquals(1, ring.cqReady());
    assertEquals(0, ring.sqFlags() & RingFlags.IORING_SQ_TASKRUN);
    assertEquals(List.of(new Cqe(8, 0, 0)), ring.reap());
  }

  @Test
  void whatCompletesLaterShowsAtTheSubmittersNextWait() {
    RawRing ring =
        RawRing.create(process, 8, new IoUringParams().flags(DEFER | IORING_SETUP_TASKRUN_FLAG));
    ring.push(Sqe.op(IORING_OP_TIMEOUT).addr(timespec(0, 1_000_000)).len(1).userData(9)); // K3
    assertEquals(1, ring.enter(1, 0, 0));
    long deadline = System.nanoTime() + 5_000_000_000L;
    while ((ring.sqFlags() & RingFlags.IORING_SQ_TASKRUN) == 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
    // K4: the timeout fired, but its CQE waits for the submitter; TASKRUN says so.
    assertNotEquals(0, ring.sqFlags() & RingFlags.IORING_SQ_TASKRUN);
    assertEquals(0, ring.cqReady());
    assertEquals(0, ring.enter(0, 0, 0)); // K4b: an enter that does not wait changes nothing
    assertEquals(0, ring.cqReady());
    assertEquals(0, ring.enter(0, 0, IORING_ENTER_GETEVENTS)); // K5
    assertEquals(0, ring.sqFlags() & RingFlags.IORING_SQ_TASKRUN);
    assertEquals(List.of(new Cqe(9, -Errno.ETIME, 0)), ring.reap());
    // K6: a wait for it ends when it fires.
    ring.push(Sqe.op(IORING_OP_TIMEOUT).addr(timespec(0, 1_000_000)).len(1).userData(10));
    assertEquals(1, ring.enter(1, 1, IORING_ENTER_GETEVENTS));
    assertEquals(0, ring.sqFlags() & RingFlags.IORING_SQ_TASKRUN);
    assertEquals(List.of(new Cqe(10, -Errno.ETIME, 0)), ring.reap());
  }

  @Test
  void aRingEnabledLaterDefersToTheThreadThatEnablesIt() throws Exception {
    RawRing ring =
        RawRing.create(process, 8, new IoUringParams().flags(DEFER | IORING_SETUP_R_DISABLED));
    assertEquals(0, elsewhere(() -> process.register(ring.fd, IORING_REGISTER_ENABLE_RINGS, 0, 0)));
    assertErrno(Errno.EEXIST, () -> ring.enter(0, 0, IORING_ENTER_GETEVENTS));
  }
}
