package iouring.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Measures the emulator against the real kernel in one run and prints the ratios: the JMH
 * benchmarks of the emulator and its JDK baselines, and the same workloads through the kernel's
 * io_uring (a small C program, compiled here with gcc), run before and after the JMH runs so that
 * the kernel figure is the median of runs spread over the same period.
 *
 * <p>Usage: {@code java -cp benchmarks.jar iouring.bench.RatioReport [quick]}.
 */
public final class RatioReport {
  private RatioReport() {}

  /** One row of the report: an emulator benchmark, its kernel counterpart and the target. */
  private record Row(String label, String benchmark, String kernel, double target, String rule) {}

  private static final List<Row> ROWS =
      List.of(
          new Row("NOP, batch 1", "RingNopBenchmark.nopBatch1", "nop_batch1", 5.0, ">= 5x kernel"),
          new Row(
              "NOP, batch 32", "RingNopBenchmark.nopBatch32", "nop_batch32", 1.5, ">= 1.5x kernel"),
          new Row(
              "4 KiB random read, host file, QD1",
              "RingReadBenchmark.readQd1",
              "read4k_qd1",
              0,
              "(reported)"),
          new Row(
              "4 KiB random read, host file, QD32",
              "RingReadBenchmark.readQd32",
              "read4k_qd32",
              0.75,
              ">= 0.75x kernel"),
          new Row(
              "4 KiB random read, host file, QD32, JVM without --add-opens (interruptible channels)",
              "RingReadInterruptibleBenchmark.readQd32",
              "read4k_qd32",
              0,
              "(reported)"),
          new Row(
              "FileChannel positional read 4 KiB (baseline)",
              "FileChannelReadBenchmark.positionalRead4k",
              "read4k_qd32",
              0,
              "(baseline)"),
          new Row(
              "FileChannel positional read 4 KiB, 32 buffers in turn (baseline: the QD32 work)",
              "FileChannelReadBenchmark.positionalRead4kInto32Buffers",
              "read4k_qd32",
              0,
              "(baseline)"),
          new Row(
              "AsynchronousFileChannel read 4 KiB (baseline)",
              "AsyncFileChannelReadBenchmark.asyncRead4k",
              "read4k_qd32",
              0,
              "(baseline)"),
          new Row(
              "4 KiB random read, memory provider, QD32",
              "MemoryReadBenchmark.readQd32",
              "read4k_qd32",
              3.0,
              ">= 3x kernel"),
          new Row(
              "bare 4 KiB copies from a 64 MiB heap page set (ceiling of any in-JVM read)",
              "MemoryReadBenchmark.copyCeiling",
              "read4k_qd32",
              0,
              "(ceiling)"),
          new Row(
              "open + stat + close, host provider, through the ring",
              "OpenStatCloseBenchmark.ring",
              "",
              0,
              "(reported)"),
          new Row(
              "open + stat + close, same directory, through Files",
              "OpenStatCloseBenchmark.files",
              "",
              0,
              "(baseline)"));

  /**
   * Runs the report.
   *
   * @param args {@code quick} for a short run (1 fork, fewer iterations)
   * @throws Exception if a benchmark or the kernel program fails to run
   */
  public static void main(String[] args) throws Exception {
    boolean quick = args.length > 0 && args[0].equals("quick");
    double seconds = quick ? 1 : 3;
    Path kernelBench = compileKernelBench();
    List<Map<String, Double>> kernelRuns = new ArrayList<>();
    kernelRuns.add(runKernel(kernelBench, seconds));
    Map<String, RunResult> emulator = runJmh(quick);
    kernelRuns.add(runKernel(kernelBench, seconds));
    kernelRuns.add(runKernel(kernelBench, seconds));
    print(emulator, kernelRuns);
  }

  private static Map<String, RunResult> runJmh(boolean quick) throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .forks(quick ? 1 : 2)
            .warmupIterations(quick ? 2 : 3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(quick ? 3 : 5)
            .measurementTime(TimeValue.seconds(1))
            .timeUnit(TimeUnit.SECONDS)
            .addProfiler(GCProfiler.class);
    for (Row row : ROWS) {
      options.include("iouring\\.bench\\." + row.benchmark().replace(".", "\\.") + "$");
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    Map<String, RunResult> byName = new LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      byName.put(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), r);
    }
    return byName;
  }

  private static void print(Map<String, RunResult> emulator, List<Map<String, Double>> kernel) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Java %s (%s), %d CPUs%n%n",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors());
    System.out.println(
        "| workload | emulator ops/s | B/op | kernel ops/s (median of 3) | ratio | target |");
    System.out.println("|---|---:|---:|---:|---:|---|");
    for (Row row : ROWS) {
      RunResult r = emulator.get(row.benchmark());
      Double k = median(kernel, row.kernel());
      if (r == null) {
        continue;
      }
      double ops = r.getPrimaryResult().getScore();
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      String bytes = alloc == null ? "?" : String.format(Locale.ROOT, "%.1f", alloc.getScore());
      String ratio = k == null ? "n/a" : String.format(Locale.ROOT, "%.2fx", ops / k);
      String verdict =
          row.target() == 0 || k == null
              ? row.rule()
              : row.rule() + (ops / k >= row.target() ? " (met)" : " (NOT met)");
      System.out.printf(
          Locale.ROOT,
          "| %s | %,.0f | %s | %s | %s | %s |%n",
          row.label(),
          ops,
          bytes,
          k == null ? "unavailable" : String.format(Locale.ROOT, "%,.0f", k),
          ratio,
          verdict);
    }
  }

  private static Double median(List<Map<String, Double>> runs, String key) {
    List<Double> values = new ArrayList<>();
    for (Map<String, Double> run : runs) {
      if (run.containsKey(key)) {
        values.add(run.get(key));
      }
    }
    if (values.isEmpty()) {
      return null;
    }
    values.sort(Double::compare);
    return values.get(values.size() / 2);
  }

  /** Extracts the C program from the jar and compiles it; null if gcc is missing. */
  private static Path compileKernelBench() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("iouring-kernel-bench");
    Path source = dir.resolve("kernel_bench.c");
    try (InputStream in = RatioReport.class.getResourceAsStream("kernel_bench.c")) {
      Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
    }
    Path binary = dir.resolve("kernel_bench");
    try {
      Process gcc =
          new ProcessBuilder("gcc", "-O2", "-o", binary.toString(), source.toString())
              .inheritIO()
              .start();
      if (gcc.waitFor() != 0) {
        System.err.println("kernel side unavailable: gcc failed");
        return null;
      }
    } catch (IOException e) {
      System.err.println("kernel side unavailable: no gcc (" + e.getMessage() + ")");
      return null;
    }
    return binary;
  }

  private static Map<String, Double> runKernel(Path binary, double seconds)
      throws IOException, InterruptedException {
    Map<String, Double> results = new LinkedHashMap<>();
    if (binary == null) {
      return results;
    }
    Process p =
        new ProcessBuilder(binary.toString(), Double.toString(seconds), "64")
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        System.out.println("kernel: " + line);
        String[] parts = line.trim().split(" ");
        if (parts.length == 2 && parts[1].matches("[0-9.]+")) {
          results.put(parts[0], Double.parseDouble(parts[1]));
        }
      }
    }
    p.waitFor();
    return results;
  }
}
