package iouring.api.spi;

/**
 * The space of a file system, what {@code statfs(2)} reports as block counts, in bytes: its size,
 * the bytes not in use, and the bytes an unprivileged writer may still use.
 */
public final class VfsSpace {
  private final long totalBytes;
  private final long freeBytes;
  private final long availableBytes;
  private final int blockSize;

  /**
   * Creates a space report.
   *
   * @param totalBytes the size of the file system ({@code f_blocks})
   * @param freeBytes the bytes not in use ({@code f_bfree}), at most {@code totalBytes}
   * @param availableBytes the bytes an unprivileged writer may use ({@code f_bavail}), at most
   *     {@code freeBytes}
   * @param blockSize the preferred block size ({@code f_bsize}), positive
   * @throws IllegalArgumentException if a count is negative or out of that order, or the block size
   *     is not positive
   */
  public VfsSpace(long totalBytes, long freeBytes, long availableBytes, int blockSize) {
    if (availableBytes < 0 || freeBytes < availableBytes || totalBytes < freeBytes) {
      throw new IllegalArgumentException(
          "space total " + totalBytes + ", free " + freeBytes + ", available " + availableBytes);
    }
    if (blockSize <= 0) {
      throw new IllegalArgumentException("block size " + blockSize);
    }
    this.totalBytes = totalBytes;
    this.freeBytes = freeBytes;
    this.availableBytes = availableBytes;
    this.blockSize = blockSize;
  }

  /**
   * Returns the size of the file system.
   *
   * @return bytes
   */
  public long totalBytes() {
    return totalBytes;
  }

  /**
   * Returns the bytes not in use.
   *
   * @return bytes
   */
  public long freeBytes() {
    return freeBytes;
  }

  /**
   * Returns the bytes an unprivileged writer may still use.
   *
   * @return bytes
   */
  public long availableBytes() {
    return availableBytes;
  }

  /**
   * Returns the preferred block size.
   *
   * @return bytes
   */
  public int blockSize() {
    return blockSize;
  }

  @Override
  public String toString() {
    return "VfsSpace[total="
        + totalBytes
        + ", free="
        + freeBytes
        + ", available="
        + availableBytes
        + ", blockSize="
        + blockSize
        + "]";
  }
}
