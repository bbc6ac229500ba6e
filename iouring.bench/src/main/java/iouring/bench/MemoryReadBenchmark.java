package iouring.bench;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringProcess;
import iouring.api.abi.FileFlags;
import iouring.core.Kernel;
import iouring.vfs.memory.MemoryProvider;
import java.nio.ByteBuffer;
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
 * 4 KiB reads at random aligned offsets of a 64 MiB file in the memory provider, 32 per submission:
 * the emulator with no system call below it, against the kernel's cached reads. {@link
 * #copyCeiling} is the bound of any in-JVM read of such a file: the bare copies of 32 random 4 KiB
 * heap pages of a 64 MiB set into the same buffers, with no ring, file or lock around them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class MemoryReadBenchmark {
  private static final int DEPTH = 32;
  private static final int MIB = 64;

  private IoUringProcess process;
  private IoUring ring;
  private int fd;
  private long buffers;
  private final long blocks = MIB * 256L;
  private SplittableRandom random;
  private final Cqe[] cqes = new Cqe[DEPTH];
  private byte[][] pages;
  private ByteBuffer target;

  /** Creates a process whose root is a memory provider holding a 64 MiB file of random bytes. */
  @Setup(Level.Trial)
  public void setUp() {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new MemoryProvider());
    process = kernel.newProcess();
    ring = IoUring.queueInit(process, 64, 0);
    fd = process.openat(FileFlags.AT_FDCWD, "/data", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
    ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
    byte[] bytes = new byte[1 << 20];
    new SplittableRandom(1).nextBytes(bytes);
    chunk.put(bytes);
    long chunkAddr = process.memory().map(chunk);
    for (int i = 0; i < MIB; i++) {
      ring.getSqe().prepWrite(fd, chunkAddr, 1 << 20, (long) i << 20);
      ring.submitAndWait(1);
      Cqe cqe = ring.peekCqe();
      if (cqe.res() != 1 << 20) {
        throw new IllegalStateException("write returned " + cqe.res());
      }
      ring.cqeSeen(cqe);
    }
    target = ByteBuffer.allocateDirect(DEPTH * 4096);
    buffers = process.memory().map(target);
    random = new SplittableRandom(42);
    pages = new byte[(int) blocks][];
    SplittableRandom fill = new SplittableRandom(2);
    for (int i = 0; i < pages.length; i++) {
      pages[i] = new byte[4096];
      fill.nextBytes(pages[i]);
    }
  }

  /** Closes the ring and ends the process. */
  @TearDown(Level.Trial)
  public void tearDown() {
    ring.close();
    process.close();
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
      int res = cqes[i].res();
      if (res != 4096) {
        throw new IllegalStateException("read returned " + res);
      }
      total += res;
    }
    ring.cqAdvance(n);
    return total;
  }

  /**
   * The ceiling: 32 copies of a random 4 KiB page of a 64 MiB heap set into the read buffers.
   *
   * @return a byte of the last copy
   */
  @Benchmark
  @OperationsPerInvocation(DEPTH)
  public byte copyCeiling() {
    for (int i = 0; i < DEPTH; i++) {
      target.put(4096 * i, pages[random.nextInt(pages.length)]);
    }
    return target.get(4096 * (DEPTH - 1));
  }
}
