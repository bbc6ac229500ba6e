package iouring.vfs.memory;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.StampedLock;

/**
 * The bytes of a regular file: a sparse array of {@value #PAGE_SIZE}-byte pages, as tmpfs keeps
 * them in the page cache. A missing page is a hole and reads as zeros; only present pages count as
 * allocated, against the provider's size limit and in {@code stx_blocks}.
 *
 * <p>Writes take the file's lock shared, so they run in parallel; a write copies into pages that
 * {@link PageTable#putIfAbsent} made unique, and raises the size with a compare-and-set, so writers
 * of disjoint ranges lose no bytes. Truncation, {@code fallocate} and release take the lock
 * exclusively, as Linux's {@code i_rwsem}, because they remove pages a reader or writer may be
 * holding. Reads take no lock at first: they copy, then check that no exclusive holder came in
 * meanwhile, and only if one did read again under the shared lock (pages stay valid Java arrays, so
 * a read that raced a truncation copies stale bytes into the caller's buffer and nothing worse, and
 * the second read overwrites them). Every byte past the size is zero, which growing a file relies
 * on.
 */
final class FileData {
  /** The page size, also the preferred I/O size {@code stx_blksize}. */
  static final int PAGE_SIZE = 4096;

  private static final int PAGE_SHIFT = 12;
  private static final int SECTORS_PER_PAGE = PAGE_SIZE / 512;
  private static final byte[] ZEROS = new byte[PAGE_SIZE];

  private final SuperBlock sb;
  private final PageTable pages = new PageTable();
  private final AtomicLong size = new AtomicLong();
  private final AtomicLong pageCount = new AtomicLong();
  private final StampedLock lock = new StampedLock();

  FileData(SuperBlock sb) {
    this.sb = sb;
  }

  /** Returns the size in bytes. */
  long size() {
    return size.get();
  }

  /** Returns the allocated 512-byte blocks. */
  long blocks() {
    return pageCount.get() * SECTORS_PER_PAGE;
  }

  /**
   * Reads at an offset, like {@code pread(2)}.
   *
   * @return the count read, 0 at or past the end
   */
  int read(ByteBuffer dst, long offset) {
    int start = dst.position();
    long stamp = lock.tryOptimisticRead();
    if (stamp != 0) {
      int n = copyOut(dst, offset);
      if (lock.validate(stamp)) {
        return n;
      }
      dst.position(start);
    }
    stamp = lock.readLock();
    try {
      return copyOut(dst, offset);
    } finally {
      lock.unlockRead(stamp);
    }
  }

  private int copyOut(ByteBuffer dst, long offset) {
    long end = size.get();
    if (offset >= end || !dst.hasRemaining()) {
      return 0;
    }
    int count = (int) Math.min(dst.remaining(), end - offset);
    long pos = offset;
    while (pos < offset + count) {
      int in = (int) (pos & (PAGE_SIZE - 1));
      int n = (int) Math.min(PAGE_SIZE - in, offset + count - pos);
      byte[] page = pages.get(pos >>> PAGE_SHIFT);
      dst.put(page == null ? ZEROS : page, page == null ? 0 : in, n);
      pos += n;
    }
    return count;
  }

  /**
   * Writes at an offset, like {@code pwrite(2)}: as much as fits under the size limit.
   *
   * @return the count written, positive unless the buffer was empty
   * @throws VfsException {@code EFBIG} at or past {@link SuperBlock#MAX_FILE_SIZE}, {@code ENOSPC}
   *     when not one byte fits
   */
  int write(ByteBuffer src, long offset) throws VfsException {
    if (!src.hasRemaining()) {
      return 0;
    }
    if (offset >= SuperBlock.MAX_FILE_SIZE) {
      throw new VfsException(Errno.EFBIG, "offset " + offset);
    }
    // Linux's generic_write_check_limits: a write that crosses the limit is cut short.
    long end = Math.min(offset + src.remaining(), SuperBlock.MAX_FILE_SIZE);
    Lock shared = lock.asReadLock();
    shared.lock();
    try {
      long pos = offset;
      while (pos < end) {
        int in = (int) (pos & (PAGE_SIZE - 1));
        int n = (int) Math.min(PAGE_SIZE - in, end - pos);
        byte[] page = pageForWrite(pos >>> PAGE_SHIFT);
        if (page == null) {
          break;
        }
        src.get(page, in, n);
        pos += n;
      }
      if (pos == offset) {
        throw new VfsException(Errno.ENOSPC, "size limit reached");
      }
      long written = pos;
      size.accumulateAndGet(written, Math::max);
      return (int) (written - offset);
    } finally {
      shared.unlock();
    }
  }

  /** Returns a page to write into, allocating it; null when the size limit leaves no room. */
  private byte[] pageForWrite(long index) {
    byte[] page = pages.get(index);
    if (page != null) {
      return page;
    }
    if (!sb.reserve(PAGE_SIZE)) {
      return null;
    }
    byte[] fresh = new byte[PAGE_SIZE];
    byte[] raced = pages.putIfAbsent(index, fresh);
    if (raced != null) {
      sb.release(PAGE_SIZE);
      return raced;
    }
    pageCount.incrementAndGet();
    return fresh;
  }

