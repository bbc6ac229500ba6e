package iouring.core.op;

import static iouring.api.abi.Opcodes.*;

import iouring.api.abi.CqeFlags;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.IovecLayout;
import iouring.api.abi.Limits;
import iouring.api.abi.OpFlags;
import iouring.api.abi.SqeFlags;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.core.fd.FileDescription;
import iouring.core.fd.OpenFile;
import iouring.core.mem.FaultException;
import iouring.core.mem.UserMemory;
import iouring.core.rsrc.ProvidedBuffers;
import java.nio.ByteBuffer;

/**
 * The read and write family, as Linux's {@code rw.c}: {@code READV}, {@code WRITEV}, {@code READ},
 * {@code WRITE}, {@code READ_FIXED} and {@code WRITE_FIXED}.
 *
 * <p>Prep checks {@code ioprio} the way {@code ioprio_check_cap} does, {@code attr_type_mask}
 * (offset 56), and for the vectored ops imports the iovec array, so a bad array pointer or more
 * than {@code UIO_MAXIOV} iovecs fails prep and stops the batch, as on Linux 6.18. Issue looks up
 * the file ({@code -EBADF}), checks its mode and type, applies {@code RWF_*} flags and offset -1
 * (the file position, {@code IORING_FEAT_RW_CUR_POS}), and transfers. A regular file is read until
 * the buffers are full or the end of the file, so a short read means end of file, as the kernel's
 * internal retry makes it. A fault in a data buffer after some bytes moved returns the count moved.
 *
 * <p>With {@code IOSQE_BUFFER_SELECT}, {@code READ} and {@code READV} (one iovec, whose length prep
 * reads) take the first buffer of group {@code buf_group} once the file is found, read at most the
 * buffer's size (all of it for a length of 0), and post {@code IORING_CQE_F_BUFFER} with the buffer
 * id. As Linux's legacy buffers, the buffer is consumed by any completion, an error or 0 at end of
 * file included: Linux hands it back to the group only to retry a read that would block, which
 * never happens here.
 */
final class ReadWrite implements Op {
  /** The {@code RWF_*} bits Linux 6.18 knows. */
  private static final int RWF_KNOWN =
      OpFlags.RWF_HIPRI
          | OpFlags.RWF_DSYNC
          | OpFlags.RWF_SYNC
          | OpFlags.RWF_NOWAIT
          | OpFlags.RWF_APPEND
          | OpFlags.RWF_NOAPPEND
          | OpFlags.RWF_ATOMIC
          | OpFlags.RWF_DONTCACHE;

  /** {@code IORING_RW_ATTR_FLAG_PI}, the one attribute type Linux defines. */
  private static final long ATTR_PI = 1;

  @Override
  public int prep(Request req, RingContext ctx) {
    if (req.ioprio != 0 && !ioprioValid(req.ioprio)) {
      return -Errno.EINVAL;
    }
    if (req.pad2 != 0) {
      // Protection information needs a block device with integrity support; no provider has it.
      return (req.pad2 & ~ATTR_PI) != 0 ? -Errno.EINVAL : -Errno.EOPNOTSUPP;
    }
    int op = req.opcode;
    if (op == IORING_OP_READV || op == IORING_OP_WRITEV) {
      if ((req.flags & SqeFlags.IOSQE_BUFFER_SELECT) != 0) {
        return prepSelectedIovec(req, ctx.memory());
      }
      return importIovecs(req, ctx.memory());
    }
    req.ensureIovecs(1);
    req.iovCount = 1;
    req.iovBase[0] = req.addr;
    req.iovLen[0] = Math.min(Integer.toUnsignedLong(req.len), Limits.MAX_RW_COUNT);
    return 0;
  }

  /**
   * Linux's {@code io_iov_buffer_select_prep}: exactly one iovec, whose length (cut to 32 bits, as
   * Linux stores it in a u32) bounds the read; its base is unused.
   */
  private static int prepSelectedIovec(Request req, UserMemory mem) {
    if (req.len != 1) {
      return -Errno.EINVAL;
    }
    long len;
    try {
      len = mem.getLong(req.addr + IovecLayout.OFF_IOV_LEN);
      mem.getLong(req.addr + IovecLayout.OFF_IOV_BASE);
    } catch (FaultException e) {
      return -Errno.EFAULT;
    }
    req.ensureIovecs(1);
    req.iovCount = 1;
    req.iovBase[0] = 0;
    req.iovLen[0] = Integer.toUnsignedLong((int) len);
    return 0;
  }

  private static int importIovecs(Request req, UserMemory mem) {
    int count = req.len;
    if (Integer.compareUnsigned(count, Limits.UIO_MAXIOV) > 0) {
      return -Errno.EINVAL;
    }
    req.ensureIovecs(count);
    long total = 0;
    try {
      for (int i = 0; i < count; i++) {
        long at = req.addr + (long) i * IovecLayout.SIZE;
        long base = mem.getLong(at + IovecLayout.OFF_IOV_BASE);
        long len = mem.getLong(at + IovecLayout.OFF_IOV_LEN);
        if (len < 0) {
          return -Errno.EINVAL; // over SSIZE_MAX
        }
        // Like the kernel's iovec import, the total is silently capped at MAX_RW_COUNT.
        len = Math.min(len, Limits.MAX_RW_COUNT - total);
        total += len;
        req.iovBase[i] = base;
        req.iovLen[i] = len;
      }
    } catch (FaultException e) {
      return -Errno.EFAULT;
    }
    req.iovCount = count;
    return 0;
  }

