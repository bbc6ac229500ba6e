package iouring.api.abi;

/**
 * Opcodes ({@code enum io_uring_register_op}) for the {@code opcode} argument of {@code
 * io_uring_register(2)}.
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} as of liburing HEAD, a superset of Linux 6.18:
 * {@link #IORING_REGISTER_ZCRX_CTRL} (36) and {@link #IORING_REGISTER_BPF_FILTER} (37) came after
 * 6.18, which answers both, like any opcode at or above {@link #IORING_REGISTER_LAST}, with {@code
 * -EINVAL}. {@link #IORING_REGISTER_USE_REGISTERED_RING} is a flag or-ed into the opcode, not an
 * opcode of its own.
 */
public final class RegisterOpcodes {

  /** Registers fixed buffers from an array of struct iovec. */
  public static final int IORING_REGISTER_BUFFERS = 0;

  /** Unregisters every fixed buffer. */
  public static final int IORING_UNREGISTER_BUFFERS = 1;

  /** Registers a fixed file table from an array of descriptors. */
  public static final int IORING_REGISTER_FILES = 2;

  /** Unregisters the fixed file table. */
  public static final int IORING_UNREGISTER_FILES = 3;

  /** Registers an eventfd that is signalled on every completion. */
  public static final int IORING_REGISTER_EVENTFD = 4;

  /** Unregisters the eventfd. */
  public static final int IORING_UNREGISTER_EVENTFD = 5;

  /** Updates slots of the fixed file table from a struct io_uring_files_update. */
  public static final int IORING_REGISTER_FILES_UPDATE = 6;

  /** Registers an eventfd that is signalled only for completions posted asynchronously. */
  public static final int IORING_REGISTER_EVENTFD_ASYNC = 7;

  /** Fills a struct io_uring_probe with the opcodes the kernel supports. */
  public static final int IORING_REGISTER_PROBE = 8;

  /** Registers the caller's credentials and returns a personality ID for SQEs. */
  public static final int IORING_REGISTER_PERSONALITY = 9;

  /** Unregisters a personality ID. */
  public static final int IORING_UNREGISTER_PERSONALITY = 10;

  /** Installs an allow-list of struct io_uring_restriction on a disabled ring. */
  public static final int IORING_REGISTER_RESTRICTIONS = 11;

  /** Enables a ring created with IORING_SETUP_R_DISABLED. */
  public static final int IORING_REGISTER_ENABLE_RINGS = 12;

  /** Registers a fixed file table, possibly sparse or tagged, from io_uring_rsrc_register. */
  public static final int IORING_REGISTER_FILES2 = 13;

  /** Updates fixed file slots, with tags, from a struct io_uring_rsrc_update2. */
  public static final int IORING_REGISTER_FILES_UPDATE2 = 14;

  /** Registers fixed buffers, possibly sparse or tagged, from io_uring_rsrc_register. */
  public static final int IORING_REGISTER_BUFFERS2 = 15;

  /** Updates fixed buffer slots, with tags, from a struct io_uring_rsrc_update2. */
  public static final int IORING_REGISTER_BUFFERS_UPDATE = 16;

  /** Sets the CPU affinity of the async worker threads. */
  public static final int IORING_REGISTER_IOWQ_AFF = 17;

  /** Clears the CPU affinity of the async worker threads. */
  public static final int IORING_UNREGISTER_IOWQ_AFF = 18;

  /** Sets and returns the maximum number of bounded and unbounded async workers. */
  public static final int IORING_REGISTER_IOWQ_MAX_WORKERS = 19;

  /** Registers ring descriptors so that io_uring_enter(2) can take an index instead. */
  public static final int IORING_REGISTER_RING_FDS = 20;

  /** Unregisters registered ring descriptors. */
  public static final int IORING_UNREGISTER_RING_FDS = 21;

  /** Registers a ring of provided buffers described by a struct io_uring_buf_reg. */
  public static final int IORING_REGISTER_PBUF_RING = 22;

  /** Unregisters a ring of provided buffers. */
  public static final int IORING_UNREGISTER_PBUF_RING = 23;

  /** Cancels matching requests and waits for them synchronously. */
  public static final int IORING_REGISTER_SYNC_CANCEL = 24;

  /** Restricts the fixed file slots that IORING_FILE_INDEX_ALLOC may hand out. */
  public static final int IORING_REGISTER_FILE_ALLOC_RANGE = 25;

  /** Returns the head of a provided-buffer ring. */
  public static final int IORING_REGISTER_PBUF_STATUS = 26;

  /** Enables NAPI busy polling for the ring. */
  public static final int IORING_REGISTER_NAPI = 27;

