package iouring.vfs.host;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsStat;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** An open host directory: a dirfd for relative paths; reading or writing it is {@code EISDIR}. */
final class HostDirectory implements VfsFile {
  private final Path path;

  HostDirectory(Path path) {
    this.path = path;
  }

  @Override
  public int read(ByteBuffer dst, long offset) throws VfsException {
    throw new VfsException(Errno.EISDIR, "");
  }

  @Override
  public int write(ByteBuffer src, long offset) throws VfsException {
    throw new VfsException(Errno.EISDIR, "");
  }

  @Override
  public long size() throws VfsException {
    return stat().size();
  }

  @Override
  public void truncate(long size) throws VfsException {
    throw new VfsException(Errno.EISDIR, "");
  }

  @Override
  public void allocate(int mode, long offset, long length) throws VfsException {
    throw new VfsException(Errno.EISDIR, "");
  }

  @Override
  public VfsStat stat() throws VfsException {
    return HostProvider.stat(path, true);
  }

  @Override
  public void sync(boolean dataOnly) {}

  @Override
  public boolean isDirectory() {
    return true;
  }

  @Override
  public void close() {}
}
