package iouring.vfs;

import static iouring.api.abi.FileFlags.O_CREAT;
import static iouring.api.abi.FileFlags.O_RDONLY;
import static iouring.api.abi.FileFlags.O_WRONLY;
import static iouring.api.abi.FileFlags.S_IFDIR;
import static iouring.api.abi.FileFlags.S_IFMT;
import static iouring.vfs.ProviderFixture.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.abi.Errno;
import org.junit.jupiter.api.Test;

/** How providers read paths: the root, {@code .}, {@code ..}, slashes and the limits on names. */
public interface PathContract extends ProviderFixture {

  @Test
  default void emptyPathIsTheRoot() throws Exception {
    assertEquals(S_IFDIR, provider().stat("", true).mode() & S_IFMT);
    assertEquals(provider().stat("", true).ino(), provider().stat("/", true).ino());
    assertEquals(provider().stat("", true).ino(), provider().stat(".", true).ino());
  }

  @Test
  default void dotDotStopsAtTheRoot() throws Exception {
    put("a", "root file");
    assertEquals("root file", get("../../a"));
    assertEquals("root file", get("/../a"));
    assertEquals(provider().stat("", true).ino(), provider().stat("..", true).ino());
  }

  @Test
  default void dotDotClimbsOneDirectory() throws Exception {
    provider().mkdir("d", 0700);
    provider().mkdir("d/e", 0700);
    put("d/f", "in d");
    assertEquals("in d", get("d/e/../f"));
    assertEquals("in d", get("d/e/../../d/./f"));
  }

  @Test
  default void repeatedSlashesAndDotsAreIgnored() throws Exception {
    provider().mkdir("d", 0700);
    put("d/f", "x");
    assertEquals("x", get("d//./f"));
    assertEquals("x", get("//d/.//f"));
    assertEquals("x", get("./d/f"));
  }

  @Test
  default void nameOf255BytesIsAllowed() throws Exception {
    String name = "n".repeat(255);
    put(name, "long");
    assertEquals("long", get(name));
    assertEquals(true, provider().list("").contains(name));
  }

  @Test
  default void nameOver255BytesIsEnametoolong() {
    String name = "n".repeat(256);
    assertErrno(Errno.ENAMETOOLONG, () -> provider().open(name, O_CREAT | O_WRONLY, 0600));
    assertErrno(Errno.ENAMETOOLONG, () -> provider().mkdir(name, 0700));
    assertErrno(Errno.ENAMETOOLONG, () -> provider().stat(name, true));
    assertErrno(Errno.ENAMETOOLONG, () -> provider().stat(name + "/x", true));
  }

  @Test
  default void nameLimitCountsUtf8Bytes() {
    String name = "\u00e9".repeat(128); // 128 characters, 256 bytes
    assertErrno(Errno.ENAMETOOLONG, () -> provider().open(name, O_CREAT | O_WRONLY, 0600));
  }

  @Test
  default void pathOfPathMaxBytesIsEnametoolong() {
    String path = "d/".repeat(2048);
    assertErrno(Errno.ENAMETOOLONG, () -> provider().stat(path, true));
  }

  @Test
  default void nulInANameIsEinval() {
    assertErrno(Errno.EINVAL, () -> provider().open("a\0b", O_CREAT | O_WRONLY, 0600));
    assertErrno(Errno.EINVAL, () -> provider().mkdir("a\0b", 0700));
    assertErrno(Errno.EINVAL, () -> provider().stat("a\0b", true));
  }

  @Test
  default void missingDirectoryOnTheWayIsEnoent() {
    assertErrno(Errno.ENOENT, () -> provider().open("no/f", O_CREAT | O_WRONLY, 0600));
    assertErrno(Errno.ENOENT, () -> provider().mkdir("no/d", 0700));
    assertErrno(Errno.ENOENT, () -> provider().stat("no/f", true));
    assertErrno(Errno.ENOENT, () -> provider().unlink("no/f"));
  }

  @Test
  default void fileOnTheWayIsEnotdir() throws Exception {
    put("f", "x");
    assertErrno(Errno.ENOTDIR, () -> provider().stat("f/x", true));
    assertErrno(Errno.ENOTDIR, () -> provider().open("f/x", O_CREAT | O_WRONLY, 0600));
    assertErrno(Errno.ENOTDIR, () -> provider().mkdir("f/d", 0700));
    assertErrno(Errno.ENOTDIR, () -> provider().unlink("f/x"));
    assertErrno(Errno.ENOTDIR, () -> provider().list("f/x"));
  }

  @Test
  default void trailingSlashOnAFileIsEnotdir() throws Exception {
    put("f", "x");
    assertErrno(Errno.ENOTDIR, () -> provider().stat("f/", true));
    assertErrno(Errno.ENOTDIR, () -> provider().stat("f/", false));
    assertErrno(Errno.ENOTDIR, () -> provider().open("f/", O_RDONLY, 0));
    assertErrno(Errno.ENOTDIR, () -> provider().unlink("f/"));
  }

  @Test
  default void trailingSlashOnADirectoryIsFine() throws Exception {
    provider().mkdir("d/", 0700);
    assertEquals(S_IFDIR, provider().stat("d/", true).mode() & S_IFMT);
    provider().rmdir("d/");
    assertErrno(Errno.ENOENT, () -> provider().stat("d", true));
  }
}
