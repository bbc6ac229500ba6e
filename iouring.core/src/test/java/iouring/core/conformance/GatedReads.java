package iouring.core.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsProvider;
import iouring.vfs.memory.MemoryProvider;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A memory file system whose reads of one path wait at a gate until the test opens it: a request
 * that stays in its provider call (on a worker, Linux's io-wq, or inline, holding the ring lock)
 * for exactly as long as the test needs, with no sleeps. Everything else is the memory provider's.
 */
final class GatedReads {
  private final String gatedPath;
  private final Semaphore entered = new Semaphore(0);
  private final CountDownLatch gate = new CountDownLatch(1);
  private final VfsProvider provider;

  /**
   * Creates the file system.
   *
   * @param gatedPath the path whose reads wait, from the provider's root
   */
  GatedReads(String gatedPath) {
    this.gatedPath = gatedPath;
    VfsProvider memory = new MemoryProvider();
    this.provider =
        (VfsProvider)
            Proxy.newProxyInstance(
                VfsProvider.class.getClassLoader(),
                new Class<?>[] {VfsProvider.class},
                (proxy, method, args) -> {
                  Object result = call(memory, method, args);
                  if (method.getName().equals("open") && gated(args[0])) {
                    return gated((VfsFile) result);
                  }
                  return result;
                });
  }

  /** Tells whether a path the provider is given names the gated file ({@code /} or not). */
  private boolean gated(Object path) {
    return ("/" + path).replaceFirst("^//", "/").equals(gatedPath);
  }

  /** Returns the provider to mount. */
  VfsProvider provider() {
    return provider;
  }

  /** Waits until {@code n} reads wait at the gate (in all, since the last call). */
  void awaitEntered(int n) throws InterruptedException {
    assertTrue(entered.tryAcquire(n, 10, TimeUnit.SECONDS), n + " reads at the gate within 10 s");
  }

  /** Lets every read that waits, and every later one, go on. */
  void open() {
    gate.countDown();
  }

  private VfsFile gated(VfsFile file) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("read")) {
            entered.release();
            try {
              if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new VfsException(Errno.EIO, "the gate of " + gatedPath + " never opened");
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new VfsException(Errno.EINTR, "interrupted at the gate");
            }
          }
          return call(file, method, args);
        };
    return (VfsFile)
        Proxy.newProxyInstance(
            VfsFile.class.getClassLoader(), new Class<?>[] {VfsFile.class}, handler);
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * Waits until the JVM's timer thread ({@code iouring-timer}) is blocked on a lock: a timer that
   * fired while a test holds a ring's lock has started and waits for it, as a Linux hrtimer
   * callback that runs.
   */
  static void awaitTimerBlockedOnALock() throws InterruptedException {
    Thread timer = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (timer == null) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
          if (t.getName().equals("iouring-timer")) {
            timer = t;
          }
        }
      } else {
        Object blocker = LockSupport.getBlocker(timer);
        if (blocker != null
            && blocker.getClass().getSimpleName().equals("RingLock")
            && timer.getState() == Thread.State.TIMED_WAITING) {
          return;
        }
      }
      Thread.sleep(1);
    }
    fail("the timer thread did not block on the ring lock within 10 s");
  }
}
