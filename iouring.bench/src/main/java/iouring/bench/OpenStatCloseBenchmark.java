package iouring.bench;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringProcess;
import iouring.api.abi.FileFlags;
import iouring.api.abi.Statx;
import iouring.core.Kernel;
import iouring.vfs.host.HostProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Open, stat and close of one file, through the ring and the host provider (OPENAT, then STATX of
 * the new fd and CLOSE in one submission), against the same three calls through {@link Files} on
 * the same directory.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class OpenStatCloseBenchmark {
  private Path dir;
  private Path file;
  private IoUringProcess process;
  private IoUring ring;
  private long path;
  private long statx;
  private long empty;
  private final Cqe[] cqes = new Cqe[2];

  /** Creates a directory with one file and a process whose root is that directory. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("iouring-bench");
    file = Files.writeString(dir.resolve("f"), "hello");
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new HostProvider(dir));
    process = kernel.newProcess();
    ring = IoUring.queueInit(process, 8, 0);
    ByteBuffer name = ByteBuffer.allocateDirect(8).put("/f\0".getBytes(StandardCharsets.US_ASCII));
    path = process.memory().map(name);
    statx = process.memory().map(ByteBuffer.allocateDirect(Statx.STATX_SIZE_BYTES));
    empty = process.memory().map(ByteBuffer.allocateDirect(1)); // "": a NUL byte
  }

  /** Removes the directory. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    ring.close();
    process.close();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /**
   * OPENAT, then STATX and CLOSE of the new fd.
   *
   * @return the size STATX reported
   */
  @Benchmark
  public int ring() {
    ring.getSqe().prepOpenat(FileFlags.AT_FDCWD, path, FileFlags.O_RDONLY, 0);
    ring.submitAndWait(1);
    Cqe open = ring.peekCqe();
    int fd = open.res();
    ring.cqeSeen(open);
    if (fd < 0) {
      throw new IllegalStateException("openat returned " + fd);
    }
    ring.getSqe()
        .prepStatx(fd, empty, FileFlags.AT_EMPTY_PATH, Statx.STATX_BASIC_STATS, statx)
        .userData(1);
    ring.getSqe().prepClose(fd).userData(2);
    ring.submitAndWait(2);
    int n = ring.peekBatchCqe(cqes);
    int res = 0;
    for (int i = 0; i < n; i++) {
      if (cqes[i].res() < 0) {
        throw new IllegalStateException("request " + cqes[i].userData() + ": " + cqes[i].res());
      }
      res += cqes[i].res();
    }
    ring.cqAdvance(n);
    return res;
  }

  /**
   * The same three steps through the JDK.
   *
   * @return the size read from the attributes
   * @throws IOException if a call fails
   */
  @Benchmark
  public long files() throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return Files.readAttributes(file, BasicFileAttributes.class).size() + channel.position();
    }
  }
}
