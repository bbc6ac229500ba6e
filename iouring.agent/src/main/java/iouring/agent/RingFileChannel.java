package iouring.agent;

import static iouring.api.abi.Opcodes.IORING_OP_READ;
import static iouring.api.abi.Opcodes.IORING_OP_READV;
import static iouring.api.abi.Opcodes.IORING_OP_WRITE;
import static iouring.api.abi.Opcodes.IORING_OP_WRITEV;

import iouring.api.ErrnoException;
import iouring.api.abi.FileFlags;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link FileChannel} on a file of a mounted provider: every data and metadata operation is an
 * SQE on the agent's ring, and results, positions and exceptions are those of the JDK's {@code
 * sun.nio.ch.FileChannelImpl}, whose checks it repeats in the same order. The file position is the
 * kernel's (reads and writes at offset -1, {@code lseek} for {@code position}), as the JDK keeps it
 * in the kernel too. {@code lseek} is a system call, not an io_uring opcode, and locks are this
 * JVM's alone (see {@link FileLocks}).
 *
 * <p>The channel of a stream ({@code getChannel()} of a {@code FileInputStream}, {@code
 * FileOutputStream} or {@code RandomAccessFile}) shares the stream's emulated file and so its
 * position; as the JDK's, closing it closes the stream, which closes the file.
 */
final class RingFileChannel extends FileChannel implements RingIo.FdOwner {
  /** As the JDK's IOUtil: at most IOV_MAX buffers go into one readv or writev. */
  private static final int IOV_MAX = 1024;

  private static final int TRANSFER_CHUNK = 64 * 1024;

  private final RingIo io;
  private final FileLocks locks;
  private final int fd;
  private final String name;
  private final String file;
  private final boolean readable;
  private final boolean writable;
  private final boolean append;
  private final Closeable parent;
  private final Object positionLock = new Object();

  RingFileChannel(
      RingIo io,
      FileLocks locks,
      int fd,
      String name,
      String file,
      boolean readable,
      boolean writable,
      boolean append) {
    this(io, locks, fd, name, file, readable, writable, append, null);
  }

  /** A channel whose file belongs to a stream, the parent, which closes it. */
  RingFileChannel(
      RingIo io,
      FileLocks locks,
      int fd,
      String name,
      String file,
      boolean readable,
      boolean writable,
      boolean append,
      Closeable parent) {
    this.parent = parent;
    this.io = io;
    this.locks = locks;
    this.fd = fd;
    this.name = name;
    this.file = file;
    this.readable = readable;
    this.writable = writable;
    this.append = append;
  }

  @Override
  public String toString() {
    return "RingFileChannel[" + name + "]";
  }

  private void ensureOpen() throws IOException {
    if (!isOpen()) {
      throw new ClosedChannelException();
    }
  }

  private void ensureReadable() {
    if (!readable) {
      throw new NonReadableChannelException();
    }
  }

  private void ensureWritable() {
    if (!writable) {
      throw new NonWritableChannelException();
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    ensureOpen(); // the JDK's null check comes later, from using the buffer
    ensureReadable();
    synchronized (positionLock) {
      return readAt(dst, -1);
    }
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    if (dst == null) {
      throw new NullPointerException();
    }
    if (position < 0) {
      throw new IllegalArgumentException("Negative position");
    }
    ensureOpen();
    ensureReadable();
    return readAt(dst, position);
  }

  private int readAt(ByteBuffer dst, long offset) throws IOException {
    if (dst.isReadOnly()) {
      throw new IllegalArgumentException("Read-only buffer");
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    int res = -1;
    try {
      begin();
      if (!isOpen()) {
        return 0;
      }
      res = io.readWrite(this, IORING_OP_READ, fd, file, dst, offset);
      if (res < 0) {
        throw Errors.forIo(res);
      }
      return res == 0 ? -1 : res;
    } finally {
      end(res > 0);
    }
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, dsts.length);
    ensureOpen();
    ensureReadable();
    synchronized (positionLock) {
      ByteBuffer[] buffers = vector(dsts, offset, length, true);
      if (buffers.length == 0) {
        return 0;
      }
      long res = -1;
      try {
        begin();
        if (!isOpen()) {
          return 0;
        }
        res = io.readWriteVector(this, IORING_OP_READV, fd, file, buffers, -1);
        if (res < 0) {
          throw Errors.forIo((int) res);
        }
        return res == 0 ? -1 : res;
      } finally {
        end(res > 0);
      }
    }
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    ensureOpen(); // the JDK's null check comes later, from using the buffer
    ensureWritable();
    synchronized (positionLock) {
      return writeAt(src, -1);
    }
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    if (src == null) {
      throw new NullPointerException();
    }
    if (position < 0) {
      throw new IllegalArgumentException("Negative position");
    }
    ensureOpen();
    ensureWritable();
    return writeAt(src, position);
  }

  private int writeAt(ByteBuffer src, long offset) throws IOException {
    if (!src.hasRemaining()) {
      return 0;
    }
    int res = -1;
    try {
      begin();
      if (!isOpen()) {
        return 0;
      }
      res = io.readWrite(this, IORING_OP_WRITE, fd, file, src, offset);
      if (res < 0) {
        throw Errors.forIo(res);
      }
      return res;
    } finally {
      end(res > 0);
    }
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, srcs.length);
    ensureOpen();
    ensureWritable();
    synchronized (positionLock) {
      ByteBuffer[] buffers = vector(srcs, offset, length, false);
      if (buffers.length == 0) {
        return 0;
      }
      long res = -1;
      try {
        begin();
        if (!isOpen()) {
          return 0;
        }
        res = io.readWriteVector(this, IORING_OP_WRITEV, fd, file, buffers, -1);
        if (res < 0) {
          throw Errors.forIo((int) res);
        }
        return res;
      } finally {
        end(res > 0);
      }
    }
  }

