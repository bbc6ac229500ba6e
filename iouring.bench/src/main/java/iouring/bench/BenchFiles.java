package iouring.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/** The data file every read benchmark uses: random bytes, read once so they are in the cache. */
final class BenchFiles {
  private BenchFiles() {}

  /**
   * Creates a temporary file of the given size and reads it once.
   *
   * @param mib the size in MiB
   * @return the file
   * @throws IOException if it cannot be written
   */
  static Path createCached(int mib) throws IOException {
    Path file = Files.createTempFile("iouring-bench", ".dat");
    write(file, mib);
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer sink = ByteBuffer.allocateDirect(1 << 20);
      while (in.read(sink) > 0) {
        sink.clear();
      }
    }
    return file;
  }

  /**
   * Writes {@code mib} MiB of the benchmarks' random bytes to a file, replacing what it held.
   *
   * @param file the file
   * @param mib the size in MiB
   * @throws IOException if it cannot be written
   */
  static void write(Path file, int mib) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
    new SplittableRandom(1).nextBytes(chunk.array());
    try (FileChannel out =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int i = 0; i < mib; i++) {
        chunk.clear();
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
      }
    }
  }
}
