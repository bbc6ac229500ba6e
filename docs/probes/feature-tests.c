/* The cases of liburing's drain, CQ overflow, SUBMIT_ALL, SQ full and CQE_SKIP tests (link_drain.c,
 * defer.c, multicqes_drain.c, cq-overflow.c, cq-full.c, cq-size.c, drop-submit.c, sq-full.c,
 * sqwait.c, skip-cqe.c) that the reference does not record, in the shapes the conformance classes
 * DrainTest, CqOverflowTest, SubmitAllTest, SqFullTest and SkipCqeTest run them. Pipes are not
 * used: a TIMEOUT of one hour stands for a request that never completes on its own. Rows D7 and
 * D8 count multishot CQEs, and the "took" and "after" rows times: those depend on the machine.
 * Build: gcc -O1 -o p feature-tests.c && ./p (it writes /tmp/feature-tests.dat) */
#include "ring.h"

static struct io_uring_cqe cq[512];
static struct __kernel_timespec hour = {3600, 0}, ms1 = {0, 1000000}, ms5 = {0, 5000000},
                                ms20 = {0, 20000000};
static char wbuf[4096];
static int file;

static void uds(const char *tag, struct io_uring_cqe *c, int n) {
  printf("%s: %d cqe:", tag, n);
  for (int i = 0; i < n; i++) {
    printf(" %lld", (long long)c[i].user_data);
    if (c[i].res) printf("=%s", en(c[i].res));
    if (c[i].flags) printf("/0x%x", c[i].flags);
  }
  printf("\n");
}

/* Collects CQEs into cq[got..] until n arrived in all or ms milliseconds passed. */
static int collect_from(struct ring *r, int got, int n, int ms) {
  double end = now_s() + ms / 1000.0;
  while (got < n && now_s() < end) {
    got += reap(r, cq + got, n - got);
    if (got < n) usleep(500);
  }
  return got;
}

/* Collects CQEs until n arrived or ms milliseconds passed. */
static int collect(struct ring *r, int n, int ms) { return collect_from(r, 0, n, ms); }

/* Collects CQEs until none came for 100 ms (at most 2 s): everything a batch posts soon. */
static int settle(struct ring *r) {
  int got = 0;
  double quiet = now_s() + 0.1, end = now_s() + 2;
  while (now_s() < quiet && now_s() < end) {
    int n = reap(r, cq + got, 512 - got);
    if (n) {
      got += n;
      quiet = now_s() + 0.1;
    } else {
      usleep(500);
    }
  }
  return got;
}

static struct io_uring_sqe *nop(struct ring *r, unsigned long long ud, int flags) {
  struct io_uring_sqe *s = get_sqe(r);
  prep(s, IORING_OP_NOP, -1, NULL, 0, 0, ud);
  s->flags = flags;
  return s;
}

static struct io_uring_sqe *timeout(struct ring *r, struct __kernel_timespec *ts, unsigned long long ud,
                                    int flags) {
  struct io_uring_sqe *s = get_sqe(r);
  prep(s, IORING_OP_TIMEOUT, -1, ts, 1, 0, ud);
  s->flags = flags;
  return s;
}

static struct io_uring_sqe *ltimeout(struct ring *r, struct __kernel_timespec *ts, unsigned long long ud,
                                     int flags) {
  struct io_uring_sqe *s = get_sqe(r);
  prep(s, IORING_OP_LINK_TIMEOUT, -1, ts, 1, 0, ud);
  s->flags = flags;
  return s;
}

/* A write that passes prep and fails at issue: a NULL buffer (skip-cqe.c's prep_exec_fail_req). */
static struct io_uring_sqe *badwrite(struct ring *r, unsigned long long ud, int flags) {
  struct io_uring_sqe *s = get_sqe(r);
  prep(s, IORING_OP_WRITE, file, NULL, 100, 0, ud);
  s->flags = flags;
  return s;
}

