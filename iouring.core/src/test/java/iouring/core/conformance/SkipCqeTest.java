package iouring.core.conformance;

import static iouring.api.abi.EnterFlags.IORING_ENTER_GETEVENTS;
import static iouring.api.abi.Opcodes.*;
import static iouring.api.abi.SqeFlags.*;
import static iouring.core.conformance.Chains.assertChains;
import static iouring.core.conformance.Chains.chain;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.core.Kernel;
import iouring.vfs.memory.MemoryProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code IOSQE_CQE_SKIP_SUCCESS}, as liburing's skip-cqe.c checks it (with links, linked timeouts
 * and hard links), and the Linux 6.18 rows of T7 ({@code linux-probes/out-live3.txt}) and of {@code
 * docs/probes/feature-tests.c} (K1 to K5). A request that "succeeds" (the notion links use: a short
 * read fails) posts no CQE; a failure posts, and a failing member with the flag suppresses the
 * cancellations it causes in its soft chain.
 */
@Timeout(10)
class SkipCqeTest {
  private static final int ECANCELED = -Errno.ECANCELED;
  private static final int EBADF = -Errno.EBADF;
  private static final int LINK_SKIP = IOSQE_IO_LINK | IOSQE_CQE_SKIP_SUCCESS;

  private IoUringProcess process;
  private RawRing ring;
  private UserBuffer buf;

  /** A 10-byte file, {@code 0123456789}, open for reading and writing. */
  private int fd;

  @BeforeEach
  void setUp() {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new MemoryProvider());
    process = kernel.newProcess();
    ring = RawRing.create(process, 16);
    buf = UserBuffer.allocate(process, 128);
    fd = process.openat(FileFlags.AT_FDCWD, "/f.txt", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
    UserBuffer digits = UserBuffer.allocate(process, 10).put("0123456789");
    assertEquals(10, ring.result(Sqe.rw(IORING_OP_WRITE, fd, digits.address(), 10, 0)));
  }

  @AfterEach
  void tearDown() {
    process.close();
  }

  private Sqe read(long userData, int len, long offset) {
    return Sqe.rw(IORING_OP_READ, fd, buf.address(), len, offset).userData(userData);
  }

  private Sqe readBadFd(long userData) {
    return Sqe.rw(IORING_OP_READ, -1, buf.address(), 4, 0).userData(userData);
  }

  /** A request that passes prep and fails at issue: a write from address 0 (skip-cqe.c's). */
  private Sqe execFail(long userData) {
    return Sqe.rw(IORING_OP_WRITE, fd, 0, 100, 0).userData(userData);
  }

  private UserBuffer timespec(long sec, long nsec) {
    UserBuffer ts = UserBuffer.allocate(process, 16);
    ts.buffer().putLong(0, sec).putLong(8, nsec);
    return ts;
  }

  private Sqe linkTimeout(UserBuffer ts, long userData) {
    return Sqe.op(IORING_OP_LINK_TIMEOUT).fd(-1).addr(ts.address()).len(1).userData(userData);
  }

  /**
   * Publishes the SQEs, submits them all and waits until {@code cqes} CQEs are ready (a wait also
   * ends at a timeout's CQE); returns enter's result.
   */
  private int submit(int cqes, Sqe... sqes) {
    for (Sqe sqe : sqes) {
      ring.push(sqe);
    }
    int submitted = ring.enter(sqes.length, cqes, IORING_ENTER_GETEVENTS);
    while (ring.cqReady() < cqes) {
      ring.enter(0, cqes, IORING_ENTER_GETEVENTS);
    }
    return submitted;
  }

  private int submit(int cqes, List<Sqe> sqes) {
    return submit(cqes, sqes.toArray(new Sqe[0]));
  }

  // ---- T7 ----

  @Test
  void aSuccessWithSkipPostsNothing() {
    assertEquals(2, submit(1, Sqe.nop(1).flags(IOSQE_CQE_SKIP_SUCCESS), Sqe.nop(2)));
    assertEquals(List.of(Cqe.of(2, 0)), ring.reap());
  }

  @Test
  void aFailureWithSkipPosts() {
    assertEquals(1, submit(1, readBadFd(1).flags(IOSQE_CQE_SKIP_SUCCESS)));
    assertEquals(List.of(Cqe.of(1, EBADF)), ring.reap());
    Sqe notOpen = Sqe.rw(IORING_OP_READ, 9999, 0, 4, 0).userData(2);
    assertEquals(Cqe.of(2, EBADF), ring.run(notOpen.flags(IOSQE_CQE_SKIP_SUCCESS)));
  }

