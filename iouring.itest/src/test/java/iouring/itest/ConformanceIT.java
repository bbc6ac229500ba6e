package iouring.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.IovecLayout;
import iouring.api.abi.Opcodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A representative subset of gVisor's io_uring conformance tests, run inside the framework through
 * the bundle-scoped {@link IoUringProcess} service and the liburing-style handle, with files on the
 * host through the default host provider.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConformanceIT {
  @Inject IoUringProcess process;

  private Path dir;
  private IoUring ring;

  @Configuration
  public Option[] config() {
    return Frameworks.base();
  }

  @Before
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("iouring-it");
    ring = IoUring.queueInit(process, 4, new IoUringParams());
  }

  @After
  public void tearDown() throws IOException {
    ring.close();
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  /** gVisor's SingleNOPTest. */
  @Test
  public void singleNop() {
    ring.getSqe().prepNop().userData(42);
    assertEquals(1, ring.submitAndWait(1));
    Cqe cqe = ring.peekCqe();
    assertEquals(42, cqe.userData());
    assertEquals(0, cqe.res());
    ring.cqeSeen(cqe);
    assertNull(ring.peekCqe());
  }

  /** gVisor's QueueingNOPTest: to_submit limits how many queued SQEs are consumed. */
  @Test
  public void queueingNop() {
    for (int i = 0; i < 4; i++) {
      ring.getSqe().prepNop().userData(42 + i);
    }
    assertEquals(4, ring.submit());
    for (int i = 0; i < 4; i++) {
      Cqe cqe = ring.waitCqe();
      assertEquals(42 + i, cqe.userData());
      ring.cqeSeen(cqe);
    }
  }

  /** gVisor's InvalidOpCodeTest. */
  @Test
  public void invalidOpcode() {
    ring.getSqe().prepRw(255, 0, 0, 0, 0).userData(42);
    assertEquals(1, ring.submitAndWait(1));
    Cqe cqe = ring.peekCqe();
    assertEquals(-Errno.EINVAL, cqe.res());
    ring.cqeSeen(cqe);
  }

  /** gVisor's SingleREADVTest, ShortReadREADVTest and ReadClosedFD in one file. */
  @Test
  public void readvOfAHostFile() throws IOException {
    Path file = dir.resolve("deadbeef");
    Files.writeString(file, "DEADBEEF");
    int fd = process.openat(FileFlags.AT_FDCWD, file.toString(), FileFlags.O_RDONLY, 0);
    ByteBuffer data = ByteBuffer.allocateDirect(16);
    long dataAddr = process.memory().map(data);
    ByteBuffer iov = ByteBuffer.allocateDirect(IovecLayout.SIZE).order(ByteOrder.nativeOrder());
    iov.putLong(IovecLayout.OFF_IOV_BASE, dataAddr).putLong(IovecLayout.OFF_IOV_LEN, 16);
    long iovAddr = process.memory().map(iov);

    ring.getSqe().prepReadv(fd, iovAddr, 1, 0).userData(1);
    assertEquals(1, ring.submitAndWait(1));
    Cqe cqe = ring.peekCqe();
    assertEquals("a short read returns what the file holds", 8, cqe.res());
    ring.cqeSeen(cqe);
    byte[] got = new byte[8];
    data.get(0, got);
    assertArrayEquals("DEADBEEF".getBytes(StandardCharsets.US_ASCII), got);

    process.close(fd);
    ring.getSqe().prepReadv(fd, iovAddr, 1, 0).userData(2);
    ring.submitAndWait(1);
    cqe = ring.peekCqe();
    assertEquals(-Errno.EBADF, cqe.res());
    ring.cqeSeen(cqe);
  }

  /** gVisor's NoReadPermissionsREADVTest: a write-only fd cannot be read. */
  @Test
  public void readOfAWriteOnlyFileIsEbadf() throws IOException {
    Path file = dir.resolve("wo");
    Files.writeString(file, "DEADBEEF");
    int fd = process.openat(FileFlags.AT_FDCWD, file.toString(), FileFlags.O_WRONLY, 0);
    long buf = process.memory().map(ByteBuffer.allocateDirect(8));
    ring.getSqe().prepRead(fd, buf, 8, 0).userData(3);
    ring.submitAndWait(1);
    Cqe cqe = ring.peekCqe();
    assertEquals(-Errno.EBADF, cqe.res());
    ring.cqeSeen(cqe);
    process.close(fd);
  }

  /** Linux's no-drop overflow: 16 NOPs on a 4-entry ring all come back, in order. */
  @Test
  public void overflowKeepsEveryCompletion() {
    for (int round = 0; round < 4; round++) {
      for (int i = 0; i < 4; i++) {
        ring.getSqe().prepNop().userData(round * 4 + i);
      }
      assertEquals(4, ring.submit());
    }
    assertTrue(ring.cqHasOverflow());
    for (int i = 0; i < 16; i++) {
      Cqe cqe = ring.peekCqe();
      assertNotNull("CQE " + i, cqe);
      assertEquals(i, cqe.userData());
      ring.cqeSeen(cqe);
    }
  }

  /** The probe reports what is implemented, and nothing else. */
  @Test
  public void probeReportsImplementedOps() {
    assertTrue(ring.opSupported(Opcodes.IORING_OP_READV));
    assertTrue(!ring.opSupported(Opcodes.IORING_OP_SEND));
  }
}
