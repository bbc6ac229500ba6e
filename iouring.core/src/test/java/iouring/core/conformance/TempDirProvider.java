package iouring.core.conformance;

import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Files under a test's temporary directory, each a {@link FileChannel}: just enough of a provider
 * for ring tests that read and write real files. A directory opens (read-only) as a file whose
 * {@link VfsFile#isDirectory()} is true.
 */
final class TempDirProvider implements VfsProvider {
  private final Path root;

  TempDirProvider(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public VfsFile open(String path, int flags, int mode) throws VfsException {
    Path target = root.resolve(path).normalize();
    if (!target.startsWith(root)) {
      throw new VfsException(Errno.EXDEV, path);
    }
    int access = flags & FileFlags.O_ACCMODE;
    if (Files.isDirectory(target)) {
      if (access != FileFlags.O_RDONLY) {
        throw new VfsException(Errno.EISDIR, path);
      }
      return new Directory();
    }
    Set<OpenOption> options = new HashSet<>();
    if (access == FileFlags.O_RDONLY || access == FileFlags.O_RDWR) {
      options.add(StandardOpenOption.READ);
    }
    if (access == FileFlags.O_WRONLY || access == FileFlags.O_RDWR) {
      options.add(StandardOpenOption.WRITE);
    }
    if ((flags & FileFlags.O_CREAT) != 0) {
      options.add(StandardOpenOption.CREATE);
      options.add(StandardOpenOption.WRITE); // the JDK creates only files it opens for writing
    }
    if ((flags & FileFlags.O_TRUNC) != 0 && access != FileFlags.O_RDONLY) {
      options.add(StandardOpenOption.TRUNCATE_EXISTING);
    }
    try {
      return new ChannelFile(FileChannel.open(target, options));
    } catch (NoSuchFileException e) {
      throw new VfsException(Errno.ENOENT, path);
    } catch (FileAlreadyExistsException e) {
      throw new VfsException(Errno.EEXIST, path);
    } catch (IOException e) {
      throw new VfsException(Errno.EIO, path + ": " + e.getMessage());
    }
  }

  /** A regular file. */
  private static final class ChannelFile implements VfsFile {
    private final FileChannel channel;

    ChannelFile(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read(ByteBuffer dst, long offset) throws VfsException {
      try {
        int n = channel.read(dst, offset);
        return Math.max(n, 0); // -1 at end of file
      } catch (IOException e) {
        throw new VfsException(Errno.EIO, e.getMessage());
      }
    }

    @Override
    public int write(ByteBuffer src, long offset) throws VfsException {
      try {
        return channel.write(src, offset);
      } catch (IOException e) {
        throw new VfsException(Errno.EIO, e.getMessage());
      }
    }

    @Override
    public long size() throws VfsException {
      try {
        return channel.size();
      } catch (IOException e) {
        throw new VfsException(Errno.EIO, e.getMessage());
      }
    }

    @Override
    public void sync(boolean dataOnly) throws VfsException {
      try {
        channel.force(!dataOnly);
      } catch (IOException e) {
        throw new VfsException(Errno.EIO, e.getMessage());
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
        // nothing to report to: the fd is gone either way
      }
    }
  }

  /** A directory: it can be opened, but not read or written. */
  private static final class Directory implements VfsFile {
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
      return 0;
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
}
