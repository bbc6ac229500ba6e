package iouring.core.op;

import static iouring.api.abi.Opcodes.*;

import iouring.api.abi.Errno;
import iouring.api.abi.Opcodes;

/**
 * The one op table, as Linux's {@code io_issue_defs}: for every opcode of the ABI, its handler or
 * an explicit "not supported", and the generic properties that submission checks before prep. Built
 * and checked once, when the class initializes: an opcode without an entry is a build bug that
 * fails every test.
 */
public final class OpTable {

  /** An opcode's entry. */
  public static final class Def {
    /** The kernel name, {@code IORING_OP_*}. */
    public final String name;

    /** The handler; {@link #UNSUPPORTED} when the op is not implemented. */
    public final Op op;

    /** Whether the op gives {@code sqe->ioprio} a meaning; other ops require it to be 0. */
    public final boolean ioprio;

    /** Whether the op accepts {@code IOSQE_BUFFER_SELECT}. */
    public final boolean bufferSelect;

    Def(int opcode, Op op, boolean ioprio, boolean bufferSelect) {
      this.name = Opcodes.name(opcode);
      this.op = op;
      this.ioprio = ioprio;
      this.bufferSelect = bufferSelect;
    }

    /**
     * Returns whether the op is implemented.
     *
     * @return true unless its handler is {@link #UNSUPPORTED}
     */
    public boolean supported() {
      return op != UNSUPPORTED;
    }
  }

  /**
   * The handler of every op not implemented: prep fails with {@code -EOPNOTSUPP}, what Linux gives
   * for an op its build left out ({@code io_eopnotsupp_prep}).
   */
  public static final Op UNSUPPORTED =
      new Op() {
        @Override
        public int prep(Request req, RingContext ctx) {
          return -Errno.EOPNOTSUPP;
        }

        @Override
        public int issue(Request req, RingContext ctx) {
          return -Errno.EOPNOTSUPP;
        }
      };

  private static final Def[] DEFS = new Def[IORING_OP_LAST];

  static {
    Op rw = new ReadWrite();
    Op timeout = new Timeout();
    Op sync = new Sync();
    Op openClose = new OpenClose();
    Op fs = new Fs();
    Op xattr = new Xattr();
    Op kbuf = new ProvideBuffers();
    // Linux's opdef.c: which ops use ioprio and which accept buffer selection.
    def(IORING_OP_NOP, new Nop(), false, false);
    def(IORING_OP_READV, rw, true, true);
    def(IORING_OP_WRITEV, rw, true, false);
    def(IORING_OP_FSYNC, sync, false, false);
    def(IORING_OP_READ_FIXED, rw, true, false);
    def(IORING_OP_WRITE_FIXED, rw, true, false);
    def(IORING_OP_POLL_ADD, UNSUPPORTED, false, false);
    def(IORING_OP_POLL_REMOVE, UNSUPPORTED, false, false);
    def(IORING_OP_SYNC_FILE_RANGE, sync, false, false);
    def(IORING_OP_SENDMSG, UNSUPPORTED, true, true);
    def(IORING_OP_RECVMSG, UNSUPPORTED, true, true);
    def(IORING_OP_TIMEOUT, timeout, false, false);
    def(IORING_OP_TIMEOUT_REMOVE, timeout, false, false);
    def(IORING_OP_ACCEPT, UNSUPPORTED, true, false);
    def(IORING_OP_ASYNC_CANCEL, new Cancel(), false, false);
    def(IORING_OP_LINK_TIMEOUT, timeout, false, false);
    def(IORING_OP_CONNECT, UNSUPPORTED, false, false);
    def(IORING_OP_FALLOCATE, sync, false, false);
    def(IORING_OP_OPENAT, openClose, false, false);
    def(IORING_OP_CLOSE, openClose, false, false);
    def(IORING_OP_FILES_UPDATE, new FilesUpdate(), false, false);
    def(IORING_OP_STATX, new StatxOp(), false, false);
    def(IORING_OP_READ, rw, true, true);
    def(IORING_OP_WRITE, rw, true, false);
    def(IORING_OP_FADVISE, new Advise(), false, false);
    def(IORING_OP_MADVISE, UNSUPPORTED, false, false);
    def(IORING_OP_SEND, UNSUPPORTED, true, true);
    def(IORING_OP_RECV, UNSUPPORTED, true, true);
    def(IORING_OP_OPENAT2, openClose, false, false);
    def(IORING_OP_EPOLL_CTL, UNSUPPORTED, false, false);
    def(IORING_OP_SPLICE, UNSUPPORTED, false, false);
    def(IORING_OP_PROVIDE_BUFFERS, kbuf, false, false);
    def(IORING_OP_REMOVE_BUFFERS, kbuf, false, false);
    def(IORING_OP_TEE, UNSUPPORTED, false, false);
    def(IORING_OP_SHUTDOWN, UNSUPPORTED, false, false);
    def(IORING_OP_RENAMEAT, fs, false, false);
    def(IORING_OP_UNLINKAT, fs, false, false);
    def(IORING_OP_MKDIRAT, fs, false, false);
    def(IORING_OP_SYMLINKAT, fs, false, false);
    def(IORING_OP_LINKAT, fs, false, false);
    def(IORING_OP_MSG_RING, new MsgRing(), false, false);
    def(IORING_OP_FSETXATTR, xattr, false, false);
    def(IORING_OP_SETXATTR, xattr, false, false);
    def(IORING_OP_FGETXATTR, xattr, false, false);
    def(IORING_OP_GETXATTR, xattr, false, false);
    def(IORING_OP_SOCKET, UNSUPPORTED, false, false);
    def(IORING_OP_URING_CMD, UNSUPPORTED, false, false);
    def(IORING_OP_SEND_ZC, UNSUPPORTED, true, false);
    def(IORING_OP_SENDMSG_ZC, UNSUPPORTED, true, false);
    def(IORING_OP_READ_MULTISHOT, UNSUPPORTED, true, true);
    def(IORING_OP_WAITID, UNSUPPORTED, false, false);
    def(IORING_OP_FUTEX_WAIT, UNSUPPORTED, false, false);
    def(IORING_OP_FUTEX_WAKE, UNSUPPORTED, false, false);
    def(IORING_OP_FUTEX_WAITV, UNSUPPORTED, false, false);
    def(IORING_OP_FIXED_FD_INSTALL, openClose, false, false);
    def(IORING_OP_FTRUNCATE, new Truncate(), false, false);
    def(IORING_OP_BIND, UNSUPPORTED, false, false);
    def(IORING_OP_LISTEN, UNSUPPORTED, false, false);
    def(IORING_OP_RECV_ZC, UNSUPPORTED, true, false);
    def(IORING_OP_EPOLL_WAIT, UNSUPPORTED, false, false);
    def(IORING_OP_READV_FIXED, UNSUPPORTED, true, false);
    def(IORING_OP_WRITEV_FIXED, UNSUPPORTED, true, false);
    def(IORING_OP_PIPE, UNSUPPORTED, false, false);
    for (int opcode = 0; opcode < DEFS.length; opcode++) {
      if (DEFS[opcode] == null) {
        throw new IllegalStateException("op table has no entry for " + Opcodes.name(opcode));
      }
    }
  }

