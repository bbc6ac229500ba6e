package iouring.agent;

import static iouring.api.abi.FileFlags.AT_EMPTY_PATH;
import static iouring.api.abi.FileFlags.AT_FDCWD;
import static iouring.api.abi.FileFlags.O_ACCMODE;
import static iouring.api.abi.FileFlags.O_APPEND;
import static iouring.api.abi.FileFlags.O_CREAT;
import static iouring.api.abi.FileFlags.O_DSYNC;
import static iouring.api.abi.FileFlags.O_RDONLY;
import static iouring.api.abi.FileFlags.O_RDWR;
import static iouring.api.abi.FileFlags.O_SYNC;
import static iouring.api.abi.FileFlags.O_TRUNC;
import static iouring.api.abi.FileFlags.O_WRONLY;
import static iouring.api.abi.FileFlags.SEEK_CUR;
import static iouring.api.abi.FileFlags.SEEK_END;
import static iouring.api.abi.FileFlags.SEEK_SET;
import static iouring.api.abi.FileFlags.S_IFDIR;
import static iouring.api.abi.FileFlags.S_IFMT;
import static iouring.api.abi.FileFlags.S_IFREG;
import static iouring.api.abi.Opcodes.IORING_OP_CLOSE;
import static iouring.api.abi.Opcodes.IORING_OP_FSYNC;
import static iouring.api.abi.Opcodes.IORING_OP_FTRUNCATE;
import static iouring.api.abi.Opcodes.IORING_OP_OPENAT;
import static iouring.api.abi.Opcodes.IORING_OP_READ;
import static iouring.api.abi.Opcodes.IORING_OP_STATX;
import static iouring.api.abi.Opcodes.IORING_OP_WRITE;

import iouring.agent.bootstrap.RingBridge;
import iouring.api.ErrnoException;
import iouring.api.abi.Errno;
import iouring.api.abi.Statx;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.SyncFailedException;
import java.lang.instrument.Instrumentation;
import java.lang.ref.Cleaner;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Serves {@code FileInputStream}, {@code FileOutputStream} and {@code RandomAccessFile} on paths
 * under a mount. The hooked private {@code open} of a stream asks here first: for a mounted path
 * the file is opened with an OPENAT SQE (the flags the JDK's {@code open0} would use) and kept in a
 * table keyed by the stream's {@code FileDescriptor}, which stays invalid, so that no JDK native
 * ever sees it. Each hooked method of a stream with an invalid descriptor then looks the descriptor
 * up here and runs as the JDK's native code does, one SQE per system call it makes ({@code read},
 * {@code write}, {@code fstat}, {@code ftruncate}, {@code fsync}, {@code close}); {@code lseek} is
 * a call on the emulated process, io_uring having no opcode for it. Errors are the JDK's: {@code
 * FileNotFoundException("PATH (strerror)")} from an open, an {@code IOException} carrying strerror
 * from the rest, {@code "Stream Closed"} once closed (the table entry is gone and the JDK's own
 * native meets the invalid descriptor).
 *
 * <p>Keying by descriptor keeps the JDK's sharing: a stream made from {@code getFD()} serves the
 * same file and position, and the descriptor's {@code close}, which the JDK calls once after
 * closing every stream on it, closes the file. A descriptor that becomes unreachable unclosed has
 * its file closed by a cleaner, as the JDK's {@code FileCleanable} does for a real one.
 */
final class RingStreams implements RingBridge.Streams {
  /** The mode bits of {@code RandomAccessFile}'s {@code open(String, int)}. */
  private static final int RAF_O_RDONLY = 1;

  private static final int RAF_O_RDWR = 2;
  private static final int RAF_O_SYNC = 4;
  private static final int RAF_O_DSYNC = 8;

  private static final Object[] VOID = {null};

