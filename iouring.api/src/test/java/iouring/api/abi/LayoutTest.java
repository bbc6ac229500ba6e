package iouring.api.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Checks that the struct layout constants tile each struct exactly. */
class LayoutTest {

  /**
   * Returns a field as an offset and a width in bytes.
   *
   * @param offset the byte offset
   * @param width the width in bytes
   * @return the pair
   */
  private static int[] f(int offset, int width) {
    return new int[] {offset, width};
  }

  /**
   * Asserts that fields start at 0, follow each other without gap or overlap, and end at size.
   *
   * @param what the struct name for messages
   * @param size the struct size
   * @param fields the fields in increasing order
   */
  private static void assertContiguous(String what, int size, int[]... fields) {
    int expected = 0;
    for (int[] field : fields) {
      assertEquals(expected, field[0], what + ": field at " + field[0]);
      assertTrue(field[1] > 0, what + ": width");
      expected = field[0] + field[1];
    }
    assertEquals(size, expected, what + ": size");
  }

  /**
   * Asserts the exact set of constant names at each offset.
   *
   * @param type the layout class
   * @param prefix the prefix of the offset constants
   * @param expected the offsets and, for each, the names that must hold it
   */
  private static void assertSlots(
      Class<?> type, String prefix, Map<Integer, Set<String>> expected) {
    Map<Integer, TreeSet<String>> actual = AbiReflection.namesByValue(type, prefix);
    Map<Integer, TreeSet<String>> want = new TreeMap<>();
    for (Map.Entry<Integer, Set<String>> e : expected.entrySet()) {
      want.put(e.getKey(), new TreeSet<>(e.getValue()));
    }
    assertEquals(want, actual, type.getSimpleName() + " " + prefix);
  }

  /** Every layout constant lies inside the struct it describes. */
  @Test
  void offsetsLieInsideTheirStruct() {
    Object[][] groups = {
      {SqeLayout.class, "OFF_", SqeLayout.SIZE},
      {CqeLayout.class, "OFF_", CqeLayout.SIZE_CQE32},
      {ParamsLayout.class, "OFF_", ParamsLayout.SIZE},
      {ParamsLayout.class, "SQ_OFF_", ParamsLayout.RING_OFFSETS_SIZE},
      {ParamsLayout.class, "CQ_OFF_", ParamsLayout.RING_OFFSETS_SIZE},
      {IovecLayout.class, "OFF_", IovecLayout.SIZE},
      {TimespecLayout.class, "OFF_", TimespecLayout.SIZE},
      {GeteventsArgLayout.class, "OFF_", GeteventsArgLayout.SIZE},
      {ProbeLayout.class, "OFF_", ProbeLayout.SIZE + ProbeLayout.OP_SIZE},
      {ProbeLayout.class, "OP_OFF_", ProbeLayout.OP_SIZE},
      {RsrcLayout.class, "REGISTER_OFF_", RsrcLayout.REGISTER_SIZE},
      {RsrcLayout.class, "UPDATE_OFF_", RsrcLayout.UPDATE_SIZE},
      {RsrcLayout.class, "UPDATE2_OFF_", RsrcLayout.UPDATE2_SIZE},
      {OpenHowLayout.class, "OFF_", OpenHowLayout.SIZE},
      {RestrictionLayout.class, "OFF_", RestrictionLayout.SIZE},
      {BufRingLayout.class, "OFF_", BufRingLayout.SIZE},
      {BufRingLayout.class, "REG_OFF_", BufRingLayout.REG_SIZE},
      {Statx.class, "OFF_STX_", Statx.STATX_SIZE_BYTES},
      {Statx.class, "OFF_TS_", Statx.STATX_TIMESTAMP_SIZE},
    };
    for (Object[] g : groups) {
      Class<?> type = (Class<?>) g[0];
      String prefix = (String) g[1];
      int size = (Integer) g[2];
      Map<String, Integer> offsets = AbiReflection.intConstants(type, prefix);
      assertTrue(!offsets.isEmpty(), type.getSimpleName() + " " + prefix);
      for (Map.Entry<String, Integer> e : offsets.entrySet()) {
        int off = e.getValue();
        assertTrue(off >= 0 && off < size, type.getSimpleName() + "." + e.getKey() + "=" + off);
      }
    }
  }

