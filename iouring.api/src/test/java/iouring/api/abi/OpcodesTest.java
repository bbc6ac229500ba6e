package iouring.api.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tests {@link Opcodes}. */
class OpcodesTest {

  /** Every opcode below IORING_OP_LAST has a distinct name naming a field of that value. */
  @Test
  void everyOpcodeHasTheNameOfItsField() {
    Map<String, Integer> fields = AbiReflection.intConstants(Opcodes.class, "IORING_OP_");
    Set<String> seen = new HashSet<>();
    for (int op = 0; op < Opcodes.IORING_OP_LAST; op++) {
      String name = Opcodes.name(op);
      assertTrue(seen.add(name), "duplicate name " + name);
      assertEquals(Integer.valueOf(op), fields.get(name), name + " field value");
    }
    assertEquals(63, seen.size());
  }

  /** Every field other than IORING_OP_LAST is an opcode that name() knows. */
  @Test
  void everyFieldIsNamed() {
    Map<String, Integer> fields = AbiReflection.intConstants(Opcodes.class, "");
    assertEquals(64, fields.size());
    for (Map.Entry<String, Integer> e : fields.entrySet()) {
      if (e.getKey().equals("IORING_OP_LAST")) {
        continue;
      }
      assertEquals(e.getKey(), Opcodes.name(e.getValue()));
    }
  }

  /** A few values match the 6.18 table of the reference. */
  @Test
  void valuesMatchLinux618() {
    assertEquals(0, Opcodes.IORING_OP_NOP);
    assertEquals(1, Opcodes.IORING_OP_READV);
    assertEquals(22, Opcodes.IORING_OP_READ);
    assertEquals(28, Opcodes.IORING_OP_OPENAT2);
    assertEquals(46, Opcodes.IORING_OP_URING_CMD);
    assertEquals(48, Opcodes.IORING_OP_SENDMSG_ZC);
    assertEquals(49, Opcodes.IORING_OP_READ_MULTISHOT);
    assertEquals(55, Opcodes.IORING_OP_FTRUNCATE);
    assertEquals(62, Opcodes.IORING_OP_PIPE);
    assertEquals(63, Opcodes.IORING_OP_LAST);
    assertEquals("IORING_OP_READV", Opcodes.name(1));
    assertEquals("IORING_OP_PIPE", Opcodes.name(62));
  }

  /** Unknown opcodes are formatted with their value. */
  @Test
  void unknownOpcode() {
    assertEquals("IORING_OP_UNKNOWN(200)", Opcodes.name(200));
    assertEquals("IORING_OP_UNKNOWN(63)", Opcodes.name(Opcodes.IORING_OP_LAST));
    assertEquals("IORING_OP_UNKNOWN(-1)", Opcodes.name(-1));
  }

  /** Known names come from a table and are not built per call. */
  @Test
  void knownNamesAreShared() {
    assertSame(Opcodes.name(Opcodes.IORING_OP_WRITE), Opcodes.name(Opcodes.IORING_OP_WRITE));
  }
}
