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

  private static volatile Opener opener;

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
