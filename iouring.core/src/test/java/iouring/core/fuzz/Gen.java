package iouring.core.fuzz;

import static iouring.api.abi.Opcodes.IORING_OP_READV;
import static iouring.api.abi.Opcodes.IORING_OP_WRITEV;
import static iouring.api.abi.SqeFlags.*;

import iouring.api.abi.EnterFlags;
import iouring.api.abi.GeteventsArgLayout;
import iouring.core.fuzz.FuzzProcess.Fd;
import iouring.core.fuzz.FuzzProcess.Iov;
import iouring.core.op.OpTable;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;

/** The fuzzer's generators: SQEs, iovecs, enter arguments, ring tampering and whole scenarios. */
final class Gen {
  private Gen() {}

  /** The opcodes with a handler; most generated SQEs use one, so that they get past prep. */
  static final int[] SUPPORTED =
      IntStream.range(0, 256)
          .filter(op -> OpTable.get(op) != null && OpTable.get(op).supported())
          .toArray();

  /** A step on one of the two rings. */
  record Step(
      boolean clean,
      List<SqeSpec> sqes,
      List<Boolean> outOfRange,
      List<Iov> iovs,
      EnterSpec enter,
      List<Tamper> tampers) {}

  /** The arguments of one {@code io_uring_enter}; {@code toSubmit} -2 means "all pending". */
  record EnterSpec(int toSubmit, int minComplete, int flags, int argMode) {
    static final int ALL = -2;
    static final int ARG_GOOD = 0;
    static final int ARG_NULL = 1;
    static final int ARG_UNMAPPED = 2;
    static final int ARG_BAD_SIZE = 3;

    long arg(FuzzProcess p) {
      switch (argMode) {
        case ARG_GOOD:
        case ARG_BAD_SIZE:
          return p.goodArg();
        case ARG_NULL:
          return 0;
        default:
          return 0x5eed_0000_0000L;
      }
    }

    int argSize() {
      return argMode == ARG_BAD_SIZE ? GeteventsArgLayout.SIZE + 8 : GeteventsArgLayout.SIZE;
    }
  }

  /**
   * One overwrite of ring memory: {@code kind} 0 fills the rings and SQEs with 0xff, 1 stores
   * {@code value} at rings offset {@code at}, 2 stores it in SQ array slot {@code at}, 3 fills the
   * SQEs with bytes from the seed {@code value}.
   */
  record Tamper(int kind, int at, int value) {}

