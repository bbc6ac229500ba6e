package iouring.kernel.conformance;

/**
 * A named sequence of calls, written once and run on every target.
 *
 * @param name what it checks, also its key in {@link KnownDifferences}
 * @param body the calls
 */
record Scenario(String name, Body body) {

  /** The calls of a scenario, made through a {@link Script}. */
  @FunctionalInterface
  interface Body {
    void run(Script s);
  }

  @Override
  public String toString() {
    return name;
  }
}