  @Test
  void aShortReadWithSkipPosts() {
    assertEquals(1, submit(1, read(1, 100, 0).flags(IOSQE_CQE_SKIP_SUCCESS)));
    assertEquals(List.of(Cqe.of(1, 10)), ring.reap());
  }

  @Test
  void aLinkedSuccessWithSkipPostsNothingAndTheChainGoesOn() {
    assertEquals(2, submit(1, Sqe.nop(1).flags(LINK_SKIP), Sqe.nop(2)));
    assertEquals(List.of(Cqe.of(2, 0)), ring.reap());
  }

  @Test
  void aFailingHeadWithSkipSuppressesTheCancellationsItCauses() {
    assertEquals(3, submit(2, readBadFd(1).flags(LINK_SKIP), Sqe.nop(2), Sqe.nop(3)));
    assertChains(ring.reap(), chain(Cqe.of(1, EBADF)), chain(Cqe.of(3, 0)));
  }

  @Test
  void aCancelledMemberWithSkipStillPostsItsCancellation() {
    assertEquals(
        3, submit(3, readBadFd(1).flags(IOSQE_IO_LINK), Sqe.nop(2).flags(LINK_SKIP), Sqe.nop(3)));
    assertChains(ring.reap(), chain(Cqe.of(1, EBADF), Cqe.of(2, ECANCELED), Cqe.of(3, ECANCELED)));
  }

  // ---- skip-cqe.c ----

  /** test_link_success: NOPs, each {@code LINK | SKIP} but the last unless {@code skipLast}. */
  @ParameterizedTest(name = "{0} NOPs, skip on the last: {1}")
  @CsvSource({"1,false", "1,true", "6,false", "6,true"})
  void aChainOfSuccessesPostsOnlyWhatIsNotSkipped(int nr, boolean skipLast) {
    List<Sqe> sqes = new ArrayList<>();
    for (int i = 0; i < nr; i++) {
      sqes.add(Sqe.nop(i).flags(i != nr - 1 || skipLast ? LINK_SKIP : 0));
    }
    assertEquals(nr, submit(skipLast ? 0 : 1, sqes));
    assertEquals(skipLast ? List.of() : List.of(Cqe.of(nr - 1, 0)), ring.reap());
  }

