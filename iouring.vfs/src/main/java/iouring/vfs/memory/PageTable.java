package iouring.vfs.memory;

import java.util.concurrent.atomic.AtomicReferenceArray;
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

  private final AtomicReferenceArray<AtomicReferenceArray<AtomicReferenceArray<byte[]>>> top =
      new AtomicReferenceArray<>(1 << TOP_BITS);

  /** Returns the page at an index, or null for a hole. */
  byte[] get(long index) {
    AtomicReferenceArray<AtomicReferenceArray<byte[]>> mid = top.get((int) (index >>> 22));
    if (mid == null) {
      return null;
    }
    AtomicReferenceArray<byte[]> leaf = mid.get((int) (index >>> LEAF_BITS) & MID_MASK);
    return leaf == null ? null : leaf.get((int) index & LEAF_MASK);
  }

  /** Installs a page where there is none; returns the page already there, or null. */
  byte[] putIfAbsent(long index, byte[] page) {
    AtomicReferenceArray<byte[]> leaf = leafFor(index);
    int slot = (int) index & LEAF_MASK;
    return leaf.compareAndSet(slot, null, page) ? null : leaf.get(slot);
  }

  /** Removes the page at an index; returns it, or null if there was none. */
  byte[] remove(long index) {
    AtomicReferenceArray<AtomicReferenceArray<byte[]>> mid = top.get((int) (index >>> 22));
    if (mid == null) {
      return null;
    }
    AtomicReferenceArray<byte[]> leaf = mid.get((int) (index >>> LEAF_BITS) & MID_MASK);
    return leaf == null ? null : leaf.getAndSet((int) index & LEAF_MASK, null);
  }

  /**
   * Visits the index of every present page in {@code [from, to)}, skipping absent levels whole; the
   * visitor returns whether the page is to be removed.
   */
  void removeIf(long from, long to, LongPredicate remove) {
    long end = Math.min(to, LIMIT);
    for (long i = Math.max(from, 0); i < end; ) {
      AtomicReferenceArray<AtomicReferenceArray<byte[]>> mid = top.get((int) (i >>> 22));
      if (mid == null) {
        i = ((i >>> 22) + 1) << 22;
        continue;
      }
      AtomicReferenceArray<byte[]> leaf = mid.get((int) (i >>> LEAF_BITS) & MID_MASK);
      if (leaf == null) {
        i = ((i >>> LEAF_BITS) + 1) << LEAF_BITS;
        continue;
      }
      int slot = (int) i & LEAF_MASK;
      if (leaf.get(slot) != null && remove.test(i)) {
        leaf.set(slot, null);
      }
      i++;
    }
  }

  private AtomicReferenceArray<byte[]> leafFor(long index) {
    int t = (int) (index >>> 22);
    AtomicReferenceArray<AtomicReferenceArray<byte[]>> mid = top.get(t);
    if (mid == null) {
      top.compareAndSet(t, null, new AtomicReferenceArray<>(1 << MID_BITS));
      mid = top.get(t);
    }
    int m = (int) (index >>> LEAF_BITS) & MID_MASK;
    AtomicReferenceArray<byte[]> leaf = mid.get(m);
    if (leaf == null) {
      mid.compareAndSet(m, null, new AtomicReferenceArray<>(1 << LEAF_BITS));
      leaf = mid.get(m);
    }
    return leaf;
  }
}
