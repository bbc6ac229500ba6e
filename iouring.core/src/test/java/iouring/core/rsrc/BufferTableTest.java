package iouring.core.rsrc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import iouring.api.abi.IovecLayout;
import iouring.core.mem.UserMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class BufferTableTest {
  private final UserMemory memory = new UserMemory(16);
  private final UserMemory.View view = new UserMemory.View(memory);

  /** Registers bytes 1024..2047 of a 4 KiB mapping as buffer 0. */
  private BufferTable registerMiddle(long[] mapped) {
    long buffer = memory.map(ByteBuffer.allocateDirect(4096));
    ByteBuffer iov = ByteBuffer.allocateDirect(IovecLayout.SIZE).order(ByteOrder.nativeOrder());
    iov.putLong(IovecLayout.OFF_IOV_BASE, buffer + 1024);
    iov.putLong(IovecLayout.OFF_IOV_LEN, 1024);
    mapped[0] = buffer;
    return BufferTable.register(memory, memory.map(iov), 1, 16);
  }

  @Test
  void rangeInsideTheBufferIsAWindow() {
    long[] mapped = new long[1];
    BufferTable table = registerMiddle(mapped);
    ByteBuffer w = table.slice(view, 0, mapped[0] + 1024 + 1000, 24);
    assertNotNull(w);
    assertEquals(24, w.remaining());
  }

  @Test
  void rangeWhoseEndOverflowsIsAFault() {
    long[] mapped = new long[1];
    BufferTable table = registerMiddle(mapped);
    assertNull(table.slice(view, 0, Long.MAX_VALUE, 0x20000));
    assertNull(table.slice(view, 0, mapped[0] + 1024 + 1, Long.MAX_VALUE));
    assertNull(table.slice(view, 0, mapped[0] + 1024 + 1000, 25));
  }
}
