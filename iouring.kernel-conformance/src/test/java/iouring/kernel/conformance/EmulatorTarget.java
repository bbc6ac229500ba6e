package iouring.kernel.conformance;

import iouring.api.ErrnoException;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.FileFlags;
import iouring.core.Kernel;
import iouring.vfs.host.HostProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** The emulator: one process of an {@link iouring.core.Kernel} whose root is a host directory. */
final class EmulatorTarget implements Target {
  private final Path directory;
  private final IoUringProcess process;

  EmulatorTarget(Path directory) {
    this.directory = directory;
    Kernel kernel = new Kernel();
    try {
      kernel.addProvider(Kernel.ROOT_PROVIDER, new HostProvider(directory));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.process = kernel.newProcess();
  }

  @Override
  public String name() {
    return "emulator";
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
