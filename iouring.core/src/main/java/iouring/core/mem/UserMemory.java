package iouring.core.mem;

import iouring.api.AddressSpace;
import iouring.api.ErrnoException;
import iouring.api.abi.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The user address space of one emulated process: a sorted, copy-on-write array of mappings, each a
 * buffer the application handed over. Lookups never lock and never allocate; an address that no
 * mapping covers, or a range that runs past the end of its mapping, is a fault.
 *
 * <p>Addresses start at 64 KiB (Linux's default {@code mmap_min_addr}) so that small integers are
 * never valid pointers, and consecutive mappings are separated by at least one unmapped page, so a
 * range can never run from one mapping into the next. New mappings go after the last one made (next
 * fit), and from the bottom again once the top is reached, into the gaps unmapped ones left: an
 * address faults for as long as possible after its unmap, and the space never runs out while few
 * mappings are live.
 */
public final class UserMemory implements AddressSpace {
  /** The page size the emulation reports and aligns mappings to. */
  public static final int PAGE_SIZE = 4096;

  private static final long FIRST_ADDRESS = 0x10000L;
  private static final long LAST_ADDRESS = 0x7fff_ffff_f000L;

  private final ReentrantLock writeLock = new ReentrantLock();
  private final int maxMappings;

  /** The end of the addresses handed out: {@link #LAST_ADDRESS} but in tests. */
  private final long lastAddress;

  /** Mappings sorted by base address; replaced whole on every change. */
  private volatile Mapping[] mappings = new Mapping[0];

  /** The lowest address the next mapping may use; guarded by writeLock. */
  private long nextAddress = FIRST_ADDRESS;

  /**
   * Creates an empty address space.
   *
   * @param maxMappings the most mappings it may hold; more give {@code ENOMEM}
   */
  public UserMemory(int maxMappings) {
    this(maxMappings, LAST_ADDRESS);
  }

  /** An address space that ends early, for tests of what happens when its top is reached. */
  UserMemory(int maxMappings, long lastAddress) {
    this.maxMappings = maxMappings;
    this.lastAddress = lastAddress;
  }

  @Override
  public long map(ByteBuffer buffer) {
    if (buffer == null) {
      throw new ErrnoException(Errno.EFAULT, "map(null)");
    }
    ByteBuffer view = buffer.duplicate().clear().order(ByteOrder.nativeOrder());
    int length = view.capacity();
    long span = roundUpToPage(Math.max(length, 1)) + PAGE_SIZE; // one guard page after it
    writeLock.lock();
    try {
      Mapping[] current = mappings;
      if (current.length >= maxMappings) {
        throw new ErrnoException(Errno.ENOMEM, "address space holds " + maxMappings + " mappings");
      }
      // Next fit: from where the last mapping went, else again from the bottom, so that an
      // address stays unmapped (and faults) for as long as possible after its unmap, and a
      // process that maps and unmaps forever (the agent maps each buffer for one SQE) never runs
      // out of addresses while few mappings are live.
      long base = place(current, nextAddress, span);
      if (base < 0) {
        base = place(current, FIRST_ADDRESS, span);
      }
      if (base < 0) {
        throw new ErrnoException(Errno.ENOMEM, "address space exhausted");
      }
      nextAddress = base + span;
      int at = current.length; // where it goes to keep the array sorted by base
      while (at > 0 && current[at - 1].base > base) {
        at--;
      }
      Mapping[] next = new Mapping[current.length + 1];
      System.arraycopy(current, 0, next, 0, at);
      next[at] = new Mapping(base, view, buffer.isReadOnly());
      System.arraycopy(current, at, next, at + 1, current.length - at);
      mappings = next;
      return base;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void unmap(long address) {
    writeLock.lock();
    try {
      Mapping[] current = mappings;
      int i = indexOfBase(current, address); // by base: an empty mapping contains no address
      if (i < 0) {
        throw new ErrnoException(
            Errno.EINVAL, "no mapping starts at 0x" + Long.toHexString(address));
      }
      Mapping[] next = new Mapping[current.length - 1];
      System.arraycopy(current, 0, next, 0, i);
      System.arraycopy(current, i + 1, next, i, current.length - i - 1);
      mappings = next;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Returns the lowest address from {@code from} on where {@code span} bytes fit between the
   * mappings (each with its guard page) and below the top, or -1.
   */
  private long place(Mapping[] sorted, long from, long span) {
    long candidate = from;
    for (Mapping m : sorted) {
      long end = m.base + roundUpToPage(Math.max(m.length, 1)) + PAGE_SIZE;
      if (end <= candidate) {
        continue;
      }
      if (m.base >= candidate + span) {
        break; // the gap before this mapping is wide enough
      }
      candidate = end;
    }
    return candidate + span <= lastAddress ? candidate : -1;
  }

  /**
   * Returns the mapping that holds all of {@code [address, address + length)}, or null if any byte
   * of it is unmapped.
   *
   * @param address the user address
   * @param length the number of bytes, not negative
   * @return the mapping, or null for a fault
   */
  public Mapping find(long address, long length) {
    Mapping[] current = mappings;
    int i = indexOf(current, address);
    if (i < 0) {
      return null;
    }
    Mapping m = current[i];
    long offset = address - m.base;
    if (length < 0 || offset + length > m.length) {
      return null;
    }
    return m;
  }

  /**
   * Returns a native-order buffer over {@code [address, address + length)}, or null for a fault.
   *
   * @param address the user address
   * @param length the number of bytes
   * @param forWrite true if the kernel will write into it (a read target), which a read-only
   *     mapping refuses
   * @return a new buffer whose position is 0 and limit {@code length}, or null
   */
  public ByteBuffer slice(long address, int length, boolean forWrite) {
    Mapping m = find(address, length);
    if (m == null || (forWrite && m.readOnly)) {
      return null;
    }
    return m.buffer.slice((int) (address - m.base), length).order(ByteOrder.nativeOrder());
  }

  /**
   * Reads a 64-bit value at a user address.
   *
   * @param address the user address
   * @return the value
   * @throws FaultException if any byte is unmapped
   */
  public long getLong(long address) {
    Mapping m = find(address, 8);
    if (m == null) {
      throw FaultException.INSTANCE;
    }
    return m.buffer.getLong((int) (address - m.base));
  }

  /**
   * Reads a 32-bit value at a user address.
   *
   * @param address the user address
   * @return the value
   * @throws FaultException if any byte is unmapped
   */
  public int getInt(long address) {
    Mapping m = find(address, 4);
    if (m == null) {
      throw FaultException.INSTANCE;
    }
    return m.buffer.getInt((int) (address - m.base));
  }

  /**
   * Writes a 32-bit value at a user address.
   *
   * @param address the user address
   * @param value the value
   * @throws FaultException if any byte is unmapped or read-only
   */
  public void putInt(long address, int value) {
    Mapping m = find(address, 4);
    if (m == null || m.readOnly) {
      throw FaultException.INSTANCE;
    }
    m.buffer.putInt((int) (address - m.base), value);
  }

  /**
   * Writes bytes at a user address.
   *
   * @param address the user address
   * @param src the bytes, from position to limit; the position is left unchanged
   * @throws FaultException if any byte is unmapped or read-only
   */
  public void put(long address, ByteBuffer src) {
    Mapping m = find(address, src.remaining());
    if (m == null || m.readOnly) {
      throw FaultException.INSTANCE;
    }
    m.buffer.put((int) (address - m.base), src, src.position(), src.remaining());
  }

  /**
   * Reads a NUL-terminated string at a user address, as {@code getname(2)} copies a path: the bytes
   * up to the first NUL, decoded as UTF-8.
   *
   * @param address the user address
   * @param max the most bytes the string may have before its NUL, e.g. {@code PATH_MAX - 1}
   * @return the string, or null when no NUL comes within {@code max} bytes
   * @throws FaultException if the string runs into unmapped memory before its NUL
   */
  public String getCString(long address, int max) {
    Mapping m = find(address, 1);
    if (m == null) {
      throw FaultException.INSTANCE;
    }
    int start = (int) (address - m.base);
    int limit = (int) Math.min((long) m.length, (long) start + max + 1);
    ByteBuffer b = m.buffer;
    for (int i = start; i < limit; i++) {
      if (b.get(i) == 0) {
        byte[] bytes = new byte[i - start];
        b.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
      }
    }
    if (limit == m.length && limit - start <= max) {
      throw FaultException.INSTANCE; // ran off the mapping: the next page is unmapped
    }
    return null;
  }

  /**
   * Copies bytes out of user memory.
   *
   * @param address the user address
   * @param length the byte count
   * @return a new array with the bytes
   * @throws FaultException if any byte is unmapped
   */
  public byte[] getBytes(long address, int length) {
    Mapping m = find(address, length);
    if (m == null) {
      throw FaultException.INSTANCE;
    }
    byte[] bytes = new byte[length];
    m.buffer.get((int) (address - m.base), bytes);
    return bytes;
  }

  /**
   * Returns the number of mappings.
   *
   * @return the count
   */
  public int size() {
    return mappings.length;
  }

  private static int indexOf(Mapping[] sorted, long address) {
    int lo = 0;
    int hi = sorted.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Mapping m = sorted[mid];
      if (address < m.base) {
        hi = mid - 1;
      } else if (address >= m.base + m.length) {
        lo = mid + 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** Returns the index of the mapping that starts at {@code base}, or -1. */
  private static int indexOfBase(Mapping[] sorted, long base) {
    int lo = 0;
    int hi = sorted.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long b = sorted[mid].base;
      if (base < b) {
        hi = mid - 1;
      } else if (base > b) {
        lo = mid + 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  private static long roundUpToPage(long n) {
    return (n + PAGE_SIZE - 1) & -PAGE_SIZE;
  }

  /**
   * A reusable window onto user memory for one thread at a time: {@link #at} returns the same
   * buffer object again and again, repositioned, so that the data path allocates nothing. The
   * returned buffer is valid until the next call.
   */
  public static final class View {
    private final UserMemory memory;
    private Mapping mapping;
    private ByteBuffer window;

    /**
     * Creates a view of an address space.
     *
     * @param memory the address space
     */
    public View(UserMemory memory) {
      this.memory = memory;
    }

    /**
     * Returns a buffer over {@code [address, address + length)}, or null for a fault.
     *
     * @param address the user address
     * @param length the number of bytes
     * @param forWrite true if the kernel will write into it, which a read-only mapping refuses
     * @return the window, position at the first byte and limit after the last; or null
     */
    public ByteBuffer at(long address, int length, boolean forWrite) {
      Mapping m = memory.find(address, length);
      if (m == null || (forWrite && m.readOnly)) {
        return null;
      }
      return at(m, (int) (address - m.base), length);
    }

    /**
     * Returns a buffer over part of a mapping already checked by the caller.
     *
     * @param m the mapping
     * @param offset the offset in the mapping
     * @param length the number of bytes; offset and length lie inside the mapping
     * @return the window, valid until the next call
     */
    public ByteBuffer at(Mapping m, int offset, int length) {
      if (m != mapping) {
        mapping = m;
        window = m.buffer.duplicate().order(ByteOrder.nativeOrder());
      }
      window.limit(offset + length);
      window.position(offset);
      return window;
    }
  }

  /** One mapped buffer: its base address, its bytes and whether the kernel may write them. */
  public static final class Mapping {
    final long base;
    final int length;
    final ByteBuffer buffer;
    final boolean readOnly;

    Mapping(long base, ByteBuffer buffer, boolean readOnly) {
      this.base = base;
      this.length = buffer.capacity();
      this.buffer = buffer;
      this.readOnly = readOnly;
    }

    /**
     * Returns the user address of the mapping's first byte.
     *
     * @return the base address
     */
    public long base() {
      return base;
    }

    /**
     * Returns the mapped buffer, native order, covering the whole mapping.
     *
     * @return the buffer; callers must not change its position or limit
     */
    public ByteBuffer buffer() {
      return buffer;
    }

    /**
     * Returns whether the kernel may only read this mapping.
     *
     * @return true for a read-only buffer
     */
    public boolean readOnly() {
      return readOnly;
    }
  }
}
