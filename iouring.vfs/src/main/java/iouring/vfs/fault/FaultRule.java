package iouring.vfs.fault;

import iouring.api.abi.Errno;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * One fault rule, parsed from the syntax {@link FaultProvider} documents: which operations, which
 * paths, which calls, and what happens to them. Counts its own matching calls, so {@code nth} is
 * per rule.
 */
public final class FaultRule {
  private static final Set<String> KEYS = Set.of("op", "path", "nth", "every", "errno", "delay");
  private static final Map<String, Integer> ERRNOS = errnoNames();
  private static final Map<String, TimeUnit> UNITS =
      Map.of(
          "ns", TimeUnit.NANOSECONDS,
          "us", TimeUnit.MICROSECONDS,
          "ms", TimeUnit.MILLISECONDS,
          "s", TimeUnit.SECONDS);

  private final String text;
  private final Set<FaultOp> ops;
  private final Pattern path;
  private final long nth;
  private final boolean fromNth;
  private final long every;
  private final int errno;
  private final long delayNanos;
  private final AtomicLong calls = new AtomicLong();

  private FaultRule(String text, Map<String, String> fields) {
    this.text = text;
    this.ops = ops(text, fields.get("op"));
    this.path = fields.containsKey("path") ? glob(text, fields.get("path")) : null;
    String n = fields.getOrDefault("nth", "");
    this.fromNth = n.endsWith("+");
    this.nth = n.isEmpty() ? 0 : nth(text, fromNth ? n.substring(0, n.length() - 1) : n);
    this.every = fields.containsKey("every") ? every(text, fields.get("every")) : 0;
    this.delayNanos = fields.containsKey("delay") ? delay(text, fields.get("delay")) : 0;
    // A rule that only delays fails nothing; one that says neither fails with EIO.
    if (fields.containsKey("errno")) {
      this.errno = errno(text, fields.get("errno"));
    } else {
      this.errno = fields.containsKey("delay") ? 0 : Errno.EIO;
    }
  }

  /**
   * Parses one rule.
   *
   * @param rule the rule, e.g. {@code op=read,path=/data/*,nth=3,errno=EIO}
   * @return the rule
   * @throws IllegalArgumentException naming the rule and what is wrong with it
   */
  public static FaultRule parse(String rule) {
    String text = rule.strip();
    Map<String, String> fields = new HashMap<>();
    for (String entry : text.split(",", -1)) {
      String e = entry.strip();
      int eq = e.indexOf('=');
      if (eq <= 0) {
        throw bad(text, "'" + e + "' is not key=value");
      }
      String key = e.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      if (!KEYS.contains(key)) {
        throw bad(text, "unknown key '" + key + "'; keys are op, path, nth, every, errno, delay");
      }
      if (fields.put(key, e.substring(eq + 1).strip()) != null) {
        throw bad(text, "'" + key + "' is given twice");
      }
    }
    if (!fields.containsKey("op")) {
      throw bad(text, "op= is missing");
    }
    if (fields.containsKey("nth") && fields.containsKey("every")) {
      throw bad(text, "nth and every exclude each other");
    }
    return new FaultRule(text, fields);
  }

  /**
   * Parses rules, one per string; blank strings are skipped.
   *
   * @param rules the rules
   * @return the parsed rules, in order
   * @throws IllegalArgumentException for the first rule that does not parse
   */
  public static List<FaultRule> parseAll(String... rules) {
    List<FaultRule> out = new ArrayList<>();
    for (String r : rules) {
      if (!r.isBlank()) {
        out.add(parse(r));
      }
    }
    return out;
  }

  /**
   * Counts a call if the rule covers it, and says whether the rule fires on it.
   *
   * @param op the operation
   * @param paths the paths the call names, lexically normalized, each starting with {@code /}
   * @return true if this call is one the rule fails or delays
   */
  boolean fires(FaultOp op, String... paths) {
    if (!ops.contains(op) || !matches(paths)) {
      return false;
    }
    long call = calls.incrementAndGet();
    if (every > 0) {
      return call % every == 0;
    }
    return nth == 0 || (fromNth ? call >= nth : call == nth);
  }

  private boolean matches(String... paths) {
    if (path == null) {
      return true;
    }
    for (String p : paths) {
      if (path.matcher(p).matches()) {
        return true;
      }
    }
    return false;
  }

  /** Returns the errno the rule fails with, or 0 when it only delays. */
  int errno() {
    return errno;
  }

  /** Returns the delay before the call goes on or fails, in nanoseconds. */
  long delayNanos() {
    return delayNanos;
  }

  /** Returns the rule as it was written. */
  @Override
  public String toString() {
    return text;
  }

  private static Set<FaultOp> ops(String rule, String value) {
    if (value.equals("*")) {
      return EnumSet.allOf(FaultOp.class);
    }
    Set<FaultOp> ops = EnumSet.noneOf(FaultOp.class);
    for (String name : value.split("\\|", -1)) {
      String wanted = name.strip().toLowerCase(Locale.ROOT);
      FaultOp op = null;
      for (FaultOp candidate : FaultOp.values()) {
        if (candidate.ruleName().equals(wanted)) {
          op = candidate;
        }
      }
      if (op == null) {
        throw bad(rule, "unknown op '" + name + "'; ops are *, " + FaultOp.ruleNames());
      }
      ops.add(op);
    }
    return ops;
  }

  /**
   * Turns a glob into a pattern over whole paths: {@code **} is any run of characters, {@code *}
   * any run without {@code /}, {@code ?} one character but {@code /}; the rest is literal.
   */
  private static Pattern glob(String rule, String glob) {
    if (!glob.startsWith("/")) {
      throw bad(rule, "path '" + glob + "' must start with /, the provider's root");
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  private static long nth(String rule, String value) {
    try {
      long n = Long.parseLong(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, with the rule
    }
    throw bad(rule, "nth '" + value + "' must be a call number from 1, optionally followed by +");
  }

  private static long every(String rule, String value) {
    try {
      long n = Long.parseLong(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, with the rule
    }
    throw bad(rule, "every '" + value + "' must be a whole number from 1");
  }

  private static int errno(String rule, String value) {
    Integer byName = ERRNOS.get(value.toUpperCase(Locale.ROOT));
    if (byName != null) {
      return byName;
    }
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, with the rule
    }
    throw bad(rule, "unknown errno '" + value + "'; give a name such as EIO or a positive number");
  }

  private static long delay(String rule, String value) {
    String v = value.toLowerCase(Locale.ROOT);
    int digits = 0;
    while (digits < v.length() && Character.isDigit(v.charAt(digits))) {
      digits++;
    }
    TimeUnit unit = UNITS.get(v.substring(digits));
    if (digits > 0 && digits <= 12 && unit != null) {
      return unit.toNanos(Long.parseLong(v.substring(0, digits)));
    }
    throw bad(rule, "delay '" + value + "' must be a whole number with a unit: ns, us, ms or s");
  }

  private static IllegalArgumentException bad(String rule, String problem) {
    return new IllegalArgumentException("fault rule '" + rule + "': " + problem);
  }

  /** Reads every errno constant, aliases such as EWOULDBLOCK included, by its name. */
  private static Map<String, Integer> errnoNames() {
    Map<String, Integer> names = new HashMap<>();
    for (Field f : Errno.class.getFields()) {
      if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
        try {
          names.put(f.getName(), f.getInt(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("Errno." + f.getName() + " is public", e);
        }
      }
    }
    return names;
  }
}
