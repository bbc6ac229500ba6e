package iouring.core.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.ErrnoException;
import iouring.api.abi.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class UserMemoryTest {
  private final UserMemory memory = new UserMemory(16);

  @Test
  void mapReturnsAnAddressThatReachesTheBuffer() {
    ByteBuffer buffer = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
    buffer.putLong(8, 0x1122_3344_5566_7788L);
    long base = memory.map(buffer);

    assertEquals(0x1122_3344_5566_7788L, memory.getLong(base + 8));
    memory.putInt(base + 16, 42);
    assertEquals(42, buffer.getInt(16));
    assertEquals(1, memory.size());
  }

  @Test
  void mapIgnoresAndKeepsPositionAndLimit() {
    ByteBuffer buffer = ByteBuffer.allocate(32).position(8).limit(16);
    long base = memory.map(buffer);
    assertNotNull(memory.find(base, 32));
    assertEquals(8, buffer.position());
    assertEquals(16, buffer.limit());
  }

  @Test
  void addressesStartAboveMmapMinAddrAndNeverTouch() {
    long first = memory.map(ByteBuffer.allocate(100));
    long second = memory.map(ByteBuffer.allocate(UserMemory.PAGE_SIZE));
    assertTrue(first >= 0x10000, "first address 0x" + Long.toHexString(first));
    assertEquals(0, first % UserMemory.PAGE_SIZE);
    assertTrue(second >= first + 2 * UserMemory.PAGE_SIZE, "a guard page separates mappings");
    assertNull(memory.find(first + 100, 1), "the rest of the page is not mapped");
    assertNull(memory.find(first + UserMemory.PAGE_SIZE, 1), "the guard page is not mapped");
  }

  @Test
  void unmappedAddressesFault() {
    assertThrows(FaultException.class, () -> memory.getLong(0));
    assertThrows(FaultException.class, () -> memory.getInt(0x10000));
    long base = memory.map(ByteBuffer.allocate(16));
    assertThrows(FaultException.class, () -> memory.getLong(base - 8));
    assertNull(memory.slice(base - 1, 4, false));
    assertNull(memory.find(-1, 1));
  }

  @Test
  void rangeCrossingTheEndOfAMappingFaults() {
    long base = memory.map(ByteBuffer.allocate(16));
    assertEquals(0, memory.getLong(base + 8));
    assertThrows(FaultException.class, () -> memory.getLong(base + 12));
    assertThrows(FaultException.class, () -> memory.putInt(base + 13, 1));
    assertNull(memory.slice(base + 8, 9, false));
    assertNotNull(memory.slice(base + 8, 8, false));
    assertNull(memory.find(base, -1), "a negative length is never mapped");
  }

  @Test
  void sliceCoversExactlyTheRange() {
    ByteBuffer buffer = ByteBuffer.allocate(64);
    buffer.put(10, (byte) 7);
    long base = memory.map(buffer);
    ByteBuffer slice = memory.slice(base + 10, 5, true);
    assertEquals(0, slice.position());
    assertEquals(5, slice.limit());
    assertEquals(ByteOrder.nativeOrder(), slice.order());
    assertEquals(7, slice.get(0));
    slice.put(1, (byte) 9);
    assertEquals(9, buffer.get(11));
  }

  @Test
  void readOnlyMappingRefusesWrites() {
    ByteBuffer buffer =
        ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(0, 5).asReadOnlyBuffer();
    long base = memory.map(buffer);
    assertTrue(memory.find(base, 16).readOnly());
    assertEquals(5, memory.getInt(base));
    assertNotNull(memory.slice(base, 16, false), "a write to a file may read from it");
    assertNull(memory.slice(base, 16, true), "a read from a file may not write into it");
    assertThrows(FaultException.class, () -> memory.putInt(base, 1));
    assertThrows(FaultException.class, () -> memory.put(base, ByteBuffer.wrap(new byte[] {1, 2})));
  }

  @Test
  void putCopiesRemainingBytesAndLeavesThePosition() {
    ByteBuffer target = ByteBuffer.allocate(8);
    long base = memory.map(target);
    ByteBuffer src = ByteBuffer.wrap(new byte[] {1, 2, 3, 4}).position(1);
    memory.put(base + 4, src);
    assertEquals(1, src.position());
    assertEquals(2, target.get(4));
    assertEquals(4, target.get(6));
    assertThrows(FaultException.class, () -> memory.put(base + 6, src.duplicate()));
  }

  @Test
  void unmapRemovesTheMapping() {
    long first = memory.map(ByteBuffer.allocate(16));
    long second = memory.map(ByteBuffer.allocate(16));
    memory.unmap(first);
    assertThrows(FaultException.class, () -> memory.getLong(first));
    assertEquals(0, memory.getLong(second));
    assertEquals(1, memory.size());
    long third = memory.map(ByteBuffer.allocate(16));
    assertTrue(third > second, "addresses are not reused");
  }

  @Test
  void unmapOfAnAddressThatStartsNoMappingIsEinval() {
    long base = memory.map(ByteBuffer.allocate(16));
    assertEquals(Errno.EINVAL, errno(() -> memory.unmap(base + 4)));
    assertEquals(Errno.EINVAL, errno(() -> memory.unmap(0)));
    memory.unmap(base);
    assertEquals(Errno.EINVAL, errno(() -> memory.unmap(base)));
  }

  @Test
  void mapOfNullIsEfault() {
    assertEquals(Errno.EFAULT, errno(() -> memory.map(null)));
  }

  @Test
  void mappingsPastTheLimitAreEnomem() {
    UserMemory small = new UserMemory(2);
    small.map(ByteBuffer.allocate(1));
    long second = small.map(ByteBuffer.allocate(1));
    assertEquals(Errno.ENOMEM, errno(() -> small.map(ByteBuffer.allocate(1))));
    small.unmap(second);
    assertEquals(1, small.size());
    small.map(ByteBuffer.allocate(1)); // unmapping made room
  }

  @Test
  void emptyBufferGetsAnAddressButNoBytes() {
    long base = memory.map(ByteBuffer.allocate(0));
    assertTrue(base != 0);
    assertNull(memory.find(base, 1));
  }

  @Test
  void mappingExposesBaseAndWholeBuffer() {
    ByteBuffer buffer = ByteBuffer.allocate(32);
    long base = memory.map(buffer);
    UserMemory.Mapping m = memory.find(base + 4, 4);
    assertEquals(base, m.base());
    assertEquals(32, m.buffer().capacity());
    assertSame(m, memory.find(base, 32));
  }

  private static int errno(Runnable call) {
    return assertThrows(ErrnoException.class, call::run).errno();
  }

  /**
   * A process that maps and unmaps forever (the agent maps each buffer for one SQE) must not run
   * out of addresses: once the top is reached, the addresses of unmapped buffers are given out
   * again, lowest first, never overlapping a live mapping or its guard page.
   */
  @Test
  void addressesOfUnmappedBuffersAreReusedOnceTheTopIsReached() {
    long top = 0x10000L + 16 * UserMemory.PAGE_SIZE; // room for eight one-page mappings
    UserMemory small = new UserMemory(16, top);
    ByteBuffer live = ByteBuffer.allocate(100);
    long kept = small.map(live);
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ByteBuffer b = ByteBuffer.allocate(4096);
      long address = small.map(b);
      assertTrue(address + 4096 <= top, "inside the space");
      assertTrue(address >= kept + 2 * UserMemory.PAGE_SIZE || address + 4096 < kept, "apart");
      b.put(0, (byte) i);
      assertEquals((byte) i, small.getBytes(address, 1)[0], "the address reaches its own buffer");
      seen.add(address);
      small.unmap(address);
    }
    assertEquals(7, seen.size(), "every free slot taken in turn, then again");
    assertEquals(live, small.find(kept, 100).buffer(), "the live mapping is untouched");
  }

  @Test
  void aFullSpaceIsEnomemAndAFreedGapIsFilled() {
    long top = 0x10000L + 6 * UserMemory.PAGE_SIZE; // three one-page mappings with guards
    UserMemory small = new UserMemory(16, top);
    long a = small.map(ByteBuffer.allocate(10));
    long b = small.map(ByteBuffer.allocate(10));
    small.map(ByteBuffer.allocate(10));
    ErrnoException e = assertThrows(ErrnoException.class, () -> small.map(ByteBuffer.allocate(10)));
    assertEquals(Errno.ENOMEM, e.errno());
    small.unmap(b);
    assertEquals(b, small.map(ByteBuffer.allocate(10)), "the freed gap");
    small.unmap(a);
    assertThrows(ErrnoException.class, () -> small.map(ByteBuffer.allocate(5000)), "too wide");
    assertEquals(a, small.map(ByteBuffer.allocate(4096)));
  }

  @Test
  void anEmptyBufferCanBeUnmapped() {
    long address = memory.map(ByteBuffer.allocate(0));
    memory.unmap(address);
    ErrnoException e = assertThrows(ErrnoException.class, () -> memory.unmap(address));
    assertEquals(Errno.EINVAL, e.errno());
  }
}
