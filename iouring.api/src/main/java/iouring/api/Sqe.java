package iouring.api;

import static iouring.api.abi.SqeLayout.*;

import iouring.api.abi.OpFlags;
import iouring.api.abi.Opcodes;
import iouring.api.abi.OpenHowLayout;
import iouring.api.abi.SqeFlags;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One submission queue entry, {@code struct io_uring_sqe}, seen in place in the mapped SQE array: a
 * flyweight that {@link IoUring} creates once per slot, so that filling an SQE allocates nothing.
 *
 * <p>The {@code prep*} methods are liburing's {@code io_uring_prep_*} helpers and write only the
 * fields their operation uses, as liburing's do; {@link IoUring#getSqe()} has already zeroed the
 * entry. Each returns this, so that a request reads as one chain: {@code ring.getSqe().prepRead(fd,
 * addr, len, 0).userData(7)}. Addresses are user addresses in the process's {@link AddressSpace},
 * as pointers are in C; a path is the address of a NUL-terminated string, which the kernel copies
 * while it consumes the SQE, so its buffer may be reused once {@link IoUring#submit()} returns.
 *
 * <p>An {@code Sqe} belongs to the caller from {@link IoUring#getSqe()} until the next {@link
 * IoUring#submit()}, which hands it to the kernel; the kernel copies it (Linux's {@code
 * IORING_FEAT_SUBMIT_STABLE}) and a later {@code getSqe} returns the same object for a new request,
 * so a reference kept past the submit must not be written.
 */
public final class Sqe {
  private final ByteBuffer sqes;

  /** The same memory for the hot paths when {@link MemoryView#RAW}. */
  private final MemoryView view;

  private final int base;
  private final int size;
  private final boolean littleEndian;

  /** Views the entry at byte {@code base} of the SQE mapping, {@code size} bytes long. */
  Sqe(ByteBuffer sqes, MemoryView view, int base, int size) {
    this.sqes = sqes;
    this.view = view;
    this.base = base;
    this.size = size;
    this.littleEndian = sqes.order() == ByteOrder.LITTLE_ENDIAN;
  }

  /** Zeroes the entry, like liburing's {@code io_uring_initialize_sqe} but for every byte. */
  void clear() {
    ByteBuffer b = sqes;
    int at = base;
    if (MemoryView.RAW) {
      MemoryView v = view;
      v.putLong(at, 0L);
      v.putLong(at + 8, 0L);
      v.putLong(at + 16, 0L);
      v.putLong(at + 24, 0L);
      v.putLong(at + 32, 0L);
      v.putLong(at + 40, 0L);
      v.putLong(at + 48, 0L);
      v.putLong(at + 56, 0L);
      for (int i = 64; i < size; i += 8) {
        v.putLong(at + i, 0L);
      }
      return;
    }
    b.putLong(at, 0L);
    b.putLong(at + 8, 0L);
    b.putLong(at + 16, 0L);
    b.putLong(at + 24, 0L);
    b.putLong(at + 32, 0L);
    b.putLong(at + 40, 0L);
    b.putLong(at + 48, 0L);
    b.putLong(at + 56, 0L);
    for (int i = 64; i < size; i += 8) {
      b.putLong(at + i, 0L); // the second half of an IORING_SETUP_SQE128 entry
    }
  }

