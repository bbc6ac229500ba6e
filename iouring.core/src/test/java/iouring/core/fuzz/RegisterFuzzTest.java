package iouring.core.fuzz;

import static iouring.api.abi.SetupFlags.*;

import iouring.api.ErrnoException;
import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.IoUringProcess;
import iouring.api.abi.FileFlags;
import iouring.api.abi.Opcodes;
import iouring.api.abi.RegisterOpcodes;
import iouring.api.abi.SqeFlags;
import iouring.core.Kernel;
import iouring.vfs.memory.MemoryProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random {@code io_uring_register} calls (every opcode below 40, arguments pointing at garbage
 * shaped like the structs, at read-only memory, at nothing), on rings created with random setup
 * flags ({@code R_DISABLED}, {@code SINGLE_ISSUER}, ...), interleaved with selected-buffer and
 * fixed-buffer reads and with {@code ENABLE_RINGS}.
 *
 * <p>After every call: nothing but an {@link ErrnoException} with a Linux errno escaped, every CQE
 * result is 0 or more or a Linux errno, and neither the read-only region nor the guard page
 * changed; a scenario must finish within 30 seconds. Two of three calls carry a well-formed struct
 * for one of the newer opcodes (buffer rings, restrictions, sparse buffers, updates), one field
 * perhaps garbage, so that the checks past the first are reached. 5,000 scenarios ran clean with
 * {@code tries} raised; CI runs 300.
 */
class RegisterFuzzTest {
  private static final int MAX_ERRNO = 133;
  private static final int[] SETUPS = {
    0,
    IORING_SETUP_R_DISABLED,
    IORING_SETUP_SINGLE_ISSUER,
    IORING_SETUP_R_DISABLED | IORING_SETUP_SINGLE_ISSUER,
    IORING_SETUP_SUBMIT_ALL,
    IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG
  };

  private static ExecutorService caller;

  @BeforeContainer
  static void start() {
    caller = Executors.newSingleThreadExecutor(r -> new Thread(r, "register-fuzz"));
  }

  @AfterContainer
  static void stop() {
    caller.shutdownNow();
  }

  @Property(tries = 300)
  void registerSurvivesAnything(@ForAll long seed) throws Exception {
    Future<?> run = caller.submit(() -> scenario(new Random(seed)));
    try {
      run.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("seed " + seed, e.getCause());
    } catch (TimeoutException e) {
      run.cancel(true);
      throw new AssertionError("seed " + seed + ": a call did not return");
    }
  }

