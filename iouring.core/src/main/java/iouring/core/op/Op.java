package iouring.core.op;

/**
 * One op family's two steps, as Linux's {@code io_issue_def}: {@link #prep} validates the SQE
 * fields the op uses and may read user memory the op needs up front; {@link #issue} runs it. A prep
 * failure stops the submission batch (unless {@code IORING_SETUP_SUBMIT_ALL}); an issue failure is
 * just a result. Neither throws: failures are {@code -errno}.
 */
public interface Op {

  /**
   * What {@link #issue} returns for a request that completes later: it has handed itself to {@link
   * RingContext#defer}, whose handle posts its CQE. The same value from an issue that did not defer
   * is a result like any other: {@code NOP} with {@code IORING_NOP_INJECT_RESULT} posts {@code
   * (s32) len}, which may be {@code INT_MIN}.
   */
  int DEFERRED = Integer.MIN_VALUE;

  /**
   * Validates a request.
   *
   * @param req the request, loaded from its SQE
   * @param ctx what the request may reach
   * @return 0, or {@code -errno}
   */
  int prep(Request req, RingContext ctx);

  /**
   * Runs a request that passed prep.
   *
   * @param req the request
   * @param ctx what the request may reach
   * @return the CQE's {@code res}: a result, or {@code -errno}
   */
  int issue(Request req, RingContext ctx);
}
