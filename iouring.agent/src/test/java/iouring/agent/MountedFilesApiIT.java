package iouring.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.DosFileAttributes;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs under the shaded agent with {@code it.mount} mounted in memory: one script of {@code Files}
 * calls (directories, attributes, attribute views and names, setting times, permissions and owners,
 * file stores, listing, move, copy, delete, links and their failures) must give on a mounted
 * directory the transcript it gives on a real temp directory. The ITs run as root, as the emulated
 * process acts: on another user's host the owner steps would differ.
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

  private static final FileTime T1 = FileTime.from(Instant.parse("2001-02-03T04:05:06.123456789Z"));
  private static final FileTime T2 = FileTime.from(Instant.parse("2002-03-04T05:06:07.987654321Z"));

  private static Object attribute(Path p, String name, LinkOption... options) throws IOException {
    return Files.getAttribute(p, name, options);
  }

  private static String times(Path p, LinkOption... options) throws IOException {
    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, options);
    return a.lastModifiedTime() + "," + a.lastAccessTime();
  }

  private static String permissions(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static String mode(Path p, LinkOption... options) throws IOException {
    return Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode", options));
  }

  private static String sortedKeys(Map<String, Object> map) {
    return new TreeMap<>(map).keySet().toString();
  }

  private static String valueTypes(Map<String, Object> map) {
    Map<String, String> types = new TreeMap<>();
    // The file key's class is the JDK's own (UnixFileKey) or the agent's: not compared.
    map.forEach((k, v) -> types.put(k, k.equals("fileKey") ? "-" : v.getClass().getSimpleName()));
    return types.toString();
  }

  private static UserPrincipalLookupService users() {
    return FileSystems.getDefault().getUserPrincipalLookupService();
  }

  private static UserDefinedFileAttributeView userView(Path p, LinkOption... options) {
    return Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, options);
  }

  private static String readUser(Path p, String name, int room) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(room);
    int n = userView(p).read(name, b);
    return n + ":" + new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
  }

  private static List<String> sortedUserNames(Path p, LinkOption... options) throws IOException {
    List<String> names = new ArrayList<>(userView(p, options).list());
    names.sort(null);
    return names;
  }

  /** The transcripts compare with the JDK on the host: its file system must keep user xattrs. */
  private void assumeHostKeepsUserXattrs() throws IOException {
    Path probe = Files.writeString(real.resolve("probe"), "p");
    assumeTrue(
        Files.getFileStore(probe).supportsFileAttributeView(UserDefinedFileAttributeView.class),
        "the host's file system keeps user xattrs");
  }

  /**
   * The {@code user} view of a mount whose provider keeps extended attributes (memory): by class
   * and by name, with the JDK's results and exceptions on the host's ext4.
   */
  @Test
  void userDefinedAttributes() throws IOException {
    assumeHostKeepsUserXattrs();
    same(
        List.of(
            b -> Files.writeString(b.resolve("f"), "data") != null,
            b -> userView(b.resolve("f")).name(),
            b -> sortedUserNames(b.resolve("f")),
            b -> userView(b.resolve("f")).write("a", ByteBuffer.wrap("hello".getBytes())),
            b -> userView(b.resolve("f")).size("a"),
            b -> readUser(b.resolve("f"), "a", 10),
            b -> readUser(b.resolve("f"), "a", 2),
            b -> readUser(b.resolve("f"), "a", 0),
            b -> userView(b.resolve("f")).write("b", ByteBuffer.allocate(0)),
            b -> sortedUserNames(b.resolve("f")),
            b -> userView(b.resolve("f")).size("missing"),
            b -> readUser(b.resolve("f"), "missing", 4),
            b -> {
              userView(b.resolve("f")).delete("a");
              return sortedUserNames(b.resolve("f"));
            },
            b -> {
              userView(b.resolve("f")).delete("a");
              return "deleted twice";
            },
            b -> userView(b.resolve("f")).size("x".repeat(300)),
            b -> userView(b.resolve("f")).size(null),
            b -> userView(b.resolve("f")).read("b", ByteBuffer.allocate(4).asReadOnlyBuffer()),
            b -> ((byte[]) Files.getAttribute(b.resolve("f"), "user:b")).length,
            b -> {
              Files.setAttribute(b.resolve("f"), "user:c", "v".getBytes());
              Files.setAttribute(b.resolve("f"), "user:d", ByteBuffer.wrap("ww".getBytes()));
              return new TreeMap<>(Files.readAttributes(b.resolve("f"), "user:*"))
                  .entrySet().stream()
                      .map(e -> e.getKey() + "=" + ((byte[]) e.getValue()).length)
                      .collect(Collectors.toList());
            },
            b -> Files.readAttributes(b.resolve("f"), "user:c,d").size(),
            b -> Files.readAttributes(b.resolve("f"), "user:"),
            b -> sortedUserNames(b.resolve("missing")),
            b -> userView(b.resolve("missing")).write("a", ByteBuffer.allocate(1)),
            b -> {
              Files.createDirectory(b.resolve("dir"));
              userView(b.resolve("dir")).write("k", ByteBuffer.wrap("v".getBytes()));
              return readUser(b.resolve("dir"), "k", 4);
            },
            b -> {
              Files.createSymbolicLink(b.resolve("link"), Path.of("f")); // relative: see AGENT.md
              return sortedUserNames(b.resolve("link"));
            },
            b -> sortedUserNames(b.resolve("link"), LinkOption.NOFOLLOW_LINKS)));
  }

  private static String dos(Path p) throws IOException {
    DosFileAttributes a =
        Files.getFileAttributeView(p, DosFileAttributeView.class).readAttributes();
    return "ro="
        + a.isReadOnly()
        + " hidden="
        + a.isHidden()
        + " system="
        + a.isSystem()
        + " archive="
        + a.isArchive()
        + (a.isDirectory() ? " a directory" : " size=" + a.size()); // a directory's is its FS's
  }

  /** The {@code dos} view, kept in {@code user.DOSATTRIB}, as the JDK keeps it on the host. */
  @Test
  void dosAttributes() throws IOException {
    assumeHostKeepsUserXattrs();
    same(
        List.of(
            b -> Files.writeString(b.resolve("f"), "data") != null,
            b -> Files.getFileAttributeView(b.resolve("f"), DosFileAttributeView.class).name(),
            b -> dos(b.resolve("f")),
            b -> {
              DosFileAttributeView v =
                  Files.getFileAttributeView(b.resolve("f"), DosFileAttributeView.class);
              v.setHidden(true);
              v.setArchive(true);
              v.setReadOnly(true);
              v.setReadOnly(false);
              return dos(b.resolve("f"));
            },
            b -> new String((byte[]) Files.getAttribute(b.resolve("f"), "user:DOSATTRIB")),
            b -> {
              Files.setAttribute(b.resolve("f"), "dos:system", true);
              return new TreeMap<>(
                      Files.readAttributes(b.resolve("f"), "dos:readonly,hidden,system,archive"))
                  .toString();
            },
            b -> Files.readAttributes(b.resolve("f"), "dos:size,hidden").get("size"),
            b -> Files.readAttributes(b.resolve("f"), "dos:nope"),
            b -> {
              Files.setAttribute(b.resolve("f"), "dos:nope", true);
              return "set";
            },
            b -> {
              Files.setAttribute(b.resolve("f"), "user:DOSATTRIB", "bad".getBytes());
              return dos(b.resolve("f"));
            },
            b -> dos(b.resolve("missing")),
            b -> {
              Files.createDirectory(b.resolve("dir"));
              Files.getFileAttributeView(b.resolve("dir"), DosFileAttributeView.class)
                  .setSystem(true);
              return dos(b.resolve("dir"));
            }));
  }

  @Test
  void attributeViewsNamesAndSetters() throws IOException {
    same(
        List.of(
            b -> Files.writeString(b.resolve("f"), "hello"),
            b -> Files.createDirectory(b.resolve("d")),
            b -> Files.createSymbolicLink(b.resolve("l"), Path.of("f")),
            b -> Files.createSymbolicLink(b.resolve("dangling"), Path.of("nowhere")),
            // basic: times
            b -> Files.setLastModifiedTime(b.resolve("f"), T1),
            b -> Files.getLastModifiedTime(b.resolve("f")),
            b -> {
              Files.getFileAttributeView(b.resolve("f"), BasicFileAttributeView.class)
                  .setTimes(null, T2, null);
              return times(b.resolve("f"));
            },
            b -> {
              Files.getFileAttributeView(b.resolve("f"), BasicFileAttributeView.class)
                  .setTimes(null, null, T2);
              return times(b.resolve("f"));
            },
            b -> {
              FileTime before = FileTime.from(Instant.parse("1969-12-31T23:59:58.5Z"));
              Files.getFileAttributeView(b.resolve("f"), BasicFileAttributeView.class)
                  .setTimes(before, FileTime.from(Instant.parse("1960-01-01T00:00:00Z")), null);
              return times(b.resolve("f"));
            },
            b -> {
              FileTime before = FileTime.from(Instant.parse("1960-01-01T00:00:00Z"));
              Files.setLastModifiedTime(b.resolve("f"), before);
              return times(b.resolve("f"));
            },
            b -> Files.setLastModifiedTime(b.resolve("nope"), T1),
            b -> Files.setLastModifiedTime(b.resolve("f/x"), T1),
            b -> Files.setLastModifiedTime(b.resolve("dangling"), T1),
            b -> Files.setLastModifiedTime(b.resolve("d"), T1),
            b -> times(b.resolve("d")).split(",")[0],
            b -> {
              Files.getFileAttributeView(
                      b.resolve("l"), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                  .setTimes(T2, T1, null);
              // Linux moves a symlink's atime when a walk follows it: only its mtime is compared.
              return Files.getLastModifiedTime(b.resolve("l"), LinkOption.NOFOLLOW_LINKS)
                  + " "
                  + times(b.resolve("f"));
            },
            b -> {
              Files.getFileAttributeView(b.resolve("l"), BasicFileAttributeView.class)
                  .setTimes(T1, T2, null);
              // Linux moves a symlink's atime when a walk follows it: only its mtime is compared.
              return Files.getLastModifiedTime(b.resolve("l"), LinkOption.NOFOLLOW_LINKS)
                  + " "
                  + times(b.resolve("f"));
            },
            b -> {
              Files.getFileAttributeView(
                      b.resolve("dangling"),
                      BasicFileAttributeView.class,
                      LinkOption.NOFOLLOW_LINKS)
                  .setTimes(T1, null, null);
              return times(b.resolve("dangling"), LinkOption.NOFOLLOW_LINKS).split(",")[0];
            },
            // attributes by name
            b -> Files.setAttribute(b.resolve("f"), "lastModifiedTime", T2),
            b -> attribute(b.resolve("f"), "lastModifiedTime"),
            b -> Files.setAttribute(b.resolve("f"), "basic:lastAccessTime", T1),
            b -> attribute(b.resolve("f"), "basic:lastAccessTime"),
            b -> Files.setAttribute(b.resolve("f"), "creationTime", T1),
            b -> Files.setAttribute(b.resolve("f"), "size", 3L),
            b -> Files.setAttribute(b.resolve("f"), "nope:x", 1),
            b -> Files.setAttribute(b.resolve("f"), ":x", 1),
            b -> Files.setAttribute(b.resolve("f"), "lastModifiedTime", "x"),
            b -> Files.setAttribute(b.resolve("nope"), "lastModifiedTime", T1),
            b -> Files.readAttributes(b.resolve("f"), "basic:size,isRegularFile,isDirectory"),
            b -> Files.readAttributes(b.resolve("f"), "size,lastModifiedTime"),
            b -> Files.readAttributes(b.resolve("d"), "isDirectory,isOther,isSymbolicLink"),
            b -> sortedKeys(Files.readAttributes(b.resolve("f"), "*")),
            b -> sortedKeys(Files.readAttributes(b.resolve("f"), "posix:*")),
            b -> sortedKeys(Files.readAttributes(b.resolve("f"), "unix:*")),
            b -> valueTypes(Files.readAttributes(b.resolve("f"), "unix:*")),
            b -> Files.readAttributes(b.resolve("f"), "unix:nlink,size"),
            b -> Files.readAttributes(b.resolve("d"), "unix:nlink,rdev"),
            b ->
                Files.readAttributes(b.resolve("f"), "unix:ino")
                    .equals(Files.readAttributes(b.resolve("l"), "unix:ino")),
            b ->
                Files.readAttributes(b.resolve("f"), "unix:dev")
                    .equals(Files.readAttributes(b.resolve("d"), "unix:dev")),
            b -> attribute(b.resolve("f"), "fileKey").equals(attribute(b.resolve("l"), "fileKey")),
            b -> Files.readAttributes(b.resolve("f"), "posix:nope"),
            b -> Files.readAttributes(b.resolve("f"), "posix:size,nope"),
            b -> Files.readAttributes(b.resolve("f"), "nope:*"),
            b -> Files.readAttributes(b.resolve("f"), ""),
            b -> Files.readAttributes(b.resolve("f"), "posix:"),
            b -> Files.readAttributes(b.resolve("f"), ":size"),
            b -> Files.readAttributes(b.resolve("nope"), "*"),
            b -> Files.readAttributes(b.resolve("f/x"), "*"),
            b -> Files.readAttributes(b.resolve("f/x"), "unix:*"),
            b -> Files.readAttributes(b.resolve("l"), "isSymbolicLink", LinkOption.NOFOLLOW_LINKS),
            b -> Files.readAttributes(b.resolve("l"), "isSymbolicLink,size"),
            b -> Files.readAttributes(b.resolve("dangling"), "isSymbolicLink"),
            b ->
                Files.readAttributes(
                    b.resolve("dangling"), "unix:isSymbolicLink", LinkOption.NOFOLLOW_LINKS),
            b -> Files.readAttributes(b.resolve("f"), "size", (LinkOption) null),
            b ->
                Files.readAttributes(b.resolve("f"), "owner:*")
                    .get("owner")
                    .equals(Files.getOwner(b.resolve("f"))),
            b -> Files.readAttributes(b.resolve("f"), "owner:owner,nope"),
            b -> Files.setAttribute(b.resolve("f"), "owner:nope", 1),
            // posix: permissions
            b ->
                Files.setPosixFilePermissions(
                    b.resolve("f"), PosixFilePermissions.fromString("rwx------")),
            b -> permissions(b.resolve("f")),
            b -> Files.setPosixFilePermissions(b.resolve("nope"), Set.of()),
            b -> Files.setPosixFilePermissions(b.resolve("f/x"), Set.of()),
            b -> {
              Set<PosixFilePermission> withNull = new HashSet<>();
              withNull.add(null);
              return Files.setPosixFilePermissions(b.resolve("f"), withNull);
            },
            b -> {
              Files.getFileAttributeView(
                      b.resolve("l"), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                  .setPermissions(PosixFilePermissions.fromString("rw-------"));
              return permissions(b.resolve("f"));
            },
            b -> {
              Files.getFileAttributeView(
                      b.resolve("d"), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                  .setPermissions(PosixFilePermissions.fromString("rwxr-x---"));
              return permissions(b.resolve("d"));
            },
            b ->
                Files.setAttribute(
                    b.resolve("f"),
                    "posix:permissions",
                    PosixFilePermissions.fromString("r--r--r--")),
            b -> attribute(b.resolve("f"), "posix:permissions"),
            b -> Files.setAttribute(b.resolve("f"), "posix:permissions", "rwx"),
            b -> Files.setAttribute(b.resolve("f"), "unix:mode", 0104755),
            b -> mode(b.resolve("f")),
            b -> Files.setAttribute(b.resolve("d"), "unix:mode", 03750),
            b -> mode(b.resolve("d")),
            // the views themselves
            b -> Files.getFileAttributeView(b.resolve("f"), BasicFileAttributeView.class).name(),
            b -> Files.getFileAttributeView(b.resolve("f"), PosixFileAttributeView.class).name(),
            b -> Files.getFileAttributeView(b.resolve("f"), FileOwnerAttributeView.class).name(),
            b -> Files.getFileAttributeView(b.resolve("f"), AclFileAttributeView.class),
            b -> Files.getFileAttributeView(b.resolve("f"), null),
            b ->
                Files.getFileAttributeView(b.resolve("nope"), BasicFileAttributeView.class) != null,
            b ->
                Files.getFileAttributeView(b.resolve("nope"), BasicFileAttributeView.class)
                    .readAttributes(),
            b ->
                Files.getFileAttributeView(b.resolve("f/x"), PosixFileAttributeView.class)
                    .getOwner(),
            b ->
                Files.getFileAttributeView(b.resolve("f"), FileOwnerAttributeView.class)
                    .getOwner()
                    .equals(Files.getOwner(b.resolve("f"))),
            b ->
                Files.getFileAttributeView(b.resolve("f"), PosixFileAttributeView.class)
                    .readAttributes()
                    .permissions()
                    .size(),
            b ->
                Files.getFileAttributeView(
                    b.resolve("f"), BasicFileAttributeView.class, (LinkOption) null),
            b -> Files.size(b.resolve("f"))));
  }

  /**
   * The emulated process acts as root; on a host where the ITs run as another user, {@code chown}
   * fails where the mount lets it pass, so these steps need root on the host too.
   */
  @Test
  void ownersAsRoot() throws IOException {
    assumeTrue(
        Integer.valueOf(0).equals(Files.getAttribute(real, "unix:uid")), "the host needs root");
    same(
        List.of(
            b -> Files.writeString(b.resolve("f"), "hello"),
            b -> Files.createDirectory(b.resolve("d")),
            b -> Files.createSymbolicLink(b.resolve("l"), Path.of("f")),
            b -> Files.readAttributes(b.resolve("f"), "unix:uid,gid"),
            b -> Files.setAttribute(b.resolve("f"), "unix:mode", 0104755),
            b -> Files.setOwner(b.resolve("f"), Files.getOwner(b.resolve("f"))),
            b -> Files.setOwner(b.resolve("f"), users().lookupPrincipalByName("root")),
            b -> attribute(b.resolve("f"), "unix:uid"),
            b -> mode(b.resolve("f")),
            b -> Files.setOwner(b.resolve("f"), users().lookupPrincipalByName("4242")),
            b -> attribute(b.resolve("f"), "unix:uid") + " " + Files.getOwner(b.resolve("f")),
            b -> Files.setOwner(b.resolve("f"), users().lookupPrincipalByGroupName("4343")),
            b ->
                Files.setOwner(
                    b.resolve("f"),
                    Files.readAttributes(b.resolve("f"), PosixFileAttributes.class).group()),
            b -> Files.setOwner(b.resolve("f"), () -> "stranger"),
            b -> Files.setOwner(b.resolve("f"), null),
            b -> Files.setOwner(b.resolve("nope"), users().lookupPrincipalByName("root")),
            b -> {
              Files.getFileAttributeView(b.resolve("f"), PosixFileAttributeView.class)
                  .setGroup(users().lookupPrincipalByGroupName("4343"));
              return attribute(b.resolve("f"), "unix:gid")
                  + " "
                  + attribute(b.resolve("f"), "posix:group");
            },
            b -> {
              Files.getFileAttributeView(b.resolve("f"), PosixFileAttributeView.class)
                  .setGroup(null);
              return "set";
            },
            b ->
                Files.setAttribute(
                    b.resolve("f"), "posix:group", users().lookupPrincipalByName("root")),
            b -> Files.setAttribute(b.resolve("f"), "unix:uid", 4444),
            b -> Files.setAttribute(b.resolve("f"), "unix:gid", 4545),
            b -> Files.readAttributes(b.resolve("f"), "unix:uid,gid"),
            b ->
                Files.setAttribute(
                    b.resolve("f"), "owner:owner", users().lookupPrincipalByName("4646")),
            b -> attribute(b.resolve("f"), "unix:uid"),
            b -> Files.setAttribute(b.resolve("f"), "unix:mode", 06755),
            b -> Files.setAttribute(b.resolve("f"), "unix:uid", 4646),
            b -> mode(b.resolve("f")),
            b -> Files.setAttribute(b.resolve("f"), "unix:mode", 02745),
            b -> Files.setAttribute(b.resolve("f"), "unix:gid", 4545),
            b -> mode(b.resolve("f")),
            b -> Files.setAttribute(b.resolve("d"), "unix:mode", 06755),
            b -> Files.setAttribute(b.resolve("d"), "unix:uid", 4646),
            b -> mode(b.resolve("d")),
            b -> Files.setAttribute(b.resolve("l"), "unix:uid", 4747, LinkOption.NOFOLLOW_LINKS),
            b ->
                attribute(b.resolve("l"), "unix:uid", LinkOption.NOFOLLOW_LINKS)
                    + " "
                    + attribute(b.resolve("f"), "unix:uid")));
  }

  @Test
  void createdFilesAndDirectoriesGetTheModesTheHostGives() throws IOException {
    // The emulated process takes the JVM's umask, so the modes match the host's.
    same(
        List.of(
            b -> Files.createFile(b.resolve("f")).getFileName(),
            b -> PosixFilePermissions.toString(Files.getPosixFilePermissions(b.resolve("f"))),
            b -> b.resolve("g").toFile().createNewFile(),
            b -> PosixFilePermissions.toString(Files.getPosixFilePermissions(b.resolve("g"))),
            b -> b.resolve("d").toFile().mkdir(),
            b -> PosixFilePermissions.toString(Files.getPosixFilePermissions(b.resolve("d"))),
            b -> Files.createDirectory(b.resolve("e")).getFileName(),
            b -> PosixFilePermissions.toString(Files.getPosixFilePermissions(b.resolve("e"))),
            b ->
                Files.createFile(
                        b.resolve("p"),
                        PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwxrwxrwx")))
                    .getFileName(),
            b -> PosixFilePermissions.toString(Files.getPosixFilePermissions(b.resolve("p")))));
  }

  @Test
  void fileStores() throws IOException {
    same(
        List.of(
            b -> Files.writeString(b.resolve("f"), "hello"),
            b -> Files.getFileStore(b).equals(Files.getFileStore(b.resolve("f"))),
            b -> Files.getFileStore(b).hashCode() == Files.getFileStore(b.resolve("f")).hashCode(),
            b -> Files.getFileStore(b.resolve("nope")),
            b -> Files.getFileStore(b.resolve("f/x")),
            b -> Files.getFileStore(b).isReadOnly(),
            b -> Files.getFileStore(b).name().isEmpty() || Files.getFileStore(b).type().isEmpty(),
            b -> {
              FileStore s = Files.getFileStore(b);
              List<Object> out = new ArrayList<>();
              for (String v : List.of("basic", "posix", "unix", "owner", "acl", "jrt", "")) {
                out.add(v + "=" + s.supportsFileAttributeView(v));
              }
              for (Class<? extends FileAttributeView> v :
                  List.of(
                      BasicFileAttributeView.class,
                      PosixFileAttributeView.class,
                      FileOwnerAttributeView.class,
                      AclFileAttributeView.class)) {
                out.add(v.getSimpleName() + "=" + s.supportsFileAttributeView(v));
              }
              return out;
            },
            b -> Files.getFileStore(b).supportsFileAttributeView((String) null),
            b ->
                Files.getFileStore(b)
                    .supportsFileAttributeView((Class<? extends FileAttributeView>) null),
            b -> Files.getFileStore(b).getFileStoreAttributeView(FileStoreAttributeView.class),
            b -> Files.getFileStore(b).getFileStoreAttributeView(null),
            b -> {
              FileStore s = Files.getFileStore(b);
              return s.getAttribute("totalSpace").equals(s.getTotalSpace())
                  && s.getTotalSpace() >= s.getUnallocatedSpace()
                  && s.getUnallocatedSpace() >= s.getUsableSpace()
                  && s.getUsableSpace() > 0
                  && s.getBlockSize() > 0;
            },
            b -> Files.getFileStore(b).getAttribute("usableSpace").getClass(),
            b -> Files.getFileStore(b).getAttribute("nope"),
            b -> Files.getFileStore(b).getAttribute("basic:totalSpace")));
  }

  @Test
  void theStoreOfAMountDescribesIt() throws IOException {
    FileStore store = Files.getFileStore(MOUNT);
    assertEquals("memory", store.type());
    assertEquals("agent-mount-0-memory", store.name());
    assertEquals(MOUNT + " (agent-mount-0-memory)", store.toString());
    assertEquals(store, Files.getFileStore(Files.createDirectories(MOUNT.resolve("store/sub"))));
    assertFalse(store.equals(Files.getFileStore(real)));
    assertFalse(store.supportsFileAttributeView("user"));
  }

  @Test
  void theStoreOfAMemoryMountReportsItsSpace() throws IOException {
    FileStore store = Files.getFileStore(MOUNT);
    // No size limit on this mount: the JVM's heap bounds its files, as the provider says.
    assertEquals(Runtime.getRuntime().maxMemory(), store.getTotalSpace());
    assertEquals(4096, store.getBlockSize());
    long before = store.getUnallocatedSpace();
    Path file = MOUNT.resolve("space");
    Files.write(file, new byte[64 * 1024]);
    try {
      assertEquals(before - 64 * 1024, store.getUnallocatedSpace(), "16 pages taken");
      assertEquals(store.getUnallocatedSpace(), store.getUsableSpace());
      assertEquals(before - 64 * 1024, MOUNT.toFile().getFreeSpace(), "java.io.File agrees");
    } finally {
      Files.delete(file);
    }
    assertEquals(before, store.getUnallocatedSpace(), "given back");
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
    Files.setLastModifiedTime(dir.resolve("h"), T1);
    Files.setPosixFilePermissions(dir.resolve("h"), PosixFilePermissions.fromString("rw-------"));
    Files.setAttribute(dir.resolve("h"), "unix:uid", 4242);
    Files.setOwner(dir.resolve("h"), users().lookupPrincipalByName("root"));
    assertEquals(T1, Files.readAttributes(dir.resolve("h"), "unix:*").get("lastModifiedTime"));
    assertEquals("memory", Files.getFileStore(dir.resolve("h")).type());
    assertTrue(Files.isDirectory(dir));
    // The host's own view: through /proc/self/root the path is not the mount's to the agent.
    String[] hostEntries = new File("/proc/self/root" + MOUNT).list();
    assertTrue(
        hostEntries == null || hostEntries.length == 0,
        "the host directory "
            + MOUNT
            + " must stay empty: "
            + List.of(hostEntries == null ? new String[0] : hostEntries));
    assertFalse(new File("/proc/self/root" + dir).exists());
    assertTrue(new File(dir.toString()).exists());
  }
}
