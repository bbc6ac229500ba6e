package iouring.vfs.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageTableTest {
  /** Page numbers on every edge: the first leaf, the levels behind it, the last page. */
  private static final long[] EDGES = {
    0,
    1,
    1023,
    1024,
    1025,
    2047,
    2048,
    (1L << 22) - 1,
    1L << 22,
    (1L << 22) + 1023,
    1L << 30,
    PageTable.LIMIT - 1
  };

  @Test
  void anEmptyTableHasOnlyHoles() {
    PageTable table = new PageTable();
    for (long index : EDGES) {
      assertNull(table.get(index));
      assertNull(table.remove(index));
    }
    List<Long> visited = new ArrayList<>();
    table.removeIf(0, Long.MAX_VALUE, i -> visited.add(i));
    assertEquals(List.of(), visited);
  }

  @Test
  void pagesStayWhereTheyWereStoredUntilRemoved() {
    PageTable table = new PageTable();
    byte[][] pages = new byte[EDGES.length][];
    for (int i = 0; i < EDGES.length; i++) {
      pages[i] = new byte[] {(byte) i};
      assertNull(table.putIfAbsent(EDGES[i], pages[i]));
    }
    for (int i = 0; i < EDGES.length; i++) {
      assertSame(pages[i], table.get(EDGES[i]), "page " + EDGES[i]);
      assertSame(pages[i], table.putIfAbsent(EDGES[i], new byte[1]), "the first stays");
      assertNull(table.get(EDGES[i] ^ 2), "neighbour of " + EDGES[i]);
    }
    assertSame(pages[3], table.remove(1024));
    assertNull(table.get(1024));
    assertNull(table.remove(1024));
    assertSame(pages[2], table.get(1023));
    assertSame(pages[4], table.get(1025));
  }

  @Test
  void removeIfVisitsEveryPresentPageInOrderWithinTheRange() {
    PageTable table = new PageTable();
    for (long index : EDGES) {
      table.putIfAbsent(index, new byte[1]);
    }
    List<Long> visited = new ArrayList<>();
    table.removeIf(1, PageTable.LIMIT, i -> visited.add(i) && i % 2 == 1);
    assertEquals(
        List.of(
            1L,
            1023L,
            1024L,
            1025L,
            2047L,
            2048L,
            (1L << 22) - 1,
            1L << 22,
            (1L << 22) + 1023,
            1L << 30,
            PageTable.LIMIT - 1),
        visited);
    for (long index : EDGES) {
      boolean removed = index >= 1 && index % 2 == 1;
      assertEquals(removed, table.get(index) == null, "page " + index);
    }
    visited.clear();
    table.removeIf(1024, 2048, i -> visited.add(i));
    assertEquals(List.of(1024L), visited, "the range's end is exclusive");
  }
}
