package iouring.agent;

import iouring.api.abi.Opcodes;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** Counts the SQEs the agent submitted, by opcode, and the bytes they moved. */
final class Stats {
  private final AtomicLongArray ops = new AtomicLongArray(256);
  private final LongAdder bytesRead = new LongAdder();
  private final LongAdder bytesWritten = new LongAdder();

  void count(int opcode, int res) {
    ops.incrementAndGet(opcode & 0xff);
    if (res > 0 && RingIo.isRead(opcode)) {
      bytesRead.add(res);
    } else if (res > 0 && RingIo.isWrite(opcode)) {
      bytesWritten.add(res);
    }
  }

  /** Returns the counts of the opcodes submitted at least once, by kernel name. */
  Map<String, Long> ops() {
    Map<String, Long> byName = new TreeMap<>();
    for (int op = 0; op < ops.length(); op++) {
      if (ops.get(op) > 0) {
        byName.put(Opcodes.name(op), ops.get(op));
      }
    }
    return byName;
  }

  /** Returns the JSON object that {@code stats=FILE} holds. */
  String toJson() {
    StringBuilder json = new StringBuilder("{\n  \"ops\": {");
    String separator = "\n";
    for (Map.Entry<String, Long> op : ops().entrySet()) {
      json.append(separator)
          .append("    \"")
          .append(op.getKey())
          .append("\": ")
          .append(op.getValue());
      separator = ",\n";
    }
    json.append(ops().isEmpty() ? "},\n" : "\n  },\n");
    json.append("  \"bytesRead\": ").append(bytesRead.sum()).append(",\n");
    json.append("  \"bytesWritten\": ").append(bytesWritten.sum()).append("\n}\n");
    return json.toString();
  }
}
