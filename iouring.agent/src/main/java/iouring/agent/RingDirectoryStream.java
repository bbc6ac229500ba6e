package iouring.agent;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A directory stream over the names a mount's provider listed. The names are read when the stream
 * opens (io_uring has no getdents, so there is no SQE to read them lazily with); the JDK reads them
 * as the iterator advances, so entries created or removed meanwhile may differ.
 */
final class RingDirectoryStream implements DirectoryStream<Path> {
  private final Path dir;
  private final List<String> names;
  private final Filter<? super Path> filter;
  private boolean open = true;
  private boolean iterated;

  RingDirectoryStream(Path dir, List<String> names, Filter<? super Path> filter) {
    this.dir = dir;
    this.names = new ArrayList<>(names);
    this.filter = filter;
  }

  @Override
  public synchronized Iterator<Path> iterator() {
    // The checks and messages of sun.nio.fs.UnixDirectoryStream.
    if (!open) {
      throw new IllegalStateException("Directory stream is closed");
    }
    if (iterated) {
      throw new IllegalStateException("Iterator already obtained");
    }
    iterated = true;
    return new Entries();
  }

  @Override
  public synchronized void close() {
    open = false;
  }

  private synchronized boolean isOpen() {
    return open;
  }

  private final class Entries implements Iterator<Path> {
    private int next;
    private Path ahead;

    @Override
    public boolean hasNext() {
      while (ahead == null && isOpen() && next < names.size()) {
        String name = names.get(next++);
        if (name.equals(".") || name.equals("..")) {
          continue;
        }
        Path entry = dir.resolve(name);
        try {
          if (filter.accept(entry)) {
            ahead = entry;
          }
        } catch (IOException e) {
          throw new DirectoryIteratorException(e);
        }
      }
      return ahead != null;
    }

    @Override
    public Path next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Path entry = ahead;
      ahead = null;
      return entry;
    }

    @Override
    public void remove() {
      throw new UnsupportedOperationException();
    }
  }
}
