package iouring.core.conformance;

import iouring.api.IoUringProcess;
import iouring.api.abi.GeteventsArgLayout;
import iouring.api.abi.IovecLayout;
import iouring.api.abi.TimespecLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Application memory mapped into an emulated process: the buffer the test reads and writes, and the
 * user address that SQEs and iovecs carry.
 *
 * @param buffer the memory, native order
 * @param address its user address
 */
record UserBuffer(ByteBuffer buffer, long address) {

  /** Maps {@code size} zeroed bytes. */
  static UserBuffer allocate(IoUringProcess process, int size) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    return new UserBuffer(buffer, process.memory().map(buffer));
  }

  /** Maps a {@code struct __kernel_timespec} of {@code nanos}. */
  static UserBuffer timespec(IoUringProcess process, long nanos) {
    UserBuffer ts = allocate(process, TimespecLayout.SIZE);
    ts.buffer.putLong(TimespecLayout.OFF_TV_SEC, nanos / 1_000_000_000L);
    ts.buffer.putLong(TimespecLayout.OFF_TV_NSEC, nanos % 1_000_000_000L);
    return ts;
  }

  /** Maps a {@code struct io_uring_getevents_arg} with a relative timeout, or none for 0. */
  static UserBuffer geteventsArg(IoUringProcess process, long timeoutNanos) {
    UserBuffer arg = allocate(process, GeteventsArgLayout.SIZE);
    if (timeoutNanos != 0) {
      arg.buffer.putLong(GeteventsArgLayout.OFF_TS, timespec(process, timeoutNanos).address());
    }
    return arg;
  }

  /** Maps {@code text} as a NUL-terminated UTF-8 string, as C passes a path. */
  static UserBuffer cString(IoUringProcess process, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    UserBuffer s = allocate(process, bytes.length + 1);
    s.buffer.put(0, bytes);
    return s;
  }

  /** Maps an array of {@code struct iovec}, one per (base, length) pair. */
  static UserBuffer iovecs(IoUringProcess process, long... baseAndLength) {
    UserBuffer iov = allocate(process, baseAndLength.length / 2 * IovecLayout.SIZE);
    for (int i = 0; i < baseAndLength.length / 2; i++) {
      iov.buffer.putLong(i * IovecLayout.SIZE + IovecLayout.OFF_IOV_BASE, baseAndLength[2 * i]);
      iov.buffer.putLong(i * IovecLayout.SIZE + IovecLayout.OFF_IOV_LEN, baseAndLength[2 * i + 1]);
    }
    return iov;
  }

  /** Returns the address {@code offset} bytes into the buffer. */
  long at(int offset) {
    return address + offset;
  }

  /** Returns the first {@code length} bytes as ASCII text. */
  String text(int length) {
    byte[] bytes = new byte[length];
    buffer.get(0, bytes);
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  /** Writes ASCII text at the start of the buffer. */
  UserBuffer put(String text) {
    buffer.put(0, text.getBytes(StandardCharsets.US_ASCII));
    return this;
  }
}
