package iouring.vfs.host;

import static iouring.api.abi.FileFlags.O_CREAT;
import static iouring.api.abi.FileFlags.O_DIRECTORY;
import static iouring.api.abi.FileFlags.O_EXCL;
import static iouring.api.abi.FileFlags.O_NOFOLLOW;
import static iouring.api.abi.FileFlags.O_RDONLY;
import static iouring.api.abi.FileFlags.O_RDWR;
import static iouring.api.abi.FileFlags.O_TRUNC;
import static iouring.api.abi.FileFlags.O_WRONLY;
import static iouring.api.abi.FileFlags.RENAME_EXCHANGE;
import static iouring.api.abi.FileFlags.RENAME_NOREPLACE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsStat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tries to leave the host provider's root every way a path can: {@code ..}, absolute and relative
 * symlinks that point outside, chains, loops, dangling links and links to the host's {@code /},
 * each through every SPI operation. Next to the root lies an "outside" directory holding a canary;
 * afterwards nothing there may have been read (the canary's bytes, names or inode never returned),
 * written, created or deleted.
 */
class HostProviderEscapeTest {
  private static final int RANDOM_ATTEMPTS = 1500;
  private static final int[] OPEN_FLAGS = {
    O_RDONLY,
    O_RDWR,
    O_WRONLY | O_TRUNC,
    O_RDWR | O_CREAT,
    O_WRONLY | O_CREAT | O_TRUNC,
    O_RDWR | O_CREAT | O_EXCL,
    O_RDONLY | O_DIRECTORY,
    O_RDONLY | O_NOFOLLOW,
    O_RDWR | O_CREAT | O_NOFOLLOW
  };

  @TempDir Path tmp;
  private Path root;
  private Path outside;
  private HostProvider provider;
  private String secret;
  private String marker;
  private final Set<Long> outsideInodes = new HashSet<>();
  private final Set<String> outsideNames = new HashSet<>();
  private final List<String> leaks = new ArrayList<>();
  private final List<String> crashes = new ArrayList<>();
  private int attempts;
  private int succeeded;

  @BeforeEach
  void plantCanaryAndTraps() throws IOException {
    Random r = new Random(1);
    marker = "esc" + Long.toHexString(r.nextLong() & Long.MAX_VALUE);
    secret = "CANARY-" + marker + "-do-not-leak";
    root = Files.createDirectory(tmp.resolve("root"));
    outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("canary"), secret);
    Files.createDirectory(outside.resolve("victim-dir"));
    Files.writeString(outside.resolve("victim-file"), secret + "-victim");
    Files.createDirectory(outside.resolve("sub"));
    Files.writeString(outside.resolve("sub").resolve("inner"), secret + "-inner");
    Files.createDirectories(root.resolve("dir/deep/er"));
    Files.writeString(root.resolve("dir/inside"), "inside content");
    link("abs", outside.toString());
    link("absfile", outside.resolve("canary").toString());
    link("rel", "../outside");
    link("relfile", "../outside/canary");
    link("dir/deep/er/up3", "../../../../outside");
    link("chain1", "chain2");
    link("chain2", "chain3");
    link("chain3", "../outside");
    link("loopA", "loopB");
    link("loopB", "loopA");
    link("dotdot", "..");
    link("tmpabs", tmp.toString());
    link("hostroot", "/");
    link("dangling-abs", outside.resolve("created-abs").toString());
    link("dangling-rel", "../outside/created-rel");
    link("dir/viaparent", "../../outside/sub");
    for (Path p : List.of(tmp, outside, Path.of("/"), tmp.getParent())) {
      outsideInodes.add(ino(p));
    }
    try (Stream<Path> all = Files.walk(outside)) {
      all.forEach(
          p -> {
            outsideInodes.add(ino(p));
            outsideNames.add(p.getFileName().toString());
          });
    }
    provider = new HostProvider(root);
  }

  /** Removes the symlinks that point out of the root, which the temp-dir cleanup warns about. */
  @AfterEach
  void removeSymlinks() throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isSymbolicLink(p)) {
          Files.delete(p);
        }
      }
    }
  }

  @Test
  void nothingOutsideTheRootIsReadWrittenCreatedOrDeleted() throws IOException {
    Map<String, String> before = snapshot();
    Set<String> hostRootBefore = markedNames(Path.of("/"));
    Random r = new Random(42);
    for (String path : basePaths()) {
      for (int op = 0; op < 14; op++) {
        attempt(op, path, pick(r), r);
      }
    }
    for (int i = 0; i < RANDOM_ATTEMPTS; i++) {
      attempt(r.nextInt(14), randomPath(r), randomPath(r), r);
    }
    assertTrue(attempts >= 1000, attempts + " attempts");
    // Most attempts fail, as they should; enough succeed that the tree keeps changing under them.
    assertTrue(succeeded >= 100, succeeded + " of " + attempts + " attempts succeeded");
    compare(before, snapshot());
    Set<String> atHostRoot = markedNames(Path.of("/"));
    atHostRoot.removeAll(hostRootBefore);
    atHostRoot.forEach(n -> leaks.add("created /" + n));
    markedNames(tmp.getParent()).forEach(n -> leaks.add("created next to tmp: " + n));
    checkNothingInsideIsAnOutsideFile();
    assertEquals(List.of(), crashes, "exceptions other than VfsException");
    assertEquals(List.of(), leaks, "escapes from the root in " + attempts + " attempts");
  }

  /** Records every difference of the tree outside the root as a leak. */
  private void compare(Map<String, String> before, Map<String, String> after) {
    for (Map.Entry<String, String> e : before.entrySet()) {
      String now = after.get(e.getKey());
      if (now == null) {
        leaks.add("deleted " + e.getKey());
      } else if (!now.equals(e.getValue())) {
        leaks.add("changed " + e.getKey() + ": " + e.getValue() + " -> " + now);
      }
    }
    for (String created : after.keySet()) {
      if (!before.containsKey(created)) {
        leaks.add("created " + created);
      }
    }
  }

  /** Runs one operation; failures with an errno are fine, leaks and other exceptions are not. */
  private void attempt(int op, String path, String other, Random r) {
    attempts++;
    String what = "op " + op + " '" + path + "' '" + other + "'";
    try {
      switch (op) {
        case 0:
          openAndUse(path, OPEN_FLAGS[r.nextInt(OPEN_FLAGS.length)], what);
          break;
        case 1:
          checkStat(provider.stat(path, true), what);
          break;
        case 2:
          checkStat(provider.stat(path, false), what);
          break;
        case 3:
          provider.mkdir(path, 0700);
          break;
        case 4:
          provider.unlink(path);
          break;
        case 5:
          provider.rmdir(path);
          break;
        case 6:
          provider.rename(
              path, other, new int[] {0, RENAME_NOREPLACE, RENAME_EXCHANGE}[r.nextInt(3)]);
          break;
        case 7:
          provider.rename(other, path, 0);
          break;
        case 8:
          checkListing(provider.list(path), what);
          break;
        case 9:
          provider.symlink(symlinkTarget(r), path);
          break;
        case 10:
          provider.readlink(path);
          break;
        case 11:
          provider.link(path, other);
          break;
        case 12:
          provider.link(other, path);
          break;
        default:
          checkBytes(provider.getxattr(path, "user.x", r.nextBoolean()), what);
          provider.setxattr(path, "user.x", bytes("x"), 0, r.nextBoolean());
          break;
      }
      succeeded++;
    } catch (VfsException expected) {
      // Refused with an errno: what a provider should do.
    } catch (RuntimeException e) {
      crashes.add(what + ": " + e);
    }
  }

  private void openAndUse(String path, int flags, String what) throws VfsException {
    try (VfsFile f = provider.open(path, flags, 0600)) {
      checkStat(f.stat(), what);
      if (!f.isDirectory()) {
        ByteBuffer dst = ByteBuffer.allocate(4096);
        try {
          f.read(dst, 0);
          checkBytes(Arrays.copyOf(dst.array(), dst.position()), what);
        } catch (VfsException e) {
          // write-only
        }
        try {
          f.write(ByteBuffer.wrap(bytes("ESCAPED " + marker)), 0);
          f.truncate(3);
          f.allocate(0, 0, 100);
        } catch (VfsException e) {
          // read-only
        }
      }
    }
  }

  /**
   * A listing leaks when it names something that exists outside but nowhere inside the root;
   * attempts may create names like "canary" inside the root, which is their right.
   */
  private void checkListing(List<String> names, String what) throws VfsException {
    Set<String> inside = new HashSet<>();
    try (Stream<Path> all = Files.walk(root)) {
      all.forEach(p -> inside.add(String.valueOf(p.getFileName())));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    for (String name : names) {
      if (outsideNames.contains(name) && !inside.contains(name)) {
        leaks.add(what + " listed " + name + " from outside");
      }
    }
  }

  private void checkStat(VfsStat st, String what) {
    if (outsideInodes.contains(st.ino())) {
      leaks.add(what + " stat'ed inode " + st.ino() + " outside the root");
    }
  }

  private void checkBytes(byte[] data, String what) {
    if (new String(data, StandardCharsets.ISO_8859_1).contains("CANARY-")) {
      leaks.add(what + " read " + new String(data, StandardCharsets.ISO_8859_1));
    }
  }

  /** Every file inside the root must be the root's own: no hard link to, or move of, a canary. */
  private void checkNothingInsideIsAnOutsideFile() throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (outsideInodes.contains(ino(p))) {
          leaks.add(root.relativize(p) + " inside the root is a file from outside");
        }
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
            && Files.readString(p, StandardCharsets.ISO_8859_1).contains("CANARY-")) {
          leaks.add(root.relativize(p) + " inside the root holds the canary");
        }
      }
    }
  }

  private List<String> basePaths() {
    List<String> links =
        List.of(
            "abs",
            "absfile",
            "rel",
            "relfile",
            "dir/deep/er/up3",
            "chain1",
            "loopA",
            "dotdot",
            "tmpabs",
            "hostroot",
            "dangling-abs",
            "dangling-rel",
            "dir/viaparent");
    List<String> out = new ArrayList<>();
    for (String l : links) {
      out.add(l);
      out.add(l + "/");
      out.add(l + "/canary");
      out.add(l + "/victim-file");
      out.add(l + "/victim-dir");
      out.add(l + "/" + marker);
      out.add(l + "/outside/canary");
      out.add(l + "/" + tmp.getFileName() + "/outside/canary");
    }
    out.add("../outside/canary");
    out.add("../../outside/canary");
    out.add("/../outside/victim-file");
    out.add(outside.resolve("canary").toString());
    out.add(outside.resolve(marker).toString());
    out.add("tmpabs/outside/canary");
    out.add("hostroot" + outside.resolve("canary"));
    out.add("hostroot" + outside.resolve(marker));
    out.add("hostroot/tmp/" + marker);
    out.add("dir/deep/er/up3/sub/inner");
    out.add("dir/viaparent/inner");
    return out;
  }

  private static final String[] PARTS = {
    "..",
    ".",
    "",
    "abs",
    "absfile",
    "rel",
    "relfile",
    "dir",
    "deep",
    "er",
    "up3",
    "chain1",
    "chain2",
    "loopA",
    "dotdot",
    "tmpabs",
    "hostroot",
    "dangling-abs",
    "dangling-rel",
    "viaparent",
    "outside",
    "canary",
    "victim-file",
    "victim-dir",
    "sub",
    "inner",
    "tmp",
    "root",
    "new",
    "s0",
    "s1",
    "s2",
    "s3"
  };

  private String randomPath(Random r) {
    StringBuilder b = new StringBuilder(r.nextInt(4) == 0 ? "/" : "");
    int n = 1 + r.nextInt(6);
    for (int i = 0; i < n; i++) {
      String part =
          r.nextInt(12) == 0 ? tmp.getFileName().toString() : PARTS[r.nextInt(PARTS.length)];
      if (r.nextInt(10) == 0) {
        part = marker + i;
      }
      b.append(part);
      if (i < n - 1 || r.nextInt(5) == 0) {
        b.append('/');
      }
    }
    return b.toString();
  }

  private String pick(Random r) {
    return r.nextBoolean() ? "s" + r.nextInt(4) : randomPath(r);
  }

  /** Targets for symlinks the attempts create, to build new chains out of the root. */
  private String symlinkTarget(Random r) {
    switch (r.nextInt(6)) {
      case 0:
        return outside.toString();
      case 1:
        return outside.resolve("canary").toString();
      case 2:
        return "../".repeat(1 + r.nextInt(4)) + "outside";
      case 3:
        return "/";
      case 4:
        return PARTS[r.nextInt(PARTS.length)] + "/" + PARTS[r.nextInt(PARTS.length)];
      default:
        return tmp.toString() + "/outside/" + marker;
    }
  }

  /** Names, sizes, contents and times of everything next to the root, symlinks not followed. */
  private Map<String, String> snapshot() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(tmp)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (p.startsWith(root)) {
          continue; // the root's own times change with every attempt, rightly
        }
        BasicFileAttributes a =
            Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String content = a.isRegularFile() ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        Object ctime = Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
        int nlink = (Integer) Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        out.put(
            tmp.relativize(p).toString(),
            a.size() + " " + a.lastModifiedTime() + " " + ctime + " " + nlink + " " + content);
      }
    }
    return out;
  }

  private Set<String> markedNames(Path dir) throws IOException {
    Set<String> names = new HashSet<>();
    if (dir == null) {
      return names;
    }
    try (Stream<Path> list = Files.list(dir)) {
      list.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(marker) || n.contains("ESCAPED"))
          .forEach(names::add);
    } catch (IOException e) {
      // an unreadable directory: nothing to compare
    }
    return names;
  }

  private void link(String name, String target) throws IOException {
    Files.createSymbolicLink(root.resolve(name), Path.of(target));
  }

  private static long ino(Path p) {
    try {
      return (Long) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new IllegalStateException(p.toString(), e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
