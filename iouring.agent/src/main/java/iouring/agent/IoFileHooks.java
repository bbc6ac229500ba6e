package iouring.agent;

import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import iouring.agent.bootstrap.RingBridge;
import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Hooks {@code java.io.File} where its calls meet the file system: each operation of {@code
 * java.io.UnixFileSystem} that {@code File} calls is hooked in {@code UnixFileSystem} itself where
 * the running JDK gives it Java code, and in the {@code File} methods that call it where it is
 * native. JDK 25 wraps every native in a Java method ({@code getLength} calls {@code getLength0}),
 * so only {@code UnixFileSystem} is hooked there; JDK 17 has Java code for the boolean attributes,
 * {@code delete}, {@code rename} and {@code canonicalize} only, and the rest ({@code checkAccess},
 * {@code getLength}, {@code list}, {@code createDirectory}, ...) is hooked in {@code File}'s {@code
 * canRead}, {@code length}, {@code normalizedList}, {@code mkdir}, .... A native method cannot take
 * advice without changing the class's format, which retransformation forbids.
 */
final class IoFileHooks {
  static final String FILE_SYSTEM = "java.io.UnixFileSystem";

  /** The {@code File} methods that call each {@code UnixFileSystem} operation. */
  private static final Map<String, List<String>> CALLERS =
      Map.ofEntries(
          Map.entry("checkAccess", List.of("canRead", "canWrite", "canExecute")),
          Map.entry("getLastModifiedTime", List.of("lastModified")),
          Map.entry("getLength", List.of("length")),
          Map.entry("setPermission", List.of("setReadable", "setWritable", "setExecutable")),
          Map.entry("createFileExclusively", List.of("createNewFile")),
          Map.entry("list", List.of("normalizedList")),
          Map.entry("createDirectory", List.of("mkdir")),
          Map.entry("setLastModifiedTime", List.of("setLastModified")),
          Map.entry("setReadOnly", List.of("setReadOnly")),
          Map.entry("getSpace", List.of("getTotalSpace", "getFreeSpace", "getUsableSpace")));

  /** The operations that every JDK this agent knows gives Java code. */
  private static final Set<String> JAVA_ONLY =
      Set.of(
          "getBooleanAttributes",
          "hasBooleanAttributes",
          "delete",
          "rename",
          "canonicalize",
          "getNameMax");

  private static final String TEMP_DIRECTORY = "java.io.File$TempDirectory";

  private IoFileHooks() {}

  /** Serves an operation hooked in {@code UnixFileSystem}: its first argument is the file. */
  static final class FileSystemAdvice {
    private FileSystemAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Object[] enter(@Advice.Origin("#m") String method, @Advice.AllArguments Object[] args)
        throws IOException {
      return RingBridge.file(method, args);
    }
  }

  /** Serves an operation hooked in {@code File}: the file itself goes first. */
  static final class FileAdvice {
    private FileAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Object[] enter(
        @Advice.Origin("#m") String method, @Advice.AllArguments(includeSelf = true) Object[] args)
        throws IOException {
      return RingBridge.file(method, args);
    }
  }

  /** The names of the native methods of {@code UnixFileSystem}, or null without that class. */
  private static Set<String> natives() {
    Class<?> fileSystem;
    try {
      fileSystem = Class.forName(FILE_SYSTEM, false, null);
    } catch (ClassNotFoundException e) {
      return null;
    }
    Set<String> natives = new HashSet<>();
    for (Method method : fileSystem.getDeclaredMethods()) {
      if (Modifier.isNative(method.getModifiers())) {
        natives.add(method.getName());
      }
    }
    return natives;
  }

