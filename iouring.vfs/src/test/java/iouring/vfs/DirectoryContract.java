package iouring.vfs;

import static iouring.api.abi.FileFlags.S_IFDIR;
import static iouring.api.abi.FileFlags.S_IFMT;
import static iouring.api.abi.FileFlags.S_IFREG;
import static iouring.vfs.ProviderFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsStat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@code statx}, {@code mkdir}, {@code unlink}, {@code rmdir} and listing directories. */
public interface DirectoryContract extends ProviderFixture {

  @Test
  default void statReportsTypeSizeLinksAndInode() throws Exception {
    put("f", "12345");
    provider().mkdir("d", 0700);
    VfsStat f = provider().stat("f", true);
    assertEquals(S_IFREG, f.mode() & S_IFMT);
    assertEquals(5, f.size());
    assertEquals(1, f.nlink());
    assertTrue(f.blksize() > 0);
    assertNotEquals(VfsStat.NO_TIME, f.mtimeNanos());
    VfsStat d = provider().stat("d", false);
    assertEquals(S_IFDIR | 0700, d.mode());
    assertTrue(d.nlink() >= 2, "a directory has its name and its own .");
    assertNotEquals(f.ino(), d.ino());
    assertEquals(f.ino(), provider().stat("f", false).ino());
  }

  @Test
  default void statOfAMissingNameIsEnoent() {
    assertErrno(Errno.ENOENT, () -> provider().stat("missing", true));
    assertErrno(Errno.ENOENT, () -> provider().stat("missing", false));
  }

  @Test
  default void mkdirMakesAnEmptyDirectory() throws Exception {
    provider().mkdir("d", 0750);
    assertEquals(S_IFDIR, provider().stat("d", true).mode() & S_IFMT);
    assertEquals(List.of(), provider().list("d"));
    provider().mkdir("d/e", 0700);
    assertEquals(List.of("e"), provider().list("d"));
  }

  @Test
  default void mkdirOfAnExistingNameIsEexist() throws Exception {
    provider().mkdir("d", 0700);
    put("f", "x");
    assertErrno(Errno.EEXIST, () -> provider().mkdir("d", 0700));
    assertErrno(Errno.EEXIST, () -> provider().mkdir("f", 0700));
    assertErrno(Errno.EEXIST, () -> provider().mkdir("f/", 0700));
    assertErrno(Errno.EEXIST, () -> provider().mkdir("", 0700));
    assertErrno(Errno.EEXIST, () -> provider().mkdir("d/.", 0700));
    assertErrno(Errno.EEXIST, () -> provider().mkdir("d/..", 0700));
  }

  @Test
  default void unlinkRemovesAFile() throws Exception {
    put("f", "x");
    provider().unlink("f");
    assertErrno(Errno.ENOENT, () -> provider().stat("f", false));
    assertErrno(Errno.ENOENT, () -> provider().unlink("f"));
  }

  @Test
  default void unlinkOfADirectoryIsEisdir() throws Exception {
    provider().mkdir("d", 0700);
    assertErrno(Errno.EISDIR, () -> provider().unlink("d"));
    assertErrno(Errno.EISDIR, () -> provider().unlink("d/"));
    assertErrno(Errno.EISDIR, () -> provider().unlink(""));
    assertErrno(Errno.EISDIR, () -> provider().unlink("d/."));
    assertEquals(S_IFDIR, provider().stat("d", true).mode() & S_IFMT);
  }

  @Test
  default void rmdirRemovesAnEmptyDirectory() throws Exception {
    provider().mkdir("d", 0700);
    provider().rmdir("d");
    assertErrno(Errno.ENOENT, () -> provider().stat("d", true));
    assertErrno(Errno.ENOENT, () -> provider().rmdir("d"));
  }

  @Test
  default void rmdirOfANonEmptyDirectoryIsEnotempty() throws Exception {
    provider().mkdir("d", 0700);
    put("d/f", "x");
    assertErrno(Errno.ENOTEMPTY, () -> provider().rmdir("d"));
    provider().mkdir("e", 0700);
    provider().mkdir("e/sub", 0700);
    assertErrno(Errno.ENOTEMPTY, () -> provider().rmdir("e"));
    assertErrno(Errno.ENOTEMPTY, () -> provider().rmdir("e/sub/.."));
    assertEquals("x", get("d/f"));
  }

  @Test
  default void rmdirOfAFileIsEnotdir() throws Exception {
    put("f", "x");
    assertErrno(Errno.ENOTDIR, () -> provider().rmdir("f"));
    assertEquals("x", get("f"));
  }

  @Test
  default void rmdirOfTheRootIsEbusy() {
    assertErrno(Errno.EBUSY, () -> provider().rmdir(""));
    assertErrno(Errno.EBUSY, () -> provider().rmdir("/"));
  }

  @Test
  default void rmdirOfDotIsEinval() throws Exception {
    provider().mkdir("d", 0700);
    assertErrno(Errno.EINVAL, () -> provider().rmdir("d/."));
  }

  @Test
  default void listNamesEveryEntryButDotAndDotDot() throws Exception {
    put("a", "1");
    put("b", "2");
    provider().mkdir("c", 0700);
    Set<String> names = new TreeSet<>(provider().list(""));
    assertEquals(Set.of("a", "b", "c"), names);
    assertEquals(Set.of("a", "b", "c"), new TreeSet<>(provider().list("c/..")));
  }

  @Test
  default void listOfAFileIsEnotdir() throws Exception {
    put("f", "x");
    assertErrno(Errno.ENOTDIR, () -> provider().list("f"));
  }

  @Test
  default void listOfAMissingNameIsEnoent() {
    assertErrno(Errno.ENOENT, () -> provider().list("missing"));
  }

  @Test
  default void namesComeBackAfterRemoval() throws Exception {
    put("x", "file");
    provider().unlink("x");
    provider().mkdir("x", 0700);
    provider().rmdir("x");
    put("x", "file again");
    assertEquals("file again", get("x"));
  }
}
