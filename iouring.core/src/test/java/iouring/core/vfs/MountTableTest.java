package iouring.core.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsProvider;
import iouring.vfs.host.HostProvider;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountTableTest {
  @TempDir Path dir;

  private final MountTable mounts = new MountTable();
  private VfsProvider root;
  private VfsProvider data;

  @BeforeEach
  void mount() throws IOException {
    root = new HostProvider(dir);
    data = new HostProvider(dir);
    mounts.mount("/", root);
    mounts.mount("/data", data);
  }

  @Test
  void longestPrefixWins() throws VfsException {
    MountTable.Resolved r = mounts.resolve("/data/a/b");
    assertSame(data, r.provider());
    assertEquals("a/b", r.relativePath());
    assertSame(root, mounts.resolve("/database").provider(), "a prefix of a name is not a match");
    assertEquals("", mounts.resolve("/data").relativePath());
    assertEquals("etc/x", mounts.resolve("/etc/x").relativePath());
  }

  @Test
  void dotDotIsNormalizedBeforeTheLookup() throws VfsException {
    MountTable.Resolved r = mounts.resolve("/data/../etc/./x//y");
    assertSame(root, r.provider());
    assertEquals("etc/x/y", r.relativePath());
    assertEquals("/", MountTable.normalize("/../.."), ".. stops at the root");
  }

  @Test
  void normalizeKeepsNormalPathsAndRewritesTheOthers() {
    for (String normal : new String[] {"/", "/a", "/a/b", "/.a", "/a./..b", "/...", "/a/b.c"}) {
      assertEquals(normal, MountTable.normalize(normal));
    }
    String[][] cases = {
      {"//", "/"},
      {"/a/", "/a"},
      {"/a//b", "/a/b"},
      {"/.", "/"},
      {"/a/.", "/a"},
      {"/./a", "/a"},
      {"/a/..", "/"},
      {"/a/../b", "/b"},
      {"/..", "/"},
      {"/a/b/../../..", "/"},
      {"/a/./b/", "/a/b"},
    };
    for (String[] c : cases) {
      assertEquals(c[1], MountTable.normalize(c[0]), c[0]);
    }
  }

  @Test
  void mountsHaveDistinctIds() throws VfsException {
    assertNotEquals(mounts.resolve("/data/x").mountId(), mounts.resolve("/x").mountId());
  }

  @Test
  void unmountFallsBackToTheParentMount() throws VfsException {
    assertTrue(mounts.unmount("/data"));
    assertSame(root, mounts.resolve("/data/a").provider());
    assertTrue(mounts.unmount("/"));
    VfsException e = assertThrows(VfsException.class, () -> mounts.resolve("/x"));
    assertEquals(Errno.ENOENT, e.errno());
  }

  @Test
  void checkGivesLinuxErrnos() {
    assertEquals(Errno.EFAULT, errno(null));
    assertEquals(Errno.ENOENT, errno(""));
    assertEquals(Errno.EINVAL, errno("a\0b"));
    assertEquals(Errno.ENAMETOOLONG, errno("/" + "x".repeat(256)));
    assertEquals(Errno.ENAMETOOLONG, errno("/a".repeat(2048)));
  }

  private static int errno(String path) {
    return assertThrows(VfsException.class, () -> MountTable.check(path)).errno();
  }
}
