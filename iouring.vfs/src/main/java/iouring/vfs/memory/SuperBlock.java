package iouring.vfs.memory;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the files of one memory provider share, as Linux's {@code struct super_block}: the clock,
 * the inode numbers, the device number and the space accounting.
 */
final class SuperBlock {
  /**
   * The largest file size, {@code s_maxbytes}: 2^46 bytes (64 TiB). tmpfs allows 2^63 - 1, but no
   * heap holds that much and a bound far below {@code Long.MAX_VALUE} keeps {@code offset + length}
   * from overflowing anywhere.
   */
  static final long MAX_FILE_SIZE = 1L << 46;

  /** Minor device numbers of memory providers, unique per JVM as Linux's anonymous devices are. */
  private static final AtomicInteger DEVICES = new AtomicInteger();

  private final Clock clock;
  private final long sizeLimit;
  private final int devMinor = DEVICES.incrementAndGet();
  private final AtomicLong nextIno = new AtomicLong();
  private final AtomicLong allocated = new AtomicLong();

  /**
   * Creates the shared state of one provider.
   *
   * @param clock the clock of every timestamp
   * @param sizeLimit the most bytes of file data, or 0 for no limit
   */
  SuperBlock(Clock clock, long sizeLimit) {
    this.clock = clock;
    this.sizeLimit = sizeLimit <= 0 ? Long.MAX_VALUE : sizeLimit;
  }

  /** Returns the size limit in bytes; {@link Long#MAX_VALUE} when there is none. */
  long sizeLimit() {
    return sizeLimit;
  }

  /** Returns the current time in nanoseconds since the epoch. */
  long now() {
    Instant t = clock.instant();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** Returns the current time in milliseconds since the epoch, the cheap reading of the clock. */
  long nowMillis() {
    return clock.millis();
  }

  /** Returns a fresh inode number; the root gets 1. */
  long newIno() {
    return nextIno.incrementAndGet();
  }

  /** Returns the minor device number every file of this provider reports. */
  int devMinor() {
    return devMinor;
  }

  /**
   * Reserves space for file data, all of it or nothing.
   *
   * @param bytes the byte count
   * @return false when the size limit does not leave room for it
   */
  boolean reserve(long bytes) {
    while (true) {
      long used = allocated.get();
      if (bytes > sizeLimit - used) {
        return false;
      }
      if (allocated.compareAndSet(used, used + bytes)) {
        return true;
      }
    }
  }

  /** Gives reserved space back. */
  void release(long bytes) {
    allocated.addAndGet(-bytes);
  }

  /** Returns the bytes of file data allocated now. */
  long allocated() {
    return allocated.get();
  }
}
