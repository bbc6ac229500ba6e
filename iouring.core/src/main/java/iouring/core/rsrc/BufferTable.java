package iouring.core.rsrc;

import iouring.api.ErrnoException;
import iouring.api.abi.Errno;
import iouring.api.abi.IovecLayout;
import iouring.api.abi.Limits;
import iouring.core.mem.FaultException;
import iouring.core.mem.UserMemory;
import java.nio.ByteBuffer;

/**
 * A ring's registered buffers ({@code IORING_REGISTER_BUFFERS}): each an iovec whose memory was
 * checked once at registration, so that {@code READ_FIXED} and {@code WRITE_FIXED} only check that
 * their range lies inside it. The table is replaced whole, never changed in place.
 */
public final class BufferTable {
  /** The table of a ring with nothing registered. */
  public static final BufferTable EMPTY =
      new BufferTable(new long[0], new long[0], new UserMemory.Mapping[0]);

  private final long[] base;
  private final long[] length;

  /**
   * The mapping each buffer lies in, kept even if the application unmaps it later, as Linux pins
   * registered pages; null for a sparse slot.
   */
  private final UserMemory.Mapping[] mapping;

  private BufferTable(long[] base, long[] length, UserMemory.Mapping[] mapping) {
    this.base = base;
    this.length = length;
    this.mapping = mapping;
  }

  /**
   * Registers the buffers an iovec array in user memory describes.
   *
   * @param mem the process's memory
   * @param iovecs the user address of the array
   * @param count the number of iovecs
   * @param limit the most buffers a ring may register
   * @return the table
   * @throws ErrnoException {@code EINVAL} for a count of 0 or over the limit; {@code EFAULT} for
   *     unmapped memory or a buffer of 0 bytes or over 1 GiB
   */
  public static BufferTable register(UserMemory mem, long iovecs, int count, int limit) {
    if (count <= 0 || count > Math.min(limit, Limits.IORING_MAX_REG_BUFFERS)) {
      throw new ErrnoException(Errno.EINVAL, "buffer count " + Integer.toUnsignedString(count));
    }
    BufferTable table =
        new BufferTable(new long[count], new long[count], new UserMemory.Mapping[count]);
    if (iovecs == 0) {
      return table; // all sparse: IORING_REGISTER_BUFFERS2 with no array, as Linux
    }
    for (int i = 0; i < count; i++) {
      int err = table.set(mem, i, iovecs + (long) i * IovecLayout.SIZE);
      if (err < 0) {
        throw new ErrnoException(-err, "buffer " + i);
      }
    }
    return table;
  }

  /**
   * The table after {@code IORING_REGISTER_BUFFERS_UPDATE}, and how many slots it changed.
   *
   * @param table the new table (the old one is never changed: requests in flight keep it)
   * @param done the slots updated, counted from the first
   * @param errno the error that stopped the update early, or 0
   */
  public record Update(BufferTable table, int done, int errno) {}

  /**
   * Replaces slots {@code offset..offset + nr - 1} with the iovecs at {@code iovecs}, as Linux's
   * {@code __io_sqe_buffers_update}: an iovec of base 0 and length 0 empties its slot; the first
   * bad iovec stops the update, and the slots before it stay updated.
   *
   * @param mem the process's memory
   * @param offset the first slot
   * @param iovecs the user address of the iovec array
   * @param nr the number of slots
   * @return the new table, the count updated and the stopping error
   * @throws ErrnoException {@code EINVAL} for a range past the table
   */
  public Update update(UserMemory mem, int offset, long iovecs, int nr) {
    if (Integer.toUnsignedLong(offset) + Integer.toUnsignedLong(nr) > base.length) {
      throw new ErrnoException(Errno.EINVAL, "update past the buffer table");
    }
    BufferTable next = new BufferTable(base.clone(), length.clone(), mapping.clone());
    for (int i = 0; i < nr; i++) {
      int err = next.set(mem, offset + i, iovecs + (long) i * IovecLayout.SIZE);
      if (err < 0) {
        return new Update(next, i, -err);
      }
    }
    return new Update(next, nr, 0);
  }

  /**
   * Sets slot {@code i} from the iovec at {@code at}, as Linux's {@code io_buffer_validate} and
   * page pinning; returns 0 or {@code -EFAULT}. Only a table not yet published is changed.
   */
  private int set(UserMemory mem, int i, long at) {
    long b;
    long l;
    try {
      b = mem.getLong(at + IovecLayout.OFF_IOV_BASE);
      l = mem.getLong(at + IovecLayout.OFF_IOV_LEN);
    } catch (FaultException e) {
      return -Errno.EFAULT;
    }
    if (b == 0 && l == 0) {
      // A sparse slot: registered but unusable until updated, as Linux allows.
      base[i] = 0;
      length[i] = 0;
      mapping[i] = null;
      return 0;
    }
    if (b == 0 || l == 0 || Long.compareUnsigned(l, 1L << 30) > 0) {
      return -Errno.EFAULT; // Linux's io_buffer_validate: EFAULT, not EINVAL, for these
    }
    UserMemory.Mapping m = mem.find(b, l);
    if (m == null || m.readOnly()) {
      return -Errno.EFAULT; // Linux pins registered pages for writing, which read-only refuses
    }
    base[i] = b;
    length[i] = l;
    mapping[i] = m;
    return 0;
  }

  /**
   * Returns the number of registered buffers.
   *
   * @return the count
   */
  public int size() {
    return base.length;
  }

  /**
   * Returns a window over {@code [address, address + length)} of registered buffer {@code index},
   * or null where Linux gives {@code EFAULT}: no such buffer, or a range outside it.
   *
   * @param view the caller's reusable view
   * @param index the buffer index
   * @param address the user address the SQE names
   * @param len the byte count
   * @return the view's window, valid until its next use; or null
   */
  public ByteBuffer slice(UserMemory.View view, int index, long address, long len) {
    if (!has(index)) {
      return null;
    }
    long offset = address - base[index];
    // As io_import_fixed: the end must not overflow. offset + len could, for an address near
    // 2^63, and then pass the check with a window position taken from the wrapped sum.
    if (offset < 0 || len < 0 || offset > length[index] || len > length[index] - offset) {
      return null;
    }
    UserMemory.Mapping m = mapping[index];
    return view.at(m, (int) (base[index] - m.base() + offset), (int) len);
  }

  /**
   * Returns whether a buffer index names a registered buffer.
   *
   * @param index the index
   * @return true if it does
   */
  public boolean has(int index) {
    return index >= 0 && index < base.length && mapping[index] != null;
  }
}
