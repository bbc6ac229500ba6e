package iouring.api;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One emulated process: the io_uring system calls and the few file calls an io_uring program needs,
 * over the process's own fd table, address space and file-system view.
 *
 * <p>Each method mirrors the Linux system call of the same name. Where Linux returns {@code -1} and
 * sets {@code errno}, these methods throw {@link ErrnoException} carrying the same error number.
 * Under OSGi the process is a bundle-scoped service: each client bundle gets its own process and
 * never sees another bundle's fds or memory.
 */
@ProviderType
public interface IoUringProcess extends AutoCloseable {

  /**
   * Creates an io_uring instance, like {@code io_uring_setup(2)}: validates the parameters,
   * allocates the rings and fills in {@code params} (entries, features and the ring offsets).
   *
   * @param entries the requested number of submission queue entries
   * @param params the setup parameters, read and then updated in place
   * @return the new ring fd
   * @throws ErrnoException {@code EINVAL} for bad entries, flags or reserved fields, {@code EMFILE}
   *     when the fd table is full
   */
  int setup(int entries, IoUringParams params);

  /**
   * Submits and waits, like {@code io_uring_enter(2)} with no argument.
   *
   * @param fd the ring fd
   * @param toSubmit the number of SQEs to consume from the submission queue
   * @param minComplete with {@code IORING_ENTER_GETEVENTS}, the number of CQEs to wait for
   * @param flags {@code IORING_ENTER_*} flags
   * @return the number of SQEs consumed
   * @throws ErrnoException {@code EBADF} for a closed fd, {@code EOPNOTSUPP} for an fd that is not
   *     a ring, {@code EINVAL} for unknown flags, {@code EINTR} when interrupted while waiting with
   *     nothing submitted
   */
  int enter(int fd, int toSubmit, int minComplete, int flags);

  /**
   * Submits and waits, like {@code io_uring_enter(2)} with an argument: with {@code
   * IORING_ENTER_EXT_ARG}, {@code arg} is the user address of a {@code struct
   * io_uring_getevents_arg} and {@code argSize} its size (24); otherwise {@code arg} is a signal
   * mask pointer and {@code argSize} its size (8). As on Linux, the argument is read only with
   * {@code IORING_ENTER_GETEVENTS}, after the submission, and a signal mask only when the call has
   * to sleep; the emulation has no signals, so a valid mask is then ignored.
   *
   * @param fd the ring fd
   * @param toSubmit the number of SQEs to consume from the submission queue
   * @param minComplete with {@code IORING_ENTER_GETEVENTS}, the number of CQEs to wait for
   * @param flags {@code IORING_ENTER_*} flags
   * @param arg a user address, or 0
   * @param argSize the size of the structure at {@code arg}
   * @return the number of SQEs consumed, or 0 when nothing was submitted and the wait ended
   * @throws ErrnoException as {@link #enter(int, int, int, int)}, plus {@code ETIME} when the
   *     timeout expired with nothing submitted and no CQE ready, {@code EFAULT} for an unmapped
   *     argument
   */
  int enter(int fd, int toSubmit, int minComplete, int flags, long arg, int argSize);

  /**
   * Registers resources with a ring, like {@code io_uring_register(2)}.
   *
   * @param fd the ring fd
   * @param opcode an {@code IORING_REGISTER_*} opcode
   * @param arg the user address of the opcode's argument, or 0
   * @param nrArgs the number of elements at {@code arg}
   * @return the opcode's result, usually 0
   * @throws ErrnoException with the errno Linux gives for the opcode and its arguments
   */
  int register(int fd, int opcode, long arg, int nrArgs);

  /**
   * Registers a listener told when completions are posted to a ring, the job {@code
   * IORING_REGISTER_EVENTFD} does on Linux: no thread has to poll or wait for the ring. It runs
   * once after each submission that posted CQEs (to the ring or its overflow backlog), in the
   * thread that posted them, and not while the application has set {@code
   * IORING_CQ_EVENTFD_DISABLED} in the ring's {@code cq_flags}. It must not block; it typically
   * completes a future or wakes an executor. What it throws goes to the thread's uncaught-exception
   * handler.
   *
   * @param fd the ring fd
   * @param listener the listener
   * @throws ErrnoException {@code EBUSY} if the ring has one, {@code EBADF}, {@code EOPNOTSUPP}
   */
  void registerCompletionListener(int fd, Runnable listener);

