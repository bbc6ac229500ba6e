package iouring.vfs.host;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Positional reads and writes of direct buffers by the JDK's own {@code pread(2)} and {@code
 * pwrite(2)} natives, the calls at the bottom of {@code FileChannel.read(ByteBuffer, long)} and
 * {@code write(ByteBuffer, long)}, without the layers above them: where the channel registers the
 * calling thread in its {@code NativeThreadSet} (a JNI call for the thread's id and two monitor
 * enters and exits, about 5% of a cached 4 KiB read on a 2-vCPU VM), so that its {@code close} can
 * wait for the call. {@link HostFile} keeps that guarantee itself with one counter, which it can
 * since it is the only one to close its channel.
 *
 * <p>Reached, as {@link Uninterruptible}'s method, only when {@code java.base} opens {@code
 * sun.nio.ch} to this class's module; the classes are looked up in the boot class loader, so no
 * bundle needs to see them. On another JDK, or without the opening, {@link #AVAILABLE} is false and
 * every call goes through the channel. The JDK's events ({@code jdk.FileRead} and {@code
 * jdk.FileWrite} of JFR, from JDK 22) are not recorded for these calls.
 */
final class DirectIo {
  /** The JDK's status for a call that {@code EINTR} cut short ({@code IOStatus.INTERRUPTED}). */
  static final int INTERRUPTED = -3;

  /** The JDK's status for end of file, a read of 0 bytes ({@code IOStatus.EOF}). */
  static final int EOF = -1;

  /** The JDK's status for {@code EAGAIN} ({@code IOStatus.UNAVAILABLE}). */
  static final int UNAVAILABLE = -2;

  /** {@code (FileDescriptor, long address, int length, long offset) int}, or null. */
  private static final MethodHandle PREAD;

  /** The same for {@code pwrite0}, or null. */
  private static final MethodHandle PWRITE;

  /** {@code (ByteBuffer) long}: a direct buffer's address, or null. */
  private static final MethodHandle ADDRESS;

  /** {@code (FileChannel) FileDescriptor}: the channel's descriptor, or null. */
  private static final MethodHandle FD;

  /** Whether this JVM lets these calls in. */
  static final boolean AVAILABLE;

  static {
    MethodHandle pread = null;
    MethodHandle pwrite = null;
    MethodHandle address = null;
    MethodHandle fd = null;
    try {
      Class<?> channel = Class.forName(Uninterruptible.IMPL, false, null);
      if (channel.getModule().isOpen("sun.nio.ch", DirectIo.class.getModule())) {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        Class<?> dispatcher = Class.forName("sun.nio.ch.FileDispatcherImpl", false, null);
        Method read = positional(dispatcher, "pread0");
        read.setAccessible(true);
        pread = lookup.unreflect(read);
        Method write = positional(dispatcher, "pwrite0");
        write.setAccessible(true);
        pwrite = lookup.unreflect(write);
        Method at = Class.forName("sun.nio.ch.DirectBuffer", false, null).getMethod("address");
        at.setAccessible(true);
        address = lookup.unreflect(at).asType(MethodType.methodType(long.class, ByteBuffer.class));
        Field field = channel.getDeclaredField("fd");
        field.setAccessible(true);
        fd =
            lookup
                .unreflectGetter(field)
                .asType(MethodType.methodType(FileDescriptor.class, FileChannel.class));
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // Another JDK's internals, or a JVM that says no: the channels do every call.
      pread = null;
    }
    AVAILABLE = pread != null && pwrite != null && address != null && fd != null;
    PREAD = AVAILABLE ? pread : null;
    PWRITE = AVAILABLE ? pwrite : null;
    ADDRESS = AVAILABLE ? address : null;
    FD = AVAILABLE ? fd : null;
  }

  private DirectIo() {}

  /** {@code name(FileDescriptor, long, int, long)}, in the dispatcher class or a superclass. */
  private static Method positional(Class<?> dispatcher, String name) throws NoSuchMethodException {
    for (Class<?> c = dispatcher; c != null; c = c.getSuperclass()) {
      try {
        Method m =
            c.getDeclaredMethod(name, FileDescriptor.class, long.class, int.class, long.class);
        if (m.getReturnType() == int.class) {
          return m;
        }
      } catch (NoSuchMethodException e) {
        // look further up
      }
    }
    throw new NoSuchMethodException(name + " in " + dispatcher.getName());
  }

  /**
   * Returns the descriptor of a JDK file channel, or null when these calls are not available or the
   * channel is not the JDK's.
   *
   * @param channel a channel from {@link FileChannel#open}
   * @return its descriptor, or null
   */
  static FileDescriptor descriptor(FileChannel channel) {
    if (!AVAILABLE || !channel.getClass().getName().equals(Uninterruptible.IMPL)) {
      return null;
    }
    try {
      return (FileDescriptor) FD.invokeExact(channel);
    } catch (Throwable e) {
      return null;
    }
  }

  /**
   * Reads into, or writes, a direct buffer from its position to its limit at a file offset, as the
   * JDK's channel does: the buffer's position moves past the bytes moved. The caller keeps the
   * descriptor open for the whole call.
   *
   * @param fd the descriptor, from {@link #descriptor}
   * @param buf a direct buffer with bytes remaining, writable for a read
   * @param offset the file offset
   * @param read whether to read ({@code pread}) or write ({@code pwrite})
   * @return the bytes moved, or {@link #EOF} (reads only), {@link #UNAVAILABLE} or {@link
   *     #INTERRUPTED}
   * @throws IOException the JDK's exception for any other error, its message {@code strerror}'s
   */
  static int transfer(FileDescriptor fd, ByteBuffer buf, long offset, boolean read)
      throws IOException {
    int pos = buf.position();
    int len = buf.limit() - pos;
    int n;
    try {
      long address = (long) ADDRESS.invokeExact(buf) + pos;
      n =
          read
              ? (int) PREAD.invokeExact(fd, address, len, offset)
              : (int) PWRITE.invokeExact(fd, address, len, offset);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e); // the natives declare nothing else
    } finally {
      java.lang.ref.Reference.reachabilityFence(buf); // its memory stays while the call uses it
    }
    if (n > 0) {
      buf.position(pos + n);
    }
    return n;
  }
}
