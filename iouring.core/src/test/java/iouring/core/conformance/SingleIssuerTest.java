package iouring.core.conformance;

import static iouring.api.abi.EnterFlags.IORING_ENTER_GETEVENTS;
import static iouring.api.abi.RegisterOpcodes.*;
import static iouring.api.abi.SetupFlags.*;
import static iouring.core.conformance.Syscalls.assertErrno;
import static iouring.core.conformance.Syscalls.elsewhere;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.RingFlags;
import iouring.core.Kernel;
import iouring.vfs.memory.MemoryProvider;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code IORING_SETUP_SINGLE_ISSUER}, {@code COOP_TASKRUN} and {@code TASKRUN_FLAG}, as liburing's
 * single-issuer.c and a probe on Linux 6.18: another thread's submission or registration is {@code
 * EEXIST}, its wait is allowed.
 */
class SingleIssuerTest {
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

  @Test
  void onlyTheCreatingThreadSubmitsAndRegisters() throws Exception {
    RawRing ring =
        RawRing.create(process, 8, new IoUringParams().flags(IORING_SETUP_SINGLE_ISSUER));
    ring.push(Sqe.nop(9));
    assertEquals(-Errno.EEXIST, elsewhere(() -> ring.enter(1, 0, 0)));
    assertEquals(0, elsewhere(() -> ring.enter(0, 0, IORING_ENTER_GETEVENTS)));
    assertEquals(
        -Errno.EEXIST, elsewhere(() -> process.register(ring.fd, IORING_REGISTER_PROBE, 0, 0)));
    assertEquals(1, ring.submitAndWait(1));
    assertEquals(List.of(new Cqe(9, 0, 0)), ring.reap());
  }

  @Test
  void aRingCreatedDisabledBelongsToTheThreadThatEnablesIt() throws Exception {
    RawRing ring =
        RawRing.create(
            process,
            8,
            new IoUringParams().flags(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_R_DISABLED));
    ring.push(Sqe.nop(1));
    int submitted =
        elsewhere(
            () -> {
              process.register(ring.fd, IORING_REGISTER_ENABLE_RINGS, 0, 0);
              return ring.submit();
            });
    assertEquals(1, submitted);
    assertEquals(List.of(new Cqe(1, 0, 0)), ring.reap());
    ring.push(Sqe.nop(2));
    assertErrno(Errno.EEXIST, () -> ring.submit()); // the creating thread is not the submitter
    assertErrno(Errno.EEXIST, () -> process.register(ring.fd, IORING_REGISTER_PROBE, 0, 0));
  }

  @Test
  void taskRunFlagsAsLinux() {
    RawRing ring =
        RawRing.create(
            process,
            8,
            new IoUringParams().flags(IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG));
    ring.push(Sqe.nop(1));
    assertEquals(1, ring.submitAndWait(1));
    assertEquals(0, ring.sqFlags() & RingFlags.IORING_SQ_TASKRUN);
    assertErrno(
        Errno.EINVAL, () -> process.setup(8, new IoUringParams().flags(IORING_SETUP_TASKRUN_FLAG)));
    assertErrno(
        Errno.EINVAL,
        () ->
            process.setup(
                8, new IoUringParams().flags(IORING_SETUP_SQPOLL | IORING_SETUP_COOP_TASKRUN)));
  }
}
