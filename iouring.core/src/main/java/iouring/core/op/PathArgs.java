package iouring.core.op;

import iouring.api.abi.Errno;
import iouring.api.abi.Limits;
import iouring.core.mem.FaultException;
import iouring.core.mem.UserMemory;

/**
 * Reads the path arguments of file ops out of user memory, as Linux's {@code getname()} does at
 * prep time: a NUL-terminated string, {@code EFAULT} for an unmapped pointer (NULL included),
 * {@code ENAMETOOLONG} when no NUL comes within {@code PATH_MAX} bytes, {@code ENOENT} for an empty
 * string unless the op allows one ({@code LOOKUP_EMPTY}, from {@code AT_EMPTY_PATH}).
 */
final class PathArgs {
  private PathArgs() {}

  /**
   * Reads a path.
   *
   * @param mem the process's memory
   * @param address the user address of the string
   * @param emptyAllowed true where an empty path names the dirfd itself ({@code AT_EMPTY_PATH})
   * @param out where to put the string: {@code out[0]}
   * @return 0 or {@code -errno}
   */
  static int read(UserMemory mem, long address, boolean emptyAllowed, String[] out) {
    if (address == 0) {
      return -Errno.EFAULT;
    }
    try {
      String s = mem.getCString(address, Limits.PATH_MAX - 1);
      if (s == null) {
        return -Errno.ENAMETOOLONG;
      }
      if (s.isEmpty() && !emptyAllowed) {
        return -Errno.ENOENT;
      }
      out[0] = s;
      return 0;
    } catch (FaultException e) {
      return -Errno.EFAULT;
    }
  }
}
