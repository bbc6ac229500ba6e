package iouring.core.rsrc;

import iouring.api.abi.BufRingLayout;
import iouring.api.abi.Errno;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A ring's legacy provided buffers ({@code IORING_OP_PROVIDE_BUFFERS}), Linux's {@code
 * io_buffer_list} of {@code kbuf.c}: per buffer group, a queue of (address, length, buffer id)
 * taken from the front in the order provided. A group exists from its first {@code PROVIDE_BUFFERS}
 * until the ring goes, even when empty, as Linux keeps the list.
 *
 * <p>A group may instead be a ring of buffers the application maps and refills itself ({@code
 * IORING_REGISTER_PBUF_RING}): entries of {@code struct io_uring_buf}, the application's {@code
 * tail} in the first entry's reserved field, the kernel's {@code head} private. A ring group
 * refuses {@code PROVIDE_BUFFERS} and {@code REMOVE_BUFFERS} with {@code EINVAL}, as Linux.
 *
 * <p>Requests run under the ring's lock but a worker may select a buffer outside it, so one small
 * lock of its own guards the groups. Linux checks nothing but the address range at provide time; a
 * buffer in unmapped memory faults when a read fills it.
 */
public final class ProvidedBuffers {
  /**
   * Linux's {@code USHRT_MAX}: a list holding that many buffers refuses more ({@code EOVERFLOW}).
   */
  private static final int MAX_PER_GROUP = 0xffff;

  /** One buffer: its user address, length and id. */
  public record Buffer(long addr, int len, int bid) {}

  /** Linux's {@code MAX_RW_COUNT}: the longest transfer one buffer of a ring may carry. */
  private static final long MAX_RW_COUNT = Integer.MAX_VALUE & ~4095L;

