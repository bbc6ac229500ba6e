package iouring.vfs.fault;

import static iouring.api.abi.FileFlags.O_CREAT;
import static iouring.api.abi.FileFlags.O_RDONLY;
import static iouring.api.abi.FileFlags.O_RDWR;
import static iouring.vfs.ProviderFixture.assertErrno;
import static iouring.vfs.ProviderFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsCapability;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.vfs.memory.MemoryProvider;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each rule form applied to a memory provider: what fails, what waits, what passes through. */
class FaultProviderTest {
  private final MemoryProvider memory = new MemoryProvider();

  private FaultProvider faults(String... rules) throws VfsException {
    memory.mkdir("data", 0700);
    memory.mkdir("data/sub", 0700);
    for (String f : new String[] {"data/a", "data/b", "data/sub/c", "other"}) {
      try (VfsFile file = memory.open(f, O_CREAT | O_RDWR, 0600)) {
        file.write(ByteBuffer.wrap(bytes("content")), 0);
      }
    }
    return new FaultProvider(memory, FaultRule.parseAll(rules));
  }

  @Test
  void anOpRuleFailsThatOperationOnly() throws Exception {
    FaultProvider fs = faults("op=mkdir,errno=EROFS");
    assertErrno(Errno.EROFS, () -> fs.mkdir("new", 0700));
    assertErrno(Errno.ENOENT, () -> memory.stat("new", true)); // it never reached the target
    fs.unlink("other");
    assertEquals(EnumSet.allOf(VfsCapability.class), fs.capabilities());
  }

  @Test
  void everyProviderOperationCanFail() throws Exception {
    FaultProvider fs = faults("op=*");
    assertErrno(Errno.EIO, () -> fs.open("other", O_RDONLY, 0));
    assertErrno(Errno.EIO, () -> fs.stat("other", true));
    assertErrno(Errno.EIO, () -> fs.mkdir("d", 0700));
    assertErrno(Errno.EIO, () -> fs.unlink("other"));
    assertErrno(Errno.EIO, () -> fs.rmdir("data/sub"));
    assertErrno(Errno.EIO, () -> fs.rename("other", "x", 0));
    assertErrno(Errno.EIO, () -> fs.list("data"));
    assertErrno(Errno.EIO, () -> fs.symlink("other", "l"));
    assertErrno(Errno.EIO, () -> fs.readlink("l"));
    assertErrno(Errno.EIO, () -> fs.link("other", "h"));
    assertErrno(Errno.EIO, () -> fs.getxattr("other", "user.a", true));
    assertErrno(Errno.EIO, () -> fs.setxattr("other", "user.a", bytes("v"), 0, true));
    assertErrno(Errno.EIO, () -> fs.chmod("other", 0644, true));
    assertErrno(Errno.EIO, () -> fs.chown("other", 1, 1, true));
    assertErrno(Errno.EIO, () -> fs.utimens("other", 0, 0, true));
    assertErrno(Errno.EIO, fs::space);
    assertEquals(0600, memory.stat("other", true).mode() & 07777);
    assertEquals(List.of("data", "other"), memory.list("").stream().sorted().toList());
    assertEquals(List.of("a", "b", "sub"), memory.list("data").stream().sorted().toList());
  }

  @Test
  void filesOpenedThroughItFollowTheRules() throws Exception {
    FaultProvider fs = faults("op=read|sync|size|stat|truncate|allocate,path=/data/*,errno=EIO");
    try (VfsFile f = fs.open("data/a", O_RDWR, 0)) {
      assertErrno(Errno.EIO, () -> f.read(ByteBuffer.allocate(4), 0));
      assertErrno(Errno.EIO, () -> f.sync(false));
      assertErrno(Errno.EIO, () -> f.size());
      assertErrno(Errno.EIO, () -> f.stat());
      assertErrno(Errno.EIO, () -> f.truncate(0));
      assertErrno(Errno.EIO, () -> f.allocate(0, 0, 10));
      assertEquals(3, f.write(ByteBuffer.wrap(bytes("new")), 0), "writes are not in the rule");
      assertFalse(f.isDirectory());
      assertTrue(f.seekable());
    }
    try (VfsFile f = fs.open("other", O_RDWR, 0)) {
      assertEquals(7, f.read(ByteBuffer.allocate(10), 0), "the path does not match");
    }
  }

