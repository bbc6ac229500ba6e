package iouring.core.fuzz;

/**
 * A user address as the fuzzer chooses it: {@code offset} bytes from the start of one of the
 * fixture's regions, or, with no region, the raw value {@code offset}. Resolved when the SQE is
 * written, since regions get their addresses only when a process maps them.
 *
 * @param region a {@link FuzzProcess} region index, or -1 for a raw value
 * @param offset the offset into the region, which may lie before or past it, or the raw value
 */
record Ptr(int region, long offset) {
  static Ptr raw(long value) {
    return new Ptr(-1, value);
  }

  long resolve(FuzzProcess p) {
    return region < 0 ? offset : p.region(region).address() + offset;
  }
}
