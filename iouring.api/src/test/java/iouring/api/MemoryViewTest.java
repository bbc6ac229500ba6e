package iouring.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tests {@link MemoryView} on whichever path this JVM takes ({@code sun.misc.Unsafe} on JDK 17, the
 * buffer's accessors on JDK 25, both in CI): every access agrees with the buffer's own native-order
 * accessors, on direct and heap buffers and on slices that do not start at their memory's first
 * byte, and an access outside the viewed bytes throws and changes nothing.
 */
class MemoryViewTest {
  private static final int SIZE = 64;

  /** The whole buffer each slice was cut from, to check the bytes around the window. */
  private static final Map<ByteBuffer, ByteBuffer> PARENTS =
      Collections.synchronizedMap(new IdentityHashMap<>());

  static Stream<Arguments> buffers() {
    return Stream.of(
        Arguments.of("direct", (Supplier<ByteBuffer>) () -> ByteBuffer.allocateDirect(SIZE)),
        Arguments.of("heap", (Supplier<ByteBuffer>) () -> ByteBuffer.allocate(SIZE)),
        Arguments.of("direct slice", (Supplier<ByteBuffer>) () -> slice(true)),
        Arguments.of("heap slice", (Supplier<ByteBuffer>) () -> slice(false)));
  }

  /** Bytes 24..88 of a larger buffer, every byte of it 0x5a: the view must see only its window. */
  private static ByteBuffer slice(boolean direct) {
    ByteBuffer whole =
        direct ? ByteBuffer.allocateDirect(SIZE + 48) : ByteBuffer.allocate(SIZE + 48);
    while (whole.hasRemaining()) {
      whole.put((byte) 0x5a);
    }
    ByteBuffer s = whole.position(24).limit(24 + SIZE).slice();
    for (int i = 0; i < SIZE; i++) {
      s.put(i, (byte) 0);
    }
    PARENTS.put(s, whole.clear());
    return s;
  }

  private static ByteBuffer nativeOrder(ByteBuffer b) {
    return b.duplicate().order(ByteOrder.nativeOrder());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("buffers")
  void storesThroughTheViewAreWhatTheBufferReads(String kind, Supplier<ByteBuffer> make) {
    ByteBuffer buffer = make.get();
    MemoryView view = MemoryView.of(buffer);
    ByteBuffer b = nativeOrder(buffer);
    view.put(1, (byte) 0x81);
    view.putShort(2, (short) 0xbeef);
    view.putInt(4, 0xcafe_f00d);
    view.putLong(8, 0x0123_4567_89ab_cdefL);
    view.putIntRelease(16, -7);
    view.putLong(SIZE - 16, Long.MIN_VALUE + 3);
    view.putInt(SIZE - 8, -42);
    view.putShort(SIZE - 4, (short) 9);
    view.put(SIZE - 1, (byte) 7); // the last byte of each width is reachable

    assertEquals((byte) 0x81, b.get(1));
    assertEquals((short) 0xbeef, b.getShort(2));
    assertEquals(0xcafe_f00d, b.getInt(4));
    assertEquals(0x0123_4567_89ab_cdefL, b.getLong(8));
    assertEquals(-7, b.getInt(16));
    assertEquals(Long.MIN_VALUE + 3, b.getLong(SIZE - 16));
    assertEquals(-42, b.getInt(SIZE - 8));
    assertEquals((short) 9, b.getShort(SIZE - 4));
    assertEquals((byte) 7, b.get(SIZE - 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("buffers")
  void loadsThroughTheViewAreWhatTheBufferStored(String kind, Supplier<ByteBuffer> make) {
    ByteBuffer buffer = make.get();
    ByteBuffer b = nativeOrder(buffer);
    b.put(0, (byte) -1);
    b.putShort(6, (short) -2);
    b.putInt(20, 0x7fff_fffe);
    b.putLong(32, -0x1122_3344_5566_7788L);
    MemoryView view = MemoryView.of(buffer);
    assertEquals((byte) -1, view.get(0));
    assertEquals((short) -2, view.getShort(6));
    assertEquals(0x7fff_fffe, view.getInt(20));
    assertEquals(0x7fff_fffe, view.getIntAcquire(20));
    assertEquals(-0x1122_3344_5566_7788L, view.getLong(32));
    assertEquals(SIZE, view.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("buffers")
  void anAccessOutsideTheViewThrowsAndTouchesNothing(String kind, Supplier<ByteBuffer> make) {
    ByteBuffer buffer = make.get();
    MemoryView view = MemoryView.of(buffer);
    byte[] before = contents(buffer);
    int[] offsets = {-1, -8, Integer.MIN_VALUE, SIZE, SIZE + 1, Integer.MAX_VALUE};
    for (int off : offsets) {
      assertThrows(IndexOutOfBoundsException.class, () -> view.get(off));
      assertThrows(IndexOutOfBoundsException.class, () -> view.put(off, (byte) 1));
    }
    // Wider accesses that start inside but end past the last byte.
    assertThrows(IndexOutOfBoundsException.class, () -> view.getShort(SIZE - 1));
    assertThrows(IndexOutOfBoundsException.class, () -> view.putShort(SIZE - 1, (short) 1));
    for (int off : new int[] {SIZE - 3, SIZE - 2, SIZE - 1, -4}) {
      assertThrows(IndexOutOfBoundsException.class, () -> view.getInt(off));
      assertThrows(IndexOutOfBoundsException.class, () -> view.putInt(off, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> view.putIntRelease(off, 1));
    }
    for (int off : new int[] {SIZE - 7, SIZE - 4, SIZE - 1, -8}) {
      assertThrows(IndexOutOfBoundsException.class, () -> view.getLong(off));
      assertThrows(IndexOutOfBoundsException.class, () -> view.putLong(off, -1L));
    }
    assertArrayEquals(before, contents(buffer));
    ByteBuffer parent = PARENTS.get(buffer);
    if (parent != null) { // the bytes around the window are untouched too
      for (int i = 0; i < parent.capacity(); i++) {
        if (i < 24 || i >= 24 + SIZE) {
          assertEquals((byte) 0x5a, parent.get(i), "byte " + i + " of the slice's memory");
        }
      }
    }
  }

  @Test
  void theViewKeepsTheLimitItWasMadeWith() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(SIZE);
    buffer.limit(16);
    MemoryView view = MemoryView.of(buffer);
    buffer.limit(SIZE).order(ByteOrder.BIG_ENDIAN).position(8);
    assertEquals(16, view.size());
    assertThrows(IndexOutOfBoundsException.class, () -> view.putLong(16, 1L));
    view.putLong(8, 0x0102L); // native order whatever the buffer's order became
    assertEquals(0x0102L, nativeOrder(buffer).getLong(8));
  }

  @Test
  void aReadOnlyBufferIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> MemoryView.of(ByteBuffer.allocateDirect(8).asReadOnlyBuffer()));
    assertThrows(
        IllegalArgumentException.class,
        () -> MemoryView.of(ByteBuffer.allocate(8).asReadOnlyBuffer()));
  }

  @Test
  void theRawPathIsTakenExactlyWhereItIsMeantTo() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    boolean supportedArch =
        (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))
            && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    boolean expected =
        supportedArch
            && Runtime.version().feature() < 24
            && !"false".equalsIgnoreCase(System.getProperty("iouring.unsafe"));
    assertEquals(expected, MemoryView.raw());
  }

  private static byte[] contents(ByteBuffer buffer) {
    byte[] out = new byte[buffer.limit()];
    buffer.duplicate().position(0).get(out);
    return out;
  }
}
