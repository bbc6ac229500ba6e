package iouring.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.FileFilter;
import java.io.FileOutputStream;
import java.io.FilePermission;
import java.io.FilenameFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Permission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs under the shaded agent with {@code it.mount} mounted in memory: one script of {@code
 * java.io.File} calls (existence and kinds, lengths and times, access, listing, directories,
 * creation, deletion, renaming, permissions, spaces, canonical paths, temp files, and their
 * failures) must give on a mounted directory the transcript it gives on a real temp directory, on
 * the running JDK. A child JVM shows the SQEs they cost and that the host stays empty.
 */
class MountedIoFileIT {
  private static final Path MOUNT = Path.of(System.getProperty("it.mount"));
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final FileTime T1 = FileTime.from(Instant.parse("2001-02-03T04:05:06.123456789Z"));

  @TempDir Path real;

  /** One step of the script, run under a base directory; its result or exception is logged. */
  interface Step {
    Object run(Path base) throws Exception;
  }

  /**
   * Replaces the base's absolute, parent and relative paths by names, the longest first: a relative
   * path such as {@code ../../../tmp/x} contains the absolute one, however deep the checkout is.
   */
  private static String hide(String text, Path base) {
    List<String[]> names =
        new ArrayList<>(
            List.of(
                new String[] {relative(base), "RELATIVE"},
                new String[] {base.toString(), "BASE"},
                new String[] {base.getParent().toString(), "PARENT"}));
    names.sort((a, b) -> b[0].length() - a[0].length());
    for (String[] name : names) {
      text = text.replace(name[0], name[1]);
    }
    return text;
  }

  private static List<String> transcript(Path base, List<Step> steps) {
    List<String> out = new ArrayList<>();
    for (Step step : steps) {
      try {
        out.add(hide(String.valueOf(step.run(base)), base));
      } catch (Exception e) {
        out.add(hide(e.getClass().getName() + ": " + e.getMessage(), base));
      }
    }
    return out;
  }

