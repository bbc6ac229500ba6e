package iouring.agent;

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
import static iouring.api.abi.FileFlags.S_IFDIR;
import static iouring.api.abi.FileFlags.S_IFREG;
import static iouring.api.abi.Opcodes.IORING_OP_OPENAT;

import iouring.agent.bootstrap.RingBridge;
import iouring.api.abi.Errno;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.instrument.Instrumentation;
import java.lang.ref.Cleaner;
import java.lang.reflect.Field;
import java.nio.channels.FileChannel;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Serves {@code FileInputStream}, {@code FileOutputStream} and {@code RandomAccessFile} on paths
 * under a mount. The hooked private {@code open} of a stream asks here first: for a mounted path
 * the file is opened with an OPENAT SQE (the flags the JDK's {@code open0} would use) and kept in a
 * table keyed by the stream's {@code FileDescriptor}, which stays invalid, so that no JDK native
 * ever sees it. Each hooked method of a stream with an invalid descriptor then looks the descriptor
 * up here and runs on its {@link StreamFile} as the JDK's native code runs on a real one. Errors
 * are the JDK's: {@code FileNotFoundException("PATH (strerror)")} from an open, an {@code
 * IOException} carrying strerror from the rest, {@code "Stream Closed"} once closed (the table
 * entry is gone and the JDK's own native meets the invalid descriptor).
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
  private final Map<String, Field> jdkFields;
  private final Map<FileDescriptor, Open> table = Collections.synchronizedMap(new WeakHashMap<>());
  private Cleaner cleaner;

  /** A table entry: the file, and the cleaner's hold on its descriptor. */
  private record Open(StreamFile file, Cleaner.Cleanable cleanable) {}

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
   * still reads. Empty, having said why, if the JDK refuses, and without an instrumentation.
   */
  static Map<String, Field> jdkFields(Instrumentation instrumentation) {
    Map<String, Field> fields = new LinkedHashMap<>();
    if (instrumentation == null) {
      return fields;
    }
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

  @Override
  public Object[] call(FileDescriptor fd, Object stream, String method, Object[] args)
      throws IOException {
    if (method.startsWith("open(")) {
      return open(fd, method, (String) args[0], args.length > 1 ? args[1] : null);
    }
    Open open = table.get(fd);
    if (open == null) {
      return null;
    }
    StreamFile f = open.file();
    switch (method) {
      case "read()I":
        return new Object[] {f.read()};
      case "read([B)I":
        byte[] all = (byte[]) args[0];
        return new Object[] {f.read(all, 0, all.length)};
      case "read([BII)I":
        return new Object[] {f.read((byte[]) args[0], (Integer) args[1], (Integer) args[2])};
      case "write(I)V":
        f.write((Integer) args[0]);
        return VOID;
      case "write([B)V":
        byte[] bytes = (byte[]) args[0];
        f.write(bytes, 0, bytes.length);
        return VOID;
      case "write([BII)V":
        f.write((byte[]) args[0], (Integer) args[1], (Integer) args[2]);
        return VOID;
      case "writeBytes(Ljava/lang/String;)V":
        f.writeBytes((String) args[0]);
        return VOID;
      case "writeChars(Ljava/lang/String;)V":
        f.writeChars((String) args[0]);
        return VOID;
      case "skip(J)J":
        return new Object[] {f.skip((Long) args[0])};
      case "available()I":
        return new Object[] {f.available()};
      case "length()J":
        return new Object[] {f.length()};
      case "position()J":
      case "getFilePointer()J":
        return new Object[] {f.lseek(0, SEEK_CUR)};
      case "isRegularFile()Z":
        return new Object[] {isRegularFile(f, stream)};
      case "seek(J)V":
        f.seek((Long) args[0]);
        return VOID;
      case "setLength(J)V":
        f.setLength((Long) args[0]);
        return VOID;
      case "skipBytes(I)I":
        return new Object[] {f.skipBytes((Integer) args[0])};
      case "readLine()Ljava/lang/String;":
        return new Object[] {f.readLine()};
      case "getChannel()Ljava/nio/channels/FileChannel;":
        return new Object[] {channel(f, stream)};
      case "close()V":
        table.remove(fd);
        f.close(open.cleanable()::clean);
        return VOID;
      case "sync()V":
        f.sync();
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
    StreamFile f = new StreamFile(io, fdOrErr, file, name, flags);
    int type = f.type();
    if (type < 0 || type == S_IFDIR) {
      f.run();
      throw notFound(name, type < 0 ? type : -Errno.EISDIR);
    }
    table.put(fd, new Open(f, cleaner().register(fd, f)));
    return VOID;
  }

  private synchronized Cleaner cleaner() {
    if (cleaner == null) {
      cleaner = Cleaner.create(r -> new Thread(r, "iouring-agent-stream-cleaner"));
    }
    return cleaner;
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

  /** As JDK 25's {@code FileInputStream.isRegularFile()}: one fstat, kept in the stream. */
  private boolean isRegularFile(StreamFile f, Object stream) throws IOException {
    Field field = jdkFields.get("FileInputStream.isRegularFile");
    try {
      Object known = field == null ? null : field.get(stream);
      if (known != null) {
        return (Boolean) known;
      }
      int type = f.type();
      if (type < 0) {
        throw Errors.forIo(type);
      }
      boolean regular = type == S_IFREG;
      if (field != null) {
        field.set(stream, regular);
      }
      return regular;
    } catch (IllegalAccessException e) {
      throw new IOException(e);
    }
  }

  private static String kind(Object stream) {
    return stream instanceof FileInputStream
        ? "FileInputStream"
        : stream instanceof FileOutputStream ? "FileOutputStream" : "RandomAccessFile";
  }

  /**
   * As the streams' {@code getChannel()}: one channel per stream, kept in the stream's own field;
   * it shares the file and its position, and closing it closes the stream. It is readable and
   * writable as the JDK's: an input stream's is read-only, an output stream's write-only.
   */
  private FileChannel channel(StreamFile f, Object stream) throws IOException {
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
}
