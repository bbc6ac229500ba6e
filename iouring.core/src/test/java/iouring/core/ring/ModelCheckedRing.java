package iouring.core.ring;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

import iouring.api.Cqe;
import iouring.api.IoUring;
import iouring.api.IoUringParams;
import iouring.api.Sqe;
import iouring.core.EmulatedProcess;
import iouring.core.ForwardingProcess;
import iouring.core.Kernel;
import java.lang.reflect.Method;
import kotlin.Unit;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.CustomScenarioDSLKt;
import org.jetbrains.lincheck.datastructures.DSLThreadScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Options;

/**
 * What the Lincheck checks of the ring's memory ordering share: the model checker's options, and a
 * process whose SQPOLL threads sleep as soon as their queue is empty.
 *
 * <p>Lincheck's model checker runs the real code and switches threads at every shared-memory access
 * it sees and at every lock, park and unpark, exploring the interleavings under sequential
 * consistency. It does not see into {@code ByteBuffer}s, so the accessors of ring memory (the
 * kernel's {@link RingMemory}, the handle's index accessors, {@link Sqe} and {@link Cqe}) are
 * declared atomic steps: a thread may be switched out before each of them, and each happens whole.
 * It does not model the Java memory model's weaker orders, so a release store replaced by a plain
 * one goes unseen; the order of the steps in each thread, which the fences make visible to the
 * others, is what it checks.
 *
 * <p>{@code -Diouring.lincheck.scale=N} multiplies the interleavings each check explores (default
 * 1: 50 or 100 invocations per check).
 */
final class ModelCheckedRing {
  /** Multiplies the invocations of every check; 1 for the build. */
  static final int SCALE = Integer.getInteger("iouring.lincheck.scale", 1);

  /** How long one invocation may run before Lincheck calls it hung. */
  private static final long TIMEOUT_MS = 300_000;

  private ModelCheckedRing() {}

  /**
   * Returns model-checking options with ring memory accessors as atomic steps.
   *
   * @return the options, to be completed by each check
   */
  static ModelCheckingOptions options() {
    ModelCheckingOptions options = new ModelCheckingOptions();
    try {
      // Lincheck reports a hang after 30 s; the first invocation transforms every class the
      // ring touches, which on a busy two-core machine can take longer. Lincheck has no public
      // setter for it in Java.
      Method timeout = Options.class.getDeclaredMethod("setTimeoutMs", long.class);
      timeout.setAccessible(true);
      timeout.invoke(options, TIMEOUT_MS);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Lincheck's timeout setter", e);
    }
    return options
        .addGuarantee(
            forClasses(RingMemory.class.getName(), Sqe.class.getName(), Cqe.class.getName())
                .allMethods()
                .treatAsAtomic())
        .addGuarantee(
            forClasses(IoUring.class.getName())
                .methods(
                    "sqHeadAcquire",
                    "putSqTailRelease",
                    "sqFlagsOpaque",
                    "cqTailAcquire",
                    "cqHeadPlain",
                    "putCqHeadRelease")
                .treatAsAtomic())
        // A new kernel for each invocation is setup, not part of what is checked.
        .addGuarantee(forClasses(Kernel.class.getName()).allMethods().ignore());
  }

  /**
   * Builds a scenario of the no-argument operations of {@code test}, named: those run first by one
   * thread, those run in parallel (one array per thread), and those run last by one thread.
   *
   * @param test the class that declares the operations
   * @param initial the operations run before the parallel part
   * @param parallel the operations of each parallel thread
   * @param post the operations run after the parallel part
   * @return the scenario
   */
  static ExecutionScenario scenario(
      Class<?> test, String[] initial, String[][] parallel, String[] post) {
    return CustomScenarioDSLKt.scenario(
        builder -> {
          builder.initial(thread -> actors(thread, test, initial));
          builder.parallel(
              threads -> {
                for (String[] ops : parallel) {
                  threads.thread(thread -> actors(thread, test, ops));
                }
                return Unit.INSTANCE;
              });
          builder.post(thread -> actors(thread, test, post));
          return Unit.INSTANCE;
        });
  }

  private static Unit actors(DSLThreadScenario thread, Class<?> test, String[] operations) {
    for (String name : operations) {
      try {
        thread.actor(ReflectJvmMapping.getKotlinFunction(test.getMethod(name)));
      } catch (NoSuchMethodException e) {
        throw new IllegalArgumentException("no operation " + name + " in " + test, e);
      }
    }
    return Unit.INSTANCE;
  }

  /**
   * Returns a new process of a new kernel.
   *
   * @return the process
   */
  static EmulatedProcess newProcess() {
    return new Kernel().newProcess();
  }

  /**
   * A process whose rings' SQPOLL threads go to sleep as soon as the queue is empty, so that every
   * quiet moment goes through the wake-up handshake; everything else is the real process's.
   */
  static final class EagerSleepProcess extends ForwardingProcess {
    private final EmulatedProcess process;

    EagerSleepProcess() {
      this(newProcess());
    }

    private EagerSleepProcess(EmulatedProcess process) {
      super(process);
      this.process = process;
    }

    @Override
    public int setup(int entries, IoUringParams params) {
      Ring ring = Ring.create(process.task(), entries, params, 0);
      return process.files().install(ring);
    }
  }
}
