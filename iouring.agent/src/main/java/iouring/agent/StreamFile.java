package iouring.agent;

import static iouring.api.abi.FileFlags.AT_EMPTY_PATH;
import static iouring.api.abi.FileFlags.SEEK_CUR;
import static iouring.api.abi.FileFlags.SEEK_END;
import static iouring.api.abi.FileFlags.SEEK_SET;
import static iouring.api.abi.FileFlags.S_IFMT;
import static iouring.api.abi.Opcodes.IORING_OP_CLOSE;
import static iouring.api.abi.Opcodes.IORING_OP_FSYNC;
import static iouring.api.abi.Opcodes.IORING_OP_FTRUNCATE;
import static iouring.api.abi.Opcodes.IORING_OP_READ;
import static iouring.api.abi.Opcodes.IORING_OP_STATX;
import static iouring.api.abi.Opcodes.IORING_OP_WRITE;

import iouring.api.ErrnoException;
import iouring.api.abi.Errno;
import iouring.api.abi.Statx;
import java.io.IOException;
import java.io.SyncFailedException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The emulated file behind a mounted stream's descriptor, and what the JDK's natives do with a real
 * one: each method makes the system calls the native makes (traced with strace on JDK 17 and 25),
 * each an SQE but {@code lseek}, a call on the emulated process since io_uring has no opcode for
 * it. The checks come in the natives' order, and an errno becomes an {@code IOException} carrying
 * its strerror, as {@code JNU_ThrowIOExceptionWithLastError} makes it. The file is closed once, by
 * the descriptor's {@code close()} or, for a descriptor dropped unclosed, by a cleaner.
 */
final class StreamFile implements Runnable, RingIo.FdOwner {
  private final RingIo io;
  final int fd;
  final String file;
  final String name;
  final int flags;
  private boolean closed;
  private int closeResult;

  /**
   * An open file.
   *
   * @param io the ring
   * @param fd the emulated process's descriptor
   * @param file the absolute path
   * @param name the path as the stream was given it
   * @param flags the open flags
   */
  StreamFile(RingIo io, int fd, String file, String name, int flags) {
    this.io = io;
    this.fd = fd;
    this.file = file;
    this.name = name;
    this.flags = flags;
  }

