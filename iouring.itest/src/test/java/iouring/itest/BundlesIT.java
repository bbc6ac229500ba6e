package iouring.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import iouring.api.IoUringKernel;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.EnterFlags;
import iouring.api.abi.MmapOffsets;
import iouring.api.abi.Opcodes;
import iouring.api.abi.ParamsLayout;
import iouring.api.abi.SqeLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Every bundle resolves and starts, and the kernel and process services work, in Felix and Equinox.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundlesIT {
  @Inject BundleContext context;
  @Inject IoUringKernel kernel;
  @Inject IoUringProcess process;

  @Configuration
  public Option[] config() {
    return Frameworks.base();
  }

  @Test
  public void runsInTheExpectedFramework() {
    String vendor = context.getProperty(Constants.FRAMEWORK_VENDOR);
    String expected = Frameworks.expected().equals("equinox") ? "Eclipse" : "Apache";
    assertTrue("framework vendor " + vendor, vendor.startsWith(expected));
  }

  @Test
  public void ringMemoryTakesTheUnsafePathFromInsideTheBundleWhereTheJdkAllowsIt() {
    // MemoryView finds sun.misc.Unsafe through the platform class loader, so the api bundle needs
    // no import for it; on JDK 24 and later it keeps to the buffers' accessors (JEP 498).
    String arch = System.getProperty("os.arch");
    boolean supported = "amd64".equals(arch) || "x86_64".equals(arch) || "aarch64".equals(arch);
    assertEquals(supported && Runtime.version().feature() < 24, iouring.api.MemoryView.raw());
  }

  @Test
  public void everyProductBundleIsActive() {
    for (String name :
        new String[] {"iouring.api", "iouring.core", "iouring.vfs", "iouring.agent"}) {
      Bundle bundle =
          Arrays.stream(context.getBundles())
              .filter(b -> name.equals(b.getSymbolicName()))
              .findFirst()
              .orElse(null);
      assertNotNull(name + " is installed", bundle);
      assertEquals(name + " is active", Bundle.ACTIVE, bundle.getState());
    }
  }

  @Test
  public void theAgentBundleLoadsItsInternalsThroughItsBundleClassPath() throws Exception {
    Bundle agent =
        Arrays.stream(context.getBundles())
            .filter(b -> "iouring.agent".equals(b.getSymbolicName()))
            .findFirst()
            .orElseThrow();
    // The jar keeps the agent's implementation under META-INF/iouring-agent/classes for its
    // own class loader as a -javaagent; the bundle's loader finds it there too.
    ClassLoader own = agent.adapt(BundleWiring.class).getClassLoader();
    for (String name :
        new String[] {
          "iouring.agent.IoUringAgent",
          "iouring.agent.MountedFiles",
          "iouring.agent.shaded.bytebuddy.ByteBuddy",
          "iouring.agent.launcher.AgentLauncher"
        }) {
      assertSame(name, own, agent.loadClass(name).getClassLoader());
    }
  }

  @Test
  public void onlyTheApiBundleExports() {
    String exporters =
        Arrays.stream(context.getBundles())
            .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith("iouring."))
            .filter(b -> b.getHeaders().get(Constants.EXPORT_PACKAGE) != null)
            .map(Bundle::getSymbolicName)
            .collect(Collectors.joining(","));
    assertEquals("iouring.api", exporters);
  }

  @Test
  public void processServiceRunsANopThroughARing() {
    IoUringParams params = new IoUringParams();
    int fd = process.setup(4, params);
    assertEquals(4, params.sqEntries());
    ByteBuffer rings = process.mmap(fd, MmapOffsets.IORING_OFF_SQ_RING, 4096);
    ByteBuffer sqes = process.mmap(fd, MmapOffsets.IORING_OFF_SQES, 4 * SqeLayout.SIZE);
    int sqArray = params.sqOff(ParamsLayout.SQ_OFF_ARRAY);
    sqes.put(SqeLayout.OFF_OPCODE, (byte) Opcodes.IORING_OP_NOP);
    sqes.putLong(SqeLayout.OFF_USER_DATA, 42);
    rings.putInt(sqArray, 0);
    rings.putInt(params.sqOff(ParamsLayout.SQ_OFF_TAIL), 1);
    assertEquals(1, process.enter(fd, 1, 1, EnterFlags.IORING_ENTER_GETEVENTS));
    assertEquals(1, rings.getInt(params.cqOff(ParamsLayout.CQ_OFF_TAIL)));
    int cqes = params.cqOff(ParamsLayout.CQ_OFF_CQES);
    assertEquals(42, rings.getLong(cqes));
    assertEquals(0, rings.getInt(cqes + 8));
    process.close(fd);
  }

  @Test
  public void kernelServiceCreatesIndependentProcesses() {
    try (IoUringProcess a = kernel.newProcess();
        IoUringProcess b = kernel.newProcess()) {
      int fd = a.setup(1, new IoUringParams());
      assertEquals(0, fd);
      assertEquals("the other process has its own fd table", 0, b.setup(1, new IoUringParams()));
    }
  }
}
