package iouring.core.conformance;

import static iouring.api.abi.ParamsLayout.*;

import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.CqeLayout;
import iouring.api.abi.EnterFlags;
import iouring.api.abi.MmapOffsets;
import iouring.api.abi.SqeLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A ring as a C program drives it through the raw syscalls: setup, one mmap of the rings (the SQ
 * and CQ rings share it, {@code IORING_FEAT_SINGLE_MMAP}) and one of the SQEs, every field found
 * through the offsets setup returned. The application's side of the protocol uses acquire loads and
 * release stores, as liburing does. Not thread-safe: concurrent tests serialize their own pushes
 * and reaps.
 */
final class RawRing implements AutoCloseable {
  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  final IoUringProcess process;
  final int fd;
  final IoUringParams params;
  final ByteBuffer rings;
  final ByteBuffer sqes;
  final int sqEntries;
  final int cqEntries;

  private final int sqMask;
  private final int cqMask;
  private final int sqArray;
  private final int cqes;
  private boolean closed;

  private RawRing(IoUringProcess process, int fd, IoUringParams params) {
    this.process = process;
    this.fd = fd;
    this.params = params;
    this.sqEntries = params.sqEntries();
    this.cqEntries = params.cqEntries();
    this.sqMask = sqEntries - 1;
    this.cqMask = cqEntries - 1;
    this.sqArray = params.sqOff(SQ_OFF_ARRAY);
    this.cqes = params.cqOff(CQ_OFF_CQES);
    int cqEnd = cqes + cqEntries * CqeLayout.SIZE;
    int sqEnd = sqArray == 0 ? 0 : sqArray + 4 * sqEntries;
    this.rings = process.mmap(fd, MmapOffsets.IORING_OFF_SQ_RING, Math.max(cqEnd, sqEnd));
    this.sqes = process.mmap(fd, MmapOffsets.IORING_OFF_SQES, sqEntries * SqeLayout.SIZE);
  }

  /** Sets up a ring of {@code entries} with default parameters and maps it. */
  static RawRing create(IoUringProcess process, int entries) {
    return create(process, entries, new IoUringParams());
  }

  /** Sets up a ring with the given parameters and maps it. */
  static RawRing create(IoUringProcess process, int entries, IoUringParams params) {
    int fd = process.setup(entries, params);
    return new RawRing(process, fd, params);
  }

  int sqHead() {
    return loadAcquire(params.sqOff(SQ_OFF_HEAD));
  }

  int sqTail() {
    return loadAcquire(params.sqOff(SQ_OFF_TAIL));
  }

  void sqTail(int value) {
    storeRelease(params.sqOff(SQ_OFF_TAIL), value);
  }

  int sqFlags() {
    return loadAcquire(params.sqOff(SQ_OFF_FLAGS));
  }

  int sqDropped() {
    return loadAcquire(params.sqOff(SQ_OFF_DROPPED));
  }

  int cqHead() {
    return loadAcquire(params.cqOff(CQ_OFF_HEAD));
  }

  void cqHead(int value) {
    storeRelease(params.cqOff(CQ_OFF_HEAD), value);
  }

  int cqTail() {
    return loadAcquire(params.cqOff(CQ_OFF_TAIL));
  }

  int cqOverflow() {
    return loadAcquire(params.cqOff(CQ_OFF_OVERFLOW));
  }

  /** Returns the number of CQEs posted and not yet consumed. */
  int cqReady() {
    return cqTail() - cqHead();
  }

  /** Returns the number of SQEs published and not yet consumed. */
  int sqPending() {
    return sqTail() - sqHead();
  }

  /** Writes an SQE into slot {@code index & sq_mask} without publishing it. */
  void writeSqe(int index, Sqe sqe) {
    sqe.writeTo(sqes, (index & sqMask) * SqeLayout.SIZE);
  }

  /** Writes SQ array slot {@code position & sq_mask}: the SQE index the kernel takes there. */
  void sqArray(int position, int sqeIndex) {
    rings.putInt(sqArray + 4 * (position & sqMask), sqeIndex);
  }

  /** Queues an SQE at the tail and publishes it (release), as {@code io_uring_get_sqe}. */
  void push(Sqe sqe) {
    int tail = sqTail();
    pushWithIndex(sqe, tail & sqMask);
  }

  /** Queues an SQE whose SQ array slot names {@code sqeIndex}, which may be out of range. */
  void pushWithIndex(Sqe sqe, int sqeIndex) {
    int tail = sqTail();
    writeSqe(tail, sqe);
    if (sqArray != 0) {
      sqArray(tail, sqeIndex);
    }
    sqTail(tail + 1);
  }

  /** Calls {@code io_uring_enter} on this ring. */
  int enter(int toSubmit, int minComplete, int flags) {
    return process.enter(fd, toSubmit, minComplete, flags);
  }

  /** Submits every published SQE without waiting. */
  int submit() {
    return enter(sqPending(), 0, 0);
  }

  /** Submits every published SQE and waits for {@code n} CQEs. */
  int submitAndWait(int n) {
    return enter(sqPending(), n, EnterFlags.IORING_ENTER_GETEVENTS);
  }

  /** Reads CQE slot {@code index & cq_mask} without consuming it. */
  Cqe cqe(int index) {
    int at = cqes + (index & cqMask) * CqeLayout.SIZE;
    return new Cqe(
        rings.getLong(at + CqeLayout.OFF_USER_DATA),
        rings.getInt(at + CqeLayout.OFF_RES),
        rings.getInt(at + CqeLayout.OFF_FLAGS));
  }

  /** Consumes every CQE posted so far, in order. */
  List<Cqe> reap() {
    int head = cqHead();
    int tail = cqTail();
    List<Cqe> out = new ArrayList<>();
    for (int i = head; i != tail; i++) {
      out.add(cqe(i));
    }
    cqHead(tail);
    return out;
  }

  /** Submits one SQE, waits for its CQE and consumes it. */
  Cqe run(Sqe sqe) {
    push(sqe);
    submitAndWait(1);
    List<Cqe> cqes = reap();
    if (cqes.size() != 1) {
      throw new AssertionError("expected one CQE, got " + cqes);
    }
    return cqes.get(0);
  }

  /** Submits one SQE and returns its result. */
  int result(Sqe sqe) {
    return run(sqe).res();
  }

  private int loadAcquire(int offset) {
    return (int) INT.getAcquire(rings, offset);
  }

  private void storeRelease(int offset, int value) {
    INT.setRelease(rings, offset, value);
  }

  /** Closes the ring fd, once. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      process.close(fd);
    }
  }
}
