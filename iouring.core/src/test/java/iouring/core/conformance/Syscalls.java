package iouring.core.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import iouring.api.ErrnoException;
import iouring.api.abi.Errno;
import org.junit.jupiter.api.function.Executable;

/** Assertions on system calls that must fail. */
final class Syscalls {
  private Syscalls() {}

  /** Asserts that {@code call} throws {@link ErrnoException} carrying {@code errno}. */
  static void assertErrno(int errno, Executable call) {
    ErrnoException e = assertThrows(ErrnoException.class, call);
    assertEquals(Errno.name(errno), Errno.name(e.errno()), e.getMessage());
  }
}
