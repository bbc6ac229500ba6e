package iouring.vfs;

import static iouring.api.abi.FileFlags.O_CREAT;
import static iouring.api.abi.FileFlags.O_RDONLY;
import static iouring.api.abi.FileFlags.O_TRUNC;
import static iouring.api.abi.FileFlags.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsCapability;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsProvider;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.function.Executable;

/** What every part of the provider contract uses: the provider under test and small helpers. */
public interface ProviderFixture {
  /**
   * Returns the provider under test, fresh and empty for each test.
   *
   * @return the provider
   */
  VfsProvider provider();

  /**
   * Returns whether the provider refuses a file of 2^62 bytes with {@code EFBIG}, as the memory
   * provider (64 TiB) and ext4 (16 TiB) do. tmpfs, XFS and Btrfs take files up to 2^63 - 1 bytes,
   * so a host provider over them says false.
   *
   * @return true if files stop below 2^62 bytes
   */
  default boolean refusesHugeFiles() {
    return true;
  }

  /** Skips the test unless the provider has a capability. */
  default void assume(VfsCapability capability) {
    assumeTrue(provider().capabilities().contains(capability), "provider lacks " + capability);
  }

  /** Returns whether the provider has a capability. */
  default boolean has(VfsCapability capability) {
    return provider().capabilities().contains(capability);
  }

  /** Asserts that an operation fails with one errno, comparing names for readable failures. */
  static void assertErrno(int errno, Executable op) {
    VfsException e = assertThrows(VfsException.class, op);
    assertEquals(Errno.name(errno), Errno.name(e.errno()), e.getMessage());
  }

  /** Creates or replaces a file with some text. */
  default void put(String path, String text) throws VfsException {
    try (VfsFile f = provider().open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644)) {
      writeFully(f, text.getBytes(StandardCharsets.UTF_8), 0);
    }
  }

  /** Returns a file's whole content as text. */
  default String get(String path) throws VfsException {
    try (VfsFile f = provider().open(path, O_RDONLY, 0)) {
      return new String(readAll(f), StandardCharsets.UTF_8);
    }
  }

  /** Writes every byte at an offset, looping over short writes. */
  static void writeFully(VfsFile f, byte[] data, long offset) throws VfsException {
    ByteBuffer src = ByteBuffer.wrap(data);
    while (src.hasRemaining()) {
      f.write(src, offset + src.position());
    }
  }

  /** Reads up to {@code length} bytes at an offset; fewer only at the end of the file. */
  static byte[] read(VfsFile f, long offset, int length) throws VfsException {
    ByteBuffer dst = ByteBuffer.allocate(length);
    while (dst.hasRemaining()) {
      if (f.read(dst, offset + dst.position()) <= 0) {
        break;
      }
    }
    byte[] out = new byte[dst.position()];
    dst.flip().get(out);
    return out;
  }

  /** Reads a whole file from offset 0. */
  static byte[] readAll(VfsFile f) throws VfsException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer dst = ByteBuffer.allocate(8192);
    long offset = 0;
    while (true) {
      dst.clear();
      int n = f.read(dst, offset);
      if (n <= 0) {
        return out.toByteArray();
      }
      out.write(dst.array(), 0, n);
      offset += n;
    }
  }

  /** Returns the bytes of a string. */
  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
