package iouring.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Objects;

/**
 * Native-order loads and stores at byte offsets of a {@link ByteBuffer}, each bounds-checked
 * against the buffer's limit when the view was made: what the ring code on both sides of the ABI
 * reads and writes SQEs, CQEs and ring indexes with.
 *
 * <p>On JDK 17 to 23, on x86_64 and aarch64, the accesses go through {@code sun.misc.Unsafe} at the
 * buffer's address (or into its array), after one index check each: {@code ByteBuffer}'s own
 * accessors there also check the buffer's memory session and byte order and re-read its fields
 * after every fence, which made them the largest cost of a ring round trip (a fifth of a NOP's on
 * JDK 17). From JDK 24, where {@code sun.misc.Unsafe}'s memory accesses print a warning (JEP 498),
 * on other architectures, when the class cannot be reached (no {@code jdk.unsupported} module), or
 * with the system property {@code iouring.unsafe=false}, the view calls the buffer's accessors
 * instead, with the same results. {@link #raw()} says which. The class is looked up through the
 * platform class loader, so an OSGi bundle needs no import for it.
 *
 * <p>Either way an access outside {@code [0, limit)} throws {@link IndexOutOfBoundsException} and
 * touches nothing, and the buffer stays reachable, so its memory stays allocated, while a view of
 * it does. Accesses are plain unless their name says otherwise, and aligned words are read and
 * written whole.
 */
public final class MemoryView {
  /**
   * Whether {@code sun.misc.Unsafe} serves the accesses; a constant to the JIT.
   *
   * <p>{@link IoUring}, {@link Sqe} and {@link Cqe} keep both the mapped buffers and views of them,
   * and on their hot paths branch on this themselves: without it they call the buffers exactly as
   * any {@code ByteBuffer} user would, because on JDK 25 each buffer access costs the JIT some 280
   * IR nodes and an application's submit-and-reap loop sits close to the node count past which C2
   * stops inlining; a view's extra method level on every access (some 20 nodes each) pushed it
   * over, and the loop ran 5% to 15% slower.
   */
  static final boolean RAW = rawUsable();

  /** The buffer, in native order; its accessors serve when {@link #RAW} is false. */
  private final ByteBuffer buffer;

  /** The array of a heap buffer, null for a direct one. */
  private final Object base;

  /** The address of index 0 for a direct buffer, its offset in {@link #base} for a heap one. */
  private final long address;

  private final int size;

  private MemoryView(ByteBuffer buffer, Object base, long address) {
    this.buffer = buffer;
    this.base = base;
    this.address = address;
    this.size = buffer.limit();
  }

  /**
   * Views bytes {@code [0, limit)} of a buffer; the view does not follow later changes to the
   * buffer's position, limit or byte order.
   *
   * @param buffer a direct or heap buffer, not read-only
   * @return the view
   * @throws IllegalArgumentException for a read-only buffer
   */
  public static MemoryView of(ByteBuffer buffer) {
    if (buffer.isReadOnly()) {
      throw new IllegalArgumentException("a read-only buffer cannot be viewed");
    }
    ByteBuffer b = buffer.duplicate().order(ByteOrder.nativeOrder());
    if (!RAW) {
      return new MemoryView(b, null, 0);
    }
    if (b.isDirect()) {
      return new MemoryView(b, null, Raw.address(b));
    }
    return new MemoryView(b, b.array(), Raw.BYTE_ARRAY_BASE + b.arrayOffset());
  }

  /**
   * Returns whether the accesses go through {@code sun.misc.Unsafe} rather than the buffer's
   * accessors.
   *
   * @return true when they do
   */
  public static boolean raw() {
    return RAW;
  }

  /**
   * Returns the viewed limit.
   *
   * @return the number of bytes the view reaches
   */
  public int size() {
    return size;
  }

  /**
   * Returns the byte at an offset.
   *
   * @param offset the byte offset
   * @return the byte
   */
  public byte get(int offset) {
    return RAW ? rawByte(offset) : buffer.get(offset);
  }

  /**
   * Stores a byte at an offset.
   *
   * @param offset the byte offset
   * @param value the byte
   */
  public void put(int offset, byte value) {
    if (RAW) {
      rawPutByte(offset, value);
    } else {
      buffer.put(offset, value);
    }
  }

  /**
   * Returns the 16-bit value at an offset.
   *
   * @param offset the byte offset
   * @return the value
   */
  public short getShort(int offset) {
    return RAW ? rawShort(offset) : buffer.getShort(offset);
  }

  /**
   * Stores a 16-bit value at an offset.
   *
   * @param offset the byte offset
   * @param value the value
   */
  public void putShort(int offset, short value) {
    if (RAW) {
      rawPutShort(offset, value);
    } else {
      buffer.putShort(offset, value);
    }
  }

