package iouring.api.spi;

/**
 * What a provider reports about a file: the fields of {@code struct statx}, in the units Linux
 * uses. Built with {@link #builder()}; immutable.
 */
public final class VfsStat {
  /** The value of a timestamp the provider does not keep. */
  public static final long NO_TIME = Long.MIN_VALUE;

  private final int mode;
  private final int nlink;
  private final int uid;
  private final int gid;
  private final long size;
  private final long blocks;
  private final int blksize;
  private final long ino;
  private final int devMajor;
  private final int devMinor;
  private final long atimeNanos;
  private final long mtimeNanos;
  private final long ctimeNanos;
  private final long btimeNanos;

  private VfsStat(Builder b) {
    this.mode = b.mode;
    this.nlink = b.nlink;
    this.uid = b.uid;
    this.gid = b.gid;
    this.size = b.size;
    this.blocks = b.blocks;
    this.blksize = b.blksize;
    this.ino = b.ino;
    this.devMajor = b.devMajor;
    this.devMinor = b.devMinor;
    this.atimeNanos = b.atimeNanos;
    this.mtimeNanos = b.mtimeNanos;
    this.ctimeNanos = b.ctimeNanos;
    this.btimeNanos = b.btimeNanos;
  }

  /**
   * Returns a builder with every field zero and every timestamp {@link #NO_TIME}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns {@code stx_mode}: the file type ({@code S_IFMT} bits) and permission bits.
   *
   * @return the mode
   */
  public int mode() {
    return mode;
  }

  /**
   * Returns {@code stx_nlink}, the number of hard links.
   *
   * @return the link count
   */
  public int nlink() {
    return nlink;
  }

  /**
   * Returns {@code stx_uid}, the owner.
   *
   * @return the user id
   */
  public int uid() {
    return uid;
  }

  /**
   * Returns {@code stx_gid}, the group.
   *
   * @return the group id
   */
  public int gid() {
    return gid;
  }

  /**
   * Returns {@code stx_size}, in bytes.
   *
   * @return the size
   */
  public long size() {
    return size;
  }

  /**
   * Returns {@code stx_blocks}, the 512-byte blocks allocated; less than the size for a sparse
   * file.
   *
   * @return the block count
   */
  public long blocks() {
    return blocks;
  }

  /**
   * Returns {@code stx_blksize}, the preferred I/O size.
   *
   * @return the block size
   */
  public int blksize() {
    return blksize;
  }

  /**
   * Returns {@code stx_ino}, unique within the provider.
   *
   * @return the inode number
   */
  public long ino() {
    return ino;
  }

  /**
   * Returns {@code stx_dev_major}.
   *
   * @return the device major number
   */
  public int devMajor() {
    return devMajor;
  }

  /**
   * Returns {@code stx_dev_minor}.
   *
   * @return the device minor number
   */
  public int devMinor() {
    return devMinor;
  }

  /**
   * Returns the last access time, in nanoseconds since the epoch.
   *
   * @return the time, or {@link #NO_TIME}
   */
  public long atimeNanos() {
    return atimeNanos;
  }

  /**
   * Returns the last modification time, in nanoseconds since the epoch.
   *
   * @return the time, or {@link #NO_TIME}
   */
  public long mtimeNanos() {
    return mtimeNanos;
  }

  /**
   * Returns the last status change time, in nanoseconds since the epoch.
   *
   * @return the time, or {@link #NO_TIME}
   */
  public long ctimeNanos() {
    return ctimeNanos;
  }

  /**
   * Returns the creation time, in nanoseconds since the epoch.
   *
   * @return the time, or {@link #NO_TIME} where the provider does not keep it
   */
  public long btimeNanos() {
    return btimeNanos;
  }

  /** Builds a {@link VfsStat}. */
  public static final class Builder {
    private int mode;
    private int nlink;
    private int uid;
    private int gid;
    private long size;
    private long blocks;
    private int blksize;
    private long ino;
    private int devMajor;
    private int devMinor;
    private long atimeNanos = NO_TIME;
    private long mtimeNanos = NO_TIME;
    private long ctimeNanos = NO_TIME;
    private long btimeNanos = NO_TIME;

    private Builder() {}

    /**
     * Sets the mode, file type and permission bits.
     *
     * @param value the mode
     * @return this
     */
    public Builder mode(int value) {
      mode = value;
      return this;
    }

    /**
     * Sets the hard link count.
     *
     * @param value the count
     * @return this
     */
    public Builder nlink(int value) {
      nlink = value;
      return this;
    }

    /**
     * Sets the owner.
     *
     * @param value the user id
     * @return this
     */
    public Builder uid(int value) {
      uid = value;
      return this;
    }

    /**
     * Sets the group.
     *
     * @param value the group id
     * @return this
     */
    public Builder gid(int value) {
      gid = value;
      return this;
    }

    /**
     * Sets the size in bytes.
     *
     * @param value the size
     * @return this
     */
    public Builder size(long value) {
      size = value;
      return this;
    }

    /**
     * Sets the number of 512-byte blocks allocated.
     *
     * @param value the count
     * @return this
     */
    public Builder blocks(long value) {
      blocks = value;
      return this;
    }

    /**
     * Sets the preferred I/O size.
     *
     * @param value the size
     * @return this
     */
    public Builder blksize(int value) {
      blksize = value;
      return this;
    }

    /**
     * Sets the inode number.
     *
     * @param value the number
     * @return this
     */
    public Builder ino(long value) {
      ino = value;
      return this;
    }

    /**
     * Sets the device numbers.
     *
     * @param major the major number
     * @param minor the minor number
     * @return this
     */
    public Builder dev(int major, int minor) {
      devMajor = major;
      devMinor = minor;
      return this;
    }

    /**
     * Sets the access, modification and status change times.
     *
     * @param atime the access time, nanoseconds since the epoch
     * @param mtime the modification time
     * @param ctime the status change time
     * @return this
     */
    public Builder times(long atime, long mtime, long ctime) {
      atimeNanos = atime;
      mtimeNanos = mtime;
      ctimeNanos = ctime;
      return this;
    }

    /**
     * Sets the creation time.
     *
     * @param value nanoseconds since the epoch, or {@link VfsStat#NO_TIME}
     * @return this
     */
    public Builder btime(long value) {
      btimeNanos = value;
      return this;
    }

    /**
     * Returns the stat.
     *
     * @return a new immutable stat
     */
    public VfsStat build() {
      return new VfsStat(this);
    }
  }
}
