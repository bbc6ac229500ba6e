/* ASYNC_CANCEL, TIMEOUT_REMOVE and LINK_TIMEOUT against requests already running on an io-wq
 * worker. Two kinds of running work:
 *  - an uninterruptible one: an IOSQE_ASYNC READ of 1 GiB from a tmpfs file into fresh anonymous
 *    memory (a regular-file copy of about a second; filemap_read stops only for fatal signals);
 *  - an interruptible one: an OPENAT(O_CREAT) of a FIFO with no writer (io-wq blocks in fifo_open).
 * Then the same with IORING_REGISTER_IOWQ_MAX_WORKERS at 1, so that a second request waits queued.
 * Each test waits 50 ms after submitting the target, checks that it has not completed (still
 * running), then submits the cancel.
 *   gcc -O1 -o p cancel-running.c && ./p */
#include "ring.h"

#define BIG (1u << 30)
#define FILE_PATH "/dev/shm/probe-cancel-running.dat"
#define FIFO_PATH "/tmp/probe-cancel-running.fifo"

static struct ring R;
static int big_fd;
static struct __kernel_timespec ms30 = {0, 30000000}, hour = {3600, 0};

static char *fresh(void) {
  char *p = mmap(0, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) { perror("mmap"); exit(1); }
  return p;
}
static void big_read(unsigned long long ud, char *buf, unsigned flags) {
  struct io_uring_sqe *s = get_sqe(&R);
  prep(s, IORING_OP_READ, big_fd, buf, BIG, 0, ud);
  s->flags = IOSQE_ASYNC | flags;
}
static void fifo_open(unsigned long long ud, unsigned flags) {
  struct io_uring_sqe *s = get_sqe(&R);
  prep(s, IORING_OP_OPENAT, AT_FDCWD, FIFO_PATH, 0, 0, ud);
  s->open_flags = O_RDONLY | O_CREAT; /* O_CREAT: no nonblocking attempt, straight to io-wq */
  s->flags = flags;
}
static void cancel(unsigned long long target, unsigned flags, unsigned long long ud) {
  struct io_uring_sqe *s = get_sqe(&R);
  prep(s, IORING_OP_ASYNC_CANCEL, -1, (void *)(unsigned long)target, 0, 0, ud);
  s->cancel_flags = flags;
}
static void link_timeout(struct __kernel_timespec *ts, unsigned flags, unsigned long long ud) {
  struct io_uring_sqe *s = get_sqe(&R);
  prep(s, IORING_OP_LINK_TIMEOUT, -1, ts, 1, 0, ud);
  s->flags = flags;
}
/* Submits what is queued, waits 50 ms, reports whether anything completed meanwhile. */
static void start(const char *tag) {
  int e = submit(&R, 0, 0);
  usleep(50000);
  printf("%s: enter=%d, CQEs after 50 ms: %u\n", tag, e, cq_ready(&R));
}
static void finish(const char *tag, int n) {
  int e = submit(&R, 0, 0);
  struct io_uring_cqe c[8];
  /* the FIFO opener is let go by a writer once the cancel had its chance */
  if (n < 0) {
    n = -n;
    usleep(50000);
    int k = reap(&R, c, 8);
    int w = open(FIFO_PATH, O_WRONLY | O_NONBLOCK);
    k += wait_n(&R, c + k, n - k);
    printf("%s: enter=%d ", tag, e);
    print_cqes("", c, k);
    if (w >= 0) close(w);
    for (int i = 0; i < k; i++) if (c[i].res > 2 && c[i].user_data == 1) close(c[i].res);
    return;
  }
  int k = wait_n(&R, c, n);
  printf("%s: enter=%d ", tag, e);
  print_cqes("", c, k);
}

