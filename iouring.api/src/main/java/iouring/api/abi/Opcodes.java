package iouring.api.abi;

/**
 * Submission opcodes ({@code enum io_uring_op}) that go in {@code io_uring_sqe.opcode}.
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18 on x86_64, where the last opcode
 * is {@link #IORING_OP_PIPE} (62) and {@link #IORING_OP_LAST} is 63. Newer kernels add {@code
 * IORING_OP_NOP128} (63) and {@code IORING_OP_URING_CMD128} (64); a 6.18 kernel completes an SQE
 * carrying either of them, or any other opcode at or above 63, with {@code -EINVAL}.
 */
public final class Opcodes {

  /** Does nothing and completes with result 0 unless nop_flags ask for more. */
  public static final int IORING_OP_NOP = 0;

  /** Vectored read, like preadv2(2). */
  public static final int IORING_OP_READV = 1;

  /** Vectored write, like pwritev2(2). */
  public static final int IORING_OP_WRITEV = 2;

  /** File sync, like fsync(2), or fdatasync(2) with IORING_FSYNC_DATASYNC. */
  public static final int IORING_OP_FSYNC = 3;

  /** Read into a registered buffer chosen by buf_index. */
  public static final int IORING_OP_READ_FIXED = 4;

  /** Write from a registered buffer chosen by buf_index. */
  public static final int IORING_OP_WRITE_FIXED = 5;

  /** One-shot or multishot poll for the events in poll32_events, like poll(2). */
  public static final int IORING_OP_POLL_ADD = 6;

  /** Removes or updates a pending poll request. */
  public static final int IORING_OP_POLL_REMOVE = 7;

  /** Writes back a file range, like sync_file_range(2). */
  public static final int IORING_OP_SYNC_FILE_RANGE = 8;

  /** Sends a message on a socket, like sendmsg(2). */
  public static final int IORING_OP_SENDMSG = 9;

  /** Receives a message from a socket, like recvmsg(2). */
  public static final int IORING_OP_RECVMSG = 10;

  /** Completes after a relative or absolute time, or after a count of other completions. */
  public static final int IORING_OP_TIMEOUT = 11;

  /** Removes or updates a pending timeout request. */
  public static final int IORING_OP_TIMEOUT_REMOVE = 12;

  /** Accepts a connection on a socket, like accept4(2). */
  public static final int IORING_OP_ACCEPT = 13;

  /** Cancels in-flight requests matched by user_data, fd or opcode. */
  public static final int IORING_OP_ASYNC_CANCEL = 14;

  /** Timeout that cancels the request it is linked behind. */
  public static final int IORING_OP_LINK_TIMEOUT = 15;

  /** Connects a socket, like connect(2). */
  public static final int IORING_OP_CONNECT = 16;

  /** Allocates or deallocates file space, like fallocate(2). */
  public static final int IORING_OP_FALLOCATE = 17;

  /** Opens a file relative to a directory descriptor, like openat(2). */
  public static final int IORING_OP_OPENAT = 18;

  /** Closes a normal or direct descriptor, like close(2). */
  public static final int IORING_OP_CLOSE = 19;

  /** Updates slots of the registered file table from the ring. */
  public static final int IORING_OP_FILES_UPDATE = 20;

  /** Gets extended file status, like statx(2). */
  public static final int IORING_OP_STATX = 21;

  /** Non-vectored read, like pread(2). */
  public static final int IORING_OP_READ = 22;

  /** Non-vectored write, like pwrite(2). */
  public static final int IORING_OP_WRITE = 23;

  /** Declares an access pattern for file data, like posix_fadvise(2). */
  public static final int IORING_OP_FADVISE = 24;

  /** Gives advice about a memory range, like madvise(2). */
  public static final int IORING_OP_MADVISE = 25;

  /** Sends data on a socket, like send(2). */
  public static final int IORING_OP_SEND = 26;

  /** Receives data from a socket, like recv(2). */
  public static final int IORING_OP_RECV = 27;

  /** Opens a file with a struct open_how, like openat2(2). */
  public static final int IORING_OP_OPENAT2 = 28;

