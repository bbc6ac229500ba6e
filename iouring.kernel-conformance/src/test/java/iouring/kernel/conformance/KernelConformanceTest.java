package iouring.kernel.conformance;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@link Scenarios scenario} on the emulator and, where the machine has io_uring, on the
 * kernel, and compares the transcripts line by line. Prints a summary at the end.
 */
class KernelConformanceTest {
  private static final String UNAVAILABLE = KernelTarget.unavailable();

  /**
   * {@code -Diouring.conformance.print=true} prints each kernel transcript, to read what is
   * compared.
   */
  private static final boolean PRINT = Boolean.getBoolean("iouring.conformance.print");

  private static final AtomicInteger SCENARIOS = new AtomicInteger();
  private static final AtomicInteger IDENTICAL = new AtomicInteger();
  private static final AtomicInteger KNOWN = new AtomicInteger();

  @TestFactory
  Stream<DynamicTest> scenarios() {
    return Scenarios.all().stream()
        .map(
            scenario ->
                DynamicTest.dynamicTest(
                    scenario.name(),
                    // A scenario that blocks (a wait for a CQE that never comes) fails alone
                    // instead of hanging the run; its thread is a daemon and is left behind.
                    () -> assertTimeoutPreemptively(LIMIT, () -> check(scenario))));
  }

  /** The most one scenario may take on both targets. */
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private static void check(Scenario scenario) {
    SCENARIOS.incrementAndGet();
    List<String> host = run(scenario, EmulatorTarget::new);
    List<String> memory = run(scenario, EmulatorTarget::inMemory);
    Assumptions.assumeTrue(UNAVAILABLE == null, () -> "no kernel io_uring: " + UNAVAILABLE);
    List<String> kernel = run(scenario, KernelTarget::new);
    if (PRINT) {
      System.out.println("== " + scenario.name() + "\n" + String.join("\n", kernel));
    }
    boolean hostIdentical =
        compare(scenario, "emulator", host, kernel, KnownDifferences.REASONS.get(scenario.name()));
    boolean memoryIdentical =
        compare(
            scenario,
            "emulator over the memory provider",
            memory,
            kernel,
            KnownDifferences.MEMORY.get(scenario.name()));
    if (hostIdentical && memoryIdentical) {
      IDENTICAL.incrementAndGet();
    } else {
      KNOWN.incrementAndGet();
    }
  }

  /**
   * Compares one emulator transcript with the kernel's: identical (true), or a difference listed
   * with its reason (false); anything else fails, and so does a listed difference that is gone.
   */
  private static boolean compare(
      Scenario scenario, String what, List<String> emulator, List<String> kernel, String reason) {
    if (emulator.equals(kernel)) {
      if (reason != null) {
        fail(
            "'"
                + scenario.name()
                + "' is listed as a known difference of the "
                + what
                + " but identical to the kernel; remove it from KnownDifferences and"
                + " docs/SUPPORTED.md:\n"
                + String.join("\n", kernel));
      }
      return true;
    }
    if (reason == null) {
      fail(
          "'"
              + scenario.name()
              + "': "
              + what
              + " and "
              + KernelTarget.release()
              + " differ:\n"
              + diff(emulator, kernel));
    }
    return false;
  }

  private static List<String> run(Scenario scenario, Function<Path, Target> factory) {
    Path directory;
    try {
      directory = Files.createTempDirectory("iouring-conformance");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Target target = factory.apply(directory);
        Script script = new Script(target)) {
      scenario.body().run(script);
      return List.copyOf(script.transcript());
    } finally {
      delete(directory);
    }
  }

  /** Returns both transcripts side by side, differing lines marked with {@code !}. */
  static String diff(List<String> emulator, List<String> kernel) {
    int width = 8;
    for (String line : emulator) {
      width = Math.max(width, line.length());
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format("  %-" + width + "s | %s%n", "emulator", "kernel"));
    for (int i = 0; i < Math.max(emulator.size(), kernel.size()); i++) {
      String e = i < emulator.size() ? emulator.get(i) : "";
      String k = i < kernel.size() ? kernel.get(i) : "";
      out.append(String.format("%s %-" + width + "s | %s%n", e.equals(k) ? " " : "!", e, k));
    }
    return out.toString();
  }

  private static void delete(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      List<Path> all = new ArrayList<>(paths.toList());
      all.sort(Comparator.reverseOrder());
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void summary() {
    if (UNAVAILABLE != null) {
      System.out.printf(
          "kernel conformance: %d scenarios run on the emulator only (%s)%n",
          SCENARIOS.get(), UNAVAILABLE);
      return;
    }
    System.out.printf(
        "kernel conformance: %d scenarios on the host and the memory provider, %d identical to"
            + " %s on both, %d with known differences%n",
        SCENARIOS.get(), IDENTICAL.get(), KernelTarget.release(), KNOWN.get());
  }
}