  /**
   * Fills the fields every read-write style request uses, like {@code io_uring_prep_rw}: opcode,
   * fd, addr, len and off; the other fields stay as they are.
   *
   * @param opcode an {@code IORING_OP_*} value
   * @param fd the file descriptor, or a registered file index with {@code IOSQE_FIXED_FILE}
   * @param addr the user address of the buffer or iovec array, or 0
   * @param len the buffer length or iovec count
   * @param offset the file offset, -1 for the file position
   * @return this
   */
  public Sqe prepRw(int opcode, int fd, long addr, int len, long offset) {
    if (MemoryView.RAW) { // native order, and only little-endian machines take this path
      MemoryView v = view;
      v.putLong(base, word0(v.getLong(base), opcode, fd));
      v.putLong(base + OFF_LEN, word3(v.getLong(base + OFF_LEN), len));
      v.putLong(base + OFF_OFF, offset);
      v.putLong(base + OFF_ADDR, addr);
      return this;
    }
    if (littleEndian) {
      // Whole words, each merged with the fields it shares (flags and ioprio; op_flags): a
      // kernel reads the SQE a word at a time, and a word load that overlaps several narrower
      // stores still in the store buffer cannot forward from them and waits for them to retire.
      sqes.putLong(base, word0(sqes.getLong(base), opcode, fd));
      sqes.putLong(base + OFF_LEN, word3(sqes.getLong(base + OFF_LEN), len));
    } else {
      sqes.put(base + OFF_OPCODE, (byte) opcode);
      sqes.putInt(base + OFF_FD, fd);
      sqes.putInt(base + OFF_LEN, len);
    }
    sqes.putLong(base + OFF_OFF, offset);
    sqes.putLong(base + OFF_ADDR, addr);
    return this;
  }

  /** The first word with a new opcode and fd, flags and ioprio kept (little-endian). */
  private static long word0(long w0, int opcode, int fd) {
    return (w0 & 0xFFFF_FF00L) | (opcode & 0xFF) | ((long) fd << 32);
  }

  /** The fourth word with a new len, the op flags kept (little-endian). */
  private static long word3(long w3, int len) {
    return (w3 & 0xFFFF_FFFF_0000_0000L) | Integer.toUnsignedLong(len);
  }

  /**
   * Prepares a request that does nothing and completes with result 0, like {@code
   * io_uring_prep_nop}.
   *
   * @return this
   */
  public Sqe prepNop() {
    return prepRw(Opcodes.IORING_OP_NOP, -1, 0L, 0, 0L);
  }

  /**
   * Prepares a read into one buffer, like {@code io_uring_prep_read} and {@code pread(2)}.
   *
   * @param fd the file to read
   * @param bufAddr the user address of the destination
   * @param len the number of bytes to read
   * @param offset the file offset, -1 for the file position
   * @return this
   */
  public Sqe prepRead(int fd, long bufAddr, int len, long offset) {
    return prepRw(Opcodes.IORING_OP_READ, fd, bufAddr, len, offset);
  }

  /**
   * Prepares a write from one buffer, like {@code io_uring_prep_write} and {@code pwrite(2)}.
   *
   * @param fd the file to write
   * @param bufAddr the user address of the source
   * @param len the number of bytes to write
   * @param offset the file offset, -1 for the file position
   * @return this
   */
  public Sqe prepWrite(int fd, long bufAddr, int len, long offset) {
    return prepRw(Opcodes.IORING_OP_WRITE, fd, bufAddr, len, offset);
  }

  /**
   * Prepares a vectored read, like {@code io_uring_prep_readv} and {@code preadv(2)}.
   *
   * @param fd the file to read
   * @param iovecsAddr the user address of an array of {@code struct iovec}
   * @param nrVecs the number of iovecs
   * @param offset the file offset, -1 for the file position
   * @return this
   */
  public Sqe prepReadv(int fd, long iovecsAddr, int nrVecs, long offset) {
    return prepRw(Opcodes.IORING_OP_READV, fd, iovecsAddr, nrVecs, offset);
  }

  /**
   * Prepares a vectored write, like {@code io_uring_prep_writev} and {@code pwritev(2)}.
   *
   * @param fd the file to write
   * @param iovecsAddr the user address of an array of {@code struct iovec}
   * @param nrVecs the number of iovecs
   * @param offset the file offset, -1 for the file position
   * @return this
   */
  public Sqe prepWritev(int fd, long iovecsAddr, int nrVecs, long offset) {
    return prepRw(Opcodes.IORING_OP_WRITEV, fd, iovecsAddr, nrVecs, offset);
  }

