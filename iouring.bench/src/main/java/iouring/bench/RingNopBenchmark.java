package iouring.bench;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringProcess;
import iouring.api.Sqe;
import iouring.core.Kernel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * NOP round trips through the liburing-style handle: queue, submit and wait, reap. What the
 * emulator costs per request when the request itself costs nothing; the kernel side of the ratio is
 * the same loop against the real io_uring.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RingNopBenchmark {
  private static final int BATCH = 32;

  private IoUringProcess process;
  private IoUring ring;
  private final Cqe[] cqes = new Cqe[BATCH];

  /** Creates a process and a 64-entry ring. */
  @Setup(Level.Trial)
  public void setUp() {
    process = new Kernel().newProcess();
    ring = IoUring.queueInit(process, 64, 0);
  }

  /** Closes the ring and ends the process. */
  @TearDown(Level.Trial)
  public void tearDown() {
    ring.close();
    process.close();
  }

  /**
   * An enter that submits and waits for nothing: the fixed cost of the system call.
   *
   * @return the enter's result
   */
  @Benchmark
  public int enterNothing() {
    return process.enter(ring.ringFd(), 0, 0, 0);
  }

  /**
   * One NOP: get an SQE, submit and wait, reap its CQE.
   *
   * @return the CQE's result
   */
  @Benchmark
  public int nopBatch1() {
    ring.getSqe().prepNop().userData(1);
    ring.submitAndWait(1);
    Cqe cqe = ring.peekCqe();
    int res = cqe.res();
    ring.cqeSeen(cqe);
    return res;
  }

  /**
   * 32 NOPs per submission, reaped as a batch.
   *
   * @return the sum of the results
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int nopBatch32() {
    for (int i = 0; i < BATCH; i++) {
      Sqe sqe = ring.getSqe();
      sqe.prepNop().userData(i);
    }
    ring.submitAndWait(BATCH);
    int n = ring.peekBatchCqe(cqes);
    int sum = 0;
    for (int i = 0; i < n; i++) {
      sum += cqes[i].res();
    }
    ring.cqAdvance(n);
    return sum;
  }
}
