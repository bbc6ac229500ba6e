package iouring.api.abi;

/**
 * Request and result mask bits ({@code STATX_*}), attribute bits ({@code STATX_ATTR_*}) and the
 * byte layout of {@code struct statx}, which {@code IORING_OP_STATX} fills.
 *
 * <p>Mirrors {@code include/uapi/linux/stat.h} of Linux 6.18. All fields are little-endian on
 * x86_64, and each timestamp is a 16-byte {@code struct statx_timestamp}.
 *
 * <pre>{@code
 *          0                 4                 8                 12               16
 *          +-----------------+-----------------+-----------------+----------------+
 *   0x00   | mask            | blksize         | attributes (u64)                 |
 *   0x10   | nlink           | uid             | gid             | mode u16 | pad |
 *   0x20   | ino (u64)                         | size (u64)                       |
 *   0x30   | blocks (u64)                      | attributes_mask (u64)            |
 *   0x40   | atime: struct statx_timestamp (16 bytes)                             |
 *   0x50   | btime                                                                |
 *   0x60   | ctime                                                                |
 *   0x70   | mtime                                                                |
 *   0x80   | rdev_major      | rdev_minor      | dev_major       | dev_minor      |
 *   0x90   | mnt_id (u64)                      | dio_mem_align   | dio_offset_al. |
 *   0xa0   | subvol (u64)                      | atomic_wr_min   | atomic_wr_max  |
 *   0xb0   | atomic_wr_segs  | dio_read_off_al | atomic_wr_max_o | spare          |
 *   0xc0   | spare, 64 bytes up to 0x100                                          |
 *          +-----------------+-----------------+-----------------+----------------+
 *   u32 fields unless marked; atomic_wr_* abbreviates stx_atomic_write_unit_min,
 *   _unit_max, _segments_max and _unit_max_opt.
 *
 * statx_timestamp: tv_sec s64 at 0, tv_nsec u32 at 8, reserved s32 at 12
 * }</pre>
 */
public final class Statx {

  // ---- stx_mask bits ----

  /** Wants or got the file type in stx_mode (S_IFMT bits). */
  public static final int STATX_TYPE = 0x00000001;

  /** Wants or got the permission bits of stx_mode. */
  public static final int STATX_MODE = 0x00000002;

  /** Wants or got stx_nlink. */
  public static final int STATX_NLINK = 0x00000004;

  /** Wants or got stx_uid. */
  public static final int STATX_UID = 0x00000008;

  /** Wants or got stx_gid. */
  public static final int STATX_GID = 0x00000010;

  /** Wants or got stx_atime. */
  public static final int STATX_ATIME = 0x00000020;

  /** Wants or got stx_mtime. */
  public static final int STATX_MTIME = 0x00000040;

  /** Wants or got stx_ctime. */
  public static final int STATX_CTIME = 0x00000080;

  /** Wants or got stx_ino. */
  public static final int STATX_INO = 0x00000100;

  /** Wants or got stx_size. */
  public static final int STATX_SIZE = 0x00000200;

  /** Wants or got stx_blocks. */
  public static final int STATX_BLOCKS = 0x00000400;

  /** Everything that stat(2) returns: STATX_TYPE through STATX_BLOCKS. */
  public static final int STATX_BASIC_STATS = 0x000007ff;

  /** Wants or got stx_btime, the creation time. */
  public static final int STATX_BTIME = 0x00000800;

  /** Got stx_mnt_id. */
  public static final int STATX_MNT_ID = 0x00001000;

  /** Wants or got stx_dio_mem_align and stx_dio_offset_align. */
  public static final int STATX_DIOALIGN = 0x00002000;

  /** Wants or got the unique 64-bit mount ID in stx_mnt_id. */
  public static final int STATX_MNT_ID_UNIQUE = 0x00004000;

  /** Wants or got stx_subvol. */
  public static final int STATX_SUBVOL = 0x00008000;

  /** Wants or got the stx_atomic_write_* fields. */
  public static final int STATX_WRITE_ATOMIC = 0x00010000;

  /** Wants or got stx_dio_read_offset_align. */
  public static final int STATX_DIO_READ_ALIGN = 0x00020000;

  /** Deprecated mask of STATX_BASIC_STATS and STATX_BTIME that will never grow. */
  public static final int STATX_ALL = 0x00000fff;

  /** Bit reserved for a future extension of struct statx; asking for it fails -EINVAL. */
  public static final int STATX__RESERVED = 0x80000000;

  // ---- stx_attributes bits ----

  /** The file system compresses the file. */
  public static final int STATX_ATTR_COMPRESSED = 0x00000004;

  /** The file cannot be modified, deleted or renamed. */
  public static final int STATX_ATTR_IMMUTABLE = 0x00000010;

  /** The file can only be opened for appending. */
  public static final int STATX_ATTR_APPEND = 0x00000020;

  /** The file is skipped by backup programs. */
  public static final int STATX_ATTR_NODUMP = 0x00000040;

  /** The file needs a key to be decrypted by the file system. */
  public static final int STATX_ATTR_ENCRYPTED = 0x00000800;

  /** The directory is an automount trigger. */
  public static final int STATX_ATTR_AUTOMOUNT = 0x00001000;

