package iouring.vfs.host;

import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A regular host file, read and written through a positional {@link FileChannel}. */
final class HostFile implements VfsFile {
  private final FileChannel channel;

  HostFile(FileChannel channel) {
    this.channel = channel;
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
