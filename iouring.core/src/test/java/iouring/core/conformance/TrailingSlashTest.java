package iouring.core.conformance;

import static iouring.api.abi.FileFlags.*;
import static iouring.api.abi.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.Statx;
import iouring.api.spi.VfsProvider;
import iouring.core.Kernel;
import iouring.vfs.host.HostProvider;
import iouring.vfs.memory.MemoryProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A slash after a path's last name, as Linux 6.18 answers it (the kernel-conformance scenarios "a
 * trailing slash: ..." measured it): the name must be a directory, so a file there is {@code
 * ENOTDIR} and never unlinked, renamed, linked or opened; a create is {@code EISDIR}; a new link
 * name is {@code EEXIST} or {@code ENOENT}. On the host and the memory provider alike, since the
 * rule lives in the emulated kernel, not in the providers. Also the order of a name over {@code
 * NAME_MAX}: after the walk to it.
 */
class TrailingSlashTest {
  @TempDir Path root;

  private IoUringProcess process;
  private RawRing ring;
  private int dir;

  private void start(String provider) throws IOException {
    VfsProvider p = provider.equals("host") ? new HostProvider(root) : new MemoryProvider();
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, p);
    process = kernel.newProcess();
    ring = RawRing.create(process, 8);
    dir = process.openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY, 0);
    close(open("f", O_CREAT | O_WRONLY, 0644));
    write("f", "0123456789");
    close(open("g", O_CREAT | O_WRONLY, 0644));
    assertEquals(0, mkdir("d"));
    assertEquals(0, mkdir("e"));
  }

  @AfterEach
  void tearDown() {
    if (process != null) {
      process.close();
    }
  }

  private long path(String p) {
    return UserBuffer.cString(process, p).address();
  }

  private int open(String p, int flags, int mode) {
    return ring.result(
        Sqe.op(IORING_OP_OPENAT).fd(dir).addr(path(p)).opFlags(flags).len(mode).userData(1));
  }

  private void close(int fd) {
    assertTrue(fd >= 0, "an fd, not " + Errno.name(-fd));
    process.close(fd);
  }

  private void write(String p, String text) {
    int fd = open(p, O_WRONLY, 0);
    UserBuffer b = UserBuffer.cString(process, text);
    assertEquals(
        text.length(),
        ring.result(Sqe.op(IORING_OP_WRITE).fd(fd).addr(b.address()).len(text.length())));
    process.close(fd);
  }

  private int mkdir(String p) {
    return ring.result(Sqe.op(IORING_OP_MKDIRAT).fd(dir).addr(path(p)).len(0755));
  }

  private int statxType(String p) {
    UserBuffer st = UserBuffer.allocate(process, Statx.STATX_SIZE_BYTES);
    int res =
        ring.result(
            Sqe.op(IORING_OP_STATX).fd(dir).addr(path(p)).len(Statx.STATX_TYPE).off(st.address()));
    return res < 0 ? res : st.buffer().getShort(Statx.OFF_STX_MODE) & S_IFMT;
  }

  private int unlink(String p, int flags) {
    return ring.result(Sqe.op(IORING_OP_UNLINKAT).fd(dir).addr(path(p)).opFlags(flags));
  }

  private int rename(String from, String to) {
    return ring.result(Sqe.op(IORING_OP_RENAMEAT).fd(dir).addr(path(from)).len(dir).off(path(to)));
  }

  private int link(String from, String to) {
    return ring.result(Sqe.op(IORING_OP_LINKAT).fd(dir).addr(path(from)).len(dir).off(path(to)));
  }

  private int symlink(String target, String name) {
    return ring.result(Sqe.op(IORING_OP_SYMLINKAT).fd(dir).addr(path(target)).off(path(name)));
  }

  private static String name(int res) {
    return res >= 0 ? "ok" : Errno.name(-res);
  }

  @ParameterizedTest
  @ValueSource(strings = {"host", "memory"})
  void aTrailingSlashWantsADirectory(String provider) throws IOException {
    start(provider);
    List<String> got = new ArrayList<>();
    int d = open("d/", O_RDONLY, 0);
    got.add("open d/ " + name(d));
    process.close(d);
    got.add("open f/ " + name(open("f/", O_RDONLY, 0)));
    got.add("open f/ O_TRUNC " + name(open("f/", O_WRONLY | O_TRUNC, 0)));
    got.add("open d/ for writing " + name(open("d/", O_WRONLY, 0)));
    got.add("open missing/ " + name(open("missing/", O_RDONLY, 0)));
    got.add("create n/ " + name(open("n/", O_CREAT | O_WRONLY, 0644)));
    got.add("create f/ " + name(open("f/", O_CREAT | O_WRONLY, 0644)));
    got.add("create d/ " + name(open("d/", O_CREAT | O_RDONLY, 0644)));
    got.add("create missing/n/ " + name(open("missing/n/", O_CREAT | O_WRONLY, 0644)));
    got.add("statx f/ " + name(statxType("f/")));
    got.add("statx d// is a directory " + (statxType("d//") == S_IFDIR));
    got.add("unlink f/ " + name(unlink("f/", 0)));
    got.add("unlink d/ " + name(unlink("d/", 0)));
    got.add("unlink missing/ " + name(unlink("missing/", 0)));
    got.add("rmdir f/ " + name(unlink("f/", AT_REMOVEDIR)));
    got.add("mkdir m/ " + name(mkdir("m/")));
    got.add("rename f/ h " + name(rename("f/", "h")));
    got.add("rename f h/ " + name(rename("f", "h/")));
    got.add("rename missing/ h " + name(rename("missing/", "h")));
    got.add("rename e/ e2/ " + name(rename("e/", "e2/")));
    got.add("link f/ h " + name(link("f/", "h")));
    got.add("link f h/ " + name(link("f", "h/")));
    got.add("link f g/ " + name(link("f", "g/")));
    got.add("symlink f s/ " + name(symlink("f", "s/")));
    got.add("symlink f g/ " + name(symlink("f", "g/")));
    got.add("f is still a file " + (statxType("f") == S_IFREG));
    got.add("h, n and s are absent " + (statxType("h") + statxType("n") + statxType("s")));
    int f = open("f", O_RDONLY, 0);
    UserBuffer b = UserBuffer.allocate(process, 16);
    got.add(
        "f holds "
            + ring.result(Sqe.op(IORING_OP_READ).fd(f).addr(b.address()).len(16))
            + " bytes");
    process.close(f);
    assertEquals(
        List.of(
            "open d/ ok",
            "open f/ ENOTDIR",
            "open f/ O_TRUNC ENOTDIR",
            "open d/ for writing EISDIR",
            "open missing/ ENOENT",
            "create n/ EISDIR",
            "create f/ EISDIR",
            "create d/ EISDIR",
            "create missing/n/ ENOENT",
            "statx f/ ENOTDIR",
            "statx d// is a directory true",
            "unlink f/ ENOTDIR",
            "unlink d/ EISDIR",
            "unlink missing/ ENOENT",
            "rmdir f/ ENOTDIR",
            "mkdir m/ ok",
            "rename f/ h ENOTDIR",
            "rename f h/ ENOTDIR",
            "rename missing/ h ENOENT",
            "rename e/ e2/ ok",
            "link f/ h ENOTDIR",
            "link f h/ ENOENT",
            "link f g/ EEXIST",
            "symlink f s/ ENOENT",
            "symlink f g/ EEXIST",
            "f is still a file true",
            "h, n and s are absent " + (3 * -Errno.ENOENT),
            "f holds 10 bytes"),
        got);
  }

  @ParameterizedTest
  @ValueSource(strings = {"host", "memory"})
  void aNameOverNameMaxFailsAfterTheWalkToIt(String provider) throws IOException {
    start(provider);
    String longName = "x".repeat(256);
    assertEquals(-Errno.ENOTDIR, open("f/" + longName, O_RDONLY, 0));
    assertEquals(-Errno.ENOENT, open("missing/" + longName, O_RDONLY, 0));
    assertEquals(-Errno.ENAMETOOLONG, open("d/" + longName, O_RDONLY, 0));
    assertEquals(-Errno.ENAMETOOLONG, open(longName + "/f", O_RDONLY, 0));
    assertEquals(-Errno.ENOTDIR, statxType("f/" + longName + "/y"));
    // PATH_MAX is getname's, before any walk: ENAMETOOLONG even under a file.
    assertEquals(-Errno.ENAMETOOLONG, open("f/" + longName + "/" + "y".repeat(4096), O_RDONLY, 0));
  }
}