  /** struct io_uring_sqe is 64 bytes and every union member sits in its slot. */
  @Test
  void sqe() {
    assertContiguous(
        "io_uring_sqe",
        SqeLayout.SIZE,
        f(SqeLayout.OFF_OPCODE, 1),
        f(SqeLayout.OFF_FLAGS, 1),
        f(SqeLayout.OFF_IOPRIO, 2),
        f(SqeLayout.OFF_FD, 4),
        f(SqeLayout.OFF_OFF, 8),
        f(SqeLayout.OFF_ADDR, 8),
        f(SqeLayout.OFF_LEN, 4),
        f(SqeLayout.OFF_OP_FLAGS, 4),
        f(SqeLayout.OFF_USER_DATA, 8),
        f(SqeLayout.OFF_BUF_INDEX, 2),
        f(SqeLayout.OFF_PERSONALITY, 2),
        f(SqeLayout.OFF_SPLICE_FD_IN, 4),
        f(SqeLayout.OFF_ADDR3, 8),
        f(SqeLayout.OFF_PAD2, 8));
    assertContiguous("cmd_op", 8, f(SqeLayout.OFF_CMD_OP - 8, 4), f(SqeLayout.OFF_PAD1 - 8, 4));
    assertContiguous("level", 8, f(SqeLayout.OFF_LEVEL - 16, 4), f(SqeLayout.OFF_OPTNAME - 16, 4));
    assertContiguous(
        "addr_len", 4, f(SqeLayout.OFF_ADDR_LEN - 44, 2), f(SqeLayout.OFF_PAD3 - 44, 2));
    assertEquals(128, SqeLayout.SIZE_SQE128);
    assertEquals(SqeLayout.SIZE_SQE128, SqeLayout.OFF_CMD + SqeLayout.CMD_SIZE_SQE128);
    assertSlots(
        SqeLayout.class,
        "OFF_",
        Map.ofEntries(
            Map.entry(0, Set.of("OFF_OPCODE")),
            Map.entry(1, Set.of("OFF_FLAGS")),
            Map.entry(2, Set.of("OFF_IOPRIO")),
            Map.entry(4, Set.of("OFF_FD")),
            Map.entry(8, Set.of("OFF_OFF", "OFF_ADDR2", "OFF_CMD_OP")),
            Map.entry(12, Set.of("OFF_PAD1")),
            Map.entry(16, Set.of("OFF_ADDR", "OFF_SPLICE_OFF_IN", "OFF_LEVEL")),
            Map.entry(20, Set.of("OFF_OPTNAME")),
            Map.entry(24, Set.of("OFF_LEN")),
            Map.entry(
                28,
                Set.of(
                    "OFF_OP_FLAGS",
                    "OFF_RW_FLAGS",
                    "OFF_FSYNC_FLAGS",
                    "OFF_POLL_EVENTS",
                    "OFF_POLL32_EVENTS",
                    "OFF_SYNC_RANGE_FLAGS",
                    "OFF_MSG_FLAGS",
                    "OFF_TIMEOUT_FLAGS",
                    "OFF_ACCEPT_FLAGS",
                    "OFF_CANCEL_FLAGS",
                    "OFF_OPEN_FLAGS",
                    "OFF_STATX_FLAGS",
                    "OFF_FADVISE_ADVICE",
                    "OFF_SPLICE_FLAGS",
                    "OFF_RENAME_FLAGS",
                    "OFF_UNLINK_FLAGS",
                    "OFF_HARDLINK_FLAGS",
                    "OFF_XATTR_FLAGS",
                    "OFF_MSG_RING_FLAGS",
                    "OFF_URING_CMD_FLAGS",
                    "OFF_WAITID_FLAGS",
                    "OFF_FUTEX_FLAGS",
                    "OFF_INSTALL_FD_FLAGS",
                    "OFF_NOP_FLAGS",
                    "OFF_PIPE_FLAGS")),
            Map.entry(32, Set.of("OFF_USER_DATA")),
            Map.entry(40, Set.of("OFF_BUF_INDEX", "OFF_BUF_GROUP")),
            Map.entry(42, Set.of("OFF_PERSONALITY")),
            Map.entry(
                44,
                Set.of(
                    "OFF_SPLICE_FD_IN",
                    "OFF_FILE_INDEX",
                    "OFF_ZCRX_IFQ_IDX",
                    "OFF_OPTLEN",
                    "OFF_ADDR_LEN")),
            Map.entry(46, Set.of("OFF_PAD3")),
            Map.entry(48, Set.of("OFF_ADDR3", "OFF_ATTR_PTR", "OFF_OPTVAL", "OFF_CMD")),
            Map.entry(56, Set.of("OFF_PAD2", "OFF_ATTR_TYPE_MASK"))));
  }

