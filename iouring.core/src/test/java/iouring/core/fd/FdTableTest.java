package iouring.core.fd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import iouring.api.ErrnoException;
import iouring.api.abi.Errno;
import org.junit.jupiter.api.Test;

class FdTableTest {

  /** A description that counts how often it was freed. */
  private static final class Counted extends FileDescription {
    int frees;

    @Override
    protected void free() {
      frees++;
    }
  }

  @Test
  void installTakesTheLowestFreeFd() {
    FdTable table = new FdTable(64);
    assertEquals(0, table.install(new Counted()));
    assertEquals(1, table.install(new Counted()));
    assertEquals(2, table.install(new Counted()));
    table.close(1);
    assertEquals(1, table.install(new Counted()));
    table.close(0);
    table.close(2);
    assertEquals(0, table.install(new Counted()));
    assertEquals(2, table.install(new Counted()));
    assertEquals(3, table.install(new Counted()));
    assertEquals(4, table.count());
  }

  @Test
  void getAndRetainFindTheDescription() {
    FdTable table = new FdTable(8);
    Counted file = new Counted();
    int fd = table.install(file);
    assertSame(file, table.get(fd));
    assertSame(file, table.retain(fd));
    file.release(); // the reference retain took
    assertNull(table.get(fd + 1));
    assertNull(table.get(-1));
    assertNull(table.retain(1000));
  }

  @Test
  void tableGrowsPastItsFirstSlots() {
    FdTable table = new FdTable(1024);
    Counted[] files = new Counted[100];
    for (int i = 0; i < files.length; i++) {
      files[i] = new Counted();
      assertEquals(i, table.install(files[i]));
    }
    for (int i = 0; i < files.length; i++) {
      assertSame(files[i], table.get(i), "fd " + i);
    }
    assertEquals(100, table.count());
  }

  @Test
  void installAtTheLimitIsEmfile() {
    FdTable table = new FdTable(20);
    for (int i = 0; i < 20; i++) {
      table.install(new Counted());
    }
    assertEquals(Errno.EMFILE, errno(() -> table.install(new Counted())));
    table.close(7);
    assertEquals(7, table.install(new Counted()));
    assertEquals(Errno.EMFILE, errno(() -> table.install(new Counted())));
  }

  @Test
  void limitBelowTheInitialSizeHolds() {
    FdTable table = new FdTable(3);
    for (int i = 0; i < 3; i++) {
      table.install(new Counted());
    }
    assertEquals(Errno.EMFILE, errno(() -> table.install(new Counted())));
  }

  @Test
  void closeReleasesTheTablesReference() {
    FdTable table = new FdTable(8);
    Counted file = new Counted();
    int fd = table.install(file);
    assertTrue(file.tryRetain()); // a request in flight
    table.close(fd);
    assertEquals(0, file.frees, "the request still holds it");
    assertNull(table.get(fd));
    file.release();
    assertEquals(1, file.frees);
    assertFalse(file.isLive());
    assertFalse(file.tryRetain());
  }

  @Test
  void closeOfAnFdNotOpenIsEbadf() {
    FdTable table = new FdTable(8);
    assertEquals(Errno.EBADF, errno(() -> table.close(0)));
    assertEquals(Errno.EBADF, errno(() -> table.close(-1)));
    assertEquals(Errno.EBADF, errno(() -> table.close(1 << 20)));
    int fd = table.install(new Counted());
    table.close(fd);
    assertEquals(Errno.EBADF, errno(() -> table.close(fd)));
  }

  @Test
  void closeAllFreesEveryDescriptionOnce() {
    FdTable table = new FdTable(64);
    Counted[] files = new Counted[20];
    for (int i = 0; i < files.length; i++) {
      files[i] = new Counted();
      table.install(files[i]);
    }
    table.close(3);
    table.closeAll();
    assertEquals(0, table.count());
    for (int i = 0; i < files.length; i++) {
      assertEquals(1, files[i].frees, "fd " + i);
    }
  }

  @Test
  void releasingMoreThanRetainedIsABug() {
    Counted file = new Counted();
    file.release();
    assertThrows(IllegalStateException.class, file::release);
  }

  private static int errno(Runnable call) {
    return assertThrows(ErrnoException.class, call::run).errno();
  }

  @Test
  void aDescriptionClosedWhilePinnedIsFreedWhenTheLastPinnerLeaves() {
    FdTable table = new FdTable(8);
    Counted file = new Counted();
    int fd = table.install(file);
    table.pin();
    table.pin();
    FileDescription seen = table.get(fd);
    table.close(fd);
    assertNull(table.get(fd), "the fd is gone at once");
    assertEquals(0, file.frees, "but the description a pinner holds is not freed");
    assertSame(file, seen);
    table.unpin();
    assertEquals(0, file.frees);
    table.unpin();
    assertEquals(1, file.frees);
  }

  @Test
  void withoutPinnersCloseFreesAtOnce() {
    FdTable table = new FdTable(8);
    Counted file = new Counted();
    table.pin();
    table.unpin();
    table.close(table.install(file));
    assertEquals(1, file.frees);
  }
}
