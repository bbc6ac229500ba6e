package iouring.vfs;

import static iouring.api.abi.FileFlags.XATTR_CREATE;
import static iouring.api.abi.FileFlags.XATTR_REPLACE;
import static iouring.vfs.ProviderFixture.assertErrno;
import static iouring.vfs.ProviderFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsCapability;
import org.junit.jupiter.api.Test;

/** {@code getxattr(2)} and {@code setxattr(2)} in the {@code user.} namespace. */
public interface XattrContract extends ProviderFixture {

  @Test
  default void xattrsNeedTheirCapability() throws Exception {
    if (has(VfsCapability.XATTRS)) {
      return;
    }
    put("f", "x");
    assertErrno(Errno.EOPNOTSUPP, () -> provider().getxattr("f", "user.a", true));
    assertErrno(Errno.EOPNOTSUPP, () -> provider().setxattr("f", "user.a", bytes("v"), 0, true));
    assertErrno(Errno.EOPNOTSUPP, () -> provider().listxattr("f", true));
    assertErrno(Errno.EOPNOTSUPP, () -> provider().removexattr("f", "user.a", true));
  }

  @Test
  default void listAndRemoveSeeWhatWasSet() throws Exception {
    assume(VfsCapability.XATTRS);
    put("f", "x");
    assertEquals(java.util.List.of(), provider().listxattr("f", true));
    provider().setxattr("f", "user.a", bytes("1"), 0, true);
    provider().setxattr("f", "user.b", bytes("2"), 0, true);
    assertEquals(
        java.util.Set.of("user.a", "user.b"),
        new java.util.HashSet<>(provider().listxattr("f", true)));
    provider().removexattr("f", "user.a", true);
    assertEquals(java.util.List.of("user.b"), provider().listxattr("f", true));
    assertErrno(Errno.ENODATA, () -> provider().getxattr("f", "user.a", true));
    assertErrno(Errno.ENODATA, () -> provider().removexattr("f", "user.a", true));
    assertErrno(Errno.ENOENT, () -> provider().listxattr("missing", true));
    assertErrno(Errno.ENOENT, () -> provider().removexattr("missing", "user.b", true));
  }

  @Test
  default void aValueComesBackAsSet() throws Exception {
    assume(VfsCapability.XATTRS);
    put("f", "x");
    provider().mkdir("d", 0700);
    provider().setxattr("f", "user.comment", bytes("hello"), 0, true);
    provider().setxattr("d", "user.comment", new byte[0], 0, true);
    assertArrayEquals(bytes("hello"), provider().getxattr("f", "user.comment", true));
    assertArrayEquals(new byte[0], provider().getxattr("d", "user.comment", false));
    provider().setxattr("f", "user.comment", bytes("bye"), 0, true);
    assertArrayEquals(bytes("bye"), provider().getxattr("f", "user.comment", true));
  }

  @Test
  default void valuesAreCopiedBothWays() throws Exception {
    assume(VfsCapability.XATTRS);
    put("f", "x");
    byte[] value = bytes("abc");
    provider().setxattr("f", "user.a", value, 0, true);
    value[0] = 'z';
    provider().getxattr("f", "user.a", true)[1] = 'z';
    assertArrayEquals(bytes("abc"), provider().getxattr("f", "user.a", true));
  }

  @Test
  default void anAbsentAttributeIsEnodata() throws Exception {
    assume(VfsCapability.XATTRS);
    put("f", "x");
    assertErrno(Errno.ENODATA, () -> provider().getxattr("f", "user.none", true));
  }

  @Test
  default void createAndReplaceInsistOnAbsenceAndPresence() throws Exception {
    assume(VfsCapability.XATTRS);
    put("f", "x");
    assertErrno(
        Errno.ENODATA, () -> provider().setxattr("f", "user.a", bytes("1"), XATTR_REPLACE, true));
    provider().setxattr("f", "user.a", bytes("1"), XATTR_CREATE, true);
    assertErrno(
        Errno.EEXIST, () -> provider().setxattr("f", "user.a", bytes("2"), XATTR_CREATE, true));
    provider().setxattr("f", "user.a", bytes("3"), XATTR_REPLACE, true);
    assertArrayEquals(bytes("3"), provider().getxattr("f", "user.a", true));
  }

  @Test
  default void unknownFlagsAreEinval() throws Exception {
    assume(VfsCapability.XATTRS);
    put("f", "x");
    assertErrno(Errno.EINVAL, () -> provider().setxattr("f", "user.a", bytes("1"), 4, true));
  }

  @Test
  default void valuesOver64KiBAreE2big() throws Exception {
    assume(VfsCapability.XATTRS);
    put("f", "x");
    assertErrno(Errno.E2BIG, () -> provider().setxattr("f", "user.big", new byte[65537], 0, true));
    try {
      provider().setxattr("f", "user.big", new byte[65536], 0, true);
    } catch (iouring.api.spi.VfsException e) {
      // What the file system keeps is its own limit: ext4 holds a value in one block, ENOSPC.
      org.junit.jupiter.api.Assertions.assertEquals(Errno.ENOSPC, e.errno(), e.getMessage());
      return;
    }
    assertArrayEquals(new byte[65536], provider().getxattr("f", "user.big", true));
  }

  @Test
  default void badNamesFailAsLinux() throws Exception {
    assume(VfsCapability.XATTRS);
    put("f", "x");
    assertErrno(Errno.ERANGE, () -> provider().getxattr("f", "", true));
    assertErrno(
        Errno.ERANGE,
        () -> provider().setxattr("f", "user." + "n".repeat(251), bytes("v"), 0, true));
    assertErrno(Errno.EOPNOTSUPP, () -> provider().setxattr("f", "nosuch.a", bytes("v"), 0, true));
    assertErrno(Errno.EOPNOTSUPP, () -> provider().getxattr("f", "nosuch.a", true));
  }

  @Test
  default void aMissingFileIsEnoent() {
    assume(VfsCapability.XATTRS);
    assertErrno(Errno.ENOENT, () -> provider().getxattr("missing", "user.a", true));
    assertErrno(Errno.ENOENT, () -> provider().setxattr("missing", "user.a", bytes("v"), 0, true));
  }

  @Test
  default void symlinksFollowOrRefuseUserAttributes() throws Exception {
    assume(VfsCapability.XATTRS);
    assume(VfsCapability.SYMLINKS);
    put("f", "x");
    provider().symlink("f", "link");
    provider().setxattr("link", "user.a", bytes("via link"), 0, true);
    assertArrayEquals(bytes("via link"), provider().getxattr("f", "user.a", false));
    // xattr_permission: user attributes live only on regular files and directories.
    assertErrno(Errno.ENODATA, () -> provider().getxattr("link", "user.a", false));
    assertErrno(Errno.EPERM, () -> provider().setxattr("link", "user.a", bytes("v"), 0, false));
  }
}