static void drain(void) {
  struct ring r;
  ring_init(&r, 16, 0);
  static struct iovec iov = {wbuf, 4096};
  struct io_uring_sqe *s;

  /* link_drain.c test_link_drain_one, the heavy write on a worker */
  s = get_sqe(&r); prep(s, IORING_OP_WRITEV, file, &iov, 1, 0, 0); s->flags = IOSQE_ASYNC;
  nop(&r, 1, IOSQE_IO_LINK);
  nop(&r, 2, IOSQE_IO_LINK | IOSQE_IO_DRAIN);
  nop(&r, 3, 0);
  nop(&r, 4, 0);
  printf("D1 link_drain_one submit=%s\n", en(submit(&r, 0, 0)));
  uds("D1 order", cq, collect(&r, 5, 1000));

  /* test_link_drain_multi */
  s = get_sqe(&r); prep(s, IORING_OP_WRITEV, file, &iov, 1, 0, 0); s->flags = IOSQE_ASYNC;
  nop(&r, 1, IOSQE_IO_LINK);
  nop(&r, 2, IOSQE_IO_LINK | IOSQE_IO_DRAIN);
  nop(&r, 3, 0);
  nop(&r, 4, IOSQE_IO_LINK);
  nop(&r, 5, IOSQE_IO_LINK);
  s = get_sqe(&r); prep(s, IORING_OP_WRITEV, file, &iov, 1, 0, 6);
  s->flags = IOSQE_IO_LINK | IOSQE_IO_DRAIN | IOSQE_ASYNC;
  nop(&r, 7, 0);
  nop(&r, 8, 0);
  printf("D2 link_drain_multi submit=%s\n", en(submit(&r, 0, 0)));
  uds("D2 order", cq, collect(&r, 9, 1000));

  /* defer.c test_drain_with_linked_timeout, with a target that never completes */
  for (int i = 0; i < 3; i++) {
    timeout(&r, &hour, 10 * i, IOSQE_IO_LINK | IOSQE_IO_DRAIN);
    ltimeout(&r, &ms20, 10 * i + 1, 0);
  }
  double t0 = now_s();
  printf("D3 drain+link timeout submit=%s\n", en(submit(&r, 0, 0)));
  int n = collect(&r, 6, 2000);
  uds("D3 order", cq, n);
  printf("D3 took >= %d ms\n", (int)((now_s() - t0) * 1000) / 10 * 10);

  /* defer.c test_dropped_hung: the application scribbles on sq_dropped */
  *r.sq_dropped = 1000;
  for (int i = 0; i < 10; i++) nop(&r, i, IOSQE_IO_DRAIN);
  printf("D4 sq_dropped=1000, 10 drained NOPs submit=%s\n", en(submit(&r, 0, 0)));
  uds("D4", cq, collect(&r, 10, 500));
  ring_exit(&r);

  /* defer.c test_cancelled_userdata: 100 linked NOPs */
  ring_init(&r, 128, 0);
  for (int i = 0; i < 100; i++) nop(&r, i, IOSQE_IO_LINK);
  printf("D5 100 linked NOPs submit=%s\n", en(submit(&r, 0, 0)));
  n = collect(&r, 100, 1000);
  int inorder = 1, zero = 1;
  for (int i = 0; i < n; i++) {
    inorder &= cq[i].user_data == (unsigned long long)i;
    zero &= cq[i].res == 0;
  }
  printf("D5 got %d in order=%d all 0=%d\n", n, inorder, zero);
  ring_exit(&r);

  /* defer.c test_thread_link_cancel, on an SQPOLL ring: a chain of 100 whose head fails */
  struct io_uring_params p;
  memset(&p, 0, sizeof p);
  p.flags = IORING_SETUP_SQPOLL;
  p.sq_thread_idle = 1000;
  if (ring_init_p(&r, 128, &p) < 0) {
    printf("D6 SQPOLL setup failed\n");
  } else {
    s = get_sqe(&r); prep(s, IORING_OP_READ, -1, wbuf, 4, 0, 0); s->flags = IOSQE_IO_LINK;
    for (int i = 1; i < 100; i++) nop(&r, i, IOSQE_IO_LINK);
    publish(&r);
    atomic_thread_fence(memory_order_seq_cst);
    int wake = (*r.sq_flags & IORING_SQ_NEED_WAKEUP) ? IORING_ENTER_SQ_WAKEUP : 0;
    printf("D6 SQPOLL chain of 100, head READ fd -1: enter=%s\n", en(submit(&r, 0, wake)));
    n = collect(&r, 100, 5000);
    int canceled = 0;
    inorder = 1;
    for (int i = 0; i < n; i++) {
      inorder &= cq[i].user_data == (unsigned long long)i;
      canceled += cq[i].res == -ECANCELED;
    }
    printf("D6 got %d in order=%d head=%s canceled=%d\n", n, inorder, en(cq[0].res), canceled);
    ring_exit(&r);
  }

  /* which requests after a drained chain wait for it: a drain in the middle of a chain drains the
   * next request too (io_init_req_drain), a drain at its head does not */
  static struct __kernel_timespec slow = {0, 200000000}; /* long enough for a loaded machine */
  ring_init(&r, 16, 0);
  nop(&r, 1, IOSQE_IO_LINK);
  timeout(&r, &slow, 2, IOSQE_IO_LINK | IOSQE_IO_DRAIN);
  nop(&r, 3, 0);
  nop(&r, 4, 0);
  nop(&r, 5, 0);
  printf("D9 [NOP|L, TIMEOUT 200ms|L|D, NOP], NOP, NOP submit=%s\n", en(submit(&r, 0, 0)));
  usleep(5000);
  n = reap(&r, cq, 64);
  printf("D9 NOP 4 or 5 after 5 ms: %d\n", n > 0 && cq[n - 1].user_data >= 4);
  uds("D9 order", cq, collect_from(&r, n, 5, 1000));
  timeout(&r, &slow, 1, IOSQE_IO_LINK | IOSQE_IO_DRAIN);
  nop(&r, 2, 0);
  nop(&r, 3, 0);
  printf("D10 [TIMEOUT 200ms|L|D, NOP], NOP submit=%s\n", en(submit(&r, 0, 0)));
  uds("D10 at once", cq, reap(&r, cq, 64));
  uds("D10 later", cq, collect(&r, 3, 1000));
  timeout(&r, &slow, 1, IOSQE_IO_DRAIN);
  nop(&r, 2, 0);
  printf("D11 TIMEOUT 200ms|D, NOP submit=%s\n", en(submit(&r, 0, 0)));
  uds("D11 at once", cq, reap(&r, cq, 64));
  uds("D11 later", cq, collect(&r, 2, 1000));
  timeout(&r, &slow, 1, 0);
  nop(&r, 2, IOSQE_IO_LINK);
  nop(&r, 3, IOSQE_IO_LINK | IOSQE_IO_DRAIN);
  nop(&r, 4, 0);
  nop(&r, 5, 0);
  nop(&r, 6, 0);
  printf("D12 TIMEOUT 200ms, [NOP|L, NOP|L|D, NOP], NOP, NOP submit=%s\n", en(submit(&r, 0, 0)));
  uds("D12 at once", cq, reap(&r, cq, 64));
  uds("D12 later", cq, collect(&r, 6, 1000));
  /* drain mode outlasts the submission: a NOP submitted by a later enter waits too */
  timeout(&r, &slow, 1, IOSQE_IO_DRAIN);
  printf("D13 TIMEOUT 200ms|D submit=%s\n", en(submit(&r, 0, 0)));
  nop(&r, 2, 0);
  printf("D13 then NOP alone submit=%s\n", en(submit(&r, 0, 0)));
  usleep(5000);
  uds("D13 after 5 ms", cq, reap(&r, cq, 64));
  uds("D13 later", cq, collect(&r, 2, 1000));
  /* and ends with a request that finds nothing in flight */
  timeout(&r, &slow, 1, 0);
  printf("D14 TIMEOUT 200ms submit=%s\n", en(submit(&r, 0, 0)));
  nop(&r, 2, 0);
  printf("D14 then NOP alone submit=%s\n", en(submit(&r, 0, 0)));
  usleep(5000);
  uds("D14 after 5 ms", cq, reap(&r, cq, 64));
  uds("D14 later", cq, collect(&r, 1, 1000));
  timeout(&r, &slow, 1, 0);
  printf("D15 TIMEOUT 200ms submit=%s\n", en(submit(&r, 0, 0)));
  nop(&r, 2, 0);
  printf("D15 then NOP alone submit=%s\n", en(submit(&r, 0, 0)));
  usleep(5000);
  uds("D15 after 5 ms", cq, reap(&r, cq, 64));
  uds("D15 later", cq, collect(&r, 1, 1000));
  /* a request that fails before issue is not held by a drain */
  timeout(&r, &slow, 1, IOSQE_IO_DRAIN);
  s = get_sqe(&r); s->opcode = 200; s->user_data = 2;
  nop(&r, 3, 0);
  printf("D16 TIMEOUT 200ms|D, BADOP, NOP submit=%s\n", en(submit(&r, 0, 0)));
  usleep(5000);
  uds("D16 after 5 ms", cq, reap(&r, cq, 64));
  printf("D16 NOP left in the SQ, submit=%s\n", en(submit(&r, 0, 0)));
  usleep(5000);
  uds("D16 after 5 ms more", cq, reap(&r, cq, 64));
  uds("D16 later", cq, collect(&r, 2, 1000));
  ring_exit(&r);

  /* multicqes_drain.c test_simple_drain, with a multishot timeout for the multishot poll */
  ring_init(&r, 16, 0);
  s = timeout(&r, &ms5, 0, 0); s->timeout_flags = IORING_TIMEOUT_MULTISHOT;
  timeout(&r, &ms5, 1, 0);
  submit(&r, 0, 0);
  usleep(12000);
  s = get_sqe(&r); prep(s, IORING_OP_TIMEOUT_REMOVE, -1, NULL, 0, 0, 2); s->addr = 0;
  nop(&r, 3, IOSQE_IO_DRAIN);
  printf("D7 remove multishot + NOP|DRAIN submit=%s\n", en(submit(&r, 0, 0)));
  uds("D7", cq, settle(&r));

  /* does a drain wait for an armed multishot timeout? */
  s = timeout(&r, &ms5, 10, 0); s->timeout_flags = IORING_TIMEOUT_MULTISHOT;
  submit(&r, 0, 0);
  nop(&r, 11, IOSQE_IO_DRAIN);
  nop(&r, 12, 0);
  printf("D8 NOP|DRAIN, NOP while a multishot timeout is armed submit=%s\n", en(submit(&r, 0, 0)));
  usleep(18000);
  n = reap(&r, cq, 64);
  int others = 0;
  for (int i = 0; i < n; i++) others += cq[i].user_data != 10;
  printf("D8 after 18 ms: %d multishot CQEs (F_MORE), %d others\n", n - others, others);
  s = get_sqe(&r); prep(s, IORING_OP_TIMEOUT_REMOVE, -1, NULL, 0, 0, 13); s->addr = 10;
  submit(&r, 0, 0);
  usleep(5000);
  n = reap(&r, cq, 64);
  others = 0;
  for (int i = 0; i < n; i++) others += cq[i].user_data != 10;
  printf("D8 5 ms after TIMEOUT_REMOVE: %d others\n", others);
  ring_exit(&r);
}

