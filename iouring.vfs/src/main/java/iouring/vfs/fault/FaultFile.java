package iouring.vfs.fault;

import iouring.api.spi.VfsException;
import iouring.api.spi.VfsFile;
import iouring.api.spi.VfsStat;
import java.nio.ByteBuffer;

/** A file opened through a {@link FaultProvider}: its operations pass the same rules first. */
final class FaultFile implements VfsFile {
  private final FaultProvider faults;
  private final VfsFile file;
  private final String path;

  FaultFile(FaultProvider faults, VfsFile file, String path) {
    this.faults = faults;
    this.file = file;
    this.path = path;
  }

  @Override
  public int read(ByteBuffer dst, long offset) throws VfsException {
    faults.inject(FaultOp.READ, path);
    return file.read(dst, offset);
  }

  @Override
  public int write(ByteBuffer src, long offset) throws VfsException {
    faults.inject(FaultOp.WRITE, path);
    return file.write(src, offset);
  }

  @Override
  public long size() throws VfsException {
    faults.inject(FaultOp.SIZE, path);
    return file.size();
  }

  @Override
  public void sync(boolean dataOnly) throws VfsException {
    faults.inject(FaultOp.SYNC, path);
    file.sync(dataOnly);
  }

  @Override
  public void truncate(long size) throws VfsException {
    faults.inject(FaultOp.TRUNCATE, path);
    file.truncate(size);
  }

  @Override
  public void allocate(int mode, long offset, long length) throws VfsException {
    faults.inject(FaultOp.ALLOCATE, path);
    file.allocate(mode, offset, length);
  }

  @Override
  public VfsStat stat() throws VfsException {
    faults.inject(FaultOp.STAT, path);
    return file.stat();
  }

  @Override
  public boolean seekable() {
    return file.seekable();
  }

  @Override
  public boolean isDirectory() {
    return file.isDirectory();
  }

  @Override
  public void close() {
    file.close();
  }
}