  /**
   * Returns the 32-bit value at an offset.
   *
   * @param offset the byte offset
   * @return the value
   */
  public int getInt(int offset) {
    return RAW ? rawInt(offset) : buffer.getInt(offset);
  }

  /**
   * Stores a 32-bit value at an offset.
   *
   * @param offset the byte offset
   * @param value the value
   */
  public void putInt(int offset, int value) {
    if (RAW) {
      rawPutInt(offset, value);
    } else {
      buffer.putInt(offset, value);
    }
  }

  /**
   * Returns the 64-bit value at an offset.
   *
   * @param offset the byte offset
   * @return the value
   */
  public long getLong(int offset) {
    return RAW ? rawLong(offset) : buffer.getLong(offset);
  }

  /**
   * Stores a 64-bit value at an offset.
   *
   * @param offset the byte offset
   * @param value the value
   */
  public void putLong(int offset, long value) {
    if (RAW) {
      rawPutLong(offset, value);
    } else {
      buffer.putLong(offset, value);
    }
  }

  /**
   * Returns the 32-bit value at an offset with acquire ordering: no later load or store moves
   * before it. A plain load and a fence, so the same on every path.
   *
   * @param offset the byte offset, a multiple of 4
   * @return the value
   */
  public int getIntAcquire(int offset) {
    int v = getInt(offset);
    VarHandle.acquireFence();
    return v;
  }

  /**
   * Stores a 32-bit value at an offset with release ordering: no earlier load or store moves after
   * it.
   *
   * @param offset the byte offset, a multiple of 4
   * @param value the value
   */
  public void putIntRelease(int offset, int value) {
    VarHandle.releaseFence();
    putInt(offset, value);
  }

  // The raw accesses, out of line: the JIT counts a method's whole bytecode against its inlining
  // budgets, the branch it never takes included.

  private byte rawByte(int offset) {
    byte v = Raw.getByte(base, address + Objects.checkIndex(offset, size));
    Reference.reachabilityFence(this);
    return v;
  }

  private short rawShort(int offset) {
    short v = Raw.getShort(base, address + Objects.checkIndex(offset, size - 1));
    Reference.reachabilityFence(this);
    return v;
  }

  private int rawInt(int offset) {
    int v = Raw.getInt(base, address + Objects.checkIndex(offset, size - 3));
    Reference.reachabilityFence(this);
    return v;
  }

  private long rawLong(int offset) {
    long v = Raw.getLong(base, address + Objects.checkIndex(offset, size - 7));
    Reference.reachabilityFence(this);
    return v;
  }

  private void rawPutByte(int offset, byte value) {
    Raw.putByte(base, address + Objects.checkIndex(offset, size), value);
    Reference.reachabilityFence(this);
  }

  private void rawPutShort(int offset, short value) {
    Raw.putShort(base, address + Objects.checkIndex(offset, size - 1), value);
    Reference.reachabilityFence(this);
  }

  private void rawPutInt(int offset, int value) {
    Raw.putInt(base, address + Objects.checkIndex(offset, size - 3), value);
    Reference.reachabilityFence(this);
  }

  private void rawPutLong(int offset, long value) {
    Raw.putLong(base, address + Objects.checkIndex(offset, size - 7), value);
    Reference.reachabilityFence(this);
  }

