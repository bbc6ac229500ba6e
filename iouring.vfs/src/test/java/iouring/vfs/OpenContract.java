package iouring.vfs;

import static iouring.api.abi.FileFlags.O_CREAT;
import static iouring.api.abi.FileFlags.O_DIRECTORY;
import static iouring.api.abi.FileFlags.O_EXCL;
import static iouring.api.abi.FileFlags.O_NOFOLLOW;
import static iouring.api.abi.FileFlags.O_RDONLY;
import static iouring.api.abi.FileFlags.O_RDWR;
import static iouring.api.abi.FileFlags.O_TRUNC;
import static iouring.api.abi.FileFlags.O_WRONLY;
import static iouring.api.abi.FileFlags.S_IFREG;
import static iouring.vfs.ProviderFixture.assertErrno;
import static iouring.vfs.ProviderFixture.bytes;
import static iouring.vfs.ProviderFixture.read;
import static iouring.vfs.ProviderFixture.writeFully;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsCapability;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsStat;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** {@code openat(2)}: creation, the flags a provider honours, and every way opening fails. */
public interface OpenContract extends ProviderFixture {

  @Test
  default void openingAMissingFileWithoutCreateIsEnoent() {
    assertErrno(Errno.ENOENT, () -> provider().open("missing", O_RDONLY, 0));
    assertErrno(Errno.ENOENT, () -> provider().open("missing", O_RDWR, 0));
  }

  @Test
  default void createMakesAnEmptyRegularFileWithTheGivenPermissions() throws Exception {
    try (VfsFile f = provider().open("new", O_CREAT | O_RDWR, 0600)) {
      assertFalse(f.isDirectory());
      assertEquals(0, f.size());
    }
    VfsStat st = provider().stat("new", true);
    assertEquals(S_IFREG | 0600, st.mode());
    assertEquals(1, st.nlink());
    assertEquals(0, st.size());
    assertTrue(provider().list("").contains("new"));
  }

  @Test
  default void createOnAnExistingFileOpensItUntouched() throws Exception {
    put("f", "kept");
    long ino = provider().stat("f", true).ino();
    try (VfsFile f = provider().open("f", O_CREAT | O_RDWR, 0600)) {
      assertEquals(4, f.size());
    }
    assertEquals("kept", get("f"));
    assertEquals(ino, provider().stat("f", true).ino());
  }

  @Test
  default void exclusiveCreateOfAnExistingNameIsEexist() throws Exception {
    put("f", "x");
    provider().mkdir("d", 0700);
    assertErrno(Errno.EEXIST, () -> provider().open("f", O_CREAT | O_EXCL | O_RDWR, 0600));
    assertErrno(Errno.EEXIST, () -> provider().open("d", O_CREAT | O_EXCL | O_RDWR, 0600));
    provider().open("g", O_CREAT | O_EXCL | O_RDWR, 0600).close();
  }

  @Test
  default void truncFlagEmptiesTheFile() throws Exception {
    put("f", "some content");
    try (VfsFile f = provider().open("f", O_WRONLY | O_TRUNC, 0)) {
      assertEquals(0, f.size());
    }
    assertEquals("", get("f"));
  }

  @Test
  default void directoryFlagOnAFileIsEnotdir() throws Exception {
    put("f", "x");
    assertErrno(Errno.ENOTDIR, () -> provider().open("f", O_RDONLY | O_DIRECTORY, 0));
  }

  @Test
  default void directoryFlagOnADirectoryOpensIt() throws Exception {
    provider().mkdir("d", 0700);
    try (VfsFile d = provider().open("d", O_RDONLY | O_DIRECTORY, 0)) {
      assertTrue(d.isDirectory());
      assertEquals(provider().stat("d", true).ino(), d.stat().ino());
    }
    try (VfsFile root = provider().open("", O_RDONLY | O_DIRECTORY, 0)) {
      assertTrue(root.isDirectory());
    }
  }

