package iouring.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What the Java agent costs an application: {@link AgentOverheadBenchmark} in JVMs without the
 * agent, with it and the files outside every mount (passthrough: the agent looks at each open and
 * leaves the channel to the JDK), and with the files under a host-provider mount (every read and
 * write an SQE). The three run in turn, one fork each, for several rounds, each round in another
 * order, so that a noisy machine disturbs them alike; the report gives each one's median and its
 * time per operation relative to the run without the agent.
 *
 * <p>Usage: {@code AgentOverheadReport AGENT_JAR [quick]}.
 */
public final class AgentOverheadReport {
  private AgentOverheadReport() {}

  private record Config(String label, String agentOptions, boolean filesUnderMount) {}

  /**
   * Runs the report.
   *
   * @param args the agent jar, then {@code quick} for one short round
   * @throws Exception if a run fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1 || !Files.isRegularFile(Path.of(args[0]))) {
      System.err.println("usage: AgentOverheadReport AGENT_JAR [quick]");
      System.exit(2);
    }
    String agent = Path.of(args[0]).toAbsolutePath().toString();
    boolean quick = args.length > 1 && args[1].equals("quick");
    Path work = Files.createTempDirectory("iouring-agent-bench");
    Path plain = Files.createDirectory(work.resolve("plain"));
    Path mounted = Files.createDirectory(work.resolve("mounted"));
    Path unused = work.resolve("unused");
    List<Config> configs =
        List.of(
            new Config("without the agent", null, false),
            new Config(
                "agent, files outside mounts (passthrough)", "mount=" + unused + "=memory", false),
            new Config(
                "agent, files under a host mount (through the ring)",
                "mount=" + mounted + "=host:root=" + mounted,
                true));
    int rounds = quick ? 1 : 3;
    Map<String, Map<String, List<Double>>> scores = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      // Each round starts with another configuration, so none always follows the same one.
      List<Config> order = new ArrayList<>(configs);
      java.util.Collections.rotate(order, -round);
      for (Config c : order) {
        List<String> jvm = new ArrayList<>();
        jvm.add("-Xshare:off");
        jvm.add(
            "-D"
                + AgentOverheadBenchmark.DIR_PROPERTY
                + "="
                + (c.filesUnderMount() ? mounted : plain));
        if (c.agentOptions() != null) {
          jvm.add("-javaagent:" + agent + "=" + c.agentOptions());
        }
        OptionsBuilder options = new OptionsBuilder();
        options
            .include("iouring\\.bench\\.AgentOverheadBenchmark\\.")
            .forks(1)
            .warmupIterations(quick ? 2 : 3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(quick ? 3 : 5)
            .measurementTime(TimeValue.seconds(1))
            .timeUnit(TimeUnit.SECONDS)
            .jvmArgsAppend(jvm.toArray(new String[0]));
        for (RunResult r : new Runner(options.build()).run()) {
          String name = r.getParams().getBenchmark();
          String bench = name.substring(name.lastIndexOf('.') + 1);
          scores
              .computeIfAbsent(c.label(), k -> new LinkedHashMap<>())
              .computeIfAbsent(bench, k -> new ArrayList<>())
              .add(r.getPrimaryResult().getScore());
        }
      }
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Agent overhead, %d round(s), median ops/s; time per op relative to the JVM without it%n%n",
        rounds);
    System.out.println("| workload | JVM | ops/s | time vs without the agent | target |");
    System.out.println("|---|---|---:|---:|---|");
    Map<String, List<Double>> base = scores.get(configs.get(0).label());
    for (String bench : List.of("read4kQd1", "copy1MiB")) {
      double baseline = median(base.get(bench));
      for (Config c : configs) {
        double ops = median(scores.get(c.label()).get(bench));
        double time = baseline / ops;
        String target = "";
        if (c.agentOptions() != null && !c.filesUnderMount()) {
          double limit = bench.equals("read4kQd1") ? 1.10 : 1.05;
          target =
              String.format(Locale.ROOT, "<= %.2fx", limit)
                  + (time <= limit ? " (met)" : " (NOT met)");
        }
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %,.0f | %.3fx | %s |%n",
            bench.equals("read4kQd1") ? "4 KiB random read, QD1" : "sequential 1 MiB copy",
            c.label(),
            ops,
            time,
            target);
      }
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }
}
