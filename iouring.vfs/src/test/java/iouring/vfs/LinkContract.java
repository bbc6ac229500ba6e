package iouring.vfs;

import static iouring.api.abi.FileFlags.O_RDWR;
import static iouring.vfs.ProviderFixture.assertErrno;
import static iouring.vfs.ProviderFixture.bytes;
import static iouring.vfs.ProviderFixture.writeFully;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsCapability;
import iouring.api.spi.VfsFile;
import org.junit.jupiter.api.Test;

/** {@code linkat(2)} without {@code AT_SYMLINK_FOLLOW}: hard links and their link counts. */
public interface LinkContract extends ProviderFixture {

  @Test
  default void hardLinksNeedTheirCapability() throws Exception {
    if (has(VfsCapability.HARD_LINKS)) {
      return;
    }
    put("f", "x");
    assertErrno(Errno.EPERM, () -> provider().link("f", "g"));
  }

  @Test
  default void aHardLinkSharesInodeAndData() throws Exception {
    assume(VfsCapability.HARD_LINKS);
    put("f", "one");
    provider().mkdir("d", 0700);
    provider().link("f", "d/g");
    assertEquals(provider().stat("f", true).ino(), provider().stat("d/g", true).ino());
    assertEquals(2, provider().stat("f", true).nlink());
    try (VfsFile g = provider().open("d/g", O_RDWR, 0)) {
      writeFully(g, bytes("two"), 0);
    }
    assertEquals("two", get("f"));
  }

  @Test
  default void unlinkingOneNameKeepsTheOther() throws Exception {
    assume(VfsCapability.HARD_LINKS);
    put("f", "kept");
    provider().link("f", "g");
    provider().unlink("f");
    assertEquals("kept", get("g"));
    assertEquals(1, provider().stat("g", true).nlink());
  }

  @Test
  default void renamingOneNameOverItsTwinChangesNothing() throws Exception {
    assume(VfsCapability.HARD_LINKS);
    put("f", "x");
    provider().link("f", "g");
    provider().rename("f", "g", 0);
    assertEquals("x", get("f"));
    assertEquals("x", get("g"));
  }

  @Test
  default void linkingADirectoryIsEperm() throws Exception {
    assume(VfsCapability.HARD_LINKS);
    provider().mkdir("d", 0700);
    assertErrno(Errno.EPERM, () -> provider().link("d", "e"));
    assertErrno(Errno.ENOENT, () -> provider().stat("e", false));
  }

  @Test
  default void linkingOverAnExistingNameIsEexist() throws Exception {
    assume(VfsCapability.HARD_LINKS);
    put("f", "f");
    put("g", "g");
    assertErrno(Errno.EEXIST, () -> provider().link("f", "g"));
    assertEquals("g", get("g"));
  }

  @Test
  default void linkingAMissingNameIsEnoent() throws Exception {
    assume(VfsCapability.HARD_LINKS);
    assertErrno(Errno.ENOENT, () -> provider().link("missing", "g"));
    put("f", "f");
    assertErrno(Errno.ENOENT, () -> provider().link("f", "nodir/g"));
  }

  @Test
  default void linkingASymlinkLinksTheSymlinkItself() throws Exception {
    assume(VfsCapability.HARD_LINKS);
    assume(VfsCapability.SYMLINKS);
    put("f", "x");
    provider().symlink("f", "s");
    provider().link("s", "s2");
    assertEquals("f", provider().readlink("s2"));
    assertEquals(provider().stat("s", false).ino(), provider().stat("s2", false).ino());
  }
}
