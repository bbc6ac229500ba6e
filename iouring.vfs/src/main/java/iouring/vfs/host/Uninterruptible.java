package iouring.vfs.host;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.nio.channels.FileChannel;

/**
 * Marks JDK file channels uninterruptible, as the JDK does for its own internal files, when the JVM
 * lets this code in: {@code sun.nio.ch.FileChannelImpl.setUninterruptible()}, reached only when
 * {@code java.base} opens {@code sun.nio.ch} to this class's module ({@code --add-opens
 * java.base/sun.nio.ch=ALL-UNNAMED}, which {@code ./iouring run} and the benchmarks pass, or the
 * Java agent through its instrumentation).
 *
 * <p>An uninterruptible channel is not closed by an interrupt of the thread in a call, which is
 * Linux's behaviour for a regular file, and it skips the interrupt bookkeeping every call of an
 * interruptible channel pays (two synchronized updates of the thread's blocker, about 50 ns a 4 KiB
 * read on a 2-vCPU VM). Without the opening, {@link HostFile} gets the same behaviour by shielding
 * each call from interrupts and reopening a channel an interrupt closed anyway.
 */
final class Uninterruptible {
  /** The JDK's file channel class, whose method this calls. */
  static final String IMPL = "sun.nio.ch.FileChannelImpl";

  /** {@code setUninterruptible}, or null when the JVM does not let us call it; once looked up. */
  private static MethodHandle set;

  private static boolean looked;

  private Uninterruptible() {}

  /**
   * Makes a channel uninterruptible if this JVM allows it. The method is looked up on the first
   * channel's own class, so no class loader (an OSGi bundle's included) needs to see {@code
   * sun.nio.ch}.
   *
   * @param channel a channel from {@link FileChannel#open}
   * @return true if the channel is now uninterruptible
   */
  static boolean apply(FileChannel channel) {
    Class<?> type = channel.getClass();
    if (!type.getName().equals(IMPL)) {
      return false;
    }
    MethodHandle handle = handle(type);
    if (handle == null) {
      return false;
    }
    try {
      handle.invoke(channel);
      return true;
    } catch (Throwable e) {
      return false;
    }
  }

  private static synchronized MethodHandle handle(Class<?> impl) {
    if (!looked) {
      looked = true;
      set = find(impl);
    }
    return set;
  }

  private static MethodHandle find(Class<?> impl) {
    try {
      if (!impl.getModule().isOpen("sun.nio.ch", Uninterruptible.class.getModule())) {
        return null; // asking anyway would only throw InaccessibleObjectException
      }
      Method method = impl.getMethod("setUninterruptible");
      method.setAccessible(true);
      return MethodHandles.lookup().unreflect(method);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // another JDK's internals, or a security manager that says no
    }
  }
}
