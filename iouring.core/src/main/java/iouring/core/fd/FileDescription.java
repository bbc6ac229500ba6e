package iouring.core.fd;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open file description, Linux's {@code struct file}: what an fd points to. It is reference
 * counted, because fd table entries, registered-file slots and in-flight requests may all hold it;
 * the last {@link #release()} frees it.
 */
public abstract class FileDescription {
  private final AtomicInteger refs = new AtomicInteger(1);

  /**
   * Takes another reference, or fails if the description was already freed.
   *
   * @return true if a reference was taken
   */
  public final boolean tryRetain() {
    for (int n = refs.get(); n > 0; n = refs.get()) {
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Drops a reference; the last one frees the description. */
  public final void release() {
    int n = refs.decrementAndGet();
    if (n == 0) {
      free();
    } else if (n < 0) {
      throw new IllegalStateException("file description released more often than retained");
    }
  }

  /**
   * Returns whether the description is still referenced.
   *
   * @return true until the last reference was dropped
   */
  public final boolean isLive() {
    return refs.get() > 0;
  }

  /**
   * Returns whether this is an io_uring instance, which Linux's {@code IORING_OP_CLOSE} refuses to
   * close and reads and writes refuse to use.
   *
   * @return false unless overridden
   */
  public boolean isIoUring() {
    return false;
  }

  /** Frees what the description holds; called once, by the last {@link #release()}. */
  protected abstract void free();
}
