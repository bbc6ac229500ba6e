package iouring.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import iouring.api.Cqe;
import iouring.api.ErrnoException;
import iouring.api.IoUring;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Providers configured, mounted, unbound and rebound through ConfigAdmin while a process does I/O
 * under their mount: nothing hangs, every result is the data or a clean errno, and the mount works
 * again when the provider returns.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ProvidersIT {
  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;
  @Inject IoUringProcess process;

  @Configuration
  public Option[] config() {
    return Frameworks.base();
  }

  @Test
  public void configuredProviderAndMountComeAndGoUnderRunningIo() throws Exception {
    Path root = Files.createTempDirectory("iouring-provider");
    Files.writeString(root.resolve("f"), "hello");

    org.osgi.service.cm.Configuration mount =
        configAdmin.createFactoryConfiguration("iouring.mount", "?");
    mount.update(props("path", "/data", "provider", "itdata"));
    org.osgi.service.cm.Configuration provider = createProvider(root);

    IoUring ring = IoUring.queueInit(process, 8, 0);
    long buf = process.memory().map(ByteBuffer.allocateDirect(16));
    int fd = awaitReadable(ring, buf, "/data/f");

    // Read continuously from another thread while the provider leaves and comes back.
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger oddResults = new AtomicInteger();
    AtomicInteger reads = new AtomicInteger();
    Thread reader =
        new Thread(
            () -> {
              try (IoUring own = IoUring.queueInit(process, 8, 0)) {
                long ownBuf = process.memory().map(ByteBuffer.allocateDirect(16));
                while (!stop.get()) {
                  int res = read(own, fd, ownBuf);
                  reads.incrementAndGet();
                  if (res != 5 && res != -Errno.EIO) {
                    oddResults.incrementAndGet();
                  }
                }
              }
            });
    reader.setDaemon(true);
    reader.start();

    provider.delete();
    await(() -> !hasProvider("itdata"), "the provider to leave");
    // SCR may unbind the kernel's reference a moment after the service is gone.
    await(() -> read(ring, fd, buf) == -Errno.EIO, "reads of the open file to fail with EIO");
    try {
      process.openat(FileFlags.AT_FDCWD, "/data/f", FileFlags.O_RDONLY, 0);
      fail("open under a mount whose provider left");
    } catch (ErrnoException e) {
      assertEquals(Errno.ENOTCONN, e.errno());
    }

    provider = createProvider(root);
    int again = awaitReadable(ring, buf, "/data/f");

    stop.set(true);
    reader.join(10_000);
    assertTrue("the reader finished", !reader.isAlive());
    assertTrue("the reader ran", reads.get() > 0);
    assertEquals("every concurrent read gave the data or EIO", 0, oddResults.get());

    process.close(fd);
    process.close(again);
    ring.close();
    provider.delete();
    mount.delete();
    Files.delete(root.resolve("f"));
    Files.delete(root);
  }

  private org.osgi.service.cm.Configuration createProvider(Path root)
      throws IOException, InterruptedException {
    org.osgi.service.cm.Configuration c =
        configAdmin.createFactoryConfiguration("iouring.vfs.host", "?");
    c.update(props("iouring.vfs.name", "itdata", "root", root.toString()));
    await(() -> hasProvider("itdata"), "the provider to arrive");
    return c;
  }

  private boolean hasProvider(String name) {
    try {
      return context
              .getServiceReferences(
                  VfsProvider.class, "(" + VfsProvider.NAME_PROPERTY + "=" + name + ")")
              .size()
          > 0;
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Opens a file and reads it once, retrying until both work: right after a configuration change,
   * SCR may replace a provider instance, which revokes what was opened on the old one.
   */
  private int awaitReadable(IoUring ring, long buf, String path) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try {
        int fd = process.openat(FileFlags.AT_FDCWD, path, FileFlags.O_RDONLY, 0);
        int res = read(ring, fd, buf);
        if (res == 5) {
          return fd;
        }
        process.close(fd);
        assertEquals("a file of a replaced provider", -Errno.EIO, res);
      } catch (ErrnoException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(20);
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static Dictionary<String, Object> props(String... keyValues) {
    Dictionary<String, Object> d = new Hashtable<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      d.put(keyValues[i], keyValues[i + 1]);
    }
    return d;
  }

  private static int read(IoUring ring, int fd, long buf) {
    ring.getSqe().prepRead(fd, buf, 16, 0);
    ring.submitAndWait(1);
    Cqe cqe = ring.peekCqe();
    int res = cqe.res();
    ring.cqeSeen(cqe);
    return res;
  }
}
