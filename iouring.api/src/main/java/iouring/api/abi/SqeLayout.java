package iouring.api.abi;

/**
 * Byte offsets of the fields of {@code struct io_uring_sqe}, the 64-byte submission queue entry.
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18. All fields are little-endian on
 * x86_64. Several unions share an offset; each union member has its own constant with the same
 * value, named after the kernel field.
 *
 * <pre>{@code
 * byte  0        1        2        4                 8
 *       +--------+--------+--------+-----------------+
 *    0  | opcode | flags  | ioprio | fd (s32)        |
 *       +--------+--------+--------+-----------------+
 *    8  | off / addr2 / { cmd_op u32, pad1 u32 }     |
 *       +--------------------------------------------+
 *   16  | addr / splice_off_in / { level, optname }  |
 *       +-----------------------+--------------------+
 *   24  | len (u32)             | op flags (u32)     |  rw_flags, open_flags, ...
 *       +-----------------------+--------------------+
 *   32  | user_data (u64)                            |
 *       +-----------+-------------+------------------+
 *   40  | buf_index | personality | splice_fd_in     |  file_index, optlen, ...
 *       +-----------+-------------+------------------+
 *   48  | addr3 / attr_ptr / optval / cmd[] starts   |
 *       +--------------------------------------------+
 *   56  | pad2 / attr_type_mask                      |
 *       +--------------------------------------------+
 *   64  end (128 with IORING_SETUP_SQE128: cmd[] runs 80 bytes from 48)
 * }</pre>
 */
public final class SqeLayout {

  /** Size of one SQE in bytes. */
  public static final int SIZE = 64;

  /** Size of one SQE in bytes on a ring set up with IORING_SETUP_SQE128. */
  public static final int SIZE_SQE128 = 128;

  /** Bytes of command data from OFF_CMD in a 128-byte SQE; our name, not a kernel one. */
  public static final int CMD_SIZE_SQE128 = 80;

  /** Offset of opcode, a u8 IORING_OP_* value. */
  public static final int OFF_OPCODE = 0;

  /** Offset of flags, a u8 of IOSQE_* bits. */
  public static final int OFF_FLAGS = 1;

  /** Offset of ioprio, a u16 I/O priority, or the send, receive and accept flags. */
  public static final int OFF_IOPRIO = 2;

  /** Offset of fd, an s32 descriptor or registered file index. */
  public static final int OFF_FD = 4;

  /** Offset of off, a u64 file offset (-1 means the current position). */
  public static final int OFF_OFF = 8;

  /** Offset of addr2, a u64 second address that shares the off slot. */
  public static final int OFF_ADDR2 = 8;

  /** Offset of cmd_op, a u32 URING_CMD sub-command that shares the off slot. */
  public static final int OFF_CMD_OP = 8;

  /** Offset of __pad1, the u32 after cmd_op. */
  public static final int OFF_PAD1 = 12;

  /** Offset of addr, a u64 buffer, iovec array or path pointer. */
  public static final int OFF_ADDR = 16;

  /** Offset of splice_off_in, a u64 input offset of SPLICE that shares the addr slot. */
  public static final int OFF_SPLICE_OFF_IN = 16;

  /** Offset of level, a u32 socket option level that shares the addr slot. */
  public static final int OFF_LEVEL = 16;

  /** Offset of optname, a u32 socket option name after level. */
  public static final int OFF_OPTNAME = 20;

  /** Offset of len, a u32 buffer length or iovec count. */
  public static final int OFF_LEN = 24;

  /** Offset of the u32 op-flags union; our name for the slot every *_flags member shares. */
  public static final int OFF_OP_FLAGS = 28;

  /** Offset of rw_flags, the RWF_* bits of reads and writes. */
  public static final int OFF_RW_FLAGS = OFF_OP_FLAGS;

  /** Offset of fsync_flags. */
  public static final int OFF_FSYNC_FLAGS = OFF_OP_FLAGS;

  /** Offset of poll_events, the legacy u16 poll mask. */
  public static final int OFF_POLL_EVENTS = OFF_OP_FLAGS;

  /** Offset of poll32_events, the u32 poll mask. */
  public static final int OFF_POLL32_EVENTS = OFF_OP_FLAGS;

  /** Offset of sync_range_flags. */
  public static final int OFF_SYNC_RANGE_FLAGS = OFF_OP_FLAGS;

  /** Offset of msg_flags, the MSG_* flags of send and receive. */
  public static final int OFF_MSG_FLAGS = OFF_OP_FLAGS;

  /** Offset of timeout_flags. */
  public static final int OFF_TIMEOUT_FLAGS = OFF_OP_FLAGS;

  /** Offset of accept_flags, the SOCK_* flags of accept4(2). */
  public static final int OFF_ACCEPT_FLAGS = OFF_OP_FLAGS;

