package iouring.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * 4 KiB reads at random aligned offsets of a cached 64 MiB host file through the ring, at queue
 * depth 1 and 32, through the host provider. The kernel side of the ratio is the same workload
 * through the real io_uring; the FileChannel benchmark is what the provider itself costs.
 *
 * <p>The forks open {@code sun.nio.ch}, as {@code ./iouring run} and the agent do, so the host
 * provider's channels are uninterruptible; {@link RingReadInterruptibleBenchmark} is the same
 * workload without it. Both extend {@link RingReadWorkload}, which holds the benchmarks.
 */
@Fork(value = 2, jvmArgsAppend = RingReadBenchmark.HOST_OPENS)
public class RingReadBenchmark extends RingReadWorkload {
  /** What lets the host provider make its channels uninterruptible. */
  static final String HOST_OPENS = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
}
