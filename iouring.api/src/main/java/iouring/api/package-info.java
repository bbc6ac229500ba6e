/**
 * The syscall-level interface of the emulated io_uring ({@link iouring.api.IoUringProcess}), the
 * emulated kernel that creates processes ({@link iouring.api.IoUringKernel}), the errors they
 * report, and the liburing-style handle built on them: {@link iouring.api.IoUring}, the Java
 * spelling of liburing's {@code struct io_uring}, with its {@link iouring.api.Sqe} and {@link
 * iouring.api.Cqe} views of ring memory.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package iouring.api;
