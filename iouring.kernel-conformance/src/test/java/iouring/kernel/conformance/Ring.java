package iouring.kernel.conformance;

import static iouring.api.abi.ParamsLayout.*;

import iouring.api.IoUringParams;
import iouring.api.abi.CqeLayout;
import iouring.api.abi.MmapOffsets;
import iouring.api.abi.Opcodes;
import iouring.api.abi.SqeLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A ring driven as a C program drives it, on either target: setup, one mmap of the rings and one of
 * the SQEs, every field found through the offsets setup returned; acquire loads and release stores
 * on the indexes, as liburing.
 */
final class Ring {
  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private final Target target;
  final int fd;
  private final IoUringParams params;
  private final ByteBuffer rings;
  private final ByteBuffer sqes;
  private final int sqMask;
  private final int cqMask;

  private Ring(Target target, int fd, IoUringParams params) {
    this.target = target;
    this.fd = fd;
    this.params = params;
    this.sqMask = params.sqEntries() - 1;
    this.cqMask = params.cqEntries() - 1;
    int cqEnd = params.cqOff(CQ_OFF_CQES) + params.cqEntries() * CqeLayout.SIZE;
    int sqArray = params.sqOff(SQ_OFF_ARRAY);
    int sqEnd = sqArray == 0 ? cqEnd : sqArray + 4 * params.sqEntries();
    this.rings = target.mmap(fd, MmapOffsets.IORING_OFF_SQ_RING, Math.max(cqEnd, sqEnd));
    this.sqes = target.mmap(fd, MmapOffsets.IORING_OFF_SQES, params.sqEntries() * SqeLayout.SIZE);
  }

  /**
   * Sets up and maps a ring of {@code entries}; throws if setup fails, as no scenario expects it.
   */
  static Ring create(Target target, int entries) {
    return create(target, entries, 0);
  }

  /** Sets up and maps a ring of {@code entries} with setup {@code flags}. */
  static Ring create(Target target, int entries, int flags) {
    IoUringParams params = new IoUringParams().flags(flags);
    int fd = target.setup(entries, params);
    if (fd < 0) {
      throw new IllegalStateException("io_uring_setup on " + target.name() + ": " + fd);
    }
    return new Ring(target, fd, params);
  }

  /** Returns {@code sq_off.array} as setup reported it: 0 for {@code IORING_SETUP_NO_SQARRAY}. */
  int sqArrayOffset() {
    return params.sqOff(SQ_OFF_ARRAY);
  }

  /** Writes an SQE at the tail and publishes it (release), as {@code io_uring_get_sqe}. */
  void push(Sqe sqe) {
    int tail = load(params.sqOff(SQ_OFF_TAIL));
    if (tail - load(params.sqOff(SQ_OFF_HEAD)) >= params.sqEntries()) {
      // A scenario that queues more than the ring holds would overwrite queued SQEs unseen.
      throw new IllegalStateException("the SQ is full: a scenario batch larger than the ring");
    }
    sqe.writeTo(sqes, (tail & sqMask) * SqeLayout.SIZE);
    if (params.sqOff(SQ_OFF_ARRAY) != 0) { // IORING_SETUP_NO_SQARRAY: SQEs are taken in order
      rings.putInt(params.sqOff(SQ_OFF_ARRAY) + 4 * (tail & sqMask), tail & sqMask);
    }
    INT.setRelease(rings, params.sqOff(SQ_OFF_TAIL), tail + 1);
  }

  /**
   * Publishes an SQ array entry holding {@code index}, which may point past the SQEs, with a NOP in
   * the slot the tail names.
   */
  void pushIndex(int index) {
    if (params.sqOff(SQ_OFF_ARRAY) == 0) {
      throw new IllegalStateException("a ring without an SQ array has no index to push");
    }
    int tail = load(params.sqOff(SQ_OFF_TAIL));
    new Sqe(Opcodes.IORING_OP_NOP).userData(99).writeTo(sqes, (tail & sqMask) * SqeLayout.SIZE);
    rings.putInt(params.sqOff(SQ_OFF_ARRAY) + 4 * (tail & sqMask), index);
    INT.setRelease(rings, params.sqOff(SQ_OFF_TAIL), tail + 1);
  }

  int sqDropped() {
    return load(params.sqOff(SQ_OFF_DROPPED));
  }

  /** Returns the number of SQEs published and not yet consumed. */
  int sqPending() {
    return load(params.sqOff(SQ_OFF_TAIL)) - load(params.sqOff(SQ_OFF_HEAD));
  }

  /** Returns the number of CQEs posted and not yet consumed. */
  int cqReady() {
    return load(params.cqOff(CQ_OFF_TAIL)) - load(params.cqOff(CQ_OFF_HEAD));
  }

  int sqFlags() {
    return load(params.sqOff(SQ_OFF_FLAGS));
  }

  int cqOverflow() {
    return load(params.cqOff(CQ_OFF_OVERFLOW));
  }

  int enter(int toSubmit, int minComplete, int flags) {
    return target.enter(fd, toSubmit, minComplete, flags);
  }

  /** Consumes every CQE posted so far, in the order posted. */
  List<Cqe> reap() {
    int head = load(params.cqOff(CQ_OFF_HEAD));
    int tail = load(params.cqOff(CQ_OFF_TAIL));
    List<Cqe> out = new ArrayList<>();
    for (int i = head; i != tail; i++) {
      int at = params.cqOff(CQ_OFF_CQES) + (i & cqMask) * CqeLayout.SIZE;
      out.add(
          new Cqe(
              rings.getLong(at + CqeLayout.OFF_USER_DATA),
              rings.getInt(at + CqeLayout.OFF_RES),
              rings.getInt(at + CqeLayout.OFF_FLAGS)));
    }
    INT.setRelease(rings, params.cqOff(CQ_OFF_HEAD), tail);
    return out;
  }

  private int load(int offset) {
    return (int) INT.getAcquire(rings, offset);
  }

  /**
   * One completion.
   *
   * @param userData {@code user_data}
   * @param res {@code res}
   * @param flags {@code flags}
   */
  record Cqe(long userData, int res, int flags) {}
}
