package iouring.core.fd;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsProvider;
import iouring.api.spi.VfsStat;
import iouring.core.vfs.ProviderRegistry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An open regular file or directory: the provider's file, the access mode and status flags it was
 * opened with, and the file position that {@code read(2)}, {@code write(2)} and ring requests with
 * offset -1 use.
 */
public final class OpenFile extends FileDescription implements ProviderRegistry.Revocable {
  private final VfsProvider provider;
  private final ProviderRegistry registry;
  private final int flags;
  private final String path;

  /**
   * The provider's file, until it is closed or revoked; then a file that fails with EIO. Swapped
   * out atomically, so that a revocation racing the last release closes the provider's file once.
   */
  private volatile VfsFile file;

  private static final VarHandle FILE;

  static {
    try {
      FILE = MethodHandles.lookup().findVarHandle(OpenFile.class, "file", VfsFile.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Serializes requests that use and advance the position, as Linux's {@code f_pos_lock}. */
  private final ReentrantLock positionLock = new ReentrantLock();

  private long position;

  /**
   * Wraps a provider file; with a registry, records it as open on its provider, so that it is
   * revoked if the provider leaves.
   *
   * @param file the provider's open file
   * @param flags the {@code O_*} flags it was opened with
   * @param path the absolute path it was opened by
   * @param provider the provider that opened it
   * @param registry where its provider is known by name, or null for a provider mounted directly
   */
  public OpenFile(
      VfsFile file, int flags, String path, VfsProvider provider, ProviderRegistry registry) {
    this.file = file;
    this.flags = flags;
    this.path = path;
    this.provider = provider;
    this.registry = registry;
    if (registry != null) {
      registry.opened(provider, this);
    }
  }

  /**
   * Returns whether the file's provider left, so that every operation fails with {@code EIO}.
   *
   * @return true once revoked (or freed)
   */
  public boolean revoked() {
    return file == REVOKED;
  }

  /**
   * Cuts this file off from a provider that left: its provider file is closed, and every later
   * operation fails with {@code EIO}, as I/O on a file of a yanked device does.
   */
  @Override
  public void revoke() {
    closeProviderFile();
  }

  /**
   * Returns the errno a request reports for a provider failure on this file: {@code EIO} once the
   * file was revoked, since a provider that left mid-call closed the file under the call and its
   * own error (a closed channel's {@code EBADF}) would say nothing true about the fd; otherwise the
   * provider's errno.
   *
   * @param e what the provider threw
   * @return the positive errno
   */
  public int errno(VfsException e) {
    return revoked() ? Errno.EIO : e.errno();
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
    if (registry != null) {
      registry.closed(provider, this);
    }
    closeProviderFile();
  }

  /** Closes the provider's file, once, whichever of revocation and release comes first. */
  private void closeProviderFile() {
    VfsFile old = (VfsFile) FILE.getAndSet(this, REVOKED);
    if (old != REVOKED) {
      old.close();
    }
  }

  /** The file of a description whose provider left. */
  private static final VfsFile REVOKED =
      new VfsFile() {
        @Override
        public int read(ByteBuffer dst, long offset) throws VfsException {
          throw gone();
        }

        @Override
        public int write(ByteBuffer src, long offset) throws VfsException {
          throw gone();
        }

        @Override
        public long size() throws VfsException {
          throw gone();
        }

        @Override
        public void sync(boolean dataOnly) throws VfsException {
          throw gone();
        }

        @Override
        public void truncate(long size) throws VfsException {
          throw gone();
        }

        @Override
        public void allocate(int mode, long offset, long length) throws VfsException {
          throw gone();
        }

        @Override
        public VfsStat stat() throws VfsException {
          throw gone();
        }

        @Override
        public boolean isDirectory() {
          return false;
        }

        @Override
        public void close() {}

        private VfsException gone() {
          return new VfsException(Errno.EIO, "the file's provider is gone");
        }
      };
}
