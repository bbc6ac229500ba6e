package iouring.core.stress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.FileFlags;
import iouring.api.abi.SetupFlags;
import iouring.api.abi.SqeFlags;
import iouring.core.Kernel;
import iouring.vfs.memory.MemoryProvider;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrency of the two places where the emulator runs requests on its own threads: an SQPOLL
 * thread consuming SQEs while the application publishes more and reaps CQEs, and the worker pool
 * running {@code IOSQE_ASYNC} reads and writes for several rings at once. {@code
 * -Diouring.stress.ops} scales both (default 20,000).
 */
class SqPollAndWorkersStressTest {
  private static final int OPS = Integer.getInteger("iouring.stress.ops", 20_000);

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

  /**
   * NOPs published in batches of 1 to 32 while the SQPOLL thread consumes them: every CQE comes
   * once, in submission order, and the application never enters except to wake an idle thread.
   */
  @Test
  void sqPollNeitherLosesNorReordersNorDuplicates() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          try (IoUring ring =
              IoUring.queueInit(
                  process,
                  64,
                  new IoUringParams().flags(SetupFlags.IORING_SETUP_SQPOLL).sqThreadIdle(5))) {
            SplittableRandom rnd = new SplittableRandom(7);
            long next = 0;
            long expected = 0;
            while (expected < OPS) {
              int batch = Math.min(1 + rnd.nextInt(32), (int) (OPS - next));
              int queued = 0;
              for (int i = 0; i < batch && ring.sqSpaceLeft() > 0; i++) {
                ring.getSqe().prepNop().userData(next++);
                queued++;
              }
              if (queued > 0) {
                ring.submit();
              }
              for (Cqe cqe = ring.peekCqe(); cqe != null; cqe = ring.peekCqe()) {
                assertEquals(expected, cqe.userData(), "CQEs in submission order, each once");
                assertEquals(0, cqe.res());
                expected++;
                ring.cqeSeen(cqe);
              }
              if (queued == 0) {
                Thread.onSpinWait();
              }
            }
            assertEquals(OPS, expected);
            assertEquals(null, ring.peekCqe(), "no CQE beyond the last");
          }
        });
  }

  /**
   * Four threads, each with its own ring, write blocks of one file with {@code IOSQE_ASYNC} (so the
   * worker pool runs them, up to its bound, for every ring at once) and read them back: every block
   * holds what its writer wrote.
   */
  @Test
  void workersServeManyRingsAtOnce() throws Exception {
    int threads = 4;
    int blocksPerThread = Math.max(64, OPS / 100);
    int fd =
        process.openat(FileFlags.AT_FDCWD, "/blocks", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Callable<Integer> job =
            () -> {
              ByteBuffer out = ByteBuffer.allocateDirect(8 * 512);
              ByteBuffer in = ByteBuffer.allocateDirect(8 * 512);
              long outAddress = process.memory().map(out);
              long inAddress = process.memory().map(in);
              int checked = 0;
              try (IoUring ring = IoUring.queueInit(process, 16, 0)) {
                for (int b = 0; b < blocksPerThread; b += 8) {
                  for (int i = 0; i < 8; i++) {
                    long block = (long) (b + i) * threads + thread;
                    for (int j = 0; j < 512; j += 8) {
                      out.putLong(i * 512 + j, block * 1_000_003L + j);
                    }
                    ring.getSqe()
                        .prepWrite(fd, outAddress + i * 512, 512, block * 512)
                        .flags(SqeFlags.IOSQE_ASYNC)
                        .userData(i);
                  }
                  ring.submitAndWait(8);
                  reapAll(ring, 8, 512);
                  for (int i = 0; i < 8; i++) {
                    long block = (long) (b + i) * threads + thread;
                    ring.getSqe()
                        .prepRead(fd, inAddress + i * 512, 512, block * 512)
                        .flags(SqeFlags.IOSQE_ASYNC)
                        .userData(i);
                  }
                  ring.submitAndWait(8);
                  reapAll(ring, 8, 512);
                  byte[] wrote = new byte[8 * 512];
                  byte[] read = new byte[8 * 512];
                  out.get(0, wrote);
                  in.get(0, read);
                  assertArrayEquals(wrote, read, "blocks " + b + ".. of thread " + thread);
                  checked += 8;
                }
              }
              return checked;
            };
        results.add(pool.submit(job));
      }
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertEquals(threads * ((blocksPerThread + 7) / 8) * 8, total);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void reapAll(IoUring ring, int n, int expectedRes) {
    for (int seen = 0; seen < n; ) {
      Cqe cqe = ring.waitCqe();
      assertEquals(expectedRes, cqe.res(), "user_data " + cqe.userData());
      ring.cqeSeen(cqe);
      seen++;
    }
  }
}
