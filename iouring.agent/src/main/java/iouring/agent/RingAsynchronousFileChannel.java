package iouring.agent;

import static iouring.api.abi.Opcodes.IORING_OP_READ;
import static iouring.api.abi.Opcodes.IORING_OP_WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ShutdownChannelGroupException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An {@link AsynchronousFileChannel} on a file of a mounted provider, as the JDK's Linux channel
 * ({@code sun.nio.ch.SimpleAsynchronousFileChannelImpl}) behaves: each read, write and lock is a
 * task on the channel's executor (the one given to {@code open}, else a shared pool of daemon
 * threads), which runs the operation as an SQE on the agent's ring and then completes the {@link
 * Future} or calls the {@link CompletionHandler} in that thread. Checks, results and exceptions are
 * the JDK's, in its order. As the JDK's, {@code close} waits for the operations under way, and
 * operations that start after it fail with {@link AsynchronousCloseException}; so an fd is never
 * used after its {@code CLOSE} (the close lock does here what the owner check of {@link RingIo}'s
 * calls does for {@link RingFileChannel}, which is why these pass no owner). Locks are this JVM's
 * alone ({@link FileLocks}), so a lock is granted or overlaps and never waits.
 */
final class RingAsynchronousFileChannel extends AsynchronousFileChannel {
  private final RingIo io;
  private final FileLocks locks;
  private final int fd;
  private final String file;
  private final boolean reading;
  private final boolean writing;
  private final ExecutorService executor;

  /** Held to read while an operation uses the fd, to write by {@code close} before it closes. */
  private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();

  private volatile boolean closed;

  /** The JDK's default pool for file channels opened without an executor: daemon threads. */
  private static final class DefaultExecutor {
    private static final AtomicInteger THREADS = new AtomicInteger();

    static final ExecutorService INSTANCE =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "iouring-aio-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  RingAsynchronousFileChannel(
      RingIo io,
      FileLocks locks,
      int fd,
      String file,
      boolean reading,
      boolean writing,
      ExecutorService executor) {
    this.io = io;
    this.locks = locks;
    this.fd = fd;
    this.file = file;
    this.reading = reading;
    this.writing = writing;
    this.executor = executor != null ? executor : DefaultExecutor.INSTANCE;
  }

  @Override
  public String toString() {
    return "RingAsynchronousFileChannel[" + file + "]";
  }

