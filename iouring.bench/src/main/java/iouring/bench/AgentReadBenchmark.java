package iouring.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 4 KiB positional reads through a plain {@link FileChannel} on a file under the Java agent's
 * mount: one SQE each, through the agent's whole path (channel, shared ring, kernel, memory
 * provider). The forks need the agent, with the mount this benchmark's {@code mount} names:
 *
 * <pre>
 * java -jar benchmarks.jar AgentReadBenchmark -prof gc \
 *   -jvmArgsAppend -javaagent:iouring.agent.jar=mount=/tmp/iouring-agent-bench=memory
 * </pre>
 *
 * Adding {@code -XX:StartFlightRecording} to the forks' arguments gives the cost with the agent's
 * JFR event recorded; without it, the cost with JFR off.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class AgentReadBenchmark {
  /** The agent's mount point, where the file is created. */
  @Param("/tmp/iouring-agent-bench")
  public String mount;

  private static final int MIB = 4;

  private FileChannel channel;
  private ByteBuffer buffer;
  private SplittableRandom random;

  /** Creates a 4 MiB file under the mount; refuses to run if the agent does not serve it. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    try {
      channel =
          FileChannel.open(
              Path.of(mount, "agent-read.bin"),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      throw notUnderTheAgent();
    }
    if (!channel.getClass().getName().equals("iouring.agent.RingFileChannel")) {
      channel.close();
      throw notUnderTheAgent();
    }
    ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
    new SplittableRandom(1).nextBytes(chunk.array());
    for (int i = 0; i < MIB; i++) {
      channel.write(chunk.clear(), (long) i << 20);
    }
    buffer = ByteBuffer.allocateDirect(4096);
    random = new SplittableRandom(42);
  }

  private IllegalStateException notUnderTheAgent() {
    return new IllegalStateException(
        "run the forks under the agent: -jvmArgsAppend -javaagent:iouring.agent.jar=mount="
            + mount
            + "=memory");
  }

  /** Closes the channel; the file goes with the agent's in-memory mount. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    channel.close();
  }

  /**
   * Reads one random 4 KiB block.
   *
   * @return the bytes read, so the read is not optimized away
   */
  @Benchmark
  public int positionalRead4k() throws IOException {
    buffer.clear();
    return channel.read(buffer, random.nextLong(MIB * 256L) * 4096);
  }
}