  /** Disables NAPI busy polling for the ring. */
  public static final int IORING_UNREGISTER_NAPI = 28;

  /** Selects the clock used for wait timeouts. */
  public static final int IORING_REGISTER_CLOCK = 29;

  /** Copies the fixed buffer table of another ring into this one. */
  public static final int IORING_REGISTER_CLONE_BUFFERS = 30;

  /** Sends a MSG_RING request without owning a source ring. */
  public static final int IORING_REGISTER_SEND_MSG_RING = 31;

  /** Registers a network receive queue for zero-copy receive. */
  public static final int IORING_REGISTER_ZCRX_IFQ = 32;

  /** Resizes the SQ and CQ rings of a live ring. */
  public static final int IORING_REGISTER_RESIZE_RINGS = 33;

  /** Registers a memory region, such as one holding registered wait arguments. */
  public static final int IORING_REGISTER_MEM_REGION = 34;

  /** Queries io_uring capabilities; it needs no ring. */
  public static final int IORING_REGISTER_QUERY = 35;

  /** Sends a control command to a zero-copy receive queue; newer than Linux 6.18. */
  public static final int IORING_REGISTER_ZCRX_CTRL = 36;

  /** Registers BPF programs that filter SQEs; newer than Linux 6.18. */
  public static final int IORING_REGISTER_BPF_FILTER = 37;

  /** One past the highest register opcode of the HEAD header (Linux 6.18 stops at 36). */
  public static final int IORING_REGISTER_LAST = 38;

  /** Flag or-ed into the opcode saying that fd is a registered ring index. */
  public static final int IORING_REGISTER_USE_REGISTERED_RING = 1 << 31;

  /** Kernel names indexed by opcode, so that {@link #name(int)} allocates nothing. */
  private static final String[] NAMES = {
    "IORING_REGISTER_BUFFERS",
    "IORING_UNREGISTER_BUFFERS",
    "IORING_REGISTER_FILES",
    "IORING_UNREGISTER_FILES",
    "IORING_REGISTER_EVENTFD",
    "IORING_UNREGISTER_EVENTFD",
    "IORING_REGISTER_FILES_UPDATE",
    "IORING_REGISTER_EVENTFD_ASYNC",
    "IORING_REGISTER_PROBE",
    "IORING_REGISTER_PERSONALITY",
    "IORING_UNREGISTER_PERSONALITY",
    "IORING_REGISTER_RESTRICTIONS",
    "IORING_REGISTER_ENABLE_RINGS",
    "IORING_REGISTER_FILES2",
    "IORING_REGISTER_FILES_UPDATE2",
    "IORING_REGISTER_BUFFERS2",
    "IORING_REGISTER_BUFFERS_UPDATE",
    "IORING_REGISTER_IOWQ_AFF",
    "IORING_UNREGISTER_IOWQ_AFF",
    "IORING_REGISTER_IOWQ_MAX_WORKERS",
    "IORING_REGISTER_RING_FDS",
    "IORING_UNREGISTER_RING_FDS",
    "IORING_REGISTER_PBUF_RING",
    "IORING_UNREGISTER_PBUF_RING",
    "IORING_REGISTER_SYNC_CANCEL",
    "IORING_REGISTER_FILE_ALLOC_RANGE",
    "IORING_REGISTER_PBUF_STATUS",
    "IORING_REGISTER_NAPI",
    "IORING_UNREGISTER_NAPI",
    "IORING_REGISTER_CLOCK",
    "IORING_REGISTER_CLONE_BUFFERS",
    "IORING_REGISTER_SEND_MSG_RING",
    "IORING_REGISTER_ZCRX_IFQ",
    "IORING_REGISTER_RESIZE_RINGS",
    "IORING_REGISTER_MEM_REGION",
    "IORING_REGISTER_QUERY",
    "IORING_REGISTER_ZCRX_CTRL",
    "IORING_REGISTER_BPF_FILTER",
  };

  /** Not instantiable: this class only holds constants. */
  private RegisterOpcodes() {}

  /**
   * Returns the kernel name of a register opcode.
   *
   * <p>The value must not carry {@link #IORING_REGISTER_USE_REGISTERED_RING}; strip it first.
   *
   * @param opcode the {@code opcode} argument of {@code io_uring_register(2)}
   * @return the name, such as {@code "IORING_REGISTER_PROBE"} for 8, or {@code
   *     "IORING_REGISTER_UNKNOWN(200)"} for a value outside 0..{@code IORING_REGISTER_LAST - 1}
   */
  public static String name(int opcode) {
    if (opcode >= 0 && opcode < NAMES.length) {
      return NAMES[opcode];
    }
    return "IORING_REGISTER_UNKNOWN(" + opcode + ")";
  }
}
