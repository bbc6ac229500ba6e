package iouring.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsProvider;
import java.nio.ByteBuffer;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The file-system providers as services: the memory provider without configuration, more of them
 * and fault providers from factory configurations, each named by {@code iouring.vfs.name}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VfsProvidersIT {
  private static final long WAIT_MILLIS = 10_000;

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;

  @Configuration
  public Option[] config() {
    return Frameworks.base();
  }

  @Test
  public void aMemoryProviderIsThereWithoutConfiguration() throws Exception {
    VfsProvider memory = await("memory");
    try (VfsFile f = memory.open("it", FileFlags.O_CREAT | FileFlags.O_RDWR, 0600)) {
      assertEquals(2, f.write(ByteBuffer.wrap(new byte[] {1, 2}), 0));
    }
    assertEquals(2, memory.stat("it", true).size());
    memory.unlink("it");
  }

  @Test
  public void aFactoryConfigurationAddsALimitedMemoryProvider() throws Exception {
    org.osgi.service.cm.Configuration c =
        configAdmin.getFactoryConfiguration("iouring.vfs.memory", "scratch", "?");
    c.update(properties("iouring.vfs.name", "scratch", "sizeLimit", 4096L));
    try {
      VfsProvider scratch = await("scratch");
      try (VfsFile f = scratch.open("f", FileFlags.O_CREAT | FileFlags.O_RDWR, 0600)) {
        assertEquals(4096, f.write(ByteBuffer.allocate(10_000), 0));
        expect(Errno.ENOSPC, () -> f.write(ByteBuffer.allocate(1), 4096));
      }
    } finally {
      c.delete();
    }
    awaitGone("scratch");
  }

  @Test
  public void aFaultProviderWrapsItsTargetByFilter() throws Exception {
    await("memory").mkdir("faulty", 0700);
    org.osgi.service.cm.Configuration c =
        configAdmin.getFactoryConfiguration("iouring.vfs.fault", "it", "?");
    c.update(
        properties(
            "iouring.vfs.name", "flaky",
            "target.target", "(iouring.vfs.name=memory)",
            "rules", new String[] {"op=mkdir,path=/faulty/*,errno=EROFS", "op=list,nth=2"}));
    try {
      VfsProvider flaky = await("flaky");
      expect(Errno.EROFS, () -> flaky.mkdir("faulty/d", 0700));
      flaky.mkdir("fine", 0700);
      assertEquals(0, flaky.list("faulty").size());
      expect(Errno.EIO, () -> flaky.list("faulty"));
      assertNotNull(await("memory").stat("fine", true));
    } finally {
      c.delete();
    }
    awaitGone("flaky");
  }

  /** Waits for the provider service of a name. */
  private VfsProvider await(String name) throws Exception {
    ServiceTracker<VfsProvider, VfsProvider> tracker = tracker(name);
    try {
      VfsProvider provider = tracker.waitForService(WAIT_MILLIS);
      assertNotNull("provider " + name, provider);
      return provider;
    } finally {
      tracker.close();
    }
  }

  /** Waits until no provider of a name is registered. */
  private void awaitGone(String name) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (context.getServiceReferences(VfsProvider.class, filter(name)).isEmpty()) {
        return;
      }
      Thread.sleep(20);
    }
    assertNull("provider " + name + " is still registered", name);
  }

  private ServiceTracker<VfsProvider, VfsProvider> tracker(String name) throws Exception {
    ServiceTracker<VfsProvider, VfsProvider> t =
        new ServiceTracker<>(
            context,
            FrameworkUtil.createFilter(
                "(&(objectClass=" + VfsProvider.class.getName() + ")" + filter(name) + ")"),
            null);
    t.open();
    return t;
  }

  private static String filter(String name) {
    return "(" + VfsProvider.NAME_PROPERTY + "=" + name + ")";
  }

  private static Dictionary<String, Object> properties(Object... keysAndValues) {
    Dictionary<String, Object> d = new Hashtable<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      d.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return d;
  }

  /** A call that must fail with one errno. */
  private interface Call {
    void run() throws VfsException;
  }

  private static void expect(int errno, Call call) {
    try {
      call.run();
      fail("expected " + Errno.name(errno));
    } catch (VfsException e) {
      assertEquals(Errno.name(errno), Errno.name(e.errno()));
    }
  }
}
