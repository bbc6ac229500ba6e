package iouring.agent;

import iouring.api.abi.Errno;
import iouring.api.spi.VfsException;
import iouring.api.spi.VfsSpace;
import java.io.IOException;
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
 * among them. The space is the provider's {@code statfs} ({@code VfsProvider.space()}), asked at
 * each call: a memory mount's size limit and what its files leave of it, the host file system of a
 * host mount's root; a provider that cannot tell ({@code ENOSYS}) gives {@link Long#MAX_VALUE} for
 * each space and a block size of 4096. Stores are equal when their mount points are.
 */
final class RingFileStore extends FileStore {
  private final String mount;
  private final String name;
  private final String type;
  private final RingIo.ProviderCall<VfsSpace> space;

  /**
   * A mount's store.
   *
   * @param space the provider's {@code space()}, called as the agent calls providers ({@link
   *     RingIo#direct}), so that a host provider's own look at its file system is not routed again
   */
  RingFileStore(String mount, String name, String type, RingIo.ProviderCall<VfsSpace> space) {
    this.mount = mount;
    this.name = name;
    this.type = type;
    this.space = space;
  }

  /** The provider's space, or null if it cannot tell. */
  private VfsSpace space() throws IOException {
    try {
      return space.call();
    } catch (VfsException e) {
      if (e.errno() == Errno.ENOSYS) {
        return null;
      }
      throw Errors.forPath(-e.errno(), mount);
    }
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
  public long getTotalSpace() throws IOException {
    VfsSpace space = space();
    return space == null ? Long.MAX_VALUE : space.totalBytes();
  }

  @Override
  public long getUsableSpace() throws IOException {
    VfsSpace space = space();
    return space == null ? Long.MAX_VALUE : space.availableBytes();
  }

  @Override
  public long getUnallocatedSpace() throws IOException {
    VfsSpace space = space();
    return space == null ? Long.MAX_VALUE : space.freeBytes();
  }

  @Override
  public long getBlockSize() throws IOException {
    VfsSpace space = space();
    return space == null ? 4096 : space.blockSize();
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
  public Object getAttribute(String attribute) throws IOException {
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
