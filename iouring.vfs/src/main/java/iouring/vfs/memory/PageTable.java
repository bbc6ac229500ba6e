package iouring.vfs.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongPredicate;

/**
 * A sparse, concurrent array of pages indexed by page number, in three levels of 4096, 4096 and
 * 1024 slots, as a CPU's page tables: a lookup is three array reads with no boxing or hashing, and
 * only the levels a file touches exist. It covers page numbers below 2^34, that is files of up to
 * {@link SuperBlock#MAX_FILE_SIZE} bytes in 4 KiB pages.
 */
final class PageTable {
  private static final int LEAF_BITS = 10;
  private static final int MID_BITS = 12;
  private static final int TOP_BITS = 12;
  private static final int LEAF_MASK = (1 << LEAF_BITS) - 1;
  private static final int MID_MASK = (1 << MID_BITS) - 1;

  /** The first page number the table cannot hold. */
  static final long LIMIT = 1L << (LEAF_BITS + MID_BITS + TOP_BITS);

  // Plain arrays with element VarHandles rather than AtomicReferenceArrays: the same atomicity,
  // but a level is one dependent load instead of two (the wrapper, then its array), and a read
  // walks all three levels before it can start copying.
  private static final VarHandle LEVEL = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle LEAF = MethodHandles.arrayElementVarHandle(byte[][].class);

  /** The top level: {@code Object[]} middle levels, whose slots hold {@code byte[][]} leaves. */
  private final Object[] top = new Object[1 << TOP_BITS];

  private static Object[] mid(Object[] top, long index) {
    return (Object[]) LEVEL.getAcquire(top, (int) (index >>> 22));
  }

  private static byte[][] leaf(Object[] mid, long index) {
    return (byte[][]) LEVEL.getAcquire(mid, (int) (index >>> LEAF_BITS) & MID_MASK);
  }

  /** Returns the page at an index, or null for a hole. */
  byte[] get(long index) {
    Object[] mid = mid(top, index);
    if (mid == null) {
      return null;
    }
    byte[][] leaf = leaf(mid, index);
    return leaf == null ? null : (byte[]) LEAF.getAcquire(leaf, (int) index & LEAF_MASK);
  }

  /** Installs a page where there is none; returns the page already there, or null. */
  byte[] putIfAbsent(long index, byte[] page) {
    byte[][] leaf = leafFor(index);
    int slot = (int) index & LEAF_MASK;
    return LEAF.compareAndSet(leaf, slot, null, page) ? null : (byte[]) LEAF.getAcquire(leaf, slot);
  }

  /** Removes the page at an index; returns it, or null if there was none. */
  byte[] remove(long index) {
    Object[] mid = mid(top, index);
    if (mid == null) {
      return null;
    }
    byte[][] leaf = leaf(mid, index);
    return leaf == null ? null : (byte[]) LEAF.getAndSet(leaf, (int) index & LEAF_MASK, null);
  }

  /**
   * Visits the index of every present page in {@code [from, to)}, skipping absent levels whole; the
   * visitor returns whether the page is to be removed.
   */
  void removeIf(long from, long to, LongPredicate remove) {
    long end = Math.min(to, LIMIT);
    for (long i = Math.max(from, 0); i < end; ) {
      Object[] mid = mid(top, i);
      if (mid == null) {
        i = ((i >>> 22) + 1) << 22;
        continue;
      }
      byte[][] leaf = leaf(mid, i);
      if (leaf == null) {
        i = ((i >>> LEAF_BITS) + 1) << LEAF_BITS;
        continue;
      }
      int slot = (int) i & LEAF_MASK;
      if (LEAF.getAcquire(leaf, slot) != null && remove.test(i)) {
        LEAF.setVolatile(leaf, slot, (byte[]) null);
      }
      i++;
    }
  }

  private byte[][] leafFor(long index) {
    int t = (int) (index >>> 22);
    Object[] mid = (Object[]) LEVEL.getAcquire(top, t);
    if (mid == null) {
      LEVEL.compareAndSet(top, t, null, new Object[1 << MID_BITS]);
      mid = (Object[]) LEVEL.getAcquire(top, t);
    }
    int m = (int) (index >>> LEAF_BITS) & MID_MASK;
    byte[][] leaf = (byte[][]) LEVEL.getAcquire(mid, m);
    if (leaf == null) {
      LEVEL.compareAndSet(mid, m, null, new byte[1 << LEAF_BITS][]);
      leaf = (byte[][]) LEVEL.getAcquire(mid, m);
    }
    return leaf;
  }
}
