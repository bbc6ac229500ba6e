package iouring.api.abi;

/**
 * Byte offsets of a provided-buffer ring: its entries ({@code struct io_uring_buf}, the {@code
 * OFF_*} constants) and its registration argument ({@code struct io_uring_buf_reg}, the {@code
 * REG_*} constants).
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18. A ring is an array of entries;
 * {@code struct io_uring_buf_ring} overlays the u16 ring tail on the {@code resv} field of entry 0,
 * so the tail sits at byte {@link #OFF_TAIL} of the ring.
 *
 * <pre>{@code
 * io_uring_buf (16 bytes), entry i at byte 16 * i of the ring
 * byte  0                 8         12        14                 16
 *       +-----------------+---------+---------+------------------+
 *       | addr (u64)      | len u32 | bid u16 | resv u16         |  entry 0: resv is the tail
 *       +-----------------+---------+---------+------------------+
 *
 * io_uring_buf_reg (40 bytes)
 * byte  0                 8                  12       14        16                     40
 *       +-----------------+------------------+--------+---------+----------------------+
 *       | ring_addr (u64) | ring_entries u32 | bgid   | flags   | resv (24 bytes)      |
 *       +-----------------+------------------+--------+---------+----------------------+
 * }</pre>
 */
public final class BufRingLayout {

  /** Size of struct io_uring_buf, one ring entry, in bytes. */
  public static final int SIZE = 16;

  /** Offset in io_uring_buf of addr, the u64 start address of the buffer. */
  public static final int OFF_ADDR = 0;

  /** Offset in io_uring_buf of len, the u32 length of the buffer. */
  public static final int OFF_LEN = 8;

  /** Offset in io_uring_buf of bid, the u16 buffer ID reported in the CQE flags. */
  public static final int OFF_BID = 12;

  /** Offset in io_uring_buf of resv, a u16 the kernel ignores except in entry 0. */
  public static final int OFF_RESV = 14;

  /** Offset from the ring start of tail, the u16 that overlays resv of entry 0. */
  public static final int OFF_TAIL = 14;

  /** Size of struct io_uring_buf_reg in bytes. */
  public static final int REG_SIZE = 40;

  /** Offset in io_uring_buf_reg of ring_addr, the u64 page-aligned ring address, or 0. */
  public static final int REG_OFF_RING_ADDR = 0;

  /** Offset in io_uring_buf_reg of ring_entries, the u32 power-of-two entry count. */
  public static final int REG_OFF_RING_ENTRIES = 8;

  /** Offset in io_uring_buf_reg of bgid, the u16 buffer group ID. */
  public static final int REG_OFF_BGID = 12;

  /** Offset in io_uring_buf_reg of flags, a u16 of IOU_PBUF_RING_* bits. */
  public static final int REG_OFF_FLAGS = 14;

  /**
   * Offset in io_uring_buf_reg of resv, three u64 that must be zero in Linux 6.18.
   *
   * <p>Kernels after 6.18 turn its first four bytes into {@code min_left}, a u32.
   */
  public static final int REG_OFF_RESV = 16;

  /** Not instantiable: this class only holds constants. */
  private BufRingLayout() {}
}
