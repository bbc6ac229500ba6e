package iouring.vfs;

import static iouring.api.abi.FileFlags.RENAME_EXCHANGE;
import static iouring.api.abi.FileFlags.RENAME_NOREPLACE;
import static iouring.api.abi.FileFlags.RENAME_WHITEOUT;
import static iouring.api.abi.FileFlags.S_IFDIR;
import static iouring.api.abi.FileFlags.S_IFMT;
import static iouring.vfs.ProviderFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsCapability;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code renameat2(2)}: moves, replacements, {@code RENAME_NOREPLACE}, {@code RENAME_EXCHANGE}. */
public interface RenameContract extends ProviderFixture {

  @Test
  default void renameMovesAFileAndKeepsItsInode() throws Exception {
    put("a", "content");
    provider().mkdir("d", 0700);
    long ino = provider().stat("a", true).ino();
    provider().rename("a", "d/b", 0);
    assertErrno(Errno.ENOENT, () -> provider().stat("a", true));
    assertEquals("content", get("d/b"));
    assertEquals(ino, provider().stat("d/b", true).ino());
  }

  @Test
  default void renameReplacesAnExistingFile() throws Exception {
    put("a", "new");
    put("b", "old");
    provider().rename("a", "b", 0);
    assertEquals("new", get("b"));
    assertEquals(List.of("b"), provider().list(""));
  }

  @Test
  default void renameOfAMissingNameIsEnoent() throws Exception {
    assertErrno(Errno.ENOENT, () -> provider().rename("missing", "b", 0));
    put("a", "x");
    assertErrno(Errno.ENOENT, () -> provider().rename("a", "nodir/b", 0));
    assertEquals("x", get("a"));
  }

  @Test
  default void renameToItselfChangesNothing() throws Exception {
    put("a", "x");
    provider().mkdir("d", 0700);
    provider().rename("a", "a", 0);
    provider().rename("d", "d", 0);
    assertEquals("x", get("a"));
    assertEquals(S_IFDIR, provider().stat("d", true).mode() & S_IFMT);
  }

  @Test
  default void noReplaceRefusesAnExistingTarget() throws Exception {
    put("a", "a");
    put("b", "b");
    assertErrno(Errno.EEXIST, () -> provider().rename("a", "b", RENAME_NOREPLACE));
    assertEquals("a", get("a"));
    assertEquals("b", get("b"));
    provider().rename("a", "c", RENAME_NOREPLACE);
    assertEquals("a", get("c"));
  }

  @Test
  default void unknownOrConflictingFlagsAreEinval() throws Exception {
    put("a", "a");
    assertErrno(Errno.EINVAL, () -> provider().rename("a", "b", 1 << 5));
    int both = RENAME_NOREPLACE | RENAME_EXCHANGE;
    assertErrno(Errno.EINVAL, () -> provider().rename("a", "b", both));
    assertErrno(Errno.EINVAL, () -> provider().rename("a", "b", RENAME_NOREPLACE | 1 << 5));
    assertEquals("a", get("a"));
    assertErrno(Errno.EINVAL, () -> provider().rename("a", "b", RENAME_WHITEOUT));
  }

  @Test
  default void renameMovesADirectoryWithItsContents() throws Exception {
    provider().mkdir("d", 0700);
    put("d/f", "inside");
    provider().mkdir("e", 0700);
    provider().rename("d", "e/moved", 0);
    assertEquals("inside", get("e/moved/f"));
    assertEquals("inside", get("e/moved/../moved/f"));
    assertErrno(Errno.ENOENT, () -> provider().stat("d", true));
  }

  @Test
  default void renameIntoItsOwnSubtreeIsEinval() throws Exception {
    provider().mkdir("a", 0700);
    provider().mkdir("a/b", 0700);
    assertErrno(Errno.EINVAL, () -> provider().rename("a", "a/b/c", 0));
    assertErrno(Errno.EINVAL, () -> provider().rename("a", "a/c", 0));
    assertEquals(List.of("b"), provider().list("a"));
  }

  @Test
  default void renameOverAnAncestorIsEnotempty() throws Exception {
    provider().mkdir("a", 0700);
    provider().mkdir("a/b", 0700);
    assertErrno(Errno.ENOTEMPTY, () -> provider().rename("a/b", "a", 0));
  }

