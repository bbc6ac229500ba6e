package iouring.core.op;

import iouring.api.MemoryView;
import iouring.api.abi.SqeLayout;
import iouring.core.mem.UserMemory;

/**
 * One request: a private copy of its SQE, taken once, so that the application rewriting the slot
 * cannot change a request in flight ({@code IORING_FEAT_SUBMIT_STABLE}), plus what prep worked out
 * for issue. Field names are the kernel's.
 */
public final class Request {
  private static final boolean LITTLE_ENDIAN =
      java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

  /** {@code sqe->opcode}, 0..255. */
  public int opcode;

  /** {@code sqe->flags}, the {@code IOSQE_*} bits. */
  public int flags;

  /** {@code sqe->ioprio}, 0..65535. */
  public int ioprio;

  /** {@code sqe->fd}. */
  public int fd;

  /** {@code sqe->off} (also {@code addr2}). */
  public long off;

  /** {@code sqe->addr}. */
  public long addr;

  /** {@code sqe->len}, an unsigned 32-bit value held in an int. */
  public int len;

  /** The op-specific flags word at offset 28 ({@code rw_flags}, {@code fsync_flags}, ...). */
  public int opFlags;

  /** {@code sqe->user_data}, copied to the CQE. */
  public long userData;

  /** {@code sqe->buf_index} (also {@code buf_group}), 0..65535. */
  public int bufIndex;

  /** {@code sqe->personality}, 0..65535. */
  public int personality;

  /** {@code sqe->splice_fd_in} (also {@code file_index}). */
  public int spliceFdIn;

  /** {@code sqe->addr3}. */
  public long addr3;

  /** {@code sqe->__pad2[0]} (also {@code attr_type_mask}). */
  public long pad2;

  /** Iovec bases imported by prep; grown on demand and reused. */
  public long[] iovBase = new long[4];

  /** Iovec lengths imported by prep; same length as {@link #iovBase}. */
  public long[] iovLen = new long[4];

  /** The number of iovecs imported. */
  public int iovCount;

  /**
   * The result a request must reach to count as a success for links and {@code
   * IOSQE_CQE_SKIP_SUCCESS}: the bytes requested for reads and writes; {@link Long#MIN_VALUE} when
   * any non-negative result is a success.
   */
  public long expected;

  /** The first path argument of a file op, read from user memory at prep. */
  public String path;

  /** The second path argument of a file op (the new name of a rename or link). */
  public String path2;

  /** The open flags of {@code OPENAT}/{@code OPENAT2}, widened to 64 bits as {@code open_how}. */
  public long openFlags;

  /** The mode of {@code OPENAT}/{@code OPENAT2}. */
  public long openMode;

  /** The {@code RESOLVE_*} flags of {@code OPENAT2}. */
  public long openResolve;

  /** A timeout's length (or deadline with {@code IORING_TIMEOUT_ABS}), read at prep, in ns. */
  public long timeoutNanos;

  /** The timer of a {@code LINK_TIMEOUT} whose target completes later, or null. */
  public LinkTimer linkTimer;

  /** The op table entry of {@link #opcode}, set by submission; null past the table. */
  public OpTable.Def def;

  /**
   * The CQE's {@code flags}, set by issue: {@code IORING_CQE_F_BUFFER} and the buffer id when a
   * provided buffer was selected; 0 otherwise.
   */
  public int cqeFlags;

  /** The error prep gave, or 0; a chain with any such error is failed without running. */
  public int prepError;

  /**
   * The SQE's {@code IOSQE_IO_DRAIN} passed the generic checks, set by submission: the ring enters
   * drain mode there (Linux's {@code io_init_req_drain}), even if a later check fails.
   */
  public boolean drained;

  /** The request's window onto user memory, reused so that the data path allocates nothing. */
  public final UserMemory.View view;

  /**
   * Creates a request whose buffers live in the given address space.
   *
   * @param memory the process's address space
   */
  public Request(UserMemory memory) {
    this.view = new UserMemory.View(memory);
  }

