package iouring.api.abi;

/**
 * Per-opcode flag values that go in the op-flags word at offset 28 of the SQE, or in another field
 * named on each constant, plus the probe and restriction codes of {@code io_uring_register(2)}.
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} and the {@code RWF_*} and {@code SPLICE_F_*}
 * values of {@code include/uapi/linux/fs.h} and {@code include/linux/splice.h}, all of Linux 6.18
 * on x86_64.
 */
public final class OpFlags {

  // ---- fsync_flags ----

  /** FSYNC syncs only data and the metadata needed to read it, like fdatasync(2). */
  public static final int IORING_FSYNC_DATASYNC = 1 << 0;

  // ---- timeout_flags ----

  /** The timespec is an absolute time instead of a relative one. */
  public static final int IORING_TIMEOUT_ABS = 1 << 0;

  /** TIMEOUT_REMOVE updates the timer of an existing timeout instead of removing it. */
  public static final int IORING_TIMEOUT_UPDATE = 1 << 1;

  /** The timeout runs on CLOCK_BOOTTIME instead of CLOCK_MONOTONIC. */
  public static final int IORING_TIMEOUT_BOOTTIME = 1 << 2;

  /** The timeout runs on CLOCK_REALTIME instead of CLOCK_MONOTONIC. */
  public static final int IORING_TIMEOUT_REALTIME = 1 << 3;

  /** TIMEOUT_REMOVE updates the timer of an existing linked timeout. */
  public static final int IORING_LINK_TIMEOUT_UPDATE = 1 << 4;

  /** An expired timeout completes with result 0 instead of -ETIME. */
  public static final int IORING_TIMEOUT_ETIME_SUCCESS = 1 << 5;

  /** The timeout rearms after it fires and posts a CQE with IORING_CQE_F_MORE each time. */
  public static final int IORING_TIMEOUT_MULTISHOT = 1 << 6;

  /** Mask of the clock-selection bits, of which at most one may be set. */
  public static final int IORING_TIMEOUT_CLOCK_MASK =
      IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME;

  /** Mask of the update-selection bits, of which at most one may be set. */
  public static final int IORING_TIMEOUT_UPDATE_MASK =
      IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE;

  // ---- splice_flags ----

  /** The splice_fd_in field is an index into the registered file table. */
  public static final int SPLICE_F_FD_IN_FIXED = 1 << 31;

  /** Asks to move pages instead of copying them; only a hint. */
  public static final int SPLICE_F_MOVE = 0x01;

  /** Does not block on the pipe. */
  public static final int SPLICE_F_NONBLOCK = 0x02;

  /** More data will follow in a later splice. */
  public static final int SPLICE_F_MORE = 0x04;

  /** Gifts the user pages to the kernel (vmsplice only). */
  public static final int SPLICE_F_GIFT = 0x08;

  // ---- POLL_ADD / POLL_REMOVE command flags, stored in sqe->len ----

  /** The poll stays armed and posts a CQE with IORING_CQE_F_MORE for every event. */
  public static final int IORING_POLL_ADD_MULTI = 1 << 0;

  /** POLL_REMOVE replaces the event mask of the matched poll request. */
  public static final int IORING_POLL_UPDATE_EVENTS = 1 << 1;

  /** POLL_REMOVE replaces the user_data of the matched poll request. */
  public static final int IORING_POLL_UPDATE_USER_DATA = 1 << 2;

  /** The poll is level-triggered instead of edge-triggered. */
  public static final int IORING_POLL_ADD_LEVEL = 1 << 3;

  // ---- cancel_flags ----

  /** Cancels every request that matches the key instead of only the first. */
  public static final int IORING_ASYNC_CANCEL_ALL = 1 << 0;

  /** Matches requests on their file descriptor instead of user_data. */
  public static final int IORING_ASYNC_CANCEL_FD = 1 << 1;

  /** Matches any request. */
  public static final int IORING_ASYNC_CANCEL_ANY = 1 << 2;

  /** The descriptor given with IORING_ASYNC_CANCEL_FD is a registered file index. */
  public static final int IORING_ASYNC_CANCEL_FD_FIXED = 1 << 3;

  /** Matches on user_data, which is also the default when no other key is given. */
  public static final int IORING_ASYNC_CANCEL_USERDATA = 1 << 4;

  /** Matches requests on their opcode, given in sqe->len. */
  public static final int IORING_ASYNC_CANCEL_OP = 1 << 5;

  // ---- send/recv flags, stored in sqe->ioprio ----

  /** Arms poll before the first send or receive attempt instead of after an -EAGAIN. */
  public static final int IORING_RECVSEND_POLL_FIRST = 1 << 0;

  /** The receive stays armed and posts a CQE with IORING_CQE_F_MORE for every chunk. */
  public static final int IORING_RECV_MULTISHOT = 1 << 1;

  /** The send or receive uses the registered buffer named by buf_index. */
  public static final int IORING_RECVSEND_FIXED_BUF = 1 << 2;

  /** A zero-copy send reports in its notification CQE whether data had to be copied. */
  public static final int IORING_SEND_ZC_REPORT_USAGE = 1 << 3;

  /** The send or receive takes as many provided buffers from the group as it needs. */
  public static final int IORING_RECVSEND_BUNDLE = 1 << 4;

  /** Result bit of a notification CQE telling that a zero-copy send copied its data. */
  public static final int IORING_NOTIF_USAGE_ZC_COPIED = 1 << 31;

  // ---- accept flags, stored in sqe->ioprio ----

  /** The accept stays armed and posts a CQE with IORING_CQE_F_MORE per connection. */
  public static final int IORING_ACCEPT_MULTISHOT = 1 << 0;