static void overflow(void) {
  struct ring r;
  struct io_uring_params p;
  memset(&p, 0, sizeof p);
  p.flags = IORING_SETUP_CQSIZE;
  p.cq_entries = 64;
  int e = ring_init_p(&r, 4, &p);
  printf("O1 CQSIZE=64 on 4: %s sq=%u cq=%u\n", en(e), r.p.sq_entries, r.p.cq_entries);
  memset(&p, 0, sizeof p);
  p.flags = IORING_SETUP_CQSIZE;
  p.cq_entries = 0;
  printf("O1 CQSIZE=0 on 4: %s\n", en(sys_setup(4, &p)));
  if (e == 0) ring_exit(&r);

  /* cq-full.c: 3 x 4 NOPs on a 4-entry ring, reaped as io_uring_peek_cqe does */
  ring_init(&r, 4, 0);
  for (int b = 0; b < 3; b++) {
    for (int i = 0; i < 4; i++) nop(&r, 4 * b + i, 0);
    printf("O2 batch %d submit=%s\n", b, en(submit(&r, 0, 0)));
  }
  int got = 0;
  for (;;) {
    int n = reap(&r, cq + got, 64);
    got += n;
    if (n == 0) {
      if (!(*r.sq_flags & IORING_SQ_CQ_OVERFLOW)) break;
      sys_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0);
    }
  }
  uds("O2 peeked", cq, got);
  printf("O2 overflow=%u sq_flags=0x%x\n", *r.cq_overflow, *r.sq_flags);

  /* 16 timeouts that complete after the submission, on the same ring */
  for (int b = 0; b < 4; b++) {
    for (int i = 0; i < 4; i++) timeout(&r, &ms5, 4 * b + i, 0);
    submit(&r, 0, 0);
  }
  usleep(30000);
  printf("O3 16 timeouts fired: ready=%u sq_flags=0x%x overflow=%u\n", cq_ready(&r), *r.sq_flags,
         *r.cq_overflow);
  nop(&r, 100, 0);
  int e2 = submit(&r, 0, 0);
  printf("O3 submit NOP without GETEVENTS=%s ready=%u flags=0x%x\n", en(e2), cq_ready(&r),
         *r.sq_flags);
  got = reap(&r, cq, 64);
  nop(&r, 101, 0);
  e2 = submit(&r, 0, IORING_ENTER_GETEVENTS);
  printf("O3 reaped %d, submit NOP with GETEVENTS min 0=%s ready=%u flags=0x%x\n", got, en(e2),
         cq_ready(&r), *r.sq_flags);
  got += reap(&r, cq + got, 64);
  sys_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0);
  got += reap(&r, cq + got, 64);
  uds("O3 all", cq, got);
  ring_exit(&r);
}