  /** Whether this JVM may take the raw path; any failure to set it up means no. */
  private static boolean rawUsable() {
    if ("false".equalsIgnoreCase(System.getProperty("iouring.unsafe"))
        || Runtime.version().feature() >= 24) {
      return false;
    }
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")
        || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      return false;
    }
    try {
      return Raw.works();
    } catch (Throwable e) { // no sun.misc.Unsafe, or Buffer.address not where it was
      return false;
    }
  }

  /**
   * {@code sun.misc.Unsafe}'s accessors as constant method handles bound to the instance, which the
   * JIT compiles to the bare access: the class is found through the platform class loader, so no
   * bundle import and no compile-time reference to it are needed. Initialised only when {@link
   * #rawUsable()} asks.
   */
  private static final class Raw {
    static final MethodHandle GET_BYTE;
    static final MethodHandle PUT_BYTE;
    static final MethodHandle GET_SHORT;
    static final MethodHandle PUT_SHORT;
    static final MethodHandle GET_INT;
    static final MethodHandle PUT_INT;
    static final MethodHandle GET_LONG;
    static final MethodHandle PUT_LONG;
    static final long BYTE_ARRAY_BASE;
    static final long ADDRESS;

    static {
      try {
        Class<?> unsafeClass =
            Class.forName("sun.misc.Unsafe", true, ClassLoader.getPlatformClassLoader());
        Field f = unsafeClass.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Object unsafe = f.get(null);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        GET_BYTE = accessor(lookup, unsafeClass, unsafe, "getByte", byte.class, false);
        PUT_BYTE = accessor(lookup, unsafeClass, unsafe, "putByte", byte.class, true);
        GET_SHORT = accessor(lookup, unsafeClass, unsafe, "getShort", short.class, false);
        PUT_SHORT = accessor(lookup, unsafeClass, unsafe, "putShort", short.class, true);
        GET_INT = accessor(lookup, unsafeClass, unsafe, "getInt", int.class, false);
        PUT_INT = accessor(lookup, unsafeClass, unsafe, "putInt", int.class, true);
        GET_LONG = accessor(lookup, unsafeClass, unsafe, "getLong", long.class, false);
        PUT_LONG = accessor(lookup, unsafeClass, unsafe, "putLong", long.class, true);
        BYTE_ARRAY_BASE =
            (int)
                lookup
                    .findVirtual(
                        unsafeClass,
                        "arrayBaseOffset",
                        MethodType.methodType(int.class, Class.class))
                    .invoke(unsafe, byte[].class);
        ADDRESS =
            (long)
                lookup
                    .findVirtual(
                        unsafeClass,
                        "objectFieldOffset",
                        MethodType.methodType(long.class, Field.class))
                    .invoke(unsafe, Buffer.class.getDeclaredField("address"));
      } catch (Throwable e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private static MethodHandle accessor(
        MethodHandles.Lookup lookup,
        Class<?> unsafeClass,
        Object unsafe,
        String name,
        Class<?> type,
        boolean store)
        throws ReflectiveOperationException {
      MethodType mt =
          store
              ? MethodType.methodType(void.class, Object.class, long.class, type)
              : MethodType.methodType(type, Object.class, long.class);
      return lookup.findVirtual(unsafeClass, name, mt).bindTo(unsafe);
    }

    static byte getByte(Object base, long offset) {
      try {
        return (byte) GET_BYTE.invokeExact(base, offset);
      } catch (Throwable e) {
        throw new AssertionError(e); // Unsafe's loads throw nothing
      }
    }

    static void putByte(Object base, long offset, byte value) {
      try {
        PUT_BYTE.invokeExact(base, offset, value);
      } catch (Throwable e) {
        throw new AssertionError(e); // nor do its stores
      }
    }

    static short getShort(Object base, long offset) {
      try {
        return (short) GET_SHORT.invokeExact(base, offset);
      } catch (Throwable e) {
        throw new AssertionError(e); // Unsafe's loads throw nothing
      }
    }

    static void putShort(Object base, long offset, short value) {
      try {
        PUT_SHORT.invokeExact(base, offset, value);
      } catch (Throwable e) {
        throw new AssertionError(e); // nor do its stores
      }
    }

    static int getInt(Object base, long offset) {
      try {
        return (int) GET_INT.invokeExact(base, offset);
      } catch (Throwable e) {
        throw new AssertionError(e); // Unsafe's loads throw nothing
      }
    }

    static void putInt(Object base, long offset, int value) {
      try {
        PUT_INT.invokeExact(base, offset, value);
      } catch (Throwable e) {
        throw new AssertionError(e); // nor do its stores
      }
    }

    static long getLong(Object base, long offset) {
      try {
        return (long) GET_LONG.invokeExact(base, offset);
      } catch (Throwable e) {
        throw new AssertionError(e); // Unsafe's loads throw nothing
      }
    }

    static void putLong(Object base, long offset, long value) {
      try {
        PUT_LONG.invokeExact(base, offset, value);
      } catch (Throwable e) {
        throw new AssertionError(e); // nor do its stores
      }
    }

    /** A direct buffer's {@code address} field: the address of its index 0. */
    static long address(ByteBuffer b) {
      return getLong(b, ADDRESS);
    }

    /** Whether an address read here finds what the buffer's own accessor stored. */
    static boolean works() {
      long value = 0x0102030405060708L;
      ByteBuffer direct = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
      direct.putLong(0, value);
      // A heap buffer whose index 0 is not the array's first byte.
      ByteBuffer heap = ByteBuffer.allocate(16).position(8).slice().order(ByteOrder.nativeOrder());
      heap.putLong(0, value);
      boolean same =
          getLong(null, address(direct)) == value
              && getLong(heap.array(), BYTE_ARRAY_BASE + heap.arrayOffset()) == value;
      Reference.reachabilityFence(direct);
      return same;
    }
  }
}