  /** struct io_uring_cqe is 16 bytes, 32 with the big_cqe words. */
  @Test
  void cqe() {
    assertContiguous(
        "io_uring_cqe",
        CqeLayout.SIZE,
        f(CqeLayout.OFF_USER_DATA, 8),
        f(CqeLayout.OFF_RES, 4),
        f(CqeLayout.OFF_FLAGS, 4));
    assertContiguous(
        "io_uring_cqe (CQE32)",
        CqeLayout.SIZE_CQE32,
        f(CqeLayout.OFF_USER_DATA, 8),
        f(CqeLayout.OFF_RES, 4),
        f(CqeLayout.OFF_FLAGS, 4),
        f(CqeLayout.OFF_BIG_CQE, 16));
  }

  /** struct io_uring_params and its two nested offset structs. */
  @Test
  void params() {
    assertContiguous(
        "io_uring_params",
        ParamsLayout.SIZE,
        f(ParamsLayout.OFF_SQ_ENTRIES, 4),
        f(ParamsLayout.OFF_CQ_ENTRIES, 4),
        f(ParamsLayout.OFF_FLAGS, 4),
        f(ParamsLayout.OFF_SQ_THREAD_CPU, 4),
        f(ParamsLayout.OFF_SQ_THREAD_IDLE, 4),
        f(ParamsLayout.OFF_FEATURES, 4),
        f(ParamsLayout.OFF_WQ_FD, 4),
        f(ParamsLayout.OFF_RESV, 12),
        f(ParamsLayout.OFF_SQ_OFF, ParamsLayout.RING_OFFSETS_SIZE),
        f(ParamsLayout.OFF_CQ_OFF, ParamsLayout.RING_OFFSETS_SIZE));
    assertContiguous(
        "io_sqring_offsets",
        ParamsLayout.RING_OFFSETS_SIZE,
        f(ParamsLayout.SQ_OFF_HEAD, 4),
        f(ParamsLayout.SQ_OFF_TAIL, 4),
        f(ParamsLayout.SQ_OFF_RING_MASK, 4),
        f(ParamsLayout.SQ_OFF_RING_ENTRIES, 4),
        f(ParamsLayout.SQ_OFF_FLAGS, 4),
        f(ParamsLayout.SQ_OFF_DROPPED, 4),
        f(ParamsLayout.SQ_OFF_ARRAY, 4),
        f(ParamsLayout.SQ_OFF_RESV1, 4),
        f(ParamsLayout.SQ_OFF_USER_ADDR, 8));
    assertContiguous(
        "io_cqring_offsets",
        ParamsLayout.RING_OFFSETS_SIZE,
        f(ParamsLayout.CQ_OFF_HEAD, 4),
        f(ParamsLayout.CQ_OFF_TAIL, 4),
        f(ParamsLayout.CQ_OFF_RING_MASK, 4),
        f(ParamsLayout.CQ_OFF_RING_ENTRIES, 4),
        f(ParamsLayout.CQ_OFF_OVERFLOW, 4),
        f(ParamsLayout.CQ_OFF_CQES, 4),
        f(ParamsLayout.CQ_OFF_FLAGS, 4),
        f(ParamsLayout.CQ_OFF_RESV1, 4),
        f(ParamsLayout.CQ_OFF_USER_ADDR, 8));
  }

  /** The small argument structs: iovec, timespec, getevents arg and open_how. */
  @Test
  void smallStructs() {
    assertContiguous(
        "iovec", IovecLayout.SIZE, f(IovecLayout.OFF_IOV_BASE, 8), f(IovecLayout.OFF_IOV_LEN, 8));
    assertContiguous(
        "__kernel_timespec",
        TimespecLayout.SIZE,
        f(TimespecLayout.OFF_TV_SEC, 8),
        f(TimespecLayout.OFF_TV_NSEC, 8));
    assertContiguous(
        "io_uring_getevents_arg",
        GeteventsArgLayout.SIZE,
        f(GeteventsArgLayout.OFF_SIGMASK, 8),
        f(GeteventsArgLayout.OFF_SIGMASK_SZ, 4),
        f(GeteventsArgLayout.OFF_MIN_WAIT_USEC, 4),
        f(GeteventsArgLayout.OFF_TS, 8));
    assertContiguous(
        "open_how",
        OpenHowLayout.SIZE,
        f(OpenHowLayout.OFF_FLAGS, 8),
        f(OpenHowLayout.OFF_MODE, 8),
        f(OpenHowLayout.OFF_RESOLVE, 8));
    assertEquals(OpenHowLayout.SIZE, OpenHowLayout.OPEN_HOW_SIZE_VER0);
  }