  /**
   * Prepares a read into part of a registered buffer, like {@code io_uring_prep_read_fixed}.
   *
   * @param fd the file to read
   * @param bufAddr a user address inside registered buffer {@code bufIndex}
   * @param len the number of bytes to read, which must fit in that buffer
   * @param offset the file offset, -1 for the file position
   * @param bufIndex the index of the registered buffer
   * @return this
   */
  public Sqe prepReadFixed(int fd, long bufAddr, int len, long offset, int bufIndex) {
    prepRw(Opcodes.IORING_OP_READ_FIXED, fd, bufAddr, len, offset);
    sqes.putShort(base + OFF_BUF_INDEX, (short) bufIndex);
    return this;
  }

  /**
   * Prepares a write from part of a registered buffer, like {@code io_uring_prep_write_fixed}.
   *
   * @param fd the file to write
   * @param bufAddr a user address inside registered buffer {@code bufIndex}
   * @param len the number of bytes to write, which must fit in that buffer
   * @param offset the file offset, -1 for the file position
   * @param bufIndex the index of the registered buffer
   * @return this
   */
  public Sqe prepWriteFixed(int fd, long bufAddr, int len, long offset, int bufIndex) {
    prepRw(Opcodes.IORING_OP_WRITE_FIXED, fd, bufAddr, len, offset);
    sqes.putShort(base + OFF_BUF_INDEX, (short) bufIndex);
    return this;
  }

  /**
   * Prepares a file sync, like {@code io_uring_prep_fsync} and {@code fsync(2)}.
   *
   * @param fd the file to sync
   * @param fsyncFlags 0, or {@code IORING_FSYNC_DATASYNC} for {@code fdatasync(2)}
   * @return this
   */
  public Sqe prepFsync(int fd, int fsyncFlags) {
    prepRw(Opcodes.IORING_OP_FSYNC, fd, 0L, 0, 0L);
    sqes.putInt(base + OFF_FSYNC_FLAGS, fsyncFlags);
    return this;
  }

  /**
   * Prepares an open relative to a directory fd, like {@code io_uring_prep_openat} and {@code
   * openat(2)}; the CQE carries the new fd.
   *
   * @param dfd the directory fd a relative path starts from, or {@code AT_FDCWD}
   * @param pathAddr the user address of the NUL-terminated path
   * @param flags {@code O_*} flags
   * @param mode the permission bits of a created file; used only with {@code O_CREAT} or {@code
   *     O_TMPFILE}
   * @return this
   */
  public Sqe prepOpenat(int dfd, long pathAddr, int flags, int mode) {
    prepRw(Opcodes.IORING_OP_OPENAT, dfd, pathAddr, mode, 0L);
    sqes.putInt(base + OFF_OPEN_FLAGS, flags);
    return this;
  }

  /**
   * Prepares an open into a registered-file slot instead of the fd table, like {@code
   * io_uring_prep_openat_direct}; the CQE carries 0, or the slot chosen for {@code
   * IORING_FILE_INDEX_ALLOC}.
   *
   * @param dfd the directory fd a relative path starts from, or {@code AT_FDCWD}
   * @param pathAddr the user address of the NUL-terminated path
   * @param flags {@code O_*} flags, without {@code O_CLOEXEC}
   * @param mode the permission bits of a created file
   * @param fileIndex the slot, from 0, or {@code IORING_FILE_INDEX_ALLOC} for any free one
   * @return this
   */
  public Sqe prepOpenatDirect(int dfd, long pathAddr, int flags, int mode, int fileIndex) {
    prepOpenat(dfd, pathAddr, flags, mode);
    return targetFixedFile(fileIndex);
  }

