package iouring.core.conformance;

import static iouring.api.abi.Opcodes.IORING_OP_ASYNC_CANCEL;
import static iouring.api.abi.SqeFlags.IOSQE_ASYNC;
import static iouring.api.abi.SqeFlags.IOSQE_IO_HARDLINK;
import static iouring.api.abi.SqeFlags.IOSQE_IO_LINK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.IoUring;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.IovecLayout;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.core.EmulatedProcess;
import iouring.core.Kernel;
import iouring.core.fd.FileDescription;
import iouring.core.ring.Ring;
import iouring.core.task.Task;
import iouring.core.vfs.CountingProvider;
import iouring.vfs.fault.FaultProvider;
import iouring.vfs.fault.FaultRule;
import iouring.vfs.memory.MemoryProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault provider fails exactly one provider call of one request, for every op family, in every
 * position a request can hold in a submission, with errnos Linux passes through unchanged. Each
 * case checks the CQEs (the failing one carries {@code -errno}; the rest of an unlinked batch
 * completes normally; a soft link's later members get {@code -ECANCELED}, a hard link's run;
 * user_data and CQE count exact, in submission order) and then the state: the file bytes are what
 * the successful writes wrote, the fd table and the registered tables are as the successful
 * requests left them, the ring still completes requests, and every provider file opened is closed
 * once at the end.
 *
 * <p>Linux passes a file system's {@code EIO}, {@code ENOSPC} and {@code EAGAIN} to the CQE as they
 * are: a read or write of a regular file (which cannot be polled) that fails with {@code EAGAIN} in
 * io-wq's blocking attempt completes with it ({@code rw.c __io_read}, {@code io_wq_submit_work} on
 * 6.18). A transfer that fails after moving some bytes completes with the count, and that short
 * count breaks a soft link as a failure does (linux-io_uring.md 2.4).
 */
class FaultMatrixTest {
  /** The bytes of {@code /victim} before each case. */
  private static final byte[] VICTIM = "vvvvvvvv".getBytes(StandardCharsets.US_ASCII);

  /** What a victim write writes. */
  private static final byte[] WRITTEN = "WWWWWWWW".getBytes(StandardCharsets.US_ASCII);

  /** What the batch's other write writes to {@code /a}. */
  private static final byte[] A_BYTES = "AAAA".getBytes(StandardCharsets.US_ASCII);

  /** The op families the fault provider can fail. */
  enum Family {
    READ("read", 8),
    READV("read", 8),
    WRITE("write", 8),
    WRITEV("write", 8),
    READ_FIXED("read", 8),
    WRITE_FIXED("write", 8),
    FSYNC("sync", 0),
    OPENAT("open", 0);

    final String ruleOp;
    final int fullResult;

    Family(String ruleOp, int fullResult) {
      this.ruleOp = ruleOp;
      this.fullResult = fullResult;
    }

    boolean vectored() {
      return this == READV || this == WRITEV;
    }

    boolean writes() {
      return this == WRITE || this == WRITEV || this == WRITE_FIXED;
    }

    boolean reads() {
      return this == READ || this == READV || this == READ_FIXED;
    }
  }

  /** Where the failing request (V) stands; O1 writes {@code /a}, O2 closes a spare fd. */
  enum Position {
    ALONE,
    /** O1, V, O2: no links. */
    BATCH_MIDDLE,
    /** V|LINK, O1|LINK, O2. */
    LINK_FIRST,
    /** O1|LINK, V|LINK, O2. */
    LINK_MIDDLE,
    /** O1|LINK, O2|LINK, V. */
    LINK_LAST,
    /** O1|HARDLINK, V|HARDLINK, O2. */
    HARDLINK_MIDDLE,
    /** O1|LINK, V|ASYNC|LINK, O2: V runs on a worker. */
    ASYNC_LINK_MIDDLE,
    /** O1, V|ASYNC, O2. */
    ASYNC_BATCH_MIDDLE
  }

  /** One member of the submission. */
  private record Member(char role, int flags) {}

  /** One fault: the errno, and which of the request's provider calls fails. */
  private record Fault(int errno, int nth) {
    @Override
    public String toString() {
      return (nth == 1 ? "" : "call " + nth + " ") + Errno.name(errno);
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Family family : Family.values()) {
      List<Fault> faults = new ArrayList<>();
      for (int errno : new int[] {Errno.EIO, Errno.ENOSPC, Errno.EAGAIN}) {
        faults.add(new Fault(errno, 1));
      }
      if (family.vectored()) {
        faults.add(new Fault(Errno.EIO, 2)); // the second iovec fails: a short transfer
      }
      for (Position position : Position.values()) {
        for (Fault fault : faults) {
          all.add(Arguments.of(family, position, fault));
        }
      }
    }
    return all.stream();
  }

