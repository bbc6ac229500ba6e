package iouring.core.rsrc;

import iouring.api.ErrnoException;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.Limits;
import iouring.api.abi.OpFlags;
import iouring.core.fd.FdTable;
import iouring.core.fd.FileDescription;
import iouring.core.fd.OpenFile;
import iouring.core.mem.FaultException;
import iouring.core.mem.UserMemory;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A ring's registered files ("fixed files"), Linux's {@code io_file_table} ({@code filetable.c},
 * {@code rsrc.c}): slots holding a reference to a file description each, or empty. Requests with
 * {@code IOSQE_FIXED_FILE} name a slot instead of an fd.
 *
 * <p>Registration creates a table and unregistration drops it whole; updates, direct opens and
 * direct closes change slots in place. Every change happens under the ring's lock (Linux's {@code
 * uring_lock}); {@link #retain} reads a slot without it, as fd lookups do, and a slot emptied
 * concurrently either hands out its file (still referenced by the request) or nothing.
 *
 * <p>A slot empties itself of the ring's reference when replaced or cleared; {@link #releaseAll}
 * drops every reference when the table goes (unregistration, or the ring being freed).
 */
public final class FileTable {
  /** The table of a ring with no files registered: every lookup fails, size 0. */
  public static final FileTable NONE = new FileTable(0);

  private final AtomicReferenceArray<FileDescription> slots;

  /** First slot {@code IORING_FILE_INDEX_ALLOC} may hand out; guarded by the ring lock. */
  private int allocStart;

  /** One past the last slot {@code IORING_FILE_INDEX_ALLOC} may hand out; ring lock. */
  private int allocEnd;

  /** Where the next search for a free slot starts, Linux's {@code alloc_hint}; ring lock. */
  private int allocHint;

  private FileTable(int size) {
    this.slots = new AtomicReferenceArray<>(size);
    this.allocEnd = size;
  }

  /**
   * Registers files as {@code io_sqe_files_register}: {@code count} slots, filled from an array of
   * {@code s32} fds in user memory where -1 (or a null array) leaves a slot empty.
   *
   * @param fds the process's fd table
   * @param mem the process's memory
   * @param array the user address of the fd array, or 0 for an all-empty (sparse) table
   * @param count the number of slots, unsigned
   * @param fdLimit the process's fd limit, {@code RLIMIT_NOFILE}
   * @return the table
   * @throws ErrnoException {@code EINVAL} for 0 slots, {@code EMFILE} for more than {@code
   *     IORING_MAX_FIXED_FILES} or the fd limit, {@code EFAULT} for an unreadable array, {@code
   *     EBADF} for an fd not open, an {@code O_PATH} file or an io_uring instance; nothing stays
   *     registered then
   */
  public static FileTable register(
      FdTable fds, UserMemory mem, long array, int count, int fdLimit) {
    if (count == 0) {
      throw new ErrnoException(Errno.EINVAL, "no files to register");
    }
    long n = Integer.toUnsignedLong(count);
    if (n > Limits.IORING_MAX_FIXED_FILES || n > fdLimit) {
      throw new ErrnoException(Errno.EMFILE, "registering " + n + " files");
    }
    FileTable table = new FileTable(count);
    for (int i = 0; i < count; i++) {
      int fd;
      try {
        fd = array == 0 ? -1 : mem.getInt(array + 4L * i);
      } catch (FaultException e) {
        table.releaseAll();
        throw new ErrnoException(Errno.EFAULT, "fd array is not mapped");
      }
      if (fd == -1) {
        continue; // a sparse slot
      }
      FileDescription file = fget(fds, fd);
      if (file == null) {
        table.releaseAll();
        throw new ErrnoException(Errno.EBADF, "fd " + fd + " cannot be registered");
      }
      table.slots.set(i, file);
      table.allocHint = i + 1;
    }
    table.allocStart = 0;
    table.allocEnd = count;
    table.allocHint = 0; // io_file_table_set_alloc_range over the whole table
    return table;
  }

  /**
   * Returns a file of the process's fd table as Linux's {@code fget} gives it for a slot, with a
   * reference taken: not an {@code O_PATH} file ({@code fget} skips those), and never an io_uring
   * instance (Linux refuses them: a ring holding itself would never be freed).
   *
   * @param fds the process's fd table
   * @param fd the fd
   * @return the file, or null where Linux gives {@code EBADF}
   */
  public static FileDescription fget(FdTable fds, int fd) {
    FileDescription file = fds.retain(fd);
    if (file == null) {
      return null;
    }
    if (file.isIoUring()
        || (file instanceof OpenFile && (((OpenFile) file).flags() & FileFlags.O_PATH) != 0)) {
      file.release();
      return null;
    }
    return file;
  }

  /**
   * Returns the number of slots.
   *
   * @return the size, 0 when no files are registered
   */
  public int size() {
    return slots.length();
  }

  /**
   * Returns the file in a slot without taking a reference: valid while the caller holds the ring
   * lock, under which alone slots change.
   *
   * @param index the slot
   * @return the file, or null for an index out of range or an empty slot ({@code EBADF})
   */
  public FileDescription get(int index) {
    return index < 0 || index >= slots.length() ? null : slots.get(index);
  }

  /**
   * Returns the file in a slot with a reference taken, which the caller releases.
   *
   * @param index the slot
   * @return the file, or null for an index out of range or an empty slot ({@code EBADF})
   */
  public FileDescription retain(int index) {
    if (index < 0 || index >= slots.length()) {
      return null;
    }
    FileDescription file = slots.get(index);
    return file != null && file.tryRetain() ? file : null;
  }

  /**
   * Updates slots from an array of {@code s32} fds in user memory, as {@code
   * __io_sqe_files_update}: {@code IORING_REGISTER_FILES_SKIP} leaves a slot, -1 empties it, an fd
   * replaces it. The caller holds the ring lock. As Linux, a slot is emptied before its new fd is
   * looked up, so a bad fd leaves it empty, and the update stops at the first error.
   *
   * @param fds the process's fd table
   * @param mem the process's memory
   * @param offset the first slot, unsigned
   * @param array the user address of the fd array
   * @param count the number of entries, unsigned
   * @return the number of entries processed, or {@code -errno} if the first failed: {@code ENXIO}
   *     without a table, {@code EINVAL} for a range past the table, {@code EFAULT}, {@code EBADF}
   */
  public int update(FdTable fds, UserMemory mem, int offset, long array, int count) {
    if (slots.length() == 0) {
      return -Errno.ENXIO;
    }
    if (Integer.toUnsignedLong(offset) + Integer.toUnsignedLong(count) > slots.length()) {
      return -Errno.EINVAL;
    }
    int done = 0;
    int err = 0;
    for (; done < count; done++) {
      int fd;
      try {
        fd = mem.getInt(array + 4L * done);
      } catch (FaultException e) {
        err = -Errno.EFAULT;
        break;
      }
      if (fd == OpFlags.IORING_REGISTER_FILES_SKIP) {
        continue;
      }
      int slot = offset + done;
      clear(slot);
      if (fd != -1) {
        FileDescription file = fget(fds, fd);
        if (file == null) {
          err = -Errno.EBADF;
          break;
        }
        set(slot, file);
      }
    }
    return done > 0 ? done : err;
  }

  /**
   * Installs a file in a slot, as Linux's {@code __io_fixed_fd_install}: the table takes over the
   * caller's reference on success and drops it on failure. A file already in the slot is replaced.
   * The caller holds the ring lock.
   *
   * @param file the file, referenced by the caller
   * @param fileIndex {@code sqe->file_index}: slot + 1, or {@code IORING_FILE_INDEX_ALLOC}
   * @return 0 for a given slot, the slot chosen for {@code IORING_FILE_INDEX_ALLOC}, or {@code
   *     -errno}: {@code ENFILE} when no slot is free (or there is no table to allocate in), {@code
   *     ENXIO} without a table, {@code EINVAL} for a slot past the table, {@code EBADF} for an
   *     io_uring instance
   */
  public int install(FileDescription file, int fileIndex) {
    boolean alloc = fileIndex == OpFlags.IORING_FILE_INDEX_ALLOC;
    int slot;
    if (alloc) {
      slot = freeSlot();
      if (slot < 0) {
        file.release();
        return slot;
      }
    } else {
      slot = fileIndex - 1;
    }
    int err = 0;
    if (file.isIoUring()) {
      err = -Errno.EBADF;
    } else if (slots.length() == 0) {
      err = -Errno.ENXIO;
    } else if (Integer.compareUnsigned(slot, slots.length()) >= 0) {
      err = -Errno.EINVAL;
    }
    if (err < 0) {
      file.release();
      return err;
    }
    clear(slot);
    set(slot, file);
    return alloc ? slot : 0;
  }

  /**
   * Empties a slot, as Linux's {@code io_fixed_fd_remove}; the caller holds the ring lock.
   *
   * @param slot the slot, unsigned
   * @return 0, or {@code -errno}: {@code ENXIO} without a table, {@code EINVAL} past it, {@code
   *     EBADF} for an empty slot
   */
  public int remove(int slot) {
    if (slots.length() == 0) {
      return -Errno.ENXIO;
    }
    if (Integer.compareUnsigned(slot, slots.length()) >= 0) {
      return -Errno.EINVAL;
    }
    return clear(slot) ? 0 : -Errno.EBADF;
  }

  /**
   * Restricts the slots {@code IORING_FILE_INDEX_ALLOC} hands out, as {@code
   * io_register_file_alloc_range}; the caller holds the ring lock.
   *
   * @param off the first slot, unsigned
   * @param len the number of slots, unsigned
   * @throws ErrnoException {@code EOVERFLOW} if the range wraps, {@code EINVAL} past the table
   */
  public void allocRange(int off, int len) {
    long end = Integer.toUnsignedLong(off) + Integer.toUnsignedLong(len);
    if (end > 0xffff_ffffL) {
      throw new ErrnoException(Errno.EOVERFLOW, "alloc range wraps");
    }
    if (end > slots.length()) {
      throw new ErrnoException(Errno.EINVAL, "alloc range ends past the table");
    }
    allocStart = off;
    allocEnd = (int) end;
    allocHint = off;
  }

  /**
   * Drops every slot's reference; the table is empty afterwards. Called when the table is
   * unregistered or its ring freed.
   */
  public void releaseAll() {
    for (int i = 0; i < slots.length(); i++) {
      FileDescription old = slots.getAndSet(i, null);
      if (old != null) {
        old.release();
      }
    }
  }

  /**
   * Returns the number of occupied slots.
   *
   * @return the count
   */
  public int count() {
    int n = 0;
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) != null) {
        n++;
      }
    }
    return n;
  }

  /**
   * Finds a free slot as Linux's {@code io_file_bitmap_get}: from the hint to the end of the
   * allocation range, then from its start up to the hint.
   */
  private int freeSlot() {
    if (slots.length() == 0) {
      return -Errno.ENFILE; // no bitmap without a table
    }
    int end = allocEnd;
    while (true) {
      for (int i = allocHint; i < end; i++) {
        if (slots.get(i) == null) {
          return i;
        }
      }
      if (allocHint == allocStart) {
        return -Errno.ENFILE;
      }
      end = allocHint;
      allocHint = allocStart;
    }
  }

  private void set(int slot, FileDescription file) {
    slots.set(slot, file);
    allocHint = slot + 1; // io_file_bitmap_set
  }

  /** Empties a slot and drops its reference; returns whether it held a file. */
  private boolean clear(int slot) {
    FileDescription old = slots.getAndSet(slot, null);
    if (old == null) {
      return false;
    }
    allocHint = slot; // io_file_bitmap_clear
    old.release();
    return true;
  }
}
