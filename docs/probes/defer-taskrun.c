/* IORING_SETUP_DEFER_TASKRUN: which flag combinations setup takes, and what another thread may do
 * with such a ring (submit, wait, register), next to a SINGLE_ISSUER ring without it. */
#include "ring.h"
#include <pthread.h>

#ifndef IORING_SETUP_DEFER_TASKRUN
#define IORING_SETUP_DEFER_TASKRUN (1U << 13)
#endif

static struct ring R;

static int try_setup(unsigned flags) {
  struct io_uring_params p; memset(&p, 0, sizeof p); p.flags = flags;
  int fd = sys_setup(4, &p);
  if (fd >= 0) close(fd);
  return fd >= 0 ? 0 : fd;
}

static void *other(void *arg) {
  const char *tag = arg;
  printf("%s other thread: enter(0, 0, GETEVENTS) %s\n", tag, en(sys_enter(R.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0)));
  if (strstr(tag, "DEFER")) /* without DEFER_TASKRUN this would wait: another thread may */
    printf("%s other thread: enter(0, 1, GETEVENTS) %s\n", tag, en(sys_enter(R.fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0)));
  printf("%s other thread: enter(0, 0, 0) %s\n", tag, en(sys_enter(R.fd, 0, 0, 0, NULL, 0)));
  prep(get_sqe(&R), IORING_OP_NOP, -1, NULL, 0, 0, 5); publish(&R);
  printf("%s other thread: enter(1, 0, 0) %s\n", tag, en(sys_enter(R.fd, 1, 0, 0, NULL, 0)));
  printf("%s other thread: register PROBE %s\n", tag, en(sys_reg(R.fd, IORING_REGISTER_PROBE, NULL, 0)));
  return NULL;
}

static void threads(const char *tag, unsigned flags) {
  if (ring_init(&R, 8, flags) < 0) { printf("%s setup failed\n", tag); return; }
  pthread_t t; pthread_create(&t, NULL, other, (void *)tag); pthread_join(t, NULL);
  struct io_uring_cqe c[8];
  printf("%s own thread: enter(1, 1, GETEVENTS) after the other's NOP left queued: %s\n", tag,
         en(sys_enter(R.fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0)));
  printf("%s reaped %d\n", tag, reap(&R, c, 8));
  ring_exit(&R);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("S1 DEFER_TASKRUN alone: %s\n", en(try_setup(IORING_SETUP_DEFER_TASKRUN)));
  printf("S2 DEFER_TASKRUN|SINGLE_ISSUER: %s\n", en(try_setup(IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER)));
  printf("S3 + COOP_TASKRUN: %s\n", en(try_setup(IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN)));
  printf("S4 + TASKRUN_FLAG (no COOP): %s\n", en(try_setup(IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_TASKRUN_FLAG)));
  printf("S5 + SQPOLL: %s\n", en(try_setup(IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_SQPOLL)));
  printf("S6 + R_DISABLED: %s\n", en(try_setup(IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_R_DISABLED)));
  printf("S7 TASKRUN_FLAG alone: %s\n", en(try_setup(IORING_SETUP_TASKRUN_FLAG)));
  threads("T1 SINGLE_ISSUER", IORING_SETUP_SINGLE_ISSUER);
  threads("T2 SINGLE_ISSUER|DEFER_TASKRUN", IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);

  /* a NOP completes inline: is its CQE there before any GETEVENTS? */
  ring_init(&R, 8, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
  prep(get_sqe(&R), IORING_OP_NOP, -1, NULL, 0, 0, 7); publish(&R);
  int r = sys_enter(R.fd, 1, 0, 0, NULL, 0);
  printf("C1 DEFER: enter(1, 0, 0) %s, cq ready right after: %u\n", en(r), cq_ready(&R));
  r = sys_enter(R.fd, 0, 0, 0, NULL, 0);
  printf("C2 DEFER: enter(0, 0, 0) %s, ready %u\n", en(r), cq_ready(&R));
  r = sys_enter(R.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0);
  printf("C3 DEFER: enter(0, 0, GETEVENTS) %s, ready %u\n", en(r), cq_ready(&R));
  struct io_uring_cqe c[8];
  reap(&R, c, 8);
  ring_exit(&R);

  /* TASKRUN_FLAG: when IORING_SQ_TASKRUN shows, for an inline NOP and for a timeout that fires */
  ring_init(&R, 8, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG);
  prep(get_sqe(&R), IORING_OP_NOP, -1, NULL, 0, 0, 8); publish(&R);
  sys_enter(R.fd, 1, 0, 0, NULL, 0);
  printf("K1 after a NOP without GETEVENTS: TASKRUN %d, ready %u\n", (*R.sq_flags & IORING_SQ_TASKRUN) != 0, cq_ready(&R));
  sys_enter(R.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0);
  printf("K2 after GETEVENTS: TASKRUN %d, ready %u\n", (*R.sq_flags & IORING_SQ_TASKRUN) != 0, cq_ready(&R));
  reap(&R, c, 8);
  struct __kernel_timespec ts = {0, 1000000};
  prep(get_sqe(&R), IORING_OP_TIMEOUT, -1, &ts, 1, 0, 9); publish(&R);
  r = sys_enter(R.fd, 1, 0, 0, NULL, 0);
  printf("K3 submit a 1 ms timeout: %s\n", en(r));
  usleep(20000);
  printf("K4 20 ms later, no enter: TASKRUN %d, ready %u\n", (*R.sq_flags & IORING_SQ_TASKRUN) != 0, cq_ready(&R));
  r = sys_enter(R.fd, 0, 0, 0, NULL, 0);
  printf("K4b enter(0, 0, 0): %s, TASKRUN %d, ready %u\n", en(r), (*R.sq_flags & IORING_SQ_TASKRUN) != 0, cq_ready(&R));
  r = sys_enter(R.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0);
  printf("K5 enter(0, 0, GETEVENTS): %s, TASKRUN %d, ready %u\n", en(r), (*R.sq_flags & IORING_SQ_TASKRUN) != 0, cq_ready(&R));
  int n = reap(&R, c, 8);
  print_cqes("K5", c, n);
  prep(get_sqe(&R), IORING_OP_TIMEOUT, -1, &ts, 1, 0, 10); publish(&R);
  r = sys_enter(R.fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0);
  printf("K6 submit a 1 ms timeout and wait for it: %s, TASKRUN %d, ready %u\n", en(r), (*R.sq_flags & IORING_SQ_TASKRUN) != 0, cq_ready(&R));
  ring_exit(&R);
  return 0;
}
