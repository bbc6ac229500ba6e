package iouring.vfs.host;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsStat;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * A regular host file, read and written through a positional {@link FileChannel}. The access mode
 * is checked here, with Linux's errnos, rather than left to the channel's unchecked exceptions.
 *
 * <p>A JDK channel is interruptible: an interrupt of the thread in a call closes it, which would
 * close the file under every descriptor and request that shares it, where on Linux a signal leaves
 * a regular file's I/O alone. So each call runs with the caller's interrupt status cleared and
 * restored after it (the caller still sees its interrupt), and a call that an interrupt arriving
 * mid-way closed the channel under reopens the file by its path and runs again, with the buffer
 * where it was: a positional transfer, a size, a sync or a truncation gives the same result twice.
 * The reopened file must be the one opened (the same file key, before and after the open), else the
 * call fails with {@code EIO} rather than reach another file that took the name meanwhile; a file
 * this open created has no key to compare and is not reopened.
 *
 * <p>Where the JVM lets {@link Uninterruptible} in, the channels are uninterruptible instead, as
 * the JDK's own internal files are: an interrupt then closes nothing and costs nothing, and the
 * shield stays only as a guard that is never needed. Reads and writes of direct buffers then skip
 * the channel's layers too and call its {@code pread(2)} and {@code pwrite(2)} natives themselves
 * ({@link DirectIo}).
 */
final class HostFile implements VfsFile {
  /** Reopens in a row before a call gives up; each needs another interrupt at the wrong time. */
  private static final int REOPENS = 16;

  private volatile FileChannel channel;
  private final Path path;
  private final boolean readable;
  private final boolean writable;

  /** The file's key when it was opened, or null when unknown (this open created the file). */
  private final Object fileKey;

  /** Whether channels are made uninterruptible, this one and any reopened. */
  private final boolean uninterruptible;

  private volatile boolean closed;

  /**
   * The channel's descriptor, for calls by {@link DirectIo}, or null when they go through the
   * channel: only an uninterruptible channel's, which nothing but {@link #close} closes.
   */
  private final FileDescriptor direct;

  /** Direct calls under way; {@link #close} waits for none before it closes the descriptor. */
  @SuppressWarnings("unused") // through CALLS
  private volatile int calls;

  private static final VarHandle CALLS;

