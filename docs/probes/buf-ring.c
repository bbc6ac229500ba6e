#include "ring.h"
#include <sys/mman.h>
struct xreg { unsigned long long ring_addr; unsigned ring_entries; unsigned short bgid, flags; unsigned long long resv[3]; } rg;
struct xstatus { unsigned buf_group, head, resv[8]; };
#define XSTATUS 26
static int reg(struct ring *r, void *addr, unsigned entries, int bgid, int flags){ memset(&rg,0,sizeof rg); rg.ring_addr=(unsigned long)addr; rg.ring_entries=entries; rg.bgid=bgid; rg.flags=flags; return sys_reg(r->fd,IORING_REGISTER_PBUF_RING,&rg,1);}
int main(void){ struct ring R; ring_init(&R,8,0); struct io_uring_cqe c[8]; int k, ret;
 char *mem=mmap(0,65536,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0); char data[64];
 printf("entries 3 -> %s\n", en(reg(&R,mem,3,1,0)));
 printf("entries 65536 -> %s\n", en(reg(&R,mem,65536,1,0)));
 printf("entries 0 -> %s\n", en(reg(&R,mem,0,1,0)));
 printf("misaligned addr+16 -> %s\n", en(reg(&R,mem+16,4,1,0)));
 printf("NULL addr -> %s\n", en(reg(&R,0,4,1,0)));
 printf("flags 4 -> %s\n", en(reg(&R,mem,4,1,4)));
 memset(&rg,0,sizeof rg); rg.ring_addr=(unsigned long)mem; rg.ring_entries=4; rg.bgid=1; rg.resv[0]=1; printf("resv -> %s\n", en(sys_reg(R.fd,IORING_REGISTER_PBUF_RING,&rg,1)));
 printf("nr 2 -> %s\n", en(sys_reg(R.fd,IORING_REGISTER_PBUF_RING,&rg,2)));
 printf("ok bgid 1 -> %s\n", en(reg(&R,mem,4,1,0)));
 printf("again bgid 1 -> %s\n", en(reg(&R,mem+4096,4,1,0)));
 /* legacy group 2 then ring on 2 */
 { struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_PROVIDE_BUFFERS,1,mem+8192,64,0,5); s->buf_group=2; submit(&R,1,IORING_ENTER_GETEVENTS); k=reap(&R,c,8); print_cqes("provide g2",c,k);} 
 printf("ring on legacy g2 -> %s\n", en(reg(&R,mem+4096,4,2,0)));
 { struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_PROVIDE_BUFFERS,1,mem+8192,64,0,6); s->buf_group=1; submit(&R,1,IORING_ENTER_GETEVENTS); k=reap(&R,c,8); print_cqes("provide on ring g1",c,k);} 
 { struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_REMOVE_BUFFERS,1,0,0,0,7); s->buf_group=1; submit(&R,1,IORING_ENTER_GETEVENTS); k=reap(&R,c,8); print_cqes("remove on ring g1",c,k);} 
 /* fill ring bgid 1: two buffers */
 struct io_uring_buf *b=(void*)mem; b[0].addr=(unsigned long)(mem+16384); b[0].len=5; b[0].bid=11; b[1].addr=(unsigned long)(mem+20480); b[1].len=100; b[1].bid=12;
 int fd=open("/tmp/probe7/data.txt",O_RDWR|O_CREAT|O_TRUNC,0644); write(fd,"hello world",11);
 __atomic_store_n((unsigned short*)(mem+14),(unsigned short)2,__ATOMIC_RELEASE);
 struct xstatus st; memset(&st,0,sizeof st); st.buf_group=1; ret=sys_reg(R.fd,XSTATUS,&st,1); printf("status -> %s head=%u\n", en(ret), st.head);
 { struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_READ,fd,0,0,0,8); s->flags=IOSQE_BUFFER_SELECT; s->buf_group=1; submit(&R,1,IORING_ENTER_GETEVENTS); k=reap(&R,c,8); print_cqes("read len0",c,k); printf(" data=%.5s\n", mem+16384);} 
 { struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_READ,-5,0,3,0,9); s->flags=IOSQE_BUFFER_SELECT; s->buf_group=1; submit(&R,1,IORING_ENTER_GETEVENTS); k=reap(&R,c,8); print_cqes("read badfd",c,k);} 
 { struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_WRITE,fd,0,3,0,10); s->flags=IOSQE_BUFFER_SELECT; s->buf_group=1; submit(&R,1,IORING_ENTER_GETEVENTS); k=reap(&R,c,8); print_cqes("write bufsel",c,k);} 
 st.head=0; ret=sys_reg(R.fd,XSTATUS,&st,1); printf("status -> %s head=%u\n", en(ret), st.head);
 { struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_READ,fd,0,3,0,11); s->flags=IOSQE_BUFFER_SELECT; s->buf_group=1; submit(&R,1,IORING_ENTER_GETEVENTS); k=reap(&R,c,8); print_cqes("read len3",c,k); printf(" data=%.3s\n", mem+20480);} 
 { struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_READ,fd,0,3,0,12); s->flags=IOSQE_BUFFER_SELECT; s->buf_group=1; submit(&R,1,IORING_ENTER_GETEVENTS); k=reap(&R,c,8); print_cqes("read empty",c,k);} 
 st.head=0; ret=sys_reg(R.fd,XSTATUS,&st,1); printf("status -> %s head=%u\n", en(ret), st.head);
 st.buf_group=2; printf("status legacy -> %s\n", en(sys_reg(R.fd,XSTATUS,&st,1)));
 st.buf_group=9; printf("status none -> %s\n", en(sys_reg(R.fd,XSTATUS,&st,1)));
 st.buf_group=1; st.resv[0]=1; printf("status resv -> %s\n", en(sys_reg(R.fd,XSTATUS,&st,1)));
 memset(&rg,0,sizeof rg); rg.bgid=2; printf("unreg legacy -> %s\n", en(sys_reg(R.fd,IORING_UNREGISTER_PBUF_RING,&rg,1)));
 rg.bgid=9; printf("unreg none -> %s\n", en(sys_reg(R.fd,IORING_UNREGISTER_PBUF_RING,&rg,1)));
 rg.bgid=1; rg.ring_entries=4; printf("unreg g1 w/ entries -> %s\n", en(sys_reg(R.fd,IORING_UNREGISTER_PBUF_RING,&rg,1)));
 rg.ring_entries=0; rg.resv[1]=1; printf("unreg g1 resv -> %s\n", en(sys_reg(R.fd,IORING_UNREGISTER_PBUF_RING,&rg,1)));
 rg.resv[1]=0; printf("unreg g1 -> %s\n", en(sys_reg(R.fd,IORING_UNREGISTER_PBUF_RING,&rg,1)));
 printf("unreg g1 again -> %s\n", en(sys_reg(R.fd,IORING_UNREGISTER_PBUF_RING,&rg,1)));
 /* wraparound: 2 entries ring, tail beyond */
 printf("reg 2 entries -> %s\n", en(reg(&R,mem,2,3,0)));
 for (int i=0;i<2;i++){ b[i].addr=(unsigned long)(mem+16384+i*64); b[i].len=64; b[i].bid=20+i; }
 __atomic_store_n((unsigned short*)(mem+14),(unsigned short)5,__ATOMIC_RELEASE);
 for (int i=0;i<4;i++){ struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_READ,fd,0,1,0,20+i); s->flags=IOSQE_BUFFER_SELECT; s->buf_group=3; submit(&R,1,IORING_ENTER_GETEVENTS); k=reap(&R,c,8); print_cqes("wrap",c,k);} 
 return 0;}
