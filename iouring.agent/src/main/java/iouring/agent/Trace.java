package iouring.agent;

import iouring.api.abi.Opcodes;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes one tab-separated line per SQE for {@code trace=FILE}: time, opcode, file, offset, length,
 * result, latency in nanoseconds. The file is opened before any hook is live, so its own writes
 * never come back through the ring.
 */
final class Trace implements AutoCloseable {
  static final String HEADER = "#time\topcode\tfile\toffset\tlength\tresult\tlatency_ns";

  private final Writer out;
  private boolean failed;

  Trace(Path file) throws IOException {
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    out.write(HEADER + "\n");
  }

  synchronized void line(int opcode, String file, long offset, long length, int res, long nanos) {
    if (failed) {
      return;
    }
    try {
      out.write(
          Instant.now()
              + "\t"
              + Opcodes.name(opcode)
              + "\t"
              + file
              + "\t"
              + offset
              + "\t"
              + length
              + "\t"
              + res
              + "\t"
              + nanos
              + "\n");
    } catch (IOException e) {
      // Tracing must never fail the application's I/O; report once and stop tracing.
      failed = true;
      System.err.println("iouring agent: trace stopped: " + e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
