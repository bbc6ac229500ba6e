package iouring.agent;

import static iouring.api.abi.Opcodes.IORING_OP_CLOSE;
import static iouring.api.abi.Opcodes.IORING_OP_FSYNC;
import static iouring.api.abi.Opcodes.IORING_OP_FTRUNCATE;
import static iouring.api.abi.Opcodes.IORING_OP_OPENAT;
import static iouring.api.abi.Opcodes.IORING_OP_READ;
import static iouring.api.abi.Opcodes.IORING_OP_READV;
import static iouring.api.abi.Opcodes.IORING_OP_STATX;
import static iouring.api.abi.Opcodes.IORING_OP_WRITE;
import static iouring.api.abi.Opcodes.IORING_OP_WRITEV;

import iouring.api.AddressSpace;
import iouring.api.Cqe;
import iouring.api.ErrnoException;
import iouring.api.IoUring;
import iouring.api.IoUringProcess;
import iouring.api.Sqe;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.IovecLayout;
import iouring.api.abi.OpFlags;
import iouring.api.abi.Statx;
import iouring.api.spi.VfsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The agent's one ring, shared by every channel: each operation is one SQE, submitted and reaped
 * under a lock. The emulated kernel runs a request inside {@code submit} on the caller's thread, so
 * the lock is held for exactly the time the operation takes and a ring per channel would buy no
 * parallelism that the providers' own locks do not already allow; it would cost ring memory per
 * open file. Linux's io_uring would let requests run in parallel; here they run one at a time.
 */
final class RingIo {
  private static final ThreadLocal<Boolean> IN_RING = new ThreadLocal<>();

  /**
   * Whether the runtime has JFR (module {@code jdk.jfr}); a runtime image linked without it gets no
   * {@link RingOperationEvent}, whose class could not even load.
   */
  private static final boolean JFR = hasJfr();