  @Test
  default void openingADirectoryForWritingIsEisdir() throws Exception {
    provider().mkdir("d", 0700);
    assertErrno(Errno.EISDIR, () -> provider().open("d", O_WRONLY, 0));
    assertErrno(Errno.EISDIR, () -> provider().open("d", O_RDWR, 0));
    assertErrno(Errno.EISDIR, () -> provider().open("d", O_CREAT | O_RDWR, 0600));
    assertErrno(Errno.EISDIR, () -> provider().open("", O_RDWR, 0));
  }

  @Test
  default void createOfADotOrASlashedNameIsEisdir() throws Exception {
    provider().mkdir("d", 0700);
    assertErrno(Errno.EISDIR, () -> provider().open(".", O_CREAT | O_RDWR, 0600));
    assertErrno(Errno.EISDIR, () -> provider().open("d/..", O_CREAT | O_RDWR, 0600));
    assertErrno(Errno.EISDIR, () -> provider().open("new/", O_CREAT | O_RDWR, 0600));
    assertErrno(Errno.ENOENT, () -> provider().stat("new", true));
  }

  @Test
  default void readingAWriteOnlyFileIsEbadf() throws Exception {
    try (VfsFile f = provider().open("f", O_CREAT | O_WRONLY, 0600)) {
      assertErrno(Errno.EBADF, () -> f.read(ByteBuffer.allocate(4), 0));
    }
  }

  @Test
  default void writingAReadOnlyFileIsEbadf() throws Exception {
    put("f", "x");
    try (VfsFile f = provider().open("f", O_RDONLY, 0)) {
      assertErrno(Errno.EBADF, () -> f.write(ByteBuffer.wrap(bytes("y")), 0));
      assertErrno(Errno.EBADF, () -> f.allocate(0, 0, 10));
      // ftruncate(2) names a descriptor not open for writing EINVAL, not EBADF.
      assertErrno(Errno.EINVAL, () -> f.truncate(0));
    }
    assertEquals("x", get("f"));
  }

  @Test
  default void aClosedFileIsEbadf() throws Exception {
    VfsFile f = provider().open("f", O_CREAT | O_RDWR, 0600);
    f.close();
    assertErrno(Errno.EBADF, () -> f.read(ByteBuffer.allocate(1), 0));
    assertErrno(Errno.EBADF, () -> f.write(ByteBuffer.allocate(1), 0));
    f.close(); // a second close does nothing
  }

  @Test
  default void twoOpenDescriptionsShareTheData() throws Exception {
    try (VfsFile a = provider().open("f", O_CREAT | O_RDWR, 0600);
        VfsFile b = provider().open("f", O_RDWR, 0)) {
      writeFully(a, bytes("shared"), 0);
      assertArrayEquals(bytes("shared"), read(b, 0, 100));
      assertEquals(6, b.size());
    }
  }

  @Test
  default void noFollowOnASymlinkIsEloop() throws Exception {
    assume(VfsCapability.SYMLINKS);
    put("target", "x");
    provider().symlink("target", "link");
    assertErrno(Errno.ELOOP, () -> provider().open("link", O_RDONLY | O_NOFOLLOW, 0));
    assertErrno(Errno.ELOOP, () -> provider().open("link", O_CREAT | O_RDWR | O_NOFOLLOW, 0600));
  }

  @Test
  default void aDanglingSymlinkIsEnoent() throws Exception {
    assume(VfsCapability.SYMLINKS);
    provider().symlink("nowhere", "link");
    assertErrno(Errno.ENOENT, () -> provider().open("link", O_RDONLY, 0));
    assertErrno(Errno.EEXIST, () -> provider().open("link", O_CREAT | O_EXCL | O_RDWR, 0600));
  }

  @Test
  default void createThroughADanglingSymlinkCreatesItsTarget() throws Exception {
    assume(VfsCapability.SYMLINKS);
    provider().symlink("target", "link");
    try (VfsFile f = provider().open("link", O_CREAT | O_WRONLY, 0600)) {
      writeFully(f, bytes("via link"), 0);
    }
    assertEquals("via link", get("target"));
  }
}