  /** The path is the root of a mount. */
  public static final int STATX_ATTR_MOUNT_ROOT = 0x00002000;

  /** The file is protected by fs-verity. */
  public static final int STATX_ATTR_VERITY = 0x00100000;

  /** The file is in the DAX (direct CPU access) state. */
  public static final int STATX_ATTR_DAX = 0x00200000;

  /** The file supports atomic writes. */
  public static final int STATX_ATTR_WRITE_ATOMIC = 0x00400000;

  // ---- struct statx layout ----

  /** Size of struct statx in bytes. */
  public static final int STATX_SIZE_BYTES = 256;

  /** Offset of stx_mask, a u32 of the STATX_* bits that were filled in. */
  public static final int OFF_STX_MASK = 0;

  /** Offset of stx_blksize, a u32 preferred I/O block size. */
  public static final int OFF_STX_BLKSIZE = 4;

  /** Offset of stx_attributes, a u64 of STATX_ATTR_* bits. */
  public static final int OFF_STX_ATTRIBUTES = 8;

  /** Offset of stx_nlink, a u32 hard link count. */
  public static final int OFF_STX_NLINK = 16;

  /** Offset of stx_uid, a u32 owner user ID. */
  public static final int OFF_STX_UID = 20;

  /** Offset of stx_gid, a u32 owner group ID. */
  public static final int OFF_STX_GID = 24;

  /** Offset of stx_mode, a u16 of file type and permission bits. */
  public static final int OFF_STX_MODE = 28;

  /** Offset of stx_ino, a u64 inode number. */
  public static final int OFF_STX_INO = 32;

  /** Offset of stx_size, a u64 file size in bytes. */
  public static final int OFF_STX_SIZE = 40;

  /** Offset of stx_blocks, a u64 count of allocated 512-byte blocks. */
  public static final int OFF_STX_BLOCKS = 48;

  /** Offset of stx_attributes_mask, a u64 of the STATX_ATTR_* bits the file system supports. */
  public static final int OFF_STX_ATTRIBUTES_MASK = 56;

  /** Offset of stx_atime, the last access time. */
  public static final int OFF_STX_ATIME = 64;

  /** Offset of stx_btime, the creation time. */
  public static final int OFF_STX_BTIME = 80;

  /** Offset of stx_ctime, the last status change time. */
  public static final int OFF_STX_CTIME = 96;

  /** Offset of stx_mtime, the last modification time. */
  public static final int OFF_STX_MTIME = 112;

  /** Offset of stx_rdev_major, a u32 major number of the device a special file stands for. */
  public static final int OFF_STX_RDEV_MAJOR = 128;

  /** Offset of stx_rdev_minor, a u32 minor number of the device a special file stands for. */
  public static final int OFF_STX_RDEV_MINOR = 132;

  /** Offset of stx_dev_major, a u32 major number of the device holding the file. */
  public static final int OFF_STX_DEV_MAJOR = 136;

  /** Offset of stx_dev_minor, a u32 minor number of the device holding the file. */
  public static final int OFF_STX_DEV_MINOR = 140;

  /** Offset of stx_mnt_id, a u64 mount ID. */
  public static final int OFF_STX_MNT_ID = 144;

  /** Offset of stx_dio_mem_align, a u32 memory alignment for direct I/O. */
  public static final int OFF_STX_DIO_MEM_ALIGN = 152;

  /** Offset of stx_dio_offset_align, a u32 file offset alignment for direct I/O. */
  public static final int OFF_STX_DIO_OFFSET_ALIGN = 156;

  /** Offset of stx_subvol, a u64 subvolume ID. */
  public static final int OFF_STX_SUBVOL = 160;

  /** Offset of stx_atomic_write_unit_min, a u32 smallest atomic write in bytes. */
  public static final int OFF_STX_ATOMIC_WRITE_UNIT_MIN = 168;

  /** Offset of stx_atomic_write_unit_max, a u32 largest atomic write in bytes. */
  public static final int OFF_STX_ATOMIC_WRITE_UNIT_MAX = 172;

  /** Offset of stx_atomic_write_segments_max, a u32 largest segment count of an atomic write. */
  public static final int OFF_STX_ATOMIC_WRITE_SEGMENTS_MAX = 176;

  /** Offset of stx_dio_read_offset_align, a u32 file offset alignment for direct reads. */
  public static final int OFF_STX_DIO_READ_OFFSET_ALIGN = 180;

  /** Offset of stx_atomic_write_unit_max_opt, a u32 optimised largest atomic write. */
  public static final int OFF_STX_ATOMIC_WRITE_UNIT_MAX_OPT = 184;

  /** Size of struct statx_timestamp in bytes. */
  public static final int STATX_TIMESTAMP_SIZE = 16;

  /** Offset of tv_sec, an s64 of seconds since the epoch, within a statx_timestamp. */
  public static final int OFF_TS_TV_SEC = 0;

  /** Offset of tv_nsec, a u32 of nanoseconds (0 to 999999999), within a statx_timestamp. */
  public static final int OFF_TS_TV_NSEC = 8;

  /** Offset of the reserved s32 within a statx_timestamp. */
  public static final int OFF_TS_RESERVED = 12;

  /** Not instantiable: this class only holds constants. */
  private Statx() {}
}
