package iouring.agent.bootstrap;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.SyncFailedException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;

/**
 * The one class that code inlined into the JDK calls: the agent injects it into the bootstrap class
 * loader, where {@code java.base} can see it, and plugs its opener in. It holds only JDK types so
 * that it needs nothing else on the boot class path.
 */
public final class RingBridge {
  /** Opens a channel for a path the agent serves, or declines with null so the JDK opens it. */
  public interface Opener {
    /**
     * Opens a channel the way {@code FileSystemProvider.newFileChannel} would.
     *
     * @param path the path the application gave
     * @param options the open options
     * @param attrs the file attributes for a created file
     * @return the channel, or null if the agent does not serve the path
     * @throws IOException as the JDK would throw it for the same request
     */
    FileChannel open(Path path, Set<? extends OpenOption> options, FileAttribute<?>[] attrs)
        throws IOException;
  }

  /**
   * Serves the other file-system operations of {@code UnixFileSystemProvider}, and {@code
   * UnixPath.toRealPath}, for the paths the agent serves.
   */
  public interface Calls {
    /**
     * Runs one provider method for a served path.
     *
     * @param method the name of the JDK method ({@code readAttributes}, {@code move}, ...)
     * @param args its arguments, as the JDK method received them; for {@code toRealPath} the path
     *     itself, then the link options
     * @return a one-element array holding the result (null for a void method), or null if the agent
     *     does not serve the paths and the JDK must run its own method
     * @throws IOException as the JDK would throw it for the same request
     */
    Object[] call(String method, Object[] args) throws IOException;
  }

  /**
   * Serves the {@code java.io} streams ({@code FileInputStream}, {@code FileOutputStream}, {@code
   * RandomAccessFile}) whose file lies under a mount. Such a stream's {@code FileDescriptor} stays
   * invalid, so the JDK's natives never see it; the agent keeps the emulated file behind it.
   */
  public interface Streams {
    /**
     * Runs one stream method for an invalid descriptor: the private {@code open} of a stream (which
     * the agent serves if the path is under a mount), or any other hooked method of a stream whose
     * descriptor the agent opened.
     *
     * @param fd the stream's descriptor, or the descriptor itself for its own methods
     * @param stream the stream (or descriptor) whose method runs
     * @param method the method's name and descriptor, as {@code read([BII)I}
     * @param args its arguments
     * @return a one-element array holding the result (null for a void method), or null if the agent
     *     does not serve the descriptor and the JDK must run its own method
     * @throws IOException as the JDK would throw it for the same request
     */
    Object[] call(FileDescriptor fd, Object stream, String method, Object[] args)
        throws IOException;
  }

  private static final Object[] NO_ARGS = {};

  private static volatile Opener opener;
  private static volatile Calls calls;
  private static volatile Streams streams;
  private static volatile Calls files;

  private RingBridge() {}

  /**
   * Plugs an opener in, or with null takes it out so that every channel is the JDK's again.
   *
   * @param newOpener the opener, or null
   */
  public static void install(Opener newOpener) {
    opener = newOpener;
  }

  /**
   * Plugs the other operations in, or with null takes them out.
   *
   * @param newCalls the operations, or null
   */
  public static void install(Calls newCalls) {
    calls = newCalls;
  }

  /**
   * Plugs the streams in, or with null takes them out.
   *
   * @param newStreams the streams, or null
   */
  public static void install(Streams newStreams) {
    streams = newStreams;
  }

  /**
   * Called from an instrumented stream method whose descriptor is not valid: not yet opened,
   * closed, or an emulated file's.
   *
   * @param fd the descriptor
   * @param stream the stream
   * @param method the method's name and descriptor
   * @param args its arguments
   * @return the agent's result in a one-element array, or null for the JDK's own method
   * @throws IOException as the JDK would throw it
   */
  public static Object[] stream(FileDescriptor fd, Object stream, String method, Object[] args)
      throws IOException {
    Streams current = streams;
    return current == null ? null : current.call(fd, stream, method, args);
  }

  private static Object[] served(RandomAccessFile file, String method, Object[] args)
      throws IOException {
    FileDescriptor fd = file.getFD();
    return fd.valid() ? null : stream(fd, file, method, args);
  }

  /**
   * Stands for {@code RandomAccessFile.getFilePointer()}, a native method that advice cannot reach,
   * at its call sites in application classes.
   *
   * @param file the file
   * @return its position
   * @throws IOException as the JDK would throw it
   */
  public static long getFilePointer(RandomAccessFile file) throws IOException {
    Object[] served = served(file, "getFilePointer()J", NO_ARGS);
    return served == null ? file.getFilePointer() : (Long) served[0];
  }

  /**
   * Stands for {@code RandomAccessFile.length()} at its call sites where it is native (JDK 17).
   *
   * @param file the file
   * @return its length
   * @throws IOException as the JDK would throw it
   */
  public static long length(RandomAccessFile file) throws IOException {
    Object[] served = served(file, "length()J", NO_ARGS);
    return served == null ? file.length() : (Long) served[0];
  }

  /**
   * Stands for {@code RandomAccessFile.setLength(long)} at its call sites where it is native (JDK
   * 17).
   *
   * @param file the file
   * @param newLength the new length
   * @throws IOException as the JDK would throw it
   */
  public static void setLength(RandomAccessFile file, long newLength) throws IOException {
    if (served(file, "setLength(J)V", new Object[] {newLength}) == null) {
      file.setLength(newLength);
    }
  }

  /**
   * Stands for {@code FileDescriptor.sync()} at its call sites where it is native (JDK 17).
   *
   * @param fd the descriptor
   * @throws SyncFailedException as the JDK would throw it
   */
  public static void sync(FileDescriptor fd) throws SyncFailedException {
    if (!fd.valid()) {
      try {
        if (stream(fd, fd, "sync()V", NO_ARGS) != null) {
          return;
        }
      } catch (SyncFailedException e) {
        throw e;
      } catch (IOException e) {
        throw new SyncFailedException(e.getMessage());
      }
    }
    fd.sync();
  }

  /**
   * Plugs the {@code java.io.File} operations in, or with null takes them out.
   *
   * @param newFiles the operations, or null
   */
  public static void installFiles(Calls newFiles) {
    files = newFiles;
  }

  /**
   * Called from an instrumented method of {@code java.io.File} or {@code java.io.UnixFileSystem}
   * before it touches the file system.
   *
   * @param method the name of the JDK method
   * @param args the file (or path) first, then the method's other arguments
   * @return the agent's result in a one-element array, or null for the JDK's own method
   * @throws IOException as the JDK would throw it
   */
  public static Object[] file(String method, Object[] args) throws IOException {
    Calls current = files;
    return current == null ? null : current.call(method, args);
  }

  /**
   * Called from an instrumented JDK method before it touches the file system.
   *
   * @param method the name of the JDK method
   * @param args its arguments
   * @return the agent's result in a one-element array, or null for the JDK's own method
   * @throws IOException as the JDK would throw it
   */
  public static Object[] call(String method, Object[] args) throws IOException {
    Calls current = calls;
    return current == null ? null : current.call(method, args);
  }

  /**
   * Called from the instrumented JDK method before it opens anything.
   *
   * @param path the path the application gave
   * @param options the open options
   * @param attrs the file attributes
   * @return the agent's channel, or null for the JDK's own
   * @throws IOException as the JDK would throw it
   */
  public static FileChannel open(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>[] attrs) throws IOException {
    Opener current = opener;
    return current == null ? null : current.open(path, options, attrs);
  }
}
