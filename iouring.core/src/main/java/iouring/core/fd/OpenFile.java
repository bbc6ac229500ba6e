package iouring.core.fd;

import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsFile;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An open regular file or directory: the provider's file, the access mode and status flags it was
 * opened with, and the file position that {@code read(2)}, {@code write(2)} and ring requests with
 * offset -1 use.
 */
public final class OpenFile extends FileDescription {
  private final VfsFile file;
  private final int flags;
  private final String path;

  /** Serializes requests that use and advance the position, as Linux's {@code f_pos_lock}. */
  private final ReentrantLock positionLock = new ReentrantLock();

  private long position;

  /**
   * Wraps a provider file.
   *
   * @param file the provider's open file
   * @param flags the {@code O_*} flags it was opened with
   * @param path the path it was opened by, for diagnostics
   */
  public OpenFile(VfsFile file, int flags, String path) {
    this.file = file;
    this.flags = flags;
    this.path = path;
  }

  /**
   * Returns the provider's file.
   *
   * @return the file
   */
  public VfsFile file() {
    return file;
  }

  /**
   * Returns the {@code O_*} flags the file was opened with.
   *
   * @return the flags
   */
  public int flags() {
    return flags;
  }

  /**
   * Returns the path the file was opened by.
   *
   * @return the path
   */
  public String path() {
    return path;
  }

  /**
   * Returns whether the file was opened for reading.
   *
   * @return true for {@code O_RDONLY} and {@code O_RDWR}
   */
  public boolean readable() {
    int mode = flags & FileFlags.O_ACCMODE;
    return (flags & FileFlags.O_PATH) == 0
        && (mode == FileFlags.O_RDONLY || mode == FileFlags.O_RDWR);
  }

  /**
   * Returns whether the file was opened for writing.
   *
   * @return true for {@code O_WRONLY} and {@code O_RDWR}
   */
  public boolean writable() {
    int mode = flags & FileFlags.O_ACCMODE;
    return (flags & FileFlags.O_PATH) == 0
        && (mode == FileFlags.O_WRONLY || mode == FileFlags.O_RDWR);
  }

  /**
   * Returns the lock that guards the file position; hold it across a read or write at the position.
   *
   * @return the lock
   */
  public ReentrantLock positionLock() {
    return positionLock;
  }

  /**
   * Returns the file position; the caller holds {@link #positionLock()}.
   *
   * @return the position
   */
  public long position() {
    return position;
  }

  /**
   * Sets the file position; the caller holds {@link #positionLock()}.
   *
   * @param newPosition the position, not negative
   */
  public void position(long newPosition) {
    this.position = newPosition;
  }

  @Override
  protected void free() {
    file.close();
  }
}
