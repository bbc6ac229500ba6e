package iouring.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.dynamic.loading.ClassInjector;

/**
 * Puts the bootstrap bridge into the boot loader. This class must never name the bridge's types:
 * the verifier would load them through the agent's loader first, and the JDK and the agent would
 * then see two different bridges (a loader constraint violation at the first call).
 */
final class BridgeInjector {
  static final String BRIDGE = "iouring.agent.bootstrap.RingBridge";

  private BridgeInjector() {}

  /**
   * Injects the bridge into the boot loader, as raw bytes so that no other loader defines it first.
   */
  static void injectBridge(Instrumentation instrumentation) throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    for (String name :
        List.of(BRIDGE, BRIDGE + "$Opener", BRIDGE + "$Calls", BRIDGE + "$Streams")) {
      try (InputStream in =
          BridgeInjector.class
              .getClassLoader()
              .getResourceAsStream(name.replace('.', '/') + ".class")) {
        if (in == null) {
          throw new IOException("agent jar lacks " + name);
        }
        classes.put(name, in.readAllBytes());
      }
    }
    Path dir = Files.createTempDirectory("iouring-agent");
    ClassInjector.UsingInstrumentation.of(
            dir.toFile(), ClassInjector.UsingInstrumentation.Target.BOOTSTRAP, instrumentation)
        .injectRaw(classes);
  }

  /** The boot class that every copy of the agent shares: hooks installed, bridge owner. */
  static final String HOOK_STATE = "iouring.agent.bootstrap.HookState";

  /**
   * Injects {@link #HOOK_STATE} into the boot loader unless it is there already; the bridge must be
   * injected first or with it.
   */
  static void injectHookState(Instrumentation instrumentation) throws IOException {
    if (isInBootLoader(HOOK_STATE)) {
      return;
    }
    byte[] bytes;
    try (InputStream in =
        BridgeInjector.class
            .getClassLoader()
            .getResourceAsStream(HOOK_STATE.replace('.', '/') + ".class")) {
      if (in == null) {
        throw new IOException("agent jar lacks " + HOOK_STATE);
      }
      bytes = in.readAllBytes();
    }
    Path dir = Files.createTempDirectory("iouring-agent");
    ClassInjector.UsingInstrumentation.of(
            dir.toFile(), ClassInjector.UsingInstrumentation.Target.BOOTSTRAP, instrumentation)
        .injectRaw(Map.of(HOOK_STATE, bytes));
  }

  /** Returns whether the boot loader has a class, without loading it through any other loader. */
  static boolean isInBootLoader(String name) {
    try {
      Class.forName(name, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
