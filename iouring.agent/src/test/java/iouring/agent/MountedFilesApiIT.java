package iouring.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs under the shaded agent with {@code it.mount} mounted in memory: one script of {@code Files}
 * calls (directories, attributes, listing, move, copy, delete, links and their failures) must give
 * on a mounted directory the transcript it gives on a real temp directory.
 */
class MountedFilesApiIT {
  private static final Path MOUNT = Path.of(System.getProperty("it.mount"));
  private static final AtomicInteger NAMES = new AtomicInteger();

  @TempDir Path real;

  /** One step of the script, run under a base directory; its result or exception is logged. */
  interface Step {
    Object run(Path base) throws Exception;
  }

  private static String describe(Exception e, Path base) {
    String message = e.getMessage() == null ? "" : e.getMessage().replace(base.toString(), "BASE");
    return e.getClass().getName() + ": " + message;
  }

  private static List<String> transcript(Path base, List<Step> steps) {
    List<String> out = new ArrayList<>();
    for (Step step : steps) {
      try {
        Object result = step.run(base);
        out.add(String.valueOf(result).replace(base.toString(), "BASE"));
      } catch (Exception e) {
        out.add(describe(e, base));
      }
    }
    return out;
  }

  private void same(List<Step> steps) throws IOException {
    String name = "d" + NAMES.incrementAndGet();
    Path mounted = Files.createDirectory(MOUNT.resolve(name));
    Path host = Files.createDirectory(real.resolve(name));
    List<String> expected = transcript(host, steps);
    List<String> actual = transcript(mounted, steps);
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(
          expected.get(i), actual.get(i), "step " + i + " of\n" + String.join("\n", expected));
    }
    assertEquals(expected.size(), actual.size());
  }

  private static List<String> names(Stream<Path> paths, Path base) {
    try (paths) {
      return paths.map(p -> base.relativize(p).toString()).sorted().collect(Collectors.toList());
    }
  }

  private static String attributes(Path p, LinkOption... options) throws IOException {
    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, options);
    return a.isRegularFile()
        + ","
        + a.isDirectory()
        + ","
        + a.isSymbolicLink()
        + ","
        + a.isOther()
        + ","
        + (a.isDirectory() ? "-" : a.size())
        + ","
        + recent(a.lastModifiedTime())
        + ","
        + recent(a.lastAccessTime())
        + ","
        + (a.fileKey() != null);
  }

  private static String delete(Path p) throws IOException {
    Files.delete(p);
    return "deleted";
  }

  private static boolean recent(FileTime time) {
    Instant t = time.toInstant();
    return Duration.between(t, Instant.now()).abs().compareTo(Duration.ofMinutes(5)) < 0;
  }

  @Test
  void directoriesAttributesAndListing() throws IOException {
    same(
        List.of(
            b -> Files.createDirectory(b.resolve("d")),
            b -> Files.createDirectory(b.resolve("d")),
            b -> Files.createDirectories(b.resolve("d/e/f")),
            b -> Files.createDirectories(b.resolve("d/e/f")),
            b -> Files.createDirectory(b.resolve("missing/x")),
            b -> Files.writeString(b.resolve("d/a.txt"), "hello"),
            b -> Files.createDirectories(b.resolve("d/a.txt/x")),
            b -> Files.createDirectory(b.resolve("d/a.txt")),
            b -> Files.exists(b.resolve("d/a.txt")),
            b -> Files.exists(b.resolve("d/nope")),
            b -> Files.exists(b.resolve("d/a.txt"), LinkOption.NOFOLLOW_LINKS),
            b -> Files.notExists(b.resolve("d/a.txt")),
            b -> Files.notExists(b.resolve("d/nope")),
            b -> Files.notExists(b.resolve("d/nope"), LinkOption.NOFOLLOW_LINKS),
            b -> Files.exists(b.resolve("d/a.txt/under")),
            b -> Files.isDirectory(b.resolve("d")),
            b -> Files.isDirectory(b.resolve("d/a.txt")),
            b -> Files.isDirectory(b.resolve("d"), LinkOption.NOFOLLOW_LINKS),
            b -> Files.isRegularFile(b.resolve("d/a.txt")),
            b -> Files.isRegularFile(b.resolve("d")),
            b -> Files.isRegularFile(b.resolve("d/nope")),
            b -> Files.isReadable(b.resolve("d/a.txt")),
            b -> Files.isWritable(b.resolve("d/a.txt")),
            b -> Files.isExecutable(b.resolve("d/a.txt")),
            b -> Files.isExecutable(b.resolve("d")),
            b -> Files.isReadable(b.resolve("d/nope")),
            b -> Files.size(b.resolve("d/a.txt")),
            b -> Files.size(b.resolve("d/nope")),
            b -> recent(Files.getLastModifiedTime(b.resolve("d/a.txt"))),
            b -> attributes(b.resolve("d/a.txt")),
            b -> attributes(b.resolve("d")),
            b -> attributes(b.resolve("d/nope")),
            b -> attributes(b.resolve("d/a.txt/x")),
            b -> {
              PosixFileAttributes a =
                  Files.readAttributes(b.resolve("d"), PosixFileAttributes.class);
              return a.isDirectory() + "," + a.permissions().isEmpty();
            },
            b ->
                Files.readAttributes(b.resolve("d"), PosixFileAttributes.class)
                    .fileKey()
                    .equals(
                        Files.readAttributes(b.resolve("d/."), PosixFileAttributes.class)
                            .fileKey()),
            b -> {
              Path p =
                  Files.createFile(
                      b.resolve("d/perm"),
                      PosixFilePermissions.asFileAttribute(
                          PosixFilePermissions.fromString("r--r-----")));
              return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
            },
            b -> names(Files.list(b.resolve("d")), b),
            b -> names(Files.list(b), b),
            b -> names(Files.walk(b), b),
            b -> names(Files.walk(b, 1), b),
            b -> names(Files.find(b, 9, (p, a) -> a.isRegularFile()), b),
            b -> {
              try (DirectoryStream<Path> s = Files.newDirectoryStream(b.resolve("d"), "*.txt")) {
                List<String> n = new ArrayList<>();
                s.forEach(p -> n.add(p.getFileName().toString()));
                return n;
              }
            },
            b -> {
              DirectoryStream<Path> s = Files.newDirectoryStream(b.resolve("d"));
              s.iterator();
              try (s) {
                return s.iterator();
              }
            },
            b -> {
              DirectoryStream<Path> s = Files.newDirectoryStream(b.resolve("d"));
              s.close();
              return s.iterator();
            },
            b -> Files.list(b.resolve("d/a.txt")),
            b -> Files.list(b.resolve("d/nope")),
            b -> Files.newDirectoryStream(b.resolve("d"), (DirectoryStream.Filter<Path>) null)));
  }

  @Test
  void moveCopyAndDelete() throws IOException {
    same(
        List.of(
            b -> Files.createDirectories(b.resolve("d/e")),
            b -> Files.writeString(b.resolve("d/a"), "alpha"),
            b -> Files.writeString(b.resolve("d/e/b"), "beta"),
            b -> Files.move(b.resolve("d/a"), b.resolve("d/a2")),
            b -> Files.exists(b.resolve("d/a")) + "," + Files.readString(b.resolve("d/a2")),
            b -> Files.move(b.resolve("d/nope"), b.resolve("d/x")),
            b -> Files.move(b.resolve("d/a2"), b.resolve("d/e/b")),
            b ->
                Files.move(
                    b.resolve("d/a2"), b.resolve("d/e/b"), StandardCopyOption.REPLACE_EXISTING),
            b -> Files.readString(b.resolve("d/e/b")),
            b -> Files.move(b.resolve("d/e/b"), b.resolve("d/e/b")),
            b -> Files.move(b.resolve("d/e/b"), b.resolve("d/nope/b")),
            b -> Files.move(b.resolve("d/e/b"), b.resolve("d/b"), StandardCopyOption.ATOMIC_MOVE),
            b -> Files.move(b.resolve("d/b"), b.resolve("d/x"), StandardCopyOption.COPY_ATTRIBUTES),
            b -> Files.move(b.resolve("d/e"), b.resolve("d/e2")),
            b -> Files.writeString(b.resolve("d/e2/c"), "gamma"),
            b ->
                Files.move(
                    b.resolve("d/b"), b.resolve("d/e2"), StandardCopyOption.REPLACE_EXISTING),
            b -> Files.move(b.resolve("d/e2"), b.resolve("d/moved")),
            b -> names(Files.walk(b), b),
            b -> Files.copy(b.resolve("d/b"), b.resolve("d/c")),
            b -> Files.readString(b.resolve("d/c")),
            b -> Files.copy(b.resolve("d/b"), b.resolve("d/c")),
            b ->
                Files.copy(
                    b.resolve("d/moved/c"), b.resolve("d/c"), StandardCopyOption.REPLACE_EXISTING),
            b -> Files.readString(b.resolve("d/c")),
            b -> Files.copy(b.resolve("d/nope"), b.resolve("d/x")),
            b -> Files.copy(b.resolve("d/b"), b.resolve("d/nope/x")),
            b -> Files.copy(b.resolve("d/moved"), b.resolve("d/copied")),
            b -> names(Files.list(b.resolve("d/copied")), b),
            b -> Files.copy(b.resolve("d/c"), b.resolve("d/c")),
            b -> Files.copy(b.resolve("d/c"), b.resolve("d/x"), StandardCopyOption.ATOMIC_MOVE),
            b ->
                Files.copy(
                    b.resolve("d/b"), b.resolve("d/moved"), StandardCopyOption.REPLACE_EXISTING),
            b ->
                Files.copy(
                    b.resolve("d/b"), b.resolve("d/cattr"), StandardCopyOption.COPY_ATTRIBUTES),
            b -> Files.size(b.resolve("d/cattr")),
            b -> delete(b.resolve("d/moved")),
            b -> delete(b.resolve("d/nope")),
            b -> Files.deleteIfExists(b.resolve("d/nope")),
            b -> Files.deleteIfExists(b.resolve("d/c")),
            b -> delete(b.resolve("d/nope/x")),
            b -> delete(b.resolve("d/b/x")),
            b -> delete(b.resolve("d/copied")),
            b -> names(Files.walk(b), b),
            b -> {
              try (Stream<Path> all = Files.walk(b.resolve("d"))) {
                for (Path p : all.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                  Files.delete(p);
                }
              }
              return Files.exists(b.resolve("d"));
            },
            b -> names(Files.list(b), b)));
  }

  @Test
  void symbolicLinks() throws IOException {
    same(
        List.of(
            b -> Files.writeString(b.resolve("t"), "target"),
            b -> Files.createSymbolicLink(b.resolve("l"), Path.of("t")),
            b -> Files.createSymbolicLink(b.resolve("l"), Path.of("t")),
            b -> Files.readSymbolicLink(b.resolve("l")),
            b -> Files.readSymbolicLink(b.resolve("t")),
            b -> Files.readSymbolicLink(b.resolve("nope")),
            b -> Files.isSymbolicLink(b.resolve("l")),
            b -> Files.readString(b.resolve("l")),
            b -> attributes(b.resolve("l"), LinkOption.NOFOLLOW_LINKS).split(",")[2],
            b -> Files.createSymbolicLink(b.resolve("dangling"), Path.of("nowhere")),
            b -> Files.exists(b.resolve("dangling")),
            b -> Files.exists(b.resolve("dangling"), LinkOption.NOFOLLOW_LINKS),
            b -> Files.move(b.resolve("dangling"), b.resolve("dangling2")),
            b -> Files.readSymbolicLink(b.resolve("dangling2")),
            b -> Files.createLink(b.resolve("hard"), b.resolve("t")),
            b -> Files.createLink(b.resolve("hard"), b.resolve("t")),
            b -> Files.createLink(b.resolve("hard2"), b.resolve("nope")),
            b -> Files.isSameFile(b.resolve("hard"), b.resolve("t")),
            b -> Files.isSameFile(b.resolve("l"), b.resolve("t")),
            b -> Files.isSameFile(b.resolve("t"), b.resolve("./t")),
            b -> Files.isSameFile(b.resolve("t"), b.resolve("nope")),
            b -> Files.isSameFile(b.resolve("t"), b),
            b -> Files.readString(b.resolve("hard")),
            b -> delete(b.resolve("l")),
            b -> Files.exists(b.resolve("t")),
            b -> names(Files.list(b), b)));
  }

  /** The real path of a name under the base, relative to the base's own real path. */
  private static String real(Path base, String name, LinkOption... options) throws IOException {
    return base.toRealPath().relativize(base.resolve(name).toRealPath(options)).toString();
  }

  @Test
  void realPaths() throws IOException {
    same(
        List.of(
            b -> Files.createDirectories(b.resolve("d/e")),
            b -> Files.writeString(b.resolve("d/f"), "x"),
            b -> Files.createSymbolicLink(b.resolve("d/lf"), Path.of("f")),
            b -> Files.createSymbolicLink(b.resolve("d/le"), Path.of("e")),
            b -> Files.createSymbolicLink(b.resolve("d/e/up"), Path.of("../f")),
            b -> Files.createSymbolicLink(b.resolve("d/e/chain"), Path.of("up")),
            b -> Files.createSymbolicLink(b.resolve("d/e/self"), Path.of("../le/./")),
            b -> Files.createSymbolicLink(b.resolve("d/loop1"), Path.of("loop2")),
            b -> Files.createSymbolicLink(b.resolve("d/loop2"), Path.of("loop1")),
            b -> Files.createSymbolicLink(b.resolve("d/dangling"), Path.of("nowhere")),
            b -> Files.createSymbolicLink(b.resolve("d/through"), Path.of("lf/x")),
            b -> real(b, ""),
            b -> real(b, "d"),
            b -> real(b, "d/./e/../f"),
            b -> real(b, "d/lf"),
            b -> real(b, "d/le"),
            b -> real(b, "d/le/up"),
            b -> real(b, "d/e/chain"),
            b -> real(b, "d/e/self/self/self/up"),
            b -> real(b, "d/nope"),
            b -> real(b, "d/nope/x"),
            b -> real(b, "d/f/x"),
            b -> real(b, "d/lf/x"),
            b -> real(b, "d/through"),
            b -> real(b, "d/loop1"),
            b -> real(b, "d/le/loop1"),
            b -> real(b, "d/dangling"),
            b -> real(b, "d/lf", LinkOption.NOFOLLOW_LINKS),
            b -> real(b, "d/./e/../lf", LinkOption.NOFOLLOW_LINKS),
            b -> real(b, "d/dangling", LinkOption.NOFOLLOW_LINKS),
            b -> real(b, "d/loop1", LinkOption.NOFOLLOW_LINKS),
            b -> real(b, "d/nope", LinkOption.NOFOLLOW_LINKS),
            b -> real(b, "d/f/x", LinkOption.NOFOLLOW_LINKS),
            b -> Files.isSameFile(b.resolve("d/le/up").toRealPath(), b.resolve("d/f"))));
  }

  @Test
  void copyAndMoveBetweenAMountAndTheHost() throws IOException {
    Path mounted = Files.createDirectory(MOUNT.resolve("x" + NAMES.incrementAndGet()));
    Path host = Files.createDirectory(real.resolve("x"));
    Files.writeString(host.resolve("in"), "from the host");
    Files.copy(host.resolve("in"), mounted.resolve("in"));
    assertEquals("from the host", Files.readString(mounted.resolve("in")));
    Files.move(mounted.resolve("in"), host.resolve("back"));
    assertFalse(Files.exists(mounted.resolve("in")));
    assertEquals(
        "from the host",
        new String(Files.readAllBytes(host.resolve("back")), StandardCharsets.UTF_8));
    Files.move(host.resolve("back"), mounted.resolve("moved"));
    assertFalse(Files.exists(host.resolve("back")));
    assertFalse(Files.isSameFile(host, mounted));
    assertEquals(
        "java.nio.file.FileSystemException: "
            + host.resolve("link")
            + " -> "
            + mounted.resolve("moved")
            + ": Invalid cross-device link",
        describeFailure(() -> Files.createLink(host.resolve("link"), mounted.resolve("moved"))));
    assertEquals("from the host", Files.readString(mounted.resolve("moved")));
    Files.createDirectory(mounted.resolve("full"));
    Files.writeString(mounted.resolve("full/f"), "x");
    assertEquals(
        "java.nio.file.DirectoryNotEmptyException: " + mounted.resolve("full"),
        describeFailure(() -> Files.move(mounted.resolve("full"), host.resolve("full"))));
    assertEquals(
        "java.nio.file.AtomicMoveNotSupportedException: "
            + mounted.resolve("moved")
            + " -> "
            + host.resolve("m")
            + ": Invalid cross-device link",
        describeFailure(
            () ->
                Files.move(
                    mounted.resolve("moved"), host.resolve("m"), StandardCopyOption.ATOMIC_MOVE)));
  }

  interface Call {
    void run() throws IOException;
  }

  private static String describeFailure(Call call) {
    try {
      call.run();
      return "no exception";
    } catch (IOException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  @Test
  void hostDirectoryUnderTheMountStaysEmpty() throws IOException {
    Path dir = Files.createDirectories(MOUNT.resolve("host-check/sub"));
    Files.writeString(dir.resolve("f"), "data");
    Files.copy(dir.resolve("f"), dir.resolve("g"));
    Files.move(dir.resolve("g"), dir.resolve("h"));
    assertTrue(Files.isDirectory(dir));
    // java.io.File is not routed: it sees the host.
    String[] hostEntries = MOUNT.toFile().list();
    assertTrue(
        hostEntries == null || hostEntries.length == 0,
        "the host directory "
            + MOUNT
            + " must stay empty: "
            + List.of(hostEntries == null ? new String[0] : hostEntries));
    assertFalse(new File(dir.toString()).exists());
  }
}