  private final IoUringProcess process;
  private final IoUring ring;
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * Set once the session ended (its bundle stopped) and the ring closed; guarded by {@link #lock}.
   * An operation that was already on its way then fails with {@code ENOTCONN}, as on a mount whose
   * provider left, rather than reaching the closed ring or the exited process.
   */
  private boolean closed;

  private final Stats stats;
  private final Trace trace;

  /** Files open through this ring: OPENATs that succeeded less CLOSEs; guarded by this. */
  private int openFiles;

  /** What runs once no file is open any more, set by {@link #whenIdle}; guarded by this. */
  private Runnable idle;

  /**
   * What owns an fd, a channel or a stream's file: asked, under the ring lock, whether it is still
   * open before an SQE uses the fd (see {@link #submit(FdOwner, int, String, long, long, Prep)}).
   */
  interface FdOwner {
    boolean isOpen();
  }

  /** Prepares the SQE of one operation. */
  interface Prep {
    void prep(Sqe sqe);
  }

  RingIo(IoUringProcess process, int entries, Stats stats, Trace trace) {
    this.process = process;
    this.ring = IoUring.queueInit(process, entries, 0);
    this.stats = stats;
    this.trace = trace;
  }

  static boolean isRead(int opcode) {
    return opcode == IORING_OP_READ || opcode == IORING_OP_READV;
  }

  static boolean isWrite(int opcode) {
    return opcode == IORING_OP_WRITE || opcode == IORING_OP_WRITEV;
  }

  /**
   * Returns true while this thread is inside a ring operation: a provider that opens host files
   * (the host provider) must then get the JDK's own channel, never the ring's again.
   */
  static boolean inRing() {
    return IN_RING.get() != null;
  }

  IoUringProcess process() {
    return process;
  }

  AddressSpace memory() {
    return process.memory();
  }

  /** Submits one SQE and returns its CQE's result, {@code -errno} on failure. */
  int submit(int opcode, String file, long offset, long length, Prep prep) {
    return submit(null, opcode, file, offset, length, prep);
  }

  /**
   * Submits one SQE on the fd of an owner (a channel or a stream's file), unless the owner is
   * closed by then: {@code -EBADF} without an SQE. The check runs under the ring lock, under which
   * the owner's own {@code CLOSE} runs after it is marked closed: so an operation that lost a race
   * with {@code close} never reaches the fd number, which a file opened since may have been given
   * (the JDK's channels keep the number taken until their last operation ends, {@code
   * NativeThreadSet} and {@code preClose}).
   *
   * @param owner the owner of the fd the SQE uses, or null for none to check
   */
  int submit(FdOwner owner, int opcode, String file, long offset, long length, Prep prep) {
    RingOperationEvent event = JFR ? RingOperationEvent.beginIfEnabled() : null;
    long start = trace != null ? System.nanoTime() : 0; // the clock only for a trace (~17 ns)
    int res;
    lock.lock();
    IN_RING.set(Boolean.TRUE);
    try {
      if (closed) {
        res = -Errno.ENOTCONN;
      } else if (owner != null && !owner.isOpen()) {
        return -Errno.EBADF; // no SQE went: nothing to count or trace
      } else {
        prep.prep(ring.getSqe());
        ring.submit();
        Cqe cqe = ring.waitCqe();
        res = cqe.res();
        ring.cqeSeen(cqe);
      }
    } finally {
      IN_RING.remove();
      lock.unlock();
    }
    stats.count(opcode, res);
    if (trace != null) {
      trace.line(opcode, file, offset, length, res, System.nanoTime() - start);
    }
    if (event != null) {
      event.endAndCommit(opcode, file, offset, length, res);
    }
    if (opcode == IORING_OP_OPENAT || opcode == IORING_OP_CLOSE) {
      Runnable release = counted(opcode, res);
      if (release != null) {
        release.run();
      }
    }
    return res;
  }

  /**
   * Counts an open or a close; returns what {@link #whenIdle} asked to run if this closed the last
   * file. As on Linux, a close that fails for another reason than {@code EBADF} has still released
   * the fd.
   */
  private synchronized Runnable counted(int opcode, int res) {
    if (opcode == IORING_OP_OPENAT && res >= 0) {
      openFiles++;
    } else if (opcode == IORING_OP_CLOSE && res != -Errno.EBADF) {
      openFiles--;
    }
    return openFiles == 0 ? takeIdle() : null;
  }

  private synchronized Runnable takeIdle() {
    Runnable release = idle;
    idle = null;
    return release;
  }

  /**
   * Runs a release once no file is open through this ring: at once if none is, else right after the
   * close of the last one.
   *
   * @param release what to run, once
   */
  void whenIdle(Runnable release) {
    Runnable now;
    synchronized (this) {
      idle = release;
      now = openFiles == 0 ? takeIdle() : null;
    }
    if (now != null) {
      now.run();
    }
  }

  /** Returns the number of files open through this ring. */
  synchronized int openFiles() {
    return openFiles;
  }

  /**
   * Moves an owner's file position, {@code lseek(2)} (a system call, not an opcode), under the ring
   * lock with the check of {@link #submit(FdOwner, int, String, long, long, Prep)}.
   *
   * @throws ErrnoException {@code EBADF} if the owner was closed meanwhile, or what lseek throws
   */
  long lseek(FdOwner owner, int fd, long offset, int whence) {
    lock.lock();
    try {
      if (!owner.isOpen()) {
        throw new ErrnoException(Errno.EBADF, "closed meanwhile");
      }
      return process.lseek(fd, offset, whence);
    } finally {
      lock.unlock();
    }
  }

  /** Unmaps and closes the ring; the process stays the caller's. */
  void close() {
    lock.lock();
    try {
      closed = true;
      ring.close();
    } finally {
      lock.unlock();
    }
  }

  private static boolean hasJfr() {
    try {
      Class.forName("jdk.jfr.Event", false, RingIo.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** A call into a mount's provider, for what io_uring has no opcode for. */
  interface ProviderCall<T> {
    T call() throws VfsException;
  }

  /**
   * Calls a provider directly, under the ring's lock and marked as inside the ring so that a
   * provider that touches host files gets the JDK's own I/O; returns {@code -errno} as {@link
   * VfsException} does.
   */
  <T> T direct(ProviderCall<T> call) throws VfsException {
    lock.lock();
    IN_RING.set(Boolean.TRUE);
    try {
      if (closed) {
        throw new VfsException(Errno.ENOTCONN, "the agent's session ended");
      }
      return call.call();
    } finally {
      IN_RING.remove();
      lock.unlock();
    }
  }

  /** Submits an SQE that names a path, mapping the path into the process's memory around it. */
  int submitPath(int opcode, String file, PathPrep prep) {
    long address = memory().map(cString(file));
    try {
      return submit(opcode, file, 0, 0, sqe -> prep.prep(sqe, address));
    } finally {
      memory().unmap(address);
    }
  }

  /** Prepares the SQE of an operation on a path at the given address. */
  interface PathPrep {
    void prep(Sqe sqe, long pathAddress);
  }

  /**
   * Reads or writes one buffer from its position; on success the position moves past the data.
   *
   * @param owner the channel or stream file whose fd it is (checked open under the ring lock), or
   *     null
   */
  int readWrite(FdOwner owner, int opcode, int fd, String file, ByteBuffer buffer, long offset) {
    int pos = buffer.position();
    int len = buffer.remaining();
    long address = memory().map(buffer);
    int res;
    try {
      res =
          submit(
              owner,
              opcode,
              file,
              offset,
              len,
              sqe -> sqe.prepRw(opcode, fd, address + pos, len, offset));
    } finally {
      memory().unmap(address);
    }
    if (res > 0) {
      buffer.position(pos + res);
    }
    return res;
  }

  /** Reads or writes a run of buffers with one READV or WRITEV; positions move as by the JDK. */
  long readWriteVector(
      FdOwner owner, int opcode, int fd, String file, ByteBuffer[] buffers, long offset) {
    int n = buffers.length;
    ByteBuffer iovecs =
        ByteBuffer.allocateDirect(n * IovecLayout.SIZE).order(ByteOrder.nativeOrder());
    long[] addresses = new long[n];
    long total = 0;
    try {
      for (int i = 0; i < n; i++) {
        addresses[i] = memory().map(buffers[i]);
        iovecs.putLong(
            i * IovecLayout.SIZE + IovecLayout.OFF_IOV_BASE, addresses[i] + buffers[i].position());
        iovecs.putLong(i * IovecLayout.SIZE + IovecLayout.OFF_IOV_LEN, buffers[i].remaining());
        total += buffers[i].remaining();
      }
      long iov = memory().map(iovecs);
      try {
        int res =
            submit(
                owner, opcode, file, offset, total, sqe -> sqe.prepRw(opcode, fd, iov, n, offset));
        for (int i = 0, left = res; i < n && left > 0; i++) {
          int moved = Math.min(left, buffers[i].remaining());
          buffers[i].position(buffers[i].position() + moved);
          left -= moved;
        }
        return res;
      } finally {
        memory().unmap(iov);
      }
    } finally {
      for (long address : addresses) {
        if (address != 0) {
          memory().unmap(address);
        }
      }
    }
  }

  /**
   * Returns the size of an owner's open file, a {@code STATX} of the fd ({@code AT_EMPTY_PATH}).
   * This and the calls below check the owner as {@link #submit(FdOwner, int, String, long, long,
   * Prep)} does.
   *
   * @throws IOException what the JDK's dispatcher throws for the errno
   */
  long size(FdOwner owner, int fd, String file) throws IOException {
    ByteBuffer statx = ByteBuffer.allocateDirect(1 + Statx.STATX_SIZE_BYTES);
    statx.order(ByteOrder.nativeOrder());
    long address = memory().map(statx); // byte 0 is the empty path, the struct follows it
    try {
      int res =
          submit(
              owner,
              IORING_OP_STATX,
              file,
              0,
              0,
              sqe ->
                  sqe.prepStatx(
                      fd, address, FileFlags.AT_EMPTY_PATH, Statx.STATX_SIZE, address + 1));
      if (res < 0) {
        throw Errors.forIo(res);
      }
      return statx.getLong(1 + Statx.OFF_STX_SIZE);
    } finally {
      memory().unmap(address);
    }
  }

  /** Truncates an open file to a size, {@code FTRUNCATE}. */
  void ftruncate(FdOwner owner, int fd, String file, long size) throws IOException {
    check(submit(owner, IORING_OP_FTRUNCATE, file, size, 0, sqe -> sqe.prepFtruncate(fd, size)));
  }

  /** Syncs an open file, {@code FSYNC}; without the metadata, {@code IORING_FSYNC_DATASYNC}. */
  void fsync(FdOwner owner, int fd, String file, boolean metaData) throws IOException {
    int flags = metaData ? 0 : OpFlags.IORING_FSYNC_DATASYNC;
    check(submit(owner, IORING_OP_FSYNC, file, 0, 0, sqe -> sqe.prepFsync(fd, flags)));
  }

  /** Closes an fd, {@code CLOSE}. */
  void close(int fd, String file) throws IOException {
    check(submit(IORING_OP_CLOSE, file, 0, 0, sqe -> sqe.prepClose(fd)));
  }

  private static void check(int res) throws IOException {
    if (res < 0) {
      throw Errors.forIo(res);
    }
  }

  /** Copies a path into a fresh NUL-terminated direct buffer for an SQE to point at. */
  static ByteBuffer cString(String path) {
    byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length + 1);
    buffer.put(bytes).put((byte) 0).clear();
    return buffer;
  }
}
