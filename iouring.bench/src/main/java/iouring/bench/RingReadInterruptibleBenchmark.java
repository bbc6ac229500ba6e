package iouring.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link RingReadBenchmark} in a JVM started without options: {@code sun.nio.ch} stays closed, so
 * the host provider's channels are interruptible and each call runs inside its interrupt shield,
 * paying the JDK's interrupt bookkeeping on every read as a bare FileChannel does.
 */
@Fork(2)
public class RingReadInterruptibleBenchmark extends RingReadWorkload {}
