package iouring.core.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The ring lock: exclusion and no lost wakeup under contention (its release is a plain store, so
 * waiters must never sleep through one), reentry, ownership, timed and interruptible acquisition,
 * and the waits built on it.
 */
class RingLockTest {
  private final RingLock lock = new RingLock();
  private long counter; // guarded by lock, deliberately plain

  @Test
  void threadsContendingForTheLockNeverOverlapAndAllFinish() {
    int threads = 6;
    int rounds = 200_000;
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          List<Thread> all = new ArrayList<>();
          AtomicBoolean overlap = new AtomicBoolean();
          AtomicBoolean inside = new AtomicBoolean();
          for (int t = 0; t < threads; t++) {
            Thread thread =
                new Thread(
                    () -> {
                      for (int i = 0; i < rounds; i++) {
                        lock.lock();
                        try {
                          if (!inside.compareAndSet(false, true)) {
                            overlap.set(true);
                          }
                          counter++;
                          if (i % 1000 == 0) {
                            Thread.yield(); // a holder that takes a while: waiters park
                          }
                          inside.set(false);
                        } finally {
                          lock.unlock();
                        }
                      }
                    });
            all.add(thread);
            thread.start();
          }
          for (Thread thread : all) {
            thread.join();
          }
          assertFalse(overlap.get(), "two threads held the lock at once");
          assertEquals((long) threads * rounds, counter);
        });
  }

  @Test
  void theOwnerMayTakeItAgainAndOnlyTheOwnerReleases() throws Exception {
    lock.lock();
    assertTrue(lock.tryLock(), "reentry");
    lock.lock();
    assertTrue(lock.isHeldByCurrentThread());
    AtomicReference<Throwable> other = new AtomicReference<>();
    Thread stranger =
        new Thread(
            () -> {
              other.set(assertThrows(IllegalMonitorStateException.class, lock::unlock));
              if (lock.tryLock()) {
                other.set(new AssertionError("took a held lock"));
              }
            });
    stranger.start();
    stranger.join();
    assertTrue(other.get() instanceof IllegalMonitorStateException, String.valueOf(other.get()));
    lock.unlock();
    lock.unlock();
    assertTrue(lock.isHeldByCurrentThread(), "one hold left");
    lock.unlock();
    assertFalse(lock.isHeldByCurrentThread());
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
  }

  @Test
  void timedAndInterruptibleAcquisition() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder =
        new Thread(
            () -> {
              lock.lock();
              held.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                lock.unlock();
              }
            });
    holder.start();
    held.await();
    long start = System.nanoTime();
    assertFalse(lock.tryLock(30, TimeUnit.MILLISECONDS));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30));
    assertFalse(lock.tryLock());
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, lock::lockInterruptibly);
    assertFalse(Thread.currentThread().isInterrupted(), "the status is cleared, as the JDK's");
    AtomicReference<Throwable> waiter = new AtomicReference<>();
    Thread interrupted =
        new Thread(
            () -> {
              try {
                lock.lockInterruptibly();
                waiter.set(new AssertionError("took a held lock"));
              } catch (InterruptedException e) {
                waiter.set(e);
              }
            });
    interrupted.start();
    Thread.sleep(20);
    interrupted.interrupt();
    interrupted.join(10_000);
    assertTrue(waiter.get() instanceof InterruptedException, String.valueOf(waiter.get()));
    release.countDown();
    assertTrue(lock.tryLock(10, TimeUnit.SECONDS), "free once the holder leaves");
    lock.unlock();
    holder.join();
  }

  @Test
  void awaitReleasesTheLockUntilWokenAndTakesItBack() throws Exception {
    RingLock.Waiter[] registered = new RingLock.Waiter[1];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch waiting = new CountDownLatch(1);
    Thread sleeper =
        new Thread(
            () -> {
              lock.lock();
              try {
                RingLock.Waiter me = new RingLock.Waiter();
                registered[0] = me;
                waiting.countDown();
                while (!me.woken) {
                  lock.await(me, Long.MAX_VALUE);
                }
                if (!lock.isHeldByCurrentThread()) {
                  failure.set(new AssertionError("await returned without the lock"));
                }
              } catch (Throwable t) {
                failure.set(t);
              } finally {
                lock.unlock();
              }
            });
    sleeper.start();
    waiting.await();
    lock.lock(); // free while the sleeper waits
    try {
      Thread.sleep(20);
      assertTrue(sleeper.isAlive());
      RingLock.wake(registered[0]);
    } finally {
      lock.unlock();
    }
    sleeper.join(10_000);
    assertFalse(sleeper.isAlive());
    assertEquals(null, failure.get());

    lock.lock();
    long start = System.nanoTime();
    lock.await(new RingLock.Waiter(), start + TimeUnit.MILLISECONDS.toNanos(30));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30), "the deadline");
    assertTrue(lock.isHeldByCurrentThread());
    Thread.currentThread().interrupt();
    lock.await(new RingLock.Waiter(), Long.MAX_VALUE); // an interrupt ends it at once
    assertTrue(Thread.interrupted());
    assertTrue(lock.isHeldByCurrentThread());
    lock.unlock();
  }
}
