package iouring.api;

import iouring.api.abi.BufRingLayout;
import iouring.api.abi.RegisterOpcodes;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A ring of provided buffers mapped in the process ({@code IORING_REGISTER_PBUF_RING}), as
 * liburing's {@code io_uring_buf_ring} with {@code io_uring_setup_buf_ring}, {@code
 * io_uring_buf_ring_add}, {@code io_uring_buf_ring_advance} and {@code io_uring_free_buf_ring}.
 * Requests with {@code IOSQE_BUFFER_SELECT} and {@code buf_group} = {@link #bgid()} take its
 * buffers in the order added; a CQE carrying {@code IORING_CQE_F_BUFFER} names the buffer's id in
 * its upper 16 bits.
 *
 * <p>Not thread-safe: one thread adds and advances, as with liburing.
 */
public final class BufRing implements AutoCloseable {
  private final IoUring ring;
  private final int bgid;
  private final int mask;
  private final ByteBuffer entries;
  private final long address;
  private int tail;
  private boolean closed;

  BufRing(IoUring ring, int count, int bgid) {
    if (count <= 0 || (count & (count - 1)) != 0 || count >= 65536) {
      throw new IllegalArgumentException("entries must be a power of two below 65536: " + count);
    }
    this.ring = ring;
    this.bgid = bgid;
    this.mask = count - 1;
    this.entries =
        ByteBuffer.allocateDirect(count * BufRingLayout.SIZE).order(ByteOrder.nativeOrder());
    this.address = ring.process().memory().map(entries);
    try {
      register(RegisterOpcodes.IORING_REGISTER_PBUF_RING, address, count);
    } catch (RuntimeException e) {
      ring.process().memory().unmap(address);
      throw e;
    }
  }

  /**
   * Calls {@code opcode} with a {@code struct io_uring_buf_reg} for this group, mapped for the call
   * only (the kernel copies it).
   */
  private void register(int opcode, long ringAddress, int count) {
    IoUringProcess process = ring.process();
    ByteBuffer reg =
        ByteBuffer.allocateDirect(BufRingLayout.REG_SIZE).order(ByteOrder.nativeOrder());
    reg.putLong(BufRingLayout.REG_OFF_RING_ADDR, ringAddress);
    reg.putInt(BufRingLayout.REG_OFF_RING_ENTRIES, count);
    reg.putShort(BufRingLayout.REG_OFF_BGID, (short) bgid);
    long regAddress = process.memory().map(reg);
    try {
      process.register(ring.ringFd(), opcode, regAddress, 1);
    } finally {
      process.memory().unmap(regAddress);
    }
  }

  /**
   * Returns the buffer group requests name in {@code buf_group}.
   *
   * @return the group id
   */
  public int bgid() {
    return bgid;
  }

  /**
   * Writes a buffer into the slot {@code offset} places past the local tail, as {@code
   * io_uring_buf_ring_add}; the kernel sees it after {@link #advance(int)}.
   *
   * @param addr the buffer's user address (in memory mapped in the process)
   * @param len its length
   * @param bid the buffer id the CQE will carry, 0..65535
   * @param offset the slot past the tail, 0 for the first buffer of a batch
   */
  public void add(long addr, int len, int bid, int offset) {
    int at = ((tail + offset) & mask) * BufRingLayout.SIZE;
    entries.putLong(at + BufRingLayout.OFF_ADDR, addr);
    entries.putInt(at + BufRingLayout.OFF_LEN, len);
    entries.putShort(at + BufRingLayout.OFF_BID, (short) bid);
  }

  /**
   * Publishes {@code count} buffers added since the last advance, as {@code
   * io_uring_buf_ring_advance}: a release store of the new tail.
   *
   * @param count the number of buffers added
   */
  public void advance(int count) {
    tail = (tail + count) & 0xffff;
    VarHandle.releaseFence();
    entries.putShort(BufRingLayout.OFF_TAIL, (short) tail);
  }

  /**
   * Unregisters the ring and unmaps its memory, as {@code io_uring_free_buf_ring}; a second call
   * does nothing.
   *
   * @throws ErrnoException what {@code io_uring_register(2)} throws; the memory is unmapped anyway
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      register(RegisterOpcodes.IORING_UNREGISTER_PBUF_RING, 0, 0);
    } finally {
      ring.process().memory().unmap(address);
    }
  }
}