  /** Controls an epoll instance, like epoll_ctl(2). */
  public static final int IORING_OP_EPOLL_CTL = 29;

  /** Moves data between a pipe and another descriptor, like splice(2). */
  public static final int IORING_OP_SPLICE = 30;

  /** Hands a group of buffers to the kernel for buffer selection (legacy provided buffers). */
  public static final int IORING_OP_PROVIDE_BUFFERS = 31;

  /** Takes buffers back out of a legacy provided-buffer group. */
  public static final int IORING_OP_REMOVE_BUFFERS = 32;

  /** Duplicates pipe content without consuming it, like tee(2). */
  public static final int IORING_OP_TEE = 33;

  /** Shuts down part of a full-duplex connection, like shutdown(2). */
  public static final int IORING_OP_SHUTDOWN = 34;

  /** Renames a file, like renameat2(2). */
  public static final int IORING_OP_RENAMEAT = 35;

  /** Removes a directory entry, like unlinkat(2). */
  public static final int IORING_OP_UNLINKAT = 36;

  /** Creates a directory, like mkdirat(2). */
  public static final int IORING_OP_MKDIRAT = 37;

  /** Creates a symbolic link, like symlinkat(2). */
  public static final int IORING_OP_SYMLINKAT = 38;

  /** Creates a hard link, like linkat(2). */
  public static final int IORING_OP_LINKAT = 39;

  /** Posts a completion to, or passes a direct descriptor to, another ring. */
  public static final int IORING_OP_MSG_RING = 40;

  /** Sets an extended attribute on a descriptor, like fsetxattr(2). */
  public static final int IORING_OP_FSETXATTR = 41;

  /** Sets an extended attribute on a path, like setxattr(2). */
  public static final int IORING_OP_SETXATTR = 42;

  /** Reads an extended attribute from a descriptor, like fgetxattr(2). */
  public static final int IORING_OP_FGETXATTR = 43;

  /** Reads an extended attribute from a path, like getxattr(2). */
  public static final int IORING_OP_GETXATTR = 44;

  /** Creates a socket, like socket(2). */
  public static final int IORING_OP_SOCKET = 45;

  /** Passes a driver-specific command to the file's uring_cmd handler. */
  public static final int IORING_OP_URING_CMD = 46;

  /** Zero-copy send that posts a separate notification CQE once the buffer is free. */
  public static final int IORING_OP_SEND_ZC = 47;

  /** Zero-copy sendmsg that posts a separate notification CQE once the buffers are free. */
  public static final int IORING_OP_SENDMSG_ZC = 48;

  /** Multishot read into provided buffers, posting one CQE per chunk. */
  public static final int IORING_OP_READ_MULTISHOT = 49;

  /** Waits for a child state change, like waitid(2). */
  public static final int IORING_OP_WAITID = 50;

  /** Waits on a futex word, like futex(2) FUTEX_WAIT_BITSET. */
  public static final int IORING_OP_FUTEX_WAIT = 51;

  /** Wakes waiters on a futex word, like futex(2) FUTEX_WAKE_BITSET. */
  public static final int IORING_OP_FUTEX_WAKE = 52;

  /** Waits on several futex words at once, like futex_waitv(2). */
  public static final int IORING_OP_FUTEX_WAITV = 53;

  /** Installs a direct descriptor into the process file table. */
  public static final int IORING_OP_FIXED_FD_INSTALL = 54;

  /** Truncates a file to a length, like ftruncate(2). */
  public static final int IORING_OP_FTRUNCATE = 55;

  /** Binds a socket to an address, like bind(2). */
  public static final int IORING_OP_BIND = 56;

  /** Marks a socket as passive, like listen(2). */
  public static final int IORING_OP_LISTEN = 57;

  /** Zero-copy receive through a registered zcrx interface queue. */
  public static final int IORING_OP_RECV_ZC = 58;

  /** Waits for events on an epoll instance, like epoll_wait(2). */
  public static final int IORING_OP_EPOLL_WAIT = 59;

