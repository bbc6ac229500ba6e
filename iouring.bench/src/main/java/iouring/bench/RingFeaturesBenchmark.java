package iouring.bench;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.FileFlags;
import iouring.api.abi.SetupFlags;
import iouring.api.abi.SqeFlags;
import iouring.core.Kernel;
import iouring.vfs.host.HostProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
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
 * What the ring's execution features cost against its inline path, all in one run: 32 NOPs as a
 * linked chain and as an SQPOLL batch published with no {@code enter}, against 32 independent NOPs;
 * 32 random 4 KiB host reads with {@code IOSQE_ASYNC} on the worker pool, against the same reads
 * inline. Every operation is one request; the ratios are between methods of this class.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RingFeaturesBenchmark {
  private static final int DEPTH = 32;
  private static final int MIB = 64;

  private Path file;
  private IoUringProcess process;
  private IoUring ring;
  private IoUring polled;
  private int fd;
  private long buffers;
  private long blocks;
  private SplittableRandom random;
  private final Cqe[] cqes = new Cqe[DEPTH];

  /** Creates the cached file, a process, an inline ring and an SQPOLL ring that stays awake. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    file = BenchFiles.createCached(MIB);
    Kernel kernel = new Kernel();
    kernel.addProvider("host", new HostProvider(file.getParent()));
    process = kernel.newProcess();
    ring = IoUring.queueInit(process, 64, 0);
    polled =
        IoUring.queueInit(
            process,
            64,
            new IoUringParams().flags(SetupFlags.IORING_SETUP_SQPOLL).sqThreadIdle(10_000));
    fd = process.openat(FileFlags.AT_FDCWD, "/" + file.getFileName(), FileFlags.O_RDONLY, 0);
    buffers = process.memory().map(ByteBuffer.allocateDirect(DEPTH * 4096));
    blocks = MIB * 256L;
    random = new SplittableRandom(42);
  }

  /** Closes everything and deletes the file. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    polled.close();
    ring.close();
    process.close();
    Files.deleteIfExists(file);
  }

  /**
   * The baseline: 32 independent NOPs in one submission.
   *
   * @return the sum of the results
   */
  @Benchmark
  @OperationsPerInvocation(DEPTH)
  public int nop32Inline() {
    for (int i = 0; i < DEPTH; i++) {
      ring.getSqe().prepNop().userData(i);
    }
    ring.submitAndWait(DEPTH);
    return reap(ring, 0);
  }

  /**
   * 32 NOPs linked into one chain ({@code IOSQE_IO_LINK} on all but the last).
   *
   * @return the sum of the results
   */
  @Benchmark
  @OperationsPerInvocation(DEPTH)
  public int nop32Linked() {
    for (int i = 0; i < DEPTH; i++) {
      ring.getSqe().prepNop().userData(i).flags(i < DEPTH - 1 ? SqeFlags.IOSQE_IO_LINK : 0);
    }
    ring.submitAndWait(DEPTH);
    return reap(ring, 0);
  }

  /**
   * 32 NOPs on an SQPOLL ring: published without {@code enter} (the thread stays awake, so the
   * handle never needs {@code IORING_ENTER_SQ_WAKEUP}) and reaped by spinning on the CQ.
   *
   * @return the sum of the results
   */
  @Benchmark
  @OperationsPerInvocation(DEPTH)
  public int nop32SqPoll() {
    for (int i = 0; i < DEPTH; i++) {
      polled.getSqe().prepNop().userData(i);
    }
    polled.submit();
    int seen = 0;
    int sum = 0;
    while (seen < DEPTH) {
      int n = polled.peekBatchCqe(cqes);
      for (int i = 0; i < n; i++) {
        sum += cqes[i].res();
      }
      polled.cqAdvance(n);
      seen += n;
      if (n == 0) {
        Thread.onSpinWait();
      }
    }
    return sum;
  }

  /**
   * The baseline: 32 random 4 KiB reads run inline.
   *
   * @return the bytes read
   */
  @Benchmark
  @OperationsPerInvocation(DEPTH)
  public int read32Inline() {
    return reads(0);
  }

  /**
   * 32 random 4 KiB reads with {@code IOSQE_ASYNC}: each handed to the worker pool.
   *
   * @return the bytes read
   */
  @Benchmark
  @OperationsPerInvocation(DEPTH)
  public int read32Async() {
    return reads(SqeFlags.IOSQE_ASYNC);
  }

  private int reads(int flags) {
    for (int i = 0; i < DEPTH; i++) {
      ring.getSqe()
          .prepRead(fd, buffers + 4096L * i, 4096, random.nextLong(blocks) * 4096)
          .userData(i)
          .flags(flags);
    }
    ring.submitAndWait(DEPTH);
    return reap(ring, 4096);
  }

  /** Reaps every CQE posted, checking each result when {@code expect} is not 0. */
  private int reap(IoUring r, int expect) {
    int total = 0;
    int seen = 0;
    while (seen < DEPTH) {
      int n = r.peekBatchCqe(cqes);
      if (n == 0) {
        r.submitAndWait(DEPTH - seen);
        continue;
      }
      for (int i = 0; i < n; i++) {
        int res = cqes[i].res();
        if (expect != 0 && res != expect) {
          throw new IllegalStateException("read returned " + res);
        }
        total += res;
      }
      r.cqAdvance(n);
      seen += n;
    }
    return total;
  }
}
