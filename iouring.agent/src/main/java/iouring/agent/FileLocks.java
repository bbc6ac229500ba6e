package iouring.agent;

import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The locks this JVM holds on mounted files, by file, as the JDK's {@code FileLockTable} keeps
 * them. io_uring has no lock opcode and a mounted file is private to this JVM, so there is nothing
 * to lock against beyond this table: a lock never blocks, it is granted or it overlaps.
 */
final class FileLocks {
  private final Map<String, List<RingFileLock>> byFile = new HashMap<>();

  /** A lock on a mounted file. */
  final class RingFileLock extends FileLock {
    private final String file;
    private boolean valid = true;

    RingFileLock(FileChannel channel, String file, long position, long size, boolean shared) {
      super(channel, position, size, shared);
      this.file = file;
    }

    RingFileLock(
        AsynchronousFileChannel channel, String file, long position, long size, boolean shared) {
      super(channel, position, size, shared);
      this.file = file;
    }

    @Override
    public boolean isValid() {
      synchronized (FileLocks.this) {
        return valid;
      }
    }

    @Override
    public void release() throws java.io.IOException {
      if (!acquiredBy().isOpen()) {
        throw new java.nio.channels.ClosedChannelException();
      }
      remove(this);
    }
  }

  /** Since JDK 19 (JDK-5041655) a lock of size 0 covers everything from its position on. */
  private static final boolean ZERO_MEANS_TO_THE_END = Runtime.version().feature() >= 19;

  /**
   * The size a lock request gets, as the JDK's channels compute it: from JDK 19 on, 0 means to the
   * end of the file and beyond ({@code Long.MAX_VALUE - max(0, position)}); before, 0 stays 0.
   */
  static long size(long position, long size) {
    return size == 0 && ZERO_MEANS_TO_THE_END ? Long.MAX_VALUE - Math.max(0, position) : size;
  }

  /**
   * Adds a channel's lock; the lock's constructor checks the range first, as the JDK's does.
   *
   * @throws OverlappingFileLockException if this JVM holds an overlapping one
   */
  RingFileLock add(FileChannel channel, String file, long position, long size, boolean shared) {
    return add(new RingFileLock(channel, file, position, size, shared));
  }

  /** As {@link #add(FileChannel, String, long, long, boolean)}, for an asynchronous channel. */
  RingFileLock add(
      AsynchronousFileChannel channel, String file, long position, long size, boolean shared) {
    return add(new RingFileLock(channel, file, position, size, shared));
  }

  private synchronized RingFileLock add(RingFileLock lock) {
    long position = lock.position();
    long size = lock.size();
    List<RingFileLock> held = byFile.computeIfAbsent(lock.file, f -> new ArrayList<>());
    for (RingFileLock other : held) {
      if (other.overlaps(position, size)) {
        throw new OverlappingFileLockException();
      }
    }
    held.add(lock);
    return lock;
  }

  synchronized void remove(RingFileLock lock) {
    lock.valid = false;
    List<RingFileLock> held = byFile.get(lock.file);
    if (held != null) {
      held.remove(lock);
      if (held.isEmpty()) {
        byFile.remove(lock.file);
      }
    }
  }

  /** Invalidates every lock a closing channel holds, as closing a channel does. */
  synchronized void removeAll(Channel channel, String file) {
    List<RingFileLock> held = byFile.get(file);
    if (held != null) {
      for (RingFileLock lock : List.copyOf(held)) {
        if (lock.acquiredBy() == channel) {
          remove(lock);
        }
      }
    }
  }
}
