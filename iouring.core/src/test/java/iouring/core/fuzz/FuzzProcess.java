package iouring.core.fuzz;

import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.FileFlags;
import iouring.api.abi.GeteventsArgLayout;
import iouring.api.abi.IovecLayout;
import iouring.api.abi.MmapOffsets;
import iouring.api.abi.RegisterOpcodes;
import iouring.api.abi.SetupFlags;
import iouring.api.abi.SqeLayout;
import iouring.api.abi.TimespecLayout;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsProvider;
import iouring.core.Kernel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One fuzzed process: its files, its mapped memory and two rings. The clean ring is driven by the
 * protocol and checked for exact CQE accounting; the tampered ring has its memory overwritten with
 * garbage between calls and is only checked for the invariants that hold whatever the application
 * does.
 *
 * <p>Memory, in mapping order, so that each target sits between two guards:
 *
 * <pre>
 * GUARD0 | A (4 KiB, writable) | GUARD1 | B (64 B, writable) | GUARD2 | RO (read-only) | PATHS |
 * IOV (rewritten before each call) | HOW (open_how) | ARG (getevents arg, 50 us timespec) |
 * REGIOV (the registered buffers' iovecs) | GUARD3
 * </pre>
 *
 * Only A and B may be written by an SQE; every other region is compared with its copy after every
 * call. The guards are writable mappings that no generated pointer reaches: pointers land inside a
 * region or within one page around it, which is unmapped (mappings are a page apart). The regions
 * between A, B and the guards are mapped read-only, so a read into them must fault.
 */
final class FuzzProcess implements AutoCloseable {
  static final int GUARD0 = 0;
  static final int A = 1;
  static final int GUARD1 = 2;
  static final int B = 3;
  static final int GUARD2 = 4;
  static final int RO = 5;
  static final int PATHS = 6;
  static final int IOV = 7;
  static final int HOW = 8;
  static final int ARG = 9;
  static final int REGIOV = 10;
  static final int GUARD3 = 11;

  /** Regions a generated pointer may start in; guards are left out on purpose. */
  static final int[] POINTER_REGIONS = {A, B, RO, PATHS, IOV, HOW, ARG};

  static final int IOV_COUNT = 8;

  /** Path strings, NUL-terminated, at these offsets of PATHS; the last one has no NUL. */
  static final String[] PATH_STRINGS = {
    "/a",
    "/b",
    "/dir",
    "a",
    "/new",
    "/dir/x",
    "/../outside/secret",
    "../../outside/secret",
    "/dir/../../outside",
    "",
    "/a/",
    "user.x",
    "/."
  };

  static final int[] PATH_OFFSETS = new int[PATH_STRINGS.length + 1];

  /** The fd choices an SQE's fd may name; {@link Fd} holds raw values too. */
  static final int FILE_RW = 0;

  static final int FILE_RO = 1;
  static final int DIR = 2;
  static final int CLOSED = 3;
  static final int CLEAN_RING = 4;
  static final int TAMPERED_RING = 5;
  static final int FD_CHOICES = 6;

  /** A user region: its buffer, address and whether SQEs may write it. */
  record Region(ByteBuffer buffer, long address, boolean writable) {}

  final IoUringProcess process;
  final Region[] regions = new Region[12];
  private final byte[][] copies = new byte[12][];
  private final int[] fds = new int[FD_CHOICES];
  final RingView clean;
  final RingView tampered;

  FuzzProcess(VfsProvider provider) throws VfsException {
    createFiles(provider);
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, provider);
    process = kernel.newProcess();
    int[] sizes = {4096, 4096, 4096, 64, 4096, 64, 256, IOV_COUNT * 16, 64, 64, 32, 4096};
    for (int i = 0; i < sizes.length; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(sizes[i]).order(ByteOrder.nativeOrder());
      for (int j = 0; j < b.capacity(); j++) {
        b.put(j, (byte) (i * 31 + j));
      }
      if (i == A || i == B) {
        b.clear();
      }
      fillRegion(i, b);
      ByteBuffer mapped = isGuard(i) || i == A || i == B ? b : b.asReadOnlyBuffer();
      regions[i] = new Region(b, process.memory().map(mapped), i == A || i == B);
    }
    writeRegIov();
    writeArg();
    fds[FILE_RW] = process.openat(FileFlags.AT_FDCWD, "/a", FileFlags.O_RDWR, 0);
    fds[FILE_RO] = process.openat(FileFlags.AT_FDCWD, "/b", FileFlags.O_RDONLY, 0);
    fds[DIR] =
        process.openat(FileFlags.AT_FDCWD, "/dir", FileFlags.O_RDONLY | FileFlags.O_DIRECTORY, 0);
    clean = new RingView(process, 16, 32);
    tampered = new RingView(process, 8, 16);
    fds[CLEAN_RING] = clean.fd;
    fds[TAMPERED_RING] = tampered.fd;
    for (RingView r : List.of(clean, tampered)) {
      process.register(r.fd, RegisterOpcodes.IORING_REGISTER_BUFFERS, regions[REGIOV].address(), 2);
    }
    fds[CLOSED] = process.openat(FileFlags.AT_FDCWD, "/b", FileFlags.O_RDONLY, 0);
    process.close(fds[CLOSED]);
    snapshot();
  }

  private static boolean isGuard(int i) {
    return i == GUARD0 || i == GUARD1 || i == GUARD2 || i == GUARD3;
  }

  private static void createFiles(VfsProvider provider) throws VfsException {
    for (String name : new String[] {"/a", "/b"}) {
      VfsFile f = provider.open(name, FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
      try {
        byte[] content = new byte[8192];
        Arrays.fill(content, (byte) name.charAt(1));
        f.write(ByteBuffer.wrap(content), 0);
      } finally {
        f.close();
      }
    }
    provider.mkdir("/dir", 0755);
  }

  private static void fillRegion(int i, ByteBuffer b) {
    if (i == PATHS) {
      int at = 0;
      for (int s = 0; s < PATH_STRINGS.length; s++) {
        PATH_OFFSETS[s] = at;
        byte[] bytes = PATH_STRINGS[s].getBytes(StandardCharsets.UTF_8);
        b.put(at, bytes);
        b.put(at + bytes.length, (byte) 0);
        at += bytes.length + 1;
      }
      // The last string runs to the end of the mapping without a NUL.
      PATH_OFFSETS[PATH_STRINGS.length] = at;
      for (int j = at; j < b.capacity(); j++) {
        b.put(j, (byte) 'z');
      }
    } else if (i == HOW) {
      for (int j = 0; j < b.capacity(); j++) {
        b.put(j, (byte) 0);
      }
      b.putLong(0, FileFlags.O_RDONLY); // open_how.flags; mode and resolve 0
    }
  }

  private void writeRegIov() {
    ByteBuffer iov = regions[REGIOV].buffer();
    iov.putLong(IovecLayout.OFF_IOV_BASE, regions[A].address());
    iov.putLong(IovecLayout.OFF_IOV_LEN, regions[A].buffer().capacity());
    iov.putLong(IovecLayout.SIZE + IovecLayout.OFF_IOV_BASE, regions[B].address());
    iov.putLong(IovecLayout.SIZE + IovecLayout.OFF_IOV_LEN, regions[B].buffer().capacity());
  }

  /** The getevents arg at ARG: no sigmask, no min wait, a timespec of 50 us at ARG + 32. */
  private void writeArg() {
    ByteBuffer arg = regions[ARG].buffer();
    for (int j = 0; j < arg.capacity(); j++) {
      arg.put(j, (byte) 0);
    }
    long ts = regions[ARG].address() + 32;
    arg.putLong(GeteventsArgLayout.OFF_TS, ts);
    arg.putLong(32 + TimespecLayout.OFF_TV_SEC, 0);
    arg.putLong(32 + TimespecLayout.OFF_TV_NSEC, 50_000);
  }

  /** Returns the address of a good {@code struct io_uring_getevents_arg} with a 50 us timeout. */
  long goodArg() {
    return regions[ARG].address();
  }

  Region region(int i) {
    return regions[i];
  }

  int fd(Fd fd) {
    return fd.choice() >= 0 ? fds[fd.choice()] : fd.raw();
  }

  /** Rewrites the iovec array with generated entries and takes it into the copies. */
  void writeIovecs(List<Iov> iovs) {
    ByteBuffer b = regions[IOV].buffer();
    for (int i = 0; i < IOV_COUNT; i++) {
      Iov v = iovs.get(i % iovs.size());
      b.putLong(i * IovecLayout.SIZE + IovecLayout.OFF_IOV_BASE, v.base().resolve(this));
      b.putLong(i * IovecLayout.SIZE + IovecLayout.OFF_IOV_LEN, v.length());
    }
    copies[IOV] = bytes(regions[IOV].buffer());
  }

  private void snapshot() {
    for (int i = 0; i < regions.length; i++) {
      copies[i] = bytes(regions[i].buffer());
    }
  }

  /** Returns the regions no SQE may write whose bytes changed since they were copied. */
  List<String> changedReadOnlyRegions() {
    List<String> changed = new ArrayList<>();
    for (int i = 0; i < regions.length; i++) {
      if (!regions[i].writable() && !Arrays.equals(copies[i], bytes(regions[i].buffer()))) {
        changed.add("region " + i);
      }
    }
    return changed;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.capacity()];
    b.get(0, out);
    return out;
  }

  @Override
  public void close() {
    process.close();
  }

  /** An fd an SQE names: one of the fixture's ({@code choice} at least 0) or a raw number. */
  record Fd(int choice, int raw) {}

  /** A generated {@code struct iovec}. */
  record Iov(Ptr base, long length) {}

  /** The application's view of one ring: its mapped memory and the offsets setup returned. */
  static final class RingView {
    final int fd;
    final IoUringParams params;
    final ByteBuffer rings;
    final ByteBuffer sqes;
    final int sqEntries;
    final int cqEntries;

    RingView(IoUringProcess process, int entries, int cqEntries) {
      params = new IoUringParams().flags(SetupFlags.IORING_SETUP_CQSIZE).cqEntries(cqEntries);
      fd = process.setup(entries, params);
      sqEntries = params.sqEntries();
      this.cqEntries = params.cqEntries();
      int cqEnd =
          params.cqOff(iouring.api.abi.ParamsLayout.CQ_OFF_CQES)
              + this.cqEntries * iouring.api.abi.CqeLayout.SIZE;
      int sqEnd = params.sqOff(iouring.api.abi.ParamsLayout.SQ_OFF_ARRAY) + 4 * sqEntries;
      rings = process.mmap(fd, MmapOffsets.IORING_OFF_SQ_RING, Math.max(cqEnd, sqEnd));
      sqes = process.mmap(fd, MmapOffsets.IORING_OFF_SQES, sqEntries * SqeLayout.SIZE);
    }
  }
}