  private MemoryProvider memory;
  private CountingProvider provider;
  private EmulatedProcess process;
  private IoUring ring;

  @AfterEach
  void checkNothingLeaks() {
    if (ring != null) {
      ring.close();
    }
    if (process != null) {
      process.close();
      assertEquals(0, provider.open(), "every provider file opened was closed");
      assertEquals(0, provider.extraCloses(), "and none twice");
    }
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void oneFailingCallFailsExactlyItsRequest(Family family, Position position, Fault fault)
      throws VfsException {
    memory = new MemoryProvider();
    put("/victim", VICTIM);
    put("/a", new byte[0]);
    put("/b", new byte[0]);
    String victimPath = family == Family.OPENAT ? "/opened" : "/victim";
    FaultRule rule =
        FaultRule.parse(
            "op="
                + family.ruleOp
                + ",path="
                + victimPath
                + ",nth="
                + fault.nth()
                + ",errno="
                + fault.errno());
    provider = new CountingProvider(new FaultProvider(memory, List.of(rule)));
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, provider);
    process = kernel.newProcess();
    ring = IoUring.queueInit(process, 16, 0);

    int victimFd = open("/victim");
    int aFd = open("/a");
    int spareFd = open("/b");
    ByteBuffer fixed = ByteBuffer.allocateDirect(16);
    ring.registerBuffers(fixed);
    ring.registerFiles(aFd, victimFd);
    ByteBuffer data = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
    long dataAddr = process.memory().map(data);
    long readAt = dataAddr; // 8 bytes read into here
    long writeFrom = dataAddr + 64; // 8 bytes written from here
    long aFrom = dataAddr + 128; // O1's bytes
    long iovecs = dataAddr + 256; // two iovecs of 4 bytes
    long path = dataAddr + 512;
    data.put(64, WRITTEN).put(128, A_BYTES);
    data.put(512, "/opened\0".getBytes(StandardCharsets.US_ASCII));
    boolean read = family.reads();
    long base = read ? readAt : writeFrom;
    data.putLong(256 + IovecLayout.OFF_IOV_BASE, base).putLong(256 + IovecLayout.OFF_IOV_LEN, 4);
    data.putLong(256 + IovecLayout.SIZE + IovecLayout.OFF_IOV_BASE, base + 4);
    data.putLong(256 + IovecLayout.SIZE + IovecLayout.OFF_IOV_LEN, 4);
    if (family == Family.WRITE_FIXED) {
      fixed.put(0, WRITTEN);
    }

    Ring kernelRing = (Ring) process.files().get(ring.ringFd());
    FileDescription slot0 = kernelRing.fixedFiles().get(0);
    FileDescription slot1 = kernelRing.fixedFiles().get(1);
    SortedMap<Integer, FileDescription> fdsBefore = process.files().snapshot();

    List<Member> members = members(position);
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      iouring.api.Sqe sqe = ring.getSqe();
      switch (m.role()) {
        case 'A':
          sqe.prepWrite(aFd, aFrom, A_BYTES.length, 0);
          break;
        case 'C':
          sqe.prepClose(spareFd);
          break;
        default:
          prepVictim(sqe, family, victimFd, readAt, writeFrom, iovecs, path);
      }
      sqe.flags(m.flags()).userData(i + 1);
    }
    assertEquals(members.size(), ring.submit(), "every SQE is consumed");

