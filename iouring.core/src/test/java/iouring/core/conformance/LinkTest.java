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
import iouring.vfs.host.HostProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linked requests, row by row from the Linux 6.18 probe ({@code linux-probes/out-live3.txt}, tag
 * T6). CQEs of one chain are posted in chain order; CQEs of different chains or independent
 * requests may come in any order, so those are compared as multisets ({@link Chains#assertChains}).
 * {@code IOSQE_CQE_SKIP_SUCCESS} (T7) is {@link SkipCqeTest}'s.
 */
class LinkTest {
  private static final int ECANCELED = -Errno.ECANCELED;
  private static final int EBADF = -Errno.EBADF;
  private static final int EINVAL = -Errno.EINVAL;

  /** An opcode past {@code IORING_OP_LAST}: its prep fails with {@code EINVAL}. */
  private static final int BAD_OPCODE = 200;

  @TempDir Path dir;

  private IoUringProcess process;
  private RawRing ring;
  private UserBuffer buf;

  /** A 10-byte file, {@code 0123456789}, open for reading and writing. */
  private int fd;

  @BeforeEach
  void setUp() throws IOException {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new HostProvider(dir));
    process = kernel.newProcess();
    ring = RawRing.create(process, 32);
    buf = UserBuffer.allocate(process, 128);
    Files.writeString(dir.resolve("f.txt"), "0123456789");
    fd = process.openat(FileFlags.AT_FDCWD, "/f.txt", FileFlags.O_RDWR, 0);
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

  private Sqe badOpcode(long userData) {
    return Sqe.op(BAD_OPCODE).userData(userData);
  }

  /**
   * Publishes the SQEs, submits them all and waits for {@code cqes} CQEs; returns enter's result.
   */
  private int submit(int cqes, Sqe... sqes) {
    for (Sqe sqe : sqes) {
      ring.push(sqe);
    }
    return ring.enter(sqes.length, cqes, IORING_ENTER_GETEVENTS);
  }

  private String fileContent() throws IOException {
    return Files.readString(dir.resolve("f.txt"));
  }

  // ---- T6: IOSQE_IO_LINK and IOSQE_IO_HARDLINK ----

  @Test
  void anErrorBreaksASoftLink() {
    assertEquals(
        3,
        submit(3, Sqe.nop(1).flags(IOSQE_IO_LINK), readBadFd(2).flags(IOSQE_IO_LINK), Sqe.nop(3)));
    assertChains(ring.reap(), chain(Cqe.of(1, 0), Cqe.of(2, EBADF), Cqe.of(3, ECANCELED)));
  }

  @Test
  void aShortReadBreaksASoftLink() {
    assertEquals(2, submit(2, read(1, 100, 0).flags(IOSQE_IO_LINK), Sqe.nop(2)));
    assertChains(ring.reap(), chain(Cqe.of(1, 10), Cqe.of(2, ECANCELED)));
  }

  @Test
  void anExactReadKeepsTheChain() {
    assertEquals(2, submit(2, read(1, 10, 0).flags(IOSQE_IO_LINK), Sqe.nop(2)));
    assertChains(ring.reap(), chain(Cqe.of(1, 10), Cqe.of(2, 0)));
    assertEquals("0123456789", buf.text(10));
  }

  @Test
  void aReadAtEndOfFileBreaksTheChain() {
    assertEquals(2, submit(2, read(1, 4, 100).flags(IOSQE_IO_LINK), Sqe.nop(2)));
    assertChains(ring.reap(), chain(Cqe.of(1, 0), Cqe.of(2, ECANCELED)));
  }

  @Test
  void aZeroLengthReadKeepsTheChain() {
    assertEquals(2, submit(2, read(1, 0, 0).flags(IOSQE_IO_LINK), Sqe.nop(2)));
    assertChains(ring.reap(), chain(Cqe.of(1, 0), Cqe.of(2, 0)));
  }

  @Test
  void aHardLinkGoesOnAfterAnError() {
    assertEquals(2, submit(2, readBadFd(1).flags(IOSQE_IO_HARDLINK), Sqe.nop(2)));
    assertChains(ring.reap(), chain(Cqe.of(1, EBADF), Cqe.of(2, 0)));
  }

  @Test
  void aSoftLinkAfterAHardLinkBreaksTheRest() {
    assertEquals(
        3,
        submit(
            3,
            readBadFd(1).flags(IOSQE_IO_HARDLINK),
            readBadFd(2).flags(IOSQE_IO_LINK),
            Sqe.nop(3)));
    assertChains(ring.reap(), chain(Cqe.of(1, EBADF), Cqe.of(2, EBADF), Cqe.of(3, ECANCELED)));
  }

  @Test
  void aPrepFailureInsideAChainFailsTheWholeChainAndTheBatchGoesOn() {
    assertEquals(
        4,
        submit(
            4,
            Sqe.nop(1).flags(IOSQE_IO_LINK),
            badOpcode(2).flags(IOSQE_IO_LINK),
            Sqe.nop(3),
            Sqe.nop(4)));
    assertChains(
        ring.reap(),
        chain(Cqe.of(1, ECANCELED), Cqe.of(2, EINVAL), Cqe.of(3, ECANCELED)),
        chain(Cqe.of(4, 0)));
    assertEquals(0, ring.sqPending());
  }

  @Test
  void aChainWithAPrepFailureRunsNothingEvenBeforeTheBadMember() throws IOException {
    UserBuffer data = UserBuffer.allocate(process, 2).put("XY");
    Sqe write = Sqe.rw(IORING_OP_WRITE, fd, data.address(), 2, 0).userData(1);
    Sqe readBack = read(3, 10, 0);
    assertEquals(
        3, submit(3, write.flags(IOSQE_IO_LINK), badOpcode(2).flags(IOSQE_IO_LINK), readBack));
    assertChains(ring.reap(), chain(Cqe.of(1, ECANCELED), Cqe.of(2, EINVAL), Cqe.of(3, ECANCELED)));
    assertEquals("0123456789", fileContent(), "the write ahead of the bad member did not run");
  }

  @Test
  void aPrepFailureThatEndsAChainEndsTheBatch() {
    assertEquals(2, submit(2, Sqe.nop(1).flags(IOSQE_IO_LINK), badOpcode(2), Sqe.nop(3)));
    assertChains(ring.reap(), chain(Cqe.of(1, ECANCELED), Cqe.of(2, EINVAL)));
    assertEquals(1, ring.sqPending(), "the NOP after the chain stays in the SQ");
    assertEquals(1, ring.submitAndWait(1));
    assertEquals(List.of(Cqe.of(3, 0)), ring.reap());
  }

  @Test
  void aPrepFailureFailsAHardLinkedChainToo() {
    assertEquals(
        3,
        submit(
            3,
            Sqe.nop(1).flags(IOSQE_IO_HARDLINK),
            badOpcode(2).flags(IOSQE_IO_HARDLINK),
            Sqe.nop(3)));
    assertChains(ring.reap(), chain(Cqe.of(1, ECANCELED), Cqe.of(2, EINVAL), Cqe.of(3, ECANCELED)));
  }

  @Test
  void aLinkFlagOnTheLastSqeOfASubmissionIsIgnored() {
    assertEquals(1, submit(1, Sqe.nop(1).flags(IOSQE_IO_LINK)));
    assertEquals(List.of(Cqe.of(1, 0)), ring.reap());
  }

  @Test
  void aFailureAtTheSubmissionBoundaryDoesNotCancelTheNextSubmission() {
    assertEquals(1, submit(1, readBadFd(1).flags(IOSQE_IO_LINK)));
    assertEquals(List.of(Cqe.of(1, EBADF)), ring.reap());
    assertEquals(1, submit(1, Sqe.nop(2)));
    assertEquals(List.of(Cqe.of(2, 0)), ring.reap());
  }

  @Test
  void aChainSplitByToSubmitOneIsTwoChains() {
    ring.push(readBadFd(1).flags(IOSQE_IO_LINK));
    ring.push(Sqe.nop(2));
    assertEquals(1, ring.enter(1, 0, 0));
    assertEquals(1, ring.enter(1, 0, 0));
    assertEquals(List.of(Cqe.of(1, EBADF), Cqe.of(2, 0)), ring.reap());
  }
}
