package iouring.core.rsrc;

import iouring.api.ErrnoException;
import iouring.api.abi.Errno;
import iouring.api.abi.IovecLayout;
import iouring.api.abi.Limits;
import iouring.core.mem.FaultException;
import iouring.core.mem.UserMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A ring's registered buffers ({@code IORING_REGISTER_BUFFERS}): each an iovec whose memory was
 * checked once at registration, so that {@code READ_FIXED} and {@code WRITE_FIXED} only check that
 * their range lies inside it. The table is replaced whole, never changed in place.
 */
public final class BufferTable {
  /** The table of a ring with nothing registered. */
  public static final BufferTable EMPTY = new BufferTable(new long[0], new ByteBuffer[0]);

  private final long[] base;
  private final ByteBuffer[] memory;

  private BufferTable(long[] base, ByteBuffer[] memory) {
    this.base = base;
    this.memory = memory;
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
    ByteBuffer[] memory = new ByteBuffer[count];
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
        ByteBuffer slice = mem.slice(b, (int) l, false);
        if (slice == null) {
          throw new ErrnoException(Errno.EFAULT, "buffer " + i + " is not mapped");
        }
        base[i] = b;
        memory[i] = slice;
      }
    } catch (FaultException e) {
      throw new ErrnoException(Errno.EFAULT, "iovec array is not mapped");
    }
    return new BufferTable(base, memory);
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
   * Returns a buffer over {@code [address, address + length)} of registered buffer {@code index},
   * or null where Linux gives {@code EFAULT}: no such buffer, or a range outside it.
   *
   * @param index the buffer index
   * @param address the user address the SQE names
   * @param length the byte count
   * @return a new native-order buffer with position 0 and limit {@code length}, or null
   */
  public ByteBuffer slice(int index, long address, long length) {
    if (index < 0 || index >= base.length || memory[index] == null) {
      return null;
    }
    ByteBuffer whole = memory[index];
    long offset = address - base[index];
    if (offset < 0 || length < 0 || offset + length > whole.capacity()) {
      return null;
    }
    return whole.slice((int) offset, (int) length).order(ByteOrder.nativeOrder());
  }

  /**
   * Returns whether a buffer index names a registered buffer.
   *
   * @param index the index
   * @return true if it does
   */
  public boolean has(int index) {
    return index >= 0 && index < base.length && memory[index] != null;
  }
}
