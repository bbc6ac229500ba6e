package iouring.agent.bootstrap;

import java.io.IOException;
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

  private static volatile Opener opener;
  private static volatile Calls calls;

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
