package iouring.api.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Tests the mask bits of {@link Statx}; the layout is covered by {@link LayoutTest}. */
class StatxTest {

  /** STATX_BASIC_STATS is the union of STATX_TYPE to STATX_BLOCKS. */
  @Test
  void basicStats() {
    int basic =
        Statx.STATX_TYPE
            | Statx.STATX_MODE
            | Statx.STATX_NLINK
            | Statx.STATX_UID
            | Statx.STATX_GID
            | Statx.STATX_ATIME
            | Statx.STATX_MTIME
            | Statx.STATX_CTIME
            | Statx.STATX_INO
            | Statx.STATX_SIZE
            | Statx.STATX_BLOCKS;
    assertEquals(0x7ff, basic);
    assertEquals(basic, Statx.STATX_BASIC_STATS);
    assertEquals(Statx.STATX_BASIC_STATS | Statx.STATX_BTIME, Statx.STATX_ALL);
  }

  /** The mask bits after BTIME have the uapi values. */
  @Test
  void newerMaskBits() {
    assertEquals(0x800, Statx.STATX_BTIME);
    assertEquals(0x1000, Statx.STATX_MNT_ID);
    assertEquals(0x2000, Statx.STATX_DIOALIGN);
    assertEquals(0x4000, Statx.STATX_MNT_ID_UNIQUE);
    assertEquals(0x8000, Statx.STATX_SUBVOL);
    assertEquals(0x10000, Statx.STATX_WRITE_ATOMIC);
    assertEquals(0x20000, Statx.STATX_DIO_READ_ALIGN);
    assertEquals(Integer.MIN_VALUE, Statx.STATX__RESERVED);
  }
}
