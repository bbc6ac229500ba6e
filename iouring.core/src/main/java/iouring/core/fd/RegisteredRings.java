package iouring.core.fd;

import iouring.api.ErrnoException;
import iouring.api.abi.Errno;
import iouring.api.abi.RsrcLayout;
import iouring.core.mem.FaultException;
import iouring.core.mem.UserMemory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ring fds that threads of one process registered with {@code IORING_REGISTER_RING_FDS}, as
 * Linux keeps them per task ({@code current->io_uring->registered_rings}, {@code
 * io_uring/register.c}): each thread has its own 16 slots, each holding a reference to a ring, so
 * that {@code IORING_ENTER_REGISTERED_RING} and {@code IORING_REGISTER_USE_REGISTERED_RING} reach
 * the ring by slot, even after {@code close(2)} of its fd, until the slot is unregistered or the
 * process ends.
 *
 * <p>A thread has slots (Linux's task context) once it set up a ring or registered ring fds; before
 * that a registered index is {@code EINVAL}, after it an empty slot {@code EBADF}, as on Linux 6.18
 * ({@code docs/probes/ring-fds.c}). Linux also gives a task its context on its first submission;
 * here only setup and registration do, so a thread that only ever submitted gets {@code EINVAL}
 * where Linux says {@code EBADF}.
 */
public final class RegisteredRings {
  /** {@code IO_RINGFD_REG_MAX}: slots per thread. */
  public static final int MAX = 16;

  private final ThreadLocal<FileDescription[]> slots = new ThreadLocal<>();

  /** One {@code struct io_uring_rsrc_update} as the application wrote it. */
  private static final class Update {
    final int offset;
    final int resv;
    final long data;

    private Update(int offset, int resv, long data) {
      this.offset = offset;
      this.resv = resv;
      this.data = data;
    }

    /** Reads entry {@code i} at {@code at}; {@code EFAULT} if it is not mapped. */
    static Update read(UserMemory memory, long at, int i) {
      try {
        return new Update(
            memory.getInt(at + RsrcLayout.UPDATE_OFF_OFFSET),
            memory.getInt(at + RsrcLayout.UPDATE_OFF_RESV),
            memory.getLong(at + RsrcLayout.UPDATE_OFF_DATA));
      } catch (FaultException e) {
        throw new ErrnoException(Errno.EFAULT, "ring fd update " + i);
      }
    }
  }

  /** Every thread's slots, so that the end of the process releases them all. */
  private final Set<FileDescription[]> all = ConcurrentHashMap.newKeySet();

  /** Gives the calling thread its slots, as setting up a ring gives a Linux task its context. */
  public void attach() {
    slotsOfThisThread();
  }

  private FileDescription[] slotsOfThisThread() {
    FileDescription[] mine = slots.get();
    if (mine == null) {
      mine = new FileDescription[MAX];
      slots.set(mine);
      all.add(mine);
    }
    return mine;
  }

  /**
   * Returns the file in a slot of the calling thread, as {@code io_uring_enter} finds a registered
   * ring; the slot's reference keeps it, so the caller takes none.
   *
   * @param index the slot
   * @return the file, never null
   * @throws ErrnoException {@code EINVAL} for an index past the slots or a thread without slots,
   *     {@code EBADF} for an empty slot
   */
  public FileDescription get(int index) {
    FileDescription[] mine = slots.get();
    if (mine == null || Integer.compareUnsigned(index, MAX) >= 0) {
      throw new ErrnoException(Errno.EINVAL, "no registered ring index " + index + " here");
    }
    FileDescription file = mine[index];
    if (file == null) {
      throw new ErrnoException(Errno.EBADF, "registered ring slot " + index + " is empty");
    }
    return file;
  }

  /**
   * Registers ring fds in slots of the calling thread, as {@code io_ringfd_register}: each {@code
   * struct io_uring_rsrc_update} names a slot ({@code -1} for the first free one) and the fd in
   * {@code data}; the slot taken is written back into {@code offset}.
   *
   * @param files the process's fd table
   * @param memory the process's memory, holding the array
   * @param arg the array's user address
   * @param nr the number of entries, 1 to 16
   * @return the number of entries registered; an error only if the first fails
   * @throws ErrnoException {@code EINVAL} for a bad count, offset or reserved field, {@code
   *     EFAULT}, {@code EBADF} for an fd not open, {@code EOPNOTSUPP} for one that is not a ring,
   *     {@code EBUSY} when no slot is free
   */
  public int register(FdTable files, UserMemory memory, long arg, int nr) {
    if (nr == 0 || Integer.compareUnsigned(nr, MAX) > 0) {
      throw new ErrnoException(Errno.EINVAL, "REGISTER_RING_FDS of " + nr + " entries");
    }
    FileDescription[] mine = slotsOfThisThread();
    int i = 0;
    try {
      for (; i < nr; i++) {
        long at = arg + (long) i * RsrcLayout.UPDATE_SIZE;
        Update u = Update.read(memory, at, i);
        int offset = u.offset;
        if (u.resv != 0) {
          throw new ErrnoException(Errno.EINVAL, "resv of ring fd update " + i);
        }
        int start = 0;
        int end = MAX;
        if (offset != -1) {
          if (Integer.compareUnsigned(offset, MAX) >= 0) {
            throw new ErrnoException(
                Errno.EINVAL, "ring fd slot " + Integer.toUnsignedString(offset));
          }
          start = offset;
          end = offset + 1;
        }
        int slot = add(files, mine, (int) u.data, start, end); // the fd is an int, as in Linux
        try {
          memory.putInt(at + RsrcLayout.UPDATE_OFF_OFFSET, slot);
        } catch (FaultException e) {
          mine[slot].release();
          mine[slot] = null;
          throw new ErrnoException(Errno.EFAULT, "ring fd update " + i);
        }
      }
      return i;
    } catch (ErrnoException e) {
      if (i > 0) {
        return i;
      }
      throw e;
    }
  }

  private static int add(FdTable files, FileDescription[] mine, int fd, int start, int end) {
    for (int slot = start; slot < end; slot++) {
      if (mine[slot] != null) {
        continue;
      }
      FileDescription file = files.retain(fd);
      if (file == null) {
        throw new ErrnoException(Errno.EBADF, "fd " + fd + " is not open");
      }
      if (!file.isIoUring()) {
        file.release();
        throw new ErrnoException(Errno.EOPNOTSUPP, "fd " + fd + " is not an io_uring");
      }
      mine[slot] = file;
      return slot;
    }
    throw new ErrnoException(Errno.EBUSY, "no free registered ring slot");
  }

  /**
   * Empties slots of the calling thread, as {@code io_ringfd_unregister}; an empty slot counts too.
   *
   * @param memory the process's memory, holding the array
   * @param arg the array's user address
   * @param nr the number of entries, 1 to 16
   * @return the number of entries done; an error only if the first fails
   * @throws ErrnoException {@code EINVAL} for a bad count, offset, reserved field or non-zero data,
   *     {@code EFAULT}
   */
  public int unregister(UserMemory memory, long arg, int nr) {
    FileDescription[] mine = slots.get();
    if (mine == null) {
      return 0; // no task context: nothing to unregister, as Linux answers before any check
    }
    if (nr == 0 || Integer.compareUnsigned(nr, MAX) > 0) {
      throw new ErrnoException(Errno.EINVAL, "UNREGISTER_RING_FDS of " + nr + " entries");
    }
    int i = 0;
    try {
      for (; i < nr; i++) {
        Update u = Update.read(memory, arg + (long) i * RsrcLayout.UPDATE_SIZE, i);
        if (u.resv != 0 || u.data != 0 || Integer.compareUnsigned(u.offset, MAX) >= 0) {
          throw new ErrnoException(Errno.EINVAL, "ring fd update " + i);
        }
        FileDescription file = mine[u.offset];
        if (file != null) {
          mine[u.offset] = null;
          file.release();
        }
      }
      return i;
    } catch (ErrnoException e) {
      if (i > 0) {
        return i;
      }
      throw e;
    }
  }

  /**
   * Releases every thread's slots once the process has exited (its calls fail from then on), as the
   * end of every Linux task drops its context.
   */
  public void releaseAll() {
    for (FileDescription[] some : all) {
      for (int i = 0; i < some.length; i++) {
        FileDescription file = some[i];
        if (file != null) {
          some[i] = null;
          file.release();
        }
      }
    }
    all.clear();
  }
}
