package iouring.bench;

import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.vfs.memory.MemoryProvider;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The heap a memory-provider file costs: creates 20,000 empty files, then 20,000 files of one byte
 * each, through the provider, and prints the heap each set added, measured after full collections.
 * An estimate, as heap figures are, but one that a change to the per-file structures moves.
 *
 * <p>Usage: {@code java -cp benchmarks.jar iouring.bench.MemoryFootprintReport}.
 */
public final class MemoryFootprintReport {
  private static final int FILES = 20_000;

  private MemoryFootprintReport() {}

  /**
   * Runs the report.
   *
   * @param args unused
   * @throws VfsException if the provider refuses a file
   */
  public static void main(String[] args) throws VfsException {
    MemoryProvider provider = new MemoryProvider();
    long before = usedHeap();
    create(provider, "empty", 0);
    long empty = usedHeap();
    create(provider, "small", 1);
    long small = usedHeap();
    System.out.printf(
        Locale.ROOT,
        "memory provider, Java %s: %,d B per empty file, %,d B per 1-byte file (%,d files each)%n",
        System.getProperty("java.version"),
        (empty - before) / FILES,
        (small - empty) / FILES,
        FILES);
  }

  private static void create(MemoryProvider provider, String prefix, int size) throws VfsException {
    ByteBuffer data = ByteBuffer.allocate(size);
    for (int i = 0; i < FILES; i++) {
      VfsFile file = provider.open(prefix + i, FileFlags.O_CREAT | FileFlags.O_RDWR, 0644);
      if (size > 0) {
        file.write(data.clear(), 0);
      }
      file.close();
    }
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
    }
    return used;
  }
}
