package iouring.vfs.fault;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsProvider;
import iouring.api.spi.VfsProviderFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Creates {@link FaultProvider}s without a framework. The wrapped provider is created too, by the
 * factory of its type, since options can only carry text:
 *
 * <ul>
 *   <li>{@code target} (required): the wrapped provider's type, such as {@code memory};
 *   <li>{@code target.KEY}: the option {@code KEY} of the wrapped provider, such as {@code
 *       target.root} for a host provider;
 *   <li>{@code rule.N}: one rule in {@link FaultProvider}'s syntax; rules apply in the order of
 *       their numbers, which start at 1 and may leave gaps.
 * </ul>
 *
 * <p>The factory of the target type comes from {@link VfsProviderFactory#load} (ServiceLoader), or
 * under OSGi from the factory services that iouring.vfs registers.
 */
public final class FaultProviderFactory implements VfsProviderFactory {
  /** The option that names the wrapped provider's type. */
  public static final String TARGET = "target";

  /** The prefix of the wrapped provider's options. */
  public static final String TARGET_OPTION = "target.";

  /** The prefix of the numbered rules. */
  public static final String RULE = "rule.";

  private final Function<String, VfsProviderFactory> targets;

  /** Creates the factory that finds target types through {@link VfsProviderFactory#load}. */
  public FaultProviderFactory() {
    this(VfsProviderFactory::load);
  }

  /**
   * Creates the factory that finds target types through the given lookup.
   *
   * @param targets the factory of a type, or null if there is none
   */
  public FaultProviderFactory(Function<String, VfsProviderFactory> targets) {
    this.targets = targets;
  }

  @Override
  public String type() {
    return "fault";
  }

  @Override
  public VfsProvider create(Map<String, String> options) throws VfsException {
    String type = null;
    Map<String, String> targetOptions = new LinkedHashMap<>();
    TreeMap<Long, String> rules = new TreeMap<>();
    for (Map.Entry<String, String> option : options.entrySet()) {
      String key = option.getKey();
      if (key.equals(TARGET)) {
        type = option.getValue();
      } else if (key.startsWith(TARGET_OPTION) && key.length() > TARGET_OPTION.length()) {
        targetOptions.put(key.substring(TARGET_OPTION.length()), option.getValue());
      } else if (key.startsWith(RULE)) {
        rules.put(ruleNumber(key), option.getValue());
      } else {
        throw new VfsException(
            Errno.EINVAL, "unknown fault option '" + key + "' (known: target, target.KEY, rule.N)");
      }
    }
    if (type == null || type.isEmpty()) {
      throw new VfsException(Errno.EINVAL, "fault option 'target' (the wrapped type) is missing");
    }
    List<FaultRule> parsed;
    try {
      parsed = FaultRule.parseAll(rules.values().toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      throw new VfsException(Errno.EINVAL, e.getMessage());
    }
    VfsProviderFactory target = targets.apply(type);
    if (target == null) {
      throw new VfsException(Errno.EINVAL, "fault target: no provider type '" + type + "'");
    }
    return new FaultProvider(target.create(targetOptions), parsed);
  }

  private static long ruleNumber(String key) throws VfsException {
    try {
      long n = Long.parseLong(key.substring(RULE.length()));
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new VfsException(
        Errno.EINVAL, "fault option '" + key + "' must be rule.N with N a number from 1");
  }
}
