package iouring.core.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.abi.Opcodes;
import org.junit.jupiter.api.Test;

class OpTableTest {
  @Test
  void everyOpcodeOfTheAbiHasAnEntryNamedAfterIt() {
    for (int op = 0; op < Opcodes.IORING_OP_LAST; op++) {
      OpTable.Def def = OpTable.get(op);
      assertNotNull(def, Opcodes.name(op));
      assertEquals(Opcodes.name(op), def.name);
      assertNotNull(def.op, def.name);
    }
  }

  @Test
  void opcodesPastTheLastHaveNone() {
    assertNull(OpTable.get(Opcodes.IORING_OP_LAST));
    assertNull(OpTable.get(255));
    assertNull(OpTable.get(-1));
  }

  @Test
  void unsupportedOpsFailPrepWithEopnotsupp() {
    OpTable.Def send = OpTable.get(Opcodes.IORING_OP_SEND);
    assertTrue(!send.supported());
    assertEquals(-95, send.op.prep(null, null));
  }

  @Test
  void readsTakeIoprioAndBufferSelectionAsLinuxDeclaresThem() {
    assertTrue(OpTable.get(Opcodes.IORING_OP_READ).ioprio);
    assertTrue(OpTable.get(Opcodes.IORING_OP_READ).bufferSelect);
    assertTrue(!OpTable.get(Opcodes.IORING_OP_WRITE).bufferSelect);
    assertTrue(!OpTable.get(Opcodes.IORING_OP_NOP).ioprio);
  }
}
