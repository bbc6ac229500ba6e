package iouring.kernel.conformance;

import static iouring.api.abi.FileFlags.*;
import static iouring.api.abi.Opcodes.*;
import static iouring.api.abi.RegisterOpcodes.*;
import static iouring.api.abi.SqeFlags.*;

import iouring.api.abi.EnterFlags;
import iouring.api.abi.OpFlags;
import iouring.api.abi.RingFlags;
import iouring.api.abi.SetupFlags;
import iouring.api.abi.Statx;
import java.util.List;

/**
 * The scenarios, each written once for both targets. They stay within what the emulator documents
 * in {@code docs/SUPPORTED.md}; where it documents a deviation, the scenario is listed in {@link
 * KnownDifferences}. Timeouts are compared by their results and flags, never by how long they took.
 */
final class Scenarios {
  /** An address no target maps: the first page is never mapped on Linux, nor in the emulator. */
  private static final long UNMAPPED = 0x10;

  private static final String TEN = "0123456789";

  /** {@code RENAME_NOREPLACE} of {@code renameat2(2)}. */
  private static final int RENAME_NOREPLACE = 1;

  /** {@code RENAME_EXCHANGE} of {@code renameat2(2)}. */
  private static final int RENAME_EXCHANGE = 1 << 1;

  private Scenarios() {}

