package iouring.vfs.host;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import java.nio.ByteBuffer;

/** An open host directory: a dirfd for relative paths; reading or writing it is {@code EISDIR}. */
final class HostDirectory implements VfsFile {
  @Override
  public int read(ByteBuffer dst, long offset) throws VfsException {
    throw new VfsException(Errno.EISDIR, "");
  }

  @Override
  public int write(ByteBuffer src, long offset) throws VfsException {
    throw new VfsException(Errno.EISDIR, "");
  }

  @Override
  public long size() {
    return 4096;
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
