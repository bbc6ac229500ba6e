package iouring.api;

import static iouring.api.abi.Opcodes.*;
import static iouring.api.abi.SqeLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import iouring.api.abi.FileFlags;
import iouring.api.abi.OpFlags;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests {@link Sqe}: each prep helper writes the fields liburing's {@code io_uring_prep_*} writes,
 * at the offsets of {@code struct io_uring_sqe}, and leaves the others as they were (zero).
 */
class SqeTest {
  private static final long PATH = 0x1000;
  private static final long PATH2 = 0x2000;
  private static final long BUF = 0x3000;

  private ByteBuffer memory;
  private Sqe sqe;

  @BeforeEach
  void zeroedEntry() {
    // The entry sits at byte 64 of a two-entry array, so a write at a wrong base would show.
    memory = ByteBuffer.allocate(2 * SIZE).order(ByteOrder.nativeOrder());
    sqe = new Sqe(memory, MemoryView.of(memory), SIZE, SIZE);
  }

  private int opcode() {
    return memory.get(SIZE + OFF_OPCODE) & 0xff;
  }

  private int fd() {
    return memory.getInt(SIZE + OFF_FD);
  }

  private long off() {
    return memory.getLong(SIZE + OFF_OFF);
  }

  private long addr() {
    return memory.getLong(SIZE + OFF_ADDR);
  }

  private int len() {
    return memory.getInt(SIZE + OFF_LEN);
  }

  private int opFlags() {
    return memory.getInt(SIZE + OFF_OP_FLAGS);
  }

  private int fileIndex() {
    return memory.getInt(SIZE + OFF_FILE_INDEX);
  }

  private long addr3() {
    return memory.getLong(SIZE + OFF_ADDR3);
  }

  /** Asserts the fields every prep sets, and that the first entry was not touched. */
  private void assertSqe(int opcode, int fd, long off, long addr, int len, int opFlags) {
    assertEquals(opcode, opcode(), "opcode");
    assertEquals(fd, fd(), "fd");
    assertEquals(off, off(), "off");
    assertEquals(addr, addr(), "addr");
    assertEquals(len, len(), "len");
    assertEquals(opFlags, opFlags(), "op flags");
    for (int i = 0; i < SIZE; i++) {
      assertEquals(0, memory.get(i), "byte " + i + " of the entry before");
    }
  }

  @Test
  void prepOpenatPutsTheModeInLenAndTheFlagsInOpenFlags() {
    assertSame(sqe, sqe.prepOpenat(FileFlags.AT_FDCWD, PATH, FileFlags.O_CREAT, 0644));
    assertSqe(IORING_OP_OPENAT, FileFlags.AT_FDCWD, 0, PATH, 0644, FileFlags.O_CREAT);
    assertEquals(0, fileIndex());
  }

  @Test
  void prepOpenatDirectStoresTheSlotPlusOne() {
    sqe.prepOpenatDirect(3, PATH, FileFlags.O_RDONLY, 0, 5);
    assertSqe(IORING_OP_OPENAT, 3, 0, PATH, 0, 0);
    assertEquals(6, fileIndex());
  }

  @Test
  void prepOpenatDirectKeepsIndexAllocAsAllOnes() {
    sqe.prepOpenatDirect(3, PATH, 0, 0, OpFlags.IORING_FILE_INDEX_ALLOC);
    assertEquals(OpFlags.IORING_FILE_INDEX_ALLOC, fileIndex());
  }

  @Test
  void prepOpenat2PutsTheStructInAddr2AndItsSizeInLen() {
    sqe.prepOpenat2(4, PATH, PATH2);
    assertSqe(IORING_OP_OPENAT2, 4, PATH2, PATH, 24, 0);
    sqe.prepOpenat2Direct(4, PATH, PATH2, 0);
    assertEquals(1, fileIndex());
  }

  @Test
  void prepCloseAndCloseDirect() {
    sqe.prepClose(7);
    assertSqe(IORING_OP_CLOSE, 7, 0, 0, 0, 0);
    sqe.prepCloseDirect(2);
    assertSqe(IORING_OP_CLOSE, 0, 0, 0, 0, 0);
    assertEquals(3, fileIndex());
  }

  @Test
  void prepStatxPutsTheMaskInLenAndTheBufferInAddr2() {
    sqe.prepStatx(5, PATH, FileFlags.AT_EMPTY_PATH, 0x7ff, BUF);
    assertSqe(IORING_OP_STATX, 5, BUF, PATH, 0x7ff, FileFlags.AT_EMPTY_PATH);
  }

  @Test
  void prepUnlinkatAndMkdirat() {
    sqe.prepUnlinkat(5, PATH, FileFlags.AT_REMOVEDIR);
    assertSqe(IORING_OP_UNLINKAT, 5, 0, PATH, 0, FileFlags.AT_REMOVEDIR);
    sqe.clear();
    sqe.prepMkdirat(6, PATH, 0755);
    assertSqe(IORING_OP_MKDIRAT, 6, 0, PATH, 0755, 0);
  }

