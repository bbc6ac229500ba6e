package iouring.api.abi;

/**
 * Byte offsets of {@code struct open_how}, the argument of {@code openat2(2)} and {@code
 * IORING_OP_OPENAT2}.
 *
 * <p>Mirrors {@code include/uapi/linux/openat2.h} of Linux 6.18. The SQE passes its size in {@code
 * len}, which must be at least {@link #OPEN_HOW_SIZE_VER0}.
 *
 * <pre>{@code
 * byte  0               8               16              24
 *       +---------------+---------------+---------------+
 *       | flags (u64)   | mode (u64)    | resolve (u64) |
 *       +---------------+---------------+---------------+
 * }</pre>
 */
public final class OpenHowLayout {

  /** Size of struct open_how in bytes. */
  public static final int SIZE = 24;

  /** Size of the first published version of struct open_how, the smallest accepted. */
  public static final int OPEN_HOW_SIZE_VER0 = 24;

  /** Offset of flags, the u64 O_* open flags. */
  public static final int OFF_FLAGS = 0;

  /** Offset of mode, the u64 creation mode, which must be 0 without O_CREAT or O_TMPFILE. */
  public static final int OFF_MODE = 8;

  /** Offset of resolve, a u64 of RESOLVE_* bits. */
  public static final int OFF_RESOLVE = 16;

  /** Not instantiable: this class only holds constants. */
  private OpenHowLayout() {}
}
