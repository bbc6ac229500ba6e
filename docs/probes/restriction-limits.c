#include "ring.h"
int main(void){ struct ring R; struct io_uring_restriction rs[200]; memset(rs,0,sizeof rs);
 for (int n=100;n<112;n++){ ring_init(&R,8,IORING_SETUP_R_DISABLED); int ret=sys_reg(R.fd,IORING_REGISTER_RESTRICTIONS,rs,n); printf("%d->%s ",n,en(ret)); ring_exit(&R);} 
 ring_init(&R,8,IORING_SETUP_R_DISABLED); int ret=sys_reg(R.fd,IORING_REGISTER_RESTRICTIONS,(void*)8,1); printf("\nbad ptr -> %s\n",en(ret));
 ret=sys_reg(R.fd,IORING_REGISTER_RESTRICTIONS,rs,0); printf("nr 0 -> %s\n",en(ret)); sys_reg(R.fd,IORING_REGISTER_ENABLE_RINGS,NULL,0);
 struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_NOP,0,0,0,0,1); unsigned p=publish(&R); ret=sys_enter(R.fd,p,1,IORING_ENTER_GETEVENTS,NULL,0); struct io_uring_cqe c[4]; int k=reap(&R,c,4); printf("after nr0 restrictions: NOP -> %s ",en(ret)); print_cqes("",c,k);
 ret=sys_reg(R.fd,IORING_REGISTER_PROBE,NULL,0); printf("probe after nr0 -> %s\n",en(ret));
 struct io_uring_params pp; memset(&pp,0,sizeof pp); pp.flags=IORING_SETUP_SQPOLL|IORING_SETUP_COOP_TASKRUN; printf("SQPOLL|COOP -> %s\n", en(sys_setup(8,&pp)));
 memset(&pp,0,sizeof pp); pp.flags=IORING_SETUP_TASKRUN_FLAG; printf("TASKRUN_FLAG alone -> %s\n", en(sys_setup(8,&pp)));
 memset(&pp,0,sizeof pp); pp.flags=IORING_SETUP_SQPOLL|IORING_SETUP_SINGLE_ISSUER; printf("SQPOLL|SI -> %s\n", en(sys_setup(8,&pp)));
 return 0;}
