package iouring.core.conformance;

/**
 * One {@code struct io_uring_cqe} as read from the ring.
 *
 * @param userData the request's {@code user_data}
 * @param res the result, or {@code -errno}
 * @param flags the {@code IORING_CQE_F_*} flags
 */
record Cqe(long userData, int res, int flags) {

  /** Returns a CQE with no flags, as every op iouring supports posts. */
  static Cqe of(long userData, int res) {
    return new Cqe(userData, res, 0);
  }
}
