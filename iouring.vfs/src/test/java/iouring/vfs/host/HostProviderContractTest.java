package iouring.vfs.host;

import iouring.api.spi.VfsProvider;
import iouring.vfs.FileIoContract;
import iouring.vfs.VfsProviderContract;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.io.TempDir;

/** The host provider keeps the provider contract over a fresh directory of the host. */
class HostProviderContractTest extends VfsProviderContract {
  @TempDir Path root;

  private boolean refusesHugeFiles;
  private boolean canGiveFilesAway;

  @Override
  protected VfsProvider createProvider() throws Exception {
    refusesHugeFiles = probeFileSizeLimit(root);
    canGiveFilesAway = probeChown(root);
    return new HostProvider(root);
  }

  @Override
  public boolean canGiveFilesAway() {
    return canGiveFilesAway;
  }

  /** Gives a file to another user, which only root may do. */
  private static boolean probeChown(Path dir) throws IOException {
    Path probe = Files.createFile(dir.resolve("chown-probe"));
    try {
      Files.setAttribute(probe, "unix:uid", 4242);
      return true;
    } catch (IOException e) {
      return false; // "Operation not permitted"
    } finally {
      Files.delete(probe);
    }
  }

  @Override
  public boolean refusesHugeFiles() {
    return refusesHugeFiles;
  }

  /** Asks the file system under the root whether it takes a byte at offset 2^62; ext4 does not. */
  private static boolean probeFileSizeLimit(Path dir) throws IOException {
    Path probe = dir.resolve("size-probe");
    try (FileChannel c =
        FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      c.write(ByteBuffer.allocate(1), FileIoContract.TOO_FAR);
      return false;
    } catch (IOException e) {
      return true; // "File too large"
    } finally {
      Files.deleteIfExists(probe);
    }
  }
}
