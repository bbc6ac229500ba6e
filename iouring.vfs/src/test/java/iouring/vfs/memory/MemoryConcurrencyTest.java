package iouring.vfs.memory;

import static iouring.api.abi.FileFlags.O_CREAT;
import static iouring.api.abi.FileFlags.O_EXCL;
import static iouring.api.abi.FileFlags.O_RDWR;
import static iouring.api.abi.FileFlags.RENAME_EXCHANGE;
import static iouring.vfs.ProviderFixture.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The memory provider under many threads: parallel writers lose no byte, readers never see a byte
 * that was never written, and namespace operations stay atomic with respect to one another.
 */
class MemoryConcurrencyTest {
  private static final int THREADS = 8;

  /** The file's size: 8 MiB and a bit, so the last page is partial. */
  private static final int SIZE = 8 * 1024 * 1024 + 123;

  /** Bytes per stripe: odd, so stripes straddle page boundaries. */
  private static final int STRIPE = 509;

  private final MemoryProvider fs = new MemoryProvider();
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 2);

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  @RepeatedTest(4) // a lost race shows up in about every other run when the code is broken
  void eightWritersOfDisjointRangesLoseNoByte() throws Exception {
    try (VfsFile f = fs.open("f", O_CREAT | O_RDWR, 0600)) {
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean writing = new AtomicBoolean(true);
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int id = t;
        tasks.add(pool.submit(() -> writeStripes(f, id, start)));
      }
      Future<?> reader = pool.submit(() -> readWhileWriting(f, writing, start));
      start.countDown();
      for (Future<?> task : tasks) {
        task.get(60, TimeUnit.SECONDS);
      }
      writing.set(false);
      reader.get(60, TimeUnit.SECONDS);
      byte[] all = readAll(f);
      assertEquals(SIZE, all.length);
      for (int i = 0; i < all.length; i++) {
        if (all[i] != expected(i)) {
          assertEquals(expected(i), all[i], "byte " + i);
        }
      }
    }
  }

  /**
   * A read that raced a truncation must not return the holes the truncation left: the file only
   * ever holds a page of non-zero bytes or nothing, so a read that returns bytes returns no zero.
   */
  @RepeatedTest(3)
  void aReadRacingTruncationNeverReturnsBytesTheFileNeverHeld() throws Exception {
    try (VfsFile f = fs.open("t", O_CREAT | O_RDWR, 0600)) {
      AtomicBoolean running = new AtomicBoolean(true);
      Future<?> churn =
          pool.submit(
              () -> {
                byte[] page = new byte[4096];
                for (int k = 0; running.get(); k++) {
                  java.util.Arrays.fill(page, (byte) (1 + k % 255));
                  f.truncate(0);
                  f.write(ByteBuffer.wrap(page), 0);
                }
                return null;
              });
      ByteBuffer buf = ByteBuffer.allocateDirect(4096);
      long reads = 0;
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
      while (System.nanoTime() < end) {
        buf.clear();
        int n = f.read(buf, 0);
        for (int i = 0; i < n; i++) {
          if (buf.get(i) == 0) {
            running.set(false);
            throw new AssertionError("a zero byte at " + i + " of a " + n + "-byte read");
          }
        }
        reads++;
      }
      running.set(false);
      churn.get(10, TimeUnit.SECONDS);
      assertTrue(reads > 0);
    }
  }

  /**
   * Writes one thread's stripes, in random order. Stripe {@code s} belongs to thread {@code s %
   * THREADS}, so the threads' ranges are disjoint while every page is shared by all of them, and
   * each page is created by whichever thread gets there first.
   */
  private static Void writeStripes(VfsFile f, int id, CountDownLatch start) throws Exception {
    List<Integer> mine = new ArrayList<>();
    for (int s = id; s * STRIPE < SIZE; s += THREADS) {
      mine.add(s);
    }
    Collections.shuffle(mine, new Random(id));
    byte[] data = new byte[STRIPE];
    start.await();
    for (int s : mine) {
      long at = (long) s * STRIPE;
      int n = (int) Math.min(STRIPE, SIZE - at);
      for (int i = 0; i < n; i++) {
        data[i] = expected(at + i);
      }
      ByteBuffer src = ByteBuffer.wrap(data, 0, n);
      while (src.hasRemaining()) {
        f.write(src, at + src.position());
      }
    }
    return null;
  }

  /** Reads as the writers write: every byte seen is either a hole's zero or its final value. */
  private static Void readWhileWriting(VfsFile f, AtomicBoolean writing, CountDownLatch start)
      throws Exception {
    start.await();
    Random r = new Random(99);
    ByteBuffer dst = ByteBuffer.allocate(65_536);
    while (writing.get()) {
      long at = r.nextInt(SIZE);
      dst.clear();
      int n = f.read(dst, at);
      for (int i = 0; i < n; i++) {
        byte b = dst.get(i);
        if (b != 0 && b != expected(at + i)) {
          throw new AssertionError("byte " + (at + i) + " was " + b);
        }
      }
    }
    return null;
  }

  /** The value byte {@code i} ends up with: never zero, and different in neighbouring stripes. */
  private static byte expected(long i) {
    return (byte) ((i / STRIPE) % 127 + i % 5 + 1);
  }

  @Test
  void renamesAreAtomicWithRespectToLookups() throws Exception {
    // Two names swap places again and again; a lookup never finds a name missing in between.
    fs.open("a", O_CREAT | O_RDWR, 0600).close();
    fs.open("b", O_CREAT | O_RDWR, 0600).close();
    Set<Long> both = Set.of(fs.stat("a", true).ino(), fs.stat("b", true).ino());
    AtomicBoolean running = new AtomicBoolean(true);
    Future<?> swapper =
        pool.submit(
            () -> {
              for (int i = 0; i < 20_000; i++) {
                fs.rename("a", "b", RENAME_EXCHANGE);
              }
              running.set(false);
              return null;
            });
    List<Future<?>> lookers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      lookers.add(
          pool.submit(
              () -> {
                while (running.get()) {
                  List<String> names = fs.list("");
                  assertEquals(2, names.size(), names.toString());
                  assertTrue(both.contains(fs.stat("a", true).ino()));
                  assertTrue(both.contains(fs.stat("b", false).ino()));
                }
                return null;
              }));
    }
    swapper.get(60, TimeUnit.SECONDS);
    for (Future<?> l : lookers) {
      l.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void concurrentCreatesOfOneNameMakeOneFile() throws Exception {
    for (int round = 0; round < 200; round++) {
      String name = "f" + round;
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> tries = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        tries.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    fs.open(name, O_CREAT | O_EXCL | O_RDWR, 0600).close();
                    return true;
                  } catch (VfsException e) {
                    assertEquals(Errno.EEXIST, e.errno());
                    return false;
                  }
                }));
      }
      start.countDown();
      int created = 0;
      for (Future<Boolean> t : tries) {
        created += t.get(10, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertEquals(1, created, "O_EXCL lets exactly one creator win");
    }
  }
}
