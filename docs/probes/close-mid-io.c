/* What closing a ring does to requests in flight, seen through a mapping of the rings kept after
 * close(2): a TIMEOUT, a poll-driven read linked to a write, a read guarded by a LINK_TIMEOUT, and
 * a blocking read on an io-wq worker linked to a NOP. The mapping holds the file, so close(2) of
 * the fd alone tears nothing down: the requests go on until the rings are unmapped. Also: a short
 * write in a soft and a hard link. Build: gcc -O1 -o p close-mid-io.c && ./p */
#include "ring.h"

static void dump(struct ring *r, const char *tag) {
  unsigned head = *r->cq_head;
  unsigned tail = atomic_load_explicit((_Atomic unsigned *)r->cq_tail, memory_order_acquire);
  printf("%s: cq head=%u tail=%u sq_flags=0x%x overflow=%u\n", tag, head, tail, *r->sq_flags,
         *r->cq_overflow);
  for (unsigned i = head; i != tail; i++) {
    struct io_uring_cqe *c = &r->cqes[i & *r->cq_mask];
    printf("  [ud=%llu res=%s fl=0x%x]\n", (unsigned long long)c->user_data, en(c->res), c->flags);
  }
  atomic_store_explicit((_Atomic unsigned *)r->cq_head, tail, memory_order_release);
}

int main(void) {
  struct ring r;
  if (ring_init(&r, 16, 0) < 0) { printf("setup failed\n"); return 1; }
  int p1[2], p2[2], p3[2];
  pipe(p1); pipe(p2); pipe(p3);
  int f = open("/tmp/close-mid-io.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
  static char buf[4][64];
  struct __kernel_timespec hour = {3600, 0};
  struct io_uring_sqe *s;
  s = get_sqe(&r); prep(s, IORING_OP_TIMEOUT, -1, &hour, 1, 0, 1);
  s = get_sqe(&r); prep(s, IORING_OP_READ, p1[0], buf[0], 8, 0, 2); s->flags = IOSQE_IO_LINK;
  s = get_sqe(&r); prep(s, IORING_OP_WRITE, f, "AAAA", 4, 0, 3);
  s = get_sqe(&r); prep(s, IORING_OP_READ, p2[0], buf[1], 8, 0, 4); s->flags = IOSQE_IO_LINK;
  s = get_sqe(&r); prep(s, IORING_OP_LINK_TIMEOUT, -1, &hour, 1, 0, 5);
  s = get_sqe(&r); prep(s, IORING_OP_READ, p3[0], buf[2], 8, 0, 6);
  s->flags = IOSQE_IO_LINK | IOSQE_ASYNC;
  s = get_sqe(&r); prep(s, IORING_OP_NOP, -1, NULL, 0, 0, 7);
  printf("submit: %s\n", en(submit(&r, 0, 0)));
  usleep(100000);
  dump(&r, "before close");
  close(r.fd);
  usleep(300000);
  dump(&r, "300 ms after close(ring fd), mapping kept");
  char check[8] = {0};
  printf("file after close: %zd bytes\n", pread(f, check, sizeof check, 0));
  write(p1[1], "12345678", 8); /* does the ring still run? */
  usleep(100000);
  dump(&r, "after data for the first read, ring fd closed, mapping kept");
  printf("file: %zd bytes\n", pread(f, check, sizeof check, 0));
  munmap(r.sqes, r.sqes_sz); munmap(r.sq_ptr, r.sq_sz);
  usleep(100000);
  write(p2[1], "12345678", 8);
  write(p3[1], "12345678", 8);
  usleep(100000);
  char left[16];
  int fl = fcntl(p2[0], F_GETFL); fcntl(p2[0], F_SETFL, fl | O_NONBLOCK);
  fl = fcntl(p3[0], F_GETFL); fcntl(p3[0], F_SETFL, fl | O_NONBLOCK);
  printf("after munmap: pipe 2 still holds %zd bytes, pipe 3 %zd (8: its read was cancelled)\n",
         read(p2[0], left, sizeof left), read(p3[0], left, sizeof left));

  /* A short write: its buffer runs into an unmapped page, so only the bytes before it are
   * written. */
  if (ring_init(&r, 8, 0) < 0) return 1;
  long pg = sysconf(_SC_PAGESIZE);
  char *two = mmap(0, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(two + pg, pg);
  memset(two, 'w', pg);
  for (int hard = 0; hard < 2; hard++) {
    s = get_sqe(&r); prep(s, IORING_OP_WRITE, f, two + pg - 4, 8, 0, 10 + hard);
    s->flags = hard ? IOSQE_IO_HARDLINK : IOSQE_IO_LINK;
    s = get_sqe(&r); prep(s, IORING_OP_NOP, -1, NULL, 0, 0, 20 + hard);
    struct io_uring_cqe c[4];
    submit(&r, 2, 0);
    print_cqes(hard ? "short write | HARDLINK, NOP" : "short write | LINK, NOP", c, wait_n(&r, c, 2));
  }
  ring_exit(&r);
  unlink("/tmp/close-mid-io.dat");
  return 0;
}
