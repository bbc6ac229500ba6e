package iouring.core.op;

import static iouring.api.abi.OpFlags.IORING_FILE_INDEX_ALLOC;

import iouring.api.abi.Errno;
import iouring.api.abi.SqeFlags;
import iouring.core.fd.FileDescription;
import iouring.core.mem.FaultException;
import iouring.core.mem.UserMemory;
import iouring.core.rsrc.FileTable;

/**
 * {@code IORING_OP_FILES_UPDATE}, as Linux's {@code io_files_update} ({@code rsrc.c}): {@code
 * IORING_REGISTER_FILES_UPDATE} from the ring. {@code addr} is an array of {@code len} {@code s32}
 * fds, {@code off} the first slot; or {@code off} is {@code IORING_FILE_INDEX_ALLOC}, and each fd
 * goes into a free slot whose number is written back over the fd in the array. The result is the
 * number of entries processed, or the first entry's error.
 */
final class FilesUpdate implements Op {

  @Override
  public int prep(Request req, RingContext ctx) {
    if ((req.flags & SqeFlags.IOSQE_FIXED_FILE) != 0) {
      return -Errno.EINVAL;
    }
    if (req.opFlags != 0 || req.spliceFdIn != 0) {
      return -Errno.EINVAL;
    }
    if (req.len == 0) {
      return -Errno.EINVAL;
    }
    return 0;
  }

  @Override
  public int issue(Request req, RingContext ctx) {
    int offset = (int) req.off; // Linux keeps the low 32 bits of sqe->off
    FileTable table = ctx.fixedFiles();
    if (offset == IORING_FILE_INDEX_ALLOC) {
      return updateWithAlloc(req, ctx, table);
    }
    if (Integer.toUnsignedLong(offset) + Integer.toUnsignedLong(req.len) > 0xffff_ffffL) {
      return -Errno.EOVERFLOW;
    }
    return table.update(ctx.task().files(), ctx.memory(), offset, req.addr, req.len);
  }

  /** Linux's {@code io_files_update_with_index_alloc}. */
  private static int updateWithAlloc(Request req, RingContext ctx, FileTable table) {
    if (table.size() == 0) {
      return -Errno.ENXIO;
    }
    UserMemory mem = ctx.memory();
    int count = req.len;
    int done = 0;
    int err = 0;
    for (; Integer.compareUnsigned(done, count) < 0; done++) {
      long at = req.addr + 4L * done;
      int fd;
      try {
        fd = mem.getInt(at);
      } catch (FaultException e) {
        err = -Errno.EFAULT;
        break;
      }
      FileDescription file = FileTable.fget(ctx.task().files(), fd);
      if (file == null) {
        err = -Errno.EBADF;
        break;
      }
      int slot = table.install(file, IORING_FILE_INDEX_ALLOC);
      if (slot < 0) {
        err = slot;
        break;
      }
      try {
        mem.putInt(at, slot);
      } catch (FaultException e) {
        table.remove(slot); // the application cannot learn the slot: take the file back out
        err = -Errno.EFAULT;
        break;
      }
    }
    return done > 0 ? done : err;
  }
}