  private final RingIo io;
  private final MountedFiles files;
  private final Map<FileDescriptor, OpenFile> table =
      Collections.synchronizedMap(new WeakHashMap<>());
  private final Cleaner cleaner =
      Cleaner.create(r -> new Thread(r, "iouring-agent-stream-cleaner"));
  private final Map<String, Field> jdkFields;

  /** The emulated file behind one descriptor, closed once: by the descriptor or by the cleaner. */
  private static final class OpenFile implements Runnable {
    final RingIo io;
    final int fd;
    final String file;
    final String name;
    final int flags;
    boolean regular;
    Cleaner.Cleanable cleanable;
    private boolean closed;
    private int closeResult;

    OpenFile(RingIo io, int fd, String file, String name, int flags) {
      this.io = io;
      this.fd = fd;
      this.file = file;
      this.name = name;
      this.flags = flags;
    }

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
  }

  RingStreams(RingIo io, MountedFiles files, Map<String, Field> jdkFields) {
    this.io = io;
    this.files = files;
    this.jdkFields = Map.copyOf(jdkFields);
  }

  /**
   * Opens {@code java.io} to the agent and returns the private fields where the streams cache what
   * the agent answers, by {@code Class.field}: each stream's {@code channel}, so that {@code
   * getChannel()} keeps the ring's channel where the JDK keeps its own (and the stream's {@code
   * close()} closes it), and JDK 25's {@code FileInputStream.isRegularFile}, which a closed stream
   * still reads. Empty, having said why, if the JDK refuses.
   */
  static Map<String, Field> jdkFields(Instrumentation instrumentation) {
    Map<String, Field> fields = new LinkedHashMap<>();
    try {
      instrumentation.redefineModule(
          Object.class.getModule(),
          Set.of(),
          Map.of(),
          Map.of("java.io", Set.of(RingStreams.class.getModule())),
          Set.of(),
          Map.of());
      for (Class<?> type :
          new Class<?>[] {FileInputStream.class, FileOutputStream.class, RandomAccessFile.class}) {
        for (Field field : type.getDeclaredFields()) {
          if (field.getName().equals("channel") || field.getName().equals("isRegularFile")) {
            field.setAccessible(true);
            fields.put(type.getSimpleName() + "." + field.getName(), field);
          }
        }
      }
    } catch (RuntimeException e) {
      System.err.println(
          "iouring agent: getChannel() of a mounted stream returns a new channel each time: " + e);
      fields.clear();
    }
    return fields;
  }

  private static String kind(Object stream) {
    return stream instanceof FileInputStream
        ? "FileInputStream"
        : stream instanceof FileOutputStream ? "FileOutputStream" : "RandomAccessFile";
  }

  private void cache(Object stream, String field, Object value) throws IOException {
    Field f = jdkFields.get(kind(stream) + "." + field);
    if (f != null) {
      try {
        f.set(stream, value);
      } catch (IllegalAccessException e) {
        throw new IOException(e);
      }
    }
  }

