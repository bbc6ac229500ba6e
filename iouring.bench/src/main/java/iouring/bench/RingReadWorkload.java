package iouring.bench;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringProcess;
import iouring.api.abi.FileFlags;
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
 * 4 KiB reads at random aligned offsets of a cached 64 MiB host file through the ring, at queue
 * depth 1 and 32, through the host provider: the benchmarks of {@link RingReadBenchmark} and {@link
 * RingReadInterruptibleBenchmark}, which differ in their JVM options.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class RingReadWorkload {
  private static final int DEPTH = 32;
  private static final int MIB = 64;

  private Path file;
  private IoUringProcess process;
  private IoUring ring;
  private int fd;
  private long buffers;
  private long blocks;
  private SplittableRandom random;
  private final Cqe[] cqes = new Cqe[DEPTH];

  /** Creates the cached file, a process whose root is its directory, a ring and the buffers. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    file = BenchFiles.createCached(MIB);
    Kernel kernel = new Kernel();
    kernel.addProvider("host", new HostProvider(file.getParent()));
    process = kernel.newProcess();
    ring = IoUring.queueInit(process, 64, 0);
    fd = process.openat(FileFlags.AT_FDCWD, "/" + file.getFileName(), FileFlags.O_RDONLY, 0);
    buffers = process.memory().map(ByteBuffer.allocateDirect(DEPTH * 4096));
    blocks = MIB * 256L;
    random = new SplittableRandom(42);
  }

  /** Closes everything and deletes the file. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    ring.close();
    process.close();
    Files.deleteIfExists(file);
  }

  /**
   * One read, submitted and waited for.
   *
   * @return the bytes read
   */
  @Benchmark
  public int readQd1() {
    ring.getSqe().prepRead(fd, buffers, 4096, random.nextLong(blocks) * 4096);
    ring.submitAndWait(1);
    Cqe cqe = ring.peekCqe();
    int res = check(cqe.res());
    ring.cqeSeen(cqe);
    return res;
  }

  /**
   * 32 reads in one submission, all waited for and reaped.
   *
   * @return the bytes read
   */
  @Benchmark
  @OperationsPerInvocation(DEPTH)
  public int readQd32() {
    for (int i = 0; i < DEPTH; i++) {
      ring.getSqe()
          .prepRead(fd, buffers + 4096L * i, 4096, random.nextLong(blocks) * 4096)
          .userData(i);
    }
    ring.submitAndWait(DEPTH);
    int n = ring.peekBatchCqe(cqes);
    int total = 0;
    for (int i = 0; i < n; i++) {
      total += check(cqes[i].res());
    }
    ring.cqAdvance(n);
    return total;
  }

  private static int check(int res) {
    if (res != 4096) {
      throw new IllegalStateException("read returned " + res);
    }
    return res;
  }
}
