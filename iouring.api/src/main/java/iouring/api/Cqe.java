package iouring.api;

import static iouring.api.abi.CqeLayout.*;

import java.nio.ByteBuffer;

/**
 * One completion queue entry, {@code struct io_uring_cqe}, seen in place in the mapped CQ ring: a
 * flyweight that {@link IoUring} creates once per slot, so that reaping a completion allocates
 * nothing.
 *
 * <p>A {@code Cqe} returned by {@link IoUring#peekCqe()}, {@link IoUring#waitCqe()} or {@link
 * IoUring#peekBatchCqe(Cqe[])} is readable until the application marks it seen ({@link
 * IoUring#cqeSeen(Cqe)} or {@link IoUring#cqAdvance(int)}); after that the kernel may write the
 * next completion into the same slot, and the same object then shows that one.
 */
public final class Cqe {
  private final ByteBuffer cq;
  private final MemoryView view;
  private final int base;

  /** Views the entry at byte {@code base} of the CQ ring mapping, {@code view} the same memory. */
  Cqe(ByteBuffer cq, MemoryView view, int base) {
    this.cq = cq;
    this.view = view;
    this.base = base;
  }

  /**
   * Returns {@code user_data}, the value the request's SQE carried.
   *
   * @return the user data
   */
  public long userData() {
    return MemoryView.RAW ? view.getLong(base + OFF_USER_DATA) : cq.getLong(base + OFF_USER_DATA);
  }

  /**
   * Returns {@code res}, the request's result: a count or 0 on success, {@code -errno} on failure.
   *
   * @return the result
   */
  public int res() {
    return MemoryView.RAW ? view.getInt(base + OFF_RES) : cq.getInt(base + OFF_RES);
  }

  /**
   * Returns {@code flags}, the {@code IORING_CQE_F_*} bits and the selected buffer ID.
   *
   * @return the flags
   */
  public int flags() {
    return MemoryView.RAW ? view.getInt(base + OFF_FLAGS) : cq.getInt(base + OFF_FLAGS);
  }

  /**
   * Returns the three fields as text, for messages and logs; it allocates, unlike the getters.
   *
   * @return {@code "Cqe[userData=..., res=..., flags=0x...]"}
   */
  @Override
  public String toString() {
    return "Cqe[userData="
        + userData()
        + ", res="
        + res()
        + ", flags=0x"
        + Integer.toHexString(flags())
        + "]";
  }
}