  /** The buffers with bytes remaining, at most IOV_MAX of them, as the JDK's IOUtil picks them. */
  private static ByteBuffer[] vector(ByteBuffer[] all, int offset, int length, boolean forRead) {
    ByteBuffer[] picked = new ByteBuffer[Math.min(length, IOV_MAX)];
    int n = 0;
    for (int i = offset; i < offset + length && n < picked.length; i++) {
      ByteBuffer buffer = all[i];
      if (forRead && buffer.isReadOnly()) {
        throw new IllegalArgumentException("Read-only buffer");
      }
      if (buffer.hasRemaining()) {
        picked[n++] = buffer;
      }
    }
    return Arrays.copyOf(picked, n);
  }

  /** {@code lseek} on this channel's fd; a close that won the race is the JDK's exception. */
  private long lseek(long offset, int whence) throws IOException {
    try {
      return io.lseek(this, fd, offset, whence);
    } catch (ErrnoException e) {
      throw isOpen() ? Errors.forIo(-e.errno()) : new AsynchronousCloseException();
    }
  }

  @Override
  public long position() throws IOException {
    ensureOpen();
    synchronized (positionLock) {
      return append ? size() : lseek(0, FileFlags.SEEK_CUR);
    }
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException();
    }
    synchronized (positionLock) {
      lseek(newPosition, FileFlags.SEEK_SET);
      return this;
    }
  }

  @Override
  public long size() throws IOException {
    ensureOpen();
    return io.size(this, fd, file);
  }

  @Override
  public FileChannel truncate(long newSize) throws IOException {
    ensureOpen();
    if (newSize < 0) {
      throw new IllegalArgumentException("Negative size");
    }
    ensureWritable();
    synchronized (positionLock) {
      long size = size();
      long position = lseek(0, FileFlags.SEEK_CUR);
      if (newSize < size) {
        io.ftruncate(this, fd, file, newSize);
      }
      lseek(Math.min(position, newSize), FileFlags.SEEK_SET);
      return this;
    }
  }

  @Override
  public void force(boolean metaData) throws IOException {
    ensureOpen();
    io.fsync(this, fd, file, metaData);
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    ensureOpen();
    if (!target.isOpen()) {
      throw new ClosedChannelException();
    }
    ensureReadable();
    if (target instanceof RingFileChannel ring) {
      ring.ensureWritable();
    }
    if (position < 0 || count < 0) {
      throw new IllegalArgumentException();
    }
    long size = size();
    if (position > size) {
      return 0;
    }
    count = Math.min(count, size - position);
    ByteBuffer chunk = ByteBuffer.allocateDirect((int) Math.min(count, TRANSFER_CHUNK) + 1);
    long done = 0;
    while (done < count) {
      chunk.clear().limit((int) Math.min(count - done, chunk.capacity() - 1));
      int n = read(chunk, position + done);
      if (n <= 0) {
        break;
      }
      chunk.flip();
      int written = target.write(chunk);
      done += written;
      if (written < n) {
        break;
      }
    }
    return done;
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    ensureOpen();
    if (!src.isOpen()) {
      throw new ClosedChannelException();
    }
    if (src instanceof RingFileChannel ring) {
      ring.ensureReadable();
    }
    ensureWritable();
    if (position < 0 || count < 0) {
      throw new IllegalArgumentException();
    }
    // JDK 17 transfers nothing at a position past the end; JDK 25 extends the file (both checked by
    // RingFileChannelIT). The release in between that changed it is assumed to be 20, unverified.
    if (Runtime.version().feature() < 20 && position > size()) {
      return 0;
    }
    ByteBuffer chunk = ByteBuffer.allocateDirect((int) Math.min(count, TRANSFER_CHUNK) + 1);
    long done = 0;
    while (done < count) {
      chunk.clear().limit((int) Math.min(count - done, chunk.capacity() - 1));
      int n = src.read(chunk);
      if (n <= 0) {
        break;
      }
      chunk.flip();
      while (chunk.hasRemaining()) {
        done += write(chunk, position + done);
      }
    }
    return done;
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    ensureOpen();
    Objects.requireNonNull(mode, "Mode is null");
    if (position < 0 || size < 0) {
      throw new IllegalArgumentException("Negative " + (position < 0 ? "position" : "size"));
    }
    throw new UnsupportedOperationException(
        "iouring agent: cannot map "
            + name
            + ": it lives in a mounted provider and has no host file to map");
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return tryLock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    ensureOpen();
    if (shared) {
      ensureReadable();
    } else {
      ensureWritable();
    }
    return locks.add(this, file, position, FileLocks.size(position, size), shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    locks.removeAll(this, file);
    if (parent != null) {
      parent.close(); // as FileChannelImpl: the stream closes the file, and this channel again
      return;
    }
    io.close(fd, file);
  }
}
