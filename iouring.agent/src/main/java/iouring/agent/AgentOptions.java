package iouring.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's options, parsed strictly: {@code mount=PATH=TYPE[:KEY=VALUE...]} (repeatable), {@code
 * fault=GLOB:OPS:ERRNO[:KEY=VALUE...]} (repeatable; see {@link FaultOption}), {@code trace=FILE},
 * {@code stats=FILE}, {@code ring=ENTRIES}, and {@code options=@FILE} to read more options from a
 * file (one or more per line, comma-separated; {@code #} starts a comment). Any mistake is an
 * {@link IllegalArgumentException} whose message is the one line the user sees.
 */
final class AgentOptions {
  static final String KNOWN = "mount, fault, trace, stats, ring, options";
  private static final Set<String> NAMES =
      Set.of("mount", "fault", "trace", "stats", "ring", "options");

  /**
   * One mount: an absolute, normalized host path served by a new provider of a type, and the fault
   * rules (in the fault provider's syntax, paths from the mount point) that wrap that provider.
   */
  record Mount(String path, String type, Map<String, String> options, List<String> faults) {}

  final List<Mount> mounts = new ArrayList<>();
  private final List<FaultOption> faults = new ArrayList<>();
  Path trace;
  Path stats;
  int ringEntries = 64;

  static AgentOptions parse(String text) {
    AgentOptions options = new AgentOptions();
    options.addAll(text == null ? "" : text, 0);
    options.attachFaults();
    return options;
  }

  /**
   * Parses options given one at a time, each {@code NAME=VALUE} and not split at commas: the values
   * of the bundle's configuration. Blank entries are skipped.
   */
  static AgentOptions parse(List<String> each) {
    AgentOptions options = new AgentOptions();
    for (String option : each) {
      if (!option.isBlank()) {
        options.add(option.strip(), 0);
      }
    }
    options.attachFaults();
    return options;
  }

  private void addAll(String text, int depth) {
    for (String option : text.split(",")) {
      option = option.strip();
      if (!option.isEmpty()) {
        add(option, depth);
      }
    }
  }

  private void add(String option, int depth) {
    int eq = option.indexOf('=');
    String name = eq < 0 ? option : option.substring(0, eq);
    String value = eq < 0 ? "" : option.substring(eq + 1);
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("unknown option '" + name + "' (known: " + KNOWN + ")");
    }
    if (eq < 0 || value.isEmpty()) {
      throw new IllegalArgumentException("option '" + name + "' needs a value: " + name + "=...");
    }
    switch (name) {
      case "mount" -> mounts.add(mount(value));
      case "fault" -> faults.add(FaultOption.parse(value));
      case "trace" -> trace = path(name, value);
      case "stats" -> stats = path(name, value);
      case "ring" -> ringEntries = ringEntries(value);
      case "options" -> include(value, depth);
      default ->
          throw new IllegalArgumentException(
              "unknown option '" + name + "' (known: " + KNOWN + ")");
    }
  }

  private static Mount mount(String value) {
    String usage = " (expected mount=PATH=PROVIDER[:KEY=VALUE...])";
    int eq = value.lastIndexOf('=', value.indexOf(':') < 0 ? value.length() : value.indexOf(':'));
    // PATH=TYPE:k=v:k=v; the type is the part after the last '=' before the first ':'.
    if (eq <= 0 || eq == value.length() - 1) {
      throw new IllegalArgumentException("malformed mount '" + value + "'" + usage);
    }
    String[] spec = value.substring(eq + 1).split(":", -1);
    if (spec[0].isEmpty()) {
      throw new IllegalArgumentException("malformed mount '" + value + "'" + usage);
    }
    Map<String, String> providerOptions = new LinkedHashMap<>();
    for (int i = 1; i < spec.length; i++) {
      int kv = spec[i].indexOf('=');
      if (kv <= 0) {
        throw new IllegalArgumentException(
            "malformed mount '" + value + "': provider option '" + spec[i] + "'" + usage);
      }
      providerOptions.put(spec[i].substring(0, kv), spec[i].substring(kv + 1));
    }
    Path path = path("mount", value.substring(0, eq)).toAbsolutePath().normalize();
    if (path.getParent() == null) {
      throw new IllegalArgumentException("mount '" + value + "': cannot mount over /");
    }
    return new Mount(path.toString(), spec[0], providerOptions, List.of());
  }

  /**
   * Gives each fault option to the mount its glob lies under, the deepest if mounts nest; the last
   * mount of a path is the one in force. A fault under no mount is a mistake.
   */
  private void attachFaults() {
    for (FaultOption fault : faults) {
      int best = -1;
      for (int i = 0; i < mounts.size(); i++) {
        String at = mounts.get(i).path();
        if (fault.isUnder(at) && (best < 0 || at.length() >= mounts.get(best).path().length())) {
          best = i;
        }
      }
      if (best < 0) {
        throw new IllegalArgumentException(
            "fault '" + fault.text() + "': " + fault.glob() + " is under no mount");
      }
      Mount mount = mounts.get(best);
      List<String> rules = new ArrayList<>(mount.faults());
      rules.add(fault.rule(mount.path()));
      mounts.set(best, new Mount(mount.path(), mount.type(), mount.options(), List.copyOf(rules)));
    }
  }

  private static Path path(String name, String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("option '" + name + "': bad path '" + value + "'");
    }
  }

  private static int ringEntries(String value) {
    int entries;
    try {
      entries = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      entries = -1;
    }
    if (entries < 1 || entries > 32768 || Integer.bitCount(entries) != 1) {
      throw new IllegalArgumentException(
          "option 'ring' must be a power of two from 1 to 32768, not '" + value + "'");
    }
    return entries;
  }

  private void include(String value, int depth) {
    if (!value.startsWith("@")) {
      throw new IllegalArgumentException("option 'options' takes @FILE, not '" + value + "'");
    }
    if (depth > 4) {
      throw new IllegalArgumentException("options files nest too deep at '" + value + "'");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(path("options", value.substring(1)));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read options file " + value.substring(1) + ": " + e);
    }
    for (String line : lines) {
      int hash = line.indexOf('#');
      addAll(hash < 0 ? line : line.substring(0, hash), depth + 1);
    }
  }
}
