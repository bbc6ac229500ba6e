package iouring.vfs.host;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsStat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A regular host file, read and written through a positional {@link FileChannel}. The access mode
 * is checked here, with Linux's errnos, rather than left to the channel's unchecked exceptions.
 */
final class HostFile implements VfsFile {
  private final FileChannel channel;
  private final Path path;
  private final boolean readable;
  private final boolean writable;

  HostFile(FileChannel channel, Path path, int flags) {
    this.channel = channel;
    this.path = path;
    int access = flags & FileFlags.O_ACCMODE;
    this.readable = access == FileFlags.O_RDONLY || access == FileFlags.O_RDWR;
    this.writable = access == FileFlags.O_WRONLY || access == FileFlags.O_RDWR;
  }

  @Override
  public int read(ByteBuffer dst, long offset) throws VfsException {
    check(readable, offset);
    try {
      return Math.max(channel.read(dst, offset), 0);
    } catch (IOException e) {
      throw HostErrors.errno(e, "");
    }
  }

  @Override
  public int write(ByteBuffer src, long offset) throws VfsException {
    check(writable, offset);
    try {
      return channel.write(src, offset);
    } catch (IOException e) {
      throw HostErrors.errno(e, "");
    }
  }

  @Override
  public long size() throws VfsException {
    open();
    try {
      return channel.size();
    } catch (IOException e) {
      throw HostErrors.errno(e, "");
    }
  }

  @Override
  public void sync(boolean dataOnly) throws VfsException {
    open();
    try {
      channel.force(!dataOnly);
    } catch (IOException e) {
      throw HostErrors.errno(e, "");
    }
  }

  @Override
  public void truncate(long size) throws VfsException {
    open();
    if (!writable || size < 0) {
      throw new VfsException(Errno.EINVAL, "ftruncate to " + size); // ftruncate(2)'s errno
    }
    try {
      long current = channel.size();
      if (size < current) {
        channel.truncate(size);
      } else if (size > current) {
        channel.write(ByteBuffer.allocate(1), size - 1); // the bytes between read as zeros
      }
    } catch (IOException e) {
      throw HostErrors.errno(e, "");
    }
  }

  @Override
  public void allocate(int mode, long offset, long length) throws VfsException {
    open();
    if (offset < 0 || length <= 0) {
      throw new VfsException(Errno.EINVAL, "fallocate range " + offset + "+" + length);
    }
    if (mode != 0) {
      // The JDK has no fallocate(2); without it no mode but plain allocation can be honest.
      throw new VfsException(Errno.EOPNOTSUPP, "fallocate mode " + mode + " on a host file");
    }
    if (!writable) {
      throw new VfsException(Errno.EBADF, "fallocate of a file not open for writing");
    }
    long end = offset + length;
    if (end < 0) {
      throw new VfsException(Errno.EFBIG, "fallocate end past 2^63");
    }
    try {
      if (end > channel.size()) {
        channel.write(ByteBuffer.allocate(1), end - 1);
      }
    } catch (IOException e) {
      throw HostErrors.errno(e, "");
    }
  }

  @Override
  public VfsStat stat() throws VfsException {
    open();
    return HostProvider.stat(path);
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
    if (!channel.isOpen()) {
      throw new VfsException(Errno.EBADF, "closed");
    }
  }
}
