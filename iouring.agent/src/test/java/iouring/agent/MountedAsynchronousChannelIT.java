package iouring.agent;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs under the shaded agent with {@code it.mount} mounted in memory: {@link
 * AsynchronousFileChannel} on a mounted file must give, step by step, what the JDK's own channel
 * gives on a real temp file (futures, completion handlers, locks, wrong modes, closed channels),
 * and reach the ring, not the host directory.
 */
class MountedAsynchronousChannelIT {
  private static final Path MOUNT = Path.of(System.getProperty("it.mount"));
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** The executor handed to {@code open} by the cases that give one; its threads are named. */
  private static final ExecutorService EXECUTOR =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "it-executor-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  @TempDir Path real;

  @AfterAll
  static void stopExecutor() {
    EXECUTOR.shutdownNow();
  }

  /** One step of a script, run on both channels; its result or exception is the transcript. */
  interface Step {
    Object run(AsynchronousFileChannel channel) throws Exception;
  }

  private static String describe(Throwable e, Path file) {
    if (e instanceof ExecutionException) {
      return "ExecutionException of " + describe(e.getCause(), file);
    }
    if (e instanceof NullPointerException) {
      return "NullPointerException"; // helpful messages name the JDK's local variables
    }
    String message = e.getMessage() == null ? "" : e.getMessage().replace(file.toString(), "FILE");
    return e.getClass().getName() + ": " + message;
  }

  private List<String> transcript(
      Path file, Set<OpenOption> options, ExecutorService executor, List<Step> steps) {
    List<String> out = new ArrayList<>();
    AsynchronousFileChannel channel;
    try {
      channel = AsynchronousFileChannel.open(file, options, executor, new FileAttribute<?>[0]);
    } catch (Exception e) {
      out.add("open: " + describe(e, file));
      return out;
    }
    try {
      for (Step step : steps) {
        try {
          out.add(String.valueOf(step.run(channel)).replace(file.toString(), "FILE"));
        } catch (Exception e) {
          out.add(describe(e, file));
        }
      }
    } finally {
      try {
        channel.close();
      } catch (IOException e) {
        out.add("close: " + describe(e, file));
      }
    }
    return out;
  }

  private void same(Set<OpenOption> options, List<Step> steps, String... setupContent)
      throws IOException {
    same(options, null, steps, setupContent);
  }

