package iouring.agent;

import static iouring.api.abi.FileFlags.AT_FDCWD;
import static iouring.api.abi.Opcodes.IORING_OP_RENAMEAT;

import iouring.api.abi.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Copies and moves where a mounted path takes part, as {@code sun.nio.fs.UnixCopyFile} (JDK 17) and
 * {@code UnixFileSystem.copy/move} (JDK 25) do. A move within one mount is one RENAMEAT SQE. Every
 * other case goes through the public {@code Files} API, whose calls reach the ring for the mounted
 * side and the JDK for the host side: a copy reads and writes, and a move between a mount and the
 * host (or two mounts) is what the JDK does on {@code EXDEV}, a copy and a delete; an atomic move
 * there fails with {@link AtomicMoveNotSupportedException}. {@code COPY_ATTRIBUTES} and a move
 * between file systems set the new file's times through its attribute view, which for a mounted
 * file is the provider's {@code utimens} (io_uring has no utimensat); a symbolic link keeps its new
 * times.
 */
final class PathCopy {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final RingIo io;
  private final MountedFiles files;
  private final MountedPaths paths;

  PathCopy(RingIo io, MountedFiles files, MountedPaths paths) {
    this.io = io;
    this.files = files;
    this.paths = paths;
  }

  /** The options of one copy or move, checked as {@code UnixCopyFile.Flags} checks them. */
  private record Flags(boolean replace, boolean follow, boolean atomic, boolean attributes) {
    static Flags of(boolean move, CopyOption[] options) {
      boolean replace = false;
      boolean follow = true;
      boolean atomic = false;
      boolean attributes = move;
      for (CopyOption option : options) {
        if (option == StandardCopyOption.REPLACE_EXISTING) {
          replace = true;
        } else if (option == LinkOption.NOFOLLOW_LINKS) {
          follow = move;
        } else if (move && option == StandardCopyOption.ATOMIC_MOVE) {
          atomic = true;
        } else if (!move && option == StandardCopyOption.COPY_ATTRIBUTES) {
          attributes = true;
        } else if (option == null) {
          throw new NullPointerException();
        } else if (!move && option.toString().equals("INTERRUPTIBLE")) {
          continue; // com.sun.nio.file.ExtendedCopyOption: every copy here is interruptible
        } else if (!MountedPaths.JDK_21) {
          throw new UnsupportedOperationException("Unsupported copy option");
        } else {
          throw new UnsupportedOperationException(
              (move ? "Unsupported option: " : "Unsupported copy option: ") + option);
        }
      }
      return new Flags(replace, move ? false : follow, atomic, attributes);
    }
  }

  /** Copies or moves if either path is mounted; returns null so the JDK does it otherwise. */
  Object[] serve(boolean move, Path source, Path target, CopyOption[] options) throws IOException {
    MountedFiles.Mounted from = files.mount(source);
    MountedFiles.Mounted to = files.mount(target);
    if (from == null && to == null) {
      return null;
    }
    Flags flags = Flags.of(move, options);
    if (move && from != null && to != null && from.mount().equals(to.mount())) {
      rename(source, from, target, to, flags);
    } else if (move) {
      moveAcross(source, target, flags);
    } else {
      copy(source, target, flags);
    }
    return new Object[] {null};
  }

  private int renameat(MountedFiles.Mounted from, MountedFiles.Mounted to) {
    long newName = io.memory().map(RingIo.cString(to.absolute()));
    try {
      return io.submitPath(
          IORING_OP_RENAMEAT,
          from.absolute(),
          (sqe, oldName) -> sqe.prepRenameat(AT_FDCWD, oldName, AT_FDCWD, newName, 0));
    } finally {
      io.memory().unmap(newName);
    }
  }

  private void rename(
      Path source, MountedFiles.Mounted from, Path target, MountedFiles.Mounted to, Flags flags)
      throws IOException {
    if (flags.atomic()) {
      int res = renameat(from, to);
      if (res < 0) {
        throw Errors.forPaths(res, source.toString(), target.toString());
      }
      return;
    }
    RingAttributes sourceAttributes = paths.attributesOrThrow(source, from, false, false, true);
    if (paths.stat(to, false) instanceof RingAttributes targetAttributes) {
      if (sourceAttributes.fileKey().equals(targetAttributes.fileKey())) {
        return;
      }
      if (!flags.replace()) {
        throw new FileAlreadyExistsException(target.toString());
      }
      paths.delete(target, to, true);
    }
    int res = renameat(from, to);
    if (res < 0) {
      throw Errors.forPaths(res, source.toString(), target.toString());
    }
  }

  private void moveAcross(Path source, Path target, Flags flags) throws IOException {
    if (flags.atomic()) {
      throw new AtomicMoveNotSupportedException(
          source.toString(), target.toString(), Errno.message(Errno.EXDEV));
    }
    BasicFileAttributes attributes =
        Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attributes.isDirectory()) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(source)) {
        if (entries.iterator().hasNext()) {
          throw new DirectoryNotEmptyException(source.toString());
        }
      }
    }
    copy(source, target, flags);
    try {
      Files.delete(source);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(target);
      } catch (IOException ignored) {
        // As the JDK: the source's failure is the one to report.
      }
      throw e;
    }
  }

  private void copy(Path source, Path target, Flags flags) throws IOException {
    LinkOption[] follow = flags.follow() ? new LinkOption[0] : new LinkOption[] {NOFOLLOW};
    PosixFileAttributes attributes =
        Files.readAttributes(source, PosixFileAttributes.class, follow);
    BasicFileAttributes existing;
    try {
      existing = Files.readAttributes(target, BasicFileAttributes.class, NOFOLLOW);
    } catch (IOException e) {
      existing = null;
    }
    if (existing != null) {
      if (attributes.fileKey() != null && attributes.fileKey().equals(existing.fileKey())) {
        return;
      }
      if (!flags.replace()) {
        throw new FileAlreadyExistsException(target.toString());
      }
      Files.delete(target);
    }
    FileAttribute<?> mode = PosixFilePermissions.asFileAttribute(attributes.permissions());
    if (attributes.isDirectory()) {
      Files.createDirectory(target, mode);
    } else if (attributes.isSymbolicLink()) {
      Files.createSymbolicLink(target, Files.readSymbolicLink(source));
    } else {
      copyFile(source, target, mode);
    }
    if (flags.attributes() && !attributes.isSymbolicLink()) {
      Files.getFileAttributeView(target, BasicFileAttributeView.class)
          .setTimes(attributes.lastModifiedTime(), attributes.lastAccessTime(), null);
    }
  }

  private static void copyFile(Path source, Path target, FileAttribute<?> mode) throws IOException {
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
      boolean done = false;
      try (FileChannel out =
          FileChannel.open(
              target, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), mode)) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        while (in.read(buffer) >= 0 || buffer.position() > 0) {
          buffer.flip();
          out.write(buffer);
          buffer.compact();
        }
        done = true;
      } finally {
        if (!done) {
          Files.deleteIfExists(target);
        }
      }
    }
  }
}
