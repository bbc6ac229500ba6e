package iouring.api.abi;

/**
 * Magic {@code mmap(2)} offsets ({@code IORING_OFF_*}) that select which part of a ring to map.
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18. The offsets are 64-bit in the
 * header ({@code ULL}), so they are {@code long} here. The kernel switches on {@code offset &
 * IORING_OFF_MMAP_MASK} and rejects any other offset with {@code -EINVAL}.
 */
public final class MmapOffsets {

  /** Maps the SQ ring header and SQ index array, and with IORING_FEAT_SINGLE_MMAP the CQ ring. */
  public static final long IORING_OFF_SQ_RING = 0L;

  /** Maps the CQ ring header and the CQE array. */
  public static final long IORING_OFF_CQ_RING = 0x8000000L;

  /** Maps the SQE array. */
  public static final long IORING_OFF_SQES = 0x10000000L;

  /** Maps a kernel-allocated provided-buffer ring, or-ed with bgid shifted by 16. */
  public static final long IORING_OFF_PBUF_RING = 0x80000000L;

  /** Shift that places the buffer group ID into an IORING_OFF_PBUF_RING offset. */
  public static final int IORING_OFF_PBUF_SHIFT = 16;

  /** Mask of the offset bits that select the mapping type. */
  public static final long IORING_OFF_MMAP_MASK = 0xf8000000L;

  /** Not instantiable: this class only holds constants. */
  private MmapOffsets() {}
}