  private void same(
      Set<OpenOption> options, ExecutorService executor, List<Step> steps, String... setupContent)
      throws IOException {
    String name = "a" + NAMES.incrementAndGet();
    Path mounted = MOUNT.resolve(name);
    Path host = real.resolve(name);
    if (setupContent.length > 0) {
      Files.writeString(mounted, setupContent[0]);
      Files.writeString(host, setupContent[0]);
    }
    List<String> expected = transcript(host, options, executor, steps);
    List<String> actual = transcript(mounted, options, executor, steps);
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(
          expected.get(i), actual.get(i), "line " + i + " of\n" + String.join("\n", expected));
    }
    assertEquals(expected.size(), actual.size(), String.join("\n", expected));
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String read(AsynchronousFileChannel c, int n, long position) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(n);
    int r = c.read(b, position).get(10, TimeUnit.SECONDS);
    return r + ":" + new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
  }

  /** What a completion handler saw: the result or the exception, the attachment, the thread. */
  private static <V> String handled(Launch<V> launch) throws Exception {
    CompletableFuture<String> seen = new CompletableFuture<>();
    launch.start(
        "att",
        new CompletionHandler<V, String>() {
          @Override
          public void completed(V result, String attachment) {
            seen.complete("completed " + describeValue(result) + " " + attachment + on());
          }

          @Override
          public void failed(Throwable exc, String attachment) {
            seen.complete(
                "failed "
                    + exc.getClass().getName()
                    + " "
                    + exc.getMessage()
                    + " "
                    + attachment
                    + on());
          }
        });
    return seen.get(10, TimeUnit.SECONDS);
  }

  private static String describeValue(Object value) {
    return value instanceof FileLock lock
        ? "lock " + lock.position() + "+" + lock.size() + (lock.isShared() ? " shared" : "")
        : String.valueOf(value);
  }

  /** The calling thread as the transcript shows it: the given executor's, or another. */
  private static String on() {
    return Thread.currentThread().getName().startsWith("it-executor-")
        ? " on the executor"
        : " elsewhere";
  }

  /** Starts an operation that reports to a completion handler. */
  interface Launch<V> {
    void start(String attachment, CompletionHandler<V, String> handler);
  }

  @Test
  void futuresReadAndWrite() throws IOException {
    same(
        Set.of(READ, WRITE, CREATE),
        List.<Step>of(
            c -> c.write(bytes("hello world"), 0).get(),
            c -> c.write(bytes("XY"), 20).get(),
            c -> c.size(),
            c -> read(c, 5, 0),
            c -> read(c, 30, 6),
            c -> read(c, 4, 22),
            c -> read(c, 4, 100),
            c -> read(c, 0, 0),
            c -> {
              ByteBuffer d = ByteBuffer.allocateDirect(8);
              return c.read(d, 3).get() + ":" + d.position();
            },
            c -> c.write(ByteBuffer.allocate(0), 5).get(),
            c -> c.read(ByteBuffer.allocate(4).asReadOnlyBuffer(), 0),
            c -> c.read(ByteBuffer.allocate(1), -1),
            c -> c.write(bytes("x"), -1),
            c -> c.read(null, 0),
            c -> c.write(null, 0),
            c -> {
              c.read(ByteBuffer.allocate(1), 0, "a", (CompletionHandler<Integer, String>) null);
              return "returned";
            },
            c -> {
              c.write(bytes("x"), 0, "a", (CompletionHandler<Integer, String>) null);
              return "returned";
            },
            c -> {
              Future<Integer> f = c.read(ByteBuffer.allocate(2), 0);
              f.get();
              return f.isDone() + " " + f.isCancelled() + " " + f.cancel(true) + " " + c.isOpen();
            }),
        "");
  }

  @Test
  void completionHandlersRunOnTheGivenExecutor() throws IOException {
    same(
        Set.of(READ, WRITE),
        EXECUTOR,
        List.<Step>of(
            c ->
                MountedAsynchronousChannelIT.<Integer>handled(
                    (a, h) -> c.write(bytes("abcdef"), 2, a, h)),
            c ->
                MountedAsynchronousChannelIT.<Integer>handled(
                    (a, h) -> c.read(ByteBuffer.allocate(4), 0, a, h)),
            c ->
                MountedAsynchronousChannelIT.<Integer>handled(
                    (a, h) -> c.read(ByteBuffer.allocate(4), 50, a, h)),
            c ->
                MountedAsynchronousChannelIT.<Integer>handled(
                    (a, h) -> c.read(ByteBuffer.allocate(0), 0, a, h)),
            c ->
                MountedAsynchronousChannelIT.<FileLock>handled((a, h) -> c.lock(0, 4, false, a, h)),
            c ->
                MountedAsynchronousChannelIT.<FileLock>handled((a, h) -> c.lock(0, 4, false, a, h)),
            c ->
                MountedAsynchronousChannelIT.<FileLock>handled((a, h) -> c.lock(10, 4, true, a, h)),
            c -> {
              c.lock(0, 4, false, "a", (CompletionHandler<FileLock, String>) null);
              return "returned";
            },
            c -> read(c, 10, 0),
            c -> {
              c.close();
              return c.isOpen();
            },
            c ->
                MountedAsynchronousChannelIT.<Integer>handled(
                    (a, h) -> c.read(ByteBuffer.allocate(4), 0, a, h)),
            c ->
                MountedAsynchronousChannelIT.<Integer>handled(
                    (a, h) -> c.write(bytes("x"), 0, a, h)),
            c ->
                MountedAsynchronousChannelIT.<FileLock>handled((a, h) -> c.lock(0, 1, false, a, h)),
            c ->
                MountedAsynchronousChannelIT.<Integer>handled(
                    (a, h) -> c.read(ByteBuffer.allocate(0), 0, a, h))),
        "0123456789");
  }

  /** An executor that holds its tasks until told to run them: operations queued, not started. */
  static final class HeldExecutor extends java.util.concurrent.AbstractExecutorService {
    private final java.util.ArrayDeque<Runnable> held = new java.util.ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
      held.add(task);
    }

    synchronized void runAll() {
      while (!held.isEmpty()) {
        held.poll().run();
      }
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

  private static String outcome(Future<?> f) {
    try {
      Object v = f.get(10, TimeUnit.SECONDS);
      return v instanceof FileLock lock ? describeValue(lock) : String.valueOf(v);
    } catch (ExecutionException e) {
      return "failed: " + e.getCause().getClass().getName();
    } catch (Exception e) {
      return e.getClass().getName();
    }
  }

  @Test
  void operationsQueuedWhenTheChannelClosesFailAsAsynchronousCloses() throws IOException {
    HeldExecutor held = new HeldExecutor();
    same(
        Set.of(READ, WRITE),
        held,
        List.<Step>of(
            c -> {
              Future<FileLock> lock = c.lock(0, 4, false);
              Future<Integer> read = c.read(ByteBuffer.allocate(4), 0);
              Future<Integer> write = c.write(bytes("late"), 0);
              boolean doneBefore = lock.isDone() || read.isDone() || write.isDone();
              c.close();
              held.runAll();
              return doneBefore
                  + " "
                  + outcome(lock)
                  + ", "
                  + outcome(read)
                  + ", "
                  + outcome(write);
            }),
        "0123456789");
  }

  @Test
  void sizeTruncateAndForce() throws IOException {
    same(
        Set.of(READ, WRITE),
        List.<Step>of(
            c -> c.size(),
            c -> c.truncate(20).size(),
            c -> c.truncate(4).size(),
            c -> read(c, 10, 0),
            c -> c.truncate(-1),
            c -> {
              c.force(true);
              c.force(false);
              return "forced";
            },
            c -> {
              c.close();
              return c.isOpen();
            },
            c -> c.size(),
            c -> c.truncate(1),
            c -> c.truncate(-1),
            c -> {
              c.force(true);
              return "forced";
            },
            c -> c.read(ByteBuffer.allocate(1), 0).get(),
            c -> c.write(bytes("x"), 0).get(),
            c -> c.tryLock(),
            c -> c.lock().get()),
        "0123456789");
  }

  @Test
  void locks() throws IOException {
    same(
        Set.of(READ, WRITE),
        List.<Step>of(
            c -> describeValue(c.tryLock(0, 10, false)),
            c -> c.tryLock(5, 10, true),
            c -> c.lock(9, 1, false).get(),
            c -> describeValue(c.lock(10, 10, true).get()),
            c -> describeValue(c.tryLock(100, 0, false)),
            c -> c.tryLock(-1, 10, false),
            c -> c.tryLock(0, -1, false),
            c -> c.tryLock(Long.MAX_VALUE, 10, false),
            c -> {
              FileLock lock = c.tryLock(50, 5, false);
              boolean before = lock.isValid();
              lock.release();
              return before + " " + lock.isValid() + " " + describeValue(c.tryLock(50, 5, false));
            },
            c -> {
              FileLock lock = c.lock(60, 1, false).get();
              c.close();
              return lock.isValid() + " " + (lock.acquiredBy() == c);
            },
            c -> c.tryLock(70, 1, false)),
        "0123456789");
  }

  @Test
  void wrongModes() throws IOException {
    same(
        Set.of(READ),
        List.<Step>of(
            c -> c.write(bytes("x"), 0),
            c -> {
              c.write(bytes("x"), 0, "a", (CompletionHandler<Integer, String>) null);
              return "returned";
            },
            c -> c.truncate(0),
            c -> c.tryLock(),
            c -> c.lock(),
            c -> describeValue(c.tryLock(0, 1, true)),
            c -> read(c, 3, 0)),
        "abc");
    same(
        Set.of(WRITE),
        List.<Step>of(
            c -> c.read(ByteBuffer.allocate(1), 0),
            c -> c.tryLock(0, 1, true),
            c -> c.lock(0, 1, true),
            c -> describeValue(c.tryLock()),
            c -> c.write(bytes("xyz"), 1).get(),
            c -> c.size()),
        "abc");
  }

  @Test
  void openOptions() throws IOException {
    for (Set<OpenOption> options :
        List.<Set<OpenOption>>of(
            Set.of(),
            Set.of(APPEND),
            Set.of(WRITE, APPEND),
            Set.of(WRITE, TRUNCATE_EXISTING),
            Set.of(WRITE, CREATE_NEW),
            Set.of(READ, WRITE, CREATE))) {
      same(
          options,
          List.<Step>of(c -> c.size(), c -> read(c, 10, 0), c -> c.write(bytes("Q"), 1).get()),
          "content");
      same(options, List.<Step>of(c -> c.size(), c -> c.write(bytes("new"), 0).get()));
    }
    for (Path base : List.of(MOUNT, real)) {
      Path file = base.resolve("opts" + NAMES.incrementAndGet());
      FileAttribute<?> hidden =
          new FileAttribute<Boolean>() {
            @Override
            public String name() {
              return "dos:hidden";
            }

            @Override
            public Boolean value() {
              return true;
            }
          };
      List<String> seen = new ArrayList<>();
      for (Object[] args :
          List.of(
              new Object[] {Set.of(WRITE, CREATE), new FileAttribute<?>[] {hidden}},
              new Object[] {Set.of(WRITE, CREATE, APPEND), new FileAttribute<?>[] {hidden}},
              new Object[] {
                Set.of(WRITE, CREATE),
                new FileAttribute<?>[] {
                  PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                }
              })) {
        @SuppressWarnings("unchecked")
        Set<OpenOption> options = (Set<OpenOption>) args[0];
        try (AsynchronousFileChannel c =
            AsynchronousFileChannel.open(file, options, null, (FileAttribute<?>[]) args[1])) {
          seen.add(
              "opened "
                  + c.isOpen()
                  + " "
                  + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        } catch (Exception e) {
          seen.add(describe(e, file));
        }
      }
      assertEquals(
          List.of(
              "java.lang.UnsupportedOperationException: 'dos:hidden' not supported as initial"
                  + " attribute",
              "java.lang.UnsupportedOperationException: 'dos:hidden' not supported as initial"
                  + " attribute",
              "opened true rw-------"),
          seen,
          base.toString());
    }
  }

  @Test
  void aMountedChannelIsTheRingsAndWhatItWritesIsWhatEveryoneReads() throws Exception {
    Path file = MOUNT.resolve("bulk" + NAMES.incrementAndGet());
    byte[] data = new byte[1 << 20];
    new SplittableRandom(7).nextBytes(data);
    try (AsynchronousFileChannel c = AsynchronousFileChannel.open(file, WRITE, CREATE_NEW, READ)) {
      assertFalse(c.getClass().getName().startsWith("sun."), c.getClass().getName());
      List<Future<Integer>> writes = new ArrayList<>();
      for (int off = 0; off < data.length; off += 64 * 1024) {
        writes.add(c.write(ByteBuffer.wrap(data, off, 64 * 1024), off));
      }
      for (Future<Integer> w : writes) {
        assertEquals(64 * 1024, w.get(10, TimeUnit.SECONDS));
      }
      ByteBuffer back = ByteBuffer.allocateDirect(data.length);
      while (back.hasRemaining()) {
        assertTrue(c.read(back, back.position()).get(10, TimeUnit.SECONDS) > 0);
      }
      byte[] got = new byte[data.length];
      back.flip().get(got);
      assertTrue(java.util.Arrays.equals(data, got), "read back through the async channel");
    }
    assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(file)), "read back through Files");
    try (FileChannel c = FileChannel.open(file)) {
      assertEquals(data.length, c.size());
    }
    try (AsynchronousFileChannel host =
        AsynchronousFileChannel.open(real.resolve("host"), WRITE, CREATE_NEW)) {
      assertTrue(host.getClass().getName().startsWith("sun."), "outside the mount: JDK channel");
    }
  }
}
