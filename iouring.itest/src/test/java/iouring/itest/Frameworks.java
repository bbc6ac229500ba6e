package iouring.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import org.ops4j.pax.exam.Option;

/**
 * The bundles every integration test provisions: this build's own bundles, taken from the build
 * output, and the OSGi runtime they need (SCR, ConfigAdmin, Metatype). The framework itself, Felix
 * or Equinox, is whichever the failsafe run left on the class path.
 */
final class Frameworks {
  private Frameworks() {}

  static Option[] base() {
    return options(
        cleanCaches(true),
        systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
        // The agent's bridge lives in the boot class loader; the agent bundle must see that copy.
        frameworkProperty("org.osgi.framework.bootdelegation").value("iouring.agent.bootstrap"),
        junitBundles(),
        local("org.osgi.util.function"),
        local("org.osgi.util.promise"),
        local("org.osgi.service.component"),
        local("org.osgi.service.metatype"),
        local("org.osgi.service.log"),
        local("org.apache.felix.configadmin"),
        local("org.apache.felix.metatype"),
        local("org.apache.felix.scr"),
        local("iouring.api"),
        local("iouring.core"),
        local("iouring.vfs"),
        local("iouring.agent"));
  }

  static Option local(String artifactId) {
    File jar = new File(System.getProperty("bundles.dir"), artifactId + ".jar");
    return bundle(jar.toURI().toString());
  }

  /** The framework this run is meant to use, as the failsafe execution names it. */
  static String expected() {
    return System.getProperty("iouring.itest.framework", "felix");
  }
}
