package iouring.core.stress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringProcess;
import iouring.api.Sqe;
import iouring.api.abi.FileFlags;
import iouring.core.Kernel;
import iouring.vfs.memory.MemoryProvider;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Eight threads share one ring: each submits its own requests, with its own user_data, and any of
 * them reaps any CQE. The application serializes its side of each queue, as it must (the SQ tail
 * under one lock, the CQ head under another); the kernel must serialize the concurrent enters so
 * that no CQE is lost, duplicated or given another request's user_data or result.
 *
 * <p>{@code -Diouring.stress.ops=1000000} sets the operations per thread (default 20,000).
 */
class ManyThreadsStressTest {
  private static final int THREADS = 8;
  private static final int OPS = Integer.getInteger("iouring.stress.ops", 20_000);
  private static final int SLOTS = 16;
  private static final int BLOCK = 4096;

  private IoUringProcess process;
  private IoUring ring;
  private final ReentrantLock submitLock = new ReentrantLock();
  private final ReentrantLock reapLock = new ReentrantLock();

  /** Results by user_data; MIN_VALUE until the CQE is seen. */
  private final AtomicIntegerArray results = new AtomicIntegerArray(THREADS * 2 * OPS);

  private final AtomicIntegerArray seen = new AtomicIntegerArray(THREADS * 2 * OPS);

  @BeforeEach
  void start() {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new MemoryProvider());
    process = kernel.newProcess();
    ring = IoUring.queueInit(process, 64, 0);
  }

  @AfterEach
  void stop() {
    ring.close();
    process.close();
  }

  @Test
  void everyNopCompletesOnceWithItsOwnUserData() throws Exception {
    runThreads(
        t -> {
          for (int i = 0; i < OPS; i++) {
            submitLock.lock();
            try {
              sqe().prepNop().userData(userData(t, i));
              if ((i & 7) == 7 || i == OPS - 1) {
                ring.submit();
              }
            } finally {
              submitLock.unlock();
            }
            if ((i & 7) == 7) {
              reap();
            }
          }
        });
    drain(THREADS * OPS);
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < OPS; i++) {
        assertEquals(1, seen.get(userData(t, i)), "CQEs of thread " + t + " op " + i);
        assertEquals(0, results.get(userData(t, i)));
      }
    }
  }

  @Test
  void readsAndWritesOfDistinctRangesKeepTheirData() throws Exception {
    int fd =
        process.openat(FileFlags.AT_FDCWD, "/data", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
    int ops = Math.max(1, OPS / 4);
    runThreads(
        t -> {
          ByteBuffer out = ByteBuffer.allocateDirect(BLOCK);
          ByteBuffer in = ByteBuffer.allocateDirect(BLOCK);
          long outAddress = process.memory().map(out);
          long inAddress = process.memory().map(in);
          byte[] expected = new byte[BLOCK];
          byte[] actual = new byte[BLOCK];
          for (int i = 0; i < ops; i++) {
            long offset = (long) (t * SLOTS + i % SLOTS) * BLOCK;
            for (int j = 0; j < BLOCK; j += 8) {
              out.putLong(j, ((long) t << 56) ^ ((long) i << 16) ^ j);
            }
            out.get(0, expected);
            int write = userData(t, 2 * i);
            int read = userData(t, 2 * i + 1);
            submitLock.lock();
            try {
              sqe().prepWrite(fd, outAddress, BLOCK, offset).userData(write);
              ring.submit();
            } finally {
              submitLock.unlock();
            }
            awaitOwn(write);
            assertEquals(BLOCK, results.get(write), "write of thread " + t + " op " + i);
            submitLock.lock();
            try {
              sqe().prepRead(fd, inAddress, BLOCK, offset).userData(read);
              ring.submit();
            } finally {
              submitLock.unlock();
            }
            awaitOwn(read);
            assertEquals(BLOCK, results.get(read), "read of thread " + t + " op " + i);
            in.get(0, actual);
            assertArrayEquals(expected, actual, "data of thread " + t + " op " + i);
          }
        });
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < 2 * ops; i++) {
        assertEquals(1, seen.get(userData(t, i)), "CQEs of thread " + t + " op " + i);
      }
    }
  }

  private static int userData(int thread, int op) {
    return thread * 2 * OPS + op;
  }

  /** Returns a free SQE, submitting what is queued when the SQ is full; caller holds submitLock. */
  private Sqe sqe() {
    Sqe sqe = ring.getSqe();
    while (sqe == null) {
      ring.submit();
      sqe = ring.getSqe();
    }
    return sqe;
  }

  /** Consumes every CQE ready, recording each; returns how many. */
  private int reap() {
    reapLock.lock();
    try {
      int n = 0;
      for (Cqe cqe = ring.peekCqe(); cqe != null; cqe = ring.peekCqe()) {
        long userData = cqe.userData();
        if (userData < 0 || userData >= seen.length()) {
          throw new AssertionError("CQE with a user_data nobody used: " + cqe);
        }
        results.set((int) userData, cqe.res());
        seen.incrementAndGet((int) userData);
        ring.cqeSeen(cqe);
        n++;
      }
      return n;
    } finally {
      reapLock.unlock();
    }
  }

  private void awaitOwn(int userData) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (seen.get(userData) == 0) {
      if (reap() == 0) {
        Thread.onSpinWait();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no CQE for user_data " + userData);
      }
    }
  }

  private void drain(int expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int total = 0;
    for (int i = 0; i < seen.length(); i++) {
      total += seen.get(i);
    }
    while (total < expected && System.nanoTime() < deadline) {
      total += reap();
    }
    assertEquals(expected, total, "CQEs reaped");
  }

  private interface Worker {
    void run(int thread) throws Exception;
  }

  private void runThreads(Worker worker) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  worker.run(thread);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
