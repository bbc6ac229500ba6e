package iouring.core.rsrc;

import iouring.api.abi.Errno;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A ring's legacy provided buffers ({@code IORING_OP_PROVIDE_BUFFERS}), Linux's {@code
 * io_buffer_list} of {@code kbuf.c}: per buffer group, a queue of (address, length, buffer id)
 * taken from the front in the order provided. A group exists from its first {@code PROVIDE_BUFFERS}
 * until the ring goes, even when empty, as Linux keeps the list.
 *
 * <p>Only requests touch it, and they all run under the ring's lock, so it needs no lock of its
 * own. Linux checks nothing but the address range at provide time; a buffer in unmapped memory
 * faults when a read fills it.
 */
public final class ProvidedBuffers {
  /**
   * Linux's {@code USHRT_MAX}: a list holding that many buffers refuses more ({@code EOVERFLOW}).
   */
  private static final int MAX_PER_GROUP = 0xffff;

  /** One buffer: its user address, length and id. */
  public record Buffer(long addr, int len, int bid) {}

  private final Map<Integer, ArrayDeque<Buffer>> groups = new HashMap<>();

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
    ArrayDeque<Buffer> list = groups.get(group);
    return list == null ? null : list.pollFirst();
  }

  /**
   * Returns the number of buffers a group holds.
   *
   * @param group the buffer group
   * @return the count, 0 for an unknown group
   */
  public int count(int group) {
    ArrayDeque<Buffer> list = groups.get(group);
    return list == null ? 0 : list.size();
  }
}
