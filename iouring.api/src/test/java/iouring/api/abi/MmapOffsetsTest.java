package iouring.api.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Tests {@link MmapOffsets} and {@link Limits}. */
class MmapOffsetsTest {

  /** Each ring offset selects a distinct value under the mmap mask. */
  @Test
  void offsetsUnderMask() {
    long mask = MmapOffsets.IORING_OFF_MMAP_MASK;
    assertEquals(0L, MmapOffsets.IORING_OFF_SQ_RING & mask);
    assertEquals(0x8000000L, MmapOffsets.IORING_OFF_CQ_RING & mask);
    assertEquals(0x10000000L, MmapOffsets.IORING_OFF_SQES & mask);
    long pbuf = MmapOffsets.IORING_OFF_PBUF_RING | (7L << MmapOffsets.IORING_OFF_PBUF_SHIFT);
    assertEquals(MmapOffsets.IORING_OFF_PBUF_RING, pbuf & mask);
    assertEquals(7L, (pbuf & ~mask) >>> MmapOffsets.IORING_OFF_PBUF_SHIFT);
    assertEquals(0xf8000000L, mask);
  }

  /** Kernel limits. */
  @Test
  void limits() {
    assertEquals(32768, Limits.IORING_MAX_ENTRIES);
    assertEquals(65536, Limits.IORING_MAX_CQ_ENTRIES);
    assertEquals(1024, Limits.UIO_MAXIOV);
    assertEquals(Integer.MAX_VALUE & ~4095, Limits.MAX_RW_COUNT);
    assertEquals(16384, Limits.IORING_MAX_REG_BUFFERS);
    assertEquals(1048576, Limits.IORING_MAX_FIXED_FILES);
  }
}