  /** Closes the file, once; the cleaner's action, and the start of {@link #close()}. */
  @Override
  public void run() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    closeResult = io.submit(IORING_OP_CLOSE, file, 0, 0, sqe -> sqe.prepClose(fd));
  }

  /** Until the file is closed; {@link RingIo} asks before each SQE on the fd. */
  @Override
  public synchronized boolean isOpen() {
    return !closed;
  }

  /**
   * A failed call's exception: {@code "Stream Closed"} for one that lost a race with the close (no
   * SQE went, as {@link RingIo} refuses a closed owner's fd), as the JDK's native gets an fd of -1
   * then; else strerror.
   */
  private IOException failure(int res) {
    return res == -Errno.EBADF && !isOpen() ? new IOException("Stream Closed") : Errors.forIo(res);
  }

  /** As {@code fileDescriptorClose}: the CLOSE, and its failure as strerror. */
  void close(Runnable cleanable) throws IOException {
    cleanable.run();
    if (closeResult < 0) {
      throw Errors.forIo(closeResult);
    }
  }

  /** As {@code readSingle}: one byte, or -1 at the end. */
  int read() throws IOException {
    byte[] one = new byte[1];
    int res = io.readWrite(this, IORING_OP_READ, fd, file, ByteBuffer.wrap(one), -1);
    if (res < 0) {
      throw failure(res);
    }
    return res == 0 ? -1 : one[0] & 0xff;
  }

  /** As {@code readBytes}: null, bounds, an empty read returns 0, then one read. */
  int read(byte[] b, int off, int len) throws IOException {
    checkBounds(b, off, len);
    if (len == 0) {
      return 0;
    }
    int res = io.readWrite(this, IORING_OP_READ, fd, file, ByteBuffer.wrap(b, off, len), -1);
    if (res < 0) {
      throw failure(res);
    }
    return res == 0 ? -1 : res;
  }

  /** As {@code writeSingle}: one write of one byte. */
  void write(int b) throws IOException {
    int res =
        io.readWrite(this, IORING_OP_WRITE, fd, file, ByteBuffer.wrap(new byte[] {(byte) b}), -1);
    if (res < 0) {
      throw failure(res);
    }
  }

  /** As {@code writeBytes}: null, bounds, then writes until every byte is written. */
  void write(byte[] b, int off, int len) throws IOException {
    checkBounds(b, off, len);
    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
    while (buffer.hasRemaining()) {
      int res = io.readWrite(this, IORING_OP_WRITE, fd, file, buffer, -1);
      if (res < 0) {
        throw failure(res);
      }
    }
  }

  private static void checkBounds(byte[] b, int off, int len) {
    Objects.requireNonNull(b);
    if (off < 0 || len < 0 || b.length - off < len) {
      throw new IndexOutOfBoundsException();
    }
  }

  /** As {@code RandomAccessFile.writeBytes(String)}: the low byte of each char. */
  void writeBytes(String s) throws IOException {
    byte[] b = new byte[s.length()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) s.charAt(i);
    }
    write(b, 0, b.length);
  }

  /** As {@code RandomAccessFile.writeChars}: each char, high byte first. */
  void writeChars(String s) throws IOException {
    byte[] b = new byte[2 * s.length()];
    for (int i = 0; i < s.length(); i++) {
      b[2 * i] = (byte) (s.charAt(i) >>> 8);
      b[2 * i + 1] = (byte) s.charAt(i);
    }
    write(b, 0, b.length);
  }

  long lseek(long offset, int whence) throws IOException {
    try {
      return io.lseek(this, fd, offset, whence);
    } catch (ErrnoException e) {
      throw failure(-e.errno());
    }
  }

  /** As {@code FileInputStream.skip0}: two lseeks; past the end is allowed. */
  long skip(long n) throws IOException {
    long cur = lseek(0, SEEK_CUR);
    return lseek(n, SEEK_CUR) - cur;
  }

  /** As {@code RandomAccessFile.seek}. */
  void seek(long pos) throws IOException {
    if (pos < 0) {
      throw new IOException("Negative seek offset");
    }
    lseek(pos, SEEK_SET);
  }

  /** As {@code fstat}: a STATX SQE on the descriptor with an empty path; 0 or {@code -errno}. */
  private int statx(int mask, ByteBuffer statx) {
    long address = io.memory().map(statx); // byte 0 is the empty path, the struct follows it
    try {
      return io.submit(
          this,
          IORING_OP_STATX,
          file,
          0,
          0,
          sqe -> sqe.prepStatx(fd, address, AT_EMPTY_PATH, mask, address + 1));
    } finally {
      io.memory().unmap(address);
    }
  }

  private static ByteBuffer statxBuffer() {
    return ByteBuffer.allocateDirect(1 + Statx.STATX_SIZE_BYTES).order(ByteOrder.nativeOrder());
  }

  /** The file type ({@code S_IFMT} bits of an fstat), or {@code -errno}. */
  int type() {
    ByteBuffer statx = statxBuffer();
    int res = statx(Statx.STATX_TYPE, statx);
    return res < 0 ? res : statx.getShort(1 + Statx.OFF_STX_MODE) & S_IFMT;
  }

  /** As {@code handleGetLength}: fstat's size. */
  long length() throws IOException {
    ByteBuffer statx = statxBuffer();
    int res = statx(Statx.STATX_SIZE, statx);
    if (res < 0) {
      throw failure(res);
    }
    return statx.getLong(1 + Statx.OFF_STX_SIZE);
  }

  /** As {@code handleAvailable} for a regular file: size less position, at least 0. */
  int available() throws IOException {
    long size = length();
    long current = lseek(0, SEEK_CUR);
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, size - current));
  }

  /**
   * As {@code RandomAccessFile.setLength}: the position, {@code ftruncate}, then the position back,
   * or at the new end if it was past it.
   */
  void setLength(long length) throws IOException {
    long current = lseek(0, SEEK_CUR);
    int res =
        io.submit(this, IORING_OP_FTRUNCATE, file, length, 0, s -> s.prepFtruncate(fd, length));
    if (res < 0) {
      throw failure(res);
    }
    if (current > length) {
      lseek(0, SEEK_END);
    } else {
      lseek(current, SEEK_SET);
    }
  }

  /** As {@code FileDescriptor.sync}: one FSYNC. */
  void sync() throws SyncFailedException {
    int res = io.submit(this, IORING_OP_FSYNC, file, 0, 0, sqe -> sqe.prepFsync(fd, 0));
    if (res < 0) {
      throw new SyncFailedException("sync failed");
    }
  }

  /** As {@code RandomAccessFile.skipBytes}: never past the end, but back to it from beyond. */
  int skipBytes(int n) throws IOException {
    if (n <= 0) {
      return 0;
    }
    long pos = lseek(0, SEEK_CUR);
    long newpos = Math.min(pos + n, length());
    lseek(newpos, SEEK_SET);
    return (int) (newpos - pos);
  }

  /** As {@code RandomAccessFile.readLine}: one read per byte, a lone CR seeks back. */
  String readLine() throws IOException {
    StringBuilder input = new StringBuilder();
    int c = -1;
    boolean eol = false;
    while (!eol) {
      c = read();
      if (c == -1 || c == '\n') {
        eol = true;
      } else if (c == '\r') {
        eol = true;
        long cur = lseek(0, SEEK_CUR);
        if (read() != '\n') {
          lseek(cur, SEEK_SET);
        }
      } else {
        input.append((char) c);
      }
    }
    return c == -1 && input.length() == 0 ? null : input.toString();
  }
}