  private void same(List<Step> steps) throws IOException {
    String name = "io" + NAMES.incrementAndGet();
    Path mounted = Files.createDirectory(MOUNT.resolve(name));
    Path host = Files.createDirectory(real.resolve(name));
    List<String> expected = transcript(host, steps);
    List<String> actual = transcript(mounted, steps);
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(
          expected.get(i), actual.get(i), "step " + i + " of\n" + String.join("\n", expected));
    }
    assertEquals(expected.size(), actual.size());
    assertFalse(new File("/proc/self/root" + mounted).exists(), "the host stays untouched");
  }

  private static File file(Path base, String name) {
    return new File(base.toFile(), name);
  }

  /** The names sorted, or null: listing order is the file system's. */
  private static String sorted(String[] names) {
    if (names == null) {
      return "null";
    }
    String[] copy = names.clone();
    Arrays.sort(copy);
    return Arrays.toString(copy);
  }

  private static String sorted(File[] files) {
    if (files == null) {
      return "null";
    }
    String[] paths = new String[files.length];
    for (int i = 0; i < files.length; i++) {
      paths[i] = files[i].getPath();
    }
    return sorted(paths);
  }

  private static String permissions(File file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file.toPath()));
  }

  private static boolean recent(long millis) {
    return Duration.between(Instant.ofEpochMilli(millis), Instant.now())
            .abs()
            .compareTo(Duration.ofMinutes(5))
        < 0;
  }

  /** A path to the base relative to the working directory, which is the module's. */
  private static String relative(Path base) {
    return Path.of(System.getProperty("user.dir")).toAbsolutePath().relativize(base).toString();
  }

  @Test
  void existenceKindsLengthsAndListing() throws IOException {
    same(
        List.of(
            b -> file(b, "d").mkdir(),
            b -> file(b, "d").mkdir(),
            b -> file(b, "missing/x").mkdir(),
            b -> file(b, "d/e/f").mkdirs(),
            b -> file(b, "d/e/f").mkdirs(),
            b -> file(b, "d/x/../y").mkdirs() + "," + file(b, "d/y").isDirectory(),
            b -> file(b, "d/a.txt").createNewFile(),
            b -> file(b, "d/a.txt").createNewFile(),
            b -> file(b, "d").createNewFile(),
            b -> file(b, "missing/x").createNewFile(),
            b -> file(b, "d/a.txt/x").createNewFile(),
            b -> file(b, "d/a.txt/x").mkdir(),
            b -> file(b, "d/a.txt/x").mkdirs(),
            b -> {
              Files.writeString(file(b, "d/a.txt").toPath(), "hello");
              return "written";
            },
            b -> {
              try (FileOutputStream out = new FileOutputStream(file(b, "d/s.bin"))) {
                out.write(new byte[] {1, 2, 3});
              }
              return file(b, "d/s.bin").length() + "," + file(b, "d/s.bin").isFile();
            },
            b -> file(b, ".hidden").createNewFile(),
            b -> {
              List<String> out = new ArrayList<>();
              for (String n : List.of("d", "d/a.txt", "d/nope", "d/a.txt/x", ".hidden", ".nope")) {
                File f = file(b, n);
                out.add(
                    n
                        + "="
                        + f.exists()
                        + f.isFile()
                        + f.isDirectory()
                        + f.isHidden()
                        + f.canRead()
                        + f.canWrite()
                        + f.canExecute());
              }
              return out;
            },
            b -> file(b, "d/a.txt").length(),
            b -> file(b, "d/nope").length(),
            b -> file(b, "d/a.txt/x").length(),
            b -> file(b, "d").length() == Files.size(file(b, "d").toPath()),
            b -> recent(file(b, "d/a.txt").lastModified()),
            b -> file(b, "d/nope").lastModified(),
            b -> file(b, "d/./e/../a.txt").length(),
            b -> file(b, "d/a.txt\0").exists() + "," + file(b, "d/a.txt\0").length(),
            b -> {
              File f = new File(relative(b), "d/a.txt");
              return f.isAbsolute() + "," + f.exists() + "," + f.length() + "," + f.isFile();
            },
            b -> sorted(file(b, "d").list()),
            b -> sorted(file(b, "d").list((dir, n) -> n.endsWith(".txt"))),
            b -> sorted(file(b, "d").list((FilenameFilter) null)),
            b -> sorted(file(b, "d").listFiles()),
            b -> sorted(file(b, "d").listFiles((dir, n) -> n.startsWith("e"))),
            b -> sorted(file(b, "d").listFiles((FileFilter) File::isDirectory)),
            b -> sorted(new File(relative(b), "d").listFiles()),
            b -> sorted(b.toFile().list()),
            b -> sorted(file(b, "d/a.txt").list()),
            b -> sorted(file(b, "d/nope").list()),
            b -> sorted(file(b, "d/a.txt/x").listFiles()),
            b -> sorted(file(b, "d/nope").listFiles((FileFilter) null))));
  }

  @Test
  void deleteAndRename() throws IOException {
    same(
        List.of(
            b -> file(b, "d/e/f").mkdirs(),
            b -> file(b, "d/a").createNewFile() && file(b, "d/c").createNewFile(),
            b -> file(b, "d/e").delete(),
            b -> file(b, "d/e/f").delete(),
            b -> file(b, "d/e/f").exists(),
            b -> file(b, "d/nope").delete(),
            b -> file(b, "d/a/x").delete(),
            b -> file(b, "d/a").renameTo(file(b, "d/b")),
            b -> file(b, "d/a").exists() + "," + file(b, "d/b").exists(),
            b -> file(b, "d/nope").renameTo(file(b, "d/x")),
            b -> file(b, "d/b").renameTo(file(b, "d/e")),
            b -> file(b, "d/e").renameTo(file(b, "d/b")),
            b -> file(b, "d/e").renameTo(file(b, "d/e2")),
            b -> file(b, "d/b").renameTo(file(b, "missing/b")),
            b -> file(b, "d/b").renameTo(file(b, "d/e2/b")),
            b -> file(b, "d/e2/b").renameTo(file(b, "d/c")),
            b -> sorted(file(b, "d").list()) + sorted(file(b, "d/e2").list()),
            b -> file(b, "d/e2").renameTo(file(b, "d/e2/sub")),
            b -> file(b, "d/c").renameTo(null),
            b -> file(b, "d/c").renameTo(file(b, "d/c\0")),
            b -> file(b, "d/c").renameTo(new File(relative(b), "d/c2")),
            b -> file(b, "d/c2").delete(),
            b -> file(b, "d/e2").delete(),
            b -> file(b, "d").delete(),
            b -> sorted(b.toFile().list())));
  }

  @Test
  void permissionsAndTimes() throws IOException {
    same(
        List.of(
            b -> file(b, "d").mkdir() && file(b, "f").createNewFile(),
            b -> {
              Files.setPosixFilePermissions(
                  file(b, "f").toPath(), PosixFilePermissions.fromString("rw-r-----"));
              Files.setPosixFilePermissions(
                  file(b, "d").toPath(), PosixFilePermissions.fromString("rwxr-x---"));
              Files.createSymbolicLink(file(b, "l").toPath(), Path.of("f"));
              return permissions(file(b, "f"));
            },
            b -> file(b, "f").setExecutable(true) + permissions(file(b, "f")),
            b -> file(b, "f").canExecute(),
            b -> file(b, "f").setExecutable(false, false) + permissions(file(b, "f")),
            b -> file(b, "f").setReadable(true, false) + permissions(file(b, "f")),
            b -> file(b, "f").setReadable(false) + permissions(file(b, "f")),
            b -> file(b, "f").setWritable(true, false) + permissions(file(b, "f")),
            b -> file(b, "f").setReadOnly() + permissions(file(b, "f")),
            b -> file(b, "l").setExecutable(true, true) + permissions(file(b, "f")),
            b -> file(b, "d").setWritable(false) + permissions(file(b, "d")),
            b -> file(b, "d").setReadOnly() + permissions(file(b, "d")),
            b -> file(b, "nope").setReadable(true) + "," + file(b, "nope").setReadOnly(),
            b -> file(b, "f/x").setExecutable(true) + "," + file(b, "f/x").setWritable(false),
            b -> file(b, "f").setLastModified(1234567891L),
            b -> file(b, "f").lastModified(),
            b -> Files.getLastModifiedTime(file(b, "f").toPath()),
            b -> {
              Files.getFileAttributeView(file(b, "f").toPath(), BasicFileAttributeView.class)
                  .setTimes(null, T1, null);
              return file(b, "f").setLastModified(0)
                  + ","
                  + Files.readAttributes(file(b, "f").toPath(), "lastAccessTime,lastModifiedTime");
            },
            b -> file(b, "f").setLastModified(-1),
            b -> file(b, "nope").setLastModified(5),
            b -> file(b, "f/x").setLastModified(5),
            b -> file(b, "l").setLastModified(98765000L) + "," + file(b, "f").lastModified(),
            b ->
                Files.getLastModifiedTime(file(b, "l").toPath(), LinkOption.NOFOLLOW_LINKS)
                        .toMillis()
                    != 98765000L,
            b -> file(b, "d").setLastModified(4242) + "," + file(b, "d").lastModified(),
            b ->
                file(b, "f").setLastModified(Long.MAX_VALUE / 1_000_000)
                    + ","
                    + file(b, "f").lastModified()));
  }

  /**
   * The emulated process acts as root, whom {@code access(2)} lets read and write whatever the
   * mode; on a host where the ITs run as another user these steps would differ.
   */
  @Test
  void accessAsRoot() throws IOException {
    assumeTrue(
        Integer.valueOf(0).equals(Files.getAttribute(real, "unix:uid")), "the host needs root");
    same(
        List.of(
            b -> file(b, "d").mkdir() && file(b, "f").createNewFile(),
            b -> file(b, "f").setReadable(false, false) + "," + file(b, "f").canRead(),
            b -> file(b, "f").setReadOnly() + "," + file(b, "f").canWrite(),
            b -> file(b, "f").setExecutable(false, false) + "," + file(b, "f").canExecute(),
            b -> file(b, "f").setExecutable(true, true) + "," + file(b, "f").canExecute(),
            b -> file(b, "d").setReadOnly() + "," + file(b, "d").canWrite(),
            b -> file(b, "d").setExecutable(false, false) + "," + file(b, "d").canExecute(),
            b -> file(b, "d/x").createNewFile(),
            b -> sorted(file(b, "d").list()),
            b -> permissions(file(b, "d")) + permissions(file(b, "f"))));
  }

  @Test
  void spacesAndTempFiles() throws IOException {
    same(
        List.of(
            b -> file(b, "d").mkdir(),
            b -> {
              File d = file(b, "d");
              long total = d.getTotalSpace();
              long free = d.getFreeSpace();
              long usable = d.getUsableSpace();
              return (total > 0) + "," + (total >= free) + "," + (free >= usable) + (usable > 0);
            },
            b -> file(b, "nope").getTotalSpace(),
            b -> file(b, "nope").getFreeSpace(),
            b -> file(b, "nope/x").getUsableSpace(),
            b -> {
              File t = File.createTempFile("abc", ".x", file(b, "d"));
              return t.exists()
                  + ","
                  + t.isFile()
                  + ","
                  + t.length()
                  + ","
                  + t.getName().matches("abc[0-9]+\\.x")
                  + ","
                  + t.getParentFile().equals(file(b, "d"));
            },
            b -> File.createTempFile("abc", null, file(b, "d")).getName().endsWith(".tmp"),
            b -> File.createTempFile("abc/def", "", file(b, "d")).getName().startsWith("def"),
            b -> File.createTempFile("ab", null, file(b, "d")),
            b -> File.createTempFile(null, null, file(b, "d")),
            b -> File.createTempFile("abc", null, file(b, "nope")),
            b -> {
              try {
                return File.createTempFile("abc", "/x", file(b, "d"));
              } catch (IOException e) {
                return e.getMessage().replaceAll("[0-9]+", "N"); // a random name
              }
            },
            b -> file(b, "d").list().length));
  }

  @Test
  void canonicalPaths() throws IOException {
    same(
        List.of(
            b -> file(b, "d/e").mkdirs() && file(b, "f").createNewFile(),
            b -> {
              Files.createSymbolicLink(file(b, "l1").toPath(), Path.of("d"));
              Files.createSymbolicLink(file(b, "l2").toPath(), Path.of("missing"));
              Files.createSymbolicLink(file(b, "loop").toPath(), Path.of("loop"));
              Files.createSymbolicLink(file(b, "up").toPath(), Path.of(".."));
              Files.createSymbolicLink(file(b, "d/e/back").toPath(), Path.of("../../f"));
              Files.createSymbolicLink(file(b, "tofile").toPath(), Path.of("f"));
              Files.createSymbolicLink(file(b, "l1x").toPath(), Path.of("l1/e"));
              Files.createSymbolicLink(file(b, "d/self").toPath(), Path.of("."));
              return "linked";
            },
            b -> {
              List<String> out = new ArrayList<>();
              for (String n :
                  List.of(
                      "",
                      ".",
                      "d",
                      "d/e",
                      "d/../f",
                      "d/./e/..",
                      "l1",
                      "l1/e",
                      "l1/..",
                      "l1/../f",
                      "l2",
                      "l2/x",
                      "l2/../f",
                      "loop",
                      "loop/x",
                      "up",
                      "up/up",
                      "up/x/..",
                      "d/e/back",
                      "d/e/back/x",
                      "f/x",
                      "f/x/..",
                      "f/..",
                      "f/.",
                      "missing/..",
                      "missing/../f",
                      "missing/x/../..",
                      "tofile",
                      "tofile/x",
                      "l1x",
                      "d/self/self/e",
                      "../x",
                      "d//e")) {
                String canonical;
                try {
                  canonical = file(b, n).getCanonicalPath();
                } catch (IOException e) {
                  canonical = e.toString();
                }
                out.add(n + "=" + canonical);
              }
              return String.join("\n", out);
            },
            b -> file(b, "l1/e").getCanonicalFile().getPath(),
            b -> new File(relative(b), "d/e/../../f").getCanonicalPath(),
            b -> new File(relative(b), "l1x").getCanonicalPath(),
            b -> file(b, "d\0").getCanonicalPath(),
            b -> file(b, "x".repeat(5000)).getCanonicalPath(),
            b -> file(b, "l1/x/../y/z").mkdirs() + "," + file(b, "d/y/z").isDirectory()));
  }

  /** A security manager that refuses every file permission on a name ending in "denied". */
  @SuppressWarnings("removal")
  private static final class Denying extends SecurityManager {
    @Override
    public void checkPermission(Permission permission) {
      if (permission instanceof FilePermission && permission.getName().endsWith("denied")) {
        throw new SecurityException("denied " + permission.getActions());
      }
    }

    @Override
    public void checkPermission(Permission permission, Object context) {
      checkPermission(permission);
    }
  }

  /** Runs a step of {@code File} calls under {@link Denying}. */
  @SuppressWarnings("removal")
  private static Step guarded(Function<File, Object> call) {
    return b -> {
      System.setSecurityManager(new Denying());
      try {
        return call.apply(file(b, "denied"));
      } finally {
        System.setSecurityManager(null);
      }
    };
  }

  /**
   * Up to JDK 17 the security manager is asked first, in the {@code File} methods that the agent
   * serves in place of their natives; JDK 18 to 23 refuse to install one unless told to, and 24
   * removed it.
   */
  @Test
  @SuppressWarnings("removal")
  void theSecurityManagerIsAskedFirst() throws IOException {
    assumeTrue(Runtime.version().feature() == 17, "a security manager needs JDK 17 here");
    same(
        List.of(
            b -> file(b, "denied").mkdir(),
            guarded(File::exists),
            guarded(File::isDirectory),
            guarded(File::length),
            guarded(File::lastModified),
            guarded(File::canRead),
            guarded(File::canWrite),
            guarded(File::canExecute),
            guarded(File::list),
            guarded(File::mkdir),
            guarded(File::delete),
            guarded(File::setReadOnly),
            guarded(f -> f.setReadable(true)),
            guarded(f -> f.setLastModified(5)),
            guarded(f -> f.setLastModified(-1)),
            guarded(File::getTotalSpace),
            guarded(File::getFreeSpace),
            guarded(File::getUsableSpace),
            guarded(f -> f.renameTo(new File(f.getParentFile(), "other"))),
            guarded(f -> io(() -> f.createNewFile())),
            guarded(f -> io(() -> File.createTempFile("abc", "denied", f.getParentFile()))),
            guarded(
                f ->
                    io(
                        () ->
                            File.createTempFile("abc", null, f)
                                .getName()
                                .matches("abc\\d+\\.tmp"))),
            guarded(f -> io(() -> f.getCanonicalPath().endsWith("denied"))),
            guarded(f -> new File(f, "x\0").exists()),
            b -> file(b, "denied").isDirectory()));
  }

  /** An I/O call inside a function. */
  interface Io {
    Object call() throws IOException;
  }

  private static Object io(Io call) {
    try {
      return call.call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Where the emulated kernel resolves a path otherwise than Linux, the canonical path is the
   * kernel's, as {@code Path.toRealPath} is: it names the file the path reaches through the agent.
   * The kernel removes {@code ..} as text before it looks a path up, and starts an absolute symlink
   * target again at the root of its mount.
   */
  @Test
  void canonicalPathsFollowTheEmulatedKernel() throws IOException {
    Path b = Files.createDirectory(MOUNT.resolve("iocanon" + NAMES.incrementAndGet()));
    Files.createDirectories(b.resolve("d/e"));
    Files.writeString(b.resolve("f"), "x");
    Files.createSymbolicLink(b.resolve("loop"), Path.of("loop"));
    Files.createSymbolicLink(b.resolve("d/e/back"), Path.of("../../f"));
    Files.createSymbolicLink(b.resolve("l1x"), Path.of("d/e"));
    Files.createSymbolicLink(b.resolve("rooted"), Path.of("/" + b.getFileName() + "/d"));
    Files.createSymbolicLink(b.resolve("host"), b.resolve("d"));
    // Linux: ELOOP, the base, the base's d/e, /NAME/d/e, the base's d
    assertEquals(b + "/f", file(b, "loop/../f").getCanonicalPath());
    assertEquals(b + "/d/e", file(b, "d/e/back/..").getCanonicalPath());
    assertEquals(b + "/e", file(b, "l1x/../e").getCanonicalPath());
    assertEquals(b + "/d/e", file(b, "rooted/e").getCanonicalPath());
    assertEquals(b + "/host", file(b, "host").getCanonicalPath());
    assertTrue(file(b, "rooted/e").isDirectory());
    assertFalse(file(b, "host").exists());
    for (String name : List.of("d", "l1x", "d/e/back", "rooted/e", "d/e/back/..", "f/..")) {
      assertEquals(b.resolve(name).toRealPath().toString(), file(b, name).getCanonicalPath(), name);
    }
  }

  @Test
  void renamingBetweenAMountAndTheHostIsRefused() throws IOException {
    Path mounted = Files.createDirectory(MOUNT.resolve("iox" + NAMES.incrementAndGet()));
    File inMount = new File(mounted.toFile(), "m");
    File onHost = new File(real.toFile(), "h");
    assertTrue(inMount.createNewFile());
    assertTrue(onHost.createNewFile());
    assertFalse(inMount.renameTo(new File(real.toFile(), "moved")));
    assertFalse(onHost.renameTo(new File(mounted.toFile(), "moved")));
    assertTrue(inMount.exists() && onHost.exists());
    assertFalse(new File(real.toFile(), "moved").exists());
    assertFalse(new File(mounted.toFile(), "moved").exists());
    assertFalse(new File("/proc/self/root" + mounted).exists());
    String[] host = new File("/proc/self/root" + MOUNT).list();
    assertTrue(host == null || host.length == 0, "the host's " + MOUNT + " stays empty");
  }

  /** The child: java.io.File calls on a directory under its mount, one line of results. */
  public static final class Child {
    private Child() {}

    /**
     * Runs the child's calls under the directory given.
     *
     * @param args the data directory
     * @throws IOException if a call fails
     */
    public static void main(String[] args) throws IOException {
      File dir = new File(args[0], "dir");
      File f = new File(dir, "f");
      File g = new File(dir, "g");
      System.out.println(
          dir.mkdir()
              + " "
              + f.createNewFile()
              + " "
              + f.exists()
              + " "
              + f.length()
              + " "
              + Arrays.toString(dir.list())
              + " "
              + f.renameTo(g)
              + " "
              + g.setLastModified(1000)
              + " "
              + g.delete()
              + " "
              + dir.delete());
    }
  }

  private static long count(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": (\\d+)").matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Test
  void aChildCountsOneSqePerSystemCallAndLeavesTheHostEmpty() throws Exception {
    Path data = Files.createDirectory(real.resolve("data"));
    Path stats = real.resolve("stats.json");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:off");
    command.add(
        "-javaagent:"
            + System.getProperty("agent.jar")
            + "=mount="
            + data
            + "=memory,stats="
            + stats);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Child.class.getName());
    command.add(data.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    assertEquals("true true true 0 [f] true true true true", output.strip());
    String json = Files.readString(stats);
    assertEquals(1, count(json, "IORING_OP_MKDIRAT"), json);
    assertEquals(1, count(json, "IORING_OP_OPENAT"), json);
    assertEquals(1, count(json, "IORING_OP_CLOSE"), json);
    // exists, length, list (the directory opened), setLastModified (the access time kept)
    assertEquals(4, count(json, "IORING_OP_STATX"), json);
    assertEquals(1, count(json, "IORING_OP_RENAMEAT"), json);
    // the file's unlink, and the directory's: unlink (EISDIR), then rmdir, as glibc's remove
    assertEquals(3, count(json, "IORING_OP_UNLINKAT"), json);
    assertEquals(6, Pattern.compile("\"IORING_OP_").matcher(json).results().count(), json);
    assertEquals(List.of(), List.of(data.toFile().list()), "the host data directory stays empty");
  }
}