static void submit_all(void) {
  struct ring r;
  static char buf[32];
  for (int all = 1; all >= 0; all--) {
    ring_init(&r, 8, all ? IORING_SETUP_SUBMIT_ALL : 0);
    for (int i = 0; i < 4; i++) nop(&r, i, 0);
    for (int i = 0; i < 2; i++) {
      struct io_uring_sqe *s = get_sqe(&r);
      prep(s, IORING_OP_READ, 128, buf, sizeof buf, 0, 4 + i);
      s->ioprio = (unsigned short)-1;
    }
    int e = submit(&r, 0, 0);
    printf("S1 SUBMIT_ALL=%d 4 NOPs + 2 READ ioprio=-1 fd 128: enter=%s left=%u\n", all, en(e),
           *r.sq_tail - *r.sq_head);
    uds("S1", cq, reap(&r, cq, 64));
    ring_exit(&r);
  }
  ring_init(&r, 8, IORING_SETUP_SUBMIT_ALL);
  nop(&r, 1, IOSQE_IO_LINK);
  struct io_uring_sqe *s = get_sqe(&r); s->opcode = 200; s->user_data = 2;
  nop(&r, 3, 0);
  printf("S2 SUBMIT_ALL [NOP|LINK, BADOP, NOP]: enter=%s\n", en(submit(&r, 0, 0)));
  uds("S2", cq, reap(&r, cq, 64));

  nop(&r, 1, 0);
  nop(&r, 2, 0);
  nop(&r, 3, 0);
  r.sq_array[(r.sqe_tail - 2) & *r.sq_mask] = 1000;
  unsigned head = *r.sq_head;
  int e = submit(&r, 0, 0);
  printf("S3 SUBMIT_ALL [NOP, index 1000, NOP]: enter=%s head+%u dropped=%u\n", en(e),
         *r.sq_head - head, *r.sq_dropped);
  uds("S3", cq, reap(&r, cq, 64));
  e = submit(&r, 0, 0);
  printf("S3 second enter=%s\n", en(e));
  uds("S3", cq, reap(&r, cq, 64));

  nop(&r, 1, 0);
  s = get_sqe(&r); s->opcode = 200; s->user_data = 2;
  timeout(&r, &ms20, 3, 0);
  double t0 = now_s();
  e = submit(&r, 3, 0);
  printf("S4 SUBMIT_ALL [NOP, BADOP, TIMEOUT 20ms] enter(3, min 3, GETEVENTS)=%s", en(e));
  printf(" after >= %d ms\n", (int)((now_s() - t0) * 1000) / 10 * 10);
  uds("S4", cq, reap(&r, cq, 64));
  ring_exit(&r);
}

