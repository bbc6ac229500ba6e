package iouring.kernel.conformance;

import java.util.Map;

/**
 * The scenarios whose transcripts differ from Linux on purpose, each with its reason: the one list,
 * mirrored by the "Differences from the kernel" section of {@code docs/SUPPORTED.md}. A scenario
 * listed here that turns out identical fails, so the list cannot go stale.
 */
final class KnownDifferences {
  static final Map<String, String> REASONS = Map.of();

  private KnownDifferences() {}
}