  /** Vectored read into a registered buffer. */
  public static final int IORING_OP_READV_FIXED = 60;

  /** Vectored write from a registered buffer. */
  public static final int IORING_OP_WRITEV_FIXED = 61;

  /** Creates a pipe, like pipe2(2), optionally as direct descriptors. */
  public static final int IORING_OP_PIPE = 62;

  /** One past the highest opcode of Linux 6.18; this and every larger opcode fail -EINVAL. */
  public static final int IORING_OP_LAST = 63;

  /** Kernel names indexed by opcode, so that {@link #name(int)} allocates nothing. */
  private static final String[] NAMES = {
    "IORING_OP_NOP",
    "IORING_OP_READV",
    "IORING_OP_WRITEV",
    "IORING_OP_FSYNC",
    "IORING_OP_READ_FIXED",
    "IORING_OP_WRITE_FIXED",
    "IORING_OP_POLL_ADD",
    "IORING_OP_POLL_REMOVE",
    "IORING_OP_SYNC_FILE_RANGE",
    "IORING_OP_SENDMSG",
    "IORING_OP_RECVMSG",
    "IORING_OP_TIMEOUT",
    "IORING_OP_TIMEOUT_REMOVE",
    "IORING_OP_ACCEPT",
    "IORING_OP_ASYNC_CANCEL",
    "IORING_OP_LINK_TIMEOUT",
    "IORING_OP_CONNECT",
    "IORING_OP_FALLOCATE",
    "IORING_OP_OPENAT",
    "IORING_OP_CLOSE",
    "IORING_OP_FILES_UPDATE",
    "IORING_OP_STATX",
    "IORING_OP_READ",
    "IORING_OP_WRITE",
    "IORING_OP_FADVISE",
    "IORING_OP_MADVISE",
    "IORING_OP_SEND",
    "IORING_OP_RECV",
    "IORING_OP_OPENAT2",
    "IORING_OP_EPOLL_CTL",
    "IORING_OP_SPLICE",
    "IORING_OP_PROVIDE_BUFFERS",
    "IORING_OP_REMOVE_BUFFERS",
    "IORING_OP_TEE",
    "IORING_OP_SHUTDOWN",
    "IORING_OP_RENAMEAT",
    "IORING_OP_UNLINKAT",
    "IORING_OP_MKDIRAT",
    "IORING_OP_SYMLINKAT",
    "IORING_OP_LINKAT",
    "IORING_OP_MSG_RING",
    "IORING_OP_FSETXATTR",
    "IORING_OP_SETXATTR",
    "IORING_OP_FGETXATTR",
    "IORING_OP_GETXATTR",
    "IORING_OP_SOCKET",
    "IORING_OP_URING_CMD",
    "IORING_OP_SEND_ZC",
    "IORING_OP_SENDMSG_ZC",
    "IORING_OP_READ_MULTISHOT",
    "IORING_OP_WAITID",
    "IORING_OP_FUTEX_WAIT",
    "IORING_OP_FUTEX_WAKE",
    "IORING_OP_FUTEX_WAITV",
    "IORING_OP_FIXED_FD_INSTALL",
    "IORING_OP_FTRUNCATE",
    "IORING_OP_BIND",
    "IORING_OP_LISTEN",
    "IORING_OP_RECV_ZC",
    "IORING_OP_EPOLL_WAIT",
    "IORING_OP_READV_FIXED",
    "IORING_OP_WRITEV_FIXED",
    "IORING_OP_PIPE",
  };

  /** Not instantiable: this class only holds constants. */
  private Opcodes() {}

  /**
   * Returns the kernel name of an opcode.
   *
   * @param opcode the value of {@code io_uring_sqe.opcode}
   * @return the name, such as {@code "IORING_OP_READV"} for 1, or {@code "IORING_OP_UNKNOWN(200)"}
   *     for a value outside 0..{@code IORING_OP_LAST - 1}
   */
  public static String name(int opcode) {
    if (opcode >= 0 && opcode < NAMES.length) {
      return NAMES[opcode];
    }
    return "IORING_OP_UNKNOWN(" + opcode + ")";
  }
}
