package iouring.core.conformance;

import static iouring.api.abi.EnterFlags.IORING_ENTER_GETEVENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.SetupFlags;
import iouring.core.Kernel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Several threads share one ring, as threads of a process share a ring fd: each queues NOPs and
 * enters, and any of them reaps. The application serializes its own writes of {@code sq.tail} and
 * {@code cq.head} with two locks, as it must; the kernel side must serialize the concurrent {@code
 * enter} calls so that every SQE is consumed once and every CQE is posted once, none lost or
 * duplicated, also when the CQ overflows into the backlog.
 */
class ConcurrentEnterTest {
  private static final int THREADS = 4;
  private static final int PER_THREAD = 20_000;
  private static final int MAX_BATCH = 8;

  private IoUringProcess process;

  @BeforeEach
  void startProcess() {
    process = new Kernel().newProcess();
  }

  @AfterEach
  void endProcess() {
    process.close();
  }

  /**
   * A roomy ring reaped after every enter, and one whose CQ is as small as its SQ, reaped after
   * every fourth, which sends many CQEs through the overflow backlog.
   */
  @ParameterizedTest(name = "SQ {0}, CQ {1}, reaping every {2} rounds")
  @CsvSource({"64,128,1", "8,8,4"})
  void everyNopCompletesExactlyOnce(int sqEntries, int cqEntries, int reapEvery) throws Exception {
    IoUringParams params =
        new IoUringParams().flags(SetupFlags.IORING_SETUP_CQSIZE).cqEntries(cqEntries);
    RawRing ring = RawRing.create(process, sqEntries, params);
    Shared shared = new Shared(ring, reapEvery);

    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try {
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(
            threads.submit(
                () -> {
                  start.await();
                  shared.run(thread);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      threads.shutdownNow();
    }

    assertTimeoutPreemptively(Duration.ofSeconds(30), shared::drain);
    assertEquals(0, ring.sqPending());
    assertEquals(0, ring.sqDropped());
    assertEquals(0, ring.cqOverflow());
    for (int ud = 0; ud < THREADS * PER_THREAD; ud++) {
      assertEquals(1, shared.seen.get(ud), "CQEs with user_data " + ud);
    }
  }

  /** What the threads share: the ring, the application's two locks and the CQEs seen. */
  private static final class Shared {
    final RawRing ring;
    final ReentrantLock sqLock = new ReentrantLock();
    final ReentrantLock cqLock = new ReentrantLock();
    final AtomicIntegerArray seen = new AtomicIntegerArray(THREADS * PER_THREAD);
    final AtomicInteger reaped = new AtomicInteger();

    final int reapEvery;

    Shared(RawRing ring, int reapEvery) {
      this.ring = ring;
      this.reapEvery = reapEvery;
    }

    /** Queues this thread's NOPs in small batches, entering after each and reaping now and then. */
    void run(int thread) {
      int next = 0;
      int round = 0;
      while (next < PER_THREAD) {
        int batch;
        sqLock.lock();
        try {
          batch =
              Math.min(ring.sqEntries - ring.sqPending(), Math.min(MAX_BATCH, PER_THREAD - next));
          for (int i = 0; i < batch; i++) {
            ring.push(Sqe.nop((long) thread * PER_THREAD + next++));
          }
        } finally {
          sqLock.unlock();
        }
        // Every batch is followed by its own enter, so one always finds its SQEs queued: enters
        // may consume each other's SQEs, but never fewer than they ask for.
        int flags = (round & 1) == 0 ? IORING_ENTER_GETEVENTS : 0;
        int submitted = ring.enter(batch, 0, flags);
        if (submitted != batch) {
          throw new AssertionError("enter(" + batch + ") consumed " + submitted);
        }
        if (++round % reapEvery == 0) {
          reap();
        }
      }
    }

    /** Flushes the backlog and reaps until every CQE was seen. */
    void drain() {
      int total = THREADS * PER_THREAD;
      while (reaped.get() < total) {
        ring.enter(0, 0, IORING_ENTER_GETEVENTS);
        reap();
      }
    }

    private void reap() {
      cqLock.lock();
      try {
        for (Cqe cqe : ring.reap()) {
          if (cqe.res() != 0 || cqe.userData() < 0 || cqe.userData() >= seen.length()) {
            throw new AssertionError("unexpected " + cqe);
          }
          seen.incrementAndGet((int) cqe.userData());
          reaped.incrementAndGet();
        }
      } finally {
        cqLock.unlock();
      }
    }
  }
}