  /** struct io_uring_probe and struct io_uring_probe_op. */
  @Test
  void probe() {
    assertContiguous(
        "io_uring_probe",
        ProbeLayout.SIZE,
        f(ProbeLayout.OFF_LAST_OP, 1),
        f(ProbeLayout.OFF_OPS_LEN, 1),
        f(ProbeLayout.OFF_RESV, 2),
        f(ProbeLayout.OFF_RESV2, 12));
    assertEquals(ProbeLayout.SIZE, ProbeLayout.OFF_OPS);
    assertContiguous(
        "io_uring_probe_op",
        ProbeLayout.OP_SIZE,
        f(ProbeLayout.OP_OFF_OP, 1),
        f(ProbeLayout.OP_OFF_RESV, 1),
        f(ProbeLayout.OP_OFF_FLAGS, 2),
        f(ProbeLayout.OP_OFF_RESV2, 4));
  }

  /** The three resource registration structs. */
  @Test
  void rsrc() {
    assertContiguous(
        "io_uring_rsrc_register",
        RsrcLayout.REGISTER_SIZE,
        f(RsrcLayout.REGISTER_OFF_NR, 4),
        f(RsrcLayout.REGISTER_OFF_FLAGS, 4),
        f(RsrcLayout.REGISTER_OFF_RESV2, 8),
        f(RsrcLayout.REGISTER_OFF_DATA, 8),
        f(RsrcLayout.REGISTER_OFF_TAGS, 8));
    assertContiguous(
        "io_uring_rsrc_update",
        RsrcLayout.UPDATE_SIZE,
        f(RsrcLayout.UPDATE_OFF_OFFSET, 4),
        f(RsrcLayout.UPDATE_OFF_RESV, 4),
        f(RsrcLayout.UPDATE_OFF_DATA, 8));
    assertContiguous(
        "io_uring_rsrc_update2",
        RsrcLayout.UPDATE2_SIZE,
        f(RsrcLayout.UPDATE2_OFF_OFFSET, 4),
        f(RsrcLayout.UPDATE2_OFF_RESV, 4),
        f(RsrcLayout.UPDATE2_OFF_DATA, 8),
        f(RsrcLayout.UPDATE2_OFF_TAGS, 8),
        f(RsrcLayout.UPDATE2_OFF_NR, 4),
        f(RsrcLayout.UPDATE2_OFF_RESV2, 4));
  }

  /** struct io_uring_restriction and its argument union. */
  @Test
  void restriction() {
    assertContiguous(
        "io_uring_restriction",
        RestrictionLayout.SIZE,
        f(RestrictionLayout.OFF_OPCODE, 2),
        f(RestrictionLayout.OFF_ARG, 1),
        f(RestrictionLayout.OFF_RESV, 1),
        f(RestrictionLayout.OFF_RESV2, 12));
    assertSlots(
        RestrictionLayout.class,
        "OFF_",
        Map.of(
            0, Set.of("OFF_OPCODE"),
            2, Set.of("OFF_ARG", "OFF_REGISTER_OP", "OFF_SQE_OP", "OFF_SQE_FLAGS"),
            3, Set.of("OFF_RESV"),
            4, Set.of("OFF_RESV2")));
  }