  /**
   * Sets the size, like {@code ftruncate(2)}: cutting frees every page past the new end (blocks
   * that {@code fallocate} kept past the old end too, as tmpfs), growing leaves a hole.
   *
   * @return whether the size changed
   * @throws VfsException {@code EFBIG} past {@link SuperBlock#MAX_FILE_SIZE}
   */
  boolean truncate(long newSize) throws VfsException {
    if (newSize < 0) {
      throw new VfsException(Errno.EINVAL, "size " + newSize);
    }
    if (newSize > SuperBlock.MAX_FILE_SIZE) {
      throw new VfsException(Errno.EFBIG, "size " + newSize);
    }
    Lock exclusive = lock.asWriteLock();
    exclusive.lock();
    try {
      long old = size.get();
      if (newSize == old) {
        return false;
      }
      if (newSize < old) {
        zero(newSize, pageEnd(newSize));
        dropPages(pageIndexUp(newSize), Long.MAX_VALUE);
      }
      size.set(newSize);
      return true;
    } finally {
      exclusive.unlock();
    }
  }

  /**
   * Allocates, punches or zeroes a range, like {@code fallocate(2)} on a file system that has every
   * mode tmpfs has and {@code FALLOC_FL_ZERO_RANGE}, which tmpfs lacks and ext4 has.
   *
   * @throws VfsException {@code EINVAL} for a bad range, {@code EOPNOTSUPP} for a mode Linux
   *     refuses or no file system here has, {@code EFBIG}, {@code ENOSPC} with nothing changed
   */
  void allocate(int mode, long offset, long length) throws VfsException {
    if (offset < 0 || length <= 0) {
      throw new VfsException(Errno.EINVAL, "fallocate range " + offset + "+" + length);
    }
    int known = FileFlags.FALLOC_FL_KEEP_SIZE | FileFlags.FALLOC_FL_PUNCH_HOLE;
    known |= FileFlags.FALLOC_FL_ZERO_RANGE;
    boolean keepSize = (mode & FileFlags.FALLOC_FL_KEEP_SIZE) != 0;
    boolean punch = (mode & FileFlags.FALLOC_FL_PUNCH_HOLE) != 0;
    boolean zero = (mode & FileFlags.FALLOC_FL_ZERO_RANGE) != 0;
    if ((mode & ~known) != 0 || (punch && (!keepSize || zero))) {
      // vfs_fallocate: punching needs KEEP_SIZE and excludes ZERO_RANGE; other modes are absent.
      throw new VfsException(Errno.EOPNOTSUPP, "fallocate mode 0x" + Integer.toHexString(mode));
    }
    long end = offset + length;
    if (end > SuperBlock.MAX_FILE_SIZE || end < 0) {
      throw new VfsException(Errno.EFBIG, "fallocate end " + end);
    }
    Lock exclusive = lock.asWriteLock();
    exclusive.lock();
    try {
      if (punch) {
        punchHole(offset, end);
        return;
      }
      allocatePages(offset, end);
      if (zero) {
        zero(offset, end);
      }
      if (!keepSize) {
        size.accumulateAndGet(end, Math::max);
      }
    } finally {
      exclusive.unlock();
    }
  }

  /** Frees every page; the file is unreachable and closed. */
  void release() {
    Lock exclusive = lock.asWriteLock();
    exclusive.lock();
    try {
      dropPages(0, Long.MAX_VALUE);
      size.set(0);
    } finally {
      exclusive.unlock();
    }
  }

  /** Makes every page of {@code [offset, end)} present, reserving all the space first. */
  private void allocatePages(long offset, long end) throws VfsException {
    List<Long> missing = new ArrayList<>();
    for (long i = offset >>> PAGE_SHIFT; i < pageIndexUp(end); i++) {
      if (pages.get(i) == null) {
        missing.add(i);
      }
    }
    // tmpfs checks the whole range up front and undoes a partial allocation: all or nothing.
    if (!sb.reserve((long) missing.size() * PAGE_SIZE)) {
      throw new VfsException(Errno.ENOSPC, "fallocate of " + (end - offset) + " bytes");
    }
    for (long i : missing) {
      pages.putIfAbsent(i, new byte[PAGE_SIZE]); // under the exclusive lock: nobody races
    }
    pageCount.addAndGet(missing.size());
  }

  /** Zeroes the partial pages at the edges of the range and frees the whole pages inside. */
  private void punchHole(long offset, long end) {
    long firstWhole = pageIndexUp(offset);
    long endWhole = end >>> PAGE_SHIFT;
    if (firstWhole >= endWhole) {
      zero(offset, end);
      return;
    }
    zero(offset, firstWhole << PAGE_SHIFT);
    zero(endWhole << PAGE_SHIFT, end);
    dropPages(firstWhole, endWhole);
  }

  /** Writes zeros into the present pages of {@code [from, to)}; holes are zero already. */
  private void zero(long from, long to) {
    long pos = from;
    while (pos < to) {
      int in = (int) (pos & (PAGE_SIZE - 1));
      int n = (int) Math.min(PAGE_SIZE - in, to - pos);
      byte[] page = pages.get(pos >>> PAGE_SHIFT);
      if (page != null) {
        Arrays.fill(page, in, in + n, (byte) 0);
      }
      pos += n;
    }
  }

  /** Frees the pages with index in {@code [from, to)}. */
  private void dropPages(long from, long to) {
    long[] dropped = new long[1];
    pages.removeIf(
        from,
        to,
        i -> {
          dropped[0]++;
          return true;
        });
    pageCount.addAndGet(-dropped[0]);
    sb.release(dropped[0] * PAGE_SIZE);
  }

  /** Returns the index of the first page at or after a byte offset. */
  private static long pageIndexUp(long offset) {
    return (offset + PAGE_SIZE - 1) >>> PAGE_SHIFT;
  }

  /** Returns the offset where the page holding {@code offset} ends. */
  private static long pageEnd(long offset) {
    return pageIndexUp(offset) << PAGE_SHIFT;
  }
}
