package iouring.core.osgi;

import iouring.api.AddressSpace;
import iouring.api.IoUringKernel;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import java.nio.ByteBuffer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * Publishes one emulated process per client bundle: the service is bundle-scoped, so each bundle
 * that gets it has its own fds and memory, and the process ends when the bundle lets it go.
 */
@Component(service = IoUringProcess.class, scope = ServiceScope.BUNDLE)
public final class ProcessComponent implements IoUringProcess {
  private final IoUringProcess process;

  /**
   * Creates the client bundle's process.
   *
   * @param kernel the kernel that creates it
   */
  @Activate
  public ProcessComponent(@Reference IoUringKernel kernel) {
    this.process = kernel.newProcess();
  }

  @Deactivate
  void deactivate() {
    process.close();
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

  /** Ends the process now, rather than when the client bundle releases the service. */
  @Override
  public void close() {
    process.close();
  }
}
