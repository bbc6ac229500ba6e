package iouring.vfs.memory;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsStat;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/** An open directory of the memory provider: it can be stat'ed, never read or written as bytes. */
final class MemoryDirectoryFile implements VfsFile {
  private final Directory inode;
  private final AtomicBoolean closed = new AtomicBoolean();

  MemoryDirectoryFile(Directory inode) {
    this.inode = inode;
  }

  @Override
  public int read(ByteBuffer dst, long offset) throws VfsException {
    throw isDirectory("read");
  }

  @Override
  public int write(ByteBuffer src, long offset) throws VfsException {
    throw isDirectory("write");
  }

  @Override
  public long size() throws VfsException {
    return stat().size();
  }

  @Override
  public void sync(boolean dataOnly) throws VfsException {
    open();
  }

  @Override
  public void truncate(long size) throws VfsException {
    throw isDirectory("truncate");
  }

  @Override
  public void allocate(int mode, long offset, long length) throws VfsException {
    throw isDirectory("fallocate");
  }

  @Override
  public VfsStat stat() throws VfsException {
    open();
    return inode.stat();
  }

  @Override
  public boolean isDirectory() {
    return true;
  }

  @Override
  public void close() {
    closed.set(true);
  }

  private VfsException isDirectory(String what) throws VfsException {
    open();
    return new VfsException(Errno.EISDIR, what + " of a directory");
  }

  private void open() throws VfsException {
    if (closed.get()) {
      throw new VfsException(Errno.EBADF, "closed");
    }
  }
}
