package iouring.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baseline every ring read is measured against: 4 KiB positional reads at random aligned
 * offsets of a cached host file, through a bare {@link FileChannel}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class FileChannelReadBenchmark {
  private static final int DEPTH = 32;

  /** Size of the file read, in MiB. */
  @Param("64")
  public int fileMiB;

  private Path file;
  private FileChannel channel;
  private ByteBuffer buffer;
  private final ByteBuffer[] buffers = new ByteBuffer[DEPTH];
  private SplittableRandom random;
  private long blocks;

  /** Creates the cached file. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    file = BenchFiles.createCached(fileMiB);
    channel = FileChannel.open(file, StandardOpenOption.READ);
    buffer = ByteBuffer.allocateDirect(4096);
    ByteBuffer all = ByteBuffer.allocateDirect(DEPTH * 4096);
    for (int i = 0; i < DEPTH; i++) {
      buffers[i] = all.slice(i * 4096, 4096);
    }
    random = new SplittableRandom(42);
    blocks = (long) fileMiB * 256;
  }

  /** Deletes the file. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    channel.close();
    Files.deleteIfExists(file);
  }

  /**
   * Reads one random 4 KiB block.
   *
   * @return the bytes read, so the read is not optimized away
   */
  @Benchmark
  public int positionalRead4k() throws IOException {
    buffer.clear();
    return channel.read(buffer, random.nextLong(blocks) * 4096);
  }

  /**
   * 32 random 4 KiB blocks into 32 buffers, one after the other: the work of the ring's QD32 read,
   * buffers included, as a bare FileChannel loop does it.
   *
   * @return the bytes read
   */
  @Benchmark
  @OperationsPerInvocation(DEPTH)
  public int positionalRead4kInto32Buffers() throws IOException {
    int total = 0;
    for (int i = 0; i < DEPTH; i++) {
      ByteBuffer b = buffers[i];
      b.clear();
      total += channel.read(b, random.nextLong(blocks) * 4096);
    }
    return total;
  }
}