static void sq_full(void) {
  struct ring r;
  ring_init(&r, 8, 0);
  int n = 0;
  while (get_sqe(&r)) n++;
  printf("Q1 get_sqe on 8 entries: %d\n", n);
  /* publish a tail 12 past the head: the kernel takes at most sq_entries */
  for (int i = 0; i < 8; i++) r.sq_array[i] = i;
  atomic_store_explicit((_Atomic unsigned *)r.sq_tail, *r.sq_head + 12, memory_order_release);
  int e = sys_enter(r.fd, 12, 0, 0, NULL, 0);
  printf("Q2 tail = head + 12 on 8 entries, enter(12)=%s head=%u\n", en(e), *r.sq_head);
  uds("Q2", cq, reap(&r, cq, 64));
  e = sys_enter(r.fd, 12, 0, 0, NULL, 0);
  printf("Q2 again enter(12)=%s head=%u\n", en(e), *r.sq_head);
  reap(&r, cq, 64);
  printf("Q3 SQ_WAIT on a ring without SQPOLL: %s\n", en(sys_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAIT, NULL, 0)));
  ring_exit(&r);

  struct io_uring_params p;
  memset(&p, 0, sizeof p);
  p.flags = IORING_SETUP_SQPOLL;
  p.sq_thread_idle = 1000;
  if (ring_init_p(&r, 8, &p) < 0) return;
  printf("Q4 SQPOLL SQ_WAIT with an empty SQ: %s\n",
         en(sys_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAIT, NULL, 0)));
  /* sqwait.c: 2000 NOPs through an 8-entry SQPOLL ring, SQ_WAIT whenever get_sqe finds it full */
  int inflight = 0, waits = 0, fails = 0, total = 0;
  for (int i = 0; i < 2000; i++) {
    struct io_uring_sqe *s = get_sqe(&r);
    if (!s) {
      waits++;
      sys_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAIT, NULL, 0);
      s = get_sqe(&r);
      if (!s) { fails++; break; }
    }
    prep(s, IORING_OP_NOP, -1, NULL, 0, 0, i);
    publish(&r);
    inflight++;
    while (inflight >= 8) {
      int k = reap(&r, cq, 64);
      total += k;
      inflight -= k;
      if (!k) sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0);
    }
  }
  while (inflight > 0) {
    int k = reap(&r, cq, 64);
    total += k;
    inflight -= k;
    if (!k) sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0);
  }
  printf("Q4 sqwait: completed %d, no SQE after SQ_WAIT %d times\n", total, fails);
  ring_exit(&r);
}

