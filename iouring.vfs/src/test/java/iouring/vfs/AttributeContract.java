package iouring.vfs;

import static iouring.api.abi.FileFlags.S_IFDIR;
import static iouring.api.abi.FileFlags.S_IFREG;
import static iouring.vfs.ProviderFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsCapability;
import iouring.api.spi.VfsStat;
import org.junit.jupiter.api.Test;

/**
 * {@code fchmodat(2)}, {@code fchownat(2)} and {@code utimensat(2)}: changing mode, owner, times.
 */
public interface AttributeContract extends ProviderFixture {

  /**
   * Returns whether this process may give files to other users, as root may. A host provider run by
   * another user says false; the owner then may only {@code chown} to itself.
   *
   * @return true if {@code chown} to any id works
   */
  default boolean canGiveFilesAway() {
    return true;
  }

  @Test
  default void attributeChangesNeedTheirCapability() throws Exception {
    if (has(VfsCapability.ATTRIBUTES)) {
      return;
    }
    put("f", "x");
    assertErrno(Errno.EPERM, () -> provider().chmod("f", 0600, true));
    assertErrno(Errno.EPERM, () -> provider().chown("f", -1, -1, true));
    assertErrno(Errno.EPERM, () -> provider().utimens("f", 0, 0, true));
  }

  @Test
  default void chmodSetsTheTwelveModeBitsAndKeepsTheType() throws Exception {
    assume(VfsCapability.ATTRIBUTES);
    put("f", "x");
    provider().mkdir("d", 0755);
    provider().chmod("f", S_IFDIR | 04751, true);
    provider().chmod("d", S_IFREG | 01700, true);
    assertEquals(S_IFREG | 04751, provider().stat("f", true).mode());
    assertEquals(S_IFDIR | 01700, provider().stat("d", true).mode());
    provider().chmod("d/", 0750, true);
    assertEquals(S_IFDIR | 0750, provider().stat("d", true).mode());
  }

  @Test
  default void chmodFailsAsLinux() throws Exception {
    assume(VfsCapability.ATTRIBUTES);
    put("f", "x");
    assertErrno(Errno.ENOENT, () -> provider().chmod("nope", 0600, true));
    assertErrno(Errno.ENOTDIR, () -> provider().chmod("f/x", 0600, true));
    assertErrno(Errno.ENOTDIR, () -> provider().chmod("f/", 0600, true));
  }

  @Test
  default void chmodFollowsASymlinkOnlyWhenAsked() throws Exception {
    assume(VfsCapability.ATTRIBUTES);
    assume(VfsCapability.SYMLINKS);
    put("f", "x");
    provider().chmod("f", 0644, true);
    provider().symlink("f", "link");
    assertErrno(Errno.EOPNOTSUPP, () -> provider().chmod("link", 0600, false));
    assertEquals(0644, provider().stat("f", true).mode() & 07777);
    provider().chmod("link", 0600, true);
    assertEquals(0600, provider().stat("f", true).mode() & 07777);
    assertEquals(0777, provider().stat("link", false).mode() & 07777);
  }

  @Test
  default void chownSetsOwnerAndGroupAndMinusOneKeeps() throws Exception {
    assume(VfsCapability.ATTRIBUTES);
    assumeTrue(canGiveFilesAway(), "only root gives files away");
    put("f", "x");
    provider().chown("f", 4242, -1, true);
    assertEquals(4242, provider().stat("f", true).uid());
    provider().chown("f", -1, 4343, true);
    VfsStat st = provider().stat("f", true);
    assertEquals(4242, st.uid());
    assertEquals(4343, st.gid());
  }

  @Test
  default void chownOfASymlinkItselfLeavesTheTarget() throws Exception {
    assume(VfsCapability.ATTRIBUTES);
    assume(VfsCapability.SYMLINKS);
    assumeTrue(canGiveFilesAway(), "only root gives files away");
    put("f", "x");
    provider().symlink("f", "link");
    int uid = provider().stat("f", true).uid();
    provider().chown("link", 4242, -1, false);
    assertEquals(4242, provider().stat("link", false).uid());
    assertEquals(uid, provider().stat("f", true).uid());
    provider().chown("link", 4444, -1, true);
    assertEquals(4444, provider().stat("f", true).uid());
  }

  @Test
  default void chownClearsTheSetIdBitsOfAFileButNotOfADirectory() throws Exception {
    assume(VfsCapability.ATTRIBUTES);
    put("f", "x");
    put("g", "x");
    provider().mkdir("d", 0755);
    provider().chmod("f", 06755, true);
    provider().chmod("g", 06745, true); // not group-executable: set-group-id stays
    provider().chmod("d", 06755, true);
    for (String name : new String[] {"f", "g", "d"}) {
      VfsStat st = provider().stat(name, true);
      provider().chown(name, st.uid(), -1, true); // the owner may always give a file to itself
    }
    assertEquals(0755, provider().stat("f", true).mode() & 07777);
    assertEquals(02745, provider().stat("g", true).mode() & 07777);
    assertEquals(06755, provider().stat("d", true).mode() & 07777);
    assertErrno(Errno.ENOENT, () -> provider().chown("nope", -1, -1, true));
  }

  @Test
  default void utimensSetsNanosecondsAndOmitKeeps() throws Exception {
    assume(VfsCapability.ATTRIBUTES);
    put("f", "x");
    long a = 1_000_000_000_123_456_789L;
    long m = -86_400_000_000_000L; // before the epoch, a whole second: see HostProvider.utimens
    provider().utimens("f", a, m, true);
    VfsStat st = provider().stat("f", true);
    assertEquals(a, st.atimeNanos());
    assertEquals(m, st.mtimeNanos());
    provider().utimens("f", VfsStat.NO_TIME, 5, true);
    st = provider().stat("f", true);
    assertEquals(a, st.atimeNanos());
    assertEquals(5, st.mtimeNanos());
    provider().utimens("f", 7, VfsStat.NO_TIME, true);
    assertEquals(5, provider().stat("f", true).mtimeNanos());
    assertEquals(7, provider().stat("f", true).atimeNanos());
    assertErrno(Errno.ENOENT, () -> provider().utimens("nope", 0, 0, true));
    assertErrno(Errno.ENOTDIR, () -> provider().utimens("f/x", 0, 0, true));
  }

  @Test
  default void utimensOfASymlinkItselfLeavesTheTarget() throws Exception {
    assume(VfsCapability.ATTRIBUTES);
    assume(VfsCapability.SYMLINKS);
    put("f", "x");
    provider().symlink("f", "link");
    long before = provider().stat("f", true).mtimeNanos();
    provider().utimens("link", 1_000_000_000L, 2_000_000_000L, false);
    assertEquals(2_000_000_000L, provider().stat("link", false).mtimeNanos());
    assertEquals(before, provider().stat("f", true).mtimeNanos());
    provider().utimens("link", 3_000_000_000L, 4_000_000_000L, true);
    assertEquals(4_000_000_000L, provider().stat("f", true).mtimeNanos());
  }
}
