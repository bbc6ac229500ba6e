package iouring.core.conformance;

import static iouring.api.abi.EnterFlags.IORING_ENTER_GETEVENTS;
import static iouring.api.abi.Opcodes.*;
import static iouring.api.abi.SqeFlags.IOSQE_IO_LINK;
import static iouring.core.conformance.Chains.assertChains;
import static iouring.core.conformance.Chains.chain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.SetupFlags;
import iouring.core.Kernel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code IORING_SETUP_SUBMIT_ALL}, as liburing's drop-submit.c checks it, and the Linux 6.18 rows
 * of T3 ({@code linux-probes/out-live1.txt}) and S1 to S4 ({@code docs/probes/feature-tests.c}):
 * without the flag, an SQE that fails before issue is consumed, posts its error and ends the batch;
 * with it, the batch goes on. An SQ array index out of range ends the batch either way.
 */
@Timeout(10)
class SubmitAllTest {
  /** An opcode past {@code IORING_OP_LAST}: its prep fails with {@code EINVAL}. */
  private static final int BAD_OPCODE = 200;

  private IoUringProcess process;
  private RawRing ring;

  @BeforeEach
  void startProcess() {
    process = new Kernel().newProcess();
    ring = RawRing.create(process, 8);
  }

  @AfterEach
  void endProcess() {
    process.close();
  }

  private RawRing submitAllRing() {
    return RawRing.create(
        process, 8, new IoUringParams().flags(SetupFlags.IORING_SETUP_SUBMIT_ALL));
  }

  // ---- T3 ----

  @Test
  void prepFailureEndsTheBatch() {
    ring.push(Sqe.nop(11));
    ring.push(Sqe.op(BAD_OPCODE).userData(12));
    ring.push(Sqe.nop(13));
    ring.push(Sqe.nop(14));
    assertEquals(2, ring.enter(4, 0, 0));
    assertEquals(2, ring.sqPending());
    assertEquals(List.of(Cqe.of(11, 0), Cqe.of(12, -Errno.EINVAL)), ring.reap());
    assertEquals(2, ring.enter(2, 0, 0));
    assertEquals(List.of(Cqe.of(13, 0), Cqe.of(14, 0)), ring.reap());
  }

  @Test
  void submitAllGoesOnAfterAPrepFailure() {
    RawRing all = submitAllRing();
    all.push(Sqe.nop(31));
    all.push(Sqe.op(BAD_OPCODE).userData(32));
    all.push(Sqe.nop(33));
    assertEquals(3, all.enter(3, 0, 0));
    assertEquals(List.of(Cqe.of(31, 0), Cqe.of(32, -Errno.EINVAL), Cqe.of(33, 0)), all.reap());
  }

  // ---- drop-submit.c ----

  /**
   * Four NOPs and two reads with {@code ioprio} -1 (an unknown I/O priority class: {@code EINVAL}
   * at prep, before the bad fd 128 is looked at): with {@code SUBMIT_ALL} all six are consumed;
   * without, five, and the second read stays in the SQ for the next submission.
   */
  @ParameterizedTest(name = "SUBMIT_ALL {0}")
  @ValueSource(booleans = {true, false})
  void readsWithABadPriorityEndTheBatchUnlessSubmitAll(boolean submitAll) {
    int flags = submitAll ? SetupFlags.IORING_SETUP_SUBMIT_ALL : 0;
    try (IoUring handle = IoUring.queueInit(process, 8, flags)) {
      long buf = UserBuffer.allocate(process, 32).address();
      for (int i = 0; i < 4; i++) {
        handle.getSqe().prepNop().userData(i);
      }
      for (int i = 0; i < 2; i++) {
        handle.getSqe().prepRead(128, buf, 32, 0).ioprio(-1).userData(4 + i);
      }
      assertEquals(submitAll ? 6 : 5, handle.submit());
      assertEquals(submitAll ? 0 : 1, handle.sqReady());
      List<Cqe> cqes = new ArrayList<>();
      for (var cqe = handle.peekCqe(); cqe != null; cqe = handle.peekCqe()) {
        cqes.add(new Cqe(cqe.userData(), cqe.res(), cqe.flags()));
        handle.cqeSeen(cqe);
      }
      List<Cqe> expected = new ArrayList<>();
      for (int i = 0; i < (submitAll ? 6 : 5); i++) {
        expected.add(Cqe.of(i, i < 4 ? 0 : -Errno.EINVAL));
      }
      assertEquals(expected, cqes);
      if (!submitAll) {
        assertEquals(1, handle.submit());
        var cqe = handle.peekCqe();
        assertEquals(5, cqe.userData());
        assertEquals(-Errno.EINVAL, cqe.res());
      }
    }
  }

  /**
   * A chain that fails at prep with its last member ends a batch without the flag (LinkTest); with
   * it, the batch goes on. The failed chain's CQEs may come after the next request's (S2).
   */
  @Test
  void aChainFailedAtPrepDoesNotEndTheBatch() {
    RawRing all = submitAllRing();
    all.push(Sqe.nop(1).flags(IOSQE_IO_LINK));
    all.push(Sqe.op(BAD_OPCODE).userData(2));
    all.push(Sqe.nop(3));
    assertEquals(3, all.enter(3, 0, 0));
    assertEquals(0, all.sqPending());
    assertChains(
        all.reap(),
        chain(Cqe.of(1, -Errno.ECANCELED), Cqe.of(2, -Errno.EINVAL)),
        chain(Cqe.of(3, 0)));
  }

  /** An SQ array index past the SQEs is dropped and ends the batch even with the flag (S3). */
  @Test
  void aDroppedSqIndexEndsTheBatchEvenWithSubmitAll() {
    RawRing all = submitAllRing();
    int head = all.sqHead();
    all.push(Sqe.nop(1));
    all.pushWithIndex(Sqe.nop(2), 1000);
    all.push(Sqe.nop(3));
    assertEquals(1, all.enter(3, 0, 0));
    assertEquals(head + 2, all.sqHead());
    assertEquals(1, all.sqDropped());
    assertEquals(List.of(Cqe.of(1, 0)), all.reap());
    assertEquals(1, all.enter(1, 0, 0));
    assertEquals(List.of(Cqe.of(3, 0)), all.reap());
  }

  /**
   * A batch with a failure that consumed every SQE is complete, so enter goes on to wait for its
   * {@code min_complete}, here for a 20 ms timeout; without the flag enter returns at once (S4).
   */
  @Test
  void aCompleteBatchWithAFailureStillWaits() {
    RawRing all = submitAllRing();
    UserBuffer ms20 = UserBuffer.allocate(process, 16);
    ms20.buffer().putLong(8, 20_000_000);
    all.push(Sqe.nop(1));
    all.push(Sqe.op(BAD_OPCODE).userData(2));
    all.push(Sqe.op(IORING_OP_TIMEOUT).fd(-1).addr(ms20.address()).len(1).userData(3));
    long start = System.nanoTime();
    assertEquals(3, all.enter(3, 3, IORING_ENTER_GETEVENTS));
    assertTrue(System.nanoTime() - start >= 20_000_000L);
    assertEquals(
        List.of(Cqe.of(1, 0), Cqe.of(2, -Errno.EINVAL), Cqe.of(3, -Errno.ETIME)), all.reap());
  }
}
