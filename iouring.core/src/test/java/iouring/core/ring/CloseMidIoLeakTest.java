package iouring.core.ring;

import static iouring.api.abi.Opcodes.IORING_OP_LINK_TIMEOUT;
import static iouring.api.abi.Opcodes.IORING_OP_TIMEOUT;
import static iouring.api.abi.SqeFlags.IOSQE_ASYNC;
import static iouring.api.abi.SqeFlags.IOSQE_IO_LINK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.BufRing;
import iouring.api.Cqe;
import iouring.api.ErrnoException;
import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.MmapOffsets;
import iouring.api.abi.ParamsLayout;
import iouring.api.abi.RingFlags;
import iouring.api.abi.SetupFlags;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.core.EmulatedProcess;
import iouring.core.Kernel;
import iouring.core.task.Task;
import iouring.core.vfs.CountingProvider;
import iouring.vfs.fault.FaultProvider;
import iouring.vfs.fault.FaultRule;
import iouring.vfs.memory.MemoryProvider;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Closing a ring, ending a process and unbinding a provider while requests are in flight: nothing
 * hangs and nothing leaks. Each check is measured: the time close takes; the threads named {@code
 * iouring-*} before and after (the JVM-wide timer thread is started first, since it lives as long
 * as the JVM); the timer tasks still scheduled, per ring and JVM-wide; the provider file
 * descriptions opened and closed (a counting provider); the process's fds and ring memory; and,
 * through weak references, that no thread, timer or table keeps a closed ring or an exited process
 * reachable.
 *
 * <p>The busy ring: sixteen reads that the fault provider holds for {@value #DELAY_MS} ms on all
 * sixteen workers, a seventeenth queued behind them, each linked to a write of {@code /a} that must
 * never run once the ring is gone; three timeouts of an hour, one guarded by a linked timeout; CQEs
 * in the overflow backlog; registered buffers and files (one file held only by the table, one
 * opened into it by {@code OPENAT}); legacy provided buffers and a buffer ring. Beside it, an
 * SQPOLL ring whose thread is inside a delayed read.
 */
class CloseMidIoLeakTest {
  private static final int DELAY_MS = 400;

  private MemoryProvider memory;
  private CountingProvider provider;
  private Kernel kernel;
  private Set<Thread> threadsBefore;
  private int timerTasksBefore;

  /** The busy process of a test; a field, so that dropping it drops every reference to it. */
  private Busy busy;

  @BeforeAll
  static void startTheTimerThread() {
    Timeouts.TIMER.prestartCoreThread(); // one for the JVM: not a thread any ring may leak
  }

  @BeforeEach
  void start() throws VfsException {
    memory = new MemoryProvider();
    put("/slow", "ssssssss");
    put("/a", "");
    put("/b", "bbbb");
    provider =
        new CountingProvider(
            new FaultProvider(
                memory, FaultRule.parseAll("op=read|sync,path=/slow,delay=" + DELAY_MS + "ms")));
    kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, provider);
    threadsBefore = iouringThreads();
    timerTasksBefore = Timeouts.scheduledTasks();
  }

  /** What the busy setup left in flight. */
  private record Busy(EmulatedProcess process, IoUring ring, IoUring sqPolled) {}

  @Test
  void closingRingsMidIoLeavesNothingBehind() throws Exception {
    busy = busy();
    Ring ring = ring(busy.process(), busy.ring());
    Ring sqPolled = ring(busy.process(), busy.sqPolled());
    WeakReference<Ring> ringRef = new WeakReference<>(ring);
    WeakReference<Ring> sqPolledRef = new WeakReference<>(sqPolled);
    assertTrue(ring.pendingTimers() >= 4, "three timeouts and a linked timeout are armed");

    assertClosesWithin(1000, busy.ring()::close, "a ring with work in flight");
    assertClosesWithin(
        DELAY_MS + 1000, busy.sqPolled()::close, "an SQPOLL ring issuing a delayed read");
    // The SQPOLL thread's batch pins the fd table, so the rings are freed when it ends.
    awaitNoTimers(ring, "the ring's timers are cancelled");
    awaitNoTimers(sqPolled, "the SQPOLL ring's");
    assertTrue(Timeouts.scheduledTasks() <= timerTasksBefore, "no timer task is left scheduled");
    ring = null;
    sqPolled = null;

    await(() -> provider.inCalls() == 0, "the delayed reads end");
    await(
        () -> newThreads().stream().noneMatch(t -> t.getName().equals("iouring-sqpoll")),
        "the SQPOLL thread ends");
    assertEquals("", get("/a"), "no linked write ran on the closed ring");
    assertEquals(2, provider.open(), "only the process's two fds hold provider files");
    assertEquals(0, busy.process().task().ringMemory(), "ring memory is given back");
    assertEquals(2, busy.process().files().count());
    awaitCollected(ringRef, "the closed ring");
    awaitCollected(sqPolledRef, "the closed SQPOLL ring");

    exitAndCheck();
  }

  @Test
  void exitingMidIoLeavesNothingBehind() throws Exception {
    busy = busy();
    WeakReference<Ring> ringRef = new WeakReference<>(ring(busy.process(), busy.ring()));
    assertClosesWithin(DELAY_MS + 1000, busy.process()::close, "a process with rings mid-I/O");
    await(() -> Timeouts.scheduledTasks() <= timerTasksBefore, "no timer task is left scheduled");
    await(() -> provider.inCalls() == 0, "the delayed reads end");
    assertEquals("", get("/a"), "no linked write ran after the exit");
    awaitCollected(ringRef, "the ring of the exited process");
    exitAndCheck();
  }

  /**
   * A provider removed from the kernel mid-I/O: the calls in flight (one on a worker, one issued
   * inline by another thread's enter) fail with {@code EIO}, as every later operation on the
   * revoked files does; new paths under its mount get the mount's {@code ENOTCONN}; every file
   * description it handed out is closed once, at once; and adding it back makes the mount work
   * again, for the same ring.
   */
  @Test
  void aProviderUnboundMidIoFailsItsCallsLeaksNothingAndComesBack() throws Exception {
    kernel.addProvider(Kernel.ROOT_PROVIDER, new MemoryProvider());
    kernel.addProvider("data", provider);
    EmulatedProcess process = kernel.newProcess();
    process.mount("/data", "data");
    int slow = process.openat(FileFlags.AT_FDCWD, "/data/slow", FileFlags.O_RDWR, 0);
    int a = process.openat(FileFlags.AT_FDCWD, "/data/a", FileFlags.O_RDWR, 0);
    IoUring ring = IoUring.queueInit(process, 8, 0);
    IoUring other = IoUring.queueInit(process, 8, 0);
    ByteBuffer data = ByteBuffer.allocateDirect(4096);
    long addr = process.memory().map(data);
    data.put(1024, "/data/a\0".getBytes(StandardCharsets.US_ASCII));
    ring.getSqe().prepRead(slow, addr, 8, 0).flags(IOSQE_ASYNC).userData(1);
    ring.getSqe().prepFsync(slow, 0).flags(IOSQE_ASYNC).userData(7);
    ring.submit();
    other.getSqe().prepRead(slow, addr + 8, 8, 0).userData(2);
    CompletableFuture<Integer> inline = CompletableFuture.supplyAsync(() -> other.submitAndWait(1));
    await(() -> provider.inCalls() == 3, "two reads and a sync inside the provider");

    long t0 = System.nanoTime();
    kernel.removeProvider("data", provider);
    assertTrue(
        System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(DELAY_MS / 2),
        "removal does not wait for the calls in flight");
    assertEquals(0, provider.open(), "its files are closed at once");
    assertEquals(0, kernel.providers().openCount(provider));

    assertEquals(1, inline.get(5, TimeUnit.SECONDS));
    assertEquals(-Errno.EIO, next(other, 2), "the inline read in flight");
    Map<Long, Integer> onWorkers = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      Cqe cqe = ring.waitCqe(5, TimeUnit.SECONDS);
      assertNotNull(cqe, "a CQE within 5 s");
      onWorkers.put(cqe.userData(), cqe.res());
      ring.cqeSeen(cqe);
    }
    assertEquals(Map.of(1L, -Errno.EIO, 7L, -Errno.EIO), onWorkers, "a read and a sync in flight");
    ring.getSqe().prepWrite(a, addr, 4, 0).userData(3);
    ring.submit();
    assertEquals(-Errno.EIO, next(ring, 3), "a later request on a revoked file");
    ring.getSqe().prepOpenat(FileFlags.AT_FDCWD, addr + 1024, FileFlags.O_RDONLY, 0).userData(4);
    ring.submit();
    assertEquals(-Errno.ENOTCONN, next(ring, 4), "a new path under the mount");
    process.close(slow);
    process.close(a);
    assertEquals(0, provider.open());
    assertEquals(0, provider.extraCloses(), "no file was closed twice");

    kernel.addProvider("data", provider);
    ring.getSqe().prepOpenat(FileFlags.AT_FDCWD, addr + 1024, FileFlags.O_RDWR, 0).userData(5);
    ring.submit();
    int again = next(ring, 5);
    assertTrue(again >= 0, "the mount works again: " + again);
    ring.getSqe().prepWrite(again, addr + 1024, 4, 0).userData(6);
    ring.submit();
    assertEquals(4, next(ring, 6));
    assertEquals("/dat", get("/a"));
    assertEquals(1, provider.open());

    other.close();
    ring.close();
    process.close();
    await(() -> provider.open() == 0, "every provider file closed");
    assertEquals(0, provider.extraCloses());
    await(() -> newThreads().isEmpty(), "the process's workers end");
  }

  /**
   * The SQPOLL thread of a closed ring raises {@code IORING_SQ_NEED_WAKEUP} as it ends, as Linux's
   * does: an application that checks the flag enters and gets {@code EOWNERDEAD}, and an {@code
   * IORING_ENTER_SQ_WAIT} for SQ space (which stops at the flag) does not wait for a thread that is
   * gone.
   */
  @Test
  void theSqPollThreadRaisesNeedWakeupAsItEnds() {
    EmulatedProcess process = kernel.newProcess();
    IoUringParams params =
        new IoUringParams().flags(SetupFlags.IORING_SETUP_SQPOLL).sqThreadIdle(60_000);
    int fd = process.setup(4, params);
    ByteBuffer rings = process.mmap(fd, MmapOffsets.IORING_OFF_SQ_RING, 4096);
    int flags = params.sqOff(ParamsLayout.SQ_OFF_FLAGS);
    await(() -> newThreads().size() == 1, "the SQPOLL thread runs");
    assertEquals(0, rings.getInt(flags) & RingFlags.IORING_SQ_NEED_WAKEUP, "busy polling");
    assertClosesWithin(1000, () -> process.close(fd), "an idle SQPOLL ring");
    await(() -> newThreads().isEmpty(), "the SQPOLL thread ends");
    assertEquals(
        RingFlags.IORING_SQ_NEED_WAKEUP, rings.getInt(flags) & RingFlags.IORING_SQ_NEED_WAKEUP);
    process.close();
  }

  /**
   * A chain that a completion runs on a worker's thread (here a write linked to an async read)
   * looks its files up under the fd table's pin, which ends with the chain: a close right after
   * releases the provider file at once, not at the ring's next submission.
   */
  @Test
  void aChainRunByAWorkerDoesNotHoldBackCloses() {
    EmulatedProcess process = kernel.newProcess();
    int slow = process.openat(FileFlags.AT_FDCWD, "/slow", FileFlags.O_RDONLY, 0);
    int a = process.openat(FileFlags.AT_FDCWD, "/a", FileFlags.O_RDWR, 0);
    IoUring ring = IoUring.queueInit(process, 8, 0);
    ByteBuffer data = ByteBuffer.allocateDirect(64);
    long addr = process.memory().map(data);
    data.put(0, "AAAA".getBytes(StandardCharsets.US_ASCII));
    ring.getSqe().prepRead(slow, addr + 32, 8, 0).flags(IOSQE_ASYNC | IOSQE_IO_LINK).userData(1);
    ring.getSqe().prepWrite(a, addr, 4, 0).userData(2);
    ring.submit();
    assertEquals(8, next(ring, 1));
    assertEquals(4, next(ring, 2), "the write ran after the read, from the worker");
    assertEquals(2, provider.open());
    process.close(a);
    assertEquals(1, provider.open(), "closing /a's fd released its provider file at once");
    ring.close();
    process.close();
    assertEquals(0, provider.open());
    await(() -> newThreads().isEmpty(), "the process's workers end");
  }

  /**
   * An enter that found the ring before another thread closed its fd (enter takes no reference)
   * fails with {@code ENXIO}, Linux's errno for a ring being torn down, rather than running
   * requests on a ring whose timers and workers were already let go.
   */
  @Test
  void anEnterRacingTheCloseGetsEnxio() {
    EmulatedProcess process = kernel.newProcess();
    IoUring handle = IoUring.queueInit(process, 4, 0);
    Ring ring = ring(process, handle);
    handle.close();
    ErrnoException e = assertThrows(ErrnoException.class, () -> ring.submit(1, 0));
    assertEquals(Errno.ENXIO, e.errno());
    process.close();
  }

  /** Sets up a process with a busy ring and a busy SQPOLL ring; see the class comment. */
  private Busy busy() throws Exception {
    EmulatedProcess process = kernel.newProcess();
    int slow = process.openat(FileFlags.AT_FDCWD, "/slow", FileFlags.O_RDWR, 0);
    int a = process.openat(FileFlags.AT_FDCWD, "/a", FileFlags.O_RDWR, 0);
    int b = process.openat(FileFlags.AT_FDCWD, "/b", FileFlags.O_RDONLY, 0);
    IoUring ring = IoUring.queueInit(process, 64, 0);
    ByteBuffer data = ByteBuffer.allocateDirect(8192).order(ByteOrder.nativeOrder());
    long addr = process.memory().map(data);
    long aBytes = addr + 4096;
    long path = addr + 4200;
    long hour = addr + 4300;
    data.put(4096, "AAAA".getBytes(StandardCharsets.US_ASCII));
    data.put(4200, "/b\0".getBytes(StandardCharsets.US_ASCII));
    data.putLong(4300, 3600).putLong(4308, 0);

    ring.registerBuffers(ByteBuffer.allocateDirect(4096));
    ring.registerFiles(slow, a, b, -1);
    process.close(b); // only the table holds /b now
    ring.getSqe().prepOpenatDirect(FileFlags.AT_FDCWD, path, FileFlags.O_RDONLY, 0, 3);
    ring.getSqe().prepProvideBuffers(addr + 6000, 64, 4, 1, 0);
    ring.submitAndWait(2);
    expectReaped(ring, 2);
    BufRing bufRing = ring.setupBufRing(8, 2);
    bufRing.add(addr + 7000, 64, 0, 0);
    bufRing.advance(1);

    int workers = Task.MAX_WORKERS;
    for (int i = 0; i <= workers; i++) { // sixteen run, the last one waits in the queue
      ring.getSqe()
          .prepRead(slow, addr + 8L * i, 8, 0)
          .flags(IOSQE_ASYNC | IOSQE_IO_LINK)
          .userData(100 + i);
      ring.getSqe().prepWrite(a, aBytes, 4, 0).userData(200 + i);
    }
    ring.getSqe().prepRw(IORING_OP_TIMEOUT, -1, hour, 1, 0).userData(400);
    ring.getSqe().prepRw(IORING_OP_TIMEOUT, -1, hour, 1, 1000).userData(401);
    // The linked timeout guards a timeout, whose issue returns at once: after an IOSQE_ASYNC read
    // it would start only when the worker is done, as Linux 6.18 arms it.
    ring.getSqe().prepRw(IORING_OP_TIMEOUT, -1, hour, 1, 0).flags(IOSQE_IO_LINK).userData(402);
    ring.getSqe().prepRw(IORING_OP_LINK_TIMEOUT, -1, hour, 1, 0).userData(300);
    ring.submit();
    await(() -> provider.readsStarted() == workers, "sixteen reads inside the delay");
    for (int i = 0; i < 3; i++) { // 192 CQEs for a CQ of 128
      for (int j = 0; j < 64; j++) {
        ring.getSqe().prepNop().userData(500 + j);
      }
      ring.submit();
    }
    assertTrue(ring.cqHasOverflow(), "CQEs wait in the backlog");

    IoUring sqPolled =
        IoUring.queueInit(process, 4, new IoUringParams().flags(SetupFlags.IORING_SETUP_SQPOLL));
    sqPolled.getSqe().prepRead(slow, addr + 2048, 8, 0).userData(1);
    sqPolled.submit();
    await(() -> provider.readsStarted() == workers + 1, "the SQPOLL thread inside the delay");
    assertEquals(4, provider.open(), "slow, a, b in the table, b opened into the table");
    return new Busy(process, ring, sqPolled);
  }

  /** Ends the process and checks that nothing of it is left. */
  private void exitAndCheck() {
    EmulatedProcess process = busy.process();
    Task task = process.task();
    process.close();
    await(() -> newThreads().isEmpty(), "no worker or SQPOLL thread is left");
    await(() -> provider.open() == 0, "every provider file opened is closed");
    assertEquals(0, provider.extraCloses(), "and none twice");
    assertEquals(0, kernel.providers().openCount(provider));
    assertEquals(0, process.files().count(), "no fd is left");
    assertEquals(0, task.ringMemory(), "no ring memory is charged");
    assertFalse(kernel.processes().contains(process), "the kernel forgot the process");
    assertTrue(Timeouts.scheduledTasks() <= timerTasksBefore, "no timer task is left scheduled");
    assertEquals("", get("/a"), "nothing ran after the end");
    WeakReference<EmulatedProcess> ref = new WeakReference<>(process);
    busy = null;
    process = null;
    task = null;
    awaitCollected(ref, "the exited process");
  }

  private static void awaitNoTimers(Ring ring, String what) {
    await(() -> ring.pendingTimers() == 0, what);
  }

  private static Ring ring(EmulatedProcess process, IoUring handle) {
    return (Ring) process.files().get(handle.ringFd());
  }

  private static void expectReaped(IoUring ring, int n) {
    for (int i = 0; i < n; i++) {
      Cqe cqe = ring.peekCqe();
      assertNotNull(cqe);
      assertTrue(cqe.res() >= 0, "setup request " + cqe.userData() + ": " + cqe.res());
      ring.cqeSeen(cqe);
    }
  }

  private static int next(IoUring ring, long userData) {
    Cqe cqe = ring.waitCqe(5, TimeUnit.SECONDS);
    assertNotNull(cqe, "a CQE within 5 s");
    assertEquals(userData, cqe.userData());
    int res = cqe.res();
    ring.cqeSeen(cqe);
    return res;
  }

  private static void assertClosesWithin(long millis, Runnable close, String what) {
    long t0 = System.nanoTime();
    close.run();
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(took < millis, what + " closed in " + took + " ms, over " + millis);
  }

  private static Set<Thread> iouringThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("iouring-"))
        .collect(Collectors.toSet());
  }

  /** Returns the {@code iouring-*} threads started since the test began and still alive. */
  private Set<Thread> newThreads() {
    Set<Thread> now = new HashSet<>(iouringThreads());
    now.removeAll(threadsBefore);
    return now;
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what + " within 5 s");
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Waits, collecting garbage, until nothing strongly reaches the referent. */
  private static void awaitCollected(WeakReference<?> ref, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (ref.get() != null) {
      assertTrue(System.nanoTime() < deadline, what + " is collected within 5 s");
      System.gc();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private void put(String path, String text) throws VfsException {
    VfsFile f = memory.open(path, FileFlags.O_RDWR | FileFlags.O_CREAT | FileFlags.O_TRUNC, 0644);
    try {
      f.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), 0);
    } finally {
      f.close();
    }
  }

  private String get(String path) {
    try {
      VfsFile f = memory.open(path, FileFlags.O_RDONLY, 0);
      try {
        ByteBuffer b = ByteBuffer.allocate((int) f.size());
        f.read(b, 0);
        return new String(b.array(), StandardCharsets.US_ASCII);
      } finally {
        f.close();
      }
    } catch (VfsException e) {
      throw new AssertionError(path, e);
    }
  }
}
