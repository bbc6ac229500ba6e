package iouring.vfs.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongPredicate;

/**
 * A sparse, concurrent array of pages indexed by page number. The first 1024 pages (4 MiB) live in
 * one leaf of their own, so a small file costs one 4 KiB array besides its pages and a read one
 * array lookup; pages from 1024 on live in three levels of 4096, 4096 and 1024 slots, as a CPU's
 * page tables: a lookup is three array reads with no boxing or hashing. Every level is created on
 * the first store under it, so an empty file costs nothing. It covers page numbers below 2^34, that
 * is files of up to {@link SuperBlock#MAX_FILE_SIZE} bytes in 4 KiB pages.
 */
final class PageTable {
  private static final int LEAF_BITS = 10;
  private static final int MID_BITS = 12;
  private static final int TOP_BITS = 12;
  private static final int LEAF_MASK = (1 << LEAF_BITS) - 1;
  private static final int MID_MASK = (1 << MID_BITS) - 1;
  private static final int TOP_SHIFT = LEAF_BITS + MID_BITS;

  /** The pages the first leaf holds: 0 to 1023. */
  private static final long FIRST_PAGES = 1L << LEAF_BITS;

  /** The first page number the table cannot hold. */
  static final long LIMIT = 1L << (LEAF_BITS + MID_BITS + TOP_BITS);

  // Plain arrays with element VarHandles rather than AtomicReferenceArrays: the same atomicity,
  // but a level is one dependent load instead of two (the wrapper, then its array), and a read
  // walks its levels before it can start copying.
  private static final VarHandle LEVEL = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle LEAF = MethodHandles.arrayElementVarHandle(byte[][].class);
  private static final VarHandle FIRST;
  private static final VarHandle TOP;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      FIRST = lookup.findVarHandle(PageTable.class, "first", byte[][].class);
      TOP = lookup.findVarHandle(PageTable.class, "top", Object[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The leaf of pages 0 to 1023, or null until one is stored; through {@link #FIRST}. */
  @SuppressWarnings("unused")
  private byte[][] first;

  /**
   * The top level for pages from 1024 on, or null until one is stored; its slots hold {@code
   * Object[]} middle levels, whose slots hold {@code byte[][]} leaves. Through {@link #TOP}.
   */
  @SuppressWarnings("unused")
  private Object[] top;

  /** Returns the leaf that holds a page, or null if none was created. */
  private byte[][] leaf(long index) {
    if (index < FIRST_PAGES) {
      return (byte[][]) FIRST.getAcquire(this);
    }
    Object[] t = (Object[]) TOP.getAcquire(this);
    if (t == null) {
      return null;
    }
    Object[] mid = (Object[]) LEVEL.getAcquire(t, (int) (index >>> TOP_SHIFT));
    if (mid == null) {
      return null;
    }
    return (byte[][]) LEVEL.getAcquire(mid, (int) (index >>> LEAF_BITS) & MID_MASK);
  }

  /** Returns the page at an index, or null for a hole. */
  byte[] get(long index) {
    byte[][] leaf = leaf(index);
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
    byte[][] leaf = leaf(index);
    return leaf == null ? null : (byte[]) LEAF.getAndSet(leaf, (int) index & LEAF_MASK, null);
  }

  /**
   * Visits the index of every present page in {@code [from, to)}, skipping absent levels whole; the
   * visitor returns whether the page is to be removed.
   */
  void removeIf(long from, long to, LongPredicate remove) {
    long end = Math.min(to, LIMIT);
    long i = Math.max(from, 0);
    while (i < end) {
      byte[][] leaf;
      long next; // the first page past this leaf
      if (i < FIRST_PAGES) {
        leaf = (byte[][]) FIRST.getAcquire(this);
        next = FIRST_PAGES;
      } else {
        Object[] t = (Object[]) TOP.getAcquire(this);
        if (t == null) {
          return; // nothing was ever stored past the first leaf
        }
        Object[] mid = (Object[]) LEVEL.getAcquire(t, (int) (i >>> TOP_SHIFT));
        if (mid == null) {
          i = ((i >>> TOP_SHIFT) + 1) << TOP_SHIFT;
          continue;
        }
        leaf = (byte[][]) LEVEL.getAcquire(mid, (int) (i >>> LEAF_BITS) & MID_MASK);
        next = ((i >>> LEAF_BITS) + 1) << LEAF_BITS;
      }
      if (leaf == null) {
        i = next;
        continue;
      }
      for (long stop = Math.min(next, end); i < stop; i++) {
        int slot = (int) i & LEAF_MASK;
        if (LEAF.getAcquire(leaf, slot) != null && remove.test(i)) {
          LEAF.setVolatile(leaf, slot, (byte[]) null);
        }
      }
    }
  }

  private byte[][] leafFor(long index) {
    if (index < FIRST_PAGES) {
      byte[][] leaf = (byte[][]) FIRST.getAcquire(this);
      if (leaf == null) {
        FIRST.compareAndSet(this, null, new byte[1 << LEAF_BITS][]);
        leaf = (byte[][]) FIRST.getAcquire(this);
      }
      return leaf;
    }
    Object[] t = (Object[]) TOP.getAcquire(this);
    if (t == null) {
      TOP.compareAndSet(this, null, new Object[1 << TOP_BITS]);
      t = (Object[]) TOP.getAcquire(this);
    }
    int ti = (int) (index >>> TOP_SHIFT);
    Object[] mid = (Object[]) LEVEL.getAcquire(t, ti);
    if (mid == null) {
      LEVEL.compareAndSet(t, ti, null, new Object[1 << MID_BITS]);
      mid = (Object[]) LEVEL.getAcquire(t, ti);
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
