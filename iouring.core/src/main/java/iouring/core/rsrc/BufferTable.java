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
    long[] base = new long[count];
    long[] length = new long[count];
    UserMemory.Mapping[] mapping = new UserMemory.Mapping[count];
    try {
      for (int i = 0; i < count; i++) {
        long at = iovecs + (long) i * IovecLayout.SIZE;
        long b = mem.getLong(at + IovecLayout.OFF_IOV_BASE);
        long l = mem.getLong(at + IovecLayout.OFF_IOV_LEN);
        if (b == 0 && l == 0) {
          // A sparse slot: registered but unusable until updated, as Linux allows.
          continue;
        }
        if (b == 0 || l == 0 || Long.compareUnsigned(l, 1L << 30) > 0) {
          // Linux's io_validate_user_buf_range: EFAULT, not EINVAL, for these.
          throw new ErrnoException(Errno.EFAULT, "buffer " + i + " length " + l);
        }
        UserMemory.Mapping m = mem.find(b, l);
        if (m == null || m.readOnly()) {
          // Linux pins registered pages for writing, which read-only memory refuses.
          throw new ErrnoException(Errno.EFAULT, "buffer " + i + " is not mapped writable");
        }
        base[i] = b;
        length[i] = l;
        mapping[i] = m;
      }
    } catch (FaultException e) {
      throw new ErrnoException(Errno.EFAULT, "iovec array is not mapped");
    }
    return new BufferTable(base, length, mapping);
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
