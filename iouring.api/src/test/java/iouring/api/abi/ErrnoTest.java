package iouring.api.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tests {@link Errno}. */
class ErrnoTest {

  /** Alias constants and the canonical constant they share a value with. */
  private static final Map<String, String> ALIASES =
      Map.of("EWOULDBLOCK", "EAGAIN", "EDEADLOCK", "EDEADLK", "ENOTSUP", "EOPNOTSUPP");

  /** Values in 1..133 that x86_64 leaves unused. */
  private static final Set<Integer> UNUSED = Set.of(41, 58);

  /** Every E* field maps back to its own name, or to its alias target. */
  @Test
  void everyFieldNamesItself() {
    Map<String, Integer> fields = AbiReflection.intConstants(Errno.class, "E");
    assertEquals(131 + ALIASES.size(), fields.size());
    for (Map.Entry<String, Integer> e : fields.entrySet()) {
      String expected = ALIASES.getOrDefault(e.getKey(), e.getKey());
      assertEquals(expected, Errno.name(e.getValue()), e.getKey());
      assertEquals(expected, Errno.name(-e.getValue()), "-" + e.getKey());
    }
    for (Map.Entry<String, String> a : ALIASES.entrySet()) {
      assertEquals(fields.get(a.getValue()), fields.get(a.getKey()), a.getKey());
    }
  }

  /** Every value from 1 to 133 except the unused ones has a field, a name and a message. */
  @Test
  void everyValueIsCovered() {
    Map<String, Integer> fields = AbiReflection.intConstants(Errno.class, "E");
    for (int n = 1; n <= 133; n++) {
      String name = Errno.name(n);
      String message = Errno.message(n);
      assertNotNull(message);
      if (UNUSED.contains(n)) {
        assertEquals("E?(" + n + ")", name);
        assertEquals("Unknown error " + n, message);
      } else {
        assertEquals(Integer.valueOf(n), fields.get(name), name);
        assertFalse(message.startsWith("Unknown error"), name + ": " + message);
      }
    }
    assertEquals(133, Errno.EHWPOISON);
  }

  /** Names and messages of common values, in either sign. */
  @Test
  void knownNamesAndMessages() {
    assertEquals("EINVAL", Errno.name(Errno.EINVAL));
    assertEquals("EINVAL", Errno.name(-22));
    assertEquals("Invalid argument", Errno.message(22));
    assertEquals("Invalid argument", Errno.message(-22));
    assertEquals("ENOENT", Errno.name(2));
    assertEquals("No such file or directory", Errno.message(Errno.ENOENT));
    assertEquals("Bad file descriptor", Errno.message(-Errno.EBADF));
    assertEquals("Resource temporarily unavailable", Errno.message(Errno.EWOULDBLOCK));
    assertEquals("Operation canceled", Errno.message(Errno.ECANCELED));
    assertEquals("Timer expired", Errno.message(Errno.ETIME));
    assertEquals("File descriptor in bad state", Errno.message(Errno.EBADFD));
    assertEquals("Operation not supported", Errno.message(Errno.ENOTSUP));
    assertEquals("Memory page has hardware error", Errno.message(Errno.EHWPOISON));
    assertEquals(".lib section in a.out corrupted", Errno.message(Errno.ELIBSCN));
    assertEquals("Success", Errno.message(0));
  }

  /** Values on the x86_64 table that differ between architectures are right. */
  @Test
  void x86Values() {
    assertEquals(11, Errno.EAGAIN);
    assertEquals(35, Errno.EDEADLK);
    assertEquals(62, Errno.ETIME);
    assertEquals(77, Errno.EBADFD);
    assertEquals(95, Errno.EOPNOTSUPP);
    assertEquals(114, Errno.EALREADY);
    assertEquals(125, Errno.ECANCELED);
  }

  /** Unknown values are formatted as given. */
  @Test
  void unknownValues() {
    assertEquals("E?(999)", Errno.name(999));
    assertEquals("E?(-999)", Errno.name(-999));
    assertEquals("E?(0)", Errno.name(0));
    assertEquals("E?(134)", Errno.name(134));
    assertEquals("E?(-2147483648)", Errno.name(Integer.MIN_VALUE));
    assertEquals("Unknown error 999", Errno.message(999));
    assertEquals("Unknown error -999", Errno.message(-999));
    assertEquals("Unknown error -2147483648", Errno.message(Integer.MIN_VALUE));
  }

  /** Known names and messages come from tables and are not built per call. */
  @Test
  void knownValuesAreShared() {
    assertSame(Errno.name(22), Errno.name(-22));
    assertSame(Errno.message(5), Errno.message(-5));
  }
}
