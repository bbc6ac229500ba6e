/* REGISTER_RING_FDS, UNREGISTER_RING_FDS, IORING_ENTER_REGISTERED_RING and
 * IORING_REGISTER_USE_REGISTERED_RING: argument checks, slot choice, what a registered index
 * reaches after close(2) of the ring fd, and what another thread sees. */
#include "ring.h"
#include <pthread.h>

struct upd { unsigned offset, resv; unsigned long long data; };

static int reg(int fd, unsigned op, struct upd *u, unsigned nr) { return sys_reg(fd, op, u, nr); }

static struct ring R;
static int other_idx;

static void *other_thread(void *arg) {
  (void)arg;
  printf("R11 other thread, enter idx %d before it registers anything: %s\n", other_idx,
         en(sys_enter(other_idx, 0, 0, IORING_ENTER_REGISTERED_RING, NULL, 0)));
  struct upd u = {.offset = 7, .data = (unsigned)R.fd};
  printf("R12 other thread registers slot 7: %s\n", en(reg(R.fd, IORING_REGISTER_RING_FDS, &u, 1)));
  printf("R13 other thread, enter idx %d (the first thread's slot): %s\n", other_idx,
         en(sys_enter(other_idx, 0, 0, IORING_ENTER_REGISTERED_RING, NULL, 0)));
  printf("R14 other thread, enter idx 7: %s\n",
         en(sys_enter(7, 0, 0, IORING_ENTER_REGISTERED_RING, NULL, 0)));
  return NULL;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (ring_init(&R, 8, 0) < 0) { printf("no io_uring\n"); return 0; }
  struct io_uring_params p; memset(&p, 0, sizeof p);
  int probe_fd = sys_setup(4, &p);
  printf("F  features has REG_REG_RING (1<<13): %d\n", (p.features & (1U << 13)) != 0);
  struct upd u[20];

  printf("R1 before any registration, enter idx 0: %s\n",
         en(sys_enter(0, 0, 0, IORING_ENTER_REGISTERED_RING, NULL, 0)));
  printf("R2 nr 0: %s\n", en(reg(R.fd, IORING_REGISTER_RING_FDS, u, 0)));
  printf("R2 nr 17: %s\n", en(reg(R.fd, IORING_REGISTER_RING_FDS, u, 17)));
  printf("R2 NULL arg nr 1: %s\n", en(reg(R.fd, IORING_REGISTER_RING_FDS, NULL, 1)));
  memset(u, 0, sizeof u); u[0].offset = 16; u[0].data = R.fd;
  printf("R3 offset 16: %s\n", en(reg(R.fd, IORING_REGISTER_RING_FDS, u, 1)));
  memset(u, 0, sizeof u); u[0].offset = -1U; u[0].resv = 1; u[0].data = R.fd;
  printf("R3 resv 1: %s\n", en(reg(R.fd, IORING_REGISTER_RING_FDS, u, 1)));
  memset(u, 0, sizeof u); u[0].offset = -1U; u[0].data = 1; /* stdout */
  printf("R4 data = stdout: %s\n", en(reg(R.fd, IORING_REGISTER_RING_FDS, u, 1)));
  memset(u, 0, sizeof u); u[0].offset = -1U; u[0].data = 999;
  printf("R4 data = closed fd 999: %s\n", en(reg(R.fd, IORING_REGISTER_RING_FDS, u, 1)));
  memset(u, 0, sizeof u); u[0].offset = -1U; u[0].data = 0x100000000ULL | R.fd;
  printf("R4 data with high bits set: %s offset %u\n", en(reg(R.fd, IORING_REGISTER_RING_FDS, u, 1)), u[0].offset);

  memset(u, 0, sizeof u);
  u[0].offset = -1U; u[0].data = R.fd;
  u[1].offset = 3; u[1].data = probe_fd;
  u[2].offset = -1U; u[2].data = R.fd;
  int r = reg(R.fd, IORING_REGISTER_RING_FDS, u, 3);
  printf("R5 three (auto, 3, auto): %s offsets %u %u %u\n", en(r), u[0].offset, u[1].offset, u[2].offset);
  memset(u, 0, sizeof u); u[0].offset = 3; u[0].data = R.fd;
  printf("R6 slot 3 again: %s\n", en(reg(R.fd, IORING_REGISTER_RING_FDS, u, 1)));
  memset(u, 0, sizeof u); u[0].offset = 5; u[0].data = R.fd; u[1].offset = 3; u[1].data = R.fd;
  printf("R6 slot 5 then busy slot 3: %s offset[0] %u\n", en(reg(R.fd, IORING_REGISTER_RING_FDS, u, 2)), u[0].offset);
  memset(u, 0, sizeof u);
  for (int i = 0; i < 16; i++) { u[i].offset = -1U; u[i].data = R.fd; }
  r = reg(R.fd, IORING_REGISTER_RING_FDS, u, 16);
  printf("R7 sixteen more auto: %s (first offsets %u %u)\n", en(r), u[0].offset, u[1].offset);

  printf("R8 enter idx 16: %s\n", en(sys_enter(16, 0, 0, IORING_ENTER_REGISTERED_RING, NULL, 0)));
  printf("R8 enter idx -1: %s\n", en(sys_enter(-1, 0, 0, IORING_ENTER_REGISTERED_RING, NULL, 0)));
  printf("R8 enter idx 3 (probe ring): %s\n", en(sys_enter(3, 0, 0, IORING_ENTER_REGISTERED_RING, NULL, 0)));

  /* a NOP through the registered index, then after close(2) of the ring fd */
  struct io_uring_cqe c[4];
  prep(get_sqe(&R), IORING_OP_NOP, -1, NULL, 0, 0, 11); publish(&R);
  printf("R9 NOP via idx 0: enter %s\n", en(sys_enter(0, 1, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_REGISTERED_RING, NULL, 0)));
  printf("R9 reaped %d\n", reap(&R, c, 4));
  printf("R9 register through the registered index (USE_REGISTERED_RING) PROBE: %s\n",
         en(sys_reg(0, IORING_REGISTER_PROBE | (1U << 31), NULL, 0)));
  memset(u, 0, sizeof u); u[0].offset = 2;
  printf("R9 unregister slot 2 through idx 0 (USE_REGISTERED_RING): %s\n",
         en(sys_reg(0, IORING_UNREGISTER_RING_FDS | (1U << 31), u, 1)));
  printf("R9 USE_REGISTERED_RING with an empty idx 2: %s\n",
         en(sys_reg(2, IORING_REGISTER_PROBE | (1U << 31), NULL, 0)));
  printf("R9 USE_REGISTERED_RING with idx 16: %s\n",
         en(sys_reg(16, IORING_REGISTER_PROBE | (1U << 31), NULL, 0)));
  int fd = R.fd;
  close(R.fd);
  prep(get_sqe(&R), IORING_OP_NOP, -1, NULL, 0, 0, 12); publish(&R);
  printf("R10 after close(ring fd): enter via fd %s, via idx 0 %s\n",
         en(sys_enter(fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0)),
         en(sys_enter(0, 1, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_REGISTERED_RING, NULL, 0)));
  printf("R10 reaped %d\n", reap(&R, c, 4));

  other_idx = 0;
  pthread_t t; pthread_create(&t, NULL, other_thread, NULL); pthread_join(t, NULL);

  memset(u, 0, sizeof u);
  printf("U1 unregister nr 0: %s\n", en(sys_reg(0, IORING_UNREGISTER_RING_FDS | (1U << 31), u, 0)));
  printf("U1 unregister nr 17: %s\n", en(sys_reg(0, IORING_UNREGISTER_RING_FDS | (1U << 31), u, 17)));
  u[0].offset = 16;
  printf("U2 offset 16: %s\n", en(sys_reg(0, IORING_UNREGISTER_RING_FDS | (1U << 31), u, 1)));
  u[0].offset = 4; u[0].data = 1;
  printf("U2 data 1: %s\n", en(sys_reg(0, IORING_UNREGISTER_RING_FDS | (1U << 31), u, 1)));
  u[0].offset = 4; u[0].data = 0; u[0].resv = 1;
  printf("U2 resv 1: %s\n", en(sys_reg(0, IORING_UNREGISTER_RING_FDS | (1U << 31), u, 1)));
  memset(u, 0, sizeof u); u[0].offset = 9; u[1].offset = 16;
  printf("U3 slot 9 then offset 16: %s\n", en(sys_reg(0, IORING_UNREGISTER_RING_FDS | (1U << 31), u, 2)));
  memset(u, 0, sizeof u); u[0].offset = 9;
  printf("U3 slot 9 again (empty): %s\n", en(sys_reg(0, IORING_UNREGISTER_RING_FDS | (1U << 31), u, 1)));
  memset(u, 0, sizeof u); u[0].offset = 0;
  printf("U4 unregister idx 0 through idx 0 itself: %s\n", en(sys_reg(0, IORING_UNREGISTER_RING_FDS | (1U << 31), u, 1)));
  printf("U4 then enter idx 0: %s\n", en(sys_enter(0, 0, 0, IORING_ENTER_REGISTERED_RING, NULL, 0)));
  printf("U5 enter idx 1 (the ring, still registered): %s\n", en(sys_enter(1, 0, 0, IORING_ENTER_REGISTERED_RING, NULL, 0)));
  printf("U6 REGISTER_RING_FDS from a non-ring fd: %s\n", en(reg(1, IORING_REGISTER_RING_FDS, u, 1)));
  return 0;
}
