package iouring.vfs.host;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsStat;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/** An open host directory: a dirfd for relative paths; reading or writing it is {@code EISDIR}. */
final class HostDirectory implements VfsFile {
  private final Path path;
  private final AtomicBoolean closed = new AtomicBoolean();

  HostDirectory(Path path) {
    this.path = path;
  }

  @Override
  public int read(ByteBuffer dst, long offset) throws VfsException {
    throw directoryError();
  }

  @Override
  public int write(ByteBuffer src, long offset) throws VfsException {
    throw directoryError();
  }

  @Override
  public long size() throws VfsException {
    return stat().size();
  }

  @Override
  public void truncate(long size) throws VfsException {
    throw directoryError();
  }

  @Override
  public void allocate(int mode, long offset, long length) throws VfsException {
    throw directoryError();
  }

  @Override
  public VfsStat stat() throws VfsException {
    open();
    return HostProvider.stat(path);
  }

  @Override
  public void sync(boolean dataOnly) throws VfsException {
    open();
  }

  @Override
  public boolean isDirectory() {
    return true;
  }

  @Override
  public void close() {
    closed.set(true);
  }

  private VfsException directoryError() throws VfsException {
    open();
    return new VfsException(Errno.EISDIR, "");
  }

  private void open() throws VfsException {
    if (closed.get()) {
      throw new VfsException(Errno.EBADF, "closed");
    }
  }
}