  /** Offset of cancel_flags. */
  public static final int OFF_CANCEL_FLAGS = OFF_OP_FLAGS;

  /** Offset of open_flags, the O_* flags of OPENAT. */
  public static final int OFF_OPEN_FLAGS = OFF_OP_FLAGS;

  /** Offset of statx_flags, the AT_* flags of STATX. */
  public static final int OFF_STATX_FLAGS = OFF_OP_FLAGS;

  /** Offset of fadvise_advice, a POSIX_FADV_* value. */
  public static final int OFF_FADVISE_ADVICE = OFF_OP_FLAGS;

  /** Offset of splice_flags. */
  public static final int OFF_SPLICE_FLAGS = OFF_OP_FLAGS;

  /** Offset of rename_flags, the RENAME_* flags. */
  public static final int OFF_RENAME_FLAGS = OFF_OP_FLAGS;

  /** Offset of unlink_flags, such as AT_REMOVEDIR. */
  public static final int OFF_UNLINK_FLAGS = OFF_OP_FLAGS;

  /** Offset of hardlink_flags, the AT_* flags of LINKAT. */
  public static final int OFF_HARDLINK_FLAGS = OFF_OP_FLAGS;

  /** Offset of xattr_flags, the XATTR_* flags. */
  public static final int OFF_XATTR_FLAGS = OFF_OP_FLAGS;

  /** Offset of msg_ring_flags. */
  public static final int OFF_MSG_RING_FLAGS = OFF_OP_FLAGS;

  /** Offset of uring_cmd_flags. */
  public static final int OFF_URING_CMD_FLAGS = OFF_OP_FLAGS;

  /** Offset of waitid_flags. */
  public static final int OFF_WAITID_FLAGS = OFF_OP_FLAGS;

  /** Offset of futex_flags. */
  public static final int OFF_FUTEX_FLAGS = OFF_OP_FLAGS;

  /** Offset of install_fd_flags. */
  public static final int OFF_INSTALL_FD_FLAGS = OFF_OP_FLAGS;

  /** Offset of nop_flags. */
  public static final int OFF_NOP_FLAGS = OFF_OP_FLAGS;

  /** Offset of pipe_flags, the O_* flags of PIPE. */
  public static final int OFF_PIPE_FLAGS = OFF_OP_FLAGS;

  /** Offset of user_data, the u64 copied verbatim into the CQE. */
  public static final int OFF_USER_DATA = 32;

  /** Offset of buf_index, a u16 registered buffer index. */
  public static final int OFF_BUF_INDEX = 40;

  /** Offset of buf_group, a u16 provided-buffer group ID that shares the buf_index slot. */
  public static final int OFF_BUF_GROUP = 40;

  /** Offset of personality, a u16 ID from IORING_REGISTER_PERSONALITY. */
  public static final int OFF_PERSONALITY = 42;

  /** Offset of splice_fd_in, the s32 input descriptor of SPLICE and TEE. */
  public static final int OFF_SPLICE_FD_IN = 44;

  /** Offset of file_index, a u32 direct descriptor slot plus one, in the splice_fd_in slot. */
  public static final int OFF_FILE_INDEX = 44;

  /** Offset of zcrx_ifq_idx, a u32 zero-copy receive queue index in the splice_fd_in slot. */
  public static final int OFF_ZCRX_IFQ_IDX = 44;

  /** Offset of optlen, a u32 socket option length in the splice_fd_in slot. */
  public static final int OFF_OPTLEN = 44;

  /** Offset of addr_len, a u16 socket address length in the splice_fd_in slot. */
  public static final int OFF_ADDR_LEN = 44;

  /** Offset of __pad3, the u16 after addr_len. */
  public static final int OFF_PAD3 = 46;

  /** Offset of addr3, a u64 third address. */
  public static final int OFF_ADDR3 = 48;

  /** Offset of attr_ptr, a u64 pointer to read and write attributes in the addr3 slot. */
  public static final int OFF_ATTR_PTR = 48;

  /** Offset of optval, a u64 socket option value pointer in the addr3 slot. */
  public static final int OFF_OPTVAL = 48;

  /** Offset of cmd, the URING_CMD payload (16 bytes, or 80 with IORING_SETUP_SQE128). */
  public static final int OFF_CMD = 48;

  /** Offset of __pad2, the last u64 of a 64-byte SQE. */
  public static final int OFF_PAD2 = 56;

  /** Offset of attr_type_mask, a u64 of IORING_RW_ATTR_FLAG_* bits in the pad2 slot. */
  public static final int OFF_ATTR_TYPE_MASK = 56;

  /** Not instantiable: this class only holds constants. */
  private SqeLayout() {}
}
