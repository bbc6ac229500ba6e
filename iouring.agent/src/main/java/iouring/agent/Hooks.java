package iouring.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import iouring.agent.bootstrap.RingBridge;
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
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
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
 */
final class Hooks {
  static final String PROVIDER = "sun.nio.fs.UnixFileSystemProvider";
  static final String PATH = "sun.nio.fs.UnixPath";

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

  /** Runs a void provider method on the ring when the bridge serves its paths. */
  static final class VoidAdvice {
    private VoidAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Object[] enter(@Advice.Origin("#m") String method, @Advice.AllArguments Object[] args)
        throws IOException {
      return RingBridge.call(method, args);
    }
  }

  /** Runs a boolean provider method on the ring when the bridge serves its path. */
  static final class BooleanAdvice {
    private BooleanAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Object[] enter(@Advice.Origin("#m") String method, @Advice.AllArguments Object[] args)
        throws IOException {
      return RingBridge.call(method, args);
    }

    @Advice.OnMethodExit
    static void exit(
        @Advice.Enter Object[] served, @Advice.Return(readOnly = false) boolean returned) {
      if (served != null) {
        returned = (Boolean) served[0];
      }
    }
  }

  /** Runs a provider method that returns an object on the ring when the bridge serves its path. */
  static final class ValueAdvice {
    private ValueAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Object[] enter(@Advice.Origin("#m") String method, @Advice.AllArguments Object[] args)
        throws IOException {
      return RingBridge.call(method, args);
    }

    @Advice.OnMethodExit
    static void exit(
        @Advice.Enter Object[] served,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
      if (served != null) {
        returned = served[0];
      }
    }
  }

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

    @Advice.OnMethodExit
    static void exit(
        @Advice.Enter Object[] served,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
      if (served != null) {
        returned = served[0];
      }
    }
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
    AtomicInteger transformed = new AtomicInteger();
    new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .ignore(none())
        .assureReadEdgeTo(instrumentation, Class.forName(BRIDGE, false, null))
        .with(new Listener(transformed))
        .type(named(PROVIDER))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(Hooks.class.getClassLoader())
                .withExceptionHandler(Advice.ExceptionHandler.Default.RETHROWING)
                .advice(
                    named("newFileChannel").or(named("newByteChannel")).and(takesArguments(3)),
                    OpenAdvice.class.getName())
                .advice(
                    named("checkAccess")
                        .or(named("createDirectory"))
                        .or(named("createSymbolicLink"))
                        .or(named("createLink"))
                        .or(named("copy").or(named("move")).and(takesArguments(3))),
                    VoidAdvice.class.getName())
                .advice(
                    named("exists")
                        .or(named("isDirectory"))
                        .or(named("isRegularFile"))
                        .or(named("isReadable"))
                        .or(named("isWritable"))
                        .or(named("isExecutable"))
                        .or(named("isSameFile"))
                        .or(named("implDelete")),
                    BooleanAdvice.class.getName())
                .advice(
                    named("readAttributes")
                        .and(takesArgument(1, Class.class))
                        .or(named("readAttributesIfExists"))
                        .or(named("newDirectoryStream"))
                        .or(named("readSymbolicLink"))
                        .or(named("getFileAttributeView").and(takesArgument(1, Class.class)))
                        .or(named("getFileStore").and(takesArgument(0, Path.class))),
                    ValueAdvice.class.getName()))
        .type(named(ABSTRACT_PROVIDER))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(Hooks.class.getClassLoader())
                .withExceptionHandler(Advice.ExceptionHandler.Default.RETHROWING)
                .advice(named("setAttribute"), VoidAdvice.class.getName())
                .advice(
                    named("readAttributes").and(takesArgument(1, String.class)),
                    ValueAdvice.class.getName()))
        .type(named(PATH))
        .transform(
            new AgentBuilder.Transformer.ForAdvice()
                .include(Hooks.class.getClassLoader())
                .withExceptionHandler(Advice.ExceptionHandler.Default.RETHROWING)
                .advice(
                    named("toRealPath").and(takesArguments(LinkOption[].class)),
                    RealPathAdvice.class.getName()))
        .installOn(instrumentation);
    if (transformed.get() == 0) {
      System.err.println(
          "iouring agent: could not hook "
              + provider.getName()
              + " on JDK "
              + Runtime.version()
              + "; mounts are not served and I/O stays direct");
      RingBridge.install((RingBridge.Opener) null);
      RingBridge.install((RingBridge.Calls) null);
      return false;
    }
    return true;
  }

  /**
   * Reports every failure to instrument, instead of swallowing it, and counts the provider's
   * transformations: without them no mount is served.
   */
  private static final class Listener extends AgentBuilder.Listener.Adapter {
    private final AtomicInteger transformed;

    Listener(AtomicInteger transformed) {
      this.transformed = transformed;
    }

    @Override
    public void onTransformation(
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        boolean loaded,
        net.bytebuddy.dynamic.DynamicType dynamicType) {
      if (type.getName().equals(PROVIDER)) {
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
