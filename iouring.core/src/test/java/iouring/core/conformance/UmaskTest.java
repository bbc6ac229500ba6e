package iouring.core.conformance;

import static iouring.api.abi.FileFlags.AT_FDCWD;
import static iouring.api.abi.FileFlags.O_CREAT;
import static iouring.api.abi.FileFlags.O_RDWR;
import static org.junit.jupiter.api.Assertions.assertEquals;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringProcess;
import iouring.api.abi.OpenHowLayout;
import iouring.core.Kernel;
import iouring.vfs.memory.MemoryProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code umask(2)}: the creation mask clears bits of what OPENAT, OPENAT2 and MKDIRAT create. */
class UmaskTest {
  private MemoryProvider fs;
  private IoUringProcess process;
  private IoUring ring;

  @BeforeEach
  void setUp() {
    Kernel kernel = new Kernel();
    fs = new MemoryProvider();
    kernel.addProvider(Kernel.ROOT_PROVIDER, fs);
    process = kernel.newProcess();
    ring = IoUring.queueInit(process, 8, 0);
  }

  @AfterEach
  void tearDown() {
    ring.close();
    process.close();
  }

  private long path(String path) {
    return UserBuffer.cString(process, path).address();
  }

  private int result() {
    ring.submit();
    Cqe cqe = ring.waitCqe();
    int res = cqe.res();
    ring.cqeSeen(cqe);
    return res;
  }

  private int mode(String path) throws Exception {
    return fs.stat(path, false).mode() & 07777;
  }

  @Test
  void aNewProcessMasksNothing() throws Exception {
    ring.getSqe().prepOpenat(AT_FDCWD, path("/f"), O_CREAT | O_RDWR, 0666);
    process.close(result());
    ring.getSqe().prepMkdirat(AT_FDCWD, path("/d"), 0777);
    assertEquals(0, result());
    assertEquals(0666, mode("f"));
    assertEquals(0777, mode("d"));
    assertEquals(0, process.umask(022), "the mask a new process starts with");
  }

  @Test
  void theMaskClearsBitsOfWhatIsCreatedFromThenOn() throws Exception {
    assertEquals(0, process.umask(027));
    ring.getSqe().prepOpenat(AT_FDCWD, path("/f"), O_CREAT | O_RDWR, 0666);
    process.close(result());
    ring.getSqe().prepMkdirat(AT_FDCWD, path("/d"), 01777);
    assertEquals(0, result());
    process.close(process.openat(AT_FDCWD, "/g", O_CREAT | O_RDWR, 0777));
    assertEquals(0640, mode("f"));
    assertEquals(01750, mode("d"), "the sticky bit is not a permission bit: kept");
    assertEquals(0750, mode("g"), "the openat system call too");

    ByteBuffer how = ByteBuffer.allocateDirect(OpenHowLayout.SIZE).order(ByteOrder.nativeOrder());
    how.putLong(OpenHowLayout.OFF_FLAGS, O_CREAT | O_RDWR);
    how.putLong(OpenHowLayout.OFF_MODE, 0666);
    ring.getSqe().prepOpenat2(AT_FDCWD, path("/h"), process.memory().map(how));
    process.close(result());
    assertEquals(0640, mode("h"), "OPENAT2 too");

    ring.getSqe().prepOpenat(AT_FDCWD, path("/f"), O_CREAT | O_RDWR, 0);
    process.close(result());
    assertEquals(0640, mode("f"), "an existing file keeps its mode");
    assertEquals(027, process.umask(0777 | 07000), "the previous mask");
    assertEquals(0777, process.umask(0), "only the 0777 bits are kept");
  }
}