  /** The accept fails with -EAGAIN instead of waiting when no connection is pending. */
  public static final int IORING_ACCEPT_DONTWAIT = 1 << 1;

  /** Arms poll before the first accept attempt. */
  public static final int IORING_ACCEPT_POLL_FIRST = 1 << 2;

  // ---- MSG_RING ----

  /** MSG_RING command in sqe->addr that posts len as res and off as user_data on the target. */
  public static final int IORING_MSG_DATA = 0;

  /** MSG_RING command in sqe->addr that installs a direct descriptor in the target ring. */
  public static final int IORING_MSG_SEND_FD = 1;

  /** MSG_RING posts no CQE on the target ring (IORING_MSG_SEND_FD only). */
  public static final int IORING_MSG_RING_CQE_SKIP = 1 << 0;

  /** MSG_RING passes the value in sqe->file_index through as the target CQE flags. */
  public static final int IORING_MSG_RING_FLAGS_PASS = 1 << 1;

  // ---- nop_flags ----

  /** NOP completes with the result given in sqe->len instead of 0. */
  public static final int IORING_NOP_INJECT_RESULT = 1 << 0;

  /** NOP looks up the file given in sqe->fd and fails if it is not open. */
  public static final int IORING_NOP_FILE = 1 << 1;

  /** Together with IORING_NOP_FILE, NOP looks sqe->fd up in the registered file table. */
  public static final int IORING_NOP_FIXED_FILE = 1 << 2;

  /** NOP looks up the registered buffer named by buf_index. */
  public static final int IORING_NOP_FIXED_BUFFER = 1 << 3;

  /** NOP completes through task work instead of inline. */
  public static final int IORING_NOP_TW = 1 << 4;

  /** NOP posts a 32-byte CQE on a CQE_MIXED ring. */
  public static final int IORING_NOP_CQE32 = 1 << 5;

  // ---- other per-op flags ----

  /** FIXED_FD_INSTALL leaves the installed descriptor without O_CLOEXEC. */
  public static final int IORING_FIXED_FD_NO_CLOEXEC = 1 << 0;

  /** URING_CMD uses the registered buffer named by buf_index. */
  public static final int IORING_URING_CMD_FIXED = 1 << 0;

  /** Bit of sqe->attr_type_mask saying that attr_ptr points to a protection-information block. */
  public static final int IORING_RW_ATTR_FLAG_PI = 1 << 0;

  /** Value of sqe->file_index asking the kernel to pick a free direct descriptor slot (~0U). */
  public static final int IORING_FILE_INDEX_ALLOC = -1;

  /** Descriptor value in a files update that leaves the slot unchanged. */
  public static final int IORING_REGISTER_FILES_SKIP = -2;

  /** io_uring_rsrc_register flag that creates an empty (sparse) table of nr slots. */
  public static final int IORING_RSRC_REGISTER_SPARSE = 1 << 0;

  /** io_uring_buf_reg flag asking the kernel to allocate the buffer ring for mmap(2). */
  public static final int IOU_PBUF_RING_MMAP = 1;

  /** io_uring_buf_reg flag letting buffers of the ring be consumed incrementally. */
  public static final int IOU_PBUF_RING_INC = 2;

  // ---- rw_flags (RWF_*, include/uapi/linux/fs.h) ----

  /** High-priority request that polls for completion if possible. */
  public static final int RWF_HIPRI = 0x00000001;

  /** Per-request O_DSYNC. */
  public static final int RWF_DSYNC = 0x00000002;

  /** Per-request O_SYNC. */
  public static final int RWF_SYNC = 0x00000004;

  /** Fails with -EAGAIN instead of blocking. */
  public static final int RWF_NOWAIT = 0x00000008;

  /** Per-request O_APPEND. */
  public static final int RWF_APPEND = 0x00000010;

  /** Per-request negation of O_APPEND, so the given offset is honoured. */
  public static final int RWF_NOAPPEND = 0x00000020;

  /** Writes the whole range atomically or not at all. */
  public static final int RWF_ATOMIC = 0x00000040;

  /** Buffered I/O that drops the page cache after the transfer. */
  public static final int RWF_DONTCACHE = 0x00000080;

  /** Pipe and socket writes do not raise SIGPIPE (new in Linux 6.18). */
  public static final int RWF_NOSIGNAL = 0x00000100;

  /** Mask of every RWF bit Linux 6.18 accepts (0x1ff); a read or write with another fails. */
  public static final int RWF_SUPPORTED =
      RWF_HIPRI
          | RWF_DSYNC
          | RWF_SYNC
          | RWF_NOWAIT
          | RWF_APPEND
          | RWF_NOAPPEND
          | RWF_ATOMIC
          | RWF_DONTCACHE
          | RWF_NOSIGNAL;

  // ---- IORING_REGISTER_PROBE and IORING_REGISTER_RESTRICTIONS ----

  /** Probe op flag saying that the kernel supports the opcode. */
  public static final int IO_URING_OP_SUPPORTED = 1 << 0;

  /** Restriction that allows one io_uring_register(2) opcode. */
  public static final int IORING_RESTRICTION_REGISTER_OP = 0;

  /** Restriction that allows one SQE opcode. */
  public static final int IORING_RESTRICTION_SQE_OP = 1;

  /** Restriction that allows a set of IOSQE flags. */
  public static final int IORING_RESTRICTION_SQE_FLAGS_ALLOWED = 2;

  /** Restriction that requires a set of IOSQE flags on every SQE. */
  public static final int IORING_RESTRICTION_SQE_FLAGS_REQUIRED = 3;

  /** Not instantiable: this class only holds constants. */
  private OpFlags() {}
}
