package iouring.core.conformance;

import static iouring.api.abi.OpFlags.*;
import static iouring.api.abi.Opcodes.*;
import static iouring.api.abi.RegisterOpcodes.*;
import static iouring.api.abi.SetupFlags.*;
import static iouring.core.conformance.Syscalls.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.ProbeLayout;
import iouring.api.abi.RestrictionLayout;
import iouring.api.abi.SqeFlags;
import iouring.core.Kernel;
import iouring.vfs.memory.MemoryProvider;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code IORING_SETUP_R_DISABLED}, {@code IORING_REGISTER_RESTRICTIONS} and {@code
 * IORING_REGISTER_ENABLE_RINGS}, as liburing's register-restrictions.c and Linux 6.18 (T14, and the
 * restriction rows measured with a probe on 6.18).
 */
class RegisterRestrictionsTest {
  private IoUringProcess process;
  private RawRing ring;

  @BeforeEach
  void start() {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new MemoryProvider());
    process = kernel.newProcess();
    ring = RawRing.create(process, 8, new IoUringParams().flags(IORING_SETUP_R_DISABLED));
  }

  @AfterEach
  void stop() {
    process.close();
  }

  private int register(int opcode, long arg, int nr) {
    return process.register(ring.fd, opcode, arg, nr);
  }

  /** Writes restrictions given as {kind, arg} pairs. */
  private UserBuffer restrictions(int... kindArg) {
    int n = kindArg.length / 2;
    UserBuffer b = UserBuffer.allocate(process, Math.max(1, n) * RestrictionLayout.SIZE);
    for (int i = 0; i < n; i++) {
      b.buffer().putShort(i * RestrictionLayout.SIZE, (short) kindArg[2 * i]);
      b.buffer()
          .put(i * RestrictionLayout.SIZE + RestrictionLayout.OFF_ARG, (byte) kindArg[2 * i + 1]);
    }
    return b;
  }

  @Test
  void aDisabledRingRefusesEnterUntilEnabled() {
    ring.push(Sqe.nop(1));
    assertErrno(Errno.EBADFD, () -> ring.submit());
    assertErrno(Errno.EINVAL, () -> register(IORING_REGISTER_ENABLE_RINGS, 8, 0));
    assertErrno(Errno.EINVAL, () -> register(IORING_REGISTER_ENABLE_RINGS, 0, 1));
    assertEquals(0, register(IORING_REGISTER_ENABLE_RINGS, 0, 0));
    assertErrno(Errno.EBADFD, () -> register(IORING_REGISTER_ENABLE_RINGS, 0, 0));
    assertEquals(1, ring.submitAndWait(1));
    assertEquals(List.of(new Cqe(1, 0, 0)), ring.reap());
  }

  @Test
  void registrationErrorsAsLinux() {
    RawRing enabled = RawRing.create(process, 8);
    UserBuffer one = restrictions(IORING_RESTRICTION_SQE_OP, IORING_OP_NOP);
    assertErrno(
        Errno.EBADFD,
        () -> process.register(enabled.fd, IORING_REGISTER_RESTRICTIONS, one.address(), 1));
    assertErrno(Errno.EINVAL, () -> register(IORING_REGISTER_RESTRICTIONS, 0, 1));
    UserBuffer many = UserBuffer.allocate(process, 104 * RestrictionLayout.SIZE);
    assertErrno(Errno.EINVAL, () -> register(IORING_REGISTER_RESTRICTIONS, many.address(), 104));
    assertErrno(
        Errno.EINVAL,
        () -> register(IORING_REGISTER_RESTRICTIONS, restrictions(9, 0).address(), 1));
    assertErrno(
        Errno.EINVAL,
        () ->
            register(
                IORING_REGISTER_RESTRICTIONS,
                restrictions(IORING_RESTRICTION_SQE_OP, IORING_OP_LAST).address(),
                1));
    assertErrno(
        Errno.EINVAL,
        () ->
            register(
                IORING_REGISTER_RESTRICTIONS,
                restrictions(IORING_RESTRICTION_REGISTER_OP, IORING_REGISTER_LAST).address(),
                1));
    // A failed registration keeps nothing, so the next one succeeds; a second one is EBUSY.
    assertEquals(0, register(IORING_REGISTER_RESTRICTIONS, many.address(), 103));
    assertErrno(Errno.EBUSY, () -> register(IORING_REGISTER_RESTRICTIONS, one.address(), 1));
  }

  @Test
  void restrictedSqesFailWithEaccesAndCancelTheirChain() {
    UserBuffer r =
        restrictions(
            IORING_RESTRICTION_SQE_OP, IORING_OP_NOP,
            IORING_RESTRICTION_SQE_FLAGS_ALLOWED, SqeFlags.IOSQE_IO_LINK,
            IORING_RESTRICTION_REGISTER_OP, IORING_REGISTER_PROBE);
    assertEquals(0, register(IORING_REGISTER_RESTRICTIONS, r.address(), 3));
    UserBuffer files = UserBuffer.allocate(process, 4);
    files.buffer().putInt(0, -1);
    assertEquals(0, register(IORING_REGISTER_FILES, files.address(), 1)); // not restricted yet
    assertEquals(0, register(IORING_REGISTER_ENABLE_RINGS, 0, 0));
    assertErrno(Errno.EACCES, () -> register(IORING_UNREGISTER_FILES, 0, 0));
    assertErrno(Errno.EACCES, () -> register(IORING_REGISTER_ENABLE_RINGS, 0, 0));
    assertErrno(Errno.EINVAL, () -> register(200, 0, 0));
    UserBuffer probe = UserBuffer.allocate(process, ProbeLayout.SIZE + 64 * ProbeLayout.OP_SIZE);
    assertEquals(0, register(IORING_REGISTER_PROBE, probe.address(), 64));

    ring.push(Sqe.nop(1).flags(SqeFlags.IOSQE_IO_LINK));
    ring.push(Sqe.nop(2).flags(SqeFlags.IOSQE_IO_DRAIN));
    ring.push(Sqe.op(IORING_OP_READ).userData(3));
    assertEquals(2, ring.submit()); // the failing chain ends the batch
    assertEquals(
        List.of(new Cqe(1, -Errno.ECANCELED, 0), new Cqe(2, -Errno.EACCES, 0)), ring.reap());
    assertEquals(1, ring.submit());
    assertEquals(List.of(new Cqe(3, -Errno.EACCES, 0)), ring.reap());
    ring.push(Sqe.nop(4).flags(SqeFlags.IOSQE_IO_LINK));
    ring.push(Sqe.nop(5));
    assertEquals(2, ring.submitAndWait(2));
    assertEquals(List.of(new Cqe(4, 0, 0), new Cqe(5, 0, 0)), ring.reap());
  }

  @Test
  void requiredFlagsMustBeSet() {
    UserBuffer r =
        restrictions(
            IORING_RESTRICTION_SQE_OP,
            IORING_OP_NOP,
            IORING_RESTRICTION_SQE_FLAGS_REQUIRED,
            SqeFlags.IOSQE_ASYNC);
    assertEquals(0, register(IORING_REGISTER_RESTRICTIONS, r.address(), 2));
    assertEquals(0, register(IORING_REGISTER_ENABLE_RINGS, 0, 0));
    ring.push(Sqe.nop(1));
    assertEquals(1, ring.submit());
    assertEquals(List.of(new Cqe(1, -Errno.EACCES, 0)), ring.reap());
    ring.push(Sqe.nop(2).flags(SqeFlags.IOSQE_ASYNC));
    assertEquals(1, ring.submitAndWait(1));
    assertEquals(List.of(new Cqe(2, 0, 0)), ring.reap());
  }

  @Test
  void noRestrictionsAllowNothing() {
    UserBuffer r = restrictions(IORING_RESTRICTION_SQE_OP, IORING_OP_NOP);
    assertEquals(0, register(IORING_REGISTER_RESTRICTIONS, r.address(), 0));
    assertEquals(0, register(IORING_REGISTER_ENABLE_RINGS, 0, 0));
    ring.push(Sqe.nop(1));
    assertEquals(1, ring.submit());
    assertEquals(List.of(new Cqe(1, -Errno.EACCES, 0)), ring.reap());
    assertErrno(Errno.EACCES, () -> register(IORING_REGISTER_PROBE, 0, 0));
  }
}
