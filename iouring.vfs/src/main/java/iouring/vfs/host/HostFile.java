package iouring.vfs.host;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsStat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** A regular host file, read and written through a positional {@link FileChannel}. */
final class HostFile implements VfsFile {
  private final FileChannel channel;
  private final Path path;

  HostFile(FileChannel channel, Path path) {
    this.channel = channel;
    this.path = path;
  }

  @Override
  public int read(ByteBuffer dst, long offset) throws VfsException {
    try {
      int n = channel.read(dst, offset);
      return Math.max(n, 0);
    } catch (IOException e) {
      throw HostProvider.errno(e, "");
    }
  }

  @Override
  public int write(ByteBuffer src, long offset) throws VfsException {
    try {
      return channel.write(src, offset);
    } catch (IOException e) {
      throw HostProvider.errno(e, "");
    }
  }

  @Override
  public long size() throws VfsException {
    try {
      return channel.size();
    } catch (IOException e) {
      throw HostProvider.errno(e, "");
    }
  }

  @Override
  public void sync(boolean dataOnly) throws VfsException {
    try {
      channel.force(!dataOnly);
    } catch (IOException e) {
      throw HostProvider.errno(e, "");
    }
  }

  @Override
  public void truncate(long size) throws VfsException {
    try {
      long current = channel.size();
      if (size < current) {
        channel.truncate(size);
      } else if (size > current) {
        channel.write(ByteBuffer.allocate(1), size - 1); // the bytes between read as zeros
      }
    } catch (IOException e) {
      throw HostProvider.errno(e, "");
    }
  }

  @Override
  public void allocate(int mode, long offset, long length) throws VfsException {
    if (mode != 0) {
      throw new VfsException(Errno.EOPNOTSUPP, "fallocate mode " + mode + " on a host file");
    }
    try {
      long end = offset + length;
      if (end > channel.size()) {
        channel.write(ByteBuffer.allocate(1), end - 1);
      }
    } catch (IOException e) {
      throw HostProvider.errno(e, "");
    }
  }

  @Override
  public VfsStat stat() throws VfsException {
    return HostProvider.stat(path, true);
  }

  @Override
  public boolean isDirectory() {
    return false;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing a read-only or already synced channel cannot lose data; nothing to report.
    }
  }
}