  @Test
  void pathGlobsPickFiles() throws Exception {
    FaultProvider fs = faults("op=open,path=/data/*,errno=EACCES");
    assertErrno(Errno.EACCES, () -> fs.open("data/a", O_RDONLY, 0));
    assertErrno(Errno.EACCES, () -> fs.open("/data//./b", O_RDONLY, 0));
    assertErrno(Errno.EACCES, () -> fs.open("data/sub/../a", O_RDONLY, 0));
    fs.open("data/sub/c", O_RDONLY, 0).close();
    fs.open("other", O_RDONLY, 0).close();
  }

  @Test
  void renameMatchesEitherPath() throws Exception {
    FaultProvider fs = faults("op=rename,path=/data/**,errno=EXDEV");
    assertErrno(Errno.EXDEV, () -> fs.rename("other", "data/x", 0));
    assertErrno(Errno.EXDEV, () -> fs.rename("data/a", "elsewhere", 0));
    fs.rename("other", "moved", 0);
  }

  @Test
  void nthFailsOneCall() throws Exception {
    FaultProvider fs = faults("op=write,nth=2,errno=ENOSPC");
    try (VfsFile f = fs.open("other", O_RDWR, 0)) {
      f.write(ByteBuffer.wrap(bytes("1")), 0);
      assertErrno(Errno.ENOSPC, () -> f.write(ByteBuffer.wrap(bytes("2")), 1));
      f.write(ByteBuffer.wrap(bytes("3")), 2);
    }
  }

  @Test
  void nthPlusFailsEveryCallFromIt() throws Exception {
    FaultProvider fs = faults("op=stat,nth=2+");
    fs.stat("other", true);
    assertErrno(Errno.EIO, () -> fs.stat("other", true));
    assertErrno(Errno.EIO, () -> fs.stat("data", true));
  }

  @Test
  void aDelayOnlyWaits() throws Exception {
    FaultProvider fs = faults("op=list,delay=50ms");
    long start = System.nanoTime();
    assertEquals(3, fs.list("data").size());
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
  }

  @Test
  void delaysAddUpAndTheFirstErrnoWins() throws Exception {
    FaultProvider fs =
        faults("op=unlink,delay=20ms", "op=unlink,delay=20ms,errno=EBUSY", "op=unlink,errno=EPERM");
    long start = System.nanoTime();
    assertErrno(Errno.EBUSY, () -> fs.unlink("other"));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(40));
  }

  @Test
  void anInterruptedDelayIsEintr() throws Exception {
    FaultProvider fs = faults("op=readlink,delay=10s");
    Thread.currentThread().interrupt();
    try {
      assertErrno(Errno.EINTR, () -> fs.readlink("other"));
      assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void callsRunInParallelThroughIt() throws Exception {
    FaultProvider fs = faults("op=stat,delay=200ms");
    long start = System.nanoTime();
    Thread a = new Thread(() -> stat(fs));
    Thread b = new Thread(() -> stat(fs));
    a.start();
    b.start();
    a.join(5_000);
    b.join(5_000);
    assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(390), "no shared lock");
  }

  @Test
  void normalizesPathsLexically() {
    assertEquals("/", FaultProvider.normalize(""));
    assertEquals("/a/c", FaultProvider.normalize("a//b/../c/."));
    assertEquals("/a", FaultProvider.normalize("/../../a"));
  }

  private static void stat(FaultProvider fs) {
    try {
      fs.stat("other", true);
    } catch (VfsException e) {
      throw new IllegalStateException(e);
    }
  }
}
