package iouring.core.mem;

/**
 * An access to user memory hit an unmapped or read-only address: the {@code EFAULT} of a copy from
 * or to user space. A shared, stack-less instance, since it is a result, not a bug.
 */
public final class FaultException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The one instance. */
  public static final FaultException INSTANCE = new FaultException();

  private FaultException() {
    super("EFAULT: bad user address", null, false, false);
  }
}