int main(void) {
  struct io_uring_cqe c[8];
  if (ring_init(&R, 16, 0) < 0) { printf("setup failed\n"); return 1; }
  big_fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (ftruncate(big_fd, BIG) < 0) { perror("ftruncate"); return 1; }
  { char *p = fresh(); memset(p, 'x', BIG); if (write(big_fd, p, BIG) != BIG) { perror("write"); return 1; } munmap(p, BIG); }
  unlink(FIFO_PATH);
  if (mkfifo(FIFO_PATH, 0600) < 0) { perror("mkfifo"); return 1; }

  char *b;
  /* ---- the uninterruptible running read ---- */
  b = fresh(); big_read(1, b, 0); start("R1 READ 1GiB|ASYNC ud=1");
  cancel(1, 0, 2); finish("R1 ASYNC_CANCEL ud=1", 2); munmap(b, BIG);

  b = fresh(); big_read(1, b, 0); start("R2 READ 1GiB|ASYNC ud=1");
  cancel(1, IORING_ASYNC_CANCEL_ALL, 2); finish("R2 ASYNC_CANCEL ud=1 ALL", 2); munmap(b, BIG);

  b = fresh(); big_read(1, b, 0); start("R3 READ 1GiB|ASYNC ud=1");
  cancel(0, IORING_ASYNC_CANCEL_ANY, 2); finish("R3 ASYNC_CANCEL ANY", 2); munmap(b, BIG);

  b = fresh(); big_read(1, b, 0); start("R4 READ 1GiB|ASYNC ud=1");
  { struct io_uring_sqe *s = get_sqe(&R); prep(s, IORING_OP_ASYNC_CANCEL, big_fd, 0, 0, 0, 2); s->cancel_flags = IORING_ASYNC_CANCEL_FD; }
  finish("R4 ASYNC_CANCEL FD", 2); munmap(b, BIG);

  b = fresh(); big_read(1, b, 0); start("R5 READ 1GiB|ASYNC ud=1");
  { struct io_uring_sqe *s = get_sqe(&R); prep(s, IORING_OP_ASYNC_CANCEL, -1, 0, IORING_OP_READ, 0, 2); s->cancel_flags = IORING_ASYNC_CANCEL_OP | IORING_ASYNC_CANCEL_ALL; }
  finish("R5 ASYNC_CANCEL OP=READ|ALL", 2); munmap(b, BIG);

  /* a running read and a pure timeout, both matched by ALL */
  b = fresh(); big_read(1, b, 0);
  { struct io_uring_sqe *s = get_sqe(&R); prep(s, IORING_OP_TIMEOUT, -1, &hour, 1, 0, 3); }
  start("R6 READ 1GiB|ASYNC ud=1, TIMEOUT 1h ud=3");
  cancel(0, IORING_ASYNC_CANCEL_ANY, 2); finish("R6 ASYNC_CANCEL ANY", 3); munmap(b, BIG);

  /* a running read and TIMEOUT_REMOVE of its user_data: only timeouts are looked at */
  b = fresh(); big_read(1, b, 0); start("R7 READ 1GiB|ASYNC ud=1");
  { struct io_uring_sqe *s = get_sqe(&R); prep(s, IORING_OP_TIMEOUT_REMOVE, -1, (void *)1, 0, 0, 2); }
  finish("R7 TIMEOUT_REMOVE ud=1", 2); munmap(b, BIG);

  /* LINK_TIMEOUT on a running read */
  b = fresh(); big_read(1, b, IOSQE_IO_LINK); link_timeout(&ms30, 0, 2);
  { int e = submit(&R, 0, 0); int k = wait_n(&R, c, 2); printf("L1 [READ 1GiB|ASYNC|LINK, LINK_TIMEOUT 30ms]: enter=%d ", e); print_cqes("", c, k); }
  munmap(b, BIG);

  b = fresh(); big_read(1, b, IOSQE_IO_LINK); link_timeout(&ms30, IOSQE_IO_LINK, 2);
  { struct io_uring_sqe *s = get_sqe(&R); prep(s, IORING_OP_NOP, 0, 0, 0, 0, 3); }
  { int e = submit(&R, 0, 0); int k = wait_n(&R, c, 3); printf("L2 [READ 1GiB|ASYNC|LINK, LINK_TIMEOUT 30ms|LINK, NOP]: enter=%d ", e); print_cqes("", c, k); }
  munmap(b, BIG);

  /* the same read, short (it cannot be full at offset BIG-4096 with len BIG): the chain breaks */
  b = fresh();
  { struct io_uring_sqe *s = get_sqe(&R); prep(s, IORING_OP_READ, big_fd, b, BIG, 4096, 1); s->flags = IOSQE_ASYNC | IOSQE_IO_LINK; }
  link_timeout(&ms30, IOSQE_IO_LINK, 2);
  { struct io_uring_sqe *s = get_sqe(&R); prep(s, IORING_OP_NOP, 0, 0, 0, 0, 3); }
  { int e = submit(&R, 0, 0); int k = wait_n(&R, c, 3); printf("L3 [READ 1GiB-4KiB short|ASYNC|LINK, LINK_TIMEOUT 30ms|LINK, NOP]: enter=%d ", e); print_cqes("", c, k); }
  munmap(b, BIG);

  /* two requests with the target's user_data: the fired timeout cancels by user_data */
  b = fresh(); big_read(1, b, IOSQE_IO_LINK); link_timeout(&ms30, 0, 2);
  { struct io_uring_sqe *s = get_sqe(&R); prep(s, IORING_OP_TIMEOUT, -1, &hour, 1, 0, 1); }
  { int e = submit(&R, 0, 0); int k = wait_n(&R, c, 2); usleep(1000000); k += reap(&R, c + k, 8 - k);
    printf("L4 [READ 1GiB|ASYNC|LINK ud=1, LINK_TIMEOUT 30ms], TIMEOUT 1h ud=1: enter=%d ", e); print_cqes("", c, k); }
  cancel(1, IORING_ASYNC_CANCEL_ALL, 9); submit(&R, 0, 0); usleep(10000);
  { int k = reap(&R, c, 8); print_cqes("L4 then ASYNC_CANCEL ud=1 ALL", c, k); }
  munmap(b, BIG);

  /* the linked timer starts when the worker's issue returns: a 1 ns one fires before the
   * completion disarms it, finds nothing to cancel, and the chain goes on by the target's result */
  { char small[16]; int fd = open(FILE_PATH, O_RDONLY);
    for (int v = 0; v < 2; v++) {
      struct io_uring_sqe *s = get_sqe(&R); prep(s, IORING_OP_READ, fd, small, v ? 16 : 10, BIG - 10, 1); s->flags = IOSQE_ASYNC | IOSQE_IO_LINK;
      link_timeout(&(struct __kernel_timespec){0, 1}, IOSQE_IO_LINK, 2);
      s = get_sqe(&R); prep(s, IORING_OP_NOP, 0, 0, 0, 0, 3);
      int e = submit(&R, 0, 0); int k = wait_n(&R, c, 3);
      printf("L5 [READ %s|ASYNC|LINK, LINK_TIMEOUT 1ns|LINK, NOP]: enter=%d ", v ? "16 at 10 before EOF (short)" : "10", e); print_cqes("", c, k);
    }
    close(fd); }

  /* a fired LINK_TIMEOUT cancels by the target's user_data: the oldest timeout with it, here not
   * the target; the target then completes by itself and, with ETIME_SUCCESS, the chain goes on */
  { struct io_uring_sqe *s = get_sqe(&R); prep(s, IORING_OP_TIMEOUT, -1, &hour, 1, 0, 1);
    s = get_sqe(&R); prep(s, IORING_OP_TIMEOUT, -1, &(struct __kernel_timespec){0, 200000000}, 1, 0, 1);
    s->timeout_flags = IORING_TIMEOUT_ETIME_SUCCESS; s->flags = IOSQE_IO_LINK;
    link_timeout(&ms30, IOSQE_IO_LINK, 2);
    s = get_sqe(&R); prep(s, IORING_OP_NOP, 0, 0, 0, 0, 3);
    int e = submit(&R, 0, 0); int k = wait_n(&R, c, 4);
    printf("L6 TIMEOUT 1h ud=1, [TIMEOUT 200ms ETIME_SUCCESS ud=1|LINK, LINK_TIMEOUT 30ms|LINK, NOP]: enter=%d ", e); print_cqes("", c, k); }

  /* ---- the interruptible running open ---- */
  fifo_open(1, 0); start("F1 OPENAT fifo ud=1");
  cancel(1, 0, 2); finish("F1 ASYNC_CANCEL ud=1", -2);

  fifo_open(1, 0); start("F2 OPENAT fifo ud=1");
  cancel(1, IORING_ASYNC_CANCEL_ALL, 2); finish("F2 ASYNC_CANCEL ud=1 ALL", -2);

  fifo_open(1, IOSQE_IO_LINK); link_timeout(&ms30, IOSQE_IO_LINK, 2);
  { struct io_uring_sqe *s = get_sqe(&R); prep(s, IORING_OP_NOP, 0, 0, 0, 0, 3); }
  start("F3 [OPENAT fifo|LINK, LINK_TIMEOUT 30ms|LINK, NOP]");
  finish("F3", -3);

  /* ---- one io-wq worker: the second request waits queued behind the first ---- */
  { unsigned mw[2] = {1, 1}; printf("IOWQ_MAX_WORKERS {1,1} -> %s\n", en(sys_reg(R.fd, IORING_REGISTER_IOWQ_MAX_WORKERS, mw, 2))); }
  char *b2, *b3;
  b = fresh(); b2 = fresh(); big_read(1, b, 0); big_read(2, b2, 0); start("Q1 READ|ASYNC ud=1 (running), ud=2 (queued)");
  cancel(2, 0, 9); finish("Q1 ASYNC_CANCEL ud=2", 3); munmap(b, BIG); munmap(b2, BIG);

  b = fresh(); b2 = fresh(); big_read(1, b, 0); big_read(1, b2, 0); start("Q2 READ|ASYNC ud=1 (running), ud=1 (queued)");
  cancel(1, IORING_ASYNC_CANCEL_ALL, 9); finish("Q2 ASYNC_CANCEL ud=1 ALL", 3); munmap(b, BIG); munmap(b2, BIG);

  b = fresh(); b2 = fresh(); b3 = fresh(); big_read(1, b, 0); big_read(2, b2, 0); big_read(3, b3, 0);
  start("Q3 READ|ASYNC ud=1 (running), ud=2, ud=3 (queued)");
  cancel(0, IORING_ASYNC_CANCEL_ANY, 9); finish("Q3 ASYNC_CANCEL ANY", 4); munmap(b, BIG); munmap(b2, BIG); munmap(b3, BIG);

  b = fresh(); b2 = fresh(); b3 = fresh(); big_read(1, b, 0); big_read(2, b2, 0); big_read(2, b3, 0);
  start("Q4 READ|ASYNC ud=1 (running), ud=2, ud=2 (queued)");
  cancel(2, IORING_ASYNC_CANCEL_ALL, 9); finish("Q4 ASYNC_CANCEL ud=2 ALL", 4); munmap(b, BIG); munmap(b2, BIG); munmap(b3, BIG);

  b = fresh(); b2 = fresh(); big_read(1, b, 0); big_read(1, b2, 0);
  { struct io_uring_sqe *s = get_sqe(&R); prep(s, IORING_OP_TIMEOUT, -1, &hour, 1, 0, 1); }
  start("Q5 READ|ASYNC ud=1 (running), ud=1 (queued), TIMEOUT 1h ud=1");
  cancel(1, IORING_ASYNC_CANCEL_ALL, 9); finish("Q5 ASYNC_CANCEL ud=1 ALL", 4); munmap(b, BIG); munmap(b2, BIG);

  b = fresh(); b2 = fresh(); big_read(1, b, 0); big_read(2, b2, IOSQE_IO_LINK); link_timeout(&ms30, 0, 3);
  { int e = submit(&R, 0, 0); int k = wait_n(&R, c, 3); printf("Q6 READ|ASYNC ud=1 (running), [READ|ASYNC|LINK ud=2 (queued), LINK_TIMEOUT 30ms]: enter=%d ", e); print_cqes("", c, k); }
  munmap(b, BIG); munmap(b2, BIG);

  close(big_fd); unlink(FILE_PATH); unlink(FIFO_PATH);
  ring_exit(&R);
  return 0;
}
