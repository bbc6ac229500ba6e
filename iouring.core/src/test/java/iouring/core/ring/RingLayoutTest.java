package iouring.core.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RingLayoutTest {

  /** gVisor's SQ array offsets, {@code CacheLineRoundUp(320 + 16 * C)} with C = 2S. */
  @Test
  void sqArrayOffsetsAreGvisors() {
    int[][] expected = {{1, 384}, {2, 384}, {4, 448}, {8, 576}, {16, 832}, {64, 2368}};
    for (int[] row : expected) {
      RingLayout layout = new RingLayout(row[0], 2 * row[0], true);
      assertEquals(row[1], layout.sqArray(), "S=" + row[0]);
    }
  }

  @Test
  void sqArrayIsCacheLineAligned() {
    for (int s = 1; s <= 32768; s <<= 1) {
      assertEquals(0, new RingLayout(s, 2 * s, true).sqArray() % 64, "S=" + s);
      assertEquals(0, new RingLayout(s, 4 * s, true).sqArray() % 64, "S=" + s + " C=4S");
    }
  }

  @Test
  void regionsArePageAlignedAndHoldEverything() {
    for (int s = 1; s <= 32768; s <<= 1) {
      for (int c : new int[] {s, 2 * s}) {
        RingLayout layout = new RingLayout(s, c, true);
        assertEquals(0, layout.ringsSize() % 4096, "S=" + s + " C=" + c);
        assertEquals(0, layout.sqesSize() % 4096, "S=" + s);
        assertTrue(layout.ringsSize() >= layout.sqArray() + 4 * s, "S=" + s + " C=" + c);
        assertTrue(layout.sqArray() >= RingLayout.CQES + 16 * c, "S=" + s + " C=" + c);
        assertTrue(layout.ringsSize() - 4096 < layout.sqArray() + 4 * s, "no spare page");
        assertEquals(Math.max(4096, 64 * s), layout.sqesSize(), "S=" + s);
      }
    }
  }

  @Test
  void largestRingHasGvisorsSize() {
    RingLayout layout = new RingLayout(32768, 65536, true);
    assertEquals(320 + 65536 * 16, layout.sqArray());
    assertEquals(1_183_744, layout.ringsSize());
    assertEquals(2 << 20, layout.sqesSize());
  }

  @Test
  void withoutSqArrayTheRingsEndAfterTheCqes() {
    RingLayout layout = new RingLayout(64, 128, false);
    assertEquals(0, layout.sqArray());
    assertEquals(4096, layout.ringsSize());
    RingLayout big = new RingLayout(256, 256, false);
    assertEquals(8192, big.ringsSize(), "320 + 256 * 16 bytes");
  }

  @Test
  void headerFieldsSitWhereGvisorPutsThem() {
    assertEquals(0, RingLayout.SQ_HEAD);
    assertEquals(64, RingLayout.SQ_TAIL);
    assertEquals(128, RingLayout.CQ_HEAD);
    assertEquals(192, RingLayout.CQ_TAIL);
    assertEquals(256, RingLayout.SQ_RING_MASK);
    assertEquals(260, RingLayout.CQ_RING_MASK);
    assertEquals(264, RingLayout.SQ_RING_ENTRIES);
    assertEquals(268, RingLayout.CQ_RING_ENTRIES);
    assertEquals(272, RingLayout.SQ_DROPPED);
    assertEquals(276, RingLayout.SQ_FLAGS);
    assertEquals(280, RingLayout.CQ_FLAGS);
    assertEquals(284, RingLayout.CQ_OVERFLOW);
    assertEquals(320, RingLayout.CQES);
  }

  /**
   * gVisor's TestRoundUpPowerOfTwo. Its uint32 cases at 2^31 are out of range for the int version,
   * documented for n up to 2^30; they are checked at that boundary instead.
   */
  @Test
  void roundUpPowerOfTwo() {
    int[][] cases = {
      {0, 1},
      {1, 1},
      {2, 2},
      {3, 4},
      {4, 4},
      {5, 8},
      {6, 8},
      {7, 8},
      {8, 8},
      {1 << 30, 1 << 30},
      {(1 << 30) - 1, 1 << 30},
      {(1 << 29) + 1, 1 << 30},
      {32767, 32768},
      {32768, 32768},
      {65535, 65536},
    };
    for (int[] c : cases) {
      assertEquals(c[1], Ring.roundUpPowerOfTwo(c[0]), "roundUpPowerOfTwo(" + c[0] + ")");
    }
  }
}