  /**
   * test_link_fail: six members, {@code LINK | SKIP} but the last, one of them failing at issue:
   * its CQE is the only one, whether the cancellations it causes would carry the flag or not.
   */
  @ParameterizedTest(name = "member {0} fails")
  @CsvSource({"3", "5"})
  void aFailureInASkippingChainPostsOnlyItsOwnCqe(int failIndex) {
    List<Sqe> sqes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Sqe sqe = i == failIndex ? execFail(i) : Sqe.nop(i);
      sqes.add(sqe.flags(i != 5 ? LINK_SKIP : 0));
    }
    assertEquals(6, submit(1, sqes));
    assertEquals(List.of(Cqe.of(failIndex, -Errno.EFAULT)), ring.reap());
  }

  /**
   * test_ltimeout_cancel: {@code nr} linked members, each with {@code SKIP} but the last, one of
   * them ({@code failIndex}, -1 for none) failing at issue, and a 1 s {@code LINK_TIMEOUT} with
   * {@code LINK | SKIP} after member {@code timeoutAfter}. The target completes first, so the
   * timeout is cancelled without a CQE; only the last member's CQE, or the failure's, is posted.
   * With {@code IOSQE_ASYNC} every member runs on a worker.
   */
  @ParameterizedTest(name = "{0} members, timeout after {1}, failing {2}, async {3}")
  @CsvSource({
    "1,0,-1,false", "6,3,-1,false", "6,5,-1,false", "6,3,3,false", "6,3,2,false", "6,3,4,false",
    "1,0,-1,true", "6,3,-1,true", "6,5,-1,true", "6,3,3,true", "6,3,2,true", "6,3,4,true"
  })
  void aCancelledLinkTimeoutWithSkipPostsNothing(
      int nr, int timeoutAfter, int failIndex, boolean async) {
    UserBuffer second = timespec(1, 0);
    List<Sqe> sqes = new ArrayList<>();
    for (int i = 0; i < nr; i++) {
      Sqe sqe = i == failIndex ? execFail(i) : Sqe.nop(i);
      int flags = IOSQE_IO_LINK | (async ? IOSQE_ASYNC : 0);
      sqes.add(sqe.flags(flags | (i != nr - 1 ? IOSQE_CQE_SKIP_SUCCESS : 0)));
      if (i == timeoutAfter) {
        sqes.add(linkTimeout(second, -1).flags(LINK_SKIP));
      }
    }
    assertEquals(nr + 1, submit(1, sqes));
    Cqe expected = failIndex >= 0 ? Cqe.of(failIndex, -Errno.EFAULT) : Cqe.of(nr - 1, 0);
    assertEquals(List.of(expected), ring.reap());
  }

  /**
   * test_ltimeout_fire: a target that never completes on its own, a one-hour {@code TIMEOUT} where
   * liburing reads an empty pipe, and a 1 ms {@code LINK_TIMEOUT}. The target's {@code -ECANCELED}
   * is a failure and posts even with {@code SKIP}; the timeout's {@code -ETIME} posts unless it has
   * {@code SKIP}, whatever the outcome. A timeout runs inline even with {@code IOSQE_ASYNC}, as a
   * pipe read that Linux's worker leaves to poll.
   */
  @ParameterizedTest(name = "async {0}, skip on the target {1}, skip on the timeout {2}")
  @CsvSource({
    "false,false,false", "true,false,false", "false,true,false", "true,true,false",
    "false,false,true", "true,false,true", "false,true,true", "true,true,true"
  })
  void aFiredLinkTimeoutPostsUnlessSkippedAndItsTargetAlwaysPosts(
      boolean async, boolean skipTarget, boolean skipTimeout) {
    int targetFlags =
        IOSQE_IO_LINK | (async ? IOSQE_ASYNC : 0) | (skipTarget ? IOSQE_CQE_SKIP_SUCCESS : 0);
    Sqe target = Sqe.op(IORING_OP_TIMEOUT).fd(-1).addr(timespec(3600, 0).address()).len(1);
    Sqe timeout = linkTimeout(timespec(0, 1_000_000), 1);
    int cqes = skipTimeout ? 1 : 2;
    assertEquals(
        2,
        submit(
            cqes,
            target.userData(0).flags(targetFlags),
            timeout.flags(skipTimeout ? IOSQE_CQE_SKIP_SUCCESS : 0)));
    List<Cqe> expected =
        skipTimeout
            ? List.of(Cqe.of(0, ECANCELED))
            : List.of(Cqe.of(1, -Errno.ETIME), Cqe.of(0, ECANCELED));
    assertEquals(expected, ring.reap());
  }

  /**
   * test_hardlink: seven NOPs, {@code IOSQE_IO_HARDLINK} but the last unless {@code hardlinkLast},
   * member {@code failIndex} failing at issue and member {@code skipIndex} with {@code SKIP}. A
   * hard link goes on after the failure, so every member posts, in order, but a skipped success.
   */
  @ParameterizedTest(name = "failing {0}, skipping {1}, hard link on the last {2}")
  @CsvSource({
    "0,0,false", "0,0,true", "0,3,false", "0,3,true", "0,6,false", "0,6,true",
    "3,0,false", "3,0,true", "3,3,false", "3,3,true", "3,6,false", "3,6,true",
    "6,0,false", "6,0,true", "6,3,false", "6,3,true", "6,6,false", "6,6,true"
  })
  void aHardChainPostsEveryMemberButASkippedSuccess(
      int failIndex, int skipIndex, boolean hardlinkLast) {
    List<Sqe> sqes = new ArrayList<>();
    List<Cqe> expected = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Sqe sqe = i == failIndex ? execFail(i) : Sqe.nop(i);
      int flags = i != 6 || hardlinkLast ? IOSQE_IO_HARDLINK : 0;
      sqes.add(sqe.flags(flags | (i == skipIndex ? IOSQE_CQE_SKIP_SUCCESS : 0)));
      if (i == failIndex) {
        expected.add(Cqe.of(i, -Errno.EFAULT));
      } else if (i != skipIndex) {
        expected.add(Cqe.of(i, 0));
      }
    }
    assertEquals(7, submit(expected.size(), sqes));
    assertEquals(expected, ring.reap());
  }
}
