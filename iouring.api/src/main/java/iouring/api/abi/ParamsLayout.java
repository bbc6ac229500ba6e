package iouring.api.abi;

/**
 * Byte offsets of {@code struct io_uring_params}, the in-out argument of {@code io_uring_setup(2)},
 * and of the {@code struct io_sqring_offsets} and {@code struct io_cqring_offsets} nested in it.
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18. The {@code SQ_OFF_*} and {@code
 * CQ_OFF_*} constants are relative to the start of the nested struct, at {@link #OFF_SQ_OFF} and
 * {@link #OFF_CQ_OFF}; the kernel fills those structs with offsets into the ring mappings.
 *
 * <pre>{@code
 * io_uring_params, 120 bytes:
 *
 *        0                4                8                12               16
 *        +----------------+----------------+----------------+----------------+
 *    0   | sq_entries     | cq_entries     | flags          | sq_thread_cpu  |
 *   16   | sq_thread_idle | features       | wq_fd          | resv[0]        |
 *   32   | resv[1]        | resv[2]        | sq_off, 40 bytes up to 80 ...   |
 *   80   | cq_off, 40 bytes up to 120 ...                                    |
 *        +----------------+----------------+----------------+----------------+
 *
 * io_sqring_offsets and io_cqring_offsets, 40 bytes each (eight u32, then a u64):
 *
 *       0      4      8           12             16         20        24      28      32
 *   sq: | head | tail | ring_mask | ring_entries | flags    | dropped | array | resv1 | user_addr
 *   cq: | head | tail | ring_mask | ring_entries | overflow | cqes    | flags | resv1 | user_addr
 * }</pre>
 */
public final class ParamsLayout {

  /** Size of struct io_uring_params in bytes. */
  public static final int SIZE = 120;

  /** Offset of sq_entries, the u32 SQ size that the kernel rounds up and writes back. */
  public static final int OFF_SQ_ENTRIES = 0;

  /** Offset of cq_entries, the u32 CQ size, an input only with IORING_SETUP_CQSIZE. */
  public static final int OFF_CQ_ENTRIES = 4;

  /** Offset of flags, a u32 of IORING_SETUP_* bits. */
  public static final int OFF_FLAGS = 8;

  /** Offset of sq_thread_cpu, the u32 CPU of the SQPOLL thread with IORING_SETUP_SQ_AFF. */
  public static final int OFF_SQ_THREAD_CPU = 12;

  /** Offset of sq_thread_idle, the u32 idle time in milliseconds before SQPOLL sleeps. */
  public static final int OFF_SQ_THREAD_IDLE = 16;

  /** Offset of features, the u32 of IORING_FEAT_* bits that the kernel writes back. */
  public static final int OFF_FEATURES = 20;

  /** Offset of wq_fd, the u32 ring descriptor used with IORING_SETUP_ATTACH_WQ. */
  public static final int OFF_WQ_FD = 24;

  /** Offset of resv, three u32 that must be zero. */
  public static final int OFF_RESV = 28;

  /** Offset of sq_off, the nested struct io_sqring_offsets. */
  public static final int OFF_SQ_OFF = 40;

  /** Offset of cq_off, the nested struct io_cqring_offsets. */
  public static final int OFF_CQ_OFF = 80;

  /** Size of struct io_sqring_offsets and of struct io_cqring_offsets in bytes. */
  public static final int RING_OFFSETS_SIZE = 40;

  /** Offset in io_sqring_offsets of head, the u32 offset of the SQ head in the SQ mapping. */
  public static final int SQ_OFF_HEAD = 0;

  /** Offset in io_sqring_offsets of tail, the u32 offset of the SQ tail. */
  public static final int SQ_OFF_TAIL = 4;

  /** Offset in io_sqring_offsets of ring_mask, the u32 offset of the SQ index mask. */
  public static final int SQ_OFF_RING_MASK = 8;

  /** Offset in io_sqring_offsets of ring_entries, the u32 offset of the SQ size. */
  public static final int SQ_OFF_RING_ENTRIES = 12;

  /** Offset in io_sqring_offsets of flags, the u32 offset of the IORING_SQ_* word. */
  public static final int SQ_OFF_FLAGS = 16;

  /** Offset in io_sqring_offsets of dropped, the u32 offset of the dropped-SQE counter. */
  public static final int SQ_OFF_DROPPED = 20;

  /** Offset in io_sqring_offsets of array, the u32 offset of the SQ index array. */
  public static final int SQ_OFF_ARRAY = 24;

  /** Offset in io_sqring_offsets of resv1, a reserved u32. */
  public static final int SQ_OFF_RESV1 = 28;

  /** Offset in io_sqring_offsets of user_addr, the u64 ring memory with IORING_SETUP_NO_MMAP. */
  public static final int SQ_OFF_USER_ADDR = 32;

  /** Offset in io_cqring_offsets of head, the u32 offset of the CQ head in the CQ mapping. */
  public static final int CQ_OFF_HEAD = 0;

  /** Offset in io_cqring_offsets of tail, the u32 offset of the CQ tail. */
  public static final int CQ_OFF_TAIL = 4;

  /** Offset in io_cqring_offsets of ring_mask, the u32 offset of the CQ index mask. */
  public static final int CQ_OFF_RING_MASK = 8;

  /** Offset in io_cqring_offsets of ring_entries, the u32 offset of the CQ size. */
  public static final int CQ_OFF_RING_ENTRIES = 12;

  /** Offset in io_cqring_offsets of overflow, the u32 offset of the overflow counter. */
  public static final int CQ_OFF_OVERFLOW = 16;

  /** Offset in io_cqring_offsets of cqes, the u32 offset of the CQE array. */
  public static final int CQ_OFF_CQES = 20;

  /** Offset in io_cqring_offsets of flags, the u32 offset of the IORING_CQ_* word. */
  public static final int CQ_OFF_FLAGS = 24;

  /** Offset in io_cqring_offsets of resv1, a reserved u32. */
  public static final int CQ_OFF_RESV1 = 28;

  /** Offset in io_cqring_offsets of user_addr, the u64 ring memory with IORING_SETUP_NO_MMAP. */
  public static final int CQ_OFF_USER_ADDR = 32;

  /** Not instantiable: this class only holds constants. */
  private ParamsLayout() {}
}