  /**
   * Prepares an open described by a {@code struct open_how}, like {@code io_uring_prep_openat2} and
   * {@code openat2(2)}: {@code len} is set to the 24 bytes of {@link OpenHowLayout#SIZE}.
   *
   * @param dfd the directory fd a relative path starts from, or {@code AT_FDCWD}
   * @param pathAddr the user address of the NUL-terminated path
   * @param howAddr the user address of the {@code struct open_how}
   * @return this
   */
  public Sqe prepOpenat2(int dfd, long pathAddr, long howAddr) {
    return prepRw(Opcodes.IORING_OP_OPENAT2, dfd, pathAddr, OpenHowLayout.SIZE, howAddr);
  }

  /**
   * Prepares an {@code openat2} into a registered-file slot, like {@code
   * io_uring_prep_openat2_direct}.
   *
   * @param dfd the directory fd a relative path starts from, or {@code AT_FDCWD}
   * @param pathAddr the user address of the NUL-terminated path
   * @param howAddr the user address of the {@code struct open_how}
   * @param fileIndex the slot, from 0, or {@code IORING_FILE_INDEX_ALLOC} for any free one
   * @return this
   */
  public Sqe prepOpenat2Direct(int dfd, long pathAddr, long howAddr, int fileIndex) {
    prepOpenat2(dfd, pathAddr, howAddr);
    return targetFixedFile(fileIndex);
  }

  /**
   * Prepares a close, like {@code io_uring_prep_close} and {@code close(2)}.
   *
   * @param fd the fd to close; a ring's own fd cannot be closed this way ({@code EBADF})
   * @return this
   */
  public Sqe prepClose(int fd) {
    return prepRw(Opcodes.IORING_OP_CLOSE, fd, 0L, 0, 0L);
  }

  /**
   * Prepares the close of a registered-file slot, like {@code io_uring_prep_close_direct}.
   *
   * @param fileIndex the slot, from 0
   * @return this
   */
  public Sqe prepCloseDirect(int fileIndex) {
    prepClose(0);
    return targetFixedFile(fileIndex);
  }

  /**
   * Prepares an update of registered-file slots from an array of fds, like {@code
   * io_uring_prep_files_update}; the CQE carries the number of entries processed. An fd of -1
   * empties its slot, {@code IORING_REGISTER_FILES_SKIP} (-2) leaves it.
   *
   * @param fdsAddr the user address of the {@code int} fd array
   * @param nrFds the number of fds
   * @param offset the first slot, or {@code IORING_FILE_INDEX_ALLOC} to put each fd in any free
   *     slot and have the kernel write the chosen slot over it in the array
   * @return this
   */
  public Sqe prepFilesUpdate(long fdsAddr, int nrFds, int offset) {
    return prepRw(
        Opcodes.IORING_OP_FILES_UPDATE, -1, fdsAddr, nrFds, Integer.toUnsignedLong(offset));
  }

  /**
   * Prepares giving a registered file an fd of the process, like {@code
   * io_uring_prep_fixed_fd_install}; the CQE carries the new fd. Sets {@code IOSQE_FIXED_FILE},
   * which the op requires.
   *
   * @param fileIndex the registered-file slot, from 0
   * @param flags 0 (the fd is close-on-exec) or {@code IORING_FIXED_FD_NO_CLOEXEC}
   * @return this
   */
  public Sqe prepFixedFdInstall(int fileIndex, int flags) {
    prepRw(Opcodes.IORING_OP_FIXED_FD_INSTALL, fileIndex, 0L, 0, 0L);
    sqes.put(base + OFF_FLAGS, (byte) SqeFlags.IOSQE_FIXED_FILE);
    sqes.putInt(base + OFF_INSTALL_FD_FLAGS, flags);
    return this;
  }

  /**
   * Prepares handing buffers to the kernel for {@code IOSQE_BUFFER_SELECT}, like {@code
   * io_uring_prep_provide_buffers}: {@code nr} buffers of {@code len} bytes, one after the other
   * from {@code addr}, with ids {@code bid}, {@code bid + 1}, ... in group {@code bgid}.
   *
   * @param addr the user address of the first buffer
   * @param len the length of each buffer
   * @param nr the number of buffers, 1 to 65536
   * @param bgid the buffer group, 0 to 65535
   * @param bid the first buffer id
   * @return this
   */
  public Sqe prepProvideBuffers(long addr, int len, int nr, int bgid, int bid) {
    prepRw(Opcodes.IORING_OP_PROVIDE_BUFFERS, nr, addr, len, Integer.toUnsignedLong(bid));
    return bufIndex(bgid);
  }

