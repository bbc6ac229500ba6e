package iouring.core.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Assertions on the CQEs of linked requests: Linux posts the CQEs of one chain in chain order, but
 * those of different chains, or of independent requests, in any order.
 */
final class Chains {
  private Chains() {}

  /**
   * Asserts that {@code actual} holds exactly the CQEs of the given chains (an independent request
   * is a chain of one), each chain's CQEs in chain order. User data must differ between chains.
   */
  @SafeVarargs
  static void assertChains(List<Cqe> actual, List<Cqe>... chains) {
    List<Cqe> all = new ArrayList<>();
    for (List<Cqe> chain : chains) {
      all.addAll(chain);
      Set<Long> ids = chain.stream().map(Cqe::userData).collect(Collectors.toSet());
      List<Cqe> posted =
          actual.stream().filter(c -> ids.contains(c.userData())).collect(Collectors.toList());
      assertEquals(chain, posted, "CQEs of the chain " + ids + ", in chain order");
    }
    Comparator<Cqe> order =
        Comparator.comparingLong(Cqe::userData)
            .thenComparingInt(Cqe::res)
            .thenComparingInt(Cqe::flags);
    List<Cqe> expected = new ArrayList<>(all);
    List<Cqe> got = new ArrayList<>(actual);
    expected.sort(order);
    got.sort(order);
    assertEquals(expected, got, "every CQE, in any order across chains");
    assertEquals(all.size(), new HashSet<>(all.stream().map(Cqe::userData).toList()).size());
  }

  /** Returns the CQEs of one chain, in chain order. */
  static List<Cqe> chain(Cqe... cqes) {
    return Arrays.asList(cqes);
  }
}