  @Override
  public Object[] call(FileDescriptor fd, Object stream, String method, Object[] args)
      throws IOException {
    if (method.startsWith("open(")) {
      return open(fd, method, (String) args[0], args.length > 1 ? args[1] : null);
    }
    OpenFile f = table.get(fd);
    if (f == null) {
      return null;
    }
    switch (method) {
      case "read()I":
        return new Object[] {read(f)};
      case "read([B)I":
        byte[] all = (byte[]) args[0];
        return new Object[] {read(f, all, 0, all.length)};
      case "read([BII)I":
        return new Object[] {read(f, (byte[]) args[0], (Integer) args[1], (Integer) args[2])};
      case "write(I)V":
        write(f, (Integer) args[0]);
        return VOID;
      case "write([B)V":
        byte[] bytes = (byte[]) args[0];
        write(f, bytes, 0, bytes.length);
        return VOID;
      case "write([BII)V":
        write(f, (byte[]) args[0], (Integer) args[1], (Integer) args[2]);
        return VOID;
      case "writeBytes(Ljava/lang/String;)V":
        write(f, latin1((String) args[0]), 0, ((String) args[0]).length());
        return VOID;
      case "writeChars(Ljava/lang/String;)V":
        byte[] chars = utf16((String) args[0]);
        write(f, chars, 0, chars.length);
        return VOID;
      case "skip(J)J":
        long cur = lseek(f, 0, SEEK_CUR);
        return new Object[] {lseek(f, (Long) args[0], SEEK_CUR) - cur};
      case "available()I":
        return new Object[] {available(f)};
      case "length()J":
        return new Object[] {statx(f, Statx.STATX_SIZE).getLong(1 + Statx.OFF_STX_SIZE)};
      case "position()J":
      case "getFilePointer()J":
        return new Object[] {lseek(f, 0, SEEK_CUR)};
      case "isRegularFile()Z":
        cache(stream, "isRegularFile", f.regular); // the open's fstat told
        return new Object[] {f.regular};
      case "seek(J)V":
        long pos = (Long) args[0];
        if (pos < 0) {
          throw new IOException("Negative seek offset");
        }
        lseek(f, pos, SEEK_SET);
        return VOID;
      case "setLength(J)V":
        setLength(f, (Long) args[0]);
        return VOID;
      case "skipBytes(I)I":
        return new Object[] {skipBytes(f, (Integer) args[0])};
      case "readLine()Ljava/lang/String;":
        return new Object[] {readLine(f)};
      case "getChannel()Ljava/nio/channels/FileChannel;":
        return new Object[] {channel(f, stream)};
      case "close()V":
        close(fd, f);
        return VOID;
      case "sync()V":
        int res = io.submit(IORING_OP_FSYNC, f.file, 0, 0, sqe -> sqe.prepFsync(f.fd, 0));
        if (res < 0) {
          throw new SyncFailedException("sync failed");
        }
        return VOID;
      default:
        throw new IllegalStateException("iouring agent: no stream method " + method);
    }
  }

  /** As the JDK's {@code fileOpen} and {@code handleOpen}: open, fstat, a directory is EISDIR. */
  private Object[] open(FileDescriptor fd, String method, String name, Object mode)
      throws IOException {
    int flags =
        switch (method) {
          case "open(Ljava/lang/String;)V" -> O_RDONLY;
          case "open(Ljava/lang/String;Z)V" ->
              O_WRONLY | O_CREAT | ((Boolean) mode ? O_APPEND : O_TRUNC);
          case "open(Ljava/lang/String;I)V" -> randomAccessFlags((Integer) mode);
          default -> -1;
        };
    if (flags == -1 || name == null) {
      return null;
    }
    String trimmed = name; // the JDK removes trailing slashes, "since the kernel won't"
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    String file;
    try {
      file = files.mounted(Path.of(trimmed));
    } catch (InvalidPathException e) {
      return null;
    }
    if (file == null) {
      return null;
    }
    int fdOrErr =
        io.submitPath(
            IORING_OP_OPENAT, file, (sqe, path) -> sqe.prepOpenat(AT_FDCWD, path, flags, 0666));
    if (fdOrErr < 0) {
      throw notFound(name, fdOrErr);
    }
    OpenFile f = new OpenFile(io, fdOrErr, file, name, flags);
    ByteBuffer statx = ByteBuffer.allocateDirect(1 + Statx.STATX_SIZE_BYTES);
    int res = statx(f, Statx.STATX_TYPE, statx);
    int type = statx.order(ByteOrder.nativeOrder()).getShort(1 + Statx.OFF_STX_MODE) & S_IFMT;
    if (res < 0 || type == S_IFDIR) {
      f.run();
      throw notFound(name, res < 0 ? res : -Errno.EISDIR);
    }
    f.regular = type == S_IFREG;
    f.cleanable = cleaner.register(fd, f);
    table.put(fd, f);
    return VOID;
  }