  /**
   * Prepares taking buffers back from a group, like {@code io_uring_prep_remove_buffers}; the CQE
   * carries the number removed.
   *
   * @param nr the most buffers to remove
   * @param bgid the buffer group
   * @return this
   */
  public Sqe prepRemoveBuffers(int nr, int bgid) {
    prepRw(Opcodes.IORING_OP_REMOVE_BUFFERS, nr, 0L, 0, 0L);
    return bufIndex(bgid);
  }

  /**
   * Sets {@code file_index} for a slot, as liburing's {@code __io_uring_set_target_fixed_file}:
   * slot + 1, since 0 means the fd table; {@code IORING_FILE_INDEX_ALLOC} stays {@code ~0U}.
   */
  private Sqe targetFixedFile(int fileIndex) {
    int slot = fileIndex == OpFlags.IORING_FILE_INDEX_ALLOC ? fileIndex - 1 : fileIndex;
    return fileIndex(slot + 1);
  }

  /**
   * Prepares a file status query, like {@code io_uring_prep_statx} and {@code statx(2)}.
   *
   * @param dfd the directory fd a relative path starts from, {@code AT_FDCWD}, or the file itself
   *     with an empty path and {@code AT_EMPTY_PATH}
   * @param pathAddr the user address of the NUL-terminated path
   * @param flags {@code AT_*} flags: {@code AT_EMPTY_PATH}, {@code AT_SYMLINK_NOFOLLOW}, {@code
   *     AT_NO_AUTOMOUNT}, {@code AT_STATX_*}
   * @param mask the {@code STATX_*} fields wanted
   * @param statxbufAddr the user address of the 256-byte {@code struct statx} to fill
   * @return this
   */
  public Sqe prepStatx(int dfd, long pathAddr, int flags, int mask, long statxbufAddr) {
    prepRw(Opcodes.IORING_OP_STATX, dfd, pathAddr, mask, statxbufAddr);
    sqes.putInt(base + OFF_STATX_FLAGS, flags);
    return this;
  }

  /**
   * Prepares the removal of a name, like {@code io_uring_prep_unlinkat} and {@code unlinkat(2)}.
   *
   * @param dfd the directory fd a relative path starts from, or {@code AT_FDCWD}
   * @param pathAddr the user address of the NUL-terminated path
   * @param flags 0 for a file, {@code AT_REMOVEDIR} for an empty directory
   * @return this
   */
  public Sqe prepUnlinkat(int dfd, long pathAddr, int flags) {
    prepRw(Opcodes.IORING_OP_UNLINKAT, dfd, pathAddr, 0, 0L);
    sqes.putInt(base + OFF_UNLINK_FLAGS, flags);
    return this;
  }

  /**
   * Prepares a rename, like {@code io_uring_prep_renameat} and {@code renameat2(2)}.
   *
   * @param olddfd the directory fd {@code oldAddr} starts from, or {@code AT_FDCWD}
   * @param oldAddr the user address of the NUL-terminated old path
   * @param newdfd the directory fd {@code newAddr} starts from, or {@code AT_FDCWD}
   * @param newAddr the user address of the NUL-terminated new path
   * @param flags {@code RENAME_*} flags
   * @return this
   */
  public Sqe prepRenameat(int olddfd, long oldAddr, int newdfd, long newAddr, int flags) {
    prepRw(Opcodes.IORING_OP_RENAMEAT, olddfd, oldAddr, newdfd, newAddr);
    sqes.putInt(base + OFF_RENAME_FLAGS, flags);
    return this;
  }

