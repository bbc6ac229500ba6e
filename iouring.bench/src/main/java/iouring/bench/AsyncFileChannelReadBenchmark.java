package iouring.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
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
 * The JDK's asynchronous file API as a baseline: 32 random 4 KiB reads in flight through {@link
 * AsynchronousFileChannel}, then all awaited, the JDK's nearest thing to a queue depth of 32.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class AsyncFileChannelReadBenchmark {
  private static final int DEPTH = 32;

  private Path file;
  private AsynchronousFileChannel channel;
  private final ByteBuffer[] buffers = new ByteBuffer[DEPTH];
  private final Future<?>[] pending = new Future<?>[DEPTH];
  private SplittableRandom random;
  private long blocks;

  /** Creates a cached 64 MiB file and the buffers. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    file = BenchFiles.createCached(64);
    blocks = 64 * 256;
    channel = AsynchronousFileChannel.open(file, StandardOpenOption.READ);
    for (int i = 0; i < DEPTH; i++) {
      buffers[i] = ByteBuffer.allocateDirect(4096);
    }
    random = new SplittableRandom(42);
  }

  /** Closes and deletes the file. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    channel.close();
    Files.deleteIfExists(file);
  }

  /**
   * Issues 32 reads, then waits for all of them.
   *
   * @return the bytes read
   */
  @Benchmark
  @OperationsPerInvocation(DEPTH)
  public long asyncRead4k() throws InterruptedException, ExecutionException {
    for (int i = 0; i < DEPTH; i++) {
      buffers[i].clear();
      pending[i] = channel.read(buffers[i], random.nextLong(blocks) * 4096);
    }
    long total = 0;
    for (int i = 0; i < DEPTH; i++) {
      total += (Integer) pending[i].get();
    }
    return total;
  }
}