  static Arbitrary<Ptr> pointers() {
    Arbitrary<Ptr> inTarget =
        Arbitraries.of(FuzzProcess.A, FuzzProcess.B)
            .flatMap(
                r -> {
                  int cap = r == FuzzProcess.A ? 4096 : 64;
                  return Arbitraries.integers()
                      .between(0, cap - 1)
                      .edgeCases(e -> e.add(cap - 1, cap - 8, 0))
                      .map(o -> new Ptr(r, o));
                });
    Arbitrary<Ptr> nearTarget =
        Combinators.combine(
                Arbitraries.of(FuzzProcess.A, FuzzProcess.B),
                Arbitraries.integers().between(-4096, 8191))
            .as((r, o) -> new Ptr(r, r == FuzzProcess.B ? Math.min(o, 64 + 4095) : o));
    Arbitrary<Ptr> path =
        Arbitraries.of(toList(FuzzProcess.PATH_OFFSETS)).map(o -> new Ptr(FuzzProcess.PATHS, o));
    Arbitrary<Ptr> other =
        Combinators.combine(
                Arbitraries.of(FuzzProcess.RO, FuzzProcess.IOV, FuzzProcess.HOW, FuzzProcess.ARG),
                Arbitraries.integers().between(-16, 80))
            .as(Ptr::new);
    Arbitrary<Ptr> raw =
        Arbitraries.oneOf(
                Arbitraries.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0xf000L, 4096L),
                Arbitraries.longs().filter(Gen::unmappedOrFar))
            .map(Ptr::raw);
    return Arbitraries.frequencyOf(
        Tuple2s.of(5, inTarget),
        Tuple2s.of(2, nearTarget),
        Tuple2s.of(3, path),
        Tuple2s.of(1, other),
        Tuple2s.of(2, raw));
  }

  /**
   * Keeps raw pointers off the fixture's mappings, which start at 64 KiB and span a few hundred
   * KiB: a raw pointer that lands on a guard could rightly be written.
   */
  private static boolean unmappedOrFar(long address) {
    return address < 0x10000L || address > 0x100_0000L;
  }

  static Arbitrary<Integer> lengths() {
    return Arbitraries.frequencyOf(
        Tuple2s.of(3, Arbitraries.of(0, 1, 2, 8, 24, 64, 4095, 4096, 4097, 8192, 1024, 1025)),
        Tuple2s.of(3, Arbitraries.integers().between(0, 8192)),
        Tuple2s.of(1, Arbitraries.of(-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 30)),
        Tuple2s.of(1, Arbitraries.integers()));
  }

  static Arbitrary<Ptr> offsets() {
    Arbitrary<Ptr> wild =
        Arbitraries.frequencyOf(
                Tuple2s.of(
                    4,
                    Arbitraries.of(
                        -2L,
                        -1L,
                        0L,
                        1L,
                        4095L,
                        4096L,
                        8191L,
                        8192L,
                        1L << 46,
                        1L << 62,
                        Long.MAX_VALUE,
                        Long.MIN_VALUE)),
                Tuple2s.of(2, Arbitraries.longs().between(0, 0xffff)),
                Tuple2s.of(1, Arbitraries.longs().filter(Gen::unmappedOrFar)))
            .map(Ptr::raw);
    return Arbitraries.frequencyOf(Tuple2s.of(3, wild), Tuple2s.of(1, pointers()));
  }

  static Arbitrary<Fd> fds() {
    return Arbitraries.frequencyOf(
        Tuple2s.of(
            8,
            Arbitraries.integers().between(0, FuzzProcess.FD_CHOICES - 1).map(c -> new Fd(c, 0))),
        Tuple2s.of(
            1,
            Arbitraries.oneOf(
                    Arbitraries.of(-1, -100, Integer.MIN_VALUE, Integer.MAX_VALUE, 1023, 1024),
                    Arbitraries.integers().between(0, 1100))
                .map(raw -> new Fd(-1, raw))));
  }

  static Arbitrary<Integer> sqeFlags() {
    return Arbitraries.frequencyOf(
        Tuple2s.of(5, Arbitraries.just(0)),
        Tuple2s.of(
            4,
            Arbitraries.of(
                IOSQE_IO_LINK,
                IOSQE_IO_LINK,
                IOSQE_IO_HARDLINK,
                IOSQE_CQE_SKIP_SUCCESS,
                IOSQE_IO_LINK | IOSQE_CQE_SKIP_SUCCESS,
                IOSQE_ASYNC,
                IOSQE_IO_DRAIN,
                IOSQE_FIXED_FILE,
                IOSQE_BUFFER_SELECT)),
        Tuple2s.of(1, Arbitraries.integers().between(0, 255)));
  }

  static Arbitrary<Integer> rareInts(Arbitrary<Integer> wild) {
    return Arbitraries.frequencyOf(Tuple2s.of(8, Arbitraries.just(0)), Tuple2s.of(1, wild));
  }

  static Arbitrary<SqeSpec> sqes() {
    Arbitrary<Integer> opcodes =
        Arbitraries.frequencyOf(
            Tuple2s.of(12, Arbitraries.of(toList(SUPPORTED))),
            Tuple2s.of(2, Arbitraries.integers().between(0, 63)),
            Tuple2s.of(1, Arbitraries.integers().between(0, 255)));
    Arbitrary<Integer> opFlags =
        Arbitraries.frequencyOf(
            Tuple2s.of(6, Arbitraries.just(0)),
            Tuple2s.of(2, Arbitraries.integers().between(0, 0x1ff)),
            Tuple2s.of(1, Arbitraries.of(0x40, 0x42, 0x10000, 0x100, 0x800, 0x400)),
            Tuple2s.of(1, Arbitraries.integers()));
    Arbitrary<Ptr> addr3 =
        Arbitraries.frequencyOf(
            Tuple2s.of(6, Arbitraries.just(Ptr.raw(0))), Tuple2s.of(2, pointers()));
    return Builders.withBuilder(SqeBuilder::new)
        .use(opcodes)
        .in((b, v) -> b.with(() -> b.opcode = v))
        .use(sqeFlags())
        .in((b, v) -> b.with(() -> b.flags = v))
        .use(rareInts(Arbitraries.integers().between(0, 0xffff)))
        .in((b, v) -> b.with(() -> b.ioprio = v))
        .use(fds())
        .in((b, v) -> b.with(() -> b.fd = v))
        .use(offsets())
        .in((b, v) -> b.with(() -> b.off = v))
        .use(pointers())
        .in((b, v) -> b.with(() -> b.addr = v))
        .use(lengths())
        .in((b, v) -> b.with(() -> b.len = v))
        .use(opFlags)
        .in((b, v) -> b.with(() -> b.opFlags = v))
        .use(rareInts(Arbitraries.integers().between(0, 0xffff)))
        .in((b, v) -> b.with(() -> b.bufIndex = v))
        .use(rareInts(Arbitraries.integers().between(0, 0xffff)))
        .in((b, v) -> b.with(() -> b.personality = v))
        .use(rareInts(Arbitraries.integers()))
        .in((b, v) -> b.with(() -> b.spliceFdIn = v))
        .use(addr3)
        .in((b, v) -> b.with(() -> b.addr3 = v))
        .use(
            Arbitraries.frequencyOf(
                Tuple2s.of(9, Arbitraries.just(0L)), Tuple2s.of(1, Arbitraries.longs())))
        .in((b, v) -> b.with(() -> b.pad2 = v))
        .build(SqeBuilder::build);
  }

  private static final class SqeBuilder {
    int opcode;
    int flags;
    int ioprio;
    Fd fd;
    Ptr off;
    Ptr addr;
    int len;
    int opFlags;
    int bufIndex;
    int personality;
    int spliceFdIn;
    Ptr addr3;
    long pad2;

    SqeBuilder with(Runnable set) {
      set.run();
      return this;
    }

    SqeSpec build() {
      if ((opcode == IORING_OP_READV || opcode == IORING_OP_WRITEV)
          && (addr.region() == FuzzProcess.A || addr.region() == FuzzProcess.B)) {
        // The targets hold what reads put there, which may be any address, a guard's too: an
        // iovec array there could rightly send a read into a guard. Iovec arrays live in IOV.
        addr = new Ptr(FuzzProcess.IOV, addr.offset() % (FuzzProcess.IOV_COUNT * 16));
      }
      return new SqeSpec(
          opcode,
          flags,
          ioprio,
          fd,
          off,
          addr,
          len,
          opFlags,
          bufIndex,
          personality,
          spliceFdIn,
          addr3,
          pad2);
    }
  }

  static Arbitrary<Iov> iovecs() {
    Arbitrary<Long> lengths =
        Arbitraries.frequencyOf(
            Tuple2s.of(4, Arbitraries.of(0L, 1L, 64L, 4095L, 4096L, 4097L, -1L, Long.MAX_VALUE)),
            Tuple2s.of(3, Arbitraries.longs().between(0, 8192)),
            Tuple2s.of(1, Arbitraries.longs()));
    return Combinators.combine(pointers(), lengths).as(Iov::new);
  }

  static Arbitrary<EnterSpec> enters() {
    Arbitrary<Integer> toSubmit =
        Arbitraries.frequencyOf(
            Tuple2s.of(8, Arbitraries.just(EnterSpec.ALL)),
            Tuple2s.of(1, Arbitraries.of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE)),
            Tuple2s.of(1, Arbitraries.integers().between(0, 40)));
    Arbitrary<Integer> minComplete =
        Arbitraries.frequencyOf(
            Tuple2s.of(6, Arbitraries.of(0, 1)),
            Tuple2s.of(1, Arbitraries.of(-1, 2, 100, Integer.MAX_VALUE)),
            Tuple2s.of(1, Arbitraries.integers()));
    int wait = EnterFlags.IORING_ENTER_GETEVENTS | EnterFlags.IORING_ENTER_EXT_ARG;
    Arbitrary<Integer> flags =
        Arbitraries.frequencyOf(
            Tuple2s.of(6, Arbitraries.just(0)),
            Tuple2s.of(3, Arbitraries.just(wait)),
            Tuple2s.of(1, Arbitraries.integers().between(0, 0xff)),
            Tuple2s.of(1, Arbitraries.integers()));
    Arbitrary<Integer> argMode =
        Arbitraries.frequencyOf(
            Tuple2s.of(8, Arbitraries.just(EnterSpec.ARG_GOOD)),
            Tuple2s.of(1, Arbitraries.of(EnterSpec.ARG_NULL, EnterSpec.ARG_UNMAPPED)),
            Tuple2s.of(1, Arbitraries.just(EnterSpec.ARG_BAD_SIZE)));
    return Combinators.combine(toSubmit, minComplete, flags, argMode)
        .as(
            (t, m, f, a) -> {
              // A wait without a timeout may rightly sleep for ever: every wait gets the ext arg.
              if ((f & EnterFlags.IORING_ENTER_GETEVENTS) != 0) {
                f |= EnterFlags.IORING_ENTER_EXT_ARG;
              }
              return new EnterSpec(t, m, f, a);
            });
  }

  static Arbitrary<Tamper> tampers() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, 320 / 4 - 1).map(i -> i * 4),
            Arbitraries.oneOf(
                Arbitraries.of(0, -1, 1, 7, 8, 15, 16, Integer.MIN_VALUE, Integer.MAX_VALUE),
                Arbitraries.integers()))
        .as(Tamper::new);
  }

  static Arbitrary<Step> steps() {
    Arbitrary<Boolean> clean = Arbitraries.of(true, true, false);
    Arbitrary<List<SqeSpec>> sqes = sqes().list().ofMaxSize(16);
    Arbitrary<List<Boolean>> outOfRange =
        Arbitraries.frequencyOf(
                Tuple2s.of(15, Arbitraries.just(false)), Tuple2s.of(1, Arbitraries.just(true)))
            .list()
            .ofSize(16);
    return Combinators.combine(
            clean,
            sqes,
            outOfRange,
            iovecs().list().ofMinSize(1).ofMaxSize(FuzzProcess.IOV_COUNT),
            enters(),
            tampers().list().ofMaxSize(4))
        .as(Step::new);
  }

  static Arbitrary<List<Step>> scenarios() {
    return steps().list().ofMinSize(1).ofMaxSize(24);
  }

  private static List<Integer> toList(int[] values) {
    return IntStream.of(values).boxed().toList();
  }

  /** Shorthand for jqwik's frequency pairs. */
  static final class Tuple2s {
    private Tuple2s() {}

    static <T> net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends T>> of(
        int f, Arbitrary<T> a) {
      return net.jqwik.api.Tuple.of(f, a);
    }
  }
}
