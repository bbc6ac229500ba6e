package iouring.core.handle;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The smallest provider the handle tests need: regular files under a directory, through {@link
 * FileChannel}. iouring.core cannot use iouring.vfs's host provider, so the tests bring their own.
 */
final class TempDirProvider implements VfsProvider {
  private final Path root;

  TempDirProvider(Path root) {
    this.root = root;
  }

  @Override
  public VfsFile open(String path, int flags, int mode) throws VfsException {
    Set<OpenOption> options = new HashSet<>();
    switch (flags & FileFlags.O_ACCMODE) {
      case FileFlags.O_RDONLY:
        options.add(StandardOpenOption.READ);
        break;
      case FileFlags.O_WRONLY:
        options.add(StandardOpenOption.WRITE);
        break;
      default:
        options.add(StandardOpenOption.READ);
        options.add(StandardOpenOption.WRITE);
        break;
    }
    if ((flags & FileFlags.O_CREAT) != 0) {
      options.add(
          (flags & FileFlags.O_EXCL) != 0
              ? StandardOpenOption.CREATE_NEW
              : StandardOpenOption.CREATE);
    }
    if ((flags & FileFlags.O_TRUNC) != 0) {
      options.add(StandardOpenOption.TRUNCATE_EXISTING);
    }
    try {
      return new ChannelFile(FileChannel.open(root.resolve(path), options));
    } catch (NoSuchFileException e) {
      throw new VfsException(Errno.ENOENT, path);
    } catch (FileAlreadyExistsException e) {
      throw new VfsException(Errno.EEXIST, path);
    } catch (IOException e) {
      throw new VfsException(Errno.EIO, path);
    }
  }

  /** A regular file over a {@link FileChannel}. */
  private static final class ChannelFile implements VfsFile {
    private final FileChannel channel;

    ChannelFile(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read(ByteBuffer dst, long offset) throws VfsException {
      try {
        return Math.max(0, channel.read(dst, offset));
      } catch (IOException e) {
        throw new VfsException(Errno.EIO, "read");
      }
    }

    @Override
    public int write(ByteBuffer src, long offset) throws VfsException {
      try {
        return channel.write(src, offset);
      } catch (IOException e) {
        throw new VfsException(Errno.EIO, "write");
      }
    }

    @Override
    public long size() throws VfsException {
      try {
        return channel.size();
      } catch (IOException e) {
        throw new VfsException(Errno.EIO, "size");
      }
    }

    @Override
    public void sync(boolean dataOnly) throws VfsException {
      try {
        channel.force(!dataOnly);
      } catch (IOException e) {
        throw new VfsException(Errno.EIO, "sync");
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
        // nothing to report to: the fd is gone either way, as close(2) leaves it
      }
    }
  }
}
