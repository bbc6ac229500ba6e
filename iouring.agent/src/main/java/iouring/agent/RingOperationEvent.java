package iouring.agent;

import iouring.api.abi.Opcodes;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * The JFR event of one SQE the agent submitted: the JDK's own {@code jdk.FileRead}/{@code
 * jdk.FileWrite} events no longer see I/O under a mount, so this one shows it in JDK Mission
 * Control. Its duration runs from before the ring's lock is taken to after the CQE is reaped, as
 * the latency in {@code trace=} does.
 *
 * <p>When no recording has it enabled, {@link #beginIfEnabled} asks the event class once, through
 * an instance made at class initialization, and returns null: nothing is allocated per operation.
 */
@Name(RingOperationEvent.NAME)
@Label("Ring Operation")
@Category({"iouring", "Agent"})
@Description("One SQE the iouring agent submitted for a path under a mount, and its CQE's result")
final class RingOperationEvent extends jdk.jfr.Event {
  static final String NAME = "iouring.RingOperation";

  /** Asks whether the event is enabled; {@code isEnabled} reads the class's state, not its own. */
  private static final RingOperationEvent PROBE = new RingOperationEvent();

  @Label("Opcode")
  @Description("The SQE's opcode, by its kernel name")
  String opcode;

  @Label("Path")
  @Description("The host path of the file, under a mount")
  String path;

  @Label("Offset")
  @Description("The SQE's offset; -1 for the channel's position")
  long offset;

  @Label("Length")
  @Description("The bytes asked for, for reads and writes")
  @DataAmount
  long length;

  @Label("Result")
  @Description("The CQE's res: a count, 0, or -errno")
  int result;

  /** Returns a begun event when a recording wants this event, else null. */
  static RingOperationEvent beginIfEnabled() {
    if (!PROBE.isEnabled()) {
      return null;
    }
    RingOperationEvent event = new RingOperationEvent();
    event.begin();
    return event;
  }

  /** Ends the event and commits it unless its threshold or settings drop it. */
  void endAndCommit(int opcode, String path, long offset, long length, int result) {
    end();
    if (shouldCommit()) {
      this.opcode = Opcodes.name(opcode);
      this.path = path;
      this.offset = offset;
      this.length = length;
      this.result = result;
      commit();
    }
  }
}
