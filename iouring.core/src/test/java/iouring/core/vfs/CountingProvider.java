package iouring.core.vfs;

import iouring.api.spi.VfsCapability;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsProvider;
import iouring.api.spi.VfsStat;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a provider and counts the file descriptions it hands out and gets back: every successful
 * {@code open}, every first {@code close} of such a file, and every further {@code close} of a file
 * closed already. A kernel that leaks nothing ends with {@link #open()} at 0 and {@link
 * #extraCloses()} at 0.
 */
public final class CountingProvider implements VfsProvider {
  private final VfsProvider target;
  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private final AtomicInteger extraCloses = new AtomicInteger();
  private final AtomicInteger inCalls = new AtomicInteger();
  private final AtomicInteger readsStarted = new AtomicInteger();

  /**
   * Wraps a provider.
   *
   * @param target the provider that does the work
   */
  public CountingProvider(VfsProvider target) {
    this.target = target;
  }

  /** Returns the files opened through this provider and not closed yet. */
  public int open() {
    return opened.get() - closed.get();
  }

  /** Returns the files opened through this provider so far. */
  public int opened() {
    return opened.get();
  }

  /** Returns the number of closes of a file that was closed already. */
  public int extraCloses() {
    return extraCloses.get();
  }

  /** Returns the reads, writes and syncs of open files that have started and not returned. */
  public int inCalls() {
    return inCalls.get();
  }

  /** Returns the reads of open files that have started, returned or not. */
  public int readsStarted() {
    return readsStarted.get();
  }

  @Override
  public VfsFile open(String path, int flags, int mode) throws VfsException {
    VfsFile file = target.open(path, flags, mode);
    opened.incrementAndGet();
    return new Counted(file);
  }

  @Override
  public Set<VfsCapability> capabilities() {
    return target.capabilities();
  }

  @Override
  public VfsStat stat(String path, boolean followLinks) throws VfsException {
    return target.stat(path, followLinks);
  }

  @Override
  public void mkdir(String path, int mode) throws VfsException {
    target.mkdir(path, mode);
  }

  @Override
  public void unlink(String path) throws VfsException {
    target.unlink(path);
  }

  @Override
  public void rmdir(String path) throws VfsException {
    target.rmdir(path);
  }

  @Override
  public void rename(String from, String to, int flags) throws VfsException {
    target.rename(from, to, flags);
  }

  @Override
  public List<String> list(String path) throws VfsException {
    return target.list(path);
  }

  /** A file whose closes are counted. */
  private final class Counted implements VfsFile {
    private final VfsFile file;
    private final AtomicInteger closes = new AtomicInteger();

    Counted(VfsFile file) {
      this.file = file;
    }

    @Override
    public int read(ByteBuffer dst, long offset) throws VfsException {
      readsStarted.incrementAndGet();
      inCalls.incrementAndGet();
      try {
        return file.read(dst, offset);
      } finally {
        inCalls.decrementAndGet();
      }
    }

    @Override
    public int write(ByteBuffer src, long offset) throws VfsException {
      inCalls.incrementAndGet();
      try {
        return file.write(src, offset);
      } finally {
        inCalls.decrementAndGet();
      }
    }

    @Override
    public long size() throws VfsException {
      return file.size();
    }

    @Override
    public void sync(boolean dataOnly) throws VfsException {
      inCalls.incrementAndGet();
      try {
        file.sync(dataOnly);
      } finally {
        inCalls.decrementAndGet();
      }
    }

    @Override
    public void truncate(long size) throws VfsException {
      file.truncate(size);
    }

    @Override
    public void allocate(int mode, long offset, long length) throws VfsException {
      file.allocate(mode, offset, length);
    }

    @Override
    public VfsStat stat() throws VfsException {
      return file.stat();
    }

    @Override
    public boolean seekable() {
      return file.seekable();
    }

    @Override
    public boolean isDirectory() {
      return file.isDirectory();
    }

    @Override
    public void close() {
      if (closes.getAndIncrement() == 0) {
        closed.incrementAndGet();
      } else {
        extraCloses.incrementAndGet();
      }
      file.close();
    }
  }
}