  @Override
  public boolean isOpen() {
    return !closed;
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true; // from here on, operations fail to begin
    }
    locks.removeAll(this, file);
    closeLock.writeLock().lock(); // waits for the operations under way, as the JDK's close does
    closeLock.writeLock().unlock();
    io.close(fd, file);
  }

  /** Starts using the fd: holds the close lock, or throws if the channel is closed. */
  private void begin() throws ClosedChannelException {
    closeLock.readLock().lock();
    if (closed) {
      closeLock.readLock().unlock();
      throw new ClosedChannelException();
    }
  }

  private void end() {
    closeLock.readLock().unlock();
  }

  @Override
  public long size() throws IOException {
    begin();
    try {
      return io.size(null, fd, file);
    } finally {
      end();
    }
  }

  @Override
  public AsynchronousFileChannel truncate(long size) throws IOException {
    if (size < 0) {
      throw new IllegalArgumentException("Negative size");
    }
    if (!writing) {
      throw new NonWritableChannelException();
    }
    try {
      begin();
    } catch (ClosedChannelException e) {
      // As the JDK's: its end(false) turns begin's ClosedChannelException into this one.
      throw new AsynchronousCloseException();
    }
    try {
      if (size < io.size(null, fd, file)) {
        io.ftruncate(null, fd, file, size);
      }
      return this;
    } finally {
      end();
    }
  }

  @Override
  public void force(boolean metaData) throws IOException {
    begin();
    try {
      io.fsync(null, fd, file, metaData);
    } finally {
      end();
    }
  }

  @Override
  public <A> void lock(
      long position,
      long size,
      boolean shared,
      A attachment,
      CompletionHandler<FileLock, ? super A> handler) {
    if (handler == null) {
      throw new NullPointerException("'handler' is null");
    }
    lock(position, size, shared, attachment, handler, null);
  }

  @Override
  public Future<FileLock> lock(long position, long size, boolean shared) {
    Pending<FileLock> result = new Pending<>();
    lock(position, size, shared, null, null, result);
    return result;
  }

  private <A> void lock(
      long position,
      long size,
      boolean shared,
      A attachment,
      CompletionHandler<FileLock, ? super A> handler,
      Pending<FileLock> result) {
    checkLockMode(shared);
    FileLock lock;
    closeLock.readLock().lock();
    try {
      if (closed) {
        completeNow(handler, attachment, result, null, new ClosedChannelException());
        return;
      }
      // May throw OverlappingFileLockException, or IllegalArgumentException for a bad range.
      lock = locks.add(this, file, position, FileLocks.size(position, size), shared);
    } finally {
      closeLock.readLock().unlock();
    }
    // As the JDK: the lock is granted in a task on the executor, which completes the operation;
    // a channel closed before the task ran fails it (the close dropped the lock already).
    boolean executed = false;
    try {
      executor.execute(
          () -> {
            if (closed) {
              complete(handler, attachment, result, null, new AsynchronousCloseException());
            } else {
              complete(handler, attachment, result, lock, null);
            }
          });
      executed = true;
    } finally {
      if (!executed) {
        locks.remove((FileLocks.RingFileLock) lock);
      }
    }
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    checkLockMode(shared);
    begin();
    try {
      return locks.add(this, file, position, FileLocks.size(position, size), shared);
    } finally {
      end();
    }
  }

  private void checkLockMode(boolean shared) {
    if (shared && !reading) {
      throw new NonReadableChannelException();
    }
    if (!shared && !writing) {
      throw new NonWritableChannelException();
    }
  }

  @Override
  public <A> void read(
      ByteBuffer dst, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
    if (handler == null) {
      throw new NullPointerException("'handler' is null");
    }
    transfer(true, dst, position, attachment, handler, null);
  }

  @Override
  public Future<Integer> read(ByteBuffer dst, long position) {
    return transfer(true, dst, position, null, null, new Pending<>());
  }

  @Override
  public <A> void write(
      ByteBuffer src, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
    if (handler == null) {
      throw new NullPointerException("'handler' is null");
    }
    transfer(false, src, position, attachment, handler, null);
  }

  @Override
  public Future<Integer> write(ByteBuffer src, long position) {
    return transfer(false, src, position, null, null, new Pending<>());
  }

  /**
   * A read or a write, with the checks of the JDK's {@code implRead} and {@code implWrite} in their
   * order; completed at once (through the executor for a handler) when the channel is closed or the
   * buffer has nothing remaining, else run as a task on the executor.
   */
  private <A> Future<Integer> transfer(
      boolean read,
      ByteBuffer buffer,
      long position,
      A attachment,
      CompletionHandler<Integer, ? super A> handler,
      Pending<Integer> result) {
    if (position < 0) {
      throw new IllegalArgumentException("Negative position");
    }
    if (read ? !reading : !writing) {
      throw read ? new NonReadableChannelException() : new NonWritableChannelException();
    }
    if (read && buffer.isReadOnly()) {
      throw new IllegalArgumentException("Read-only buffer");
    }
    if (closed || !buffer.hasRemaining()) {
      Throwable exc = closed ? new ClosedChannelException() : null;
      return completeNow(handler, attachment, result, 0, exc);
    }
    executor.execute(
        () -> {
          int n = 0;
          Throwable exc = null;
          try {
            begin();
            try {
              n =
                  io.readWrite(
                      null, read ? IORING_OP_READ : IORING_OP_WRITE, fd, file, buffer, position);
            } finally {
              end();
            }
            if (n < 0) {
              throw Errors.forIo(n);
            }
            if (read && n == 0) {
              n = -1; // the end of the file
            }
          } catch (IOException e) {
            n = 0;
            exc = closed ? new AsynchronousCloseException() : e;
          }
          complete(handler, attachment, result, n, exc);
        });
    return result;
  }

  /**
   * Completes an operation that never ran: a future at once, a handler in a task on the executor
   * (the JDK's {@code Invoker.invokeIndirectly}).
   */
  private <V, A> Future<V> completeNow(
      CompletionHandler<V, ? super A> handler,
      A attachment,
      Pending<V> result,
      V value,
      Throwable exc) {
    if (handler == null) {
      result.set(value, exc);
      return result;
    }
    try {
      executor.execute(() -> complete(handler, attachment, null, value, exc));
    } catch (RejectedExecutionException e) {
      throw new ShutdownChannelGroupException();
    }
    return null;
  }

  /** Completes an operation in the calling thread, as the JDK's {@code Invoker.invokeUnchecked}. */
  private static <V, A> void complete(
      CompletionHandler<V, ? super A> handler,
      A attachment,
      Pending<V> result,
      V value,
      Throwable exc) {
    if (handler == null) {
      result.set(value, exc);
      return;
    }
    if (exc == null) {
      handler.completed(value, attachment);
    } else {
      handler.failed(exc, attachment);
    }
    Thread.interrupted(); // as the JDK: a handler's interrupt does not outlive it
  }

  /**
   * The future of an operation, as the JDK's {@code PendingFuture}: {@code cancel(true)} closes the
   * channel, and the operation's own outcome is then dropped.
   */
  private final class Pending<V> implements Future<V> {
    private V value;
    private Throwable exc;
    private boolean done;
    private boolean cancelled;

    synchronized void set(V value, Throwable exc) {
      if (done) {
        return; // cancelled first
      }
      this.value = value;
      this.exc = exc;
      done = true;
      notifyAll();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      synchronized (this) {
        if (done) {
          return false;
        }
        cancelled = true;
        done = true;
        notifyAll();
      }
      if (mayInterruptIfRunning) {
        try {
          close();
        } catch (IOException ignored) {
          // as the JDK's PendingFuture: a forceful cancel closes the channel, quietly
        }
      }
      return true;
    }

    @Override
    public synchronized boolean isCancelled() {
      return cancelled;
    }

    @Override
    public synchronized boolean isDone() {
      return done;
    }

    @Override
    public synchronized V get() throws InterruptedException, ExecutionException {
      while (!done) {
        wait();
      }
      return outcome();
    }

    @Override
    public synchronized V get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      long deadline = System.nanoTime() + unit.toNanos(timeout);
      while (!done) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException();
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return outcome();
    }

    private V outcome() throws ExecutionException {
      if (cancelled) {
        throw new CancellationException();
      }
      if (exc != null) {
        throw new ExecutionException(exc);
      }
      return value;
    }
  }
}
