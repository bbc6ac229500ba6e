package iouring.api.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests the single-bit flag classes: IOSQE, setup, enter, features, ring and CQE flags. */
class BitFlagsTest {

  /**
   * Asserts that each constant is one distinct bit and returns their union.
   *
   * @param flags the constants by name
   * @return the or of all values
   */
  private static int assertDistinctBits(Map<String, Integer> flags) {
    int all = 0;
    for (Map.Entry<String, Integer> e : flags.entrySet()) {
      int v = e.getValue();
      assertEquals(1, Integer.bitCount(v), e.getKey() + " is a single bit");
      assertEquals(0, all & v, e.getKey() + " is distinct");
      all |= v;
    }
    return all;
  }

  /** IOSQE flags are bits 0 to 6 and IOSQE_VALID_MASK is their union. */
  @Test
  void sqeFlags() {
    Map<String, Integer> flags = AbiReflection.intConstants(SqeFlags.class, "IOSQE_");
    flags.remove("IOSQE_VALID_MASK");
    assertEquals(7, flags.size());
    assertEquals(SqeFlags.IOSQE_VALID_MASK, assertDistinctBits(flags));
    assertEquals(0x7f, SqeFlags.IOSQE_VALID_MASK);
    assertEquals(0x04, SqeFlags.IOSQE_IO_LINK);
    assertEquals(0x08, SqeFlags.IOSQE_IO_HARDLINK);
    assertEquals(0x40, SqeFlags.IOSQE_CQE_SKIP_SUCCESS);
  }

  /** Setup flags are bits 0 to 18, ending with CQE_MIXED. */
  @Test
  void setupFlags() {
    Map<String, Integer> flags = AbiReflection.intConstants(SetupFlags.class, "");
    assertEquals(19, flags.size());
    assertEquals((1 << 19) - 1, assertDistinctBits(flags));
    assertEquals(1 << 10, SetupFlags.IORING_SETUP_SQE128);
    assertEquals(1 << 13, SetupFlags.IORING_SETUP_DEFER_TASKRUN);
    assertEquals(1 << 16, SetupFlags.IORING_SETUP_NO_SQARRAY);
    assertEquals(1 << 18, SetupFlags.IORING_SETUP_CQE_MIXED);
  }

  /** Enter flags are bits 0 to 7. */
  @Test
  void enterFlags() {
    Map<String, Integer> flags = AbiReflection.intConstants(EnterFlags.class, "");
    assertEquals(8, flags.size());
    assertEquals(0xff, assertDistinctBits(flags));
    assertEquals(1 << 3, EnterFlags.IORING_ENTER_EXT_ARG);
    assertEquals(1 << 7, EnterFlags.IORING_ENTER_NO_IOWAIT);
  }

  /** Feature bits are 0 to 17, the 0x3ffff that Linux 6.18 reports. */
  @Test
  void features() {
    Map<String, Integer> flags = AbiReflection.intConstants(Features.class, "");
    assertEquals(18, flags.size());
    assertEquals(0x3ffff, assertDistinctBits(flags));
    assertEquals(1, Features.IORING_FEAT_SINGLE_MMAP);
    assertEquals(1 << 17, Features.IORING_FEAT_NO_IOWAIT);
  }

  /** SQ ring flags are bits 0 to 2 and the CQ ring flag is bit 0. */
  @Test
  void ringFlags() {
    assertEquals(
        0x7, assertDistinctBits(AbiReflection.intConstants(RingFlags.class, "IORING_SQ_")));
    assertEquals(1, RingFlags.IORING_CQ_EVENTFD_DISABLED);
  }

  /** CQE flags have the header values and the buffer ID lives above bit 16. */
  @Test
  void cqeFlags() {
    Map<String, Integer> flags = AbiReflection.intConstants(CqeFlags.class, "IORING_CQE_F_");
    assertEquals(7, flags.size());
    assertEquals(0x803f, assertDistinctBits(flags));
    assertEquals(0x8000, CqeFlags.IORING_CQE_F_32);
    assertEquals(16, CqeFlags.IORING_CQE_BUFFER_SHIFT);
    int flagsWord = CqeFlags.IORING_CQE_F_BUFFER | (0xbeef << CqeFlags.IORING_CQE_BUFFER_SHIFT);
    assertEquals(0xbeef, flagsWord >>> CqeFlags.IORING_CQE_BUFFER_SHIFT);
    assertTrue((flagsWord & CqeFlags.IORING_CQE_F_BUFFER) != 0);
  }
}
