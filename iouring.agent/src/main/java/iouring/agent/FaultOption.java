package iouring.agent;

import iouring.api.abi.Errno;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One {@code fault=GLOB:OPS:ERRNO[:nth=N|:nth=N+|:every=N][:delay=MS]} option, checked here so that
 * a mistake stops the JVM with a line that names the option, and turned into a rule of the fault
 * provider (of {@code iouring.vfs}, created through its factory) that wraps the mount's provider:
 *
 * <ul>
 *   <li>{@code GLOB}: an absolute host path under a mount, with {@code *} (within a name), {@code
 *       **} (across names) and {@code ?} (one character);
 *   <li>{@code OPS}: provider operations joined by {@code |}, or {@code *} for all;
 *   <li>{@code ERRNO}: a name such as {@code EIO} or {@code ENOSPC}, a positive number, or {@code
 *       none} for a rule that only delays;
 *   <li>{@code nth=N} fails only the N-th matching call, {@code nth=N+} that one and every later
 *       one, {@code every=N} the N-th, 2N-th...; without them, every matching call;
 *   <li>{@code delay=MS} waits that many milliseconds first.
 * </ul>
 */
final class FaultOption {
  /** The fault provider's operations; checked here too, so the message names the option. */
  static final List<String> OPS =
      List.of(
          ("open read write sync size stat truncate allocate mkdir unlink rmdir rename list"
                  + " symlink readlink link getxattr setxattr")
              .split(" "));

  static final String USAGE =
      " (expected fault=GLOB:OPS:ERRNO[:nth=N|:nth=N+|:every=N][:delay=MS])";

  private static final Set<String> ERRNOS = errnoNames();

  private final String text;
  private final String glob;
  private final String ops;
  private final String errno;
  private String when;
  private long delayMillis = -1;

  private FaultOption(String text, String glob, String ops, String errno) {
    this.text = text;
    this.glob = glob;
    this.ops = ops;
    this.errno = errno;
  }

  static FaultOption parse(String value) {
    String[] fields = value.split(":", -1);
    if (fields.length < 3) {
      throw bad(value, "needs GLOB:OPS:ERRNO" + USAGE);
    }
    FaultOption fault =
        new FaultOption(
            value, glob(value, fields[0]), ops(value, fields[1]), errno(value, fields[2]));
    for (int i = 3; i < fields.length; i++) {
      fault.modifier(fields[i]);
    }
    if (fault.errno == null && fault.delayMillis < 0) {
      throw bad(value, "ERRNO none needs a delay=MS");
    }
    return fault;
  }

  String text() {
    return text;
  }

  String glob() {
    return glob;
  }

  /** Returns whether the glob lies under a mount point: that point or a path below it. */
  boolean isUnder(String mountPoint) {
    return glob.equals(mountPoint) || glob.startsWith(mountPoint + "/");
  }

  /** Returns the fault provider's rule, its path glob taken from the mount point. */
  String rule(String mountPoint) {
    String path = glob.equals(mountPoint) ? "/" : glob.substring(mountPoint.length());
    StringBuilder rule = new StringBuilder("op=").append(ops).append(",path=").append(path);
    if (errno != null) {
      rule.append(",errno=").append(errno);
    }
    if (when != null) {
      rule.append(',').append(when);
    }
    if (delayMillis >= 0) {
      rule.append(",delay=").append(delayMillis).append("ms");
    }
    return rule.toString();
  }

  private void modifier(String field) {
    int eq = field.indexOf('=');
    String key = eq < 0 ? field : field.substring(0, eq);
    String number = eq < 0 ? "" : field.substring(eq + 1);
    switch (key) {
      case "nth", "every" -> {
        if (when != null) {
          throw bad(text, "give one of nth= and every=, once");
        }
        boolean from = key.equals("nth") && number.endsWith("+");
        long n = number(from ? number.substring(0, number.length() - 1) : number);
        if (n < 1) {
          throw bad(text, key + " must be a call number from 1, not '" + number + "'");
        }
        when = key + "=" + n + (from ? "+" : "");
      }
      case "delay" -> {
        if (delayMillis >= 0) {
          throw bad(text, "delay= is given twice");
        }
        delayMillis = number(number);
        if (delayMillis < 0 || delayMillis > 3_600_000) {
          throw bad(text, "delay must be whole milliseconds up to 3600000, not '" + number + "'");
        }
      }
      default -> throw bad(text, "unknown modifier '" + field + "'" + USAGE);
    }
  }

  private static String glob(String value, String glob) {
    Path path;
    try {
      path = Path.of(glob);
    } catch (InvalidPathException e) {
      throw bad(value, "bad glob '" + glob + "'");
    }
    if (!path.isAbsolute()) {
      throw bad(value, "glob '" + glob + "' must be an absolute path");
    }
    return path.normalize().toString();
  }

  private static String ops(String value, String ops) {
    if (ops.equals("*")) {
      return ops;
    }
    Set<String> seen = new HashSet<>();
    for (String op : ops.split("\\|", -1)) {
      if (!OPS.contains(op)) {
        throw bad(value, "unknown op '" + op + "' (known: *, " + String.join(", ", OPS) + ")");
      }
      if (!seen.add(op)) {
        throw bad(value, "op '" + op + "' is given twice");
      }
    }
    return ops;
  }

  /** Returns the errno as the rule gives it, or null for {@code none}. */
  private static String errno(String value, String errno) {
    if (errno.equals("none")) {
      return null;
    }
    long number = number(errno);
    // Linux's error numbers run from 1 to MAX_ERRNO, 4095.
    if (ERRNOS.contains(errno) || (number > 0 && number <= 4095)) {
      return errno;
    }
    throw bad(value, "unknown errno '" + errno + "' (a name such as EIO, a number, or none)");
  }

  /** Parses a decimal number of up to 12 digits, or returns -1. */
  private static long number(String digits) {
    if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Long.parseLong(digits);
  }

  private static IllegalArgumentException bad(String value, String problem) {
    return new IllegalArgumentException("fault '" + value + "': " + problem);
  }

  /** Reads the errno constants' names, aliases such as EWOULDBLOCK included. */
  private static Set<String> errnoNames() {
    Set<String> names = new HashSet<>();
    for (Field f : Errno.class.getFields()) {
      if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
        names.add(f.getName().toUpperCase(Locale.ROOT));
      }
    }
    return names;
  }
}
