/**
 * The syscall-level interface of the emulated io_uring ({@link iouring.api.IoUringProcess}), the
 * emulated kernel that creates processes ({@link iouring.api.IoUringKernel}), and the errors they
 * report.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package iouring.api;
