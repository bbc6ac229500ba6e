package iouring.agent;

import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import iouring.agent.bootstrap.RingBridge;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the hooks in the JDK. The open methods of {@code sun.nio.fs.UnixFileSystemProvider}
 * ({@code newFileChannel}, {@code newByteChannel}) are where {@code FileChannel.open}, {@code
 * Files.newByteChannel}, {@code Files.newInputStream} and {@code Files.newOutputStream} meet on JDK
 * 17 and 25 alike: JDK 25's {@code newByteChannel} calls {@code newFileChannel}, JDK 17's calls
 * {@code UnixChannelFactory} itself, so both are hooked. The provider's other file-system methods
 * (attributes, access, directories, delete, copy, move, links) are hooked by name, whichever of
 * them the running JDK declares: JDK 17 has the {@code exists}/{@code isDirectory}/{@code
 * isRegularFile} shortcuts, JDK 25 {@code exists(Path, LinkOption...)}, {@code
 * readAttributesIfExists} and {@code isReadable}/{@code isWritable}/{@code isExecutable}. The
 * attribute views by class ({@code getFileAttributeView}) and {@code getFileStore} are the Unix
 * provider's on both; the views by name are reached from {@code AbstractFileSystemProvider}'s final
 * {@code readAttributes(Path, String, ...)} and {@code setAttribute}, hooked there because the Unix
 * provider's own {@code getFileAttributeView(Path, String, ...)} returns a type of {@code
 * sun.nio.fs} that the agent cannot implement. Of {@code sun.nio.fs.UnixPath}, only {@code
 * toRealPath} touches the file system, and it is hooked.
 *
 * <p>The {@code java.io} streams are hooked where their Java code meets their natives, on JDK 17
 * and 25 alike: the private {@code open} of {@code FileInputStream}, {@code FileOutputStream} and
 * {@code RandomAccessFile}, and each method that calls a native directly (JDK 25 added JFR-traced
 * paths between some of them and their natives; the public methods sit above both paths). The
 * advice costs a host stream one call, {@code FileDescriptor.valid()}: only an invalid descriptor
 * (not yet opened, closed, or a mounted file's) asks the bridge. The natives that are public
 * themselves are reached through their call sites ({@link NativeCallSites}).
 */
final class Hooks {
  static final String PROVIDER = "sun.nio.fs.UnixFileSystemProvider";
  static final String PATH = "sun.nio.fs.UnixPath";

  /**
   * Overrides {@code getFileAttributeView(Path, Class, ...)} for Linux's own views ({@code dos},
   * {@code user}) and calls up for the rest.
   */
  static final String LINUX_PROVIDER = "sun.nio.fs.LinuxFileSystemProvider";

  /** Declares the final {@code readAttributes(Path, String, ...)} and {@code setAttribute}. */
  static final String ABSTRACT_PROVIDER = "sun.nio.fs.AbstractFileSystemProvider";

  private static final String BRIDGE = BridgeInjector.BRIDGE;

  private Hooks() {}

  /** Replaces the JDK's channel with the ring's when the bridge's opener serves the path. */
  static final class OpenAdvice {
    private OpenAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static FileChannel enter(
        @Advice.Argument(0) Path path,
        @Advice.Argument(1) Set<? extends OpenOption> options,
        @Advice.Argument(2) FileAttribute<?>[] attrs)
        throws IOException {
      return RingBridge.open(path, options, attrs);
    }

    @Advice.OnMethodExit
    static void exit(
        @Advice.Enter FileChannel ring,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
      if (ring != null) {
        returned = ring;
      }
    }
  }

  /**
   * Runs a provider method on the ring when the bridge serves its paths: alone for a void method,
   * with {@link ServedBoolean} or {@link ServedValue} as its exit for one that returns.
   */
  static final class CallAdvice {
    private CallAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Object[] enter(@Advice.Origin("#m") String method, @Advice.AllArguments Object[] args)
        throws IOException {
      return RingBridge.call(method, args);
    }
  }

  /**
   * The exit of {@link CallAdvice} on a boolean method: the served result replaces the method's.
   */
  static final class ServedBoolean {
    private ServedBoolean() {}

    @Advice.OnMethodExit
    static void exit(
        @Advice.Enter Object[] served, @Advice.Return(readOnly = false) boolean returned) {
      if (served != null) {
        returned = (Boolean) served[0];
      }
    }
  }

  /**
   * The exit of every advice whose enter answers with the bridge's one-element array ({@link
   * CallAdvice}, {@link RealPathAdvice}, {@link StreamAdvice}, and those of {@code java.io.File}):
   * when the bridge served the call, its result replaces the method's.
   */
  static final class ServedValue {
    private ServedValue() {}

    @Advice.OnMethodExit
    static void exit(
        @Advice.Enter Object[] served,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
      if (served != null) {
        returned = served[0];
      }
    }
  }

  /** The name of {@link ServedValue}, the exit advice that pairs with those enters. */
  static final String SERVED_VALUE = ServedValue.class.getName();

  /**
   * Answers {@code UnixPath.toRealPath} on the ring when the bridge serves the path: the one {@code
   * Path} method that reaches the file system.
   */
  static final class RealPathAdvice {
    private RealPathAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Object[] enter(@Advice.This Path self, @Advice.Argument(0) LinkOption[] options)
        throws IOException {
      return RingBridge.call("toRealPath", new Object[] {self, options});
    }
  }

  /**
   * Serves a stream method when the stream's descriptor is not valid and the bridge knows it: the
   * descriptor of a mounted file. Alone for a void method (and a stream's {@code open}), with
   * {@link ServedValue} for one that returns.
   */
  static final class StreamAdvice {
    private StreamAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Object[] enter(
        @Advice.FieldValue("fd") FileDescriptor fd,
        @Advice.This Object stream,
        @Advice.Origin("#m#d") String method,
        @Advice.AllArguments Object[] args)
        throws IOException {
      return fd == null || fd.valid() ? null : RingBridge.stream(fd, stream, method, args);
    }
  }

  /** Serves a descriptor's own {@code close} and {@code sync} for a mounted file's descriptor. */
  static final class DescriptorAdvice {
    private DescriptorAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Object[] enter(
        @Advice.This FileDescriptor fd,
        @Advice.Origin("#m#d") String method,
        @Advice.AllArguments Object[] args)
        throws IOException {
      return fd.valid() ? null : RingBridge.stream(fd, fd, method, args);
    }
  }

  private static ElementMatcher.Junction<MethodDescription> code(String... names) {
    ElementMatcher.Junction<MethodDescription> matcher = none();
    for (String name : names) {
      matcher = matcher.or(named(name));
    }
    return matcher.and(not(isNative()));
  }

  private static AgentBuilder.Transformer.ForAdvice advice() {
    return new AgentBuilder.Transformer.ForAdvice()
        .include(Hooks.class.getClassLoader())
        .withExceptionHandler(Advice.ExceptionHandler.Default.RETHROWING);
  }

  /**
   * Installs the advice; returns false, having said why on standard error, if the JDK lacks the
   * classes this agent knows how to hook.
   */
  static boolean install(Instrumentation instrumentation, MountedFiles files, MountedPaths paths)
      throws ClassNotFoundException {
    Class<?> provider;
    try {
      provider = Class.forName(PROVIDER, false, null);
    } catch (ClassNotFoundException e) {
      System.err.println(
          "iouring agent: this JDK ("
              + Runtime.version()
              + ") has no "
              + PROVIDER
              + "; mounts are not served and I/O stays direct");
      return false;
    }
    Principals.install(instrumentation);
    RingBridge.install(files);
    RingBridge.install(paths);
    String call = CallAdvice.class.getName();
    String stream = StreamAdvice.class.getName();
    AtomicInteger transformed = new AtomicInteger();
    new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .ignore(none())
        .assureReadEdgeTo(instrumentation, Class.forName(BRIDGE, false, null))
        .with(new Listener(transformed, PROVIDER))
        .type(named(PROVIDER))
        .transform(
            advice()
                .advice(
                    named("newFileChannel").or(named("newByteChannel")).and(takesArguments(3)),
                    OpenAdvice.class.getName())
                .advice(
                    named("checkAccess")
                        .or(named("createDirectory"))
                        .or(named("createSymbolicLink"))
                        .or(named("createLink"))
                        .or(named("copy").or(named("move")).and(takesArguments(3))),
                    call)
                .advice(
                    named("exists")
                        .or(named("isDirectory"))
                        .or(named("isRegularFile"))
                        .or(named("isReadable"))
                        .or(named("isWritable"))
                        .or(named("isExecutable"))
                        .or(named("isSameFile"))
                        .or(named("implDelete")),
                    call,
                    ServedBoolean.class.getName())
                .advice(
                    named("readAttributes")
                        .and(takesArgument(1, Class.class))
                        .or(named("readAttributesIfExists"))
                        .or(named("newDirectoryStream"))
                        .or(named("readSymbolicLink"))
                        .or(named("getFileAttributeView").and(takesArgument(1, Class.class)))
                        .or(named("getFileStore").and(takesArgument(0, Path.class)))
                        .or(named("newAsynchronousFileChannel")),
                    call,
                    SERVED_VALUE))
        .type(named(LINUX_PROVIDER))
        .transform(
            advice()
                .advice(
                    named("getFileAttributeView").and(takesArgument(1, Class.class)),
                    call,
                    SERVED_VALUE))
        .type(named(ABSTRACT_PROVIDER))
        .transform(
            advice()
                .advice(named("setAttribute"), call)
                .advice(
                    named("readAttributes").and(takesArgument(1, String.class)),
                    call,
                    SERVED_VALUE))
        .type(named(PATH))
        .transform(
            advice()
                .advice(
                    named("toRealPath").and(takesArguments(LinkOption[].class)),
                    RealPathAdvice.class.getName(),
                    SERVED_VALUE))
        .type(named("java.io.FileInputStream"))
        .transform(
            advice()
                .advice(code("open").and(takesArguments(String.class)), stream)
                .advice(
                    code("read", "skip", "available", "isRegularFile", "getChannel")
                        .or(code("length", "position").and(takesArguments(0))),
                    stream,
                    SERVED_VALUE))
        .type(named("java.io.FileOutputStream"))
        .transform(
            advice()
                .advice(
                    code("open")
                        .and(takesArguments(String.class, boolean.class))
                        .or(code("write").and(isPublic())),
                    stream)
                .advice(code("getChannel"), stream, SERVED_VALUE))
        .type(named("java.io.RandomAccessFile"))
        .transform(
            advice()
                .advice(
                    code("open")
                        .and(takesArguments(String.class, int.class))
                        .or(code("write", "seek", "setLength", "writeChars").and(isPublic()))
                        .or(code("writeBytes").and(takesArguments(String.class))),
                    stream)
                .advice(
                    code("read")
                        .and(isPublic())
                        .or(code("length", "skipBytes", "readLine", "getChannel")),
                    stream,
                    SERVED_VALUE))
        .type(named("java.io.FileDescriptor"))
        .transform(
            advice()
                .advice(
                    code("close", "sync").and(takesArguments(0)), DescriptorAdvice.class.getName()))
        .installOn(instrumentation);
    NativeCallSites.install(instrumentation, Class.forName(BRIDGE, false, null));
    if (transformed.get() == 0) {
      System.err.println(
          "iouring agent: could not hook "
              + provider.getName()
              + " on JDK "
              + Runtime.version()
              + "; mounts are not served and I/O stays direct");
      RingBridge.install((RingBridge.Opener) null);
      RingBridge.install((RingBridge.Calls) null);
      RingBridge.install((RingBridge.Streams) null);
      return false;
    }
    IoFileHooks.install(instrumentation);
    return true;
  }

  /**
   * Reports every failure to instrument, instead of swallowing it, and counts transformations: of
   * one type (the provider's, without which no mount is served) or of every type.
   */
  static final class Listener extends AgentBuilder.Listener.Adapter {
    private final AtomicInteger transformed;
    private final String counted;

    /**
     * A listener.
     *
     * @param transformed the count to raise
     * @param counted the one type name to count, or null to count every type
     */
    Listener(AtomicInteger transformed, String counted) {
      this.transformed = transformed;
      this.counted = counted;
    }

    @Override
    public void onTransformation(
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        boolean loaded,
        net.bytebuddy.dynamic.DynamicType dynamicType) {
      if (counted == null || type.getName().equals(counted)) {
        transformed.incrementAndGet();
      }
    }

    @Override
    public void onError(
        String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      System.err.println("iouring agent: cannot instrument " + typeName + ": " + error);
    }
  }
}
