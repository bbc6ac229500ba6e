package iouring.kernel.conformance;

import iouring.api.IoUringParams;
import iouring.api.abi.EnterFlags;
import iouring.api.abi.Errno;
import iouring.api.abi.FileFlags;
import iouring.api.abi.IovecLayout;
import iouring.api.abi.RegisterOpcodes;
import iouring.api.abi.SqeFlags;
import iouring.api.abi.TimespecLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a scenario is written against: files by name, memory by name, one ring, and a transcript of
 * everything observed that both targets must agree on. CQEs go into the transcript as a multiset
 * (sorted), except that the members of each chain must appear in the order the chain was written,
 * and {@link #reapInOrder} keeps the order where the kernel guarantees it (drains, overflow).
 */
final class Script implements AutoCloseable {
  private final Target target;
  private final List<String> transcript = new ArrayList<>();
  private final Map<String, Target.Memory> buffers = new HashMap<>();
  private final Set<Long> fdResults = new HashSet<>();
  private final List<List<Long>> chains = new ArrayList<>();
  private List<Long> openChain;
  private Ring ring;

  Script(Target target) {
    this.target = target;
  }

  /** Returns the transcript so far, one observation a line. */
  List<String> transcript() {
    return transcript;
  }

  // ---- files ----

  /** Creates a file in the scenario's directory with the given ASCII contents. */
  void file(String name, String contents) {
    try {
      target.writeFile(name, contents.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a directory in the scenario's directory. */
  void directory(String name) {
    try {
      target.makeDirectory(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens a file of the scenario's directory; a failure is a broken scenario. */
  int open(String name, int flags) {
    int fd = target.open(name, flags);
    if (fd < 0) {
      throw new IllegalStateException("open " + name + " on " + target.name() + ": " + fd);
    }
    return fd;
  }

  /** Returns the absolute path of a name of the scenario's directory, as the target knows it. */
  String absolutePath(String name) {
    return target.absolute(name);
  }

  /** Opens the scenario's directory, the dirfd of the *at ops. */
  int directoryFd() {
    return open(".", FileFlags.O_RDONLY | FileFlags.O_DIRECTORY);
  }

  /** Returns a number that was an fd and is closed now. */
  int closedFd(String name) {
    int fd = open(name, FileFlags.O_RDONLY);
    target.close(fd);
    return fd;
  }

  /** Records the contents of a file, or that it does not exist. */
  void expectFile(String name) {
    try {
      java.util.Optional<byte[]> what = target.readFile(name);
      transcript.add(
          "file "
              + name
              + ": "
              + (what == null ? "absent" : what.isEmpty() ? "a directory" : quote(what.get())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- memory ----

  /** Allocates {@code size} zeroed bytes named {@code name}; returns their address. */
  long buffer(String name, int size) {
    Target.Memory memory = target.allocate(size);
    buffers.put(name, memory);
    return memory.address();
  }

  /** Allocates a buffer holding {@code text} (ASCII); returns its address. */
  long buffer(String name, String text) {
    long address = buffer(name, text.length());
    buffers.get(name).buffer().put(0, text.getBytes(StandardCharsets.US_ASCII));
    return address;
  }

  /** Returns the address of a NUL-terminated C string. */
  long path(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Target.Memory memory = target.allocate(bytes.length + 1);
    memory.buffer().put(0, bytes);
    return memory.address();
  }

  /** Returns the address of an array of {@code struct iovec}, one per (base, length) pair. */
  long iovecs(long... baseAndLength) {
    Target.Memory memory = target.allocate(baseAndLength.length / 2 * IovecLayout.SIZE);
    for (int i = 0; i < baseAndLength.length / 2; i++) {
      int at = i * IovecLayout.SIZE;
      memory.buffer().putLong(at + IovecLayout.OFF_IOV_BASE, baseAndLength[2 * i]);
      memory.buffer().putLong(at + IovecLayout.OFF_IOV_LEN, baseAndLength[2 * i + 1]);
    }
    return memory.address();
  }

  /** Returns the address of an array of 32-bit ints, such as the fds of {@code REGISTER_FILES}. */
  long ints(int... values) {
    Target.Memory memory = target.allocate(4 * values.length);
    for (int i = 0; i < values.length; i++) {
      memory.buffer().putInt(4 * i, values[i]);
    }
    return memory.address();
  }

  /**
   * Calls {@code io_uring_setup} with the given entries, flags and {@code cq_entries}, records the
   * result and the entries the kernel chose, and closes the ring again.
   */
  void setup(int entries, int flags, int cqEntries) {
    IoUringParams params = new IoUringParams().flags(flags).cqEntries(cqEntries);
    int fd = target.setup(entries, params);
    String line =
        "setup("
            + entries
            + ", flags 0x"
            + Integer.toHexString(flags)
            + ", cq_entries "
            + cqEntries
            + ") = ";
    if (fd < 0) {
      transcript.add(line + result(fd));
    } else {
      transcript.add(
          line + "a ring, sq_entries " + params.sqEntries() + " cq_entries " + params.cqEntries());
      target.close(fd);
    }
  }

  /** Calls {@code io_uring_register} on the ring and records the result under {@code what}. */
  void register(String what, int opcode, long arg, int nrArgs) {
    transcript.add(what + " = " + result(target.register(ring.fd, opcode, arg, nrArgs)));
  }

  /** Returns the address of a {@code struct __kernel_timespec}. */
  long timespec(long seconds, long nanoseconds) {
    Target.Memory memory = target.allocate(TimespecLayout.SIZE);
    memory.buffer().putLong(TimespecLayout.OFF_TV_SEC, seconds);
    memory.buffer().putLong(TimespecLayout.OFF_TV_NSEC, nanoseconds);
    return memory.address();
  }

  /** Records the first {@code length} bytes of a named buffer as text. */
  void expectBuffer(String name, int length) {
    byte[] bytes = new byte[length];
    buffers.get(name).buffer().get(0, bytes);
    transcript.add("buffer " + name + ": " + quote(bytes));
  }

  /** Returns bytes as a quoted string, every byte outside printable ASCII as {@code \xNN}. */
  private static String quote(byte[] bytes) {
    StringBuilder out = new StringBuilder("\"");
    for (byte b : bytes) {
      if (b >= 0x20 && b < 0x7f) {
        out.append((char) b);
      } else {
        out.append(String.format("\\x%02x", b & 0xff));
      }
    }
    return out.append('"').toString();
  }

  /** Records an int of a named buffer, little or big endian as the machine. */
  void expectInt(String name, String field, int offset) {
    transcript.add(name + "." + field + " = " + buffers.get(name).buffer().getInt(offset));
  }

  /** Records a long of a named buffer. */
  void expectLong(String name, String field, int offset) {
    transcript.add(name + "." + field + " = " + buffers.get(name).buffer().getLong(offset));
  }

  // ---- the ring ----

  /** Sets up the scenario's ring. */
  void ring(int entries) {
    ring = Ring.create(target, entries);
  }

  /** Sets up the scenario's ring with setup flags. */
  void ring(int entries, int flags) {
    ring = Ring.create(target, entries, flags);
  }

  /** Records whether the ring has an SQ array ({@code sq_off.array} non-zero). */
  void expectSqArray() {
    transcript.add("sq_off.array " + (ring.sqArrayOffset() != 0 ? "present" : "0"));
  }

  /** Returns the fd of the scenario's ring, setting one up if it has none. */
  int ringFd() {
    ringOnce(8);
    return ring.fd;
  }

  /** Sets up the scenario's ring unless it has one. */
  void ringOnce(int entries) {
    if (ring == null) {
      ring(entries);
    }
  }

  /**
   * Waits up to a second, without recording anything, until {@code n} CQEs are ready: for batches
   * whose CQE count is the question (a chain cut short, a skipped success), where a blocking wait
   * could hang. Entering with {@code min_complete} 0 lets the kernel run pending task work.
   */
  void waitFor(int n) {
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (ring.cqReady() < n && System.nanoTime() < deadline) {
      ring.enter(0, 0, EnterFlags.IORING_ENTER_GETEVENTS);
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Marks {@code userData}'s result as an fd: its number is target-specific, so only its sign is.
   */
  void resultIsFd(long userData) {
    fdResults.add(userData);
  }

  /** Queues SQEs; consecutive ones joined by a link flag are remembered as a chain. */
  void push(Sqe... sqes) {
    for (Sqe sqe : sqes) {
      ring.push(sqe);
      if (openChain == null) {
        openChain = new ArrayList<>();
      }
      openChain.add(sqe.userData);
      if ((sqe.flags & (SqeFlags.IOSQE_IO_LINK | SqeFlags.IOSQE_IO_HARDLINK)) == 0) {
        if (openChain.size() > 1) {
          chains.add(openChain);
        }
        openChain = null;
      }
    }
  }

  /** Calls {@code io_uring_enter} and records its result. */
  int enter(int toSubmit, int minComplete, int flags) {
    int result = ring.enter(toSubmit, minComplete, flags);
    transcript.add(
        "enter("
            + toSubmit
            + ", "
            + minComplete
            + ", 0x"
            + Integer.toHexString(flags)
            + ") = "
            + result(result));
    return result;
  }

  /**
   * Calls {@code io_uring_enter} on the ring's slot {@code index} of the registered rings ({@code
   * IORING_ENTER_REGISTERED_RING}) and records its result.
   */
  void enterRegistered(int index, int toSubmit, int minComplete, int flags) {
    int result =
        target.enter(index, toSubmit, minComplete, flags | EnterFlags.IORING_ENTER_REGISTERED_RING);
    transcript.add(
        "enter(registered "
            + index
            + ", "
            + toSubmit
            + ", "
            + minComplete
            + ") = "
            + result(result));
  }

  /**
   * Registers ({@code unregister} false) or unregisters the ring fd in registered-ring slots, one
   * {@code struct io_uring_rsrc_update} per slot given ({@code -1}: any free one), through the ring
   * fd, and records the result and the slots written back.
   */
  void registerRingFd(boolean unregister, int... slots) {
    Target.Memory updates = target.allocate(16 * slots.length);
    for (int i = 0; i < slots.length; i++) {
      updates.buffer().putInt(16 * i, slots[i]);
      updates.buffer().putLong(16 * i + 8, unregister ? 0 : ring.fd);
    }
    int opcode =
        unregister
            ? RegisterOpcodes.IORING_UNREGISTER_RING_FDS
            : RegisterOpcodes.IORING_REGISTER_RING_FDS;
    int result = target.register(ring.fd, opcode, updates.address(), slots.length);
    StringBuilder line =
        new StringBuilder(unregister ? "unregister ring fds = " : "register ring fds = ");
    line.append(result(result)).append(", slots");
    for (int i = 0; i < slots.length; i++) {
      line.append(' ').append(updates.buffer().getInt(16 * i));
    }
    transcript.add(line.toString());
  }

  /** Calls {@code io_uring_enter} on another fd than the ring's. */
  void enterOn(int fd, int toSubmit, int minComplete, int flags) {
    transcript.add(
        "enter on a non-ring fd = " + result(target.enter(fd, toSubmit, minComplete, flags)));
  }

  /** Records a flag of the SQ ring's {@code flags} word. */
  void expectSqFlag(String name, int bit) {
    transcript.add("sq_flags " + name + ": " + ((ring.sqFlags() & bit) != 0));
  }

  /** Publishes an SQ array entry holding {@code index} (see {@link Ring#pushIndex}). */
  void pushIndex(int index) {
    ring.pushIndex(index);
  }

  /** Records the SQ ring's {@code dropped} counter and the SQEs published but not consumed. */
  void expectSqState() {
    transcript.add("sq dropped = " + ring.sqDropped() + ", pending = " + ring.sqPending());
  }

  /** Records the CQ ring's {@code overflow} counter. */
  void expectCqOverflow() {
    transcript.add("cq overflow = " + ring.cqOverflow());
  }

  /** Consumes the posted CQEs and records them as a multiset, and each chain's order. */
  void reap() {
    List<Ring.Cqe> cqes = ring.reap();
    List<Ring.Cqe> sorted = new ArrayList<>(cqes);
    sorted.sort(
        Comparator.comparingLong(Ring.Cqe::userData)
            .thenComparingInt(Ring.Cqe::res)
            .thenComparingInt(Ring.Cqe::flags));
    transcript.add("reaped " + cqes.size() + " CQEs (any order):");
    sorted.forEach(c -> transcript.add("  " + format(c)));
    for (List<Long> chain : chains) {
      List<Long> seen = new ArrayList<>();
      for (Ring.Cqe c : cqes) {
        if (chain.contains(c.userData())) {
          seen.add(c.userData());
        }
      }
      transcript.add("  chain " + chain + " posted as " + seen);
    }
    chains.clear();
  }

  /** Consumes the posted CQEs and records them in the order posted. */
  void reapInOrder() {
    List<Ring.Cqe> cqes = ring.reap();
    transcript.add("reaped " + cqes.size() + " CQEs in order:");
    cqes.forEach(c -> transcript.add("  " + format(c)));
    chains.clear();
  }

  private String format(Ring.Cqe c) {
    String res = c.res() >= 0 && fdResults.contains(c.userData()) ? "<an fd>" : result(c.res());
    return "user_data="
        + c.userData()
        + " res="
        + res
        + " flags=0x"
        + Integer.toHexString(c.flags());
  }

  private static String result(int res) {
    return res < 0 ? res + " (" + Errno.name(-res) + ")" : Integer.toString(res);
  }

  @Override
  public void close() {
    if (ring != null) {
      target.close(ring.fd);
    }
  }
}
