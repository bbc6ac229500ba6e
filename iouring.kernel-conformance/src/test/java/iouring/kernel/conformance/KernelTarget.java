package iouring.kernel.conformance;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import iouring.api.IoUringParams;
import iouring.api.abi.Errno;
import iouring.api.abi.ParamsLayout;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The machine's io_uring, reached through the Foreign Function and Memory API: {@code syscall(2)}
 * for the three io_uring calls (their numbers, 425 to 427, are the same on every architecture),
 * libc for {@code open}, {@code close}, {@code mmap} and {@code munmap}. Application memory comes
 * from an {@link Arena} that lives as long as the target; the ring is unmapped and every fd closed
 * before the arena is freed, so the kernel never writes into freed memory.
 *
 * <p>{@code reinterpret} and {@code downcallHandle} are restricted methods: the build allows native
 * access for this module's tests ({@code --enable-native-access}), hence the suppression.
 */
@SuppressWarnings("restricted")
final class KernelTarget implements Target {
  private static final long SYS_IO_URING_SETUP = 425;
  private static final long SYS_IO_URING_ENTER = 426;
  private static final long SYS_IO_URING_REGISTER = 427;
  private static final int PROT_READ_WRITE = 0x3;
  private static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");
  private static final VarHandle ERRNO =
      Linker.Option.captureStateLayout().varHandle(PathElement.groupElement("errno"));
  private static final boolean LINUX =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");

  private final Path directory;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment errno = arena.allocate(Linker.Option.captureStateLayout());
  private final Set<Integer> fds = new LinkedHashSet<>();
  private final List<MemorySegment> mappings = new ArrayList<>();

  KernelTarget(Path directory) {
    this.directory = directory;
  }

  /**
   * Returns why the kernel side cannot run here, or {@code null} when it can: not Linux, or
   * io_uring disabled ({@code ENOSYS}, or {@code EPERM} under {@code kernel.io_uring_disabled}).
   */
  static String unavailable() {
    if (!LINUX) {
      return "not Linux";
    }
    try (KernelTarget probe = new KernelTarget(Path.of("/"))) {
      int fd = probe.setup(1, new IoUringParams());
      return fd >= 0 ? null : "io_uring_setup: " + Errno.name(-fd);
    } catch (RuntimeException | LinkageError e) {
      return "io_uring_setup: " + e;
    }
  }

  /** Returns {@code Linux <major>.<minor>} from {@code /proc/sys/kernel/osrelease}. */
  static String release() {
    try {
      String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
      String[] parts = release.split("[.-]");
      return "Linux " + (parts.length >= 2 ? parts[0] + "." + parts[1] : release);
    } catch (IOException e) {
      return "Linux";
    }
  }

  @Override
  public String name() {
    return release();
  }

  @Override
  public Path directory() {
    return directory;
  }

  @Override
  public int open(String name, int flags) {
    MemorySegment path = arena.allocateFrom(directory.resolve(name).toString());
    int fd = (int) call(Native.OPEN, path, flags, 0644);
    if (fd >= 0) {
      fds.add(fd);
    }
    return fd;
  }

  @Override
  public int close(int fd) {
    fds.remove(fd);
    return (int) call(Native.CLOSE, fd);
  }

  @Override
  public Memory allocate(int size) {
    MemorySegment segment = arena.allocate(size, 4096);
    return new Memory(segment.asByteBuffer().order(ByteOrder.nativeOrder()), segment.address());
  }

  @Override
  public int setup(int entries, IoUringParams params) {
    MemorySegment p = arena.allocate(ParamsLayout.SIZE, 8);
    p.copyFrom(MemorySegment.ofBuffer(params.bytes()));
    int fd =
        (int) call(Native.SYSCALL, SYS_IO_URING_SETUP, (long) entries, p.address(), 0L, 0L, 0L, 0L);
    MemorySegment.ofBuffer(params.bytes()).copyFrom(p);
    if (fd >= 0) {
      fds.add(fd);
    }
    return fd;
  }

  @Override
  public ByteBuffer mmap(int ringFd, long offset, int length) {
    MemorySegment at =
        (MemorySegment)
            callObject(
                Native.MMAP,
                MemorySegment.NULL,
                (long) length,
                PROT_READ_WRITE,
                MAP_SHARED_POPULATE,
                ringFd,
                offset);
    if (at.address() == -1L) {
      throw new IllegalStateException("mmap: " + Errno.name(lastErrno()));
    }
    MemorySegment region = at.reinterpret(length);
    mappings.add(region);
    return region.asByteBuffer().order(ByteOrder.nativeOrder());
  }

  @Override
  public int enter(int ringFd, int toSubmit, int minComplete, int flags) {
    return (int)
        call(
            Native.SYSCALL,
            SYS_IO_URING_ENTER,
            (long) ringFd,
            (long) toSubmit,
            (long) minComplete,
            (long) flags,
            0L,
            0L);
  }

  @Override
  public int register(int fd, int opcode, long arg, int nrArgs) {
    return (int)
        call(
            Native.SYSCALL,
            SYS_IO_URING_REGISTER,
            (long) fd,
            (long) opcode,
            arg,
            (long) nrArgs,
            0L,
            0L);
  }

  @Override
  public void close() {
    for (MemorySegment mapping : mappings) {
      callObject(Native.MUNMAP, mapping, mapping.byteSize());
    }
    mappings.clear();
    for (int fd : List.copyOf(fds)) {
      close(fd);
    }
    arena.close();
  }

  /** Calls a C function that returns -1 and sets errno on failure; the result or -errno. */
  private long call(MethodHandle handle, Object... args) {
    Object result = callObject(handle, args);
    long value = ((Number) result).longValue();
    return value == -1 ? -lastErrno() : value;
  }

  private Object callObject(MethodHandle handle, Object... args) {
    Object[] withState = new Object[args.length + 1];
    withState[0] = errno;
    System.arraycopy(args, 0, withState, 1, args.length);
    try {
      return handle.invokeWithArguments(withState);
    } catch (Throwable t) {
      throw new IllegalStateException("native call failed", t);
    }
  }

  private int lastErrno() {
    return (int) ERRNO.get(errno, 0L);
  }

  /** The downcall handles, bound on first use so that a non-Linux JVM never looks them up. */
  private static final class Native {
    static final SymbolLookup LIBC = LINKER.defaultLookup();

    /** {@code long syscall(long number, ...)}: six variadic register arguments. */
    static final MethodHandle SYSCALL =
        downcall(
            "syscall",
            FunctionDescriptor.of(
                JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                JAVA_LONG),
            Linker.Option.firstVariadicArg(1));

    /** {@code int open(const char *path, int flags, ...)}, the mode variadic. */
    static final MethodHandle OPEN =
        downcall(
            "open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));

    static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    static final MethodHandle MMAP =
        downcall(
            "mmap",
            FunctionDescriptor.of(
                ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));

    static final MethodHandle MUNMAP =
        downcall("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    private static MethodHandle downcall(
        String name, FunctionDescriptor descriptor, Linker.Option... options) {
      Linker.Option[] all = new Linker.Option[options.length + 1];
      System.arraycopy(options, 0, all, 0, options.length);
      all[options.length] = ERRNO_OPTION;
      MemorySegment symbol =
          LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
      return LINKER.downcallHandle(symbol, descriptor, all);
    }
  }
}
