package iouring.vfs;

import static iouring.api.abi.FileFlags.S_IFDIR;
import static iouring.api.abi.FileFlags.S_IFLNK;
import static iouring.api.abi.FileFlags.S_IFMT;
import static iouring.api.abi.FileFlags.S_IFREG;
import static iouring.vfs.ProviderFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsCapability;
import iouring.api.spi.VfsStat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code symlink(2)}, {@code readlink(2)} and how every path operation treats symlinks, including
 * that an absolute target means the provider's root ({@code RESOLVE_IN_ROOT}).
 */
public interface SymlinkContract extends ProviderFixture {

  @Test
  default void symlinksNeedTheirCapability() {
    if (has(VfsCapability.SYMLINKS)) {
      return;
    }
    assertErrno(Errno.EPERM, () -> provider().symlink("t", "link"));
  }

  @Test
  default void readlinkReturnsTheTargetAsGiven() throws Exception {
    assume(VfsCapability.SYMLINKS);
    provider().symlink("some/where/else", "link");
    assertEquals("some/where/else", provider().readlink("link"));
    VfsStat st = provider().stat("link", false);
    assertEquals(S_IFLNK, st.mode() & S_IFMT);
    assertEquals("some/where/else".length(), st.size());
  }

  @Test
  default void symlinkOverAnExistingNameIsEexist() throws Exception {
    assume(VfsCapability.SYMLINKS);
    put("f", "x");
    provider().symlink("t", "link");
    assertErrno(Errno.EEXIST, () -> provider().symlink("t", "f"));
    assertErrno(Errno.EEXIST, () -> provider().symlink("t", "link"));
    assertErrno(Errno.EEXIST, () -> provider().symlink("t", ""));
    assertErrno(Errno.ENOENT, () -> provider().symlink("t", "nodir/link"));
  }

  @Test
  default void anEmptyTargetIsEnoent() {
    assume(VfsCapability.SYMLINKS);
    assertErrno(Errno.ENOENT, () -> provider().symlink("", "link"));
  }

  @Test
  default void readlinkOfSomethingElseIsEinval() throws Exception {
    assume(VfsCapability.SYMLINKS);
    put("f", "x");
    provider().mkdir("d", 0700);
    assertErrno(Errno.EINVAL, () -> provider().readlink("f"));
    assertErrno(Errno.EINVAL, () -> provider().readlink("d"));
    assertErrno(Errno.ENOENT, () -> provider().readlink("missing"));
  }

  @Test
  default void statFollowsUnlessAskedNotTo() throws Exception {
    assume(VfsCapability.SYMLINKS);
    put("f", "12345");
    provider().symlink("f", "link");
    assertEquals(S_IFREG, provider().stat("link", true).mode() & S_IFMT);
    assertEquals(5, provider().stat("link", true).size());
    assertEquals(provider().stat("f", true).ino(), provider().stat("link", true).ino());
    assertEquals(S_IFLNK, provider().stat("link", false).mode() & S_IFMT);
  }

  @Test
  default void aSymlinkInTheMiddleOfAPathIsFollowed() throws Exception {
    assume(VfsCapability.SYMLINKS);
    provider().mkdir("real", 0700);
    put("real/f", "through");
    provider().symlink("real", "dirlink");
    assertEquals("through", get("dirlink/f"));
    put("dirlink/g", "created through");
    assertEquals("created through", get("real/g"));
    assertEquals(List.of("f", "g"), sorted(provider().list("dirlink")));
    assertEquals(S_IFDIR, provider().stat("dirlink/", false).mode() & S_IFMT);
  }

  @Test
  default void anAbsoluteTargetStartsAtTheProvidersRoot() throws Exception {
    assume(VfsCapability.SYMLINKS);
    provider().mkdir("d", 0700);
    provider().mkdir("d/e", 0700);
    put("f", "at the root");
    provider().symlink("/f", "d/e/abs");
    assertEquals("at the root", get("d/e/abs"));
    provider().symlink("/../../../f", "d/e/climb");
    assertEquals("at the root", get("d/e/climb"));
  }

  @Test
  default void dotDotAfterASymlinkLeavesTheDirectoryItReached() throws Exception {
    assume(VfsCapability.SYMLINKS);
    provider().mkdir("a", 0700);
    provider().mkdir("a/b", 0700);
    put("a/x", "physical parent");
    provider().symlink("a/b", "l");
    assertEquals("physical parent", get("l/../x"));
  }

  @Test
  default void relativeTargetsStayUnderTheRoot() throws Exception {
    assume(VfsCapability.SYMLINKS);
    put("f", "root file");
    provider().mkdir("d", 0700);
    provider().symlink("../../../../f", "d/up");
    assertEquals("root file", get("d/up"));
  }

  @Test
  default void loopsAreEloop() throws Exception {
    assume(VfsCapability.SYMLINKS);
    provider().symlink("b", "a");
    provider().symlink("a", "b");
    provider().symlink("self", "self");
    assertErrno(Errno.ELOOP, () -> provider().stat("a", true));
    assertErrno(Errno.ELOOP, () -> provider().stat("self/x", false));
    assertErrno(Errno.ELOOP, () -> provider().open("a", 0, 0));
    assertErrno(Errno.ELOOP, () -> provider().list("b"));
    assertEquals(S_IFLNK, provider().stat("a", false).mode() & S_IFMT);
  }

  @Test
  default void fortySymlinksResolveAndFortyOneDoNot() throws Exception {
    assume(VfsCapability.SYMLINKS);
    put("f", "end of chain");
    provider().symlink("f", "l0");
    for (int i = 1; i <= 40; i++) {
      provider().symlink("l" + (i - 1), "l" + i);
    }
    assertEquals("end of chain", get("l39"));
    assertErrno(Errno.ELOOP, () -> get("l40"));
  }

  @Test
  default void danglingSymlinksStatOnlyAsThemselves() throws Exception {
    assume(VfsCapability.SYMLINKS);
    provider().symlink("nowhere", "link");
    assertErrno(Errno.ENOENT, () -> provider().stat("link", true));
    assertEquals(S_IFLNK, provider().stat("link", false).mode() & S_IFMT);
    assertErrno(Errno.ENOENT, () -> provider().list("link"));
  }

  @Test
  default void unlinkAndRenameActOnTheLinkNotItsTarget() throws Exception {
    assume(VfsCapability.SYMLINKS);
    put("f", "target");
    provider().mkdir("d", 0700);
    provider().symlink("f", "link");
    provider().symlink("d", "dlink");
    provider().rename("link", "moved", 0);
    assertEquals("f", provider().readlink("moved"));
    provider().unlink("moved");
    assertEquals("target", get("f"));
    assertErrno(Errno.ENOTDIR, () -> provider().rmdir("dlink"));
    provider().unlink("dlink");
    assertEquals(S_IFDIR, provider().stat("d", true).mode() & S_IFMT);
  }

  @Test
  default void mkdirOverADanglingSymlinkIsEexist() throws Exception {
    assume(VfsCapability.SYMLINKS);
    provider().symlink("nowhere", "link");
    assertErrno(Errno.EEXIST, () -> provider().mkdir("link", 0700));
    assertErrno(Errno.ENOENT, () -> provider().stat("nowhere", true));
  }

  private static List<String> sorted(List<String> names) {
    return names.stream().sorted().toList();
  }
}