  static List<Scenario> all() {
    return List.of(
        // ---- single ops ----
        new Scenario("nop", s -> one(s, nop(1))),
        new Scenario(
            "registered ring fd: slots, errors, a NOP by index, unregister",
            s -> {
              s.ring(8);
              s.enterRegistered(0, 0, 0, 0); // the thread has slots, all empty: EBADF
              s.registerRingFd(false, -1, 3, -1);
              s.registerRingFd(false, 3);
              s.registerRingFd(false, 5, 3);
              s.registerRingFd(false, 16);
              s.push(nop(1));
              s.enterRegistered(0, 1, 1, EnterFlags.IORING_ENTER_GETEVENTS);
              s.reap();
              s.enterRegistered(16, 0, 0, 0);
              s.registerRingFd(true, 0, 16);
              s.enterRegistered(0, 0, 0, 0);
              s.registerRingFd(true, 1, 2, 3, 5);
            }),
        new Scenario(
            "nop inject result",
            s -> one(s, nop(1).opFlags(OpFlags.IORING_NOP_INJECT_RESULT).len(42))),
        new Scenario(
            "read at an offset",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              one(s, new Sqe(IORING_OP_READ).fd(fd).addr(s.buffer("b", 4)).len(4).off(3));
              s.expectBuffer("b", 4);
            }),
        new Scenario(
            "read at the file position, twice",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              one(s, new Sqe(IORING_OP_READ).fd(fd).addr(s.buffer("a", 4)).len(4).off(-1));
              one(s, new Sqe(IORING_OP_READ).fd(fd).addr(s.buffer("b", 4)).len(4).off(-1));
              s.expectBuffer("a", 4);
              s.expectBuffer("b", 4);
            }),
        new Scenario(
            "short read at end of file",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              one(s, new Sqe(IORING_OP_READ).fd(fd).addr(s.buffer("b", 100)).len(100).off(6));
              s.expectBuffer("b", 6);
            }),
        new Scenario(
            "read past end of file",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              one(s, new Sqe(IORING_OP_READ).fd(fd).addr(s.buffer("b", 8)).len(8).off(50));
            }),
        new Scenario(
            "write at an offset",
            s -> {
              int fd = fileFd(s, O_RDWR);
              one(s, new Sqe(IORING_OP_WRITE).fd(fd).addr(s.buffer("b", "abc")).len(3).off(2));
              s.expectFile("f");
            }),
        new Scenario(
            "write at the file position extends the file",
            s -> {
              int fd = fileFd(s, O_RDWR);
              one(s, new Sqe(IORING_OP_WRITE).fd(fd).addr(s.buffer("a", "xyz")).len(3).off(-1));
              one(s, new Sqe(IORING_OP_WRITE).fd(fd).addr(s.buffer("b", "!")).len(1).off(12));
              s.expectFile("f");
            }),
        new Scenario(
            "readv of two buffers",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              long iov = s.iovecs(s.buffer("a", 3), 3, s.buffer("b", 4), 4);
              one(s, new Sqe(IORING_OP_READV).fd(fd).addr(iov).len(2).off(1));
              s.expectBuffer("a", 3);
              s.expectBuffer("b", 4);
            }),
        new Scenario(
            "writev at the file position",
            s -> {
              int fd = fileFd(s, O_RDWR);
              long iov = s.iovecs(s.buffer("a", "AB"), 2, s.buffer("b", "CDE"), 3);
              one(s, new Sqe(IORING_OP_WRITEV).fd(fd).addr(iov).len(2).off(-1));
              s.expectFile("f");
            }),
        new Scenario(
            "fsync and fdatasync",
            s -> {
              int fd = fileFd(s, O_RDWR);
              s.ring(8);
              s.push(
                  new Sqe(IORING_OP_FSYNC).fd(fd).userData(1),
                  new Sqe(IORING_OP_FSYNC)
                      .fd(fd)
                      .opFlags(OpFlags.IORING_FSYNC_DATASYNC)
                      .userData(2));
              s.enter(2, 0, 0);
              s.waitFor(2);
              s.reap();
            }),
        // ---- links ----
        new Scenario(
            "link of three NOPs",
            s -> batch(s, nop(1).flags(IOSQE_IO_LINK), nop(2).flags(IOSQE_IO_LINK), nop(3))),
        new Scenario(
            "link breaks on an error",
            s ->
                batch(
                    s,
                    read(s, 9999).flags(IOSQE_IO_LINK).userData(1),
                    nop(2).flags(IOSQE_IO_LINK),
                    nop(3))),
        new Scenario(
            "link breaks on a short read",
            s -> {
              int fd = fileFd(s, O_RDWR);
              batch(
                  s,
                  new Sqe(IORING_OP_READ)
                      .fd(fd)
                      .addr(s.buffer("b", 64))
                      .len(64)
                      .off(0)
                      .flags(IOSQE_IO_LINK)
                      .userData(1),
                  new Sqe(IORING_OP_WRITE).fd(fd).addr(s.buffer("w", "Z")).len(1).userData(2));
              s.expectFile("f");
            }),
        new Scenario(
            "hardlink goes on after an error",
            s ->
                batch(
                    s,
                    read(s, 9999).flags(IOSQE_IO_HARDLINK).userData(1),
                    nop(2).flags(IOSQE_IO_HARDLINK),
                    nop(3))),
        new Scenario(
            "prep failure in the middle of a chain",
            s ->
                batch(
                    s,
                    nop(1).flags(IOSQE_IO_LINK),
                    nop(2).flags(IOSQE_IO_LINK).ioprio(1),
                    nop(3),
                    nop(4))),
        new Scenario(
            "prep failure at the end of a chain",
            s -> batch(s, nop(1).flags(IOSQE_IO_LINK), nop(2).ioprio(1), nop(3))),
        new Scenario(
            "link flag on the last SQE of a submission",
            s -> batch(s, nop(1), nop(2).flags(IOSQE_IO_LINK))),
        // ---- CQE_SKIP_SUCCESS ----
        new Scenario(
            "skip success hides a successful NOP",
            s -> batch(s, nop(1).flags(IOSQE_CQE_SKIP_SUCCESS), nop(2))),
        new Scenario(
            "skip success still posts a failure",
            s -> batch(s, read(s, 9999).flags(IOSQE_CQE_SKIP_SUCCESS).userData(1), nop(2))),
        new Scenario(
            "skip success inside a link",
            s ->
                batch(
                    s,
                    nop(1).flags(IOSQE_IO_LINK | IOSQE_CQE_SKIP_SUCCESS),
                    nop(2).flags(IOSQE_IO_LINK | IOSQE_CQE_SKIP_SUCCESS),
                    nop(3))),
        // ---- drains and timeouts ----
        new Scenario(
            "drain waits for a timeout before it",
            s -> {
              s.ring(8);
              s.push(
                  timeout(s, 0, 20_000_000, 0).userData(1), nop(2).flags(IOSQE_IO_DRAIN), nop(3));
              s.enter(3, 0, 0);
              s.waitFor(3);
              s.reapInOrder();
            }),
        new Scenario(
            "a request after a drained timeout waits until it completes",
            s -> {
              s.ring(8);
              s.push(timeout(s, 0, 200_000_000, 0).userData(1).flags(IOSQE_IO_DRAIN), nop(2));
              s.enter(2, 0, 0);
              s.reap(); // nothing yet: the NOP waits for the drained timeout
              s.waitFor(2);
              s.reapInOrder();
            }),
        new Scenario(
            "drain mode holds a request submitted by a later enter",
            s -> {
              s.ring(8);
              s.push(timeout(s, 0, 200_000_000, 0).userData(1).flags(IOSQE_IO_DRAIN));
              s.enter(1, 0, 0);
              s.push(nop(2));
              s.enter(1, 0, 0);
              s.reap();
              s.waitFor(2);
              s.reapInOrder();
            }),
        new Scenario(
            "a drain past the head of a chain drains the next request",
            s -> {
              s.ring(8);
              s.push(
                  nop(1).flags(IOSQE_IO_LINK),
                  timeout(s, 0, 200_000_000, 0).userData(2).flags(IOSQE_IO_LINK | IOSQE_IO_DRAIN),
                  nop(3),
                  nop(4));
              s.enter(4, 0, 0);
              s.waitFor(4);
              s.reapInOrder();
            }),
        new Scenario(
            "pure timeout expires", s -> batch(s, timeout(s, 0, 5_000_000, 0).userData(1))),
        new Scenario(
            "timeout with ETIME_SUCCESS",
            s ->
                batch(
                    s,
                    timeout(s, 0, 5_000_000, 0)
                        .opFlags(OpFlags.IORING_TIMEOUT_ETIME_SUCCESS)
                        .userData(1))),
        new Scenario(
            "count-based timeout completes after two CQEs",
            s -> {
              s.ring(8);
              s.push(timeout(s, 10, 0, 2).userData(1), nop(2), nop(3));
              s.enter(3, 0, 0);
              s.waitFor(3);
              s.reap();
            }),
        new Scenario(
            "timeout remove",
            s -> {
              s.ring(8);
              s.push(timeout(s, 10, 0, 0).userData(1));
              s.enter(1, 0, 0);
              s.push(new Sqe(IORING_OP_TIMEOUT_REMOVE).addr(1).userData(2));
              s.enter(2, 0, 0);
              s.waitFor(2);
              s.reap();
            }),
        new Scenario(
            "timeout remove of nothing",
            s -> batch(s, new Sqe(IORING_OP_TIMEOUT_REMOVE).addr(77).userData(2))),
        new Scenario(
            "async cancel of a timeout",
            s -> {
              s.ring(8);
              s.push(timeout(s, 10, 0, 0).userData(1));
              s.enter(1, 0, 0);
              s.push(new Sqe(IORING_OP_ASYNC_CANCEL).addr(1).userData(2));
              s.enter(2, 0, 0);
              s.waitFor(2);
              s.reap();
            }),
        new Scenario(
            "async cancel of nothing",
            s -> batch(s, new Sqe(IORING_OP_ASYNC_CANCEL).addr(77).userData(2))),
        // ---- linked timeouts ----
        new Scenario(
            "linked timeout of 1 ns after an async read",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              // 6.18 arms it when the worker's issue returns: it fires as the read completes,
              // finds nothing to cancel, and the chain goes on by the read's result.
              batch(
                  s,
                  asyncRead(s, fd, 10).flags(IOSQE_ASYNC | IOSQE_IO_LINK).userData(1),
                  linkTimeout(s, 0, 1).flags(IOSQE_IO_LINK).userData(2),
                  nop(3));
              s.expectBuffer("a", 10);
            }),
        new Scenario(
            "linked timeout of 1 ns after a short async read",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              batch(
                  s,
                  asyncRead(s, fd, 16).flags(IOSQE_ASYNC | IOSQE_IO_LINK).userData(1),
                  linkTimeout(s, 0, 1).flags(IOSQE_IO_LINK).userData(2),
                  nop(3));
            }),
        new Scenario(
            "linked timeout after an async read that completes first",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              batch(
                  s,
                  asyncRead(s, fd, 10).flags(IOSQE_ASYNC | IOSQE_IO_LINK).userData(1),
                  linkTimeout(s, 10, 0).userData(2));
            }),
        new Scenario(
            "fired linked timeout cancels the oldest timeout with its target's user_data",
            s ->
                batch(
                    s,
                    timeout(s, 10, 0, 0).userData(1),
                    timeout(s, 0, 300_000_000, 0)
                        .opFlags(OpFlags.IORING_TIMEOUT_ETIME_SUCCESS)
                        .flags(IOSQE_IO_LINK)
                        .userData(1),
                    linkTimeout(s, 0, 20_000_000).flags(IOSQE_IO_LINK).userData(2),
                    nop(3))),
        // ---- overflow ----
        new Scenario(
            "overflow of a small CQ, flushed in order",
            s -> {
              s.ring(4);
              for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 4; i++) {
                  s.push(nop(round * 4 + i + 1));
                }
                s.enter(4, 0, 0);
              }
              s.expectSqFlag("CQ_OVERFLOW", RingFlags.IORING_SQ_CQ_OVERFLOW);
              s.expectCqOverflow();
              s.reapInOrder();
              s.enter(0, 0, EnterFlags.IORING_ENTER_GETEVENTS);
              s.expectSqFlag("CQ_OVERFLOW", RingFlags.IORING_SQ_CQ_OVERFLOW);
              s.reapInOrder();
            }),
        // ---- bad fields ----
        new Scenario("ioprio on a NOP", s -> one(s, nop(1).ioprio(1))),
        new Scenario("personality on a NOP", s -> one(s, nop(1).personality(1))),
        new Scenario(
            "reserved fields of FSYNC, one at a time",
            s -> {
              int fd = fileFd(s, O_RDWR);
              one(s, new Sqe(IORING_OP_FSYNC).fd(fd).addr(8).userData(1));
              one(s, new Sqe(IORING_OP_FSYNC).fd(fd).bufIndex(1).userData(2));
              one(s, new Sqe(IORING_OP_FSYNC).fd(fd).spliceFdIn(1).userData(3));
            }),
        new Scenario(
            "reserved fields of TIMEOUT and CLOSE",
            s -> {
              int fd = fileFd(s, O_RDWR);
              one(s, timeout(s, 1, 0, 0).bufIndex(1).userData(1));
              one(s, new Sqe(IORING_OP_CLOSE).fd(fd).off(1).userData(2));
              one(s, new Sqe(IORING_OP_CLOSE).fd(fd).len(1).userData(3));
            }),
        new Scenario("unknown opcode 200", s -> one(s, new Sqe(200).userData(1))),
        new Scenario("SQE flag bit 7", s -> one(s, nop(1).flags(1 << 7))),
        // ---- bad fds ----
        new Scenario("read of fd -1", s -> one(s, read(s, -1).userData(1))),
        new Scenario("read of fd 9999", s -> one(s, read(s, 9999).userData(1))),
        new Scenario(
            "read of a closed fd",
            s -> {
              s.file("f", TEN);
              // The ring first, so that it does not take the closed number.
              s.ringOnce(8);
              one(s, read(s, s.closedFd("f")).userData(1));
            }),
        new Scenario(
            "write to a read-only fd",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              one(s, new Sqe(IORING_OP_WRITE).fd(fd).addr(s.buffer("b", "x")).len(1).userData(1));
              s.expectFile("f");
            }),
        new Scenario("read of a directory", s -> one(s, read(s, s.directoryFd()).userData(1))),
        new Scenario(
            "enter on a file that is not a ring",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              s.ring(4);
              s.enterOn(fd, 0, 0, 0);
            }),
        // ---- bad addresses ----
        new Scenario(
            "read into an unmapped address",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              one(s, new Sqe(IORING_OP_READ).fd(fd).addr(UNMAPPED).len(4).userData(1));
            }),
        new Scenario(
            "write from an unmapped address",
            s -> {
              int fd = fileFd(s, O_RDWR);
              one(s, new Sqe(IORING_OP_WRITE).fd(fd).addr(UNMAPPED).len(4).userData(1));
              s.expectFile("f");
            }),
        new Scenario(
            "readv with an unmapped iovec array",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              one(s, new Sqe(IORING_OP_READV).fd(fd).addr(UNMAPPED).len(1).userData(1));
            }),
        new Scenario(
            "openat of an unmapped path",
            s -> {
              int dir = s.directoryFd();
              one(s, new Sqe(IORING_OP_OPENAT).fd(dir).addr(UNMAPPED).userData(1));
            }),
        // ---- file ops ----
        new Scenario(
            "openat of an existing file",
            s -> {
              s.file("f", TEN);
              int dir = s.directoryFd();
              s.resultIsFd(1);
              one(s, new Sqe(IORING_OP_OPENAT).fd(dir).addr(s.path("f")).userData(1));
            }),
        new Scenario(
            "openat of a missing file",
            s -> {
              int dir = s.directoryFd();
              one(s, new Sqe(IORING_OP_OPENAT).fd(dir).addr(s.path("missing")).userData(1));
            }),
        new Scenario(
            "openat creates a file",
            s -> {
              int dir = s.directoryFd();
              s.resultIsFd(1);
              one(
                  s,
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("new"))
                      .opFlags(O_CREAT | O_WRONLY)
                      .len(0644)
                      .userData(1));
              s.expectFile("new");
            }),
        new Scenario(
            "openat O_EXCL of an existing file",
            s -> {
              s.file("f", TEN);
              int dir = s.directoryFd();
              one(
                  s,
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .opFlags(O_CREAT | O_EXCL | O_WRONLY)
                      .len(0644)
                      .userData(1));
            }),
        new Scenario(
            "statx of a file",
            s -> {
              s.file("f", TEN);
              int dir = s.directoryFd();
              one(
                  s,
                  new Sqe(IORING_OP_STATX)
                      .fd(dir)
                      .addr(s.path("f"))
                      .len(Statx.STATX_BASIC_STATS)
                      .off(s.buffer("stx", Statx.STATX_SIZE_BYTES))
                      .userData(1));
              s.expectLong("stx", "stx_size", Statx.OFF_STX_SIZE);
              s.expectInt("stx", "stx_nlink", Statx.OFF_STX_NLINK);
            }),
        new Scenario(
            "statx of a missing file",
            s -> {
              int dir = s.directoryFd();
              one(
                  s,
                  new Sqe(IORING_OP_STATX)
                      .fd(dir)
                      .addr(s.path("missing"))
                      .len(Statx.STATX_BASIC_STATS)
                      .off(s.buffer("stx", Statx.STATX_SIZE_BYTES))
                      .userData(1));
            }),
        new Scenario(
            "close, then read the closed fd",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              one(s, new Sqe(IORING_OP_CLOSE).fd(fd).userData(1));
              one(s, read(s, fd).userData(2));
            }),
        new Scenario(
            "unlinkat of a file and of a missing file",
            s -> {
              s.file("f", TEN);
              int dir = s.directoryFd();
              batch(
                  s,
                  new Sqe(IORING_OP_UNLINKAT).fd(dir).addr(s.path("f")).userData(1),
                  new Sqe(IORING_OP_UNLINKAT).fd(dir).addr(s.path("missing")).userData(2));
              s.expectFile("f");
            }),
        new Scenario(
            "unlinkat of a directory without AT_REMOVEDIR, then with",
            s -> {
              s.directory("d");
              int dir = s.directoryFd();
              one(s, new Sqe(IORING_OP_UNLINKAT).fd(dir).addr(s.path("d")).userData(1));
              s.expectFile("d");
              one(
                  s,
                  new Sqe(IORING_OP_UNLINKAT)
                      .fd(dir)
                      .addr(s.path("d"))
                      .opFlags(AT_REMOVEDIR)
                      .userData(2));
              s.expectFile("d");
            }),
        new Scenario(
            "mkdirat, then again",
            s -> {
              int dir = s.directoryFd();
              one(s, new Sqe(IORING_OP_MKDIRAT).fd(dir).addr(s.path("d")).len(0755).userData(1));
              one(s, new Sqe(IORING_OP_MKDIRAT).fd(dir).addr(s.path("d")).len(0755).userData(2));
              s.expectFile("d");
            }),
        new Scenario(
            "renameat of a file",
            s -> {
              s.file("f", TEN);
              int dir = s.directoryFd();
              one(
                  s,
                  new Sqe(IORING_OP_RENAMEAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .len(dir)
                      .off(s.path("g"))
                      .userData(1));
              s.expectFile("f");
              s.expectFile("g");
            }),
        new Scenario(
            "renameat of a missing file",
            s -> {
              int dir = s.directoryFd();
              one(
                  s,
                  new Sqe(IORING_OP_RENAMEAT)
                      .fd(dir)
                      .addr(s.path("missing"))
                      .len(dir)
                      .off(s.path("g"))
                      .userData(1));
            }),
        new Scenario(
            "renameat with RENAME_EXCHANGE",
            s -> {
              s.file("f", "first");
              s.file("g", "second");
              int dir = s.directoryFd();
              one(
                  s,
                  new Sqe(IORING_OP_RENAMEAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .len(dir)
                      .off(s.path("g"))
                      .opFlags(RENAME_EXCHANGE)
                      .userData(1));
              s.expectFile("f");
              s.expectFile("g");
            }),
        new Scenario(
            "openat O_TMPFILE",
            s -> {
              int dir = s.directoryFd();
              s.resultIsFd(1);
              one(
                  s,
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("."))
                      .opFlags(O_TMPFILE | O_RDWR)
                      .len(0600)
                      .userData(1));
            }),
        new Scenario(
            "write at an offset to an O_APPEND fd appends, as pwrite does",
            s -> {
              int fd = fileFd(s, O_WRONLY | O_APPEND);
              one(s, new Sqe(IORING_OP_WRITE).fd(fd).addr(s.buffer("w", "ab")).len(2).off(2));
              one(s, new Sqe(IORING_OP_WRITE).fd(fd).addr(s.buffer("x", "cd")).len(2).off(-1));
              s.expectFile("f");
            }),
        new Scenario(
            "read of a write-only fd, offsets below -1",
            s -> {
              int wr = fileFd(s, O_WRONLY);
              int rd = s.open("f", O_RDWR);
              batch(
                  s,
                  read(s, wr).userData(1),
                  read(s, rd).off(-2).userData(2),
                  new Sqe(IORING_OP_WRITE)
                      .fd(rd)
                      .addr(s.buffer("w", "x"))
                      .len(1)
                      .off(Long.MIN_VALUE)
                      .userData(3));
              s.expectFile("f");
            }),
        new Scenario(
            "ftruncate of a read-only fd, a directory, a negative length",
            s -> {
              int ro = fileFd(s, O_RDONLY);
              int rw = s.open("f", O_RDWR);
              batch(
                  s,
                  new Sqe(IORING_OP_FTRUNCATE).fd(ro).off(2).userData(1),
                  new Sqe(IORING_OP_FTRUNCATE).fd(s.directoryFd()).off(2).userData(2),
                  new Sqe(IORING_OP_FTRUNCATE).fd(rw).off(-1).userData(3));
              s.expectFile("f");
            }),
        new Scenario(
            "fallocate of a read-only fd, zero length, negative offset",
            s -> {
              int ro = fileFd(s, O_RDONLY);
              int rw = s.open("f", O_RDWR);
              batch(
                  s,
                  new Sqe(IORING_OP_FALLOCATE).fd(ro).addr(20).userData(1),
                  new Sqe(IORING_OP_FALLOCATE).fd(rw).addr(0).userData(2),
                  new Sqe(IORING_OP_FALLOCATE).fd(rw).off(-1).addr(4).userData(3));
              s.expectFile("f");
            }),
        new Scenario(
            "close of the ring's own fd",
            s -> one(s, new Sqe(IORING_OP_CLOSE).fd(s.ringFd()).userData(1))),
        new Scenario(
            "openat: O_DIRECTORY of a file, a directory for writing, O_CREAT with O_DIRECTORY",
            s -> {
              s.file("f", TEN);
              s.directory("d");
              int dir = s.directoryFd();
              batch(
                  s,
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .opFlags(O_RDONLY | O_DIRECTORY)
                      .userData(1),
                  new Sqe(IORING_OP_OPENAT).fd(dir).addr(s.path("d")).opFlags(O_WRONLY).userData(2),
                  new Sqe(IORING_OP_OPENAT).fd(dir).addr(s.path("d")).opFlags(O_RDWR).userData(3),
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("n"))
                      .opFlags(O_CREAT | O_DIRECTORY | O_RDWR)
                      .len(0644)
                      .userData(4));
              s.expectFile("n");
            }),
        new Scenario(
            "openat: through a file, a long name, a missing parent; an empty path ends the batch",
            s -> {
              s.file("f", TEN);
              int dir = s.directoryFd();
              batch(
                  s,
                  new Sqe(IORING_OP_OPENAT).fd(dir).addr(s.path("f/x")).userData(1),
                  new Sqe(IORING_OP_OPENAT).fd(dir).addr(s.path("x".repeat(256))).userData(2),
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("f/" + "x".repeat(256)))
                      .userData(3),
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("missing/f"))
                      .opFlags(O_CREAT | O_WRONLY)
                      .len(0644)
                      .userData(4),
                  new Sqe(IORING_OP_OPENAT).fd(dir).addr(s.path("")).userData(5),
                  nop(6));
            }),
        new Scenario(
            "a trailing slash: openat, O_CREAT, statx",
            s -> {
              s.file("f", TEN);
              s.directory("d");
              int dir = s.directoryFd();
              long st = s.buffer("st", Statx.STATX_SIZE_BYTES);
              s.resultIsFd(2);
              batch(
                  s,
                  new Sqe(IORING_OP_OPENAT).fd(dir).addr(s.path("f/")).userData(1),
                  new Sqe(IORING_OP_OPENAT).fd(dir).addr(s.path("d/")).userData(2),
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("d/"))
                      .opFlags(O_WRONLY)
                      .userData(3),
                  new Sqe(IORING_OP_OPENAT).fd(dir).addr(s.path("missing/")).userData(4),
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("n/"))
                      .opFlags(O_CREAT | O_WRONLY)
                      .len(0644)
                      .userData(5),
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("f/"))
                      .opFlags(O_CREAT | O_WRONLY)
                      .len(0644)
                      .userData(6),
                  new Sqe(IORING_OP_STATX)
                      .fd(dir)
                      .addr(s.path("f/"))
                      .len(Statx.STATX_TYPE)
                      .off(st)
                      .userData(7),
                  new Sqe(IORING_OP_STATX)
                      .fd(dir)
                      .addr(s.path("d//"))
                      .len(Statx.STATX_TYPE)
                      .off(st)
                      .userData(8));
              batch(
                  s,
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("d/"))
                      .opFlags(O_CREAT | O_RDONLY)
                      .len(0644)
                      .userData(9),
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("missing/n/"))
                      .opFlags(O_CREAT | O_WRONLY)
                      .len(0644)
                      .userData(10),
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("f/"))
                      .opFlags(O_WRONLY | O_TRUNC)
                      .userData(11),
                  new Sqe(IORING_OP_STATX)
                      .fd(dir)
                      .addr(s.path("f/" + "x".repeat(256) + "/y"))
                      .len(Statx.STATX_TYPE)
                      .off(st)
                      .userData(12));
              s.expectFile("n");
              s.expectFile("f");
            }),
        new Scenario(
            "a trailing slash: unlinkat, rmdir, mkdirat, renameat, linkat, symlinkat",
            s -> {
              s.file("f", TEN);
              s.file("g", "other");
              s.directory("d");
              s.directory("e");
              int dir = s.directoryFd();
              batch(
                  s,
                  new Sqe(IORING_OP_UNLINKAT).fd(dir).addr(s.path("f/")).userData(1),
                  new Sqe(IORING_OP_UNLINKAT).fd(dir).addr(s.path("d/")).userData(2),
                  new Sqe(IORING_OP_UNLINKAT).fd(dir).addr(s.path("missing/")).userData(3),
                  new Sqe(IORING_OP_UNLINKAT)
                      .fd(dir)
                      .addr(s.path("f/"))
                      .opFlags(AT_REMOVEDIR)
                      .userData(4),
                  new Sqe(IORING_OP_MKDIRAT).fd(dir).addr(s.path("m/")).len(0755).userData(5));
              batch(
                  s,
                  rename(s, dir, "f/", "h", 0).userData(6),
                  rename(s, dir, "f", "h/", 0).userData(7),
                  rename(s, dir, "missing/", "h", 0).userData(8),
                  rename(s, dir, "e/", "e2/", 0).userData(9));
              batch(
                  s,
                  new Sqe(IORING_OP_LINKAT)
                      .fd(dir)
                      .addr(s.path("f/"))
                      .len(dir)
                      .off(s.path("h"))
                      .userData(10),
                  new Sqe(IORING_OP_LINKAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .len(dir)
                      .off(s.path("h/"))
                      .userData(11),
                  new Sqe(IORING_OP_LINKAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .len(dir)
                      .off(s.path("g/"))
                      .userData(12),
                  new Sqe(IORING_OP_SYMLINKAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .off(s.path("s/"))
                      .userData(13),
                  new Sqe(IORING_OP_SYMLINKAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .off(s.path("g/"))
                      .userData(14));
              for (String name : List.of("f", "d", "m", "h", "e", "e2", "s")) {
                s.expectFile(name);
              }
            }),
        new Scenario(
            "symlinkat, then openat O_NOFOLLOW of it, statx of it with and without following",
            s -> {
              s.file("f", TEN);
              int dir = s.directoryFd();
              one(
                  s,
                  new Sqe(IORING_OP_SYMLINKAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .off(s.path("l"))
                      .userData(1));
              one(
                  s,
                  new Sqe(IORING_OP_SYMLINKAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .off(s.path("l"))
                      .userData(2));
              one(
                  s,
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("l"))
                      .opFlags(O_RDONLY | O_NOFOLLOW)
                      .userData(3));
              long follow = s.buffer("follow", Statx.STATX_SIZE_BYTES);
              long link = s.buffer("link", Statx.STATX_SIZE_BYTES);
              batch(
                  s,
                  new Sqe(IORING_OP_STATX)
                      .fd(dir)
                      .addr(s.path("l"))
                      .len(Statx.STATX_TYPE | Statx.STATX_SIZE)
                      .off(follow)
                      .userData(4),
                  new Sqe(IORING_OP_STATX)
                      .fd(dir)
                      .addr(s.path("l"))
                      .len(Statx.STATX_TYPE | Statx.STATX_SIZE)
                      .opFlags(AT_SYMLINK_NOFOLLOW)
                      .off(link)
                      .userData(5));
              s.expectInt("follow", "mode", Statx.OFF_STX_MODE);
              s.expectLong("follow", "size", Statx.OFF_STX_SIZE);
              s.expectInt("link", "mode", Statx.OFF_STX_MODE);
              s.expectLong("link", "size", Statx.OFF_STX_SIZE);
              s.expectFile("l");
            }),
        new Scenario(
            "linkat: a file, onto an existing name, of a missing file, of a directory",
            s -> {
              s.file("f", TEN);
              s.file("g", "other");
              s.directory("d");
              int dir = s.directoryFd();
              batch(
                  s,
                  new Sqe(IORING_OP_LINKAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .len(dir)
                      .off(s.path("h"))
                      .userData(1),
                  new Sqe(IORING_OP_LINKAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .len(dir)
                      .off(s.path("g"))
                      .userData(2),
                  new Sqe(IORING_OP_LINKAT)
                      .fd(dir)
                      .addr(s.path("missing"))
                      .len(dir)
                      .off(s.path("m"))
                      .userData(3),
                  new Sqe(IORING_OP_LINKAT)
                      .fd(dir)
                      .addr(s.path("d"))
                      .len(dir)
                      .off(s.path("e"))
                      .userData(4));
              s.expectFile("h");
              s.expectFile("g");
            }),
        new Scenario(
            "unlinkat: a non-empty directory, AT_REMOVEDIR of a file, an unknown flag",
            s -> {
              s.directory("d");
              s.file("d/x", "x");
              s.file("f", TEN);
              int dir = s.directoryFd();
              batch(
                  s,
                  new Sqe(IORING_OP_UNLINKAT)
                      .fd(dir)
                      .addr(s.path("d"))
                      .opFlags(AT_REMOVEDIR)
                      .userData(1),
                  new Sqe(IORING_OP_UNLINKAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .opFlags(AT_REMOVEDIR)
                      .userData(2),
                  new Sqe(IORING_OP_UNLINKAT).fd(dir).addr(s.path("f")).opFlags(1).userData(3));
              s.expectFile("d");
              s.expectFile("f");
            }),
        new Scenario(
            "renameat: RENAME_NOREPLACE onto a file, a directory into itself, over each other",
            s -> {
              s.file("f", "first");
              s.file("g", "second");
              s.directory("d");
              s.directory("e");
              s.file("e/x", "x");
              s.directory("empty");
              int dir = s.directoryFd();
              batch(
                  s,
                  rename(s, dir, "f", "g", RENAME_NOREPLACE).userData(1),
                  rename(s, dir, "d", "d/sub", 0).userData(2),
                  rename(s, dir, "f", "d", 0).userData(3),
                  rename(s, dir, "d", "f", 0).userData(4),
                  rename(s, dir, "d", "e", 0).userData(5),
                  rename(s, dir, "d", "empty", 0).userData(6),
                  rename(s, dir, "g", "g", 0).userData(7));
              s.expectFile("f");
              s.expectFile("g");
              s.expectFile("d");
              s.expectFile("empty");
            }),
        new Scenario(
            "mkdirat under a missing directory and under a file",
            s -> {
              s.file("f", TEN);
              int dir = s.directoryFd();
              batch(
                  s,
                  new Sqe(IORING_OP_MKDIRAT)
                      .fd(dir)
                      .addr(s.path("missing/d"))
                      .len(0755)
                      .userData(1),
                  new Sqe(IORING_OP_MKDIRAT).fd(dir).addr(s.path("f/d")).len(0755).userData(2),
                  new Sqe(IORING_OP_MKDIRAT).fd(dir).addr(s.path("f")).len(0755).userData(3));
            }),
        new Scenario(
            "msg_ring to its own ring: data, CQE_SKIP, FLAGS_PASS, an unknown command, not a ring",
            s -> {
              int self = s.ringFd();
              int fd = fileFd(s, O_RDONLY);
              batch(
                  s,
                  new Sqe(IORING_OP_MSG_RING).fd(self).len(42).off(100).userData(1),
                  new Sqe(IORING_OP_MSG_RING)
                      .fd(self)
                      .len(43)
                      .off(101)
                      .opFlags(OpFlags.IORING_MSG_RING_FLAGS_PASS)
                      .spliceFdIn(0x8)
                      .userData(2),
                  new Sqe(IORING_OP_MSG_RING).fd(self).addr(7).userData(3),
                  new Sqe(IORING_OP_MSG_RING).fd(fd).len(1).off(102).userData(4),
                  new Sqe(IORING_OP_MSG_RING).fd(self).opFlags(1 << 5).userData(5),
                  new Sqe(IORING_OP_MSG_RING)
                      .fd(self)
                      .len(44)
                      .off(103)
                      .spliceFdIn(0x8)
                      .userData(6));
              s.waitFor(2);
              s.reap();
            }),
        new Scenario(
            "timeout flags: an unknown flag, two clocks, a negative time, ABS in the past, count",
            s -> {
              long past = s.timespec(0, 1);
              batch(
                  s,
                  timeout(s, 0, 1_000_000, 0).opFlags(1 << 7).userData(1),
                  timeout(s, 0, 1_000_000, 0)
                      .opFlags(OpFlags.IORING_TIMEOUT_BOOTTIME | OpFlags.IORING_TIMEOUT_REALTIME)
                      .userData(2),
                  timeout(s, -1, 0, 0).userData(3),
                  new Sqe(IORING_OP_TIMEOUT)
                      .addr(past)
                      .len(1)
                      .opFlags(OpFlags.IORING_TIMEOUT_ABS)
                      .userData(4),
                  timeout(s, 0, 1_000_000, 0).len(2).userData(5),
                  timeout(s, 0, 1_000_000, 0).fd(1).userData(6));
            }),
        new Scenario(
            "multishot timeout: three shots; an endless one removed",
            s -> {
              s.ringOnce(8);
              s.push(
                  timeout(s, 0, 2_000_000, 3)
                      .opFlags(OpFlags.IORING_TIMEOUT_MULTISHOT)
                      .userData(1));
              s.enter(1, 0, 0);
              s.waitFor(3);
              s.reap();
              s.push(timeout(s, 10, 0, 0).opFlags(OpFlags.IORING_TIMEOUT_MULTISHOT).userData(2));
              s.enter(1, 0, 0);
              s.push(new Sqe(IORING_OP_TIMEOUT_REMOVE).addr(2).userData(3));
              s.enter(1, 0, 0);
              s.waitFor(2);
              s.reap();
            }),
        new Scenario(
            "timeout update: of an armed timeout, of nothing, with a bad flag",
            s -> {
              s.ringOnce(8);
              s.push(timeout(s, 10, 0, 0).userData(1));
              s.enter(1, 0, 0);
              long soon = s.timespec(0, 200_000_000);
              batch(
                  s,
                  new Sqe(IORING_OP_TIMEOUT_REMOVE)
                      .addr(1)
                      .off(soon)
                      .opFlags(OpFlags.IORING_TIMEOUT_UPDATE)
                      .userData(2),
                  new Sqe(IORING_OP_TIMEOUT_REMOVE)
                      .addr(99)
                      .off(soon)
                      .opFlags(OpFlags.IORING_TIMEOUT_UPDATE)
                      .userData(3),
                  new Sqe(IORING_OP_TIMEOUT_REMOVE).addr(1).opFlags(1 << 7).userData(4));
              s.waitFor(1);
              s.reap();
            }),
        new Scenario(
            "async cancel: by opcode, every timeout, any, by fd of a timeout, bad flags",
            s -> {
              s.ringOnce(8);
              s.push(
                  timeout(s, 10, 0, 0).userData(1),
                  timeout(s, 10, 0, 0).userData(2),
                  timeout(s, 10, 0, 0).userData(3));
              s.enter(3, 0, 0);
              batch(
                  s,
                  new Sqe(IORING_OP_ASYNC_CANCEL)
                      .fd(-1)
                      .len(IORING_OP_TIMEOUT)
                      .opFlags(OpFlags.IORING_ASYNC_CANCEL_OP)
                      .userData(4),
                  new Sqe(IORING_OP_ASYNC_CANCEL)
                      .fd(3)
                      .opFlags(OpFlags.IORING_ASYNC_CANCEL_FD | OpFlags.IORING_ASYNC_CANCEL_ALL)
                      .userData(5),
                  new Sqe(IORING_OP_ASYNC_CANCEL)
                      .opFlags(OpFlags.IORING_ASYNC_CANCEL_ANY | OpFlags.IORING_ASYNC_CANCEL_ALL)
                      .userData(6),
                  new Sqe(IORING_OP_ASYNC_CANCEL).opFlags(1 << 10).userData(7),
                  new Sqe(IORING_OP_ASYNC_CANCEL)
                      .opFlags(OpFlags.IORING_ASYNC_CANCEL_ANY | OpFlags.IORING_ASYNC_CANCEL_FD)
                      .userData(8));
            }),
        new Scenario(
            "readv and writev: an empty iovec, a negative length, a zero count",
            s -> {
              int fd = fileFd(s, O_RDWR);
              long a = s.buffer("a", 4);
              long b = s.buffer("b", 4);
              batch(
                  s,
                  new Sqe(IORING_OP_READV).fd(fd).addr(s.iovecs(a, 0, b, 4)).len(2).userData(1),
                  new Sqe(IORING_OP_READV).fd(fd).addr(s.iovecs(a, -1)).len(1).userData(2),
                  new Sqe(IORING_OP_WRITEV).fd(fd).addr(s.iovecs(a, 1L << 62)).len(1).userData(3),
                  new Sqe(IORING_OP_WRITEV).fd(fd).addr(s.iovecs(a, 4)).len(0).off(3).userData(4));
              s.expectBuffer("b", 4);
              s.expectFile("f");
            }),
        new Scenario(
            "nop flags: FILE with a closed fd, FIXED_FILE without a table, an unknown flag",
            s -> {
              s.ringFd(); // first, so that the closed fd's number stays free
              int fd = fileFd(s, O_RDONLY);
              int closed = s.closedFd("f");
              batch(
                  s,
                  nop(1).fd(fd).opFlags(OpFlags.IORING_NOP_FILE),
                  nop(2).fd(closed).opFlags(OpFlags.IORING_NOP_FILE),
                  nop(3).fd(0).opFlags(OpFlags.IORING_NOP_FILE | OpFlags.IORING_NOP_FIXED_FILE),
                  nop(4).opFlags(1 << 20),
                  nop(5).fd(fd).flags(IOSQE_FIXED_FILE));
            }),
        new Scenario(
            "fadvise and sync_file_range: bad advice, bad flags, a negative range, a closed fd",
            s -> {
              s.ringFd(); // first, so that the closed fd's number stays free
              int fd = fileFd(s, O_RDWR);
              int closed = s.closedFd("f");
              batch(
                  s,
                  new Sqe(IORING_OP_FADVISE).fd(fd).len(4).opFlags(POSIX_FADV_WILLNEED).userData(1),
                  new Sqe(IORING_OP_FADVISE).fd(fd).len(4).opFlags(9).userData(2),
                  new Sqe(IORING_OP_FADVISE).fd(closed).len(4).userData(3),
                  new Sqe(IORING_OP_SYNC_FILE_RANGE)
                      .fd(fd)
                      .len(4)
                      .opFlags(SYNC_FILE_RANGE_WRITE)
                      .userData(4),
                  new Sqe(IORING_OP_SYNC_FILE_RANGE).fd(fd).len(4).opFlags(1 << 3).userData(5),
                  new Sqe(IORING_OP_SYNC_FILE_RANGE).fd(fd).off(-1).len(4).userData(6),
                  new Sqe(IORING_OP_SYNC_FILE_RANGE).fd(closed).len(4).userData(7),
                  new Sqe(IORING_OP_FADVISE).fd(fd).off(-1).len(4).userData(8));
            }),
        new Scenario(
            "fadvise and sync_file_range of the ring's own fd",
            s -> {
              int self = s.ringFd();
              batch(
                  s,
                  new Sqe(IORING_OP_FADVISE).fd(self).len(4).userData(1),
                  new Sqe(IORING_OP_FADVISE).fd(self).len(4).opFlags(9).userData(2),
                  new Sqe(IORING_OP_SYNC_FILE_RANGE).fd(self).len(4).userData(3));
            }),
        new Scenario(
            "statx flags: both sync types, an unknown flag, a reserved mask bit, the dirfd itself",
            s -> {
              s.directory("d"); // made by the scenario: the targets' own directories' modes differ
              s.file("d/f", TEN);
              int dir = s.open("d", O_RDONLY | O_DIRECTORY);
              long st = s.buffer("st", Statx.STATX_SIZE_BYTES);
              batch(
                  s,
                  new Sqe(IORING_OP_STATX)
                      .fd(dir)
                      .addr(s.path("f"))
                      .len(Statx.STATX_SIZE)
                      .opFlags(0x6000)
                      .off(st)
                      .userData(1),
                  new Sqe(IORING_OP_STATX)
                      .fd(dir)
                      .addr(s.path("f"))
                      .len(Statx.STATX_SIZE)
                      .opFlags(1 << 30)
                      .off(st)
                      .userData(2),
                  new Sqe(IORING_OP_STATX)
                      .fd(dir)
                      .addr(s.path("f"))
                      .len(1 << 31)
                      .off(st)
                      .userData(3),
                  new Sqe(IORING_OP_STATX)
                      .fd(dir)
                      .addr(s.path(""))
                      .len(Statx.STATX_TYPE)
                      .opFlags(AT_EMPTY_PATH)
                      .off(st)
                      .userData(4));
              s.expectInt("st", "mode", Statx.OFF_STX_MODE);
            }),
        new Scenario(
            "symlinkat with a target holding a name over NAME_MAX",
            s -> {
              int dir = s.directoryFd();
              one(
                  s,
                  new Sqe(IORING_OP_SYMLINKAT)
                      .fd(dir)
                      .addr(s.path("x".repeat(300)))
                      .off(s.path("l"))
                      .userData(1));
            }),
        new Scenario(
            "an O_PATH fd: read, fsync, statx of it",
            s -> {
              s.file("f", TEN);
              int fd = s.open("f", O_PATH);
              long st = s.buffer("st", Statx.STATX_SIZE_BYTES);
              batch(
                  s,
                  read(s, fd).userData(1),
                  new Sqe(IORING_OP_FSYNC).fd(fd).userData(2),
                  new Sqe(IORING_OP_STATX)
                      .fd(fd)
                      .addr(s.path(""))
                      .len(Statx.STATX_SIZE)
                      .opFlags(AT_EMPTY_PATH)
                      .off(st)
                      .userData(3));
              s.expectLong("st", "size", Statx.OFF_STX_SIZE);
            }),
        new Scenario(
            "RWF_NOAPPEND writes an O_APPEND fd at the offset; O_TRUNC with O_RDONLY",
            s -> {
              int fd = fileFd(s, O_WRONLY | O_APPEND);
              one(
                  s,
                  new Sqe(IORING_OP_WRITE)
                      .fd(fd)
                      .addr(s.buffer("w", "ab"))
                      .len(2)
                      .off(2)
                      .opFlags(OpFlags.RWF_NOAPPEND)
                      .userData(1));
              s.expectFile("f");
              int dir = s.directoryFd();
              s.resultIsFd(2);
              one(
                  s,
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .opFlags(O_RDONLY | O_TRUNC)
                      .userData(2));
              s.expectFile("f");
            }),
        new Scenario(
            "sizes past what the file system holds: write, ftruncate, fallocate",
            s -> {
              int fd = fileFd(s, O_RDWR);
              batch(
                  s,
                  new Sqe(IORING_OP_WRITE)
                      .fd(fd)
                      .addr(s.buffer("w", "x"))
                      .len(1)
                      .off(1L << 62)
                      .userData(1),
                  new Sqe(IORING_OP_FTRUNCATE).fd(fd).off(1L << 50).userData(2),
                  new Sqe(IORING_OP_FALLOCATE).fd(fd).off(1L << 50).addr(4096).userData(3),
                  new Sqe(IORING_OP_WRITE)
                      .fd(fd)
                      .addr(s.buffer("z", "x"))
                      .len(0)
                      .off(1L << 62)
                      .userData(4));
              s.expectFile("f");
            }),
        new Scenario(
            "registered files: FILES_UPDATE with -1 and SKIP, OPENAT into a slot, CLOSE of a slot",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              s.ring(8);
              s.register("register files", IORING_REGISTER_FILES, s.ints(fd, -1, -1), 3);
              int dir = s.directoryFd();
              batch(
                  s,
                  new Sqe(IORING_OP_FILES_UPDATE).addr(s.ints(-1, -2)).len(2).userData(1),
                  new Sqe(IORING_OP_OPENAT).fd(dir).addr(s.path("f")).spliceFdIn(3).userData(2),
                  new Sqe(IORING_OP_OPENAT).fd(dir).addr(s.path("f")).spliceFdIn(3).userData(3),
                  new Sqe(IORING_OP_OPENAT).fd(dir).addr(s.path("f")).spliceFdIn(9).userData(4));
              batch(
                  s,
                  read(s, 0).flags(IOSQE_FIXED_FILE).userData(5),
                  read(s, 2).flags(IOSQE_FIXED_FILE).userData(6),
                  new Sqe(IORING_OP_CLOSE).spliceFdIn(3).userData(7),
                  new Sqe(IORING_OP_CLOSE).spliceFdIn(3).userData(8),
                  new Sqe(IORING_OP_CLOSE).fd(dir).spliceFdIn(1).userData(9));
              one(s, read(s, 2).flags(IOSQE_FIXED_FILE).userData(10));
              s.expectBuffer("r2", 8);
            }),
        new Scenario(
            "restrictions: a disabled ring, a NOP and register-files allow list, then enabled",
            s -> {
              s.ring(8, SetupFlags.IORING_SETUP_R_DISABLED);
              s.push(nop(1));
              s.enter(1, 0, 0);
              long allow =
                  s.ints(
                      OpFlags.IORING_RESTRICTION_SQE_OP | IORING_OP_NOP << 16,
                      0,
                      0,
                      0,
                      OpFlags.IORING_RESTRICTION_REGISTER_OP | IORING_REGISTER_FILES << 16,
                      0,
                      0,
                      0,
                      OpFlags.IORING_RESTRICTION_SQE_FLAGS_ALLOWED | IOSQE_IO_LINK << 16,
                      0,
                      0,
                      0);
              s.register("restrictions", IORING_REGISTER_RESTRICTIONS, allow, 3);
              s.register("restrictions again", IORING_REGISTER_RESTRICTIONS, allow, 3);
              s.register("enable", IORING_REGISTER_ENABLE_RINGS, 0, 0);
              s.register("enable again", IORING_REGISTER_ENABLE_RINGS, 0, 0);
              s.enter(1, 0, 0); // the NOP queued while the ring was disabled
              s.waitFor(1);
              s.reap();
              int fd = fileFd(s, O_RDONLY);
              batch(
                  s,
                  nop(2),
                  nop(3).flags(IOSQE_IO_LINK),
                  nop(4),
                  nop(5).flags(IOSQE_IO_DRAIN),
                  read(s, fd).userData(6));
              s.register("register files", IORING_REGISTER_FILES, s.ints(fd), 1);
              s.register("register buffers", IORING_REGISTER_BUFFERS, 0, 0);
            }),
        new Scenario(
            "sparse files, FILE_ALLOC_RANGE, and OPENAT into IORING_FILE_INDEX_ALLOC",
            s -> {
              s.file("f", TEN);
              s.ring(8);
              s.register(
                  "files2 sparse",
                  IORING_REGISTER_FILES2,
                  s.ints(4, OpFlags.IORING_RSRC_REGISTER_SPARSE, 0, 0, 0, 0, 0, 0),
                  32);
              s.register(
                  "alloc range 1+2", IORING_REGISTER_FILE_ALLOC_RANGE, s.ints(1, 2, 0, 0), 0);
              s.register(
                  "alloc range 3+2", IORING_REGISTER_FILE_ALLOC_RANGE, s.ints(3, 2, 0, 0), 0);
              int dir = s.directoryFd();
              for (int i = 1; i <= 3; i++) {
                one(
                    s,
                    new Sqe(IORING_OP_OPENAT)
                        .fd(dir)
                        .addr(s.path("f"))
                        .spliceFdIn(OpFlags.IORING_FILE_INDEX_ALLOC)
                        .userData(i));
              }
              one(s, new Sqe(IORING_OP_CLOSE).spliceFdIn(2).userData(4));
              one(
                  s,
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .spliceFdIn(OpFlags.IORING_FILE_INDEX_ALLOC)
                      .userData(5));
              one(s, read(s, 1).flags(IOSQE_FIXED_FILE).userData(6));
              s.expectBuffer("r1", 8);
            }),
        new Scenario(
            "IOSQE_ASYNC on file ops: openat, statx, write, fsync, read, close",
            s -> {
              s.file("f", TEN);
              int dir = s.directoryFd();
              s.resultIsFd(1);
              long st = s.buffer("st", Statx.STATX_SIZE_BYTES);
              batch(
                  s,
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .opFlags(O_RDWR)
                      .flags(IOSQE_ASYNC)
                      .userData(1),
                  new Sqe(IORING_OP_STATX)
                      .fd(dir)
                      .addr(s.path("f"))
                      .len(Statx.STATX_SIZE)
                      .off(st)
                      .flags(IOSQE_ASYNC)
                      .userData(2),
                  new Sqe(IORING_OP_MKDIRAT)
                      .fd(dir)
                      .addr(s.path("d"))
                      .len(0755)
                      .flags(IOSQE_ASYNC)
                      .userData(3));
              s.expectLong("st", "size", Statx.OFF_STX_SIZE);
              int fd = s.open("f", O_RDWR);
              batch(
                  s,
                  new Sqe(IORING_OP_WRITE)
                      .fd(fd)
                      .addr(s.buffer("w", "async"))
                      .len(5)
                      .off(3)
                      .flags(IOSQE_ASYNC | IOSQE_IO_LINK)
                      .userData(4),
                  new Sqe(IORING_OP_FSYNC)
                      .fd(fd)
                      .opFlags(OpFlags.IORING_FSYNC_DATASYNC)
                      .flags(IOSQE_ASYNC | IOSQE_IO_LINK)
                      .userData(5),
                  new Sqe(IORING_OP_READ)
                      .fd(fd)
                      .addr(s.buffer("r", 12))
                      .len(12)
                      .flags(IOSQE_ASYNC | IOSQE_IO_LINK)
                      .userData(6),
                  new Sqe(IORING_OP_CLOSE).fd(fd).flags(IOSQE_ASYNC).userData(7));
              s.expectBuffer("r", 12);
              s.expectFile("f");
              s.expectFile("d");
            }),
        new Scenario(
            "fsync: an unknown flag, a range, on a read-only fd, on a directory",
            s -> {
              int ro = fileFd(s, O_RDONLY);
              int rw = s.open("f", O_RDWR);
              batch(
                  s,
                  new Sqe(IORING_OP_FSYNC).fd(rw).opFlags(2).userData(1),
                  new Sqe(IORING_OP_FSYNC).fd(rw).off(2).len(4).userData(2),
                  new Sqe(IORING_OP_FSYNC).fd(ro).userData(3),
                  new Sqe(IORING_OP_FSYNC).fd(s.directoryFd()).userData(4),
                  new Sqe(IORING_OP_FSYNC).fd(rw).addr(1).userData(5));
            }),
        new Scenario(
            "provided buffers: READV selects one, a larger read takes the buffer's size, WRITE refuses",
            s -> {
              int fd = fileFd(s, O_RDWR);
              long pool = s.buffer("pool", 8);
              one(
                  s,
                  new Sqe(IORING_OP_PROVIDE_BUFFERS)
                      .fd(2)
                      .addr(pool)
                      .len(4)
                      .bufIndex(3)
                      .userData(1));
              long one = s.buffer("one", 0);
              batch(
                  s,
                  new Sqe(IORING_OP_READ)
                      .fd(fd)
                      .len(10)
                      .flags(IOSQE_BUFFER_SELECT)
                      .bufIndex(3)
                      .userData(2),
                  new Sqe(IORING_OP_READV)
                      .fd(fd)
                      .addr(s.iovecs(one, 4))
                      .len(1)
                      .off(4)
                      .flags(IOSQE_BUFFER_SELECT)
                      .bufIndex(3)
                      .userData(3),
                  new Sqe(IORING_OP_READV)
                      .fd(fd)
                      .addr(s.iovecs(one, 4, one, 4))
                      .len(2)
                      .flags(IOSQE_BUFFER_SELECT)
                      .bufIndex(3)
                      .userData(4),
                  new Sqe(IORING_OP_WRITE)
                      .fd(fd)
                      .len(4)
                      .flags(IOSQE_BUFFER_SELECT)
                      .bufIndex(3)
                      .userData(5));
              s.expectBuffer("pool", 8);
            }),
        new Scenario(
            "xattrs: set and get by fd and by path, sizes, CREATE and REPLACE, a missing name",
            s -> {
              int fd = fileFd(s, O_RDWR);
              long name = s.path("user.comment");
              long value = s.buffer("value", "hello");
              long back = s.buffer("back", 8);
              batch(
                  s,
                  new Sqe(IORING_OP_FSETXATTR)
                      .fd(fd)
                      .addr(name)
                      .off(value)
                      .len(5)
                      .flags(IOSQE_IO_LINK)
                      .userData(1),
                  new Sqe(IORING_OP_FGETXATTR).fd(fd).addr(name).off(back).len(0).userData(2));
              batch(
                  s,
                  new Sqe(IORING_OP_GETXATTR)
                      .addr(name)
                      .off(back)
                      .len(8)
                      .addr3(s.path(s.absolutePath("f")))
                      .userData(3),
                  new Sqe(IORING_OP_FGETXATTR).fd(fd).addr(name).off(back).len(2).userData(4),
                  new Sqe(IORING_OP_FSETXATTR)
                      .fd(fd)
                      .addr(name)
                      .off(value)
                      .len(2)
                      .opFlags(XATTR_CREATE)
                      .userData(5),
                  new Sqe(IORING_OP_FSETXATTR)
                      .fd(fd)
                      .addr(s.path("user.other"))
                      .off(value)
                      .len(2)
                      .opFlags(XATTR_REPLACE)
                      .userData(6),
                  new Sqe(IORING_OP_FGETXATTR)
                      .fd(fd)
                      .addr(s.path("user.none"))
                      .off(back)
                      .len(8)
                      .userData(7));
              s.expectBuffer("back", 8);
            }),
        new Scenario(
            "SUBMIT_ALL: prep failures do not end the batch",
            s -> {
              s.ring(8, SetupFlags.IORING_SETUP_SUBMIT_ALL);
              s.push(nop(1), new Sqe(200).userData(2), nop(3), nop(4).flags(1 << 7), nop(5));
              s.enter(5, 0, 0);
              s.waitFor(5);
              s.reap();
            }),
        new Scenario(
            "a chain opens into a fixed slot and the next member reads through it",
            s -> {
              s.file("f", TEN);
              s.ring(8);
              s.register("files", IORING_REGISTER_FILES, s.ints(-1, -1), 2);
              int dir = s.directoryFd();
              batch(
                  s,
                  new Sqe(IORING_OP_OPENAT)
                      .fd(dir)
                      .addr(s.path("f"))
                      .spliceFdIn(2)
                      .flags(IOSQE_IO_LINK)
                      .userData(1),
                  new Sqe(IORING_OP_READ)
                      .fd(1)
                      .addr(s.buffer("r", 4))
                      .len(4)
                      .off(3)
                      .flags(IOSQE_FIXED_FILE | IOSQE_IO_LINK)
                      .userData(2),
                  new Sqe(IORING_OP_CLOSE).spliceFdIn(2).userData(3));
              s.expectBuffer("r", 4);
              one(
                  s,
                  new Sqe(IORING_OP_READ)
                      .fd(1)
                      .addr(s.buffer("q", 4))
                      .len(4)
                      .flags(IOSQE_FIXED_FILE)
                      .userData(4));
            }),
        new Scenario(
            "SINGLE_ISSUER with DEFER_TASKRUN, and COOP_TASKRUN with TASKRUN_FLAG: NOPs and a timeout",
            s -> {
              for (int flags :
                  new int[] {
                    SetupFlags.IORING_SETUP_SINGLE_ISSUER | SetupFlags.IORING_SETUP_DEFER_TASKRUN,
                    SetupFlags.IORING_SETUP_COOP_TASKRUN | SetupFlags.IORING_SETUP_TASKRUN_FLAG
                  }) {
                s.ring(8, flags);
                s.push(nop(1), nop(2));
                s.enter(2, 2, EnterFlags.IORING_ENTER_GETEVENTS);
                s.reap();
                s.push(timeout(s, 0, 1_000_000, 0).userData(3));
                s.enter(1, 1, EnterFlags.IORING_ENTER_GETEVENTS);
                s.reap();
              }
            }),
        new Scenario(
            "NO_SQARRAY: SQEs taken in ring order, a read and NOPs",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              s.ring(8, SetupFlags.IORING_SETUP_NO_SQARRAY);
              s.expectSqArray();
              for (int round = 0; round < 3; round++) { // past the ring's end: the order wraps
                s.push(
                    nop(10 * round + 1),
                    new Sqe(IORING_OP_READ)
                        .fd(fd)
                        .addr(s.buffer("r" + round, 3))
                        .len(3)
                        .off(round)
                        .userData(10 * round + 2),
                    nop(10 * round + 3));
                s.enter(3, 3, EnterFlags.IORING_ENTER_GETEVENTS);
                s.reapInOrder();
                s.expectBuffer("r" + round, 3);
              }
            }),
        // ---- submission ----
        new Scenario(
            "an SQ array index past the SQEs is dropped and counted",
            s -> {
              s.ring(8);
              s.push(nop(1));
              s.pushIndex(100);
              s.push(nop(3));
              s.enter(3, 0, 0);
              s.waitFor(1);
              s.reap();
              s.expectSqState();
              s.enter(1, 0, 0);
              s.waitFor(1);
              s.reap();
              s.expectSqState();
            }),
        new Scenario(
            "enter submits no more than is queued",
            s -> {
              s.ring(8);
              s.push(nop(1), nop(2));
              s.enter(5, 0, 0);
              s.waitFor(2);
              s.reap();
              s.enter(1, 0, 0);
              s.expectSqState();
            }),
        new Scenario(
            "rw flags: RWF_APPEND, RWF_NOWAIT on a cached file, an unknown flag; zero length",
            s -> {
              int fd = fileFd(s, O_RDWR);
              one(
                  s,
                  new Sqe(IORING_OP_WRITE)
                      .fd(fd)
                      .addr(s.buffer("x", "X"))
                      .len(1)
                      .off(0)
                      .opFlags(OpFlags.RWF_APPEND)
                      .userData(1));
              s.expectFile("f");
              one(
                  s,
                  new Sqe(IORING_OP_READ)
                      .fd(fd)
                      .addr(s.buffer("r", 4))
                      .len(4)
                      .off(0)
                      .opFlags(OpFlags.RWF_NOWAIT)
                      .userData(2));
              s.expectBuffer("r", 4);
              one(s, read(s, fd).opFlags(1 << 30).userData(3));
              one(s, new Sqe(IORING_OP_READ).fd(fd).addr(s.buffer("z", 1)).len(0).userData(4));
            }),
        new Scenario(
            "read fields: buf_index ignored, BUFFER_SELECT of an empty group, ioprio classes",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              one(s, read(s, fd).bufIndex(5).userData(1));
              one(
                  s,
                  new Sqe(IORING_OP_READ)
                      .fd(fd)
                      .len(8)
                      .flags(IOSQE_BUFFER_SELECT)
                      .bufIndex(7)
                      .userData(2));
              one(s, read(s, fd).ioprio((2 << 13) | 4).userData(3)); // best effort, level 4
              one(s, read(s, fd).ioprio(5 << 13).userData(4)); // no such class
              one(s, read(s, fd).ioprio(3 << 13).userData(5)); // idle
            }),
        new Scenario(
            "provided buffers: PROVIDE_BUFFERS, reads that select them, REMOVE_BUFFERS",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              long pool = s.buffer("pool", 12);
              one(
                  s,
                  new Sqe(IORING_OP_PROVIDE_BUFFERS)
                      .fd(3)
                      .addr(pool)
                      .len(4)
                      .bufIndex(7)
                      .off(10)
                      .userData(1));
              Sqe select = new Sqe(IORING_OP_READ).fd(fd).len(0).off(2).flags(IOSQE_BUFFER_SELECT);
              one(s, select.bufIndex(7).userData(2));
              one(
                  s,
                  new Sqe(IORING_OP_READ)
                      .fd(fd)
                      .len(2)
                      .off(6)
                      .flags(IOSQE_BUFFER_SELECT)
                      .bufIndex(7)
                      .userData(3));
              s.expectBuffer("pool", 12);
              one(s, new Sqe(IORING_OP_REMOVE_BUFFERS).fd(5).bufIndex(7).userData(4));
              one(s, new Sqe(IORING_OP_REMOVE_BUFFERS).fd(1).bufIndex(7).userData(5));
            }),
        new Scenario(
            "ftruncate shrinks and grows, fallocate extends",
            s -> {
              int fd = fileFd(s, O_RDWR);
              one(s, new Sqe(IORING_OP_FTRUNCATE).fd(fd).off(4).userData(1));
              s.expectFile("f");
              one(s, new Sqe(IORING_OP_FTRUNCATE).fd(fd).off(6).userData(2));
              s.expectFile("f");
              one(s, new Sqe(IORING_OP_FALLOCATE).fd(fd).off(6).addr(2).len(0).userData(3));
              s.expectFile("f");
              one(s, new Sqe(IORING_OP_FTRUNCATE).fd(fd).off(-1).userData(4));
            }),
        new Scenario(
            "FILES_UPDATE fills a registered slot that a fixed-file read then uses",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              s.ring(8);
              s.register("register files", IORING_REGISTER_FILES, s.ints(-1, -1), 2);
              one(s, new Sqe(IORING_OP_FILES_UPDATE).addr(s.ints(fd)).len(1).off(1).userData(1));
              one(s, read(s, 1).flags(IOSQE_FIXED_FILE).userData(2));
              s.expectBuffer("r1", 8);
              one(s, new Sqe(IORING_OP_FILES_UPDATE).addr(s.ints(fd)).len(1).off(5).userData(3));
              one(s, read(s, 0).flags(IOSQE_FIXED_FILE).userData(4));
            }),
        // ---- setup ----
        new Scenario(
            "setup: entries rounded up, CQSIZE, CLAMP, and what is refused",
            s -> {
              s.setup(1, 0, 0);
              s.setup(3, 0, 0);
              s.setup(100, 0, 0);
              s.setup(32768, 0, 0);
              s.setup(32769, 0, 0);
              s.setup(0, 0, 0);
              s.setup(40000, SetupFlags.IORING_SETUP_CLAMP, 0);
              s.setup(4, SetupFlags.IORING_SETUP_CQSIZE, 5);
              s.setup(4, SetupFlags.IORING_SETUP_CQSIZE, 2);
              s.setup(4, SetupFlags.IORING_SETUP_CQSIZE, 0);
              s.setup(4, SetupFlags.IORING_SETUP_CQSIZE, 70000);
              s.setup(4, SetupFlags.IORING_SETUP_CQSIZE | SetupFlags.IORING_SETUP_CLAMP, 70000);
              s.setup(4, 1 << 30, 0);
            }),
        // ---- vectored reads ----
        new Scenario(
            "readv of 1024 iovecs, and of 1025",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              long[] pairs = new long[2 * 1025];
              long buf = s.buffer("v", 1);
              for (int i = 0; i < 1025; i++) {
                pairs[2 * i] = buf;
                pairs[2 * i + 1] = 0; // empty iovecs: only the count matters
              }
              pairs[1] = 1;
              long iov = s.iovecs(pairs);
              one(s, new Sqe(IORING_OP_READV).fd(fd).addr(iov).len(1024).off(4).userData(1));
              s.expectBuffer("v", 1);
              one(s, new Sqe(IORING_OP_READV).fd(fd).addr(iov).len(1025).off(4).userData(2));
              one(s, new Sqe(IORING_OP_READV).fd(fd).addr(iov).len(0).off(4).userData(3));
            }),
        // ---- registered resources ----
        new Scenario(
            "registered buffers: READ_FIXED, WRITE_FIXED, past the buffer, unknown index",
            s -> {
              int fd = fileFd(s, O_RDWR);
              s.ring(8);
              long buf = s.buffer("fixed", 16);
              s.register("register buffers", IORING_REGISTER_BUFFERS, s.iovecs(buf, 16), 1);
              one(s, fixed(IORING_OP_READ_FIXED, fd, buf, 8, 2, 0).userData(1));
              s.expectBuffer("fixed", 16);
              one(s, fixed(IORING_OP_WRITE_FIXED, fd, buf + 4, 4, 0, 0).userData(2));
              s.expectFile("f");
              one(s, fixed(IORING_OP_READ_FIXED, fd, buf + 8, 16, 0, 0).userData(3));
              one(s, fixed(IORING_OP_READ_FIXED, fd, buf, 4, 0, 1).userData(4));
              s.register("register buffers again", IORING_REGISTER_BUFFERS, s.iovecs(buf, 16), 1);
              s.register("register buffers, NULL array", IORING_REGISTER_BUFFERS, 0, 1);
              s.register("unregister buffers", IORING_UNREGISTER_BUFFERS, 0, 0);
              s.register("unregister buffers again", IORING_UNREGISTER_BUFFERS, 0, 0);
              one(s, fixed(IORING_OP_READ_FIXED, fd, buf, 4, 0, 0).userData(5));
            }),
        new Scenario(
            "registered files: a fixed-file read, an empty slot, past the table, twice",
            s -> {
              int fd = fileFd(s, O_RDONLY);
              s.ring(8);
              s.register("register files", IORING_REGISTER_FILES, s.ints(fd, -1), 2);
              one(s, read(s, 0).flags(IOSQE_FIXED_FILE).userData(1));
              s.expectBuffer("r0", 8);
              one(s, read(s, 1).flags(IOSQE_FIXED_FILE).userData(2));
              one(s, read(s, 2).flags(IOSQE_FIXED_FILE).userData(3));
              s.register("register files again", IORING_REGISTER_FILES, s.ints(fd), 1);
              s.register("unregister files", IORING_UNREGISTER_FILES, 0, 0);
              s.register("unregister files again", IORING_UNREGISTER_FILES, 0, 0);
              one(s, read(s, 0).flags(IOSQE_FIXED_FILE).userData(4));
            }),
        new Scenario(
            "file contents after a linked write, fsync and read",
            s -> {
              int fd = fileFd(s, O_RDWR);
              batch(
                  s,
                  new Sqe(IORING_OP_WRITE)
                      .fd(fd)
                      .addr(s.buffer("w", "hello"))
                      .len(5)
                      .off(8)
                      .flags(IOSQE_IO_LINK)
                      .userData(1),
                  new Sqe(IORING_OP_FSYNC).fd(fd).flags(IOSQE_IO_LINK).userData(2),
                  new Sqe(IORING_OP_READ).fd(fd).addr(s.buffer("r", 13)).len(13).userData(3));
              s.expectBuffer("r", 13);
              s.expectFile("f");
            }));
  }

  // ---- helpers ----

  /** Creates file {@code f} holding ten digits and opens it. */
  private static int fileFd(Script s, int flags) {
    s.file("f", TEN);
    return s.open("f", flags);
  }

  /** Runs one SQE on the scenario's ring (set up on first use) and reaps its CQE, if any. */
  private static void one(Script s, Sqe sqe) {
    batch(s, sqe);
  }

  /**
   * Submits SQEs in one call, waits (without blocking in the kernel, so that a CQE that never comes
   * cannot hang the test) for every CQE that can come, and reaps them.
   */
  private static void batch(Script s, Sqe... sqes) {
    s.ringOnce(8);
    s.push(sqes);
    int skipped = 0;
    for (Sqe sqe : sqes) {
      skipped += (sqe.flags & IOSQE_CQE_SKIP_SUCCESS) != 0 ? 1 : 0;
    }
    s.enter(sqes.length, 0, 0);
    s.waitFor(sqes.length - skipped);
    s.reap();
  }

  /** A {@code RENAMEAT} of {@code from} to {@code to}, both in {@code dir}. */
  private static Sqe rename(Script s, int dir, String from, String to, int flags) {
    return new Sqe(IORING_OP_RENAMEAT)
        .fd(dir)
        .addr(s.path(from))
        .len(dir)
        .off(s.path(to))
        .opFlags(flags);
  }

  private static Sqe nop(long userData) {
    return new Sqe(IORING_OP_NOP).userData(userData);
  }

  /** A {@code READ_FIXED} or {@code WRITE_FIXED} of registered buffer {@code index}. */
  private static Sqe fixed(int opcode, int fd, long addr, int len, long off, int index) {
    return new Sqe(opcode).fd(fd).addr(addr).len(len).off(off).bufIndex(index);
  }

  private static Sqe read(Script s, int fd) {
    return new Sqe(IORING_OP_READ).fd(fd).addr(s.buffer("r" + fd, 8)).len(8);
  }

  /** A read of {@code len} bytes at offset 0 into buffer {@code a}. */
  private static Sqe asyncRead(Script s, int fd, int len) {
    return new Sqe(IORING_OP_READ).fd(fd).addr(s.buffer("a", 16)).len(len);
  }

  /** A {@code LINK_TIMEOUT} of {@code seconds} and {@code nanos}. */
  private static Sqe linkTimeout(Script s, long seconds, long nanos) {
    return new Sqe(IORING_OP_LINK_TIMEOUT).addr(s.timespec(seconds, nanos)).len(1);
  }

  /** A timeout of {@code seconds} and {@code nanos}, completing after {@code count} CQEs. */
  private static Sqe timeout(Script s, long seconds, long nanos, int count) {
    return new Sqe(IORING_OP_TIMEOUT).addr(s.timespec(seconds, nanos)).len(1).off(count);
  }
}
