package iouring.vfs.memory;

import iouring.api.abi.FileFlags;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A regular file of the memory provider. Its data lives while a name or an open description refers
 * to it, as Linux frees an inode's pages when both {@code i_nlink} and the open count reach zero;
 * that is what lets a process read a file it has already unlinked.
 */
final class RegularFile extends Inode {
  private final FileData data;

  /** Serializes the link and open counts, so exactly one of unlink and close frees the data. */
  private final ReentrantLock lifetime = new ReentrantLock();

  private int opens;

  /** Creates an empty file with one link. */
  RegularFile(SuperBlock sb, int permissions) {
    super(sb, FileFlags.S_IFREG, permissions, 1);
    this.data = new FileData(sb);
  }

  /** Returns the data. */
  FileData data() {
    return data;
  }

  /** Counts an open description; callers hold the namespace lock, so the file has a name. */
  void opened() {
    lifetime.lock();
    try {
      opens++;
    } finally {
      lifetime.unlock();
    }
  }

  /** Forgets an open description, freeing the data if it was the last reference. */
  void closed() {
    lifetime.lock();
    try {
      opens--;
      releaseIfUnreferenced();
    } finally {
      lifetime.unlock();
    }
  }

  /** Adds a name. */
  void linked() {
    lifetime.lock();
    try {
      nlink(nlink() + 1);
    } finally {
      lifetime.unlock();
    }
    changed();
  }

  /** Removes a name, freeing the data if it was the last reference. */
  void unlinked() {
    lifetime.lock();
    try {
      nlink(nlink() - 1);
      releaseIfUnreferenced();
    } finally {
      lifetime.unlock();
    }
    changed();
  }

  private void releaseIfUnreferenced() {
    if (opens == 0 && nlink() == 0) {
      data.release();
    }
  }

  @Override
  long size() {
    return data.size();
  }

  @Override
  long blocks() {
    return data.blocks();
  }
}