  private static void scenario(Random rnd) {
    Kernel kernel = new Kernel();
    kernel.addProvider(Kernel.ROOT_PROVIDER, new MemoryProvider());
    IoUringProcess process = kernel.newProcess();
    try {
      ByteBuffer garbage = ByteBuffer.allocateDirect(4 * 4096).order(ByteOrder.nativeOrder());
      long g = process.memory().map(garbage);
      ByteBuffer ro = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
      fillRandom(ro, rnd);
      long r = process.memory().map(ro.asReadOnlyBuffer());
      ByteBuffer guard = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
      fillRandom(guard, rnd);
      process.memory().map(guard);
      byte[] roCopy = bytes(ro);
      byte[] guardCopy = bytes(guard);
      int file =
          process.openat(FileFlags.AT_FDCWD, "/f", FileFlags.O_RDWR | FileFlags.O_CREAT, 0644);
      int setup = SETUPS[rnd.nextInt(SETUPS.length)];
      IoUring ring = IoUring.queueInit(process, 8, new IoUringParams().flags(setup));
      long[] pointers = {
        0, g, g + 4096, g + 8 * rnd.nextInt(1024), g + rnd.nextInt(16384), r, 8, 0x7000_0000_0000L
      };
      int[] counts = {0, 1, 2, 4, 16, 32, 40, 103, 104, rnd.nextInt(), -1};
      int calls = 1 + rnd.nextInt(40);
      for (int i = 0; i < calls; i++) {
        shape(garbage, rnd, g);
        int what = rnd.nextInt(10);
        try {
          if (what < 6) {
            int opcode = rnd.nextInt(10) == 0 ? rnd.nextInt() : rnd.nextInt(40);
            long arg = pointers[rnd.nextInt(pointers.length)];
            int nr = counts[rnd.nextInt(counts.length)];
            if (rnd.nextInt(3) > 0) {
              // Most calls: a well-formed struct for the opcode at the region's start, one field
              // perhaps wrong, so that the checks past the first are reached too.
              opcode = TEMPLATED[rnd.nextInt(TEMPLATED.length)];
              arg = g;
              nr = template(opcode, garbage, rnd, g);
              if (opcode == RegisterOpcodes.IORING_REGISTER_ENABLE_RINGS
                  || opcode == RegisterOpcodes.IORING_UNREGISTER_BUFFERS) {
                arg = rnd.nextInt(8) == 0 ? g : 0;
              }
            }
            process.register(ring.ringFd(), opcode, arg, nr);
          } else if (what < 9) {
            iouring.api.Sqe read = ring.getSqe();
            if (read != null) { // a disabled ring never consumes, so its SQ fills
              read.prepRead(file, g + 8192 + rnd.nextInt(4096), rnd.nextInt(8192), rnd.nextInt(64))
                  .flags(rnd.nextBoolean() ? SqeFlags.IOSQE_BUFFER_SELECT : 0)
                  .bufIndex(rnd.nextInt(4))
                  .userData(i);
            }
            iouring.api.Sqe fixed = rnd.nextBoolean() ? ring.getSqe() : null;
            if (fixed != null) {
              fixed
                  .prepRw(
                      Opcodes.IORING_OP_READ_FIXED,
                      file,
                      g + rnd.nextInt(16384),
                      rnd.nextInt(8192),
                      0)
                  .bufIndex(rnd.nextInt(4));
            }
            ring.submit();
          } else {
            process.register(ring.ringFd(), RegisterOpcodes.IORING_REGISTER_ENABLE_RINGS, 0, 0);
          }
        } catch (ErrnoException e) {
          if (e.errno() <= 0 || e.errno() > MAX_ERRNO) {
            throw new AssertionError("errno " + e.errno() + " is not a Linux errno", e);
          }
        }
        for (var cqe = ring.peekCqe(); cqe != null; cqe = ring.peekCqe()) {
          if (cqe.res() < -MAX_ERRNO) {
            throw new AssertionError("CQE res " + cqe.res());
          }
          ring.cqeSeen(cqe);
        }
        if (!Arrays.equals(roCopy, bytes(ro)) || !Arrays.equals(guardCopy, bytes(guard))) {
          throw new AssertionError("memory outside the writable region changed");
        }
      }
      ring.close();
    } finally {
      process.close();
    }
  }

  private static final int[] TEMPLATED = {
    RegisterOpcodes.IORING_REGISTER_BUFFERS,
    RegisterOpcodes.IORING_REGISTER_BUFFERS2,
    RegisterOpcodes.IORING_REGISTER_BUFFERS_UPDATE,
    RegisterOpcodes.IORING_REGISTER_FILES_UPDATE2,
    RegisterOpcodes.IORING_REGISTER_RESTRICTIONS,
    RegisterOpcodes.IORING_REGISTER_ENABLE_RINGS,
    RegisterOpcodes.IORING_REGISTER_PBUF_RING,
    RegisterOpcodes.IORING_UNREGISTER_PBUF_RING,
    RegisterOpcodes.IORING_REGISTER_PBUF_STATUS,
    RegisterOpcodes.IORING_UNREGISTER_BUFFERS
  };