  private final Map<Integer, ArrayDeque<Buffer>> groups = new HashMap<>();
  private final Map<Integer, BufRing> rings = new HashMap<>();
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * A registered buffer ring: the application's memory, pinned as Linux pins its pages (unmapping
   * it later does not pull it from under the ring), and the kernel's head.
   */
  private static final class BufRing {
    final ByteBuffer mem;
    final int mask;
    int head; // u16, as Linux's bl->head

    BufRing(ByteBuffer mem, int entries) {
      this.mem = mem;
      this.mask = entries - 1;
    }
  }

  /** Creates the buffers of a ring with no group yet. */
  public ProvidedBuffers() {}

  /**
   * Adds {@code count} buffers of {@code len} bytes each, laid out from {@code addr}, with ids from
   * {@code bid}, as {@code io_add_buffers}.
   *
   * @param group the buffer group, 0..65535
   * @param addr the first buffer's user address
   * @param stride the distance between buffers, unsigned
   * @param len each buffer's length
   * @param count the number of buffers, 1..65536
   * @param bid the first buffer id
   * @return 0 if any buffer was added, else {@code -EOVERFLOW} for a full group
   */
  public int provide(int group, long addr, int stride, int len, int count, int bid) {
    lock.lock();
    try {
      if (rings.containsKey(group)) {
        return -Errno.EINVAL; // a ring group is refilled through its ring
      }
      return provideLocked(group, addr, stride, len, count, bid);
    } finally {
      lock.unlock();
    }
  }

  private int provideLocked(int group, long addr, int stride, int len, int count, int bid) {
    ArrayDeque<Buffer> list = groups.computeIfAbsent(group, g -> new ArrayDeque<>());
    long at = addr;
    int i = 0;
    for (; i < count; i++) {
      if (list.size() == MAX_PER_GROUP) {
        break;
      }
      list.addLast(new Buffer(at, len, (bid + i) & 0xffff));
      at += Integer.toUnsignedLong(stride);
    }
    return i > 0 ? 0 : -Errno.EOVERFLOW;
  }

  /**
   * Removes up to {@code count} buffers from the front of a group, as {@code
   * io_remove_buffers_legacy}.
   *
   * @param group the buffer group
   * @param count the most buffers to remove
   * @return the number removed, 0 for an empty group, or {@code -ENOENT} for a group never provided
   */
  public int remove(int group, int count) {
    lock.lock();
    try {
      return rings.containsKey(group) ? -Errno.EINVAL : removeLocked(group, count);
    } finally {
      lock.unlock();
    }
  }

  private int removeLocked(int group, int count) {
    ArrayDeque<Buffer> list = groups.get(group);
    if (list == null) {
      return -Errno.ENOENT;
    }
    int i = 0;
    for (; i < count && !list.isEmpty(); i++) {
      list.removeFirst();
    }
    return i;
  }

  /**
   * Takes the first buffer of a group, as {@code io_provided_buffer_select}.
   *
   * @param group the buffer group
   * @return the buffer, now out of the pool; or null for an empty or unknown group ({@code
   *     ENOBUFS})
   */
  public Buffer select(int group) {
    lock.lock();
    try {
      BufRing ring = rings.get(group);
      if (ring != null) {
        return selectFromRing(ring);
      }
      ArrayDeque<Buffer> list = groups.get(group);
      return list == null ? null : list.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Linux's {@code io_ring_buffer_select}: the entry at {@code head & mask} if the application's
   * tail (acquire) is not the head, consumed at once. Linux does not check that the tail stays
   * within {@code entries} of the head; a ring so misused hands out its entries again.
   */
  private static Buffer selectFromRing(BufRing ring) {
    int tail = Short.toUnsignedInt(ring.mem.getShort(BufRingLayout.OFF_TAIL));
    VarHandle.acquireFence();
    if (tail == ring.head) {
      return null;
    }
    int at = (ring.head & ring.mask) * BufRingLayout.SIZE;
    long addr = ring.mem.getLong(at + BufRingLayout.OFF_ADDR);
    long len =
        Math.min(Integer.toUnsignedLong(ring.mem.getInt(at + BufRingLayout.OFF_LEN)), MAX_RW_COUNT);
    int bid = Short.toUnsignedInt(ring.mem.getShort(at + BufRingLayout.OFF_BID));
    ring.head = (ring.head + 1) & 0xffff;
    return new Buffer(addr, (int) len, bid);
  }

  /**
   * Registers a buffer ring for a group, the group half of {@code io_register_pbuf_ring}: a legacy
   * group that still holds buffers, or a ring, is {@code EEXIST}; an empty legacy group is
   * replaced.
   *
   * @param group the buffer group
   * @param mem the ring's memory, {@code entries} entries of 16 bytes, native order
   * @param entries a power of two below 65536
   * @return 0, or {@code -EEXIST}
   */
  public int registerRing(int group, ByteBuffer mem, int entries) {
    lock.lock();
    try {
      if (inUse(group)) {
        return -Errno.EEXIST;
      }
      groups.remove(group);
      rings.put(group, new BufRing(mem, entries));
      return 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns whether a group can become a buffer ring, before its memory is looked at, as Linux.
   *
   * @param group the buffer group
   * @return 0, or {@code -EEXIST} for a ring or a legacy group that holds buffers
   */
  public int ringAllowed(int group) {
    lock.lock();
    try {
      return inUse(group) ? -Errno.EEXIST : 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Unregisters a group's buffer ring, as {@code io_unregister_pbuf_ring}.
   *
   * @param group the buffer group
   * @return 0, {@code -ENOENT} for no group, {@code -EINVAL} for a legacy group
   */
  public int unregisterRing(int group) {
    lock.lock();
    try {
      if (rings.remove(group) != null) {
        return 0;
      }
      return groups.containsKey(group) ? -Errno.EINVAL : -Errno.ENOENT;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns a buffer ring's head, as {@code io_register_pbuf_status}.
   *
   * @param group the buffer group
   * @return the head, {@code -ENOENT} for no group, {@code -EINVAL} for a legacy group
   */
  public int ringHead(int group) {
    lock.lock();
    try {
      BufRing ring = rings.get(group);
      if (ring != null) {
        return ring.head;
      }
      return groups.containsKey(group) ? -Errno.EINVAL : -Errno.ENOENT;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the number of buffers a group holds.
   *
   * @param group the buffer group
   * @return the count, 0 for an unknown group
   */
  public int count(int group) {
    lock.lock();
    try {
      ArrayDeque<Buffer> list = groups.get(group);
      return list == null ? 0 : list.size();
    } finally {
      lock.unlock();
    }
  }

  /** A ring already, or a legacy group that holds buffers (an emptied one may be replaced). */
  private boolean inUse(int group) {
    ArrayDeque<Buffer> list = groups.get(group);
    return rings.containsKey(group) || (list != null && !list.isEmpty());
  }
}