  /** Linux's {@code ioprio_check_cap}, for a process allowed the real-time class. */
  static boolean ioprioValid(int ioprio) {
    int ioClass = (ioprio >> 13) & 0x7;
    int level = ioprio & 0x7;
    switch (ioClass) {
      case 0: // IOPRIO_CLASS_NONE
        return level == 0;
      case 1: // RT
      case 2: // BE
      case 3: // IDLE
        return true;
      default:
        return false;
    }
  }

  @Override
  public int issue(Request req, RingContext ctx) {
    int op = req.opcode;
    boolean read = op == IORING_OP_READV || op == IORING_OP_READ || op == IORING_OP_READ_FIXED;
    FileDescription desc = ctx.file(req.fd, (req.flags & SqeFlags.IOSQE_FIXED_FILE) != 0);
    if (desc == null) {
      return -Errno.EBADF;
    }
    try {
      if ((req.flags & SqeFlags.IOSQE_BUFFER_SELECT) != 0 && !selectBuffer(req, ctx)) {
        return -Errno.ENOBUFS;
      }
      if (!(desc instanceof OpenFile)) {
        return -Errno.EINVAL; // a ring fd can be neither read nor written, as in Linux
      }
      OpenFile open = (OpenFile) desc;
      if (read ? !open.readable() : !open.writable()) {
        return -Errno.EBADF;
      }
      int rwFlags = req.opFlags;
      if ((rwFlags & ~RWF_KNOWN) != 0 || (rwFlags & OpFlags.RWF_ATOMIC) != 0) {
        // RWF_ATOMIC needs O_DIRECT and an atomic-write capable device; none is emulated.
        return -Errno.EOPNOTSUPP;
      }
      VfsFile file = open.file();
      if (file.isDirectory()) {
        return -Errno.EISDIR;
      }
      long requested = 0;
      for (int i = 0; i < req.iovCount; i++) {
        requested += req.iovLen[i];
      }
      req.expected = requested;
      boolean seekable = file.seekable();
      boolean atPosition = req.off == -1 && seekable;
      if (!atPosition && req.off < 0 && seekable) {
        return -Errno.EINVAL;
      }
      boolean append =
          !read
              && ((rwFlags & OpFlags.RWF_APPEND) != 0
                  || ((open.flags() & FileFlags.O_APPEND) != 0
                      && (rwFlags & OpFlags.RWF_NOAPPEND) == 0));
      if (atPosition || append) {
        open.positionLock().lock();
      }
      try {
        long pos = append ? file.size() : atPosition ? open.position() : req.off;
        long done = transfer(req, ctx, file, read, pos);
        if (done > 0 && !read && (rwFlags & (OpFlags.RWF_DSYNC | OpFlags.RWF_SYNC)) != 0) {
          file.sync((rwFlags & OpFlags.RWF_SYNC) == 0);
        }
        if (atPosition && done > 0) {
          open.position(pos + done);
        }
        return (int) done;
      } finally {
        if (atPosition || append) {
          open.positionLock().unlock();
        }
      }
    } catch (VfsException e) {
      // A provider that left mid-transfer closed the file under it: report that as the EIO every
      // later operation on the revoked file gets, not the closed channel's EBADF.
      return desc instanceof OpenFile ? -((OpenFile) desc).errno(e) : -e.errno();
    }
  }

  /**
   * Takes the first buffer of group {@code buf_group} as the request's one iovec, as Linux's {@code
   * io_buffer_select}, which runs before the file's mode is checked; returns false if the group is
   * empty or unknown.
   */
  private static boolean selectBuffer(Request req, RingContext ctx) {
    ProvidedBuffers.Buffer buf = ctx.providedBuffers().select(req.bufIndex);
    if (buf == null) {
      return false;
    }
    long max = Integer.toUnsignedLong(buf.len());
    long len = req.iovLen[0];
    req.iovBase[0] = buf.addr();
    req.iovLen[0] = len == 0 || len > max ? max : len;
    req.cqeFlags = CqeFlags.IORING_CQE_F_BUFFER | buf.bid() << CqeFlags.IORING_CQE_BUFFER_SHIFT;
    return true;
  }

  /**
   * Moves the bytes of every iovec; returns the count moved, or {@code -errno} if nothing moved.
   */
  private static long transfer(Request req, RingContext ctx, VfsFile file, boolean read, long pos)
      throws VfsException {
    boolean fixed = req.opcode == IORING_OP_READ_FIXED || req.opcode == IORING_OP_WRITE_FIXED;
    long done = 0;
    for (int i = 0; i < req.iovCount; i++) {
      long len = req.iovLen[i];
      if (len == 0) {
        continue;
      }
      ByteBuffer buf =
          fixed
              ? ctx.buffers().slice(req.view, req.bufIndex, req.iovBase[i], len)
              : req.view.at(req.iovBase[i], (int) len, read);
      if (buf == null) {
        return done > 0 ? done : -Errno.EFAULT;
      }
      try {
        while (buf.hasRemaining()) {
          int n = read ? file.read(buf, pos + done) : file.write(buf, pos + done);
          if (n <= 0) {
            return done; // end of file: a short read
          }
          done += n;
        }
      } catch (VfsException e) {
        if (done > 0) {
          return done;
        }
        throw e;
      }
    }
    return done;
  }
}
