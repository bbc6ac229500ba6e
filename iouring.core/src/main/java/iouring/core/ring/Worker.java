package iouring.core.ring;

import iouring.core.fd.FileDescription;
import iouring.core.mem.UserMemory;
import iouring.core.op.Request;
import iouring.core.op.RingContext;
import iouring.core.rsrc.BufferTable;
import iouring.core.rsrc.FileTable;
import iouring.core.rsrc.ProvidedBuffers;
import iouring.core.task.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * One request running on a worker thread, Linux's io-wq: what {@code IOSQE_ASYNC} sends there. It
 * runs outside the ring lock, so it holds a reference to every file it uses until it is done, and
 * it posts its CQE (and runs the rest of its chain) through its {@link RingContext.Completion}.
 */
final class Worker implements Runnable, RingContext {
  private final Ring ring;
  private final Completion completion;
  private final List<FileDescription> held = new ArrayList<>(1);

  Worker(Ring ring, Completion completion) {
    this.ring = ring;
    this.completion = completion;
  }

  @Override
  public void run() {
    if (!ring.start(completion)) {
      return; // cancelled before it started: ASYNC_CANCEL completed it
    }
    Request req = completion.request();
    int res;
    try {
      res = req.def.op.issue(req, this);
    } finally {
      held.forEach(FileDescription::release);
      held.clear();
    }
    ring.workerDone(completion, res, req.cqeFlags, System.nanoTime());
  }

  @Override
  public FileDescription file(int fd, boolean fixed) {
    FileDescription file;
    if (fixed) {
      ring.lock.lock(); // slots change only under the ring lock
      try {
        file = ring.fixedFiles().get(fd);
        file = file != null && file.tryRetain() ? file : null;
      } finally {
        ring.lock.unlock();
      }
    } else {
      file = ring.task().files().retain(fd);
    }
    if (file == null) {
      return null;
    }
    held.add(file);
    return Ring.usableForIo(file) ? file : null;
  }

  @Override
  public Task task() {
    return ring.task();
  }

  @Override
  public UserMemory memory() {
    return ring.memory();
  }

  @Override
  public BufferTable buffers() {
    return ring.buffers();
  }

  @Override
  public FileTable fixedFiles() {
    return ring.fixedFiles();
  }

  @Override
  public ProvidedBuffers providedBuffers() {
    return ring.providedBuffers();
  }

  @Override
  public int setupFlags() {
    return ring.setupFlags();
  }

  @Override
  public Completion defer(Request req) {
    throw new IllegalStateException("ops that complete later never run on a worker");
  }

  @Override
  public Timeouts timeouts() {
    return ring.timeouts();
  }

  @Override
  public int updateLinkTimeout(long userData, long delay) {
    return ring.updateLinkTimeout(userData, delay);
  }

  @Override
  public int cancel(java.util.function.Predicate<Request> match, int cancelFlags) {
    throw new IllegalStateException("cancellation runs inline, never on a worker");
  }
}