    // The expected CQEs: a soft link's failure cancels the rest of its chain; a hard link's
    // does not; a chain ends at a member without a link flag.
    int failed = fault.nth() == 1 ? -fault.errno() : 4; // the short count of the first iovec
    List<Cqe> expected = new ArrayList<>();
    boolean broken = false;
    boolean aWritten = false;
    boolean spareClosed = false;
    boolean victimRan = false;
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      int res;
      if (broken) {
        res = -Errno.ECANCELED;
      } else if (m.role() == 'V') {
        res = failed;
        victimRan = true;
        broken = (m.flags() & IOSQE_IO_LINK) != 0; // its failure breaks a soft link only
      } else {
        res = m.role() == 'A' ? A_BYTES.length : 0;
        aWritten |= m.role() == 'A';
        spareClosed |= m.role() == 'C';
      }
      if ((m.flags() & (IOSQE_IO_LINK | IOSQE_IO_HARDLINK)) == 0) {
        broken = false; // the chain ends here
      }
      expected.add(new Cqe(i + 1, res, 0));
    }
    assertTrue(victimRan, "every position runs the victim");
    List<Cqe> actual = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      iouring.api.Cqe cqe = ring.waitCqe(5, TimeUnit.SECONDS);
      assertNotNull(cqe, "CQE " + i + " within 5 s");
      actual.add(new Cqe(cqe.userData(), cqe.res(), cqe.flags()));
      ring.cqeSeen(cqe);
    }
    if (position == Position.ASYNC_BATCH_MIDDLE) {
      // Independent requests complete in any order: the one on a worker may come last.
      actual.sort(java.util.Comparator.comparingLong(Cqe::userData));
    }
    assertEquals(expected, actual, "the CQEs, in submission order");

    // The ring goes on: no stray CQE is left, and a NOP completes next.
    ring.getSqe().prepNop().userData(99);
    ring.submitAndWait(1);
    iouring.api.Cqe nop = ring.peekCqe();
    assertEquals(new Cqe(99, 0, 0), new Cqe(nop.userData(), nop.res(), nop.flags()));
    ring.cqeSeen(nop);
    assertEquals(0, ring.cqReady(), "no CQE beyond the requests' own");

    // The files hold exactly what the successful writes wrote.
    byte[] victimNow = VICTIM.clone();
    if (family.writes() && fault.nth() == 2) {
      System.arraycopy(WRITTEN, 0, victimNow, 0, 4); // the first iovec went through
    }
    assertEquals(new String(victimNow), get("/victim"), "/victim");
    assertEquals(aWritten ? new String(A_BYTES) : "", get("/a"), "/a");
    if (read && fault.nth() == 2) {
      ByteBuffer firstIovec = (family == Family.READ_FIXED ? fixed : data).slice(0, 4);
      assertEquals(ByteBuffer.wrap(VICTIM, 0, 4), firstIovec, "the bytes read before the fault");
    }
    assertFalse(exists("/opened"), "the failed open created nothing");

    // The fd table lost only the closed fd; the registered tables are untouched.
    SortedMap<Integer, FileDescription> fdsExpected = new TreeMap<>(fdsBefore);
    if (spareClosed) {
      fdsExpected.remove(spareFd);
    }
    assertEquals(fdsExpected, process.files().snapshot(), "the fd table");
    assertEquals(2, kernelRing.fixedFiles().size());
    assertSame(slot0, kernelRing.fixedFiles().get(0));
    assertSame(slot1, kernelRing.fixedFiles().get(1));
    assertEquals(1, kernelRing.buffers().size());

    // And the failed file still works through the ring.
    ring.getSqe().prepRead(victimFd, readAt, 8, 0).userData(100);
    ring.submitAndWait(1);
    iouring.api.Cqe again = ring.peekCqe();
    assertEquals(8, again.res(), "a later read of the victim file");
    ring.cqeSeen(again);
  }

  /**
   * A cancel meets requests the fault provider delays: one that a worker is running (inside the
   * delay) completes on its own with its data, the cancel giving {@code -EALREADY}; one still
   * queued for a worker (all sixteen are busy) completes {@code -ECANCELED}, the cancel 0, and its
   * soft link is cancelled; the queued one never reaches the provider.
   */
  @Test
  void aCancelMeetsDelayedRequestsRunningAndQueued() throws VfsException {
    memory = new MemoryProvider();
    put("/slow", WRITTEN);
    put("/a", new byte[0]);
    provider =
        new CountingProvider(
            new FaultProvider(memory, FaultRule.parseAll("op=read,path=/slow,delay=300ms")));
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, provider);
    process = kernel.newProcess();
    ring = IoUring.queueInit(process, 64, 0);
    int slow = open("/slow");
    int a = open("/a");
    ByteBuffer data = ByteBuffer.allocateDirect(4096);
    long addr = process.memory().map(data);
    data.put(4000, A_BYTES);
    int workers = Task.MAX_WORKERS;
    for (int i = 0; i < workers; i++) {
      ring.getSqe().prepRead(slow, addr + 8L * i, 8, 0).flags(IOSQE_ASYNC).userData(1 + i);
    }
    ring.submit();
    awaitTrue(() -> provider.readsStarted() == workers, "every worker inside the delay");
    long queued = 100;
    ring.getSqe()
        .prepRead(slow, addr + 8L * workers, 8, 0)
        .flags(IOSQE_ASYNC | IOSQE_IO_LINK)
        .userData(queued);
    ring.getSqe().prepWrite(a, addr + 4000, A_BYTES.length, 0).userData(queued + 1);
    ring.getSqe().prepRw(IORING_OP_ASYNC_CANCEL, -1, queued, 0, 0).userData(200);
    ring.getSqe().prepRw(IORING_OP_ASYNC_CANCEL, -1, 1, 0, 0).userData(201);
    assertEquals(4, ring.submit());

    Map<Long, Integer> got = new HashMap<>();
    for (int i = 0; i < workers + 4; i++) {
      iouring.api.Cqe cqe = ring.waitCqe(5, TimeUnit.SECONDS);
      assertNotNull(cqe, "CQE " + i + " within 5 s");
      assertEquals(null, got.put(cqe.userData(), cqe.res()), "one CQE per user_data");
      ring.cqeSeen(cqe);
    }
    assertEquals(0, got.get(200L), "the queued read was found and cancelled");
    assertEquals(-Errno.ECANCELED, got.get(queued));
    assertEquals(-Errno.ECANCELED, got.get(queued + 1), "its link");
    assertEquals(-Errno.EALREADY, got.get(201L), "the running read cannot be stopped");
    for (int i = 0; i < workers; i++) {
      assertEquals(8, got.get(1L + i), "running read " + (1 + i) + " completes with its data");
      assertEquals(ByteBuffer.wrap(WRITTEN), data.slice(8 * i, 8));
    }
    assertEquals(workers, provider.readsStarted(), "the cancelled read never reached the file");
    assertEquals("", get("/a"), "the cancelled link wrote nothing");
    assertEquals(0, ring.cqReady());
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what + " within 5 s");
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  private static List<Member> members(Position position) {
    Member v = new Member('V', 0);
    Member a = new Member('A', 0);
    Member c = new Member('C', 0);
    switch (position) {
      case ALONE:
        return List.of(v);
      case BATCH_MIDDLE:
        return List.of(a, v, c);
      case LINK_FIRST:
        return List.of(
            new Member('V', IOSQE_IO_LINK), new Member('A', IOSQE_IO_LINK), new Member('C', 0));
      case LINK_MIDDLE:
        return List.of(
            new Member('A', IOSQE_IO_LINK), new Member('V', IOSQE_IO_LINK), new Member('C', 0));
      case LINK_LAST:
        return List.of(
            new Member('A', IOSQE_IO_LINK), new Member('C', IOSQE_IO_LINK), new Member('V', 0));
      case HARDLINK_MIDDLE:
        return List.of(
            new Member('A', IOSQE_IO_HARDLINK),
            new Member('V', IOSQE_IO_HARDLINK),
            new Member('C', 0));
      case ASYNC_LINK_MIDDLE:
        return List.of(
            new Member('A', IOSQE_IO_LINK),
            new Member('V', IOSQE_ASYNC | IOSQE_IO_LINK),
            new Member('C', 0));
      default: // ASYNC_BATCH_MIDDLE
        return List.of(a, new Member('V', IOSQE_ASYNC), c);
    }
  }

  private void prepVictim(
      iouring.api.Sqe sqe,
      Family family,
      int fd,
      long readAt,
      long writeFrom,
      long iovecs,
      long path) {
    switch (family) {
      case READ:
        sqe.prepRead(fd, readAt, 8, 0);
        break;
      case READV:
        sqe.prepReadv(fd, iovecs, 2, 0);
        break;
      case WRITE:
        sqe.prepWrite(fd, writeFrom, 8, 0);
        break;
      case WRITEV:
        sqe.prepWritev(fd, iovecs, 2, 0);
        break;
      case READ_FIXED:
        sqe.prepReadFixed(fd, ring.bufferAddress(0), 8, 0, 0);
        break;
      case WRITE_FIXED:
        sqe.prepWriteFixed(fd, ring.bufferAddress(0), 8, 0, 0);
        break;
      case FSYNC:
        sqe.prepFsync(fd, 0);
        break;
      default: // OPENAT
        sqe.prepOpenat(FileFlags.AT_FDCWD, path, FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
    }
  }

  private int open(String path) {
    return process.openat(FileFlags.AT_FDCWD, path, FileFlags.O_RDWR, 0);
  }

  /** Writes a file through the memory provider itself, past the faults and the counting. */
  private void put(String path, byte[] bytes) throws VfsException {
    VfsFile f = memory.open(path, FileFlags.O_RDWR | FileFlags.O_CREAT | FileFlags.O_TRUNC, 0644);
    try {
      f.write(ByteBuffer.wrap(bytes), 0);
    } finally {
      f.close();
    }
  }

  /** Reads a file through the memory provider itself. */
  private String get(String path) throws VfsException {
    VfsFile f = memory.open(path, FileFlags.O_RDONLY, 0);
    try {
      ByteBuffer b = ByteBuffer.allocate((int) f.size());
      f.read(b, 0);
      return new String(b.array(), StandardCharsets.US_ASCII);
    } finally {
      f.close();
    }
  }

  private boolean exists(String path) {
    try {
      memory.stat(path, false);
      return true;
    } catch (VfsException e) {
      return false;
    }
  }
}