  /**
   * Prepares the creation of a directory, like {@code io_uring_prep_mkdirat} and {@code
   * mkdirat(2)}.
   *
   * @param dfd the directory fd a relative path starts from, or {@code AT_FDCWD}
   * @param pathAddr the user address of the NUL-terminated path
   * @param mode the permission bits
   * @return this
   */
  public Sqe prepMkdirat(int dfd, long pathAddr, int mode) {
    return prepRw(Opcodes.IORING_OP_MKDIRAT, dfd, pathAddr, mode, 0L);
  }

  /**
   * Prepares the creation of a symbolic link, like {@code io_uring_prep_symlinkat} and {@code
   * symlinkat(2)}.
   *
   * @param targetAddr the user address of the NUL-terminated text the link holds
   * @param newdirfd the directory fd {@code linkpathAddr} starts from, or {@code AT_FDCWD}
   * @param linkpathAddr the user address of the NUL-terminated path of the new link
   * @return this
   */
  public Sqe prepSymlinkat(long targetAddr, int newdirfd, long linkpathAddr) {
    return prepRw(Opcodes.IORING_OP_SYMLINKAT, newdirfd, targetAddr, 0, linkpathAddr);
  }

  /**
   * Prepares the creation of a hard link, like {@code io_uring_prep_linkat} and {@code linkat(2)}.
   *
   * @param olddfd the directory fd {@code oldAddr} starts from, or {@code AT_FDCWD}
   * @param oldAddr the user address of the NUL-terminated path of the existing file
   * @param newdfd the directory fd {@code newAddr} starts from, or {@code AT_FDCWD}
   * @param newAddr the user address of the NUL-terminated path of the new name
   * @param flags 0, {@code AT_SYMLINK_FOLLOW} or {@code AT_EMPTY_PATH}
   * @return this
   */
  public Sqe prepLinkat(int olddfd, long oldAddr, int newdfd, long newAddr, int flags) {
    prepRw(Opcodes.IORING_OP_LINKAT, olddfd, oldAddr, newdfd, newAddr);
    sqes.putInt(base + OFF_HARDLINK_FLAGS, flags);
    return this;
  }

  /**
   * Prepares a space allocation, like {@code io_uring_prep_fallocate} and {@code fallocate(2)}:
   * {@code len} carries the mode, {@code addr} the length.
   *
   * @param fd the file, open for writing
   * @param mode 0 or {@code FALLOC_FL_*} flags
   * @param offset the first byte of the range
   * @param len the length of the range, greater than 0
   * @return this
   */
  public Sqe prepFallocate(int fd, int mode, long offset, long len) {
    prepRw(Opcodes.IORING_OP_FALLOCATE, fd, 0L, mode, offset);
    sqes.putLong(base + OFF_ADDR, len);
    return this;
  }

  /**
   * Prepares a change of a file's size, like {@code io_uring_prep_ftruncate} and {@code
   * ftruncate(2)}.
   *
   * @param fd the regular file, open for writing
   * @param len the new size
   * @return this
   */
  public Sqe prepFtruncate(int fd, long len) {
    return prepRw(Opcodes.IORING_OP_FTRUNCATE, fd, 0L, 0, len);
  }

  /**
   * Prepares advice about a file's access pattern, like {@code io_uring_prep_fadvise} and {@code
   * posix_fadvise(2)}.
   *
   * @param fd the file
   * @param offset the first byte the advice is about
   * @param len the number of bytes, unsigned; 0 means to the end of the file
   * @param advice a {@code POSIX_FADV_*} value
   * @return this
   */
  public Sqe prepFadvise(int fd, long offset, int len, int advice) {
    prepRw(Opcodes.IORING_OP_FADVISE, fd, 0L, len, offset);
    sqes.putInt(base + OFF_FADVISE_ADVICE, advice);
    return this;
  }

