package iouring.core.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import iouring.api.ErrnoException;
import iouring.api.abi.Errno;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.function.Executable;

/** Assertions on system calls that must fail, and calls made from another thread. */
final class Syscalls {
  private Syscalls() {}

  /** Runs {@code call} on a new thread and returns its result, or minus the errno it threw. */
  static int elsewhere(Supplier<Integer> call) throws Exception {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(call.get());
              } catch (ErrnoException e) {
                f.complete(-e.errno());
              } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
              }
            });
    t.start();
    t.join();
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    }
  }

  /** Asserts that {@code call} throws {@link ErrnoException} carrying {@code errno}. */
  static void assertErrno(int errno, Executable call) {
    ErrnoException e = assertThrows(ErrnoException.class, call);
    assertEquals(Errno.name(errno), Errno.name(e.errno()), e.getMessage());
  }
}