  /**
   * Writes a plausible struct for {@code opcode} at the region's start (pointers into the region's
   * later pages, whose words {@link #shape} filled), perhaps with one word made random; returns the
   * {@code nr_args} to pass.
   */
  private static int template(int opcode, ByteBuffer b, Random rnd, long g) {
    for (int i = 0; i < 64; i += 8) {
      b.putLong(i, 0);
    }
    int nr = 1;
    int small = 1 + rnd.nextInt(4);
    switch (opcode) {
      case RegisterOpcodes.IORING_REGISTER_BUFFERS: // an iovec array
        for (int i = 0; i < small; i++) {
          b.putLong(16 * i, g + 4096L * (1 + rnd.nextInt(3)));
          b.putLong(16 * i + 8, rnd.nextBoolean() ? 4096 : rnd.nextInt(9000));
        }
        nr = small;
        break;
      case RegisterOpcodes.IORING_REGISTER_BUFFERS2: // io_uring_rsrc_register
        b.putInt(0, small);
        b.putInt(4, rnd.nextInt(3));
        b.putLong(16, rnd.nextBoolean() ? 0 : g + 4096);
        nr = 32;
        break;
      case RegisterOpcodes.IORING_REGISTER_BUFFERS_UPDATE:
      case RegisterOpcodes.IORING_REGISTER_FILES_UPDATE2: // io_uring_rsrc_update2
        b.putInt(0, rnd.nextInt(4));
        b.putLong(8, rnd.nextBoolean() ? g + 4096 : g + 8192 + 16 * rnd.nextInt(200));
        b.putInt(24, small);
        nr = 32;
        break;
      case RegisterOpcodes.IORING_REGISTER_RESTRICTIONS:
        for (int i = 0; i < small; i++) {
          b.putShort(16 * i, (short) rnd.nextInt(5));
          b.put(16 * i + 2, (byte) rnd.nextInt(64));
        }
        nr = small;
        break;
      case RegisterOpcodes.IORING_REGISTER_PBUF_RING:
      case RegisterOpcodes.IORING_UNREGISTER_PBUF_RING: // io_uring_buf_reg
        b.putLong(0, g + 4096L * (1 + rnd.nextInt(3)));
        b.putInt(8, 1 << rnd.nextInt(9));
        b.putShort(12, (short) rnd.nextInt(4));
        break;
      case RegisterOpcodes.IORING_REGISTER_PBUF_STATUS: // io_uring_buf_status
        b.putInt(0, rnd.nextInt(4));
        break;
      default: // ENABLE_RINGS, UNREGISTER_BUFFERS: no argument
        nr = 0;
        return rnd.nextInt(8) == 0 ? 1 : 0;
    }
    if (rnd.nextInt(4) == 0) {
      b.putLong(8 * rnd.nextInt(8), rnd.nextLong());
    }
    return nr;
  }

  /**
   * Fills the writable region with values shaped like the register structs: mostly small numbers,
   * page-aligned pointers back into the region, powers of two, zeros.
   */
  private static void shape(ByteBuffer b, Random rnd, long base) {
    for (int at = 64; at + 8 <= b.capacity(); at += 8) {
      long v;
      switch (rnd.nextInt(6)) {
        case 0:
          v = 0;
          break;
        case 1:
          v = rnd.nextInt(8);
          break;
        case 2:
          v = base + 4096L * rnd.nextInt(4) + (rnd.nextInt(4) == 0 ? rnd.nextInt(4096) : 0);
          break;
        case 3:
          v = (1L << rnd.nextInt(17)) | ((long) rnd.nextInt(4) << 32);
          break;
        case 4:
          v = rnd.nextLong();
          break;
        default:
          v = 4096L | ((long) (rnd.nextInt(3)) << 32);
      }
      b.putLong(at, v);
    }
  }

  private static void fillRandom(ByteBuffer b, Random rnd) {
    for (int i = 0; i < b.capacity(); i++) {
      b.put(i, (byte) rnd.nextInt());
    }
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.capacity()];
    b.duplicate().clear().get(out);
    return out;
  }
}