  /** struct io_uring_buf, the ring tail overlay, and struct io_uring_buf_reg. */
  @Test
  void bufRing() {
    assertContiguous(
        "io_uring_buf",
        BufRingLayout.SIZE,
        f(BufRingLayout.OFF_ADDR, 8),
        f(BufRingLayout.OFF_LEN, 4),
        f(BufRingLayout.OFF_BID, 2),
        f(BufRingLayout.OFF_RESV, 2));
    assertEquals(BufRingLayout.OFF_RESV, BufRingLayout.OFF_TAIL);
    assertContiguous(
        "io_uring_buf_reg",
        BufRingLayout.REG_SIZE,
        f(BufRingLayout.REG_OFF_RING_ADDR, 8),
        f(BufRingLayout.REG_OFF_RING_ENTRIES, 4),
        f(BufRingLayout.REG_OFF_BGID, 2),
        f(BufRingLayout.REG_OFF_FLAGS, 2),
        f(BufRingLayout.REG_OFF_RESV, 24));
  }

  /** struct statx is 256 bytes with the fields at the offsets of the header comments. */
  @Test
  void statx() {
    int ts = Statx.STATX_TIMESTAMP_SIZE;
    assertContiguous(
        "statx",
        Statx.STATX_SIZE_BYTES,
        f(Statx.OFF_STX_MASK, 4),
        f(Statx.OFF_STX_BLKSIZE, 4),
        f(Statx.OFF_STX_ATTRIBUTES, 8),
        f(Statx.OFF_STX_NLINK, 4),
        f(Statx.OFF_STX_UID, 4),
        f(Statx.OFF_STX_GID, 4),
        f(Statx.OFF_STX_MODE, 2),
        f(30, 2),
        f(Statx.OFF_STX_INO, 8),
        f(Statx.OFF_STX_SIZE, 8),
        f(Statx.OFF_STX_BLOCKS, 8),
        f(Statx.OFF_STX_ATTRIBUTES_MASK, 8),
        f(Statx.OFF_STX_ATIME, ts),
        f(Statx.OFF_STX_BTIME, ts),
        f(Statx.OFF_STX_CTIME, ts),
        f(Statx.OFF_STX_MTIME, ts),
        f(Statx.OFF_STX_RDEV_MAJOR, 4),
        f(Statx.OFF_STX_RDEV_MINOR, 4),
        f(Statx.OFF_STX_DEV_MAJOR, 4),
        f(Statx.OFF_STX_DEV_MINOR, 4),
        f(Statx.OFF_STX_MNT_ID, 8),
        f(Statx.OFF_STX_DIO_MEM_ALIGN, 4),
        f(Statx.OFF_STX_DIO_OFFSET_ALIGN, 4),
        f(Statx.OFF_STX_SUBVOL, 8),
        f(Statx.OFF_STX_ATOMIC_WRITE_UNIT_MIN, 4),
        f(Statx.OFF_STX_ATOMIC_WRITE_UNIT_MAX, 4),
        f(Statx.OFF_STX_ATOMIC_WRITE_SEGMENTS_MAX, 4),
        f(Statx.OFF_STX_DIO_READ_OFFSET_ALIGN, 4),
        f(Statx.OFF_STX_ATOMIC_WRITE_UNIT_MAX_OPT, 4),
        f(188, 4),
        f(192, 64));
    assertContiguous(
        "statx_timestamp",
        ts,
        f(Statx.OFF_TS_TV_SEC, 8),
        f(Statx.OFF_TS_TV_NSEC, 4),
        f(Statx.OFF_TS_RESERVED, 4));
    assertEquals(0x40, Statx.OFF_STX_ATIME);
    assertEquals(0x80, Statx.OFF_STX_RDEV_MAJOR);
    assertEquals(0x90, Statx.OFF_STX_MNT_ID);
  }

  /** Every struct size is a multiple of its 8-byte alignment. */
  @Test
  void sizesAreAligned() {
    List<Integer> sizes =
        List.of(
            SqeLayout.SIZE,
            CqeLayout.SIZE,
            ParamsLayout.SIZE,
            ParamsLayout.RING_OFFSETS_SIZE,
            IovecLayout.SIZE,
            TimespecLayout.SIZE,
            GeteventsArgLayout.SIZE,
            ProbeLayout.SIZE,
            ProbeLayout.OP_SIZE,
            RsrcLayout.REGISTER_SIZE,
            RsrcLayout.UPDATE_SIZE,
            RsrcLayout.UPDATE2_SIZE,
            OpenHowLayout.SIZE,
            RestrictionLayout.SIZE,
            BufRingLayout.SIZE,
            BufRingLayout.REG_SIZE,
            Statx.STATX_SIZE_BYTES);
    for (int size : sizes) {
      assertEquals(0, size % 8, "size " + size);
    }
  }
}
