package iouring.api.spi;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An open file description of a provider. Positional methods take an explicit offset; the file
 * position of {@code read(2)} and {@code write(2)} is kept by the emulated kernel, not here.
 * Implementations are safe for concurrent use.
 */
@ConsumerType
public interface VfsFile extends AutoCloseable {

  /**
   * Reads bytes at an offset into the buffer's remaining space, like {@code pread(2)}; advances the
   * buffer's position by the count read.
   *
   * @param dst the destination
   * @param offset the file offset, not negative
   * @return the number of bytes read, 0 at or past the end of the file
   * @throws VfsException {@code EISDIR}, {@code EIO} and the like
   */
  int read(ByteBuffer dst, long offset) throws VfsException;

  /**
   * Writes the buffer's remaining bytes at an offset, like {@code pwrite(2)}; advances the buffer's
   * position by the count written.
   *
   * @param src the source
   * @param offset the file offset, not negative
   * @return the number of bytes written
   * @throws VfsException {@code ENOSPC}, {@code EFBIG}, {@code EIO} and the like
   */
  int write(ByteBuffer src, long offset) throws VfsException;

  /**
   * Returns the file's size in bytes.
   *
   * @return the size
   * @throws VfsException on failure
   */
  long size() throws VfsException;

  /**
   * Flushes the file to stable storage, like {@code fsync(2)} or {@code fdatasync(2)}.
   *
   * @param dataOnly true for {@code fdatasync}: metadata that is not needed to read the data back
   *     may stay unflushed
   * @throws VfsException on failure
   */
  void sync(boolean dataOnly) throws VfsException;

  /**
   * Sets the file's size, like {@code ftruncate(2)}: cutting drops the bytes past the new end,
   * growing adds a hole that reads as zeros.
   *
   * @param size the new size, not negative
   * @throws VfsException {@code EFBIG}, {@code ENOSPC}, {@code EISDIR}
   */
  void truncate(long size) throws VfsException;

  /**
   * Allocates or deallocates space, like {@code fallocate(2)}. Mode 0 makes {@code [offset, offset
   * + length)} allocated and grows the size to cover it; other modes need {@link
   * VfsCapability#FALLOCATE_MODES}.
   *
   * @param mode 0 or {@code FALLOC_FL_*} bits
   * @param offset the first byte, not negative
   * @param length the byte count, positive
   * @throws VfsException {@code ENOSPC}, {@code EFBIG}, {@code EOPNOTSUPP} for an unsupported mode
   */
  void allocate(int mode, long offset, long length) throws VfsException;

  /**
   * Returns the status of this open file, like {@code fstat(2)}.
   *
   * @return the status
   * @throws VfsException on failure
   */
  VfsStat stat() throws VfsException;

  /**
   * Returns whether this file can be read and written at arbitrary offsets; a pipe-like file
   * ignores offsets.
   *
   * @return true for a regular file
   */
  default boolean seekable() {
    return true;
  }

  /**
   * Returns whether this is a directory, which cannot be read or written like a file.
   *
   * @return true for a directory
   */
  boolean isDirectory();

  /** Releases the file description; later calls fail with {@code EBADF}. */
  @Override
  void close();
}
