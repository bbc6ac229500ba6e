package iouring.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * An ordinary application that knows nothing of iouring: it writes, reads, copies and checksums
 * files with FileChannel under a data directory. {@code ./iouring demo} runs it under the agent.
 */
public final class DemoApp {
  private DemoApp() {}

  /**
   * Runs the demo.
   *
   * @param args the data directory, and optionally the number of files
   * @throws IOException if any I/O fails
   */
  public static void main(String[] args) throws IOException {
    Path data = Path.of(args.length > 0 ? args[0] : "data");
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    Random random = new Random(42);
    for (int i = 0; i < files; i++) {
      Path file = data.resolve("file" + i + ".bin");
      Path copy = data.resolve("file" + i + ".copy");
      byte[] bytes = new byte[64 * 1024 + random.nextInt(64 * 1024)];
      random.nextBytes(bytes);
      try (FileChannel out =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        int half = bytes.length / 2; // a heap buffer and a direct one in one gathering write
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length - half);
        direct.put(bytes, half, bytes.length - half).flip();
        out.write(new ByteBuffer[] {ByteBuffer.wrap(bytes, 0, half), direct});
        out.force(true);
      }
      try (FileChannel in = FileChannel.open(file);
          FileChannel out =
              FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        long copied = in.transferTo(0, in.size(), out);
        System.out.printf(
            "%s: %d bytes, crc32 %08x, copy crc32 %08x (%d bytes copied)%n",
            file.getFileName(), bytes.length, crc(bytes), crc(copy), copied);
      }
    }
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  private static long crc(Path file) throws IOException {
    CRC32 crc = new CRC32();
    ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
    try (FileChannel in = FileChannel.open(file)) {
      while (in.read(buffer) > 0) {
        crc.update(buffer.flip());
        buffer.clear();
      }
    }
    return crc.getValue();
  }
}