  /**
   * Removes a ring's completion listener, like {@code IORING_UNREGISTER_EVENTFD}.
   *
   * @param fd the ring fd
   * @throws ErrnoException {@code ENXIO} if the ring has none, {@code EBADF}, {@code EOPNOTSUPP}
   */
  void unregisterCompletionListener(int fd);

  /**
   * Maps ring memory, like {@code mmap(2)} on a ring fd: offset {@code IORING_OFF_SQ_RING} or
   * {@code IORING_OFF_CQ_RING} gives the rings, {@code IORING_OFF_SQES} the SQE array.
   *
   * @param fd the ring fd
   * @param offset one of the {@code IORING_OFF_*} offsets
   * @param length the number of bytes to map, at most the size of the region
   * @return a native-order buffer of {@code length} bytes over the ring memory itself
   * @throws ErrnoException {@code EINVAL} for another offset or a length of 0 or over the region,
   *     {@code EBADF} for a closed fd, {@code ENODEV} for an fd that is not a ring
   */
  ByteBuffer mmap(int fd, long offset, int length);

  /**
   * Opens a file, like {@code openat(2)}.
   *
   * @param dirfd a directory fd, or {@code AT_FDCWD} for the working directory
   * @param path the path, relative to {@code dirfd} unless absolute
   * @param flags {@code O_*} flags
   * @param mode the permission bits for a created file
   * @return the new fd
   * @throws ErrnoException the errno {@code openat(2)} would give
   */
  int openat(int dirfd, String path, int flags, int mode);

  /**
   * Sets the file mode creation mask, like {@code umask(2)}: its permission bits are cleared from
   * the mode of every file and directory the process creates from then on, through {@link #openat}
   * and the {@code OPENAT}, {@code OPENAT2} and {@code MKDIRAT} requests of its rings. A new
   * process starts with 0, nothing masked.
   *
   * @param mask the new mask; only its {@code 0777} bits count
   * @return the previous mask
   */
  int umask(int mask);

  /**
   * Moves a file's position, like {@code lseek(2)}.
   *
   * @param fd an open file
   * @param offset the offset
   * @param whence {@code SEEK_SET}, {@code SEEK_CUR} or {@code SEEK_END}
   * @return the new position
   * @throws ErrnoException {@code EBADF}, {@code EINVAL} or {@code ESPIPE} as Linux
   */
  long lseek(int fd, long offset, int whence);

  /**
   * Mounts a file-system provider at a path of this process's view, like {@code mount(2)} with the
   * provider's name as the source. The name is looked up at each use: while no provider has it,
   * paths under the mount fail with {@code ENOTCONN}; when one arrives, they work. Mounts the
   * kernel gives every process lie beneath this process's own.
   *
   * @param path an absolute path
   * @param provider the provider's name ({@code iouring.vfs.name} under OSGi)
   * @throws ErrnoException {@code EINVAL} for a relative path or an empty name, {@code
   *     ENAMETOOLONG} for an overlong path
   */
  void mount(String path, String provider);

  /**
   * Removes one of this process's own mounts, like {@code umount(2)}.
   *
   * @param path the mount point
   * @throws ErrnoException {@code EINVAL} if the process has no mount there
   */
  void unmount(String path);

  /**
   * Closes an fd, like {@code close(2)}. Closing a ring fd releases the ring once nothing else uses
   * it.
   *
   * @param fd the fd
   * @throws ErrnoException {@code EBADF} if the fd is not open
   */
  void close(int fd);

  /**
   * Returns the process's user address space.
   *
   * @return the address space
   */
  AddressSpace memory();

  /** Ends the process: closes every fd it holds and releases its rings and mappings. */
  @Override
  void close();
}
