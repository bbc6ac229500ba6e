package iouring.vfs;

import static iouring.api.abi.FileFlags.FALLOC_FL_COLLAPSE_RANGE;
import static iouring.api.abi.FileFlags.FALLOC_FL_KEEP_SIZE;
import static iouring.api.abi.FileFlags.FALLOC_FL_PUNCH_HOLE;
import static iouring.api.abi.FileFlags.FALLOC_FL_ZERO_RANGE;
import static iouring.api.abi.FileFlags.O_CREAT;
import static iouring.api.abi.FileFlags.O_RDWR;
import static iouring.vfs.ProviderFixture.assertErrno;
import static iouring.vfs.ProviderFixture.readAll;
import static iouring.vfs.ProviderFixture.writeFully;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsCapability;
import iouring.api.spi.VfsFile;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code fallocate(2)}: plain allocation everywhere, the other modes where a provider has them. */
public interface AllocateContract extends ProviderFixture {

  /** Opens a new file of {@code n} bytes, each its offset modulo 251 plus one (never zero). */
  private VfsFile fileOf(int n) throws Exception {
    VfsFile f = provider().open("f", O_CREAT | O_RDWR, 0600);
    byte[] data = new byte[n];
    for (int i = 0; i < n; i++) {
      data[i] = (byte) (i % 251 + 1);
    }
    writeFully(f, data, 0);
    return f;
  }

  @Test
  default void allocateGrowsTheSizeWithZeros() throws Exception {
    try (VfsFile f = fileOf(10)) {
      f.allocate(0, 5, 20_000);
      assertEquals(20_005, f.size());
      byte[] all = readAll(f);
      assertEquals(10, all[9]);
      assertEquals(0, all[10]);
      assertEquals(0, all[20_004]);
    }
  }

  @Test
  default void allocateInsideTheFileChangesNothingVisible() throws Exception {
    try (VfsFile f = fileOf(10_000)) {
      byte[] before = readAll(f);
      f.allocate(0, 100, 5_000);
      assertEquals(10_000, f.size());
      assertArrayEquals(before, readAll(f));
    }
  }

  @Test
  default void allocateOfAnEmptyOrNegativeRangeIsEinval() throws Exception {
    try (VfsFile f = fileOf(10)) {
      assertErrno(Errno.EINVAL, () -> f.allocate(0, 0, 0));
      assertErrno(Errno.EINVAL, () -> f.allocate(0, -1, 10));
      assertErrno(Errno.EINVAL, () -> f.allocate(0, 0, -10));
    }
  }

  @Test
  default void allocatePastTheLargestFileIsEfbig() throws Exception {
    assumeTrue(refusesHugeFiles(), "the provider takes files of 2^62 bytes");
    try (VfsFile f = fileOf(10)) {
      assertErrno(Errno.EFBIG, () -> f.allocate(0, FileIoContract.TOO_FAR, 1));
      assertEquals(10, f.size());
    }
  }

  @Test
  default void allocateWhoseEndOverflowsIsEfbig() throws Exception {
    // vfs_fallocate refuses offset + length past 2^63 - 1 on every file system.
    try (VfsFile f = fileOf(10)) {
      assertErrno(Errno.EFBIG, () -> f.allocate(0, Long.MAX_VALUE - 1, 10));
      assertEquals(10, f.size());
    }
  }

  @Test
  default void punchingWithoutKeepSizeIsEopnotsupp() throws Exception {
    try (VfsFile f = fileOf(10)) {
      assertErrno(Errno.EOPNOTSUPP, () -> f.allocate(FALLOC_FL_PUNCH_HOLE, 0, 5));
    }
  }

  @Test
  default void modesNoProviderHasAreEopnotsupp() throws Exception {
    try (VfsFile f = fileOf(8192)) {
      assertErrno(Errno.EOPNOTSUPP, () -> f.allocate(FALLOC_FL_COLLAPSE_RANGE, 0, 4096));
      assertErrno(Errno.EOPNOTSUPP, () -> f.allocate(1 << 20, 0, 4096));
    }
  }

  @Test
  default void modesNeedTheirCapability() throws Exception {
    if (has(VfsCapability.FALLOCATE_MODES)) {
      return;
    }
    try (VfsFile f = fileOf(10)) {
      assertErrno(Errno.EOPNOTSUPP, () -> f.allocate(FALLOC_FL_KEEP_SIZE, 0, 100));
      int punch = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
      assertErrno(Errno.EOPNOTSUPP, () -> f.allocate(punch, 0, 5));
      assertErrno(Errno.EOPNOTSUPP, () -> f.allocate(FALLOC_FL_ZERO_RANGE, 0, 5));
      assertEquals(10, f.size());
    }
  }

  @Test
  default void keepSizeAllocatesWithoutGrowing() throws Exception {
    assume(VfsCapability.FALLOCATE_MODES);
    try (VfsFile f = fileOf(10)) {
      f.allocate(FALLOC_FL_KEEP_SIZE, 0, 100_000);
      assertEquals(10, f.size());
      assertEquals(10, readAll(f).length);
    }
  }

  @Test
  default void punchHoleZeroesTheRangeAndKeepsTheSize() throws Exception {
    assume(VfsCapability.FALLOCATE_MODES);
    try (VfsFile f = fileOf(20_000)) {
      byte[] expected = readAll(f);
      f.allocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 1_000, 10_000);
      Arrays.fill(expected, 1_000, 11_000, (byte) 0);
      assertEquals(20_000, f.size());
      assertArrayEquals(expected, readAll(f));
      f.allocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 19_000, 50_000);
      Arrays.fill(expected, 19_000, 20_000, (byte) 0);
      assertEquals(20_000, f.size());
      assertArrayEquals(expected, readAll(f));
    }
  }

  @Test
  default void punchingTogetherWithZeroRangeIsEopnotsupp() throws Exception {
    assume(VfsCapability.FALLOCATE_MODES);
    int both = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE | FALLOC_FL_ZERO_RANGE;
    try (VfsFile f = fileOf(10)) {
      assertErrno(Errno.EOPNOTSUPP, () -> f.allocate(both, 0, 5));
    }
  }

  @Test
  default void zeroRangeZeroesAndGrows() throws Exception {
    assume(VfsCapability.FALLOCATE_MODES);
    try (VfsFile f = fileOf(10_000)) {
      byte[] expected = Arrays.copyOf(readAll(f), 12_000);
      f.allocate(FALLOC_FL_ZERO_RANGE, 5_000, 7_000);
      Arrays.fill(expected, 5_000, 12_000, (byte) 0);
      assertEquals(12_000, f.size());
      assertArrayEquals(expected, readAll(f));
    }
  }

  @Test
  default void zeroRangeWithKeepSizeDoesNotGrow() throws Exception {
    assume(VfsCapability.FALLOCATE_MODES);
    try (VfsFile f = fileOf(10_000)) {
      byte[] expected = readAll(f);
      f.allocate(FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 9_000, 7_000);
      Arrays.fill(expected, 9_000, 10_000, (byte) 0);
      assertEquals(10_000, f.size());
      assertArrayEquals(expected, readAll(f));
    }
  }
}
