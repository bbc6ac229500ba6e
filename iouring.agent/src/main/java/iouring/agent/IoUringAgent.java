package iouring.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points: {@code -javaagent} ({@link #premain}) and attachment to a running JVM
 * ({@link #agentmain}) both funnel into {@link #install}.
 *
 * <p>The routing of {@code FileChannel} I/O through the ring is not built yet; until it is, the
 * agent says so on standard error and leaves the application's I/O untouched.
 */
public final class IoUringAgent {
  private IoUringAgent() {}

  /**
   * Called by the JVM for {@code -javaagent:iouring.agent.jar[=options]}.
   *
   * @param options the text after {@code =}, or null
   * @param instrumentation the JVM's instrumentation
   */
  public static void premain(String options, Instrumentation instrumentation) {
    install(options, instrumentation);
  }

  /**
   * Called by the JVM when the agent is attached to a running JVM.
   *
   * @param options the options passed to the attach call, or null
   * @param instrumentation the JVM's instrumentation
   */
  public static void agentmain(String options, Instrumentation instrumentation) {
    install(options, instrumentation);
  }

  static void install(String options, Instrumentation instrumentation) {
    System.err.println(
        "iouring agent: FileChannel routing is not implemented yet; I/O stays direct");
  }
}