  /** As {@code RandomAccessFile}'s native {@code open0}. */
  private static int randomAccessFlags(int mode) {
    if ((mode & RAF_O_RDONLY) != 0) {
      return O_RDONLY;
    } else if ((mode & RAF_O_RDWR) != 0) {
      int flags = O_RDWR | O_CREAT;
      if ((mode & RAF_O_SYNC) != 0) {
        flags |= O_SYNC;
      } else if ((mode & RAF_O_DSYNC) != 0) {
        flags |= O_DSYNC;
      }
      return flags;
    }
    return 0;
  }

  private static FileNotFoundException notFound(String name, int res) {
    return new FileNotFoundException(name + " (" + Errno.message(-res) + ")");
  }

  private int read(OpenFile f) throws IOException {
    byte[] one = new byte[1];
    int res = io.readWrite(IORING_OP_READ, f.fd, f.file, ByteBuffer.wrap(one), -1);
    if (res < 0) {
      throw Errors.forIo(res);
    }
    return res == 0 ? -1 : one[0] & 0xff;
  }

  /** As the JDK's {@code readBytes}: its checks in its order, then one read. */
  private int read(OpenFile f, byte[] b, int off, int len) throws IOException {
    checkBounds(b, off, len);
    if (len == 0) {
      return 0;
    }
    int res = io.readWrite(IORING_OP_READ, f.fd, f.file, ByteBuffer.wrap(b, off, len), -1);
    if (res < 0) {
      throw Errors.forIo(res);
    }
    return res == 0 ? -1 : res;
  }

  private void write(OpenFile f, int b) throws IOException {
    ByteBuffer one = ByteBuffer.wrap(new byte[] {(byte) b});
    int res = io.readWrite(IORING_OP_WRITE, f.fd, f.file, one, -1);
    if (res < 0) {
      throw Errors.forIo(res);
    }
  }

  /** As the JDK's {@code writeBytes}: its checks, then writes until every byte is written. */
  private void write(OpenFile f, byte[] b, int off, int len) throws IOException {
    checkBounds(b, off, len);
    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
    while (buffer.hasRemaining()) {
      int res = io.readWrite(IORING_OP_WRITE, f.fd, f.file, buffer, -1);
      if (res < 0) {
        throw Errors.forIo(res);
      }
    }
  }

  private static void checkBounds(byte[] b, int off, int len) {
    Objects.requireNonNull(b);
    if (off < 0 || len < 0 || b.length - off < len) {
      throw new IndexOutOfBoundsException();
    }
  }

