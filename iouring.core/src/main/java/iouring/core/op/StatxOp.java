package iouring.core.op;

import static iouring.api.abi.FileFlags.*;
import static iouring.api.abi.Statx.*;

import iouring.api.abi.Errno;
import iouring.api.abi.SqeFlags;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsStat;
import iouring.core.fd.FileDescription;
import iouring.core.fd.OpenFile;
import iouring.core.mem.FaultException;
import iouring.core.task.Task;
import iouring.core.vfs.MountTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code IORING_OP_STATX}, as Linux's {@code statx.c}: {@code fd} is the directory fd, {@code addr}
 * the path, {@code len} the mask, {@code addr2} the {@code struct statx} to fill and {@code
 * statx_flags} the {@code AT_*} flags. The result mask has the basic stats, the mount id, and the
 * birth time where the provider keeps one.
 */
final class StatxOp implements Op {
  private static final int VALID_FLAGS =
      AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE;

  @Override
  public int prep(Request req, RingContext ctx) {
    if (req.bufIndex != 0 || req.spliceFdIn != 0) {
      return -Errno.EINVAL;
    }
    if ((req.flags & SqeFlags.IOSQE_FIXED_FILE) != 0) {
      return -Errno.EBADF;
    }
    // getname_uflags: statx(2) takes a NULL path with AT_EMPTY_PATH for an empty one, but
    // io_uring copies the path like any other, so NULL is EFAULT here.
    String[] path = new String[1];
    int err = PathArgs.read(ctx.memory(), req.addr, (req.opFlags & AT_EMPTY_PATH) != 0, path);
    req.path = path[0];
    return err;
  }

  @Override
  public int issue(Request req, RingContext ctx) {
    int flags = req.opFlags;
    if ((flags & ~VALID_FLAGS) != 0 || (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE) {
      return -Errno.EINVAL;
    }
    if ((req.len & STATX__RESERVED) != 0) {
      return -Errno.EINVAL;
    }
    Task task = ctx.task();
    VfsStat stat;
    int mountId;
    try {
      if (req.path.isEmpty()) { // only with AT_EMPTY_PATH: prep refused it otherwise
        if (req.fd == AT_FDCWD) {
          MountTable.Resolved at = task.mounts().resolve("/");
          stat = at.provider().stat(at.relativePath(), true);
          mountId = at.mountId();
        } else {
          FileDescription file = task.files().retain(req.fd);
          if (file == null) {
            return -Errno.EBADF;
          }
          try {
            if (!(file instanceof OpenFile)) {
              return -Errno.EOPNOTSUPP; // an anonymous inode (a ring) has no provider status
            }
            stat = ((OpenFile) file).file().stat();
            mountId = task.mounts().resolve(((OpenFile) file).path()).mountId();
          } finally {
            file.release();
          }
        }
      } else {
        MountTable.Resolved at = task.resolve(req.fd, req.path);
        // A trailing slash asks for a directory: a last symlink is followed, whatever the flags.
        boolean slash = Task.trailingSlash(req.path);
        stat = at.provider().stat(at.relativePath(), slash || (flags & AT_SYMLINK_NOFOLLOW) == 0);
        if (slash && (stat.mode() & S_IFMT) != S_IFDIR) {
          return -Errno.ENOTDIR;
        }
        mountId = at.mountId();
      }
    } catch (VfsException e) {
      return -e.errno();
    }
    return write(ctx, req.off, stat, mountId);
  }

  /** Fills {@code struct statx} at a user address, as {@code cp_statx} copies it out. */
  private static int write(RingContext ctx, long address, VfsStat s, int mountId) {
    ByteBuffer b = ByteBuffer.allocate(STATX_SIZE_BYTES).order(ByteOrder.nativeOrder());
    int mask = STATX_BASIC_STATS | STATX_MNT_ID;
    if (s.btimeNanos() != VfsStat.NO_TIME) {
      mask |= STATX_BTIME;
      putTime(b, OFF_STX_BTIME, s.btimeNanos());
    }
    b.putInt(OFF_STX_MASK, mask);
    b.putInt(OFF_STX_BLKSIZE, s.blksize());
    b.putInt(OFF_STX_NLINK, s.nlink());
    b.putInt(OFF_STX_UID, s.uid());
    b.putInt(OFF_STX_GID, s.gid());
    b.putShort(OFF_STX_MODE, (short) s.mode());
    b.putLong(OFF_STX_INO, s.ino());
    b.putLong(OFF_STX_SIZE, s.size());
    b.putLong(OFF_STX_BLOCKS, s.blocks());
    putTime(b, OFF_STX_ATIME, s.atimeNanos());
    putTime(b, OFF_STX_MTIME, s.mtimeNanos());
    putTime(b, OFF_STX_CTIME, s.ctimeNanos());
    b.putInt(OFF_STX_DEV_MAJOR, s.devMajor());
    b.putInt(OFF_STX_DEV_MINOR, s.devMinor());
    b.putLong(OFF_STX_MNT_ID, mountId);
    try {
      ctx.memory().put(address, b);
      return 0;
    } catch (FaultException e) {
      return -Errno.EFAULT;
    }
  }

  private static void putTime(ByteBuffer b, int offset, long nanos) {
    if (nanos == VfsStat.NO_TIME) {
      return;
    }
    b.putLong(offset, Math.floorDiv(nanos, 1_000_000_000L));
    b.putInt(offset + 8, (int) Math.floorMod(nanos, 1_000_000_000L));
  }
}
