package iouring.core.ring;

import static iouring.core.ring.RingLayout.*;

import iouring.api.MemoryView;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The memory shared with the application: the rings region and the SQE region, as direct buffers.
 * Every access is bounds-checked by the buffer, so no value the application writes here can make
 * the kernel touch memory outside the ring. The memory order of each access is in its method name;
 * the kernel never trusts a value it reads back from here other than the application-owned {@code
 * sq.tail}, {@code cq.head}, {@code cq_flags}, the SQ array and the SQEs.
 */
final class RingMemory {
  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  /** Header, CQEs and SQ array. */
  final ByteBuffer rings;

  /** The SQEs. */
  final ByteBuffer sqes;

  /** {@link #rings} for the plain, acquire and release accesses. */
  private final MemoryView ringsView;

  /** {@link #sqes} for the copy of each SQE. */
  final MemoryView sqesView;

  RingMemory(RingLayout layout) {
    this.rings = ByteBuffer.allocateDirect(layout.ringsSize).order(ByteOrder.nativeOrder());
    this.sqes = ByteBuffer.allocateDirect(layout.sqesSize).order(ByteOrder.nativeOrder());
    rings.putInt(SQ_RING_MASK, layout.sqEntries - 1);
    rings.putInt(CQ_RING_MASK, layout.cqEntries - 1);
    rings.putInt(SQ_RING_ENTRIES, layout.sqEntries);
    rings.putInt(CQ_RING_ENTRIES, layout.cqEntries);
    this.ringsView = MemoryView.of(rings);
    this.sqesView = MemoryView.of(sqes);
  }

  // Acquire and release are a plain access plus a fence: the ordering of VarHandle's
  // getAcquire/setRelease without the byte-buffer view's per-access checks, which dominated the
  // submission path in profiles. The words are 4-byte aligned, so each access is atomic.

  int getSqTailAcquire() {
    return ringsView.getIntAcquire(SQ_TAIL);
  }

  void putSqHeadRelease(int head) {
    ringsView.putIntRelease(SQ_HEAD, head);
  }

  int getCqHeadAcquire() {
    return ringsView.getIntAcquire(CQ_HEAD);
  }

  void putCqTailRelease(int tail) {
    ringsView.putIntRelease(CQ_TAIL, tail);
  }

  int getCqFlagsAcquire() {
    return ringsView.getIntAcquire(CQ_FLAGS);
  }

  int getSqFlagsAcquire() {
    return (int) INT.getAcquire(rings, SQ_FLAGS);
  }

  /** Sets SQ flag bits; an atomic update, which is a full fence. */
  void orSqFlagsShared(int bits) {
    INT.getAndBitwiseOr(rings, SQ_FLAGS, bits);
  }

  /** Clears SQ flag bits; an atomic update. */
  void clearSqFlagsShared(int bits) {
    INT.getAndBitwiseAnd(rings, SQ_FLAGS, ~bits);
  }

  int getSqHeadAcquire() {
    return ringsView.getIntAcquire(SQ_HEAD);
  }

  void orSqFlags(int bits) {
    INT.getAndBitwiseOr(rings, SQ_FLAGS, bits);
  }

  void clearSqFlags(int bits) {
    INT.getAndBitwiseAnd(rings, SQ_FLAGS, ~bits);
  }

  /** Adds one to {@code sq_dropped}, starting from whatever the application left there. */
  void incrementSqDropped() {
    INT.getAndAdd(rings, SQ_DROPPED, 1);
  }

  /** Adds one to {@code cq_overflow}, starting from whatever the application left there. */
  void incrementCqOverflow() {
    INT.getAndAdd(rings, CQ_OVERFLOW, 1);
  }

  /** Reads an SQ array slot: the index of the SQE to take next. */
  int getSqArrayPlain(int offset) {
    return ringsView.getInt(offset);
  }

  /** Writes a CQE; the caller publishes it with {@link #putCqTailRelease}. */
  void putCqePlain(int offset, long userData, int res, int flags) {
    ringsView.putLong(offset, userData);
    if (LITTLE_ENDIAN) {
      ringsView.putLong(offset + 8, Integer.toUnsignedLong(res) | (long) flags << 32); // res, flags
    } else {
      ringsView.putInt(offset + 8, res);
      ringsView.putInt(offset + 12, flags);
    }
  }
}
