package iouring.api.abi;

/**
 * Byte offsets of {@code struct iovec}, the scatter-gather element of vectored reads and writes.
 *
 * <p>Mirrors {@code include/uapi/linux/uio.h} on x86_64, where both fields are 64-bit.
 *
 * <pre>{@code
 * byte  0                   8                  16
 *       +-------------------+------------------+
 *       | iov_base (u64)    | iov_len (u64)    |
 *       +-------------------+------------------+
 * }</pre>
 */
public final class IovecLayout {

  /** Size of struct iovec in bytes. */
  public static final int SIZE = 16;

  /** Offset of iov_base, the u64 start address of the buffer. */
  public static final int OFF_IOV_BASE = 0;

  /** Offset of iov_len, the u64 length of the buffer in bytes. */
  public static final int OFF_IOV_LEN = 8;

  /** Not instantiable: this class only holds constants. */
  private IovecLayout() {}
}
