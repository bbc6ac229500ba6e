package iouring.api.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Tests {@link OpFlags}. */
class OpFlagsTest {

  /** Timeout flags and their masks. */
  @Test
  void timeout() {
    assertEquals(1, OpFlags.IORING_TIMEOUT_ABS);
    assertEquals(0x0c, OpFlags.IORING_TIMEOUT_CLOCK_MASK);
    assertEquals(0x12, OpFlags.IORING_TIMEOUT_UPDATE_MASK);
    assertEquals(0x20, OpFlags.IORING_TIMEOUT_ETIME_SUCCESS);
    assertEquals(0x40, OpFlags.IORING_TIMEOUT_MULTISHOT);
  }

  /** Splice, poll, cancel and MSG_RING flags. */
  @Test
  void perOpFlags() {
    assertEquals(0x80000000, OpFlags.SPLICE_F_FD_IN_FIXED);
    assertEquals(8, OpFlags.SPLICE_F_GIFT);
    assertEquals(8, OpFlags.IORING_POLL_ADD_LEVEL);
    assertEquals(
        0x3f,
        OpFlags.IORING_ASYNC_CANCEL_ALL
            | OpFlags.IORING_ASYNC_CANCEL_FD
            | OpFlags.IORING_ASYNC_CANCEL_ANY
            | OpFlags.IORING_ASYNC_CANCEL_FD_FIXED
            | OpFlags.IORING_ASYNC_CANCEL_USERDATA
            | OpFlags.IORING_ASYNC_CANCEL_OP);
    assertEquals(0, OpFlags.IORING_MSG_DATA);
    assertEquals(1, OpFlags.IORING_MSG_SEND_FD);
    assertEquals(2, OpFlags.IORING_MSG_RING_FLAGS_PASS);
  }

  /** NOP flags are bits 0 to 5. */
  @Test
  void nop() {
    assertEquals(
        0x3f,
        OpFlags.IORING_NOP_INJECT_RESULT
            | OpFlags.IORING_NOP_FILE
            | OpFlags.IORING_NOP_FIXED_FILE
            | OpFlags.IORING_NOP_FIXED_BUFFER
            | OpFlags.IORING_NOP_TW
            | OpFlags.IORING_NOP_CQE32);
    assertEquals(1 << 5, OpFlags.IORING_NOP_CQE32);
  }

  /** Special descriptor and index values. */
  @Test
  void specialValues() {
    assertEquals(~0, OpFlags.IORING_FILE_INDEX_ALLOC);
    assertEquals(0xffffffffL, Integer.toUnsignedLong(OpFlags.IORING_FILE_INDEX_ALLOC));
    assertEquals(-2, OpFlags.IORING_REGISTER_FILES_SKIP);
    assertEquals(1, OpFlags.IORING_RSRC_REGISTER_SPARSE);
    assertEquals(1, OpFlags.IO_URING_OP_SUPPORTED);
    assertEquals(3, OpFlags.IORING_RESTRICTION_SQE_FLAGS_REQUIRED);
  }

  /** RWF flags have the fs.h values and RWF_SUPPORTED is their union. */
  @Test
  void rwf() {
    int[] bits = {
      OpFlags.RWF_HIPRI,
      OpFlags.RWF_DSYNC,
      OpFlags.RWF_SYNC,
      OpFlags.RWF_NOWAIT,
      OpFlags.RWF_APPEND,
      OpFlags.RWF_NOAPPEND,
      OpFlags.RWF_ATOMIC,
      OpFlags.RWF_DONTCACHE,
      OpFlags.RWF_NOSIGNAL,
    };
    int all = 0;
    for (int i = 0; i < bits.length; i++) {
      assertEquals(1 << i, bits[i], "RWF bit " + i);
      all |= bits[i];
    }
    assertEquals(all, OpFlags.RWF_SUPPORTED);
    assertEquals(0x1ff, OpFlags.RWF_SUPPORTED);
  }
}
