#include "ring.h"
#include <sys/mman.h>
struct rr { unsigned nr, flags; unsigned long long resv2, data, tags; };
struct up2 { unsigned offset, resv; unsigned long long data, tags; unsigned nr, resv2; };
int main(void){ struct ring R; ring_init(&R,8,0); struct io_uring_cqe c[8]; int k;
 char *mem=mmap(0,65536,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0);
 struct iovec iov[4]={{mem,4096},{0,0},{mem+8192,4096},{mem+12288,100}};
 struct up2 u={0}; u.data=(unsigned long)iov; u.nr=1;
 printf("update none -> %s\n", en(sys_reg(R.fd,16,&u,sizeof u)));
 struct rr r={0}; r.nr=4; r.flags=1; 
 printf("buffers2 size 16 -> %s\n", en(sys_reg(R.fd,15,&r,16)));
 printf("buffers2 sparse w/ data -> %s\n", (r.data=(unsigned long)iov, en(sys_reg(R.fd,15,&r,sizeof r))));
 r.data=0; r.nr=0; printf("buffers2 nr0 -> %s\n", en(sys_reg(R.fd,15,&r,sizeof r)));
 r.nr=4; r.flags=2; printf("buffers2 flags 2 -> %s\n", en(sys_reg(R.fd,15,&r,sizeof r)));
 r.flags=1; printf("buffers2 sparse 4 -> %s\n", en(sys_reg(R.fd,15,&r,sizeof r)));
 printf("buffers2 again -> %s\n", en(sys_reg(R.fd,15,&r,sizeof r)));
 { struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_READ_FIXED,0,mem,10,0,1); s->buf_index=0; submit(&R,1,IORING_ENTER_GETEVENTS); k=reap(&R,c,8); print_cqes("read_fixed sparse",c,k);} 
 u.offset=3; u.nr=2; printf("update past end -> %s\n", en(sys_reg(R.fd,16,&u,sizeof u)));
 u.offset=0; u.nr=4; printf("update 4 -> %s\n", en(sys_reg(R.fd,16,&u,sizeof u)));
 struct iovec bad[3]={{mem,4096},{0,5},{mem,10}}; u.data=(unsigned long)bad; u.nr=3; printf("update bad middle -> %s\n", en(sys_reg(R.fd,16,&u,sizeof u)));
 u.data=(unsigned long)(bad+1); u.nr=2; printf("update bad first -> %s\n", en(sys_reg(R.fd,16,&u,sizeof u)));
 u.nr=0; printf("update nr0 -> %s\n", en(sys_reg(R.fd,16,&u,sizeof u)));
 u.nr=1; printf("update size 16 -> %s\n", en(sys_reg(R.fd,16,&u,16)));
 u.nr=1; u.resv=1; printf("update resv -> %s\n", en(sys_reg(R.fd,16,&u,sizeof u))); u.resv=0;
 u.offset=0; u.data=0; u.nr=1; printf("update NULL data -> %s\n", en(sys_reg(R.fd,16,&u,sizeof u)));
 int fd=open("/tmp/probe7/data.txt",O_RDONLY);
 { struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_READ_FIXED,fd,mem+8192,10,0,2); s->buf_index=2; submit(&R,1,IORING_ENTER_GETEVENTS); k=reap(&R,c,8); print_cqes("read_fixed slot2",c,k);} 
 { struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_READ_FIXED,fd,mem,10,0,3); s->buf_index=1; submit(&R,1,IORING_ENTER_GETEVENTS); k=reap(&R,c,8); print_cqes("read_fixed slot1 empty",c,k);} 
 { struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_READ_FIXED,fd,mem,10,0,4); s->buf_index=0; submit(&R,1,IORING_ENTER_GETEVENTS); k=reap(&R,c,8); print_cqes("read_fixed slot0",c,k);} 
 struct iovec clr={0,0}; u.data=(unsigned long)&clr; u.offset=0; u.nr=1; printf("update clear 0 -> %s\n", en(sys_reg(R.fd,16,&u,sizeof u)));
 { struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_READ_FIXED,fd,mem,10,0,5); s->buf_index=0; submit(&R,1,IORING_ENTER_GETEVENTS); k=reap(&R,c,8); print_cqes("read_fixed slot0 cleared",c,k);} 
 ring_exit(&R); ring_init(&R,8,0);
 r.flags=0; r.data=(unsigned long)iov; r.nr=4; printf("buffers2 data 4 -> %s\n", en(sys_reg(R.fd,15,&r,sizeof r)));
 r.nr=2; r.data=0; r.flags=0; ring_exit(&R); ring_init(&R,8,0); printf("buffers2 NULL data not sparse -> %s\n", en(sys_reg(R.fd,15,&r,sizeof r)));
 r.tags=(unsigned long)iov; ring_exit(&R); ring_init(&R,8,0); r.flags=1; printf("buffers2 sparse w/ tags -> %s\n", en(sys_reg(R.fd,15,&r,sizeof r)));
 return 0; }
