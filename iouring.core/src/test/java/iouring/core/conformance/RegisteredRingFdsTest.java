package iouring.core.conformance;

import static iouring.api.abi.EnterFlags.IORING_ENTER_GETEVENTS;
import static iouring.api.abi.EnterFlags.IORING_ENTER_REGISTERED_RING;
import static iouring.api.abi.RegisterOpcodes.*;
import static iouring.core.conformance.Syscalls.assertErrno;
import static iouring.core.conformance.Syscalls.elsewhere;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.Features;
import iouring.core.Kernel;
import iouring.vfs.memory.MemoryProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code IORING_REGISTER_RING_FDS}, {@code IORING_UNREGISTER_RING_FDS}, {@code
 * IORING_ENTER_REGISTERED_RING} and {@code IORING_REGISTER_USE_REGISTERED_RING}, case by case as
 * {@code docs/probes/ring-fds.c} asked Linux 6.18 (its lines R1 to U6).
 */
class RegisteredRingFdsTest {
  private static final int USE = IORING_REGISTER_USE_REGISTERED_RING;

  private IoUringProcess process;
  private RawRing ring;
  private ByteBuffer updates;
  private long arg;

  @BeforeEach
  void start() {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new MemoryProvider());
    process = kernel.newProcess();
    ring = RawRing.create(process, 8);
    updates = ByteBuffer.allocateDirect(20 * 16).order(ByteOrder.nativeOrder());
    arg = process.memory().map(updates);
  }

  @AfterEach
  void stop() {
    process.close();
  }

  /** Writes {@code struct io_uring_rsrc_update} {@code i}. */
  private void update(int i, int offset, int resv, long data) {
    updates.putInt(16 * i, offset);
    updates.putInt(16 * i + 4, resv);
    updates.putLong(16 * i + 8, data);
  }

  private int offsetOf(int i) {
    return updates.getInt(16 * i);
  }

  private int register(int nr) {
    return process.register(ring.fd, IORING_REGISTER_RING_FDS, arg, nr);
  }

  private int enterRegistered(int index, int toSubmit, int min, int flags) {
    return process.enter(index, toSubmit, min, flags | IORING_ENTER_REGISTERED_RING);
  }

  @Test
  void setupReportsTheFeature() {
    IoUringParams params = new IoUringParams();
    process.close(process.setup(4, params));
    assertNotEquals(0, params.features() & Features.IORING_FEAT_REG_REG_RING);
  }

  @Test
  void registrationChecksItsArgumentsAsLinux() {
    assertErrno(Errno.EBADF, () -> enterRegistered(0, 0, 0, 0)); // R1: slots, all empty
    assertErrno(Errno.EINVAL, () -> register(0)); // R2
    assertErrno(Errno.EINVAL, () -> register(17));
    assertErrno(Errno.EFAULT, () -> process.register(ring.fd, IORING_REGISTER_RING_FDS, 0, 1));
    update(0, 16, 0, ring.fd); // R3
    assertErrno(Errno.EINVAL, () -> register(1));
    update(0, -1, 1, ring.fd);
    assertErrno(Errno.EINVAL, () -> register(1));
    update(0, -1, 0, 1); // R4: fd 1 is nothing here; a memory file is not a ring
    assertErrno(Errno.EBADF, () -> register(1));
    int file = process.openat(-100, "/f", iouring.api.abi.FileFlags.O_CREAT, 0644);
    update(0, -1, 0, file);
    assertErrno(Errno.EOPNOTSUPP, () -> register(1));
    update(0, -1, 0, 0x1_0000_0000L | ring.fd); // the fd is the low 32 bits
    assertEquals(1, register(1));
    assertEquals(0, offsetOf(0));
    assertErrno(
        Errno.EOPNOTSUPP,
        () -> process.register(file, IORING_REGISTER_RING_FDS, arg, 1)); // U6: not a ring
  }

  @Test
  void slotsAreTakenInOrderAndPartialBatchesCountWhatWasDone() {
    update(0, 0, 0, ring.fd);
    assertEquals(1, register(1));
    int other = process.setup(4, new IoUringParams());
    update(0, -1, 0, ring.fd); // R5: auto, 3, auto
    update(1, 3, 0, other);
    update(2, -1, 0, ring.fd);
    assertEquals(3, register(3));
    assertEquals(List.of(1, 3, 2), List.of(offsetOf(0), offsetOf(1), offsetOf(2)));
    update(0, 3, 0, ring.fd); // R6
    assertErrno(Errno.EBUSY, () -> register(1));
    update(0, 5, 0, ring.fd);
    update(1, 3, 0, ring.fd);
    assertEquals(1, register(2));
    assertEquals(5, offsetOf(0));
    for (int i = 0; i < 16; i++) { // R7: 11 free slots left, then EBUSY
      update(i, -1, 0, ring.fd);
    }
    assertEquals(11, register(16));
    assertEquals(List.of(4, 6), List.of(offsetOf(0), offsetOf(1)));
    assertErrno(Errno.EINVAL, () -> enterRegistered(16, 0, 0, 0)); // R8
    assertErrno(Errno.EINVAL, () -> enterRegistered(-1, 0, 0, 0));
    assertEquals(0, enterRegistered(3, 0, 0, 0));
  }

  @Test
  void aRegisteredIndexReachesTheRingAfterItsFdIsClosed() {
    update(0, -1, 0, ring.fd);
    assertEquals(1, register(1));
    ring.push(Sqe.nop(11)); // R9
    assertEquals(1, enterRegistered(0, 1, 1, IORING_ENTER_GETEVENTS));
    assertEquals(List.of(new Cqe(11, 0, 0)), ring.reap());
    update(0, 2, 0, 0);
    assertEquals(1, process.register(0, IORING_UNREGISTER_RING_FDS | USE, arg, 1));
    assertErrno(Errno.EBADF, () -> process.register(2, IORING_REGISTER_PROBE | USE, 0, 0));
    assertErrno(Errno.EINVAL, () -> process.register(16, IORING_REGISTER_PROBE | USE, 0, 0));
    process.close(ring.fd); // R10
    ring.push(Sqe.nop(12));
    assertErrno(Errno.EBADF, () -> ring.enter(1, 1, IORING_ENTER_GETEVENTS));
    assertEquals(1, enterRegistered(0, 1, 1, IORING_ENTER_GETEVENTS));
    assertEquals(List.of(new Cqe(12, 0, 0)), ring.reap());
  }

  @Test
  void slotsBelongToTheThreadThatRegistered() throws Exception {
    update(0, -1, 0, ring.fd);
    assertEquals(1, register(1));
    // R11: a thread without slots (it set up no ring, registered nothing) gets EINVAL.
    assertEquals(-Errno.EINVAL, elsewhere(() -> enterRegistered(0, 0, 0, 0)));
    assertEquals(
        -Errno.EINVAL, elsewhere(() -> process.register(0, IORING_REGISTER_PROBE | USE, 0, 0)));
    // Once it registers, it has slots of its own: the first thread's index is empty there.
    update(0, 7, 0, ring.fd);
    assertEquals(
        0,
        elsewhere(
            () -> {
              register(1);
              return enterRegistered(7, 0, 0, 0);
            }));
    assertErrno(Errno.EBADF, () -> enterRegistered(7, 0, 0, 0));
  }

  @Test
  void unregistrationChecksItsArgumentsAsLinux() throws Exception {
    // No slots at all: nothing to do, before any check.
    assertEquals(0, elsewhere(() -> process.register(ring.fd, IORING_UNREGISTER_RING_FDS, 0, 99)));
    update(0, -1, 0, ring.fd);
    assertEquals(1, register(1));
    assertErrno(
        Errno.EINVAL, () -> process.register(0, IORING_UNREGISTER_RING_FDS | USE, arg, 0)); // U1
    assertErrno(Errno.EINVAL, () -> process.register(0, IORING_UNREGISTER_RING_FDS | USE, arg, 17));
    update(0, 16, 0, 0); // U2
    assertErrno(Errno.EINVAL, () -> process.register(0, IORING_UNREGISTER_RING_FDS | USE, arg, 1));
    update(0, 4, 0, 1);
    assertErrno(Errno.EINVAL, () -> process.register(0, IORING_UNREGISTER_RING_FDS | USE, arg, 1));
    update(0, 4, 1, 0);
    assertErrno(Errno.EINVAL, () -> process.register(0, IORING_UNREGISTER_RING_FDS | USE, arg, 1));
    update(0, 9, 0, 0); // U3: an empty slot counts; a bad second entry stops the batch
    update(1, 16, 0, 0);
    assertEquals(1, process.register(0, IORING_UNREGISTER_RING_FDS | USE, arg, 2));
    assertErrno(Errno.EFAULT, () -> process.register(0, IORING_UNREGISTER_RING_FDS | USE, 0, 1));
    update(0, 0, 0, 0); // U4: a slot unregistered through itself
    assertEquals(1, process.register(0, IORING_UNREGISTER_RING_FDS | USE, arg, 1));
    assertErrno(Errno.EBADF, () -> enterRegistered(0, 0, 0, 0));
  }

  @Test
  void theLastReferenceGoesWithTheSlotOrTheProcess() {
    update(0, -1, 0, ring.fd);
    assertEquals(1, register(1));
    process.close(ring.fd);
    assertEquals(0, enterRegistered(0, 0, 0, 0), "the slot keeps the ring");
    update(0, 0, 0, 0);
    assertEquals(1, process.register(0, IORING_UNREGISTER_RING_FDS | USE, arg, 1));
    assertErrno(Errno.EBADF, () -> enterRegistered(0, 0, 0, 0));

    RawRing second = RawRing.create(process, 4);
    update(0, -1, 0, second.fd);
    assertEquals(1, register(1));
    process.close(); // the end of the process releases every thread's slots
    assertErrno(Errno.ESRCH, () -> enterRegistered(0, 0, 0, 0));
  }
}
