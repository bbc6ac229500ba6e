package iouring.api.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tests {@link RegisterOpcodes}. */
class RegisterOpcodesTest {

  /** Every opcode below IORING_REGISTER_LAST has a distinct name naming a field of that value. */
  @Test
  void everyOpcodeHasTheNameOfItsField() {
    Map<String, Integer> fields = AbiReflection.intConstants(RegisterOpcodes.class, "");
    Set<String> seen = new HashSet<>();
    for (int op = 0; op < RegisterOpcodes.IORING_REGISTER_LAST; op++) {
      String name = RegisterOpcodes.name(op);
      assertTrue(seen.add(name), "duplicate name " + name);
      assertEquals(Integer.valueOf(op), fields.get(name), name + " field value");
    }
    assertEquals(38, seen.size());
  }

  /** Every field other than the LAST value and the registered-ring flag is a named opcode. */
  @Test
  void everyFieldIsNamed() {
    Map<String, Integer> fields = AbiReflection.intConstants(RegisterOpcodes.class, "");
    assertEquals(40, fields.size());
    for (Map.Entry<String, Integer> e : fields.entrySet()) {
      String key = e.getKey();
      if (key.equals("IORING_REGISTER_LAST") || key.equals("IORING_REGISTER_USE_REGISTERED_RING")) {
        continue;
      }
      assertEquals(key, RegisterOpcodes.name(e.getValue()));
    }
  }

  /** Spellings and values follow the header, including the UNREGISTER names. */
  @Test
  void valuesMatchHeader() {
    assertEquals(1, RegisterOpcodes.IORING_UNREGISTER_BUFFERS);
    assertEquals(8, RegisterOpcodes.IORING_REGISTER_PROBE);
    assertEquals(12, RegisterOpcodes.IORING_REGISTER_ENABLE_RINGS);
    assertEquals(13, RegisterOpcodes.IORING_REGISTER_FILES2);
    assertEquals(22, RegisterOpcodes.IORING_REGISTER_PBUF_RING);
    assertEquals(28, RegisterOpcodes.IORING_UNREGISTER_NAPI);
    assertEquals(35, RegisterOpcodes.IORING_REGISTER_QUERY);
    assertEquals(37, RegisterOpcodes.IORING_REGISTER_BPF_FILTER);
    assertEquals(38, RegisterOpcodes.IORING_REGISTER_LAST);
    assertEquals(0x80000000, RegisterOpcodes.IORING_REGISTER_USE_REGISTERED_RING);
    assertEquals("IORING_UNREGISTER_IOWQ_AFF", RegisterOpcodes.name(18));
  }

  /** Unknown opcodes, and opcodes still carrying the registered-ring flag, are formatted. */
  @Test
  void unknownOpcode() {
    assertEquals("IORING_REGISTER_UNKNOWN(200)", RegisterOpcodes.name(200));
    assertEquals("IORING_REGISTER_UNKNOWN(38)", RegisterOpcodes.name(38));
    assertEquals(
        "IORING_REGISTER_UNKNOWN(-2147483640)",
        RegisterOpcodes.name(
            RegisterOpcodes.IORING_REGISTER_PROBE
                | RegisterOpcodes.IORING_REGISTER_USE_REGISTERED_RING));
  }

  /** Known names come from a table and are not built per call. */
  @Test
  void knownNamesAreShared() {
    assertSame(RegisterOpcodes.name(0), RegisterOpcodes.name(0));
  }
}
