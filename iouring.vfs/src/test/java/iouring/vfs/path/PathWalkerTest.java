package iouring.vfs.path;

import static iouring.vfs.ProviderFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.abi.Errno;
import iouring.vfs.path.PathWalker.Last;
import iouring.vfs.path.PathWalker.Walk;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The walk over a tree of strings, where each node is its own path. */
class PathWalkerTest {
  /** Symlinks of the test tree: path to target. */
  private final Map<String, String> links = new HashMap<>();

  /** Every path of the test tree: true for a directory. */
  private final Map<String, Boolean> nodes = new HashMap<>();

  private PathWalker<String, String> walker;

  @BeforeEach
  void tree() {
    dir("");
    dir("a");
    dir("a/b");
    file("a/b/f");
    file("top");
    link("a/up", "..");
    link("a/abs", "/top");
    link("a/dir", "b");
    link("a/slash", "b/");
    link("loop", "loop");
    link("empty", "");
    walker =
        new PathWalker<>(
            new PathWalker.Tree<>() {
              @Override
              public String root() {
                return "";
              }

              @Override
              public String parent(String dir) {
                int i = dir.lastIndexOf('/');
                return i < 0 ? "" : dir.substring(0, i);
              }

              @Override
              public String lookup(String dir, String name) {
                String path = dir.isEmpty() ? name : dir + "/" + name;
                return nodes.containsKey(path) ? path : null;
              }

              @Override
              public String node(String dir) {
                return dir;
              }

              @Override
              public String directory(String node) {
                return nodes.get(node) ? node : null;
              }

              @Override
              public String symlinkTarget(String node) {
                return links.get(node);
              }
            });
  }

  @Test
  void walksToTheLastName() throws Exception {
    Walk<String, String> w = walker.walk("a/b/f", true);
    assertEquals("a/b", w.dir());
    assertEquals("f", w.name());
    assertEquals("a/b/f", w.node());
    assertEquals(Last.NAME, w.last());
    assertFalse(w.mustBeDirectory());
  }

  @Test
  void aMissingLastNameIsNoError() throws Exception {
    Walk<String, String> w = walker.walk("a/new", true);
    assertEquals("a", w.dir());
    assertEquals("new", w.name());
    assertNull(w.node());
  }

  @Test
  void namesTheEndingsThatAreNotNames() throws Exception {
    assertEquals(Last.ROOT, walker.walk("", true).last());
    assertEquals(Last.ROOT, walker.walk("//", true).last());
    assertEquals(Last.DOT, walker.walk("a/.", true).last());
    Walk<String, String> up = walker.walk("a/b/..", true);
    assertEquals(Last.DOTDOT, up.last());
    assertEquals("a", up.node());
  }

  @Test
  void dotDotStopsAtTheRoot() throws Exception {
    assertEquals("top", walker.walk("../../../top", true).node());
  }

  @Test
  void followsSymlinksOnTheWayAndAtTheEndWhenAsked() throws Exception {
    assertEquals("a/b/f", walker.walk("a/dir/f", false).node());
    assertEquals("a/dir", walker.walk("a/dir", false).node());
    assertEquals("a/b", walker.walk("a/dir", true).node());
  }

  @Test
  void dotDotInATargetIsTheParentOfWhereTheLinkLives() throws Exception {
    assertEquals("a/b/f", walker.walk("a/up/a/b/f", true).node());
  }

  @Test
  void anAbsoluteTargetStartsAtTheRoot() throws Exception {
    assertEquals("top", walker.walk("a/abs", true).node());
  }

  @Test
  void aTrailingSlashFollowsAndAsksForADirectory() throws Exception {
    Walk<String, String> w = walker.walk("a/dir/", false);
    assertEquals("a/b", w.node());
    assertTrue(w.mustBeDirectory());
    assertTrue(walker.walk("a/slash", true).mustBeDirectory(), "the target's slash counts too");
  }

  @Test
  void walkParentNeverFollowsTheLastName() throws Exception {
    Walk<String, String> w = walker.walkParent("a/dir/");
    assertEquals("a/dir", w.node());
    assertEquals("a", w.dir());
    assertTrue(w.mustBeDirectory());
  }

  @Test
  void failsAsLinux() {
    assertErrno(Errno.ENOENT, () -> walker.walk("missing/f", true));
    assertErrno(Errno.ENOTDIR, () -> walker.walk("top/f", true));
    assertErrno(Errno.ELOOP, () -> walker.walk("loop", true));
    assertErrno(Errno.ELOOP, () -> walker.walk("loop/x", false));
    assertErrno(Errno.ENOENT, () -> walker.walk("empty", true));
  }

  @Test
  void countsFortySymlinksAtMost() throws Exception {
    link("c0", "top");
    for (int i = 1; i <= 40; i++) {
      link("c" + i, "c" + (i - 1));
    }
    assertEquals("top", walker.walk("c39", true).node());
    assertErrno(Errno.ELOOP, () -> walker.walk("c40", true));
  }

  private void dir(String path) {
    nodes.put(path, true);
  }

  private void file(String path) {
    nodes.put(path, false);
  }

  private void link(String path, String target) {
    nodes.put(path, false);
    links.put(path, target);
  }
}