static void skip(void) {
  struct ring r;
  ring_init(&r, 16, 0);
  const int L = IOSQE_IO_LINK, S = IOSQE_CQE_SKIP_SUCCESS;
  for (int i = 0; i < 4; i++) {
    int skip_last = i & 1, sz = (i & 2) ? 6 : 1;
    for (int j = 0; j < sz; j++) nop(&r, j, (j != sz - 1 || skip_last) ? L | S : 0);
    int e = submit(&r, 0, 0);
    char tag[64];
    snprintf(tag, sizeof tag, "K1 link_success sz=%d skip_last=%d enter=%d", sz, skip_last, e);
    uds(tag, cq, settle(&r));
  }
  for (int f = 3; f <= 5; f += 2) {
    for (int j = 0; j < 6; j++) {
      if (j == f) badwrite(&r, j, j != 5 ? L | S : 0);
      else nop(&r, j, j != 5 ? L | S : 0);
    }
    int e = submit(&r, 0, 0);
    char tag[64];
    snprintf(tag, sizeof tag, "K2 link_fail fail=%d enter=%d", f, e);
    uds(tag, cq, settle(&r));
  }
  static const int lt[][3] = {{1, 0, -1}, {6, 3, -1}, {6, 5, -1}, {6, 3, 3}, {6, 3, 2}, {6, 3, 4}};
  static struct __kernel_timespec sec = {1, 0};
  for (int a = 0; a < 2; a++) {
    for (int c = 0; c < 6; c++) {
      int nr = lt[c][0], tout = lt[c][1], fail = lt[c][2];
      for (int j = 0; j < nr; j++) {
        int fl = L | (a ? IOSQE_ASYNC : 0) | (j != nr - 1 ? S : 0);
        if (j == fail) badwrite(&r, j, fl);
        else nop(&r, j, fl);
        if (j == tout) ltimeout(&r, &sec, (unsigned long long)-1, L | S);
      }
      int e = submit(&r, 0, 0);
      char tag[96];
      snprintf(tag, sizeof tag, "K3 ltimeout_cancel nr=%d tout=%d fail=%d async=%d enter=%d", nr,
               tout, fail, a, e);
      uds(tag, cq, settle(&r));
    }
  }
  for (int i = 0; i < 8; i++) {
    int async = i & 1, skip_main = i & 2, skip_tout = i & 4;
    timeout(&r, &hour, 0, L | (async ? IOSQE_ASYNC : 0) | (skip_main ? S : 0));
    ltimeout(&r, &ms1, 1, skip_tout ? S : 0);
    int e = submit(&r, 0, 0);
    char tag[96];
    snprintf(tag, sizeof tag, "K4 ltimeout_fire async=%d skip_main=%d skip_tout=%d enter=%d", async,
             !!skip_main, !!skip_tout, e);
    uds(tag, cq, settle(&r));
  }
  for (int f = 0; f < 3; f++) {
    for (int k = 0; k < 3; k++) {
      for (int last = 0; last < 2; last++) {
        for (int j = 0; j < 7; j++) {
          int fl = (j != 6 || last) ? IOSQE_IO_HARDLINK : 0;
          if (j == 3 * k) fl |= S;
          if (j == 3 * f) badwrite(&r, j, fl);
          else nop(&r, j, fl);
        }
        int e = submit(&r, 0, 0);
        char tag[96];
        snprintf(tag, sizeof tag, "K5 hardlink fail=%d skip=%d hardlink_last=%d enter=%d", 3 * f,
                 3 * k, last, e);
        uds(tag, cq, settle(&r));
      }
    }
  }
  ring_exit(&r);
}

int main(void) {
  file = open("/tmp/feature-tests.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
  drain();
  overflow();
  submit_all();
  sq_full();
  skip();
  unlink("/tmp/feature-tests.dat");
  return 0;
}
