/*
 * The kernel side of iouring's benchmark ratios: the same workloads as the JMH benchmarks, run
 * against the real Linux io_uring through raw system calls (no liburing), on the same machine and
 * in the same run, so that the ratios the report prints hold on any machine.
 *
 * Usage: kernel_bench SECONDS FILE_MIB
 * Output: one line per workload, "name ops_per_second", or "unavailable reason" when the kernel
 * refuses io_uring (old kernel, seccomp).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct ring {
  int fd;
  unsigned *sq_head, *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
  struct io_uring_sqe *sqes;
  struct io_uring_cqe *cqes;
  unsigned sq_entries;
};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int ring_init(struct ring *r, unsigned entries) {
  struct io_uring_params p;
  memset(&p, 0, sizeof p);
  r->fd = (int)syscall(__NR_io_uring_setup, entries, &p);
  if (r->fd < 0) return -errno;
  size_t sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
  size_t cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
  size_t len = sq_len > cq_len ? sq_len : cq_len;
  char *rings = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
                     IORING_OFF_SQ_RING);
  r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
  if (rings == MAP_FAILED || r->sqes == MAP_FAILED) return -errno;
  r->sq_head = (unsigned *)(rings + p.sq_off.head);
  r->sq_tail = (unsigned *)(rings + p.sq_off.tail);
  r->sq_mask = (unsigned *)(rings + p.sq_off.ring_mask);
  r->sq_array = (unsigned *)(rings + p.sq_off.array);
  r->cq_head = (unsigned *)(rings + p.cq_off.head);
  r->cq_tail = (unsigned *)(rings + p.cq_off.tail);
  r->cq_mask = (unsigned *)(rings + p.cq_off.ring_mask);
  r->cqes = (struct io_uring_cqe *)(rings + p.cq_off.cqes);
  r->sq_entries = p.sq_entries;
  for (unsigned i = 0; i < p.sq_entries; i++) r->sq_array[i] = i;
  return 0;
}

/* Queues n SQEs of one kind, submits them and waits for all n completions. */
static int round_trip(struct ring *r, unsigned n, int opcode, int fd, char *buf, long blocks,
                      unsigned long long *seed) {
  unsigned tail = *r->sq_tail;
  for (unsigned i = 0; i < n; i++) {
    struct io_uring_sqe *s = &r->sqes[(tail + i) & *r->sq_mask];
    memset(s, 0, sizeof *s);
    s->opcode = opcode;
    s->user_data = i;
    if (opcode == IORING_OP_READ) {
      *seed ^= *seed << 13; *seed ^= *seed >> 7; *seed ^= *seed << 17;
      s->fd = fd;
      s->addr = (unsigned long)(buf + 4096 * i);
      s->len = 4096;
      s->off = (*seed % blocks) * 4096;
    }
  }
  __atomic_store_n(r->sq_tail, tail + n, __ATOMIC_RELEASE);
  if (syscall(__NR_io_uring_enter, r->fd, n, n, IORING_ENTER_GETEVENTS, NULL, 0) != (long)n)
    return -1;
  unsigned head = *r->cq_head;
  unsigned ctail = __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE);
  for (; head != ctail; head++) {
    struct io_uring_cqe *c = &r->cqes[head & *r->cq_mask];
    if (c->res < 0 || (opcode == IORING_OP_READ && c->res != 4096)) return -1;
  }
  __atomic_store_n(r->cq_head, head, __ATOMIC_RELEASE);
  return 0;
}

static void run(const char *name, struct ring *r, unsigned n, int opcode, int fd, char *buf,
                long blocks, double seconds) {
  unsigned long long seed = 88172645463325252ULL;
  long ops = 0;
  double start = now(), elapsed;
  /* Warm up for a tenth of the time, then measure. */
  while (now() - start < seconds / 10) round_trip(r, n, opcode, fd, buf, blocks, &seed);
  start = now();
  do {
    for (int k = 0; k < 64; k++) {
      if (round_trip(r, n, opcode, fd, buf, blocks, &seed) != 0) {
        printf("%s failed\n", name);
        return;
      }
    }
    ops += 64L * n;
  } while ((elapsed = now() - start) < seconds);
  printf("%s %.0f\n", name, ops / elapsed);
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 2.0;
  long mib = argc > 2 ? atol(argv[2]) : 64;
  setvbuf(stdout, NULL, _IOLBF, 0);
  struct ring r;
  int err = ring_init(&r, 64);
  if (err < 0) {
    printf("unavailable io_uring_setup: %s\n", strerror(-err));
    return 0;
  }
  run("nop_batch1", &r, 1, IORING_OP_NOP, -1, NULL, 1, seconds);
  run("nop_batch32", &r, 32, IORING_OP_NOP, -1, NULL, 1, seconds);

  char path[] = "/tmp/iouring-kernel-bench-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) { printf("unavailable mkstemp: %s\n", strerror(errno)); return 0; }
  unlink(path);
  char *chunk = malloc(1 << 20);
  for (int i = 0; i < (1 << 20); i++) chunk[i] = (char)(i * 31);
  for (long i = 0; i < mib; i++)
    if (pwrite(fd, chunk, 1 << 20, i << 20) != (1 << 20)) { printf("unavailable pwrite\n"); return 0; }
  for (long i = 0; i < mib; i++) pread(fd, chunk, 1 << 20, i << 20); /* into the page cache */
  char *buf = aligned_alloc(4096, 4096 * 32);
  long blocks = mib * 256;
  run("read4k_qd1", &r, 1, IORING_OP_READ, fd, buf, blocks, seconds);
  run("read4k_qd32", &r, 32, IORING_OP_READ, fd, buf, blocks, seconds);

  /* pread(2) in a loop: what a bare FileChannel positional read costs at the bottom. */
  unsigned long long seed = 88172645463325252ULL;
  long ops = 0;
  double start = now(), elapsed;
  do {
    for (int k = 0; k < 256; k++) {
      seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
      if (pread(fd, buf, 4096, (seed % blocks) * 4096) != 4096) { printf("pread failed\n"); return 0; }
    }
    ops += 256;
  } while ((elapsed = now() - start) < seconds);
  printf("pread4k %.0f\n", ops / elapsed);
  return 0;
}
