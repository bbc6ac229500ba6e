package iouring.agent;

import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;

/**
 * The file store of a mount, as {@code Files.getFileStore} returns it for a mounted path: named
 * after the provider's name in the kernel, typed by the provider type ({@code memory}, {@code
 * host}), and supporting the attribute views the agent routes ({@code basic}, {@code posix}, {@code
 * unix}, {@code owner}); Linux's {@code dos} and {@code user} views, which reach the host, are not
 * among them. The SPI has no {@code statfs}, so the agent knows no bound on the space: the total,
 * usable and unallocated space are {@link Long#MAX_VALUE}, and the block size is 4096, the memory
 * provider's page. Stores are equal when their mount points are.
 */
final class RingFileStore extends FileStore {
  private final String mount;
  private final String name;
  private final String type;

  RingFileStore(String mount, String name, String type) {
    this.mount = mount;
    this.name = name;
    this.type = type;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public boolean isReadOnly() {
    return false;
  }

  @Override
  public long getTotalSpace() {
    return Long.MAX_VALUE;
  }

  @Override
  public long getUsableSpace() {
    return Long.MAX_VALUE;
  }

  @Override
  public long getUnallocatedSpace() {
    return Long.MAX_VALUE;
  }

  @Override
  public long getBlockSize() {
    return 4096;
  }

  @Override
  public boolean supportsFileAttributeView(Class<? extends FileAttributeView> view) {
    if (view == null) {
      throw new NullPointerException();
    }
    return view == BasicFileAttributeView.class
        || view == PosixFileAttributeView.class
        || view == FileOwnerAttributeView.class;
  }

  @Override
  public boolean supportsFileAttributeView(String name) {
    // The parameter is named as the JDK's, for the same helpful NullPointerException message.
    return name.equals("basic")
        || name.equals("unix")
        || name.equals("posix")
        || name.equals("owner");
  }

  @Override
  public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> view) {
    if (view == null) {
      throw new NullPointerException();
    }
    return null;
  }

  /** As {@code UnixFileStore.getAttribute}: the three spaces by name. */
  @Override
  public Object getAttribute(String attribute) {
    return switch (attribute) {
      case "totalSpace" -> getTotalSpace();
      case "usableSpace" -> getUsableSpace();
      case "unallocatedSpace" -> getUnallocatedSpace();
      default -> throw new UnsupportedOperationException("'" + attribute + "' not recognized");
    };
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RingFileStore store && store.mount.equals(mount);
  }

  @Override
  public int hashCode() {
    return mount.hashCode();
  }

  /** As {@code UnixFileStore.toString}: the mount point and the name. */
  @Override
  public String toString() {
    return mount + " (" + name + ")";
  }
}
