package iouring.agent;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Reaches the stream methods that are native in the running JDK, which advice cannot hook: {@code
 * RandomAccessFile.getFilePointer()} (JDK 17 and 25), {@code length()}, {@code setLength(long)} and
 * {@code FileDescriptor.sync()} (JDK 17). A native method could only be wrapped by renaming it
 * (JVMTI's native method prefix), and HotSpot refuses to add a method to a loaded class, which
 * {@code RandomAccessFile} is before any agent starts. So the calls are rewritten instead: in each
 * class as it loads, and in the JDK's classes already loaded that call one (on JDK 17 {@code
 * ZipFile$Source} calls {@code length()}: a zip file on a mount), an {@code invokevirtual} of one
 * of them becomes an {@code invokestatic} of the bridge method of the same name, which serves a
 * mounted file and calls the JDK's method for any other; a method reference to one of them is
 * pointed at that bridge method too. {@code RandomAccessFile}'s own callers ({@code skipBytes},
 * {@code readLine}) are hooked whole instead.
 *
 * <p>Not rewritten: application classes loaded before the agent was attached to a running JVM,
 * classes of a loader that cannot see the bridge (an OSGi framework without boot delegation for
 * {@code iouring.agent.bootstrap}), calls through a subclass's type or {@code super}, serializable
 * method references and reflection; there the JDK's native meets the emulated file's invalid
 * descriptor and throws {@code IOException("Stream Closed")}.
 */
final class NativeCallSites implements ClassFileTransformer {
  private static final String BRIDGE = BridgeInjector.BRIDGE.replace('.', '/');
  private static final byte[][] OWNERS = {
    ascii("java/io/RandomAccessFile"), ascii("java/io/FileDescriptor")
  };

  /**
   * The JDK's classes that call one of the natives, in the JDK 17 and 25 images (found with javap
   * over {@code jimage extract}): those already loaded are rewritten at start (reading the class
   * file of every loaded class instead costs a third of a second). Any class loading later is
   * rewritten as it loads.
   */
  private static final Set<String> JDK_CALLERS =
      Set.of(
          "java.util.zip.ZipFile$Source",
          "javax.imageio.stream.FileImageInputStream",
          "javax.imageio.stream.FileImageOutputStream",
          "javax.imageio.stream.FileCacheImageOutputStream",
          "com.sun.media.sound.AuFileWriter",
          "com.sun.media.sound.RIFFWriter$RandomAccessFileWriter",
          "com.sun.media.sound.ModelByteBuffer$RandomFileInputStream",
          "sun.rmi.log.ReliableLog$LogFile",
          "jdk.jfr.internal.consumer.RecordingInput",
          "jdk.jfr.internal.consumer.RecordingInput$Block",
          "jdk.jfr.internal.tool.Command",
          "jdk.management.jfr.DiskRepository");

  private final Instrumentation instrumentation;
  private final Class<?> bridge;
  private final Set<String> natives;
  private final Map<ClassLoader, Boolean> seesBridge =
      Collections.synchronizedMap(new WeakHashMap<>());

  private NativeCallSites(Instrumentation instrumentation, Class<?> bridge, Set<String> natives) {
    this.instrumentation = instrumentation;
    this.bridge = bridge;
    this.natives = natives;
  }

