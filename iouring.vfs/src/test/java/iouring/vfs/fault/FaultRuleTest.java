package iouring.vfs.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.abi.Errno;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing fault rules: every key, its defaults, and an error that says what is wrong. */
class FaultRuleTest {

  @Test
  void aBareOpFailsEveryCallWithEio() {
    FaultRule rule = FaultRule.parse("op=read");
    assertEquals(Errno.EIO, rule.errno());
    assertEquals(0, rule.delayNanos());
    assertTrue(rule.fires(FaultOp.READ, "/a"));
    assertTrue(rule.fires(FaultOp.READ, "/b"));
    assertFalse(rule.fires(FaultOp.WRITE, "/a"));
  }

  @Test
  void opsCanBeListedOrAll() {
    FaultRule some = FaultRule.parse("op=read|WRITE");
    assertTrue(some.fires(FaultOp.READ, "/"));
    assertTrue(some.fires(FaultOp.WRITE, "/"));
    assertFalse(some.fires(FaultOp.SYNC, "/"));
    FaultRule all = FaultRule.parse("op=*");
    for (FaultOp op : FaultOp.values()) {
      assertTrue(all.fires(op, "/x"), op.ruleName());
    }
  }

  @ParameterizedTest
  @CsvSource({
    "/data/*, /data/f, true",
    "/data/*, /data/sub/f, false",
    "/data/*, /other/f, false",
    "/data/**, /data/sub/deeper/f, true",
    "/**/*.log, /a/b/c.log, true",
    "/**/*.log, /a/b/c.txt, false",
    "/f?, /f1, true",
    "/f?, /f/, false",
    "/a.b, /axb, false"
  })
  void pathsAreGlobs(String glob, String path, boolean matches) {
    assertEquals(matches, FaultRule.parse("op=open,path=" + glob).fires(FaultOp.OPEN, path));
  }

  @Test
  void aRuleMatchesACallWhenAnyOfItsPathsMatches() {
    FaultRule rule = FaultRule.parse("op=rename,path=/dst/*");
    assertTrue(rule.fires(FaultOp.RENAME, "/src/a", "/dst/a"));
    assertFalse(rule.fires(FaultOp.RENAME, "/src/a", "/src/b"));
  }

  @Test
  void nthPicksOneCallOrEveryCallFromIt() {
    FaultRule third = FaultRule.parse("op=write,nth=3");
    assertEquals(List.of(false, false, true, false, false), fiveCalls(third));
    FaultRule fromThird = FaultRule.parse("op=write,nth=3+");
    assertEquals(List.of(false, false, true, true, true), fiveCalls(fromThird));
  }

  @Test
  void everyPicksEachNthCall() {
    FaultRule everySecond = FaultRule.parse("op=write,every=2");
    assertEquals(List.of(false, true, false, true, false), fiveCalls(everySecond));
    FaultRule everyCall = FaultRule.parse("op=write,every=1");
    assertEquals(List.of(true, true, true, true, true), fiveCalls(everyCall));
  }

  @Test
  void onlyMatchingCallsCount() {
    FaultRule rule = FaultRule.parse("op=write,path=/x,nth=2");
    assertFalse(rule.fires(FaultOp.WRITE, "/y"));
    assertFalse(rule.fires(FaultOp.READ, "/x"));
    assertFalse(rule.fires(FaultOp.WRITE, "/x"));
    assertTrue(rule.fires(FaultOp.WRITE, "/x"));
  }

  @Test
  void errnosGoByNameAliasOrNumber() {
    assertEquals(Errno.ENOSPC, FaultRule.parse("op=write,errno=ENOSPC").errno());
    assertEquals(Errno.ENOSPC, FaultRule.parse("op=write,errno=enospc").errno());
    assertEquals(Errno.EAGAIN, FaultRule.parse("op=write,errno=EWOULDBLOCK").errno());
    assertEquals(28, FaultRule.parse("op=write,errno=28").errno());
  }

  @Test
  void delaysTakeUnitsAndFailNothingAlone() {
    assertEquals(50_000_000, FaultRule.parse("op=write,delay=50ms").delayNanos());
    assertEquals(2_000_000_000, FaultRule.parse("op=write,delay=2s").delayNanos());
    assertEquals(7_000, FaultRule.parse("op=write,delay=7us").delayNanos());
    assertEquals(9, FaultRule.parse("op=write,delay=9ns").delayNanos());
    assertEquals(0, FaultRule.parse("op=write,delay=50ms").errno());
    assertEquals(Errno.EIO, FaultRule.parse("op=write,delay=1ms,errno=EIO").errno());
  }

  @Test
  void spacesAndCaseInKeysAreForgiven() {
    FaultRule rule = FaultRule.parse("  OP = read , Errno = EROFS ");
    assertEquals(Errno.EROFS, rule.errno());
    assertEquals("OP = read , Errno = EROFS", rule.toString());
  }

  @Test
  void blankRulesAreSkipped() {
    assertEquals(1, FaultRule.parseAll("", "op=read", "  ").size());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "''                          ; '' is not key=value",
        "op=read,,errno=EIO          ; '' is not key=value",
        "read                        ; 'read' is not key=value",
        "=read                       ; '=read' is not key=value",
        "path=/x                     ; op= is missing",
        "op=rd                       ; unknown op 'rd'; ops are *, open, read",
        "op=read|                    ; unknown op ''",
        "op=read,when=now            ; unknown key 'when'",
        "op=read,op=write            ; 'op' is given twice",
        "op=read,path=data/*         ; path 'data/*' must start with /",
        "op=read,nth=0               ; nth '0' must be a call number from 1",
        "op=read,nth=-2              ; nth '-2' must be a call number",
        "op=read,nth=x               ; nth 'x' must be a call number",
        "op=read,nth=3++             ; nth '3+' must be a call number",
        "op=read,every=0             ; every '0' must be a whole number from 1",
        "op=read,every=2+            ; every '2+' must be a whole number from 1",
        "op=read,nth=2,every=2       ; nth and every exclude each other",
        "op=read,errno=EFOO          ; unknown errno 'EFOO'",
        "op=read,errno=-5            ; unknown errno '-5'",
        "op=read,delay=50            ; delay '50' must be a whole number with a unit",
        "op=read,delay=50min         ; delay '50min' must be",
        "op=read,delay=-5ms          ; delay '-5ms' must be",
        "op=read,delay=1.5s          ; delay '1.5s' must be",
        "op=read,delay=9999999999999s ; delay '9999999999999s' must be"
      })
  void malformedRulesSayWhatIsWrong(String rule, String problem) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FaultRule.parse(rule));
    assertTrue(e.getMessage().startsWith("fault rule '" + rule.strip() + "': "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  private static List<Boolean> fiveCalls(FaultRule rule) {
    return List.of(
        rule.fires(FaultOp.WRITE, "/f"),
        rule.fires(FaultOp.WRITE, "/f"),
        rule.fires(FaultOp.WRITE, "/f"),
        rule.fires(FaultOp.WRITE, "/f"),
        rule.fires(FaultOp.WRITE, "/f"));
  }
}
