package iouring.vfs.memory;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsStat;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open regular file of the memory provider. Data I/O goes straight to the file's pages, never
 * through the provider's namespace lock.
 */
final class MemoryFile implements VfsFile {
  private final RegularFile inode;
  private final boolean readable;
  private final boolean writable;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Opens a file that the caller has already counted with {@link RegularFile#opened()}. */
  MemoryFile(RegularFile inode, int flags) {
    this.inode = inode;
    int access = flags & FileFlags.O_ACCMODE;
    this.readable = access == FileFlags.O_RDONLY || access == FileFlags.O_RDWR;
    this.writable = access == FileFlags.O_WRONLY || access == FileFlags.O_RDWR;
  }

  @Override
  public int read(ByteBuffer dst, long offset) throws VfsException {
    check(readable, offset);
    int n = inode.data().read(dst, offset);
    inode.accessed();
    return n;
  }

  @Override
  public int write(ByteBuffer src, long offset) throws VfsException {
    check(writable, offset);
    int n = inode.data().write(src, offset);
    if (n > 0) {
      inode.modified();
    }
    return n;
  }

  @Override
  public long size() throws VfsException {
    open();
    return inode.data().size();
  }

  @Override
  public void sync(boolean dataOnly) throws VfsException {
    open(); // memory is as stable as this storage gets
  }

  @Override
  public void truncate(long size) throws VfsException {
    open();
    if (!writable) {
      throw new VfsException(Errno.EINVAL, "not open for writing"); // ftruncate(2) says EINVAL
    }
    if (inode.data().truncate(size)) {
      inode.modified(); // tmpfs leaves the times alone when the size stays
    }
  }

  @Override
  public void allocate(int mode, long offset, long length) throws VfsException {
    check(writable, 0);
    inode.data().allocate(mode, offset, length);
    inode.modified();
  }

  @Override
  public VfsStat stat() throws VfsException {
    open();
    return inode.stat();
  }

  @Override
  public boolean isDirectory() {
    return false;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      inode.closed();
    }
  }

  /** Fails on a closed description, a mode that forbids the access, or a negative offset. */
  private void check(boolean allowed, long offset) throws VfsException {
    open();
    if (!allowed) {
      throw new VfsException(Errno.EBADF, "not open for this access");
    }
    if (offset < 0) {
      throw new VfsException(Errno.EINVAL, "offset " + offset);
    }
  }

  private void open() throws VfsException {
    if (closed.get()) {
      throw new VfsException(Errno.EBADF, "closed");
    }
  }
}