  /** Registers the rewriting of the calls that are native here, if any are. */
  static void install(Instrumentation instrumentation, Class<?> bridge) {
    Set<String> natives = new HashSet<>();
    try {
      addIfNative(natives, RandomAccessFile.class, "getFilePointer", "()J");
      addIfNative(natives, RandomAccessFile.class, "length", "()J");
      addIfNative(natives, RandomAccessFile.class, "setLength", "(J)V", long.class);
      addIfNative(natives, FileDescriptor.class, "sync", "()V");
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("this JDK's java.io lacks " + e.getMessage(), e);
    }
    if (natives.isEmpty()) {
      return;
    }
    NativeCallSites callSites = new NativeCallSites(instrumentation, bridge, natives);
    instrumentation.addTransformer(callSites, true);
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      ClassLoader loader = type.getClassLoader();
      if ((loader == null || loader == ClassLoader.getPlatformClassLoader())
          && JDK_CALLERS.contains(type.getName())
          && instrumentation.isModifiableClass(type)
          && callSites.calls(type)) {
        loaded.add(type);
      }
    }
    try {
      if (!loaded.isEmpty()) {
        instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
      }
    } catch (UnmodifiableClassException | RuntimeException e) {
      System.err.println("iouring agent: cannot rewrite the stream calls of " + loaded + ": " + e);
    }
  }

  /** Returns true if a loaded class calls one of the natives (read from its class file). */
  private boolean calls(Class<?> type) {
    String name = type.getName().replace('.', '/');
    if (excluded(name)) {
      return false;
    }
    try (InputStream in = type.getModule().getResourceAsStream(name + ".class")) {
      byte[] bytes = in == null ? null : in.readAllBytes();
      if (bytes == null || !mentionsAnOwner(bytes)) {
        return false;
      }
      Rewriter scan = new Rewriter(null);
      OpenedClassReader.of(bytes).accept(scan, ClassReader.SKIP_FRAMES);
      return scan.changed;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The bridge, whose fallbacks are the natives themselves, and the two classes that own them. */
  private static boolean excluded(String className) {
    return className.startsWith("iouring/agent/bootstrap/")
        || className.equals("java/io/RandomAccessFile")
        || className.equals("java/io/FileDescriptor");
  }

  private static void addIfNative(
      Set<String> natives, Class<?> type, String name, String descriptor, Class<?>... parameters)
      throws NoSuchMethodException {
    if (Modifier.isNative(type.getDeclaredMethod(name, parameters).getModifiers())) {
      natives.add(type.getName().replace('.', '/') + "." + name + descriptor);
    }
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> redefined,
      ProtectionDomain domain,
      byte[] bytes) {
    if (className == null || excluded(className) || !mentionsAnOwner(bytes)) {
      return null;
    }
    try {
      ClassReader reader = OpenedClassReader.of(bytes);
      ClassWriter writer = new ClassWriter(reader, 0);
      Rewriter rewriter = new Rewriter(writer);
      reader.accept(rewriter, 0);
      if (!rewriter.changed || !seesBridge(loader)) {
        return null;
      }
      if (module != null && module.isNamed() && !module.canRead(bridge.getModule())) {
        instrumentation.redefineModule(
            module, Set.of(bridge.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
      }
      return writer.toByteArray();
    } catch (RuntimeException | LinkageError e) {
      System.err.println(
          "iouring agent: cannot rewrite the stream calls of " + className + ": " + e);
      return null;
    }
  }

  private boolean seesBridge(ClassLoader loader) {
    Boolean sees = seesBridge.get(loader);
    if (sees == null) {
      try {
        sees = Class.forName(BridgeInjector.BRIDGE, false, loader) == bridge;
      } catch (ClassNotFoundException | LinkageError e) {
        sees = false;
      }
      seesBridge.put(loader, sees);
    }
    return sees;
  }

  /** Replaces the calls; the receiver becomes the first argument, so the stack stays the same. */
  private final class Rewriter extends ClassVisitor {
    boolean changed;

    Rewriter(ClassVisitor next) {
      super(OpenedClassReader.ASM_API, next);
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
      return new MethodVisitor(OpenedClassReader.ASM_API, next) {
        @Override
        public void visitMethodInsn(
            int opcode, String owner, String method, String desc, boolean isInterface) {
          if (opcode == Opcodes.INVOKEVIRTUAL && natives.contains(owner + "." + method + desc)) {
            changed = true;
            super.visitMethodInsn(
                Opcodes.INVOKESTATIC, BRIDGE, method, bridged(owner, desc), false);
          } else {
            super.visitMethodInsn(opcode, owner, method, desc, isInterface);
          }
        }

        /**
         * A method reference ({@code raf::getFilePointer}) is a method handle given to the lambda
         * metafactory: a static method that takes the receiver first implements it as well. A
         * serializable one is left alone, its deserializer checks the handle's kind.
         */
        @Override
        public void visitInvokeDynamicInsn(
            String name, String desc, Handle bootstrap, Object... arguments) {
          if (bootstrap.getOwner().equals("java/lang/invoke/LambdaMetafactory")
              && bootstrap.getName().equals("metafactory")) {
            for (int i = 0; i < arguments.length; i++) {
              if (arguments[i] instanceof Handle h
                  && h.getTag() == Opcodes.H_INVOKEVIRTUAL
                  && natives.contains(h.getOwner() + "." + h.getName() + h.getDesc())) {
                changed = true;
                arguments[i] =
                    new Handle(
                        Opcodes.H_INVOKESTATIC,
                        BRIDGE,
                        h.getName(),
                        bridged(h.getOwner(), h.getDesc()),
                        false);
              }
            }
          }
          super.visitInvokeDynamicInsn(name, desc, bootstrap, arguments);
        }
      };
    }
  }

  private static String bridged(String owner, String descriptor) {
    return "(L" + owner + ";" + descriptor.substring(1);
  }

  /** A cheap test before parsing: does the constant pool name either owner at all? */
  private static boolean mentionsAnOwner(byte[] bytes) {
    for (byte[] owner : OWNERS) {
      outer:
      for (int i = 0; i <= bytes.length - owner.length; i++) {
        for (int j = 0; j < owner.length; j++) {
          if (bytes[i + j] != owner[j]) {
            continue outer;
          }
        }
        return true;
      }
    }
    return false;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
