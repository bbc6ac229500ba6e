package iouring.vfs.path;

import static iouring.vfs.ProviderFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.abi.Errno;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting paths and checking names. */
class ProviderPathTest {

  @Test
  void splitsAtSlashesAndKeepsDots() throws Exception {
    ProviderPath p = ProviderPath.parse("a//./b/../c");
    assertEquals(List.of("a", ".", "b", "..", "c"), p.components());
    assertFalse(p.absolute());
    assertFalse(p.trailingSlash());
  }

  @Test
  void tellsAbsoluteAndTrailingSlash() throws Exception {
    assertTrue(ProviderPath.parse("/a").absolute());
    assertTrue(ProviderPath.parse("a/").trailingSlash());
    assertTrue(ProviderPath.parse("a//").trailingSlash());
    assertFalse(ProviderPath.parse("/").trailingSlash(), "the root has no name to slash");
    assertEquals(List.of(), ProviderPath.parse("").components());
    assertEquals(List.of(), ProviderPath.parse("///").components());
  }

  @Test
  void countsUtf8Bytes() {
    assertEquals(3, ProviderPath.utf8Length("abc"));
    assertEquals(2, ProviderPath.utf8Length("\u00e9"));
    assertEquals(3, ProviderPath.utf8Length("\u20ac"));
    assertEquals(4, ProviderPath.utf8Length("\ud83d\ude00"));
  }

  @Test
  void refusesWhatLinuxRefuses() {
    assertErrno(Errno.EINVAL, () -> ProviderPath.parse("a\0"));
    assertErrno(Errno.ENAMETOOLONG, () -> ProviderPath.parse("x".repeat(256)));
    assertErrno(Errno.ENAMETOOLONG, () -> ProviderPath.parse("a/".repeat(2048)));
    assertErrno(Errno.ENAMETOOLONG, () -> ProviderPath.checkName("\u00e9".repeat(128)));
  }

  @Test
  void acceptsTheLongestNameAndPath() throws Exception {
    ProviderPath.checkName("x".repeat(255));
    assertEquals(2047, ProviderPath.parse("a/".repeat(2047) + "b").components().size() - 1);
  }
}