  @Test
  void prepRenameatAndLinkatPutTheNewDirfdInLen() {
    sqe.prepRenameat(5, PATH, 6, PATH2, FileFlags.RENAME_NOREPLACE);
    assertSqe(IORING_OP_RENAMEAT, 5, PATH2, PATH, 6, FileFlags.RENAME_NOREPLACE);
    sqe.prepLinkat(7, PATH, 8, PATH2, FileFlags.AT_SYMLINK_FOLLOW);
    assertSqe(IORING_OP_LINKAT, 7, PATH2, PATH, 8, FileFlags.AT_SYMLINK_FOLLOW);
  }

  @Test
  void prepSymlinkatPutsTheTargetInAddrAndTheLinkInAddr2() {
    sqe.prepSymlinkat(PATH, 9, PATH2);
    assertSqe(IORING_OP_SYMLINKAT, 9, PATH2, PATH, 0, 0);
  }

  @Test
  void prepFallocatePutsTheModeInLenAndTheLengthInAddr() {
    sqe.prepFallocate(3, FileFlags.FALLOC_FL_KEEP_SIZE, 100, 1L << 40);
    assertSqe(IORING_OP_FALLOCATE, 3, 100, 1L << 40, FileFlags.FALLOC_FL_KEEP_SIZE, 0);
  }

  @Test
  void prepFtruncatePutsTheLengthInOff() {
    sqe.prepFtruncate(3, 1L << 33);
    assertSqe(IORING_OP_FTRUNCATE, 3, 1L << 33, 0, 0, 0);
  }

  @Test
  void prepFadviseTakesA32BitLengthInLenOrA64BitOneInAddr() {
    sqe.prepFadvise(3, 10, 20, FileFlags.POSIX_FADV_WILLNEED);
    assertSqe(IORING_OP_FADVISE, 3, 10, 0, 20, FileFlags.POSIX_FADV_WILLNEED);
    sqe.prepFadvise64(3, 10, 1L << 35, FileFlags.POSIX_FADV_DONTNEED);
    assertSqe(IORING_OP_FADVISE, 3, 10, 1L << 35, 0, FileFlags.POSIX_FADV_DONTNEED);
  }

  @Test
  void prepSyncFileRangeTakesTheLengthBeforeTheOffset() {
    sqe.prepSyncFileRange(3, 4096, 8192, FileFlags.SYNC_FILE_RANGE_WRITE);
    assertSqe(IORING_OP_SYNC_FILE_RANGE, 3, 8192, 0, 4096, FileFlags.SYNC_FILE_RANGE_WRITE);
  }

  @Test
  void prepXattrFdForms() {
    sqe.prepFgetxattr(3, PATH, BUF, 64);
    assertSqe(IORING_OP_FGETXATTR, 3, BUF, PATH, 64, 0);
    sqe.prepFsetxattr(3, PATH, BUF, FileFlags.XATTR_CREATE, 16);
    assertSqe(IORING_OP_FSETXATTR, 3, BUF, PATH, 16, FileFlags.XATTR_CREATE);
    assertEquals(0, addr3());
  }

  @Test
  void prepGetxattrClearsTheFlagsAsLiburingDoes() {
    sqe.prepFsetxattr(3, PATH, BUF, FileFlags.XATTR_CREATE, 16);
    sqe.prepFgetxattr(3, PATH, BUF, 64);
    assertEquals(0, opFlags());
    sqe.prepSetxattr(PATH, BUF, PATH2, FileFlags.XATTR_CREATE, 16);
    sqe.prepGetxattr(PATH, BUF, PATH2, 64);
    assertEquals(0, opFlags());
  }

  @Test
  void prepXattrPathFormsPutThePathInAddr3() {
    sqe.prepGetxattr(PATH, BUF, PATH2, 64);
    assertSqe(IORING_OP_GETXATTR, 0, BUF, PATH, 64, 0);
    assertEquals(PATH2, addr3());
    sqe.prepSetxattr(PATH, BUF, PATH2, FileFlags.XATTR_REPLACE, 16);
    assertSqe(IORING_OP_SETXATTR, 0, BUF, PATH, 16, FileFlags.XATTR_REPLACE);
    assertEquals(PATH2, addr3());
  }

  @Test
  void rawSettersWriteTheirFieldOnly() {
    sqe.bufIndex(0x12345).fileIndex(-7).addr2(PATH2).addr3(BUF).personality(0x10002);
    assertEquals(0x2345, memory.getShort(SIZE + OFF_BUF_INDEX) & 0xffff);
    assertEquals(-7, memory.getInt(SIZE + OFF_SPLICE_FD_IN));
    assertEquals(PATH2, off());
    assertEquals(BUF, addr3());
    assertEquals(2, memory.getShort(SIZE + OFF_PERSONALITY));
    assertSqe(0, 0, PATH2, 0, 0, 0);
  }
}
