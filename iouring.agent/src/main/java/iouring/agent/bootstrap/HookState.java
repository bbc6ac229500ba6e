package iouring.agent.bootstrap;

import java.lang.instrument.Instrumentation;

/**
 * What every copy of the agent in one JVM shares, in the boot class loader next to {@link
 * RingBridge}: whether the hooks are in the JDK, the instrumentation that put them there, and who
 * serves the bridge. A {@code -javaagent} or an attached agent loads the jar through the system
 * class loader, the OSGi bundle through its own; only the boot loader's classes are the same for
 * both.
 *
 * <p>The instrumentation is reachable by any code that finds this class, as Byte Buddy's agent
 * installer leaves its own; it is kept so that the bundle can open {@code sun.nio.fs} to itself.
 */
public final class HookState {
  private static Instrumentation instrumentation;
  private static boolean installed;
  private static Object owner;

  private HookState() {}

  /**
   * Records that the hooks are in the JDK.
   *
   * @param by the instrumentation that installed them
   */
  public static synchronized void installed(Instrumentation by) {
    instrumentation = by;
    installed = true;
  }

  /**
   * Returns whether the hooks are in the JDK.
   *
   * @return true once {@link #installed} was called
   */
  public static synchronized boolean isInstalled() {
    return installed;
  }

  /**
   * Returns the instrumentation that installed the hooks.
   *
   * @return the instrumentation, or null before the hooks are installed
   */
  public static synchronized Instrumentation instrumentation() {
    return instrumentation;
  }

  /**
   * Takes the bridge for one user, unless another holds it.
   *
   * @param user the one that will plug its opener and calls in
   * @return true if the user now holds the bridge (or held it already)
   */
  public static synchronized boolean claim(Object user) {
    if (owner != null && owner != user) {
      return false;
    }
    owner = user;
    return true;
  }

  /**
   * Returns who holds the bridge.
   *
   * @return the holder, or null
   */
  public static synchronized Object owner() {
    return owner;
  }

  /**
   * Lets go of the bridge, if the user holds it.
   *
   * @param user the holder
   */
  public static synchronized void release(Object user) {
    if (owner == user) {
      owner = null;
    }
  }
}
