package iouring.kernel.conformance;

import iouring.api.ErrnoException;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsStat;
import iouring.core.Kernel;
import iouring.vfs.host.HostProvider;
import iouring.vfs.memory.MemoryProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The emulator: one process of an {@link iouring.core.Kernel} whose root is a host directory (the
 * host provider) or, for {@link #inMemory}, a memory provider, whose files the scenario then makes
 * and reads through the provider itself.
 */
final class EmulatorTarget implements Target {
  private final Path directory;
  private final IoUringProcess process;
  private final MemoryProvider memory;

  EmulatorTarget(Path directory) {
    this(directory, null);
  }

  private EmulatorTarget(Path directory, MemoryProvider memory) {
    this.directory = directory;
    this.memory = memory;
    Kernel kernel = new Kernel();
    try {
      kernel.addProvider(
          Kernel.ROOT_PROVIDER, memory != null ? memory : new HostProvider(directory));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.process = kernel.newProcess();
  }

  /** The emulator over a memory provider; the host directory stays unused. */
  static EmulatorTarget inMemory(Path unused) {
    return new EmulatorTarget(unused, new MemoryProvider());
  }

  @Override
  public String name() {
    return memory != null ? "emulator (memory)" : "emulator";
  }

  @Override
  public String absolute(String name) {
    return "/" + name; // the process's root is the scenario's directory
  }

  @Override
  public void writeFile(String name, byte[] contents) throws IOException {
    if (memory == null) {
      Target.super.writeFile(name, contents);
      return;
    }
    try {
      VfsFile file =
          memory.open(name, FileFlags.O_WRONLY | FileFlags.O_CREAT | FileFlags.O_TRUNC, 0644);
      try {
        file.write(ByteBuffer.wrap(contents), 0);
      } finally {
        file.close();
      }
    } catch (VfsException e) {
      throw new IOException(name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void makeDirectory(String name) throws IOException {
    if (memory == null) {
      Target.super.makeDirectory(name);
      return;
    }
    try {
      memory.mkdir(name, 0755);
    } catch (VfsException e) {
      throw new IOException(name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<byte[]> readFile(String name) throws IOException {
    if (memory == null) {
      return Target.super.readFile(name);
    }
    try {
      VfsStat stat = memory.stat(name, true);
      if ((stat.mode() & FileFlags.S_IFMT) == FileFlags.S_IFDIR) {
        return Optional.empty();
      }
      ByteBuffer bytes = ByteBuffer.allocate((int) stat.size());
      VfsFile file = memory.open(name, FileFlags.O_RDONLY, 0);
      try {
        while (bytes.hasRemaining() && file.read(bytes, bytes.position()) > 0) {
          // until the buffer is full or the file ends
        }
      } finally {
        file.close();
      }
      return Optional.of(Arrays.copyOf(bytes.array(), bytes.position()));
    } catch (VfsException e) {
      if (e.errno() == Errno.ENOENT) {
        return null;
      }
      throw new IOException(name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Path directory() {
    return directory;
  }

  @Override
  public int open(String name, int flags) {
    try {
      return process.openat(FileFlags.AT_FDCWD, "/" + name, flags, 0644);
    } catch (ErrnoException e) {
      return -e.errno();
    }
  }

  @Override
  public int close(int fd) {
    try {
      process.close(fd);
      return 0;
    } catch (ErrnoException e) {
      return -e.errno();
    }
  }

  @Override
  public Memory allocate(int size) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    return new Memory(buffer, process.memory().map(buffer));
  }

  @Override
  public int setup(int entries, IoUringParams params) {
    try {
      return process.setup(entries, params);
    } catch (ErrnoException e) {
      return -e.errno();
    }
  }

  @Override
  public ByteBuffer mmap(int ringFd, long offset, int length) {
    return process.mmap(ringFd, offset, length).order(ByteOrder.nativeOrder());
  }

  @Override
  public int enter(int ringFd, int toSubmit, int minComplete, int flags) {
    try {
      return process.enter(ringFd, toSubmit, minComplete, flags);
    } catch (ErrnoException e) {
      return -e.errno();
    }
  }

  @Override
  public int register(int fd, int opcode, long arg, int nrArgs) {
    try {
      return process.register(fd, opcode, arg, nrArgs);
    } catch (ErrnoException e) {
      return -e.errno();
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