  @Test
  default void renameOfADirectoryOverANonEmptyDirectoryIsEnotempty() throws Exception {
    provider().mkdir("a", 0700);
    provider().mkdir("b", 0700);
    put("b/f", "x");
    assertErrno(Errno.ENOTEMPTY, () -> provider().rename("a", "b", 0));
    assertEquals("x", get("b/f"));
  }

  @Test
  default void renameOfADirectoryOverAnEmptyDirectoryReplacesIt() throws Exception {
    provider().mkdir("a", 0700);
    put("a/f", "x");
    provider().mkdir("b", 0700);
    provider().rename("a", "b", 0);
    assertEquals("x", get("b/f"));
    assertErrno(Errno.ENOENT, () -> provider().stat("a", true));
  }

  @Test
  default void renameOfADirectoryOverAFileIsEnotdir() throws Exception {
    provider().mkdir("a", 0700);
    put("f", "x");
    assertErrno(Errno.ENOTDIR, () -> provider().rename("a", "f", 0));
    assertEquals("x", get("f"));
  }

  @Test
  default void renameOfAFileOverADirectoryIsEisdir() throws Exception {
    put("f", "x");
    provider().mkdir("d", 0700);
    assertErrno(Errno.EISDIR, () -> provider().rename("f", "d", 0));
    assertEquals("x", get("f"));
  }

  @Test
  default void renameOfTheRootOrADotIsEbusy() throws Exception {
    provider().mkdir("d", 0700);
    assertErrno(Errno.EBUSY, () -> provider().rename("", "x", 0));
    assertErrno(Errno.EBUSY, () -> provider().rename("d/.", "x", 0));
    assertErrno(Errno.EBUSY, () -> provider().rename("d", "d/..", 0));
  }

  @Test
  default void renameOfAFileWithATrailingSlashIsEnotdir() throws Exception {
    put("f", "x");
    assertErrno(Errno.ENOTDIR, () -> provider().rename("f/", "g", 0));
    assertErrno(Errno.ENOTDIR, () -> provider().rename("f", "g/", 0));
    assertEquals("x", get("f"));
  }

  @Test
  default void exchangeNeedsItsCapability() throws Exception {
    if (has(VfsCapability.RENAME_EXCHANGE)) {
      return;
    }
    put("a", "a");
    put("b", "b");
    assertErrno(Errno.EINVAL, () -> provider().rename("a", "b", RENAME_EXCHANGE));
    assertEquals("a", get("a"));
  }

  @Test
  default void exchangeSwapsTwoNames() throws Exception {
    assume(VfsCapability.RENAME_EXCHANGE);
    put("a", "a");
    provider().mkdir("d", 0700);
    put("d/f", "in d");
    provider().rename("a", "d", RENAME_EXCHANGE);
    assertEquals("a", get("d"));
    assertEquals("in d", get("a/f"));
  }

  @Test
  default void exchangeAcrossDirectoriesMovesBoth() throws Exception {
    assume(VfsCapability.RENAME_EXCHANGE);
    provider().mkdir("p", 0700);
    provider().mkdir("q", 0700);
    provider().mkdir("p/sub", 0700);
    put("q/f", "file");
    provider().rename("p/sub", "q/f", RENAME_EXCHANGE);
    assertEquals("file", get("p/sub"));
    assertEquals(S_IFDIR, provider().stat("q/f", true).mode() & S_IFMT);
    assertEquals("file", get("q/f/../../p/sub"));
  }

  @Test
  default void exchangeWithAMissingNameIsEnoent() throws Exception {
    assume(VfsCapability.RENAME_EXCHANGE);
    put("a", "a");
    assertErrno(Errno.ENOENT, () -> provider().rename("a", "missing", RENAME_EXCHANGE));
    assertErrno(Errno.ENOENT, () -> provider().rename("missing", "a", RENAME_EXCHANGE));
    assertEquals("a", get("a"));
  }

  @Test
  default void exchangeWithAnAncestorIsEinval() throws Exception {
    assume(VfsCapability.RENAME_EXCHANGE);
    provider().mkdir("a", 0700);
    provider().mkdir("a/b", 0700);
    assertErrno(Errno.EINVAL, () -> provider().rename("a", "a/b", RENAME_EXCHANGE));
    assertErrno(Errno.EINVAL, () -> provider().rename("a/b", "a", RENAME_EXCHANGE));
  }
}
