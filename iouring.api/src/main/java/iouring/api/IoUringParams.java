package iouring.api;

import static iouring.api.abi.ParamsLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code struct io_uring_params}: the 120 bytes that {@code io_uring_setup(2)} reads and fills in,
 * kept in their kernel layout (see {@link iouring.api.abi.ParamsLayout}) so that a test can set any
 * byte, reserved ones included.
 */
public final class IoUringParams {
  private final ByteBuffer bytes = ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder());

  private boolean dropOnOverflow;

  /** Creates zeroed parameters, as a C program does with {@code memset}. */
  public IoUringParams() {}

  /**
   * Returns the 120 bytes of the structure, in native byte order; changes write through.
   *
   * @return the backing buffer
   */
  public ByteBuffer bytes() {
    return bytes;
  }

  /**
   * Returns {@code sq_entries}, the submission queue size set by setup.
   *
   * @return the number of SQ entries
   */
  public int sqEntries() {
    return bytes.getInt(OFF_SQ_ENTRIES);
  }

  /**
   * Sets {@code sq_entries}.
   *
   * @param value the value
   * @return this
   */
  public IoUringParams sqEntries(int value) {
    bytes.putInt(OFF_SQ_ENTRIES, value);
    return this;
  }

  /**
   * Returns {@code cq_entries}: the requested CQ size with {@code IORING_SETUP_CQSIZE}, the actual
   * one after setup.
   *
   * @return the number of CQ entries
   */
  public int cqEntries() {
    return bytes.getInt(OFF_CQ_ENTRIES);
  }

  /**
   * Sets {@code cq_entries}, read by setup with {@code IORING_SETUP_CQSIZE}.
   *
   * @param value the value
   * @return this
   */
  public IoUringParams cqEntries(int value) {
    bytes.putInt(OFF_CQ_ENTRIES, value);
    return this;
  }

  /**
   * Returns {@code flags}, the {@code IORING_SETUP_*} flags.
   *
   * @return the setup flags
   */
  public int flags() {
    return bytes.getInt(OFF_FLAGS);
  }

  /**
   * Sets {@code flags}, the {@code IORING_SETUP_*} flags.
   *
   * @param value the value
   * @return this
   */
  public IoUringParams flags(int value) {
    bytes.putInt(OFF_FLAGS, value);
    return this;
  }

  /**
   * Returns {@code sq_thread_cpu}.
   *
   * @return the CPU of the SQPOLL thread
   */
  public int sqThreadCpu() {
    return bytes.getInt(OFF_SQ_THREAD_CPU);
  }

  /**
   * Sets {@code sq_thread_cpu}.
   *
   * @param value the value
   * @return this
   */
  public IoUringParams sqThreadCpu(int value) {
    bytes.putInt(OFF_SQ_THREAD_CPU, value);
    return this;
  }

  /**
   * Returns {@code sq_thread_idle}, in milliseconds.
   *
   * @return the SQPOLL idle time
   */
  public int sqThreadIdle() {
    return bytes.getInt(OFF_SQ_THREAD_IDLE);
  }

  /**
   * Sets {@code sq_thread_idle}, in milliseconds.
   *
   * @param value the value
   * @return this
   */
  public IoUringParams sqThreadIdle(int value) {
    bytes.putInt(OFF_SQ_THREAD_IDLE, value);
    return this;
  }

  /**
   * Returns {@code features}, the {@code IORING_FEAT_*} bits setup reports.
   *
   * @return the feature bits
   */
  public int features() {
    return bytes.getInt(OFF_FEATURES);
  }

  /**
   * Returns {@code wq_fd}, the ring whose workers {@code IORING_SETUP_ATTACH_WQ} shares.
   *
   * @return the fd
   */
  public int wqFd() {
    return bytes.getInt(OFF_WQ_FD);
  }

  /**
   * Sets {@code wq_fd}.
   *
   * @param value the value
   * @return this
   */
  public IoUringParams wqFd(int value) {
    bytes.putInt(OFF_WQ_FD, value);
    return this;
  }

  /**
   * Returns {@code resv[index]}; setup requires all three to be zero.
   *
   * @param index 0, 1 or 2
   * @return the reserved word
   */
  public int resv(int index) {
    return bytes.getInt(OFF_RESV + 4 * java.util.Objects.checkIndex(index, 3));
  }

  /**
   * Sets {@code resv[index]}.
   *
   * @param index 0, 1 or 2
   * @param value the value
   * @return this
   */
  public IoUringParams resv(int index, int value) {
    bytes.putInt(OFF_RESV + 4 * java.util.Objects.checkIndex(index, 3), value);
    return this;
  }

  /**
   * Returns a field of {@code sq_off}, the {@code struct io_sqring_offsets}.
   *
   * @param field one of the {@code SQ_OFF_*} offsets of {@link iouring.api.abi.ParamsLayout}
   * @return the 32-bit field's value
   */
  public int sqOff(int field) {
    return bytes.getInt(OFF_SQ_OFF + field);
  }

  /**
   * Returns a field of {@code cq_off}, the {@code struct io_cqring_offsets}.
   *
   * @param field one of the {@code CQ_OFF_*} offsets of {@link iouring.api.abi.ParamsLayout}
   * @return the 32-bit field's value
   */
  public int cqOff(int field) {
    return bytes.getInt(OFF_CQ_OFF + field);
  }

  /**
   * Returns whether the ring drops CQEs when the completion queue is full, counting them in {@code
   * cq_overflow}, as gVisor does; false (the default) keeps Linux's no-drop backlog. This choice is
   * an emulator option, not a field of the kernel structure.
   *
   * @return true for gVisor's drop policy
   */
  public boolean dropOnOverflow() {
    return dropOnOverflow;
  }

  /**
   * Selects gVisor's drop policy (true) or Linux's no-drop backlog (false, the default) for the
   * ring that setup creates. With the drop policy, setup does not report {@code
   * IORING_FEAT_NODROP}.
   *
   * @param drop true to drop CQEs when the completion queue is full
   * @return this
   */
  public IoUringParams dropOnOverflow(boolean drop) {
    this.dropOnOverflow = drop;
    return this;
  }
}
