package iouring.agent;

import iouring.agent.bootstrap.HookState;
import iouring.agent.bootstrap.RingBridge;
import java.lang.instrument.Instrumentation;

/**
 * The hooks and the bridge as every copy of the agent in a JVM shares them, through {@link
 * HookState}: the hooks go into the JDK once, and one user at a time (the {@code -javaagent}'s
 * mounts or the bundle's) plugs its opener and calls into the bridge. Loaded only once the boot
 * loader has the bridge.
 */
final class AgentHooks {
  /** Whether this copy of the agent has opened {@code sun.nio.fs} to itself. */
  private static boolean principals;

  private AgentHooks() {}

  /**
   * Installs the hooks with nothing plugged into the bridge, unless they are in already.
   *
   * @return false, having said why on standard error, if this JDK cannot be hooked
   */
  static boolean ensureInstalled(Instrumentation instrumentation) throws ClassNotFoundException {
    synchronized (HookState.class) {
      if (HookState.isInstalled()) {
        return true;
      }
      if (!Hooks.install(instrumentation, null, null)) {
        return false;
      }
      principals = true; // Hooks.install did
      HookState.installed(instrumentation);
      return true;
    }
  }

  /** Returns whether the hooks are in the JDK. */
  static boolean installed() {
    return HookState.isInstalled();
  }

  /** Returns the instrumentation that installed the hooks, or null. */
  static Instrumentation instrumentation() {
    return HookState.instrumentation();
  }

  /**
   * Plugs a user's opener, calls and streams into the bridge, unless another user holds it.
   *
   * @param user the holder from now on
   * @return null if plugged in, else a description of the holder
   */
  static String plug(Object user, MountedFiles files, MountedPaths paths, RingStreams streams) {
    synchronized (HookState.class) {
      if (!HookState.claim(user)) {
        return String.valueOf(HookState.owner());
      }
      Instrumentation instrumentation = HookState.instrumentation();
      if (instrumentation != null && !principals) {
        Principals.install(instrumentation);
        principals = true;
      }
      RingBridge.install(files);
      RingBridge.install(paths);
      RingBridge.install(streams);
      RingBridge.installFiles(IoFileHooks.serving(files, paths, instrumentation));
      return null;
    }
  }

  /**
   * Takes a user's opener, calls and streams out of the bridge, if it still holds it: the hooks
   * then let every call through to the JDK (a mounted stream still open then fails as a closed
   * one).
   */
  static void unplug(Object user) {
    synchronized (HookState.class) {
      if (HookState.owner() == user) {
        RingBridge.install((RingBridge.Opener) null);
        RingBridge.install((RingBridge.Calls) null);
        RingBridge.install((RingBridge.Streams) null);
        RingBridge.installFiles(null);
        HookState.release(user);
      }
    }
  }
}
