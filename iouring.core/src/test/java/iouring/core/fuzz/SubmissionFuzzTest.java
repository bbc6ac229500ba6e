package iouring.core.fuzz;

import static iouring.api.abi.ParamsLayout.*;

import iouring.api.ErrnoException;
import iouring.api.abi.CqeLayout;
import iouring.api.abi.RingFlags;
import iouring.api.abi.SqeFlags;
import iouring.api.abi.SqeLayout;
import iouring.api.spi.VfsProvider;
import iouring.core.fuzz.FuzzProcess.RingView;
import iouring.core.fuzz.Gen.EnterSpec;
import iouring.core.fuzz.Gen.Step;
import iouring.core.fuzz.Gen.Tamper;
import iouring.vfs.host.HostProvider;
import iouring.vfs.memory.MemoryProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and adversarial SQEs, and ring memory overwritten with garbage, thrown at the syscalls of
 * processes whose files live in the memory provider or, under a temporary directory, in the host
 * provider.
 *
 * <p>After every call: no exception but an {@link ErrnoException} with a Linux errno escaped; the
 * call returned within {@value #CALL_BOUND_SECONDS} seconds; no byte outside the two target buffers
 * changed (guards, read-only mappings, path strings, iovecs, wait arguments). On the clean ring,
 * which is driven by the protocol: the SQ head moved by the SQEs consumed, those past the SQE array
 * were counted in {@code sq_dropped}, every CQE belongs to an SQE consumed by that call and comes
 * once, and every consumed SQE without a CQE was entitled to none by {@code
 * IOSQE_CQE_SKIP_SUCCESS}. With the host provider, nothing beside its root changed.
 *
 * <p>A long run: {@code -Diouring.fuzz.sqes=10000000} makes {@link #longRun} loop over generated
 * scenarios until that many SQEs were consumed, and print the count and the time.
 */
class SubmissionFuzzTest {
  static final int CALL_BOUND_SECONDS = 5;

  private static final int MAX_ERRNO = 133;

  private static ExecutorService caller;
  private static Path base;
  private static long scenarios;

  @BeforeContainer
  static void start() throws IOException {
    caller = Executors.newSingleThreadExecutor(r -> new Thread(r, "fuzz-caller"));
    base = Files.createTempDirectory("iouring-fuzz");
  }

  @AfterContainer
  static void stop() throws IOException {
    caller.shutdownNow();
    deleteTree(base);
  }

  @Provide
  Arbitrary<List<Step>> scenarios() {
    return Gen.scenarios();
  }

  @Property(tries = 200)
  void memoryProviderSurvivesAnything(@ForAll("scenarios") List<Step> steps) throws Exception {
    run(new MemoryProvider(), steps);
  }

  @Property(tries = 200)
  void hostProviderSurvivesAnything(@ForAll("scenarios") List<Step> steps) throws Exception {
    Path dir = Files.createDirectory(base.resolve("run-" + scenarios++));
    Path root = Files.createDirectory(dir.resolve("root"));
    Path outside = Files.createDirectory(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "secret");
    try {
      run(new HostProvider(root), steps);
      try (Stream<Path> beside = Files.list(dir)) {
        check(beside.count() == 2, "a file appeared beside the root");
      }
      try (Stream<Path> in = Files.list(outside)) {
        check(in.count() == 1, "a file appeared outside the root");
      }
      check(
          Files.readString(outside.resolve("secret")).equals("secret"),
          "a file outside the root changed");
    } finally {
      deleteTree(dir);
    }
  }

  /** Loops until {@code iouring.fuzz.sqes} SQEs were consumed; does nothing without it. */
  @Example
  void longRun() throws Exception {
    long target = Long.getLong("iouring.fuzz.sqes", 0);
    if (target == 0) {
      return;
    }
    long start = System.nanoTime();
    long done = 0;
    long runs = 0;
    Iterator<List<Step>> samples = Gen.scenarios().sampleStream().iterator();
    while (done < target) {
      List<Step> steps = samples.next();
      if (runs % 4 == 3) {
        Path dir = Files.createDirectory(base.resolve("long-" + runs));
        try {
          done += run(new HostProvider(dir), steps);
        } finally {
          deleteTree(dir);
        }
      } else {
        done += run(new MemoryProvider(), steps);
      }
      runs++;
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf(
        "SubmissionFuzzTest.longRun: %d SQEs consumed in %d scenarios, %d.%03d s, no findings%n",
        done, runs, millis / 1000, millis % 1000);
  }

  /** Runs one scenario and returns the SQEs consumed. */
  private long run(VfsProvider provider, List<Step> steps) throws Exception {
    long consumed = 0;
    try (FuzzProcess p = new FuzzProcess(provider)) {
      CleanRing clean = new CleanRing(p.clean);
      for (Step step : steps) {
        p.writeIovecs(step.iovs());
        consumed += step.clean() ? clean.step(p, step) : tamperedStep(p, step);
        List<String> changed = p.changedReadOnlyRegions();
        check(
            changed.isEmpty(),
            "memory no SQE may write changed: " + changed + " by " + clean.lastConsumed);
      }
    }
    return consumed;
  }

  private long tamperedStep(FuzzProcess p, Step step) throws Exception {
    RingView r = p.tampered;
    for (Tamper t : step.tampers()) {
      tamper(r, t);
    }
    int mask = r.sqEntries - 1;
    int tail = r.rings.getInt(r.params.sqOff(SQ_OFF_TAIL));
    for (int i = 0; i < step.sqes().size(); i++) {
      int at = (tail & mask) * SqeLayout.SIZE;
      step.sqes().get(i).forTampered().writeTo(r.sqes, at, p, i);
      r.rings.putInt(r.params.sqOff(SQ_OFF_ARRAY) + 4 * (tail & mask), tail & mask);
      tail++;
    }
    r.rings.putInt(r.params.sqOff(SQ_OFF_TAIL), tail);
    EnterSpec e = step.enter();
    int toSubmit = e.toSubmit() == EnterSpec.ALL ? step.sqes().size() : e.toSubmit();
    Integer result = enter(p, r, toSubmit, e);
    if ((step.tampers().size() & 1) == 0) {
      // Reap everything, whatever the tail says.
      r.rings.putInt(r.params.cqOff(CQ_OFF_HEAD), r.rings.getInt(r.params.cqOff(CQ_OFF_TAIL)));
    }
    return result == null || result < 0 ? 0 : result;
  }

  private static void tamper(RingView r, Tamper t) {
    switch (t.kind()) {
      case 0:
        fill(r.rings, (byte) 0xff);
        fill(r.sqes, (byte) 0xff);
        break;
      case 1:
        r.rings.putInt(t.at() % (r.rings.capacity() - 3), t.value());
        break;
      case 2:
        int slot = (t.at() / 4) % r.sqEntries;
        r.rings.putInt(r.params.sqOff(SQ_OFF_ARRAY) + 4 * slot, t.value());
        break;
      default:
        Random random = new Random(t.value());
        byte[] bytes = new byte[r.sqes.capacity()];
        random.nextBytes(bytes);
        r.sqes.put(0, bytes);
        break;
    }
  }

  private static void fill(ByteBuffer b, byte value) {
    for (int i = 0; i < b.capacity(); i++) {
      b.put(i, value);
    }
  }

  /** Calls enter on another thread and waits at most the bound; null when it threw an errno. */
  private static Integer enter(FuzzProcess p, RingView r, int toSubmit, EnterSpec e)
      throws Exception {
    Callable<Integer> call =
        () -> p.process.enter(r.fd, toSubmit, e.minComplete(), e.flags(), e.arg(p), e.argSize());
    Future<Integer> f = caller.submit(call);
    try {
      return f.get(CALL_BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException ex) {
      throw new AssertionError("enter did not return within " + CALL_BOUND_SECONDS + " s: " + e);
    } catch (ExecutionException ex) {
      Throwable cause = ex.getCause();
      if (cause instanceof ErrnoException) {
        int errno = ((ErrnoException) cause).errno();
        check(errno > 0 && errno <= MAX_ERRNO, "errno " + errno + " from enter");
        return null;
      }
      throw new AssertionError("enter threw " + cause, cause);
    }
  }

  /** The clean ring and what the test knows of it: pushed SQEs not yet consumed. */
  private static final class CleanRing {
    private final RingView r;
    private final ArrayDeque<Pushed> pending = new ArrayDeque<>();
    List<Pushed> lastConsumed = List.of();
    private int tail;
    private long nextUserData = 1;

    CleanRing(RingView r) {
      this.r = r;
    }

    /** An SQE in the SQ: user_data, opcode, flags, and whether its array slot is out of range. */
    private record Pushed(long userData, int opcode, int flags, boolean outOfRange, SqeSpec spec) {}

    long step(FuzzProcess p, Step step) throws Exception {
      int mask = r.sqEntries - 1;
      int arrayOff = r.params.sqOff(SQ_OFF_ARRAY);
      int space = r.sqEntries - pending.size();
      for (int i = 0; i < step.sqes().size() && i < space; i++) {
        SqeSpec s = step.sqes().get(i).inline();
        boolean oob = step.outOfRange().get(i);
        long userData = nextUserData++;
        s.writeTo(r.sqes, (tail & mask) * SqeLayout.SIZE, p, userData);
        r.rings.putInt(arrayOff + 4 * (tail & mask), oob ? r.sqEntries + i : tail & mask);
        pending.add(new Pushed(userData, s.opcode() & 0xff, s.flags() & 0xff, oob, s));
        tail++;
      }
      r.rings.putInt(r.params.sqOff(SQ_OFF_TAIL), tail);
      int head = r.rings.getInt(r.params.sqOff(SQ_OFF_HEAD));
      int dropped = r.rings.getInt(r.params.sqOff(SQ_OFF_DROPPED));
      EnterSpec e = step.enter();
      int toSubmit = e.toSubmit() == EnterSpec.ALL ? pending.size() : e.toSubmit();
      Integer result = enter(p, r, toSubmit, e);

      int moved = r.rings.getInt(r.params.sqOff(SQ_OFF_HEAD)) - head;
      int droppedNow = r.rings.getInt(r.params.sqOff(SQ_OFF_DROPPED)) - dropped;
      check(moved >= 0 && moved <= pending.size(), "sq.head moved by " + moved);
      List<Pushed> consumed = new ArrayList<>();
      int outOfRange = 0;
      for (int i = 0; i < moved; i++) {
        Pushed s = pending.poll();
        consumed.add(s);
        if (s.outOfRange()) {
          outOfRange++;
          check(i == moved - 1, "an out-of-range SQ entry did not end the batch");
        }
      }
      check(outOfRange == droppedNow, "sq_dropped grew by " + droppedNow + ", not " + outOfRange);
      if (result != null) {
        check(result == moved - outOfRange, "enter returned " + result + ", consumed " + moved);
      } else {
        check(moved - outOfRange == 0, "enter failed after consuming " + moved);
      }
      lastConsumed = consumed;
      reap(consumed);
      return moved - outOfRange;
    }

    private void reap(List<Pushed> consumed) {
      check(r.rings.getInt(r.params.cqOff(CQ_OFF_OVERFLOW)) == 0, "cq_overflow on a roomy CQ");
      check(
          (r.rings.getInt(r.params.sqOff(SQ_OFF_FLAGS)) & RingFlags.IORING_SQ_CQ_OVERFLOW) == 0,
          "backlog on a roomy CQ");
      int head = r.rings.getInt(r.params.cqOff(CQ_OFF_HEAD));
      int cqTail = r.rings.getInt(r.params.cqOff(CQ_OFF_TAIL));
      int cqes = r.params.cqOff(CQ_OFF_CQES);
      Map<Long, Integer> results = new HashMap<>();
      for (int i = head; i != cqTail; i++) {
        int at = cqes + (i & (r.cqEntries - 1)) * CqeLayout.SIZE;
        long userData = r.rings.getLong(at + CqeLayout.OFF_USER_DATA);
        int res = r.rings.getInt(at + CqeLayout.OFF_RES);
        check(results.put(userData, res) == null, "two CQEs for user_data " + userData);
      }
      r.rings.putInt(r.params.cqOff(CQ_OFF_HEAD), cqTail);
      boolean chainSkips = false; // an earlier member of the current chain has CQE_SKIP_SUCCESS
      boolean inChain = false;
      int matched = 0;
      for (Pushed s : consumed) {
        if (s.outOfRange()) {
          check(!results.containsKey(s.userData()), "a dropped SQE posted a CQE");
          continue;
        }
        if (!inChain) {
          chainSkips = false;
        }
        boolean skip = (s.flags() & SqeFlags.IOSQE_CQE_SKIP_SUCCESS) != 0;
        Integer res = results.get(s.userData());
        if (res != null) {
          matched++;
          // A NOP may inject any result; every other op gives a count or a Linux errno.
          check(s.opcode() == 0 || res >= 0 || -res <= MAX_ERRNO, "res " + res + " of " + s);
        } else {
          check(
              skip || chainSkips,
              "SQE "
                  + s
                  + " was consumed without a CQE; this call consumed "
                  + consumed
                  + " and found CQEs "
                  + results);
        }
        chainSkips |= skip;
        inChain = (s.flags() & (SqeFlags.IOSQE_IO_LINK | SqeFlags.IOSQE_IO_HARDLINK)) != 0;
      }
      check(matched == results.size(), "CQEs for SQEs this call did not consume: " + results);
    }
  }

  static void check(boolean ok, String finding) {
    if (!ok) {
      throw new AssertionError(finding);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
