/**
 * The Linux io_uring ABI as plain Java constants: opcodes, flag bits, errno values and the byte
 * layouts of the structs that cross the system call boundary, with the values of Linux 6.18 on
 * x86_64.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package iouring.api.abi;