  private OpTable() {}

  private static void def(int opcode, Op op, boolean ioprio, boolean bufferSelect) {
    if (DEFS[opcode] != null) {
      throw new IllegalStateException("op table has two entries for " + Opcodes.name(opcode));
    }
    DEFS[opcode] = new Def(opcode, op, ioprio, bufferSelect);
  }

  /**
   * Returns whether a request may run on a worker thread with {@code IOSQE_ASYNC}: ops that only
   * use files and user memory. Ops that change the ring's own state (timeouts, registered files,
   * provided buffers, buffer selection) run inline even with the flag, with the same results.
   *
   * @param req the request
   * @return true if a worker may run it
   */
  public static boolean runsOnWorkers(Request req) {
    if ((req.flags & iouring.api.abi.SqeFlags.IOSQE_BUFFER_SELECT) != 0) {
      return false;
    }
    switch (req.opcode) {
      case IORING_OP_NOP:
      case IORING_OP_READV:
      case IORING_OP_WRITEV:
      case IORING_OP_READ:
      case IORING_OP_WRITE:
      case IORING_OP_READ_FIXED:
      case IORING_OP_WRITE_FIXED:
      case IORING_OP_FSYNC:
      case IORING_OP_SYNC_FILE_RANGE:
      case IORING_OP_FALLOCATE:
      case IORING_OP_FTRUNCATE:
      case IORING_OP_FADVISE:
      case IORING_OP_STATX:
      case IORING_OP_RENAMEAT:
      case IORING_OP_UNLINKAT:
      case IORING_OP_MKDIRAT:
      case IORING_OP_SYMLINKAT:
      case IORING_OP_LINKAT:
      case IORING_OP_FSETXATTR:
      case IORING_OP_SETXATTR:
      case IORING_OP_FGETXATTR:
      case IORING_OP_GETXATTR:
        return true;
      default:
        return false;
    }
  }

  /**
   * Returns an opcode's entry.
   *
   * @param opcode the opcode, 0..255
   * @return the entry, or null for an opcode at or past {@code IORING_OP_LAST}
   */
  public static Def get(int opcode) {
    return opcode >= 0 && opcode < DEFS.length ? DEFS[opcode] : null;
  }
}
