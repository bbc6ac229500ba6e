#include "ring.h"
#include <pthread.h>
static struct ring R; static int res_enter, res_reg, res_wait;
static void *other(void *a){ struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_NOP,0,0,0,0,9); unsigned n=publish(&R);
  res_enter=sys_enter(R.fd,n,0,0,NULL,0); res_wait=sys_enter(R.fd,0,0,IORING_ENTER_GETEVENTS,NULL,0);
  res_reg=sys_reg(R.fd,IORING_REGISTER_PROBE,NULL,0); return 0; }
int main(void){ struct io_uring_cqe c[8]; int ret; pthread_t t;
  ret=ring_init(&R,8,IORING_SETUP_SINGLE_ISSUER); printf("SI setup -> %s\n", en(ret));
  pthread_create(&t,0,other,0); pthread_join(t,0);
  printf("SI other thread: enter(1) -> %s, enter(0,GETEVENTS) -> %s, register probe(NULL) -> %s\n", en(res_enter), en(res_wait), en(res_reg));
  ret=sys_enter(R.fd,1,1,IORING_ENTER_GETEVENTS,NULL,0); int k=reap(&R,c,8); printf("SI owner enter -> %s ",en(ret)); print_cqes("",c,k); ring_exit(&R);
  /* R_DISABLED + SINGLE_ISSUER: enabling thread becomes submitter */
  ret=ring_init(&R,8,IORING_SETUP_SINGLE_ISSUER|IORING_SETUP_R_DISABLED); printf("SI|RD setup -> %s\n", en(ret));
  ret=sys_reg(R.fd,IORING_REGISTER_ENABLE_RINGS,(void*)1,0); printf("ENABLE arg!=0 -> %s\n", en(ret));
  ret=sys_reg(R.fd,IORING_REGISTER_ENABLE_RINGS,NULL,1); printf("ENABLE nr!=0 -> %s\n", en(ret));
  ret=sys_reg(R.fd,IORING_REGISTER_ENABLE_RINGS,NULL,0); printf("ENABLE -> %s\n", en(ret)); ring_exit(&R);
  /* restrictions */
  ret=ring_init(&R,8,0); struct io_uring_restriction rs[4]; memset(rs,0,sizeof rs);
  ret=sys_reg(R.fd,IORING_REGISTER_RESTRICTIONS,rs,1); printf("RESTR on enabled ring -> %s\n", en(ret)); ring_exit(&R);
  ring_init(&R,8,IORING_SETUP_R_DISABLED);
  ret=sys_reg(R.fd,IORING_REGISTER_RESTRICTIONS,NULL,1); printf("RESTR NULL -> %s\n", en(ret));
  ret=sys_reg(R.fd,IORING_REGISTER_RESTRICTIONS,rs,200); printf("RESTR nr 200 -> %s\n", en(ret));
  rs[0].opcode=9; ret=sys_reg(R.fd,IORING_REGISTER_RESTRICTIONS,rs,1); printf("RESTR bad kind -> %s\n", en(ret));
  rs[0].opcode=IORING_RESTRICTION_SQE_OP; rs[0].sqe_op=63; ret=sys_reg(R.fd,IORING_REGISTER_RESTRICTIONS,rs,1); printf("RESTR sqe_op 63 -> %s\n", en(ret));
  rs[0].opcode=IORING_RESTRICTION_REGISTER_OP; rs[0].register_op=38; ret=sys_reg(R.fd,IORING_REGISTER_RESTRICTIONS,rs,1); printf("RESTR reg_op 38 -> %s\n", en(ret));
  rs[0].opcode=IORING_RESTRICTION_SQE_OP; rs[0].sqe_op=IORING_OP_NOP; rs[0].resv=1;
  rs[1].opcode=IORING_RESTRICTION_SQE_FLAGS_ALLOWED; rs[1].sqe_flags=IOSQE_IO_LINK;
  rs[2].opcode=IORING_RESTRICTION_REGISTER_OP; rs[2].register_op=IORING_REGISTER_PROBE;
  ret=sys_reg(R.fd,IORING_REGISTER_RESTRICTIONS,rs,3); printf("RESTR nop+link+probe (resv=1) -> %s\n", en(ret));
  ret=sys_reg(R.fd,IORING_REGISTER_RESTRICTIONS,rs,3); printf("RESTR again -> %s\n", en(ret));
  ret=sys_reg(R.fd,IORING_REGISTER_FILES,(int[]){-1},1); printf("REGISTER_FILES before enable -> %s\n", en(ret));
  ret=sys_reg(R.fd,IORING_REGISTER_ENABLE_RINGS,NULL,0); printf("ENABLE -> %s\n", en(ret));
  ret=sys_reg(R.fd,IORING_UNREGISTER_FILES,NULL,0); printf("UNREGISTER_FILES restricted -> %s\n", en(ret));
  ret=sys_reg(R.fd,IORING_REGISTER_ENABLE_RINGS,NULL,0); printf("ENABLE again restricted -> %s\n", en(ret));
  char pb[16+8*64]; memset(pb,0,sizeof pb); ret=sys_reg(R.fd,IORING_REGISTER_PROBE,pb,64); printf("PROBE allowed -> %s\n", en(ret));
  ret=sys_reg(R.fd,200,NULL,0); printf("reg 200 restricted -> %s\n", en(ret));
  { struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_NOP,0,0,0,0,1); s->flags=IOSQE_IO_LINK;
    s=get_sqe(&R); prep(s,IORING_OP_NOP,0,0,0,0,2); s->flags=IOSQE_IO_DRAIN;
    s=get_sqe(&R); prep(s,IORING_OP_READ,0,0,0,0,3);
    s=get_sqe(&R); prep(s,IORING_OP_NOP,0,0,0,0,4); s->flags=0x80;
    s=get_sqe(&R); prep(s,IORING_OP_NOP,0,0,0,0,5); s->flags=IOSQE_BUFFER_SELECT;
    unsigned n=publish(&R); ret=sys_enter(R.fd,n,0,0,NULL,0); sleep(0); k=reap(&R,c,8); printf("restricted batch -> %s ",en(ret)); print_cqes("",c,k);}
  ring_exit(&R);
  /* required flags */
  ring_init(&R,8,IORING_SETUP_R_DISABLED); memset(rs,0,sizeof rs);
  rs[0].opcode=IORING_RESTRICTION_SQE_OP; rs[0].sqe_op=IORING_OP_NOP;
  rs[1].opcode=IORING_RESTRICTION_SQE_FLAGS_REQUIRED; rs[1].sqe_flags=IOSQE_ASYNC;
  ret=sys_reg(R.fd,IORING_REGISTER_RESTRICTIONS,rs,2); printf("RESTR required ASYNC -> %s\n", en(ret)); sys_reg(R.fd,IORING_REGISTER_ENABLE_RINGS,NULL,0);
  { struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_NOP,0,0,0,0,1); s=get_sqe(&R); prep(s,IORING_OP_NOP,0,0,0,0,2); s->flags=IOSQE_ASYNC;
    unsigned n=publish(&R); ret=sys_enter(R.fd,n,0,0,NULL,0); usleep(10000); k=reap(&R,c,8); printf("required batch -> %s ",en(ret)); print_cqes("",c,k);}
  ring_exit(&R);
  ret=ring_init(&R,8,IORING_SETUP_COOP_TASKRUN|IORING_SETUP_TASKRUN_FLAG); printf("COOP|TASKRUN_FLAG -> %s sq_flags=0x%x\n", en(ret), ret>=0?*R.sq_flags:0);
  return 0; }
