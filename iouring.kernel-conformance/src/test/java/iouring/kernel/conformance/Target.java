package iouring.kernel.conformance;

import iouring.api.IoUringParams;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a scenario runs on: the emulator or the machine's kernel. Every call that can fail returns
 * {@code -errno} instead of throwing, as the raw syscall does, so that both sides report failures
 * the same way. Files live in a private directory that the test reads back through {@code
 * java.nio.file}.
 */
interface Target extends AutoCloseable {

  /** Returns a short name for reports: {@code emulator} or {@code Linux <release>}. */
  String name();

  /** Returns the host directory that holds the scenario's files. */
  Path directory();

  /** Returns the absolute path the target's own calls know a name of the directory by. */
  default String absolute(String name) {
    return directory().resolve(name).toString();
  }

  /** Creates or replaces a file of the scenario's directory with the given bytes. */
  default void writeFile(String name, byte[] contents) throws IOException {
    Files.write(directory().resolve(name), contents);
  }

  /** Creates a directory in the scenario's directory. */
  default void makeDirectory(String name) throws IOException {
    Files.createDirectory(directory().resolve(name));
  }

  /**
   * Describes what a name of the scenario's directory holds, a symlink followed: {@code null} if
   * nothing, an empty optional for a directory, else the file's bytes.
   */
  default java.util.Optional<byte[]> readFile(String name) throws IOException {
    Path p = directory().resolve(name);
    if (Files.isDirectory(p)) {
      return java.util.Optional.empty();
    }
    return Files.exists(p) ? java.util.Optional.of(Files.readAllBytes(p)) : null;
  }

  /** Opens {@code name}, relative to the directory ({@code "."} for itself); the fd or -errno. */
  int open(String name, int flags);

  /** Closes a file descriptor; 0 or -errno. */
  int close(int fd);

  /** Returns {@code size} zeroed bytes of application memory, valid until the target closes. */
  Memory allocate(int size);

  /** Calls {@code io_uring_setup}; the ring fd or -errno, with {@code params} filled in. */
  int setup(int entries, IoUringParams params);

  /** Maps {@code length} bytes of a ring at {@code offset} ({@code IORING_OFF_*}). */
  ByteBuffer mmap(int ringFd, long offset, int length);

  /** Calls {@code io_uring_enter} without a wait argument; the count or -errno. */
  int enter(int ringFd, int toSubmit, int minComplete, int flags);

  /** Calls {@code io_uring_register}; the result or -errno. */
  int register(int fd, int opcode, long arg, int nrArgs);

  /** Releases everything the target holds: fds, mappings, memory. */
  @Override
  void close();

  /**
   * Application memory.
   *
   * @param buffer the bytes, native order
   * @param address the address SQEs and iovecs carry
   */
  record Memory(ByteBuffer buffer, long address) {}
}