  /**
   * Installs the hooks for the running JDK, with nothing plugged in ({@link #serving} makes what
   * is); says on standard error, in one line, why {@code java.io.File} stays direct if it cannot.
   */
  static void install(Instrumentation instrumentation) {
    Set<String> natives = natives();
    if (natives == null) {
      refuse("has no " + FILE_SYSTEM);
      return;
    }
    List<String> fileMethods = new ArrayList<>();
    for (String operation : natives) {
      if (JAVA_ONLY.contains(operation)) {
        refuse("has a native " + FILE_SYSTEM + "." + operation);
        return;
      }
      fileMethods.addAll(CALLERS.getOrDefault(operation, List.of()));
    }
    Set<String> operations = new HashSet<>(CALLERS.keySet());
    operations.addAll(JAVA_ONLY);
    AtomicInteger transformed = new AtomicInteger();
    AgentBuilder.Identified.Extendable builder =
        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .ignore(none())
            .assureReadEdgeTo(instrumentation, RingBridge.class)
            .with(new Hooks.Listener(transformed, null))
            .type(named(FILE_SYSTEM))
            .transform(
                advice(
                    namedOneOf(operations.toArray(new String[0])).and(not(isNative())),
                    FileSystemAdvice.class));
    if (!fileMethods.isEmpty()) {
      // setReadable(boolean, boolean) and its kin; the one-argument forms call them.
      ElementMatcher.Junction<MethodDescription> callers =
          namedOneOf(fileMethods.toArray(new String[0]))
              .and(
                  namedOneOf("setReadable", "setWritable", "setExecutable")
                      .and(takesArguments(2))
                      .or(not(namedOneOf("setReadable", "setWritable", "setExecutable"))));
      AgentBuilder.Transformer.ForAdvice advice = advice(callers, FileAdvice.class);
      if (natives.contains("createFileExclusively")) {
        advice =
            advice.advice(
                named("createTempFile").and(takesArguments(3)),
                FileSystemAdvice.class.getName(),
                Hooks.SERVED_VALUE);
      }
      builder = builder.type(named("java.io.File")).transform(advice);
    }
    builder.installOn(instrumentation);
    if (transformed.get() < (fileMethods.isEmpty() ? 1 : 2)) {
      refuse("could not be hooked");
    }
  }

  /**
   * Makes what serves {@code java.io.File} for a user's mounts, for the bridge. Where the exclusive
   * create is native (JDK 17) it takes the JDK's {@code TempDirectory} methods for {@code
   * createTempFile}, opening {@code java.io} to this copy of the agent with the instrumentation.
   *
   * @param instrumentation the instrumentation that installed the hooks, or null
   */
  static IoFiles serving(MountedFiles files, MountedPaths paths, Instrumentation instrumentation) {
    Set<String> natives = natives();
    boolean emptyIsCwd = false;
    try {
      Class.forName(FILE_SYSTEM, false, null).getDeclaredMethod("getFileForSysCalls", File.class);
      emptyIsCwd = true;
    } catch (ReflectiveOperationException e) {
      // JDK 17: the empty path goes to the system as it is
    }
    MethodHandle[] temp =
        natives != null && natives.contains("createFileExclusively") && instrumentation != null
            ? tempFiles(instrumentation)
            : null;
    return new IoFiles(
        files, paths, emptyIsCwd, temp == null ? null : temp[0], temp == null ? null : temp[1]);
  }

  /**
   * Where the exclusive create is native (JDK 17), {@code File.createTempFile} calls it directly;
   * the agent then serves {@code createTempFile} for a mounted directory with the JDK's own {@code
   * TempDirectory.generateFile} and {@code location}, for which it opens {@code java.io} to itself.
   * Returns the two handles, or null, having said why, if the JDK does not have them.
   */
  private static MethodHandle[] tempFiles(Instrumentation instrumentation) {
    try {
      Class<?> temp = Class.forName(TEMP_DIRECTORY, false, null);
      instrumentation.redefineModule(
          temp.getModule(),
          Set.of(),
          Map.of(),
          Map.of("java.io", Set.of(IoFileHooks.class.getModule())),
          Set.of(),
          Map.of());
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(temp, MethodHandles.lookup());
      return new MethodHandle[] {
        lookup.findStatic(
            temp,
            "generateFile",
            MethodType.methodType(File.class, String.class, String.class, File.class)),
        lookup.findStatic(temp, "location", MethodType.methodType(File.class))
      };
    } catch (ReflectiveOperationException | RuntimeException e) {
      System.err.println(
          "iouring agent: File.createTempFile reaches the host under mounts on JDK "
              + Runtime.version()
              + ": "
              + e);
      return null;
    }
  }

  private static AgentBuilder.Transformer.ForAdvice advice(
      ElementMatcher<? super MethodDescription> methods, Class<?> advice) {
    return new AgentBuilder.Transformer.ForAdvice()
        .include(IoFileHooks.class.getClassLoader())
        .withExceptionHandler(Advice.ExceptionHandler.Default.RETHROWING)
        .advice(methods, advice.getName(), Hooks.SERVED_VALUE);
  }

  private static void refuse(String why) {
    System.err.println(
        "iouring agent: java.io.File on JDK "
            + Runtime.version()
            + " "
            + why
            + "; it reaches the host under mounts too");
  }
}
