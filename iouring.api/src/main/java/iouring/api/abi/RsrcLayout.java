package iouring.api.abi;

/**
 * Byte offsets of the resource registration structs: {@code struct io_uring_rsrc_register} ({@code
 * REGISTER_*}), {@code struct io_uring_rsrc_update} ({@code UPDATE_*}, the same layout as the
 * deprecated {@code struct io_uring_files_update}) and {@code struct io_uring_rsrc_update2} ({@code
 * UPDATE2_*}).
 *
 * <p>Mirrors {@code include/uapi/linux/io_uring.h} of Linux 6.18. The {@code data} and {@code tags}
 * fields are 64-bit user pointers to arrays of {@code nr} entries.
 *
 * <pre>{@code
 * io_uring_rsrc_register (32 bytes)
 * byte  0        4          8             16            24            32
 *       +--------+----------+-------------+-------------+-------------+
 *       | nr u32 | flags u32| resv2 u64   | data u64    | tags u64    |
 *       +--------+----------+-------------+-------------+-------------+
 *
 * io_uring_rsrc_update (16 bytes)
 * byte  0            4          8                16
 *       +------------+----------+----------------+
 *       | offset u32 | resv u32 | data u64       |
 *       +------------+----------+----------------+
 *
 * io_uring_rsrc_update2 (32 bytes)
 * byte  0            4          8            16           24       28          32
 *       +------------+----------+------------+------------+--------+-----------+
 *       | offset u32 | resv u32 | data u64   | tags u64   | nr u32 | resv2 u32 |
 *       +------------+----------+------------+------------+--------+-----------+
 * }</pre>
 */
public final class RsrcLayout {

  /** Size of struct io_uring_rsrc_register in bytes. */
  public static final int REGISTER_SIZE = 32;

  /** Offset in io_uring_rsrc_register of nr, the u32 number of slots. */
  public static final int REGISTER_OFF_NR = 0;

  /** Offset in io_uring_rsrc_register of flags, a u32 such as IORING_RSRC_REGISTER_SPARSE. */
  public static final int REGISTER_OFF_FLAGS = 4;

  /** Offset in io_uring_rsrc_register of resv2, a u64 that must be zero. */
  public static final int REGISTER_OFF_RESV2 = 8;

  /** Offset in io_uring_rsrc_register of data, a u64 pointer to descriptors or iovecs. */
  public static final int REGISTER_OFF_DATA = 16;

  /** Offset in io_uring_rsrc_register of tags, a u64 pointer to u64 tags, or 0. */
  public static final int REGISTER_OFF_TAGS = 24;

  /** Size of struct io_uring_rsrc_update in bytes. */
  public static final int UPDATE_SIZE = 16;

  /** Offset in io_uring_rsrc_update of offset, the u32 first slot to update. */
  public static final int UPDATE_OFF_OFFSET = 0;

  /** Offset in io_uring_rsrc_update of resv, a u32 that must be zero. */
  public static final int UPDATE_OFF_RESV = 4;

  /** Offset in io_uring_rsrc_update of data, a u64 pointer to the new values (fds). */
  public static final int UPDATE_OFF_DATA = 8;

  /** Size of struct io_uring_rsrc_update2 in bytes. */
  public static final int UPDATE2_SIZE = 32;

  /** Offset in io_uring_rsrc_update2 of offset, the u32 first slot to update. */
  public static final int UPDATE2_OFF_OFFSET = 0;

  /** Offset in io_uring_rsrc_update2 of resv, a u32 that must be zero. */
  public static final int UPDATE2_OFF_RESV = 4;

  /** Offset in io_uring_rsrc_update2 of data, a u64 pointer to the new values. */
  public static final int UPDATE2_OFF_DATA = 8;

  /** Offset in io_uring_rsrc_update2 of tags, a u64 pointer to u64 tags, or 0. */
  public static final int UPDATE2_OFF_TAGS = 16;

  /** Offset in io_uring_rsrc_update2 of nr, the u32 number of slots to update. */
  public static final int UPDATE2_OFF_NR = 24;

  /** Offset in io_uring_rsrc_update2 of resv2, a u32 that must be zero. */
  public static final int UPDATE2_OFF_RESV2 = 28;

  /** Not instantiable: this class only holds constants. */
  private RsrcLayout() {}
}
