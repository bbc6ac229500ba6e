package iouring.kernel.conformance;

import java.util.Map;

/**
 * The scenarios whose transcripts differ from Linux on purpose, each with its reason, for the
 * emulator over the host provider and over the memory provider: the one list, mirrored by the
 * "Differences from the kernel" section of {@code docs/SUPPORTED.md}. A scenario listed here that
 * turns out identical fails, so the list cannot go stale.
 */
final class KnownDifferences {
  static final Map<String, String> REASONS =
      Map.of(
          "renameat with RENAME_EXCHANGE",
          "EINVAL: the host provider has no renameat2, and the JDK cannot swap two names atomically",
          "openat O_TMPFILE",
          "EOPNOTSUPP: the provider SPI cannot create unnamed files");

  /** The same for the emulator over the memory provider. */
  static final Map<String, String> MEMORY =
      Map.of("openat O_TMPFILE", "EOPNOTSUPP: the provider SPI cannot create unnamed files");

  private KnownDifferences() {}
}