  /**
   * Copies an SQE out of ring memory.
   *
   * @param sqes the SQE region
   * @param offset the SQE's byte offset in it
   */
  public void load(MemoryView sqes, int offset) {
    // Fields that are nearly always the same from one request to the next (zero, mostly) are
    // written only when they change: a store costs more than a load here, since the next enter's
    // lock waits for every store before it to drain.
    if (LITTLE_ENDIAN) {
      // Eight 64-bit loads instead of fourteen narrow ones: the hottest copy in the emulator.
      long w0 = sqes.getLong(offset);
      long w3 = sqes.getLong(offset + SqeLayout.OFF_LEN);
      long w5 = sqes.getLong(offset + SqeLayout.OFF_BUF_INDEX);
      opcode = (int) w0 & 0xff;
      flags = (int) (w0 >>> 8) & 0xff;
      int prio = (int) (w0 >>> 16) & 0xffff;
      if (ioprio != prio) {
        ioprio = prio;
      }
      fd = (int) (w0 >>> 32);
      len = (int) w3;
      opFlags = (int) (w3 >>> 32);
      int index = (int) w5 & 0xffff;
      if (bufIndex != index) {
        bufIndex = index;
      }
      int person = (int) (w5 >>> 16) & 0xffff;
      if (personality != person) {
        personality = person;
      }
      int spliceIn = (int) (w5 >>> 32);
      if (spliceFdIn != spliceIn) {
        spliceFdIn = spliceIn;
      }
    } else {
      loadNarrow(sqes, offset); // out of line, so that this method stays small enough to inline
    }
    off = sqes.getLong(offset + SqeLayout.OFF_OFF);
    addr = sqes.getLong(offset + SqeLayout.OFF_ADDR);
    userData = sqes.getLong(offset + SqeLayout.OFF_USER_DATA);
    long a3 = sqes.getLong(offset + SqeLayout.OFF_ADDR3);
    if (addr3 != a3) {
      addr3 = a3;
    }
    long p2 = sqes.getLong(offset + SqeLayout.OFF_PAD2);
    if (pad2 != p2) {
      pad2 = p2;
    }
    OpTable.Def d = OpTable.get(opcode);
    if (def != d) {
      def = d;
    }
    if (iovCount != 0) {
      iovCount = 0;
    }
    if (expected != Long.MIN_VALUE) {
      expected = Long.MIN_VALUE;
    }
    if (prepError != 0) {
      prepError = 0;
    }
    if (drained) {
      drained = false;
    }
    if (cqeFlags != 0) {
      cqeFlags = 0;
    }
    if (path != null) {
      path = null;
    }
    if (path2 != null) {
      path2 = null;
    }
    if (linkTimer != null) {
      linkTimer = null;
    }
  }

  /** The fields of {@link #load} that do not fill whole words, one at a time: big-endian hosts. */
  private void loadNarrow(MemoryView sqes, int offset) {
    opcode = sqes.get(offset + SqeLayout.OFF_OPCODE) & 0xff;
    flags = sqes.get(offset + SqeLayout.OFF_FLAGS) & 0xff;
    ioprio = sqes.getShort(offset + SqeLayout.OFF_IOPRIO) & 0xffff;
    fd = sqes.getInt(offset + SqeLayout.OFF_FD);
    len = sqes.getInt(offset + SqeLayout.OFF_LEN);
    opFlags = sqes.getInt(offset + SqeLayout.OFF_OP_FLAGS);
    bufIndex = sqes.getShort(offset + SqeLayout.OFF_BUF_INDEX) & 0xffff;
    personality = sqes.getShort(offset + SqeLayout.OFF_PERSONALITY) & 0xffff;
    spliceFdIn = sqes.getInt(offset + SqeLayout.OFF_SPLICE_FD_IN);
  }

  /**
   * Copies another request, arrays included, so that it can outlive the slot it was loaded into: a
   * request that completes later, or a chain member waiting behind one.
   *
   * @param other the request to copy
   * @return this
   */
  public Request copyFrom(Request other) {
    opcode = other.opcode;
    flags = other.flags;
    ioprio = other.ioprio;
    fd = other.fd;
    off = other.off;
    addr = other.addr;
    len = other.len;
    opFlags = other.opFlags;
    userData = other.userData;
    bufIndex = other.bufIndex;
    personality = other.personality;
    spliceFdIn = other.spliceFdIn;
    addr3 = other.addr3;
    pad2 = other.pad2;
    iovBase = other.iovBase.clone();
    iovLen = other.iovLen.clone();
    iovCount = other.iovCount;
    expected = other.expected;
    path = other.path;
    path2 = other.path2;
    openFlags = other.openFlags;
    openMode = other.openMode;
    openResolve = other.openResolve;
    timeoutNanos = other.timeoutNanos;
    linkTimer = other.linkTimer;
    def = other.def;
    prepError = other.prepError;
    drained = other.drained;
    return this;
  }

  /**
   * Makes room for {@code n} iovecs.
   *
   * @param n the number of iovecs
   */
  public void ensureIovecs(int n) {
    if (iovBase.length < n) {
      int size = Math.max(n, iovBase.length * 2);
      iovBase = new long[size];
      iovLen = new long[size];
    }
  }

  /**
   * Returns whether a result counts as a success for links and {@code CQE_SKIP_SUCCESS}.
   *
   * @param res the result
   * @return true if it is non-negative and, for a read or write, the full length
   */
  public boolean succeeded(int res) {
    return res >= 0 && (expected == Long.MIN_VALUE || res == expected);
  }
}
