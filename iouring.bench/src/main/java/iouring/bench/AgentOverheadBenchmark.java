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
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An application's FileChannel I/O as it is, for {@link AgentOverheadReport}, which runs it in JVMs
 * without the agent, with the agent and the files outside every mount (passthrough), and with the
 * files under a host-provider mount (through the ring): 4 KiB reads at random offsets one at a time
 * (QD1), and sequential copies of 1 MiB from one file to another. The files live in the directory
 * the system property {@value #DIR_PROPERTY} names.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AgentOverheadBenchmark {
  /** The system property naming the directory of the files. */
  public static final String DIR_PROPERTY = "iouring.bench.dir";

  private static final int MIB = 64;

  private FileChannel source;
  private FileChannel target;
  private final ByteBuffer block = ByteBuffer.allocateDirect(4096);
  private final ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
  private final SplittableRandom random = new SplittableRandom(42);
  private long copied;

  /**
   * Opens the source (64 MiB of random bytes, written on first use and read once into the cache)
   * and the copy's target.
   *
   * @throws IOException if the files cannot be made
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path dir = Path.of(System.getProperty(DIR_PROPERTY, System.getProperty("java.io.tmpdir")));
    Path file = dir.resolve("source.dat");
    if (!Files.exists(file) || Files.size(file) != (long) MIB << 20) {
      BenchFiles.write(file, MIB);
    }
    source = FileChannel.open(file, StandardOpenOption.READ);
    for (long at = 0; at < (long) MIB << 20; at += chunk.capacity()) {
      chunk.clear();
      source.read(chunk, at);
    }
    target =
        FileChannel.open(
            dir.resolve("target.dat"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ);
  }

  /**
   * Writes the copies' target back to disk and closes both channels, so that the next JVM's run
   * does not share the machine with this one's writeback.
   *
   * @throws IOException if a close fails
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    target.force(false);
    source.close();
    target.close();
  }

  /**
   * One 4 KiB positional read at a random aligned offset.
   *
   * @return the bytes read
   * @throws IOException if the read fails
   */
  @Benchmark
  public int read4kQd1() throws IOException {
    block.clear();
    return source.read(block, random.nextLong(MIB * 256L) * 4096);
  }

  /**
   * Copies the next MiB of the source to the same offset of the target: a relative read and a
   * positional write, as a copy loop does.
   *
   * @return the bytes written
   * @throws IOException if the read or the write fails
   */
  @Benchmark
  public int copy1MiB() throws IOException {
    long at = copied;
    copied = (copied + chunk.capacity()) % ((long) MIB << 20);
    chunk.clear();
    source.position(at);
    while (chunk.hasRemaining() && source.read(chunk) > 0) {
      // a short read continues where it stopped
    }
    chunk.flip();
    int n = 0;
    while (chunk.hasRemaining()) {
      n += target.write(chunk, at + n);
    }
    return n;
  }
}