  /**
   * Prepares advice about a file's access pattern with a 64-bit length, like {@code
   * io_uring_prep_fadvise64}: the length goes in {@code addr}.
   *
   * @param fd the file
   * @param offset the first byte the advice is about
   * @param len the number of bytes; 0 means to the end of the file
   * @param advice a {@code POSIX_FADV_*} value
   * @return this
   */
  public Sqe prepFadvise64(int fd, long offset, long len, int advice) {
    prepRw(Opcodes.IORING_OP_FADVISE, fd, 0L, 0, offset);
    sqes.putLong(base + OFF_ADDR, len);
    sqes.putInt(base + OFF_FADVISE_ADVICE, advice);
    return this;
  }

  /**
   * Prepares a sync of part of a file, like {@code io_uring_prep_sync_file_range} and {@code
   * sync_file_range(2)}; note that the length comes before the offset, as in liburing.
   *
   * @param fd the file
   * @param len the number of bytes, unsigned; 0 means to the end of the file
   * @param offset the first byte of the range
   * @param flags {@code SYNC_FILE_RANGE_*} flags
   * @return this
   */
  public Sqe prepSyncFileRange(int fd, int len, long offset, int flags) {
    prepRw(Opcodes.IORING_OP_SYNC_FILE_RANGE, fd, 0L, len, offset);
    sqes.putInt(base + OFF_SYNC_RANGE_FLAGS, flags);
    return this;
  }

  /**
   * Prepares the read of an extended attribute of an open file, like {@code
   * io_uring_prep_fgetxattr} and {@code fgetxattr(2)}; the CQE carries the value's size.
   *
   * @param fd the file
   * @param nameAddr the user address of the NUL-terminated name, such as {@code user.comment}
   * @param valueAddr the user address of the buffer for the value
   * @param len the buffer's size; 0 asks only for the value's size
   * @return this
   */
  public Sqe prepFgetxattr(int fd, long nameAddr, long valueAddr, int len) {
    prepRw(Opcodes.IORING_OP_FGETXATTR, fd, nameAddr, len, valueAddr);
    sqes.putInt(base + OFF_XATTR_FLAGS, 0);
    return this;
  }

  /**
   * Prepares the write of an extended attribute of an open file, like {@code
   * io_uring_prep_fsetxattr} and {@code fsetxattr(2)}.
   *
   * @param fd the file
   * @param nameAddr the user address of the NUL-terminated name
   * @param valueAddr the user address of the value
   * @param flags 0, {@code XATTR_CREATE} or {@code XATTR_REPLACE}
   * @param len the value's size in bytes
   * @return this
   */
  public Sqe prepFsetxattr(int fd, long nameAddr, long valueAddr, int flags, int len) {
    prepRw(Opcodes.IORING_OP_FSETXATTR, fd, nameAddr, len, valueAddr);
    sqes.putInt(base + OFF_XATTR_FLAGS, flags);
    return this;
  }

  /**
   * Prepares the read of an extended attribute by path, like {@code io_uring_prep_getxattr} and
   * {@code getxattr(2)}; a relative path starts at the working directory.
   *
   * @param nameAddr the user address of the NUL-terminated name
   * @param valueAddr the user address of the buffer for the value
   * @param pathAddr the user address of the NUL-terminated path, followed if a symbolic link
   * @param len the buffer's size; 0 asks only for the value's size
   * @return this
   */
  public Sqe prepGetxattr(long nameAddr, long valueAddr, long pathAddr, int len) {
    prepRw(Opcodes.IORING_OP_GETXATTR, 0, nameAddr, len, valueAddr);
    sqes.putInt(base + OFF_XATTR_FLAGS, 0);
    return addr3(pathAddr);
  }

