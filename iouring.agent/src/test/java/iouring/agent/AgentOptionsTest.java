package iouring.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing the agent's options: fault options become rules on the provider of their mount. */
class AgentOptionsTest {
  private static final String USAGE =
      " (expected fault=GLOB:OPS:ERRNO[:nth=N|:nth=N+|:every=N][:delay=MS])";

  @Test
  void faultsBecomeRulesWithPathsFromTheirMount() {
    AgentOptions options =
        AgentOptions.parse(
            "fault=/data/logs/**:write|sync:ENOSPC:every=3,mount=/data=memory:sizeLimit=9,"
                + "fault=/data:stat:EACCES:nth=2+,fault=/data/./a/../b?:*:5:nth=1:delay=20,"
                + "fault=/data/slow:read:none:delay=0");
    AgentOptions.Mount mount = options.mounts.get(0);
    assertEquals("/data", mount.path());
    assertEquals("memory", mount.type());
    assertEquals(Map.of("sizeLimit", "9"), mount.options());
    assertEquals(
        List.of(
            "op=write|sync,path=/logs/**,errno=ENOSPC,every=3",
            "op=stat,path=/,errno=EACCES,nth=2+",
            "op=*,path=/b?,errno=5,nth=1,delay=20ms",
            "op=read,path=/slow,delay=0ms"),
        mount.faults());
  }

  @Test
  void configurationValuesAreOptionsOneEachAndUnsplit() {
    AgentOptions options =
        AgentOptions.parse(
            List.of(
                "mount=/data=memory:sizeLimit=9",
                " ",
                "fault=/data/a,b:read:EIO",
                "stats=/tmp/s,1.json",
                "ring=8"));
    assertEquals("/data", options.mounts.get(0).path());
    assertEquals(List.of("op=read,path=/a,b,errno=EIO"), options.mounts.get(0).faults());
    assertEquals("/tmp/s,1.json", options.stats.toString());
    assertEquals(8, options.ringEntries);
    assertEquals("memory,x", AgentOptions.parse(List.of("mount=/a=memory,x")).mounts.get(0).type());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse(List.of("ring=3")));
    assertEquals("option 'ring' must be a power of two from 1 to 32768, not '3'", e.getMessage());
  }

  @Test
  void aFaultGoesToTheDeepestMountInForce() {
    AgentOptions options =
        AgentOptions.parse(
            "mount=/a=memory,mount=/a/b=memory,mount=/a/b=host:root=/tmp,"
                + "fault=/a/b/c:open:EIO,fault=/a/bc:open:EIO");
    assertEquals(List.of("op=open,path=/bc,errno=EIO"), options.mounts.get(0).faults());
    assertEquals(List.of(), options.mounts.get(1).faults());
    assertEquals(List.of("op=open,path=/c,errno=EIO"), options.mounts.get(2).faults());
  }

  @Test
  void withoutFaultsAMountHasNoRules() {
    assertEquals(List.of(), AgentOptions.parse("mount=/a=memory").mounts.get(0).faults());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "fault=/x/*:read ; fault '/x/*:read': needs GLOB:OPS:ERRNO" + USAGE,
        "fault=/y/*:read:EIO ; fault '/y/*:read:EIO': /y/* is under no mount",
        "fault=/x*:read:EIO ; fault '/x*:read:EIO': /x* is under no mount",
        "fault=x/*:read:EIO ; fault 'x/*:read:EIO': glob 'x/*' must be an absolute path",
        "fault=/x/*:reed:EIO ; fault '/x/*:reed:EIO': unknown op 'reed' (known: *, open, read,"
            + " write, sync, size, stat, truncate, allocate, mkdir, unlink, rmdir, rename, list,"
            + " symlink, readlink, link, getxattr, setxattr)",
        "fault=/x/*:read|:EIO ; fault '/x/*:read|:EIO': unknown op '' (known: *, open, read,"
            + " write, sync, size, stat, truncate, allocate, mkdir, unlink, rmdir, rename, list,"
            + " symlink, readlink, link, getxattr, setxattr)",
        "fault=/x/*:read|read:EIO ; fault '/x/*:read|read:EIO': op 'read' is given twice",
        "fault=/x/*:read:EFOO ; fault '/x/*:read:EFOO': unknown errno 'EFOO' (a name such as"
            + " EIO, a number, or none)",
        "fault=/x/*:read:4096 ; fault '/x/*:read:4096': unknown errno '4096' (a name such as"
            + " EIO, a number, or none)",
        "fault=/x/*:read:eio ; fault '/x/*:read:eio': unknown errno 'eio' (a name such as"
            + " EIO, a number, or none)",
        "fault=/x/*:read:EIO:nth=0 ; fault '/x/*:read:EIO:nth=0': nth must be a call number"
            + " from 1, not '0'",
        "fault=/x/*:read:EIO:every=2+ ; fault '/x/*:read:EIO:every=2+': every must be a call"
            + " number from 1, not '2+'",
        "fault=/x/*:read:EIO:nth=2:every=3 ; fault '/x/*:read:EIO:nth=2:every=3': give one of"
            + " nth= and every=, once",
        "fault=/x/*:read:EIO:delay=1:delay=2 ; fault '/x/*:read:EIO:delay=1:delay=2': delay="
            + " is given twice",
        "fault=/x/*:read:EIO:delay=5ms ; fault '/x/*:read:EIO:delay=5ms': delay must be whole"
            + " milliseconds up to 3600000, not '5ms'",
        "fault=/x/*:read:none ; fault '/x/*:read:none': ERRNO none needs a delay=MS",
        "fault=/x/*:read:EIO:often ; fault '/x/*:read:EIO:often': unknown modifier 'often'" + USAGE,
        "fault= ; option 'fault' needs a value: fault=...",
      })
  void badFaultsSayWhatIsWrong(String option, String message) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> AgentOptions.parse("mount=/x=memory," + option));
    assertEquals(message, e.getMessage());
  }
}
