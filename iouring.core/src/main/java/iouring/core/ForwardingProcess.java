package iouring.core;

import iouring.api.AddressSpace;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import java.nio.ByteBuffer;

/**
 * A process that hands every system call to another one: the base of wrappers that change one call
 * or the process's lifetime and leave the rest alone.
 */
public abstract class ForwardingProcess implements IoUringProcess {
  private final IoUringProcess process;

  /**
   * Creates a wrapper.
   *
   * @param process the process every call goes to
   */
  protected ForwardingProcess(IoUringProcess process) {
    this.process = process;
  }

  /**
   * Returns the process every call goes to.
   *
   * @return the process
   */
  protected final IoUringProcess delegate() {
    return process;
  }

  @Override
  public int setup(int entries, IoUringParams params) {
    return process.setup(entries, params);
  }

  @Override
  public int enter(int fd, int toSubmit, int minComplete, int flags) {
    return process.enter(fd, toSubmit, minComplete, flags);
  }

  @Override
  public int enter(int fd, int toSubmit, int minComplete, int flags, long arg, int argSize) {
    return process.enter(fd, toSubmit, minComplete, flags, arg, argSize);
  }

  @Override
  public int register(int fd, int opcode, long arg, int nrArgs) {
    return process.register(fd, opcode, arg, nrArgs);
  }

  @Override
  public void registerCompletionListener(int fd, Runnable listener) {
    process.registerCompletionListener(fd, listener);
  }

  @Override
  public void unregisterCompletionListener(int fd) {
    process.unregisterCompletionListener(fd);
  }

  @Override
  public ByteBuffer mmap(int fd, long offset, int length) {
    return process.mmap(fd, offset, length);
  }

  @Override
  public int openat(int dirfd, String path, int flags, int mode) {
    return process.openat(dirfd, path, flags, mode);
  }

  @Override
  public int umask(int mask) {
    return process.umask(mask);
  }

  @Override
  public long lseek(int fd, long offset, int whence) {
    return process.lseek(fd, offset, whence);
  }

  @Override
  public void mount(String path, String provider) {
    process.mount(path, provider);
  }

  @Override
  public void unmount(String path) {
    process.unmount(path);
  }

  @Override
  public void close(int fd) {
    process.close(fd);
  }

  @Override
  public AddressSpace memory() {
    return process.memory();
  }

  @Override
  public void close() {
    process.close();
  }
}
