package iouring.core.op;

import iouring.core.fd.FileDescription;
import iouring.core.mem.UserMemory;
import iouring.core.rsrc.BufferTable;
import iouring.core.rsrc.FileTable;
import iouring.core.rsrc.ProvidedBuffers;
import iouring.core.task.Task;

/** What a request may reach while it runs: its process's files and memory, and its ring's. */
public interface RingContext {

  /**
   * Returns the file a request operates on: the fd table entry, or the registered-file slot with
   * {@code IOSQE_FIXED_FILE}. It stays usable until the request completes, even if the fd is closed
   * meanwhile, so the caller takes no reference and releases nothing (inline, the batch pins the fd
   * table; on a worker, the worker holds a reference). As Linux's {@code fget}, an {@code O_PATH}
   * file does not count; a path lookup relative to a dirfd uses {@link Task#directory} instead.
   *
   * @param fd the fd or slot
   * @param fixed true for a registered-file slot
   * @return the description, or null where Linux gives {@code EBADF}
   */
  FileDescription file(int fd, boolean fixed);

  /**
   * Returns the task of the ring's process: its fds, memory and mounts.
   *
   * @return the task
   */
  Task task();

  /**
   * Returns the user address space of the ring's process.
   *
   * @return the memory
   */
  UserMemory memory();

  /**
   * Returns the ring's registered buffers.
   *
   * @return the table, empty when none are registered
   */
  BufferTable buffers();

  /**
   * Returns the ring's registered files. Requests change its slots only while they run, under the
   * ring's lock.
   *
   * @return the table, {@link FileTable#NONE} when none are registered
   */
  FileTable fixedFiles();

  /**
   * Returns the ring's provided buffers, which requests use only while they run, under the ring's
   * lock.
   *
   * @return the buffer groups
   */
  ProvidedBuffers providedBuffers();

  /**
   * Returns the ring's {@code IORING_SETUP_*} flags.
   *
   * @return the flags
   */
  int setupFlags();

  /**
   * Makes the request being issued complete later: it is copied, counted as in flight (a drain
   * waits for it), and the rest of its chain waits for its result. The op then returns {@link
   * Op#DEFERRED} and completes it through the handle, from any thread.
   *
   * @param req the request being issued
   * @return the handle that completes it
   */
  Completion defer(Request req);

  /**
   * Returns the ring's armed timeouts.
   *
   * @return the timeouts
   */
  iouring.core.ring.Timeouts timeouts();

  /**
   * Retimes an armed {@code LINK_TIMEOUT}, for {@code IORING_LINK_TIMEOUT_UPDATE}.
   *
   * @param userData the linked timeout's user_data
   * @param delay the new delay in nanoseconds
   * @return 0, or {@code -ENOENT} when no armed linked timeout has that user_data
   */
  int updateLinkTimeout(long userData, long delay);

  /**
   * Cancels requests in flight that match, for {@code IORING_OP_ASYNC_CANCEL}: work queued for a
   * worker and armed timeouts complete with {@code -ECANCELED}; work a worker is running, and a
   * timeout that is firing, cannot be stopped.
   *
   * @param match which requests
   * @param cancelFlags the {@code IORING_ASYNC_CANCEL_*} flags: {@code ALL} or {@code ANY} for
   *     every match, {@code FD} to leave timeouts alone
   * @return with {@code ALL} or {@code ANY}, Linux's count of what was found; otherwise 0, {@code
   *     -EALREADY} for a running request or a firing timeout, or {@code -ENOENT}
   */
  int cancel(java.util.function.Predicate<Request> match, int cancelFlags);

  /** What {@code IORING_OP_MSG_RING} can do to a ring: every ring is one. */
  interface MessageTarget {
    /**
     * Posts a CQE on this ring from another ring (or itself), as {@code IORING_MSG_DATA}.
     *
     * @param userData the CQE's user_data
     * @param res its res
     * @param cqeFlags its flags
     */
    void message(long userData, int res, int cqeFlags);

    /**
     * Installs a file in this ring's registered-file table, as {@code IORING_MSG_SEND_FD}.
     *
     * @param file the file, with a reference the table takes over (or drops on failure)
     * @param fileIndex the slot + 1, or {@code IORING_FILE_INDEX_ALLOC}
     * @param userData the user_data of the CQE posted on this ring
     * @param postCqe false for {@code IORING_MSG_RING_CQE_SKIP}
     * @return the install result: 0, the slot chosen, or {@code -errno}
     */
    int sendFile(FileDescription file, int fileIndex, long userData, boolean postCqe);
  }

  /** Completes a deferred request. */
  interface Completion {
    /**
     * Returns the request, a private copy.
     *
     * @return the request
     */
    Request request();

    /**
     * Posts the request's CQE and runs what waited for it; a second call does nothing.
     *
     * @param res the result
     * @param cqeFlags the CQE flags
     * @param last false for a multishot CQE that more will follow
     * @return false if the request had completed already
     */
    boolean complete(int res, int cqeFlags, boolean last);
  }
}