  /** The bytes {@code writeBytes(String)} writes: the low byte of each char. */
  private static byte[] latin1(String s) {
    byte[] b = new byte[s.length()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) s.charAt(i);
    }
    return b;
  }

  /** The bytes {@code writeChars(String)} writes: each char, high byte first. */
  private static byte[] utf16(String s) {
    byte[] b = new byte[2 * s.length()];
    for (int i = 0; i < s.length(); i++) {
      b[2 * i] = (byte) (s.charAt(i) >>> 8);
      b[2 * i + 1] = (byte) s.charAt(i);
    }
    return b;
  }

  private long lseek(OpenFile f, long offset, int whence) throws IOException {
    try {
      return io.process().lseek(f.fd, offset, whence);
    } catch (ErrnoException e) {
      throw Errors.forIo(-e.errno());
    }
  }

  /** An fstat of the open file: a STATX SQE on the descriptor with an empty path. */
  private ByteBuffer statx(OpenFile f, int mask) throws IOException {
    ByteBuffer statx = ByteBuffer.allocateDirect(1 + Statx.STATX_SIZE_BYTES);
    int res = statx(f, mask, statx);
    if (res < 0) {
      throw Errors.forIo(res);
    }
    return statx.order(ByteOrder.nativeOrder());
  }

  private int statx(OpenFile f, int mask, ByteBuffer statx) {
    long address = io.memory().map(statx); // byte 0 is the empty path, the struct follows it
    try {
      return io.submit(
          IORING_OP_STATX,
          f.file,
          0,
          0,
          sqe -> sqe.prepStatx(f.fd, address, AT_EMPTY_PATH, mask, address + 1));
    } finally {
      io.memory().unmap(address);
    }
  }

  /** As the JDK's {@code handleAvailable} for a regular file: size less position, at least 0. */
  private int available(OpenFile f) throws IOException {
    long size = statx(f, Statx.STATX_SIZE).getLong(1 + Statx.OFF_STX_SIZE);
    long current = lseek(f, 0, SEEK_CUR);
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, size - current));
  }

  /**
   * As the JDK's {@code setLength} (traced on Linux with JDK 17 and 25): the position, {@code
   * ftruncate}, then the position back, or at the new end if it was past it.
   */
  private void setLength(OpenFile f, long length) throws IOException {
    long current = lseek(f, 0, SEEK_CUR);
    int res = io.submit(IORING_OP_FTRUNCATE, f.file, length, 0, s -> s.prepFtruncate(f.fd, length));
    if (res < 0) {
      throw Errors.forIo(res);
    }
    if (current > length) {
      lseek(f, 0, SEEK_END);
    } else {
      lseek(f, current, SEEK_SET);
    }
  }

  /** As {@code RandomAccessFile.skipBytes}: never past the end, but back to it from beyond. */
  private int skipBytes(OpenFile f, int n) throws IOException {
    if (n <= 0) {
      return 0;
    }
    long pos = lseek(f, 0, SEEK_CUR);
    long len = statx(f, Statx.STATX_SIZE).getLong(1 + Statx.OFF_STX_SIZE);
    long newpos = Math.min(pos + n, len);
    lseek(f, newpos, SEEK_SET);
    return (int) (newpos - pos);
  }

  /** As {@code RandomAccessFile.readLine}: one read per byte, a lone CR seeks back. */
  private String readLine(OpenFile f) throws IOException {
    StringBuilder input = new StringBuilder();
    int c = -1;
    boolean eol = false;
    while (!eol) {
      c = read(f);
      if (c == -1 || c == '\n') {
        eol = true;
      } else if (c == '\r') {
        eol = true;
        long cur = lseek(f, 0, SEEK_CUR);
        if (read(f) != '\n') {
          lseek(f, cur, SEEK_SET);
        }
      } else {
        input.append((char) c);
      }
    }
    return c == -1 && input.length() == 0 ? null : input.toString();
  }

  /**
   * As the streams' {@code getChannel()}: one channel per stream, kept in the stream's own field;
   * it shares the file and its position, and closing it closes the stream.
   */
  private FileChannel channel(OpenFile f, Object stream) throws IOException {
    Field field = jdkFields.get(kind(stream) + ".channel");
    boolean readable = !(stream instanceof FileOutputStream);
    boolean writable =
        stream instanceof FileOutputStream
            || stream instanceof RandomAccessFile && (f.flags & O_ACCMODE) == O_RDWR;
    boolean append = (f.flags & O_APPEND) != 0;
    synchronized (stream) {
      try {
        FileChannel channel = field == null ? null : (FileChannel) field.get(stream);
        if (channel == null) {
          channel =
              new RingFileChannel(
                  io,
                  files.locks(),
                  f.fd,
                  f.name,
                  f.file,
                  readable,
                  writable,
                  append,
                  (Closeable) stream);
          if (field != null) {
            field.set(stream, channel);
          }
        }
        return channel;
      } catch (IllegalAccessException e) {
        throw new IOException(e);
      }
    }
  }

  /** As the descriptor's {@code close()}: the file's CLOSE, once; strerror if it fails. */
  private void close(FileDescriptor fd, OpenFile f) throws IOException {
    table.remove(fd);
    f.cleanable.clean();
    if (f.closeResult < 0) {
      throw Errors.forIo(f.closeResult);
    }
  }
}