  static {
    try {
      CALLS = MethodHandles.lookup().findVarHandle(HostFile.class, "calls", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  HostFile(FileChannel channel, Path path, int flags, Object fileKey, boolean uninterruptible) {
    this.uninterruptible = uninterruptible && Uninterruptible.apply(channel);
    this.direct = this.uninterruptible ? DirectIo.descriptor(channel) : null;
    this.channel = channel;
    this.path = path;
    int access = flags & FileFlags.O_ACCMODE;
    this.readable = access == FileFlags.O_RDONLY || access == FileFlags.O_RDWR;
    this.writable = access == FileFlags.O_WRONLY || access == FileFlags.O_RDWR;
    this.fileKey = fileKey;
  }

  @Override
  public int read(ByteBuffer dst, long offset) throws VfsException {
    check(readable, offset);
    if (direct != null && dst.isDirect() && !dst.isReadOnly()) {
      return directTransfer(dst, offset, true);
    }
    return transfer(dst, offset, true);
  }

  @Override
  public int write(ByteBuffer src, long offset) throws VfsException {
    check(writable, offset);
    if (direct != null && src.isDirect()) {
      return directTransfer(src, offset, false);
    }
    return transfer(src, offset, false);
  }

  /**
   * A read or write by {@link DirectIo}, counted in {@link #calls} so that {@link #close} cannot
   * close the descriptor under it (and let the number go to another file meanwhile): the channel's
   * own guard, which this call skips, does the same.
   */
  private int directTransfer(ByteBuffer buf, long offset, boolean read) throws VfsException {
    if (!buf.hasRemaining()) {
      return 0; // as the channel: no system call for nothing
    }
    CALLS.getAndAdd(this, 1);
    try {
      if (closed) {
        throw new VfsException(Errno.EBADF, "closed");
      }
      int n;
      do {
        n = DirectIo.transfer(direct, buf, offset, read);
      } while (n == DirectIo.INTERRUPTED);
      if (n == DirectIo.UNAVAILABLE) {
        throw new VfsException(Errno.EAGAIN, read ? "read" : "write");
      }
      return Math.max(n, 0); // end of file is 0 bytes
    } catch (IOException e) {
      throw HostErrors.errno(e, "");
    } finally {
      CALLS.getAndAdd(this, -1);
    }
  }

  /** A positional read or write, shielded from interrupts as the class comment says. */
  private int transfer(ByteBuffer buf, long offset, boolean read) throws VfsException {
    int start = buf.position();
    boolean interrupted = Thread.interrupted();
    try {
      FileChannel c = channel;
      for (int reopens = 0; ; reopens++) {
        try {
          int n = read ? c.read(buf, offset) : c.write(buf, offset);
          if (n <= 0 && !c.isOpen()) {
            // Closed by another thread mid-call: an uninterruptible channel reports no error
            // then, and the system call the close cut short returns a status, not bytes.
            throw new AsynchronousCloseException();
          }
          return read ? Math.max(n, 0) : n;
        } catch (IOException e) {
          interrupted |= Thread.interrupted(); // an interrupt that closed it, kept for later
          c = afterFailure(c, e, reopens);
          buf.position(start); // a transfer cut short moved it: the retry starts over
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A channel call other than a transfer, run shielded from interrupts by {@link #call}. */
  private interface ChannelCall<T> {
    T run(FileChannel channel) throws IOException;
  }

  private <T> T call(ChannelCall<T> op) throws VfsException {
    open();
    boolean interrupted = Thread.interrupted();
    try {
      FileChannel c = channel;
      for (int reopens = 0; ; reopens++) {
        try {
          T result = op.run(c);
          if (!c.isOpen()) {
            throw new AsynchronousCloseException(); // see transfer: a close may report nothing
          }
          return result;
        } catch (IOException e) {
          interrupted |= Thread.interrupted();
          c = afterFailure(c, e, reopens);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * What a failed channel call leads to: the channel to retry with when it was closed under the
   * call (an I/O error on a closed channel is that close too: the system call it cut short reports
   * it), else the call's errno.
   */
  private FileChannel afterFailure(FileChannel c, IOException e, int reopens) throws VfsException {
    if (!(e instanceof ClosedChannelException) && c.isOpen()) {
      throw HostErrors.errno(e, "");
    }
    return reopen(c, e, reopens);
  }

  /**
   * Replaces a channel that an interrupt closed, as the class comment says; throws {@code EBADF}
   * once this file is closed, {@code EIO} when the file cannot be reopened as itself.
   */
  private synchronized FileChannel reopen(FileChannel dead, IOException e, int reopens)
      throws VfsException {
    if (closed) {
      throw new VfsException(Errno.EBADF, "closed");
    }
    FileChannel current = channel;
    if (current != dead && current.isOpen()) {
      return current; // another call reopened it already
    }
    if (fileKey == null || reopens >= REOPENS) {
      throw new VfsException(Errno.EIO, "the host channel was closed by an interrupt: " + e);
    }
    try {
      // The key before and after the open: a file swapped in at either moment fails the check.
      Object before = keyOf(path);
      FileChannel fresh = FileChannel.open(path, reopenOptions());
      if (uninterruptible) {
        Uninterruptible.apply(fresh);
      }
      if (!fileKey.equals(before) || !fileKey.equals(keyOf(path))) {
        fresh.close();
        throw new VfsException(Errno.EIO, "the file was replaced after an interrupt closed it");
      }
      channel = fresh;
      return fresh;
    } catch (IOException failed) {
      throw new VfsException(Errno.EIO, "cannot reopen after an interrupt: " + failed);
    }
  }

  private Set<OpenOption> reopenOptions() {
    Set<OpenOption> options = new HashSet<>();
    if (readable) {
      options.add(StandardOpenOption.READ);
    }
    if (writable) {
      options.add(StandardOpenOption.WRITE);
    }
    options.add(LinkOption.NOFOLLOW_LINKS);
    return options;
  }

  private static Object keyOf(Path path) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .fileKey();
  }

  /** The channel in use, for tests. */
  FileChannel channel() {
    return channel;
  }

  /** Whether reads and writes of direct buffers skip the channel ({@link DirectIo}), for tests. */
  boolean readsDirectly() {
    return direct != null;
  }

  /** Whether the channels are uninterruptible, for tests. */
  boolean uninterruptible() {
    return uninterruptible;
  }

  @Override
  public long size() throws VfsException {
    return call(FileChannel::size);
  }

  @Override
  public void sync(boolean dataOnly) throws VfsException {
    call(
        c -> {
          c.force(!dataOnly);
          return null;
        });
  }

  @Override
  public void truncate(long size) throws VfsException {
    open();
    if (!writable || size < 0) {
      throw new VfsException(Errno.EINVAL, "ftruncate to " + size); // ftruncate(2)'s errno
    }
    call(
        c -> {
          long current = c.size();
          if (size < current) {
            c.truncate(size);
          } else if (size > current) {
            c.write(ByteBuffer.allocate(1), size - 1); // the bytes between read as zeros
          }
          return null;
        });
  }

  @Override
  public void allocate(int mode, long offset, long length) throws VfsException {
    open();
    if (offset < 0 || length <= 0) {
      throw new VfsException(Errno.EINVAL, "fallocate range " + offset + "+" + length);
    }
    if (mode != 0) {
      // The JDK has no fallocate(2); without it no mode but plain allocation can be honest.
      throw new VfsException(Errno.EOPNOTSUPP, "fallocate mode " + mode + " on a host file");
    }
    if (!writable) {
      throw new VfsException(Errno.EBADF, "fallocate of a file not open for writing");
    }
    long end = offset + length;
    if (end < 0) {
      throw new VfsException(Errno.EFBIG, "fallocate end past 2^63");
    }
    call(
        c -> {
          if (end > c.size()) {
            c.write(ByteBuffer.allocate(1), end - 1);
          }
          return null;
        });
  }

  @Override
  public VfsStat stat() throws VfsException {
    open();
    return HostProvider.stat(path);
  }

  @Override
  public boolean isDirectory() {
    return false;
  }

  @Override
  public synchronized void close() {
    closed = true; // under the lock of reopen, so that no channel is opened after this one closes
    // A direct call that counted itself before this store saw the file open: it ends before the
    // descriptor is closed. Reads and writes of a regular file do not block for long.
    for (int spins = 0; (int) CALLS.getVolatile(this) != 0; spins++) {
      if (spins < 100) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(10_000);
      }
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Closing a read-only or already synced channel cannot lose data; nothing to report.
    }
  }

  private void check(boolean allowed, long offset) throws VfsException {
    open();
    if (!allowed) {
      throw new VfsException(Errno.EBADF, "not open for this access");
    }
    if (offset < 0) {
      throw new VfsException(Errno.EINVAL, "offset " + offset);
    }
  }

  private void open() throws VfsException {
    if (closed) {
      throw new VfsException(Errno.EBADF, "closed");
    }
  }
}
