package iouring.core.conformance;

import static iouring.api.abi.FileFlags.*;
import static iouring.api.abi.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.OpenHowLayout;
import iouring.api.abi.Statx;
import iouring.core.Kernel;
import iouring.vfs.host.HostProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Path walking as Linux 6.18 does it, row by row from {@code docs/probes/resolve.out}: {@code ..}
 * after a symlink or a missing name, and {@code openat2}'s {@code RESOLVE_*} flags checked at every
 * step, symlink targets included. The probe's {@code /tmp/probe-resolve} is the emulated {@code /}.
 */
class PathResolutionTest {
  private static final long BENEATH = RESOLVE_BENEATH;
  private static final long IN_ROOT = RESOLVE_IN_ROOT;
  private static final long NO_SYMLINKS = RESOLVE_NO_SYMLINKS;
  private static final long CACHED = RESOLVE_CACHED;

  @TempDir Path root;

  private IoUringProcess process;
  private RawRing ring;
  private int d;

  @BeforeEach
  void setUp() throws IOException {
    Path dir = root.resolve("d");
    Files.createDirectories(dir.resolve("sub/deep/er"));
    Files.createDirectories(dir.resolve("sub/x"));
    Files.writeString(dir.resolve("f"), "f");
    Files.writeString(root.resolve("outside"), "out");
    Files.writeString(dir.resolve("sub/deep/f"), "deepf");
    link("abs", "/outside");
    link("up", "../outside");
    link("sub/tof", "../f");
    link("deeplink", "sub/deep/er");
    link("rootf", "/f");
    link("up2", "../../f");
    link("loop1", "loop2");
    link("loop2", "loop1");
    link("dangling", "nothere");
    link("sublink", "sub");
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new HostProvider(root));
    process = kernel.newProcess();
    ring = RawRing.create(process, 8);
    d = process.openat(AT_FDCWD, "/d", O_RDONLY | O_DIRECTORY, 0);
  }

  @AfterEach
  void tearDown() {
    process.close();
  }

  private void link(String name, String target) throws IOException {
    Files.createSymbolicLink(root.resolve("d").resolve(name), Path.of(target));
  }

  private int openat2(int dfd, String path, long flags, long resolve) {
    UserBuffer how = UserBuffer.allocate(process, OpenHowLayout.SIZE);
    how.buffer().putLong(OpenHowLayout.OFF_FLAGS, flags);
    how.buffer().putLong(OpenHowLayout.OFF_MODE, (flags & O_CREAT) != 0 ? 0644 : 0);
    how.buffer().putLong(OpenHowLayout.OFF_RESOLVE, resolve);
    long name = UserBuffer.cString(process, path).address();
    return ring.result(
        Sqe.op(IORING_OP_OPENAT2)
            .fd(dfd)
            .addr(name)
            .off(how.address())
            .len(OpenHowLayout.SIZE)
            .userData(1));
  }

  private int openat(int dfd, String path, int flags) {
    long name = UserBuffer.cString(process, path).address();
    return ring.result(Sqe.op(IORING_OP_OPENAT).fd(dfd).addr(name).opFlags(flags).userData(2));
  }

  /** Asserts that the open gave an fd for the host file or directory {@code where}. */
  private void opens(String where, int fd) throws IOException {
    assertTrue(fd >= 0, "expected " + where + ", got " + Errno.name(-fd));
    UserBuffer buf = UserBuffer.allocate(process, Statx.STATX_SIZE_BYTES);
    long empty = UserBuffer.cString(process, "").address();
    int res =
        ring.result(
            Sqe.op(IORING_OP_STATX)
                .fd(fd)
                .addr(empty)
                .opFlags(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)
                .len(Statx.STATX_INO)
                .off(buf.address())
                .userData(3));
    assertEquals(0, res);
    Object ino =
        Files.getAttribute(
            root.resolve(where), "unix:ino", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    assertEquals(((Number) ino).longValue(), buf.buffer().getLong(Statx.OFF_STX_INO), where);
    process.close(fd);
  }

  private static void fails(int errno, int res) {
    assertEquals(-errno, res, "expected " + Errno.name(errno) + ", got " + res);
  }

  @Test
  void beneathStaysUnderTheDirectoryAtEveryStep() throws IOException {
    opens("d/f", openat2(d, "f", O_RDONLY, BENEATH));
    fails(Errno.EXDEV, openat2(d, "/d/f", O_RDONLY, BENEATH));
    fails(Errno.EXDEV, openat2(d, "../d/f", O_RDONLY, BENEATH));
    opens("d/f", openat2(d, "sub/../f", O_RDONLY, BENEATH));
    fails(Errno.EXDEV, openat2(d, "abs", O_RDONLY, BENEATH));
    fails(Errno.EXDEV, openat2(d, "up", O_RDONLY, BENEATH));
    opens("d/f", openat2(d, "sub/tof", O_RDONLY, BENEATH));
    opens("d/sub/deep/f", openat2(d, "deeplink/../f", O_RDONLY, BENEATH));
    opens("d", openat2(d, "deeplink/../../..", O_RDONLY | O_DIRECTORY, BENEATH));
    fails(Errno.EXDEV, openat2(d, "deeplink/../../../..", O_RDONLY | O_DIRECTORY, BENEATH));
    fails(Errno.ENOENT, openat2(d, "missing/../f", O_RDONLY, BENEATH));
    fails(Errno.ENOTDIR, openat2(d, "f/x", O_RDONLY, BENEATH));
    fails(Errno.EXDEV, openat2(d, "rootf", O_RDONLY, BENEATH));
    fails(Errno.EXDEV, openat2(d, "up2", O_RDONLY, BENEATH));
    fails(Errno.ELOOP, openat2(d, "loop1", O_RDONLY, BENEATH));
    opens("d", openat2(d, ".", O_RDONLY | O_DIRECTORY, BENEATH));
    fails(Errno.EXDEV, openat2(d, "..", O_RDONLY | O_DIRECTORY, BENEATH));
    opens("d", openat2(d, "sublink/..", O_RDONLY | O_DIRECTORY, BENEATH));
  }

  @Test
  void beneathAndTheLastComponent() throws IOException {
    int fd = openat2(d, "dangling", O_RDWR | O_CREAT, BENEATH);
    opens("d/nothere", fd); // created where the dangling link points
    // Linux opens the link itself here; providers open no symlink (SUPPORTED.md): ELOOP.
    fails(Errno.ELOOP, openat2(d, "abs", O_PATH | O_NOFOLLOW, BENEATH));
    fails(Errno.ELOOP, openat2(d, "abs", O_RDONLY | O_NOFOLLOW, BENEATH));
    fails(Errno.EEXIST, openat2(d, "abs", O_RDWR | O_CREAT | O_EXCL, BENEATH));
  }

  @Test
  void inRootMakesTheDirectoryTheRoot() throws IOException {
    opens("d/f", openat2(d, "f", O_RDONLY, IN_ROOT));
    opens("d/f", openat2(d, "/f", O_RDONLY, IN_ROOT));
    opens("d/f", openat2(d, "../../f", O_RDONLY, IN_ROOT));
    fails(Errno.ENOENT, openat2(d, "abs", O_RDONLY, IN_ROOT)); // d/outside does not exist
    fails(Errno.ENOENT, openat2(d, "up", O_RDONLY, IN_ROOT));
    opens("d/f", openat2(d, "rootf", O_RDONLY, IN_ROOT));
    opens("d/f", openat2(d, "up2", O_RDONLY, IN_ROOT));
    opens("d/sub/deep/f", openat2(d, "deeplink/../f", O_RDONLY, IN_ROOT));
    opens("d/f", openat2(d, "deeplink/../../../../f", O_RDONLY, IN_ROOT));
    fails(Errno.EINVAL, openat2(d, "f", O_RDONLY, BENEATH | IN_ROOT));
  }

  @Test
  void noSymlinksRefusesEveryLinkItWouldFollow() throws IOException {
    fails(Errno.ELOOP, openat2(d, "sub/tof", O_RDONLY, NO_SYMLINKS));
    fails(Errno.ELOOP, openat2(d, "sublink/deep/f", O_RDONLY, NO_SYMLINKS));
    fails(Errno.ELOOP, openat2(d, "abs", O_PATH | O_NOFOLLOW, NO_SYMLINKS)); // as above
    fails(Errno.ELOOP, openat2(d, "abs", O_RDONLY | O_NOFOLLOW, NO_SYMLINKS));
    opens("d/sub/deep/f", openat2(d, "sub/deep/f", O_RDONLY, NO_SYMLINKS));
    fails(Errno.ENOENT, openat2(d, "missing", O_RDONLY, NO_SYMLINKS));
    fails(Errno.ELOOP, openat2(d, "dangling", O_RDWR | O_CREAT, NO_SYMLINKS));
    assertFalse(Files.exists(root.resolve("d/nothere")));
  }

  @Test
  void cachedRefusesCreateAndTruncateUpFront() throws IOException {
    opens("d/f", openat2(d, "f", O_RDONLY, CACHED));
    fails(Errno.EAGAIN, openat2(d, "f", O_RDWR | O_CREAT, CACHED));
    fails(Errno.EAGAIN, openat2(d, "f", O_RDWR | O_TRUNC, CACHED));
    fails(Errno.EAGAIN, openat2(d, "new", O_RDWR | O_CREAT, CACHED));
    assertFalse(Files.exists(root.resolve("d/new")));
    fails(Errno.ENOENT, openat2(d, "missing", O_RDONLY, CACHED));
    fails(Errno.EXDEV, openat2(d, "abs", O_RDONLY, CACHED | BENEATH));
    fails(Errno.EINVAL, openat2(d, "f", O_RDONLY, 0x40));
  }

  @Test
  void dotDotIsTheParentOfWhatWasReachedNotOfTheName() throws IOException {
    opens("d/sub/deep/f", openat(d, "deeplink/../f", O_RDONLY));
    opens("d/f", openat(d, "sublink/../f", O_RDONLY));
    opens("d/sub/deep", openat(d, "deeplink/..", O_RDONLY | O_DIRECTORY));
    fails(Errno.ENOENT, openat(d, "missing/../f", O_RDONLY));
    fails(Errno.ENOTDIR, openat(d, "f/../f", O_RDONLY));
    fails(Errno.ENOENT, openat(d, "up2", O_RDONLY)); // ../../f from d is /f, which is missing
  }

  private int namespaceOp(int opcode, String path, String path2, int flags) {
    long name = UserBuffer.cString(process, path).address();
    Sqe sqe = Sqe.op(opcode).fd(d).addr(name).opFlags(flags).userData(4);
    if (path2 != null) {
      long name2 = UserBuffer.cString(process, path2).address();
      if (opcode == IORING_OP_SYMLINKAT) {
        sqe.off(name2);
      } else {
        sqe.len(d).off(name2);
      }
    }
    if (opcode == IORING_OP_MKDIRAT) {
      sqe.len(0755);
    }
    return ring.result(sqe);
  }

  @Test
  void theLastComponentsTypeDecidesFirst() {
    fails(Errno.EINVAL, namespaceOp(IORING_OP_UNLINKAT, "sub/.", null, AT_REMOVEDIR));
    fails(Errno.ENOTEMPTY, namespaceOp(IORING_OP_UNLINKAT, "sub/x/..", null, AT_REMOVEDIR));
    fails(Errno.ENOTEMPTY, namespaceOp(IORING_OP_UNLINKAT, "deeplink/..", null, AT_REMOVEDIR));
    fails(Errno.ENOENT, namespaceOp(IORING_OP_UNLINKAT, "missing/..", null, AT_REMOVEDIR));
    fails(Errno.EISDIR, namespaceOp(IORING_OP_UNLINKAT, "sub/.", null, 0));
    fails(Errno.EISDIR, namespaceOp(IORING_OP_UNLINKAT, "sub/..", null, 0));
    fails(Errno.EEXIST, namespaceOp(IORING_OP_MKDIRAT, "sub/.", null, 0));
    fails(Errno.EEXIST, namespaceOp(IORING_OP_MKDIRAT, "sub/..", null, 0));
    fails(Errno.ENOENT, namespaceOp(IORING_OP_MKDIRAT, "missing/..", null, 0));
    fails(Errno.EBUSY, namespaceOp(IORING_OP_RENAMEAT, "sub/x/.", "y", 0));
    fails(Errno.EBUSY, namespaceOp(IORING_OP_RENAMEAT, "f", "sub/..", 0));
    fails(Errno.EEXIST, namespaceOp(IORING_OP_RENAMEAT, "f", "sub/..", RENAME_NOREPLACE));
    fails(Errno.EEXIST, namespaceOp(IORING_OP_SYMLINKAT, "f", "sub/..", 0));
    fails(Errno.EEXIST, namespaceOp(IORING_OP_LINKAT, "f", "sub/.", 0));
    assertTrue(Files.isDirectory(root.resolve("d/sub/x")));
    assertEquals(0, namespaceOp(IORING_OP_UNLINKAT, "deeplink/../f", null, 0));
    assertFalse(Files.exists(root.resolve("d/sub/deep/f")), "the physical parent's f is gone");
    assertTrue(Files.exists(root.resolve("d/f")));
  }

  @Test
  void aWalkFollowsAtMostFortySymlinks() throws IOException {
    Files.createDirectories(root.resolve("d/z"));
    link("z/x", ".");
    fails(Errno.ELOOP, openat(d, "z/" + "x/".repeat(41) + "..", O_RDONLY | O_DIRECTORY));
    opens("d", openat(d, "z/" + "x/".repeat(40) + "..", O_RDONLY | O_DIRECTORY));
  }

  @Test
  void dotDotDeepDownIsStillPhysical() throws IOException {
    String deep = "n/".repeat(100);
    Files.createDirectories(root.resolve("d").resolve(deep));
    link(deep + "up", "../../.."); // from n^100 to n^97
    opens("d/" + "n/".repeat(96), openat(d, deep + "up/..", O_RDONLY | O_DIRECTORY));
  }
}
