package iouring.core.ring;

import iouring.api.abi.CqeLayout;
import iouring.api.abi.SqeLayout;

/**
 * Where everything lives in ring memory: byte for byte gVisor's {@code iouringfs} layout, which is
 * Linux's {@code struct io_rings} with head and tail on cache lines of their own.
 *
 * <pre>{@code
 * rings region (mmap offsets IORING_OFF_SQ_RING and IORING_OFF_CQ_RING map the same bytes)
 *   0  sq.head   u32  kernel writes (release)        64  sq.tail   u32  application writes
 * 128  cq.head   u32  application writes            192  cq.tail   u32  kernel writes (release)
 * 256  sq_ring_mask  260 cq_ring_mask  264 sq_ring_entries  268 cq_ring_entries   (set at setup)
 * 272  sq_dropped    276 sq_flags      280 cq_flags         284 cq_overflow
 * 288  padding to the cache line
 * 320  cqes[C]       16 bytes each
 *   A  sq_array[S]   u32 each, A = cache-line round-up of 320 + 16 * C (absent with NO_SQARRAY)
 *
 * SQE region (mmap offset IORING_OFF_SQES)
 *   0  sqes[S]       64 bytes each
 * }</pre>
 *
 * Each region is a whole number of 4 KiB pages. gVisor sizes the rings region without the padding
 * before the SQ array; we include it, as its own notes recommend.
 */
public final class RingLayout {
  /** Offset of the SQ head, which the kernel advances. */
  public static final int SQ_HEAD = 0;

  /** Offset of the SQ tail, which the application advances. */
  public static final int SQ_TAIL = 64;

  /** Offset of the CQ head, which the application advances. */
  public static final int CQ_HEAD = 128;

  /** Offset of the CQ tail, which the kernel advances. */
  public static final int CQ_TAIL = 192;

  /** Offset of the SQ ring mask. */
  public static final int SQ_RING_MASK = 256;

  /** Offset of the CQ ring mask. */
  public static final int CQ_RING_MASK = 260;

  /** Offset of the SQ entry count. */
  public static final int SQ_RING_ENTRIES = 264;

  /** Offset of the CQ entry count. */
  public static final int CQ_RING_ENTRIES = 268;

  /** Offset of the count of SQ entries dropped for a bad index. */
  public static final int SQ_DROPPED = 272;

  /** Offset of the SQ flags ({@code IORING_SQ_*}), which the kernel writes. */
  public static final int SQ_FLAGS = 276;

  /** Offset of the CQ flags ({@code IORING_CQ_*}), which the application writes. */
  public static final int CQ_FLAGS = 280;

  /** Offset of the count of CQEs lost to overflow. */
  public static final int CQ_OVERFLOW = 284;

  /** Offset of the first CQE. */
  public static final int CQES = 320;

  private static final int CACHE_LINE = 64;
  private static final int PAGE = 4096;

  /** The SQ entry count. */
  final int sqEntries;

  /** The CQ entry count. */
  final int cqEntries;

  /** Offset of the SQ index array, or 0 when the ring has none. */
  final int sqArray;

  /** Size of the rings region in bytes. */
  final int ringsSize;

  /** Size of the SQE region in bytes. */
  final int sqesSize;

  /**
   * Computes the layout of a ring.
   *
   * @param sqEntries the SQ size, a power of two
   * @param cqEntries the CQ size, a power of two
   * @param withSqArray false for {@code IORING_SETUP_NO_SQARRAY}
   */
  public RingLayout(int sqEntries, int cqEntries, boolean withSqArray) {
    this.sqEntries = sqEntries;
    this.cqEntries = cqEntries;
    int cqesEnd = CQES + cqEntries * CqeLayout.SIZE;
    this.sqArray = withSqArray ? roundUp(cqesEnd, CACHE_LINE) : 0;
    this.ringsSize = roundUp(withSqArray ? sqArray + 4 * sqEntries : cqesEnd, PAGE);
    this.sqesSize = roundUp(sqEntries * SqeLayout.SIZE, PAGE);
  }

  /**
   * Returns the offset of the SQ index array, 0 when the ring has none.
   *
   * @return the offset
   */
  public int sqArray() {
    return sqArray;
  }

  /**
   * Returns the size of the rings region.
   *
   * @return bytes, a multiple of 4096
   */
  public int ringsSize() {
    return ringsSize;
  }

  /**
   * Returns the size of the SQE region.
   *
   * @return bytes, a multiple of 4096
   */
  public int sqesSize() {
    return sqesSize;
  }

  private static int roundUp(int n, int unit) {
    return (n + unit - 1) & -unit;
  }
}
