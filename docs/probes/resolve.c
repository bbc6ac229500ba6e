/* openat2 through io_uring with the RESOLVE_* flags, and ".." after a symlink in a plain openat:
 * how Linux walks a path step by step. Builds its tree under /tmp/probe-resolve. */
#include "ring.h"
#include <linux/openat2.h>
#ifndef RESOLVE_CACHED
#define RESOLVE_CACHED 0x20
#endif
static struct ring R;
static int dirfd_;
static int op2(const char *what, int dfd, const char *path, unsigned long long flags, unsigned long long resolve){
  struct open_how how; memset(&how,0,sizeof how); how.flags=flags; how.resolve=resolve;
  if (flags & O_CREAT) how.mode=0644;
  struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_OPENAT2,dfd,path,sizeof how,(unsigned long)&how,1);
  submit(&R,1,IORING_ENTER_GETEVENTS); struct io_uring_cqe c; reap(&R,&c,1);
  char where[256]="";
  if (c.res>=0){ char l[64]; snprintf(l,64,"/proc/self/fd/%d",c.res); ssize_t n=readlink(l,where,255); if(n>0) where[n]=0; close(c.res);}
  printf("%-58s -> %s %s\n", what, en(c.res), where);
  return c.res;
}
static int op1(const char *what, int dfd, const char *path, int flags){
  struct io_uring_sqe *s=get_sqe(&R); prep(s,IORING_OP_OPENAT,dfd,path,0,0,1); s->open_flags=flags; if(flags&O_CREAT) s->len=0644;
  submit(&R,1,IORING_ENTER_GETEVENTS); struct io_uring_cqe c; reap(&R,&c,1);
  char where[256]="";
  if (c.res>=0){ char l[64]; snprintf(l,64,"/proc/self/fd/%d",c.res); ssize_t n=readlink(l,where,255); if(n>0) where[n]=0; close(c.res);}
  printf("%-58s -> %s %s\n", what, en(c.res), where);
  return c.res;
}
int main(void){
  system("rm -rf /tmp/probe-resolve && mkdir -p /tmp/probe-resolve/d/sub/deep/er /tmp/probe-resolve/d/sub/x"
         " && echo f > /tmp/probe-resolve/d/f && echo out > /tmp/probe-resolve/outside"
         " && echo deepf > /tmp/probe-resolve/d/sub/deep/f"
         " && cd /tmp/probe-resolve/d && ln -s /tmp/probe-resolve/outside abs && ln -s ../outside up"
         " && ln -s ../f sub/tof && ln -s sub/deep/er deeplink && ln -s /f rootf && ln -s ../../f up2"
         " && ln -s loop1 loop2 && ln -s loop2 loop1 && ln -s nothere dangling && ln -s sub sublink");
  ring_init(&R,8,0);
  dirfd_=open("/tmp/probe-resolve/d",O_RDONLY|O_DIRECTORY);
  int B=RESOLVE_BENEATH, I=RESOLVE_IN_ROOT;
  op2("BENEATH f", dirfd_, "f", O_RDONLY, B);
  op2("BENEATH /tmp/probe-resolve/d/f (absolute)", dirfd_, "/tmp/probe-resolve/d/f", O_RDONLY, B);
  op2("BENEATH ../d/f", dirfd_, "../d/f", O_RDONLY, B);
  op2("BENEATH sub/../f", dirfd_, "sub/../f", O_RDONLY, B);
  op2("BENEATH abs (-> absolute outside)", dirfd_, "abs", O_RDONLY, B);
  op2("BENEATH up (-> ../outside)", dirfd_, "up", O_RDONLY, B);
  op2("BENEATH sub/tof (-> ../f, stays beneath)", dirfd_, "sub/tof", O_RDONLY, B);
  op2("BENEATH deeplink/../f (physical .. = sub/deep/f)", dirfd_, "deeplink/../f", O_RDONLY, B);
  op2("BENEATH deeplink/../../.. (physical = d)", dirfd_, "deeplink/../../..", O_RDONLY|O_DIRECTORY, B);
  op2("BENEATH deeplink/../../../.. (above)", dirfd_, "deeplink/../../../..", O_RDONLY|O_DIRECTORY, B);
  op2("BENEATH missing/../f", dirfd_, "missing/../f", O_RDONLY, B);
  op2("BENEATH f/x (file as dir)", dirfd_, "f/x", O_RDONLY, B);
  op2("BENEATH rootf (-> /f)", dirfd_, "rootf", O_RDONLY, B);
  op2("BENEATH up2 (-> ../../f)", dirfd_, "up2", O_RDONLY, B);
  op2("BENEATH loop1", dirfd_, "loop1", O_RDONLY, B);
  op2("BENEATH dangling O_CREAT", dirfd_, "dangling", O_RDWR|O_CREAT, B);
  system("rm -f /tmp/probe-resolve/d/nothere");
  op2("BENEATH abs O_NOFOLLOW|O_PATH", dirfd_, "abs", O_PATH|O_NOFOLLOW, B);
  op2("BENEATH abs O_NOFOLLOW", dirfd_, "abs", O_RDONLY|O_NOFOLLOW, B);
  op2("BENEATH abs O_CREAT|O_EXCL", dirfd_, "abs", O_RDWR|O_CREAT|O_EXCL, B);
  op2("BENEATH . ", dirfd_, ".", O_RDONLY|O_DIRECTORY, B);
  op2("BENEATH .. ", dirfd_, "..", O_RDONLY|O_DIRECTORY, B);
  op2("BENEATH sublink/.. (physical = d)", dirfd_, "sublink/..", O_RDONLY|O_DIRECTORY, B);
  op2("BENEATH AT_FDCWD f (cwd = d)", (chdir("/tmp/probe-resolve/d"),AT_FDCWD), "f", O_RDONLY, B);
  op2("BENEATH AT_FDCWD ../outside", AT_FDCWD, "../outside", O_RDONLY, B);
  op2("IN_ROOT f", dirfd_, "f", O_RDONLY, I);
  op2("IN_ROOT /f (absolute = root)", dirfd_, "/f", O_RDONLY, I);
  op2("IN_ROOT ../../f", dirfd_, "../../f", O_RDONLY, I);
  op2("IN_ROOT abs (-> /tmp/probe-resolve/outside, under root)", dirfd_, "abs", O_RDONLY, I);
  op2("IN_ROOT up (-> ../outside)", dirfd_, "up", O_RDONLY, I);
  op2("IN_ROOT rootf (-> /f)", dirfd_, "rootf", O_RDONLY, I);
  op2("IN_ROOT up2 (-> ../../f)", dirfd_, "up2", O_RDONLY, I);
  op2("IN_ROOT deeplink/../f", dirfd_, "deeplink/../f", O_RDONLY, I);
  op2("IN_ROOT deeplink/../../../../f", dirfd_, "deeplink/../../../../f", O_RDONLY, I);
  op2("IN_ROOT abs O_CREAT (creates under root)", dirfd_, "abs", O_RDWR|O_CREAT, I);
  system("ls -R /tmp/probe-resolve/d/tmp 2>/dev/null | head -3; rm -rf /tmp/probe-resolve/d/tmp");
  op2("BENEATH|IN_ROOT", dirfd_, "f", O_RDONLY, B|I);
  op2("NO_SYMLINKS sub/tof", dirfd_, "sub/tof", O_RDONLY, RESOLVE_NO_SYMLINKS);
  op2("NO_SYMLINKS sublink/deep/f", dirfd_, "sublink/deep/f", O_RDONLY, RESOLVE_NO_SYMLINKS);
  op2("NO_SYMLINKS abs O_PATH|O_NOFOLLOW", dirfd_, "abs", O_PATH|O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
  op2("NO_SYMLINKS abs O_NOFOLLOW", dirfd_, "abs", O_RDONLY|O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
  op2("NO_SYMLINKS sub/deep/f", dirfd_, "sub/deep/f", O_RDONLY, RESOLVE_NO_SYMLINKS);
  op2("NO_SYMLINKS missing", dirfd_, "missing", O_RDONLY, RESOLVE_NO_SYMLINKS);
  op2("NO_SYMLINKS dangling O_CREAT", dirfd_, "dangling", O_RDWR|O_CREAT, RESOLVE_NO_SYMLINKS);
  op2("CACHED f", dirfd_, "f", O_RDONLY, RESOLVE_CACHED);
  op2("CACHED f O_CREAT", dirfd_, "f", O_RDWR|O_CREAT, RESOLVE_CACHED);
  op2("CACHED f O_TRUNC", dirfd_, "f", O_RDWR|O_TRUNC, RESOLVE_CACHED);
  op2("CACHED new O_CREAT", dirfd_, "new", O_RDWR|O_CREAT, RESOLVE_CACHED);
  op2("CACHED missing", dirfd_, "missing", O_RDONLY, RESOLVE_CACHED);
  op2("CACHED|BENEATH abs", dirfd_, "abs", O_RDONLY, RESOLVE_CACHED|B);
  op2("resolve 0x40 (unknown)", dirfd_, "f", O_RDONLY, 0x40);
  op1("openat deeplink/../f (no flags: physical)", dirfd_, "deeplink/../f", O_RDONLY);
  op1("openat sublink/../f (no flags)", dirfd_, "sublink/../f", O_RDONLY);
  op1("openat deeplink/.. (no flags)", dirfd_, "deeplink/..", O_RDONLY|O_DIRECTORY);
  op1("openat missing/../f (no flags)", dirfd_, "missing/../f", O_RDONLY);
  op1("openat f/../f (file then ..)", dirfd_, "f/../f", O_RDONLY);
  op1("openat up2 (no flags, -> ../../f)", dirfd_, "up2", O_RDONLY);
  /* The last component's type decides before anything else is looked at. */
  {
    struct { const char *what; int op; const char *path; const char *path2; int flags; } t[] = {
      {"unlinkat AT_REMOVEDIR sub/.", IORING_OP_UNLINKAT, "sub/.", 0, AT_REMOVEDIR},
      {"unlinkat AT_REMOVEDIR sub/x/..", IORING_OP_UNLINKAT, "sub/x/..", 0, AT_REMOVEDIR},
      {"unlinkat AT_REMOVEDIR deeplink/.. (physical sub/deep)", IORING_OP_UNLINKAT, "deeplink/..", 0, AT_REMOVEDIR},
      {"unlinkat AT_REMOVEDIR missing/..", IORING_OP_UNLINKAT, "missing/..", 0, AT_REMOVEDIR},
      {"unlinkat sub/.", IORING_OP_UNLINKAT, "sub/.", 0, 0},
      {"unlinkat sub/..", IORING_OP_UNLINKAT, "sub/..", 0, 0},
      {"mkdirat sub/.", IORING_OP_MKDIRAT, "sub/.", 0, 0},
      {"mkdirat sub/..", IORING_OP_MKDIRAT, "sub/..", 0, 0},
      {"mkdirat missing/..", IORING_OP_MKDIRAT, "missing/..", 0, 0},
      {"renameat sub/x/. -> y", IORING_OP_RENAMEAT, "sub/x/.", "y", 0},
      {"renameat f -> sub/..", IORING_OP_RENAMEAT, "f", "sub/..", 0},
      {"renameat f -> sub/.. NOREPLACE", IORING_OP_RENAMEAT, "f", "sub/..", 1},
      {"symlinkat f -> sub/..", IORING_OP_SYMLINKAT, "f", "sub/..", 0},
      {"linkat f -> sub/.", IORING_OP_LINKAT, "f", "sub/.", 0},
      {"unlinkat deeplink/../f (physical: sub/deep/f)", IORING_OP_UNLINKAT, "deeplink/../f", 0, 0},
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
      struct io_uring_sqe *s = get_sqe(&R);
      memset(s, 0, sizeof *s); s->opcode = t[i].op; s->fd = dirfd_; s->user_data = 9;
      if (t[i].op == IORING_OP_SYMLINKAT) { s->addr = (unsigned long)t[i].path; s->addr2 = (unsigned long)t[i].path2; }
      else { s->addr = (unsigned long)t[i].path; }
      if (t[i].op == IORING_OP_RENAMEAT || t[i].op == IORING_OP_LINKAT) { s->len = dirfd_; s->addr2 = (unsigned long)t[i].path2; }
      if (t[i].op == IORING_OP_MKDIRAT) s->len = 0755;
      s->rename_flags = t[i].flags;
      submit(&R,1,IORING_ENTER_GETEVENTS); struct io_uring_cqe c; reap(&R,&c,1);
      printf("%-58s -> %s\n", t[i].what, en(c.res));
    }
    printf("sub/deep/f after unlink: %s\n", access("/tmp/probe-resolve/d/sub/deep/f", F_OK) ? "gone" : "there");
    /* 40 symlinks in one walk are followed, the 41st is ELOOP: z/x -> "." */
    system("mkdir -p /tmp/probe-resolve/d/z && ln -s . /tmp/probe-resolve/d/z/x");
    char p40[128] = "z/", p41[128] = "z/";
    for (int i = 0; i < 40; i++) strcat(p40, "x/");
    strcat(p40, ".."); strcpy(p41, "z/x/"); strcat(p41, p40 + 2);
    op1("openat z/(x/ x 40)..", dirfd_, p40, O_RDONLY | O_DIRECTORY);
    op1("openat z/(x/ x 41)..", dirfd_, p41, O_RDONLY | O_DIRECTORY);
  }
  return 0;
}
