package iouring.core.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.SqeFlags;
import iouring.core.Kernel;
import iouring.vfs.fault.FaultProvider;
import iouring.vfs.fault.FaultRule;
import iouring.vfs.memory.MemoryProvider;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IOSQE_ASYNC: requests run on the process's worker threads (Linux's io-wq), so enter returns
 * before a slow request completes; results, chain order and drains are as when run inline.
 */
class AsyncTest {
  private IoUringProcess process;
  private IoUring ring;
  private int fd;
  private long buf;
  private final ByteBuffer data = ByteBuffer.allocateDirect(64 * 4096);

  @BeforeEach
  void start() {
    Kernel kernel = new Kernel();
    // Reads of /slow take 200 ms: long enough to see that enter does not wait for them.
    kernel.addProvider(
        Kernel.ROOT_PROVIDER,
        new FaultProvider(
            new MemoryProvider(), FaultRule.parseAll("op=read,path=/slow,delay=200ms")));
    process = kernel.newProcess();
    ring = IoUring.queueInit(process, 64, new IoUringParams());
    fd = process.openat(FileFlags.AT_FDCWD, "/f", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
    buf = process.memory().map(data);
    byte[] bytes = new byte[64 * 4096];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 7 + i / 4096);
    }
    data.put(0, bytes);
    ring.getSqe().prepWrite(fd, buf, bytes.length, 0);
    ring.submitAndWait(1);
    assertEquals(bytes.length, ring.peekCqe().res());
    ring.cqeSeen(ring.peekCqe());
  }

  @AfterEach
  void stop() {
    ring.close();
    process.close();
  }

  private Cqe next() {
    Cqe cqe = ring.waitCqe(5, TimeUnit.SECONDS);
    assertNotNull(cqe, "a CQE within 5 s");
    return cqe;
  }

  @Test
  void asyncRequestsGiveTheInlineResults() {
    ring.getSqe().prepNop().flags(SqeFlags.IOSQE_ASYNC).userData(1);
    ByteBuffer into = ByteBuffer.allocateDirect(64 * 4096);
    long intoAddr = process.memory().map(into);
    for (int i = 0; i < 32; i++) {
      ring.getSqe()
          .prepRead(fd, intoAddr + 4096L * i, 4096, 4096L * i)
          .flags(SqeFlags.IOSQE_ASYNC)
          .userData(100 + i);
    }
    assertEquals(33, ring.submit());
    Map<Long, Integer> results = new HashMap<>();
    for (int i = 0; i < 33; i++) {
      Cqe cqe = next();
      results.put(cqe.userData(), cqe.res());
      ring.cqeSeen(cqe);
    }
    assertEquals(0, results.get(1L));
    for (int i = 0; i < 32; i++) {
      assertEquals(4096, results.get(100L + i));
    }
    for (int i = 0; i < 32 * 4096; i++) {
      assertEquals(data.get(i), into.get(i), "byte " + i);
    }
  }

  @Test
  void enterReturnsBeforeASlowAsyncRequestCompletes() {
    int slow =
        process.openat(FileFlags.AT_FDCWD, "/slow", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
    ring.getSqe().prepRead(slow, buf, 16, 0).flags(SqeFlags.IOSQE_ASYNC).userData(7);
    assertEquals(1, ring.submit());
    assertEquals(0, ring.cqReady(), "the read is still on a worker");
    Cqe cqe = next();
    assertEquals(7, cqe.userData());
    assertEquals(0, cqe.res(), "an empty file");
    ring.cqeSeen(cqe);
    process.close(slow);
  }

  @Test
  void aChainWaitsForItsAsyncMemberAndADrainForEverything() {
    int slow =
        process.openat(FileFlags.AT_FDCWD, "/slow", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
    ring.getSqe()
        .prepRead(slow, buf, 16, 0)
        .flags(SqeFlags.IOSQE_ASYNC | SqeFlags.IOSQE_IO_LINK)
        .userData(1);
    ring.getSqe().prepNop().userData(2); // a read at EOF is short: the link breaks
    ring.getSqe().prepNop().flags(SqeFlags.IOSQE_IO_DRAIN).userData(3);
    ring.getSqe().prepNop().userData(4);
    assertEquals(4, ring.submit());
    assertEquals(0, ring.cqReady(), "everything waits for the slow read");
    List<Long> order = new ArrayList<>();
    List<Integer> res = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Cqe cqe = next();
      order.add(cqe.userData());
      res.add(cqe.res());
      ring.cqeSeen(cqe);
    }
    assertEquals(List.of(1L, 2L, 3L, 4L), order);
    assertEquals(List.of(0, -Errno.ECANCELED, 0, 0), res);
    process.close(slow);
  }

  @Test
  void anAsyncReadKeepsItsFileWhenTheFdIsClosed() throws InterruptedException {
    GatedReads fs = new GatedReads("/gated");
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, fs.provider());
    IoUringProcess gated = kernel.newProcess();
    try (IoUring r = IoUring.queueInit(gated, 8, new IoUringParams())) {
      long b = gated.memory().map(ByteBuffer.allocateDirect(4096));
      int file =
          gated.openat(FileFlags.AT_FDCWD, "/gated", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
      r.getSqe().prepWrite(file, b, 16, 0);
      r.submitAndWait(1);
      r.cqeSeen(r.peekCqe());
      r.getSqe().prepRead(file, b + 1024, 16, 0).flags(SqeFlags.IOSQE_ASYNC).userData(9);
      r.submit();
      // The worker looked the fd up as it issued the read (as Linux assigns files at issue
      // time) and waits in the provider: close the fd meanwhile.
      fs.awaitEntered(1);
      gated.close(file);
      fs.open();
      Cqe cqe = r.waitCqe(5, TimeUnit.SECONDS);
      assertNotNull(cqe, "a CQE within 5 s");
      assertEquals(16, cqe.res(), "closing the fd does not affect a request in flight (Linux)");
      r.cqeSeen(cqe);
    } finally {
      gated.close();
    }
  }
}