  /**
   * Prepares the write of an extended attribute by path, like {@code io_uring_prep_setxattr} and
   * {@code setxattr(2)}.
   *
   * @param nameAddr the user address of the NUL-terminated name
   * @param valueAddr the user address of the value
   * @param pathAddr the user address of the NUL-terminated path, followed if a symbolic link
   * @param flags 0, {@code XATTR_CREATE} or {@code XATTR_REPLACE}
   * @param len the value's size in bytes
   * @return this
   */
  public Sqe prepSetxattr(long nameAddr, long valueAddr, long pathAddr, int flags, int len) {
    prepRw(Opcodes.IORING_OP_SETXATTR, 0, nameAddr, len, valueAddr);
    sqes.putInt(base + OFF_XATTR_FLAGS, flags);
    return addr3(pathAddr);
  }

  /**
   * Sets {@code user_data}, the value the kernel copies into this request's CQE, like {@code
   * io_uring_sqe_set_data64}.
   *
   * @param userData any value
   * @return this
   */
  public Sqe userData(long userData) {
    if (MemoryView.RAW) {
      view.putLong(base + OFF_USER_DATA, userData);
    } else {
      sqes.putLong(base + OFF_USER_DATA, userData);
    }
    return this;
  }

  /**
   * Sets the {@code IOSQE_*} flags byte, replacing what was there, like {@code
   * io_uring_sqe_set_flags}.
   *
   * @param flags {@code IOSQE_*} bits; only the low 8 bits are stored
   * @return this
   */
  public Sqe flags(int flags) {
    sqes.put(base + OFF_FLAGS, (byte) flags);
    return this;
  }

  /**
   * Sets {@code ioprio}, the I/O priority of a read or write.
   *
   * @param ioprio an {@code ioprio_set(2)} value; only the low 16 bits are stored
   * @return this
   */
  public Sqe ioprio(int ioprio) {
    sqes.putShort(base + OFF_IOPRIO, (short) ioprio);
    return this;
  }

  /**
   * Sets {@code rw_flags}, the {@code RWF_*} bits of a read or write, as {@code preadv2(2)} takes
   * them.
   *
   * @param rwFlags {@code RWF_*} bits
   * @return this
   */
  public Sqe rwFlags(int rwFlags) {
    sqes.putInt(base + OFF_RW_FLAGS, rwFlags);
    return this;
  }

  /**
   * Sets {@code buf_index}, the registered buffer of a fixed read or write, or {@code buf_group},
   * the buffer group of a request with {@code IOSQE_BUFFER_SELECT}.
   *
   * @param bufIndex the index or group; only the low 16 bits are stored
   * @return this
   */
  public Sqe bufIndex(int bufIndex) {
    sqes.putShort(base + OFF_BUF_INDEX, (short) bufIndex);
    return this;
  }

  /**
   * Sets {@code file_index} as it is stored: a registered-file slot plus one, 0 for the fd table,
   * {@code IORING_FILE_INDEX_ALLOC} for any free slot. The {@code prep*Direct} methods encode it
   * themselves; this raw setter is for fields liburing has no helper for.
   *
   * @param fileIndex the raw value, which shares its bytes with {@code splice_fd_in}
   * @return this
   */
  public Sqe fileIndex(int fileIndex) {
    sqes.putInt(base + OFF_FILE_INDEX, fileIndex);
    return this;
  }

  /**
   * Sets {@code addr2}, which shares its bytes with {@code off}: the second address of ops that
   * take two, such as the new path of a rename.
   *
   * @param addr2 the value
   * @return this
   */
  public Sqe addr2(long addr2) {
    sqes.putLong(base + OFF_ADDR2, addr2);
    return this;
  }

  /**
   * Sets {@code addr3}, the third address of ops that take three, such as the path of {@code
   * GETXATTR}.
   *
   * @param addr3 the value
   * @return this
   */
  public Sqe addr3(long addr3) {
    sqes.putLong(base + OFF_ADDR3, addr3);
    return this;
  }

  /**
   * Sets {@code personality}, the registered credentials the request runs with; 0 for the
   * submitter's own.
   *
   * @param personality the id; only the low 16 bits are stored
   * @return this
   */
  public Sqe personality(int personality) {
    sqes.putShort(base + OFF_PERSONALITY, (short) personality);
    return this;
  }
}
