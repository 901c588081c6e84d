// A model of the message log's commits beside checkpoints on this machine's disk (#21; bench/README.md,
// "2026-12-08, the writer checkpoints its own log"): one thread commits every millisecond (open loop) as the SQLite
// writer does at half the chat peak — 20 log frames, each a 24-byte header and a 4 KiB page written apart, then
// `fsync` — while checkpoints copy the distinct pages (1,000 a second: three in four over old pages, one in four
// growing the file) into another file and `fsync` it. Prints the commits' latency from their due time.
//
//   gcc -O2 -pthread -o /tmp/checkpoint_model bench/disk/checkpoint_model.c
//   taskset -c 0 /tmp/checkpoint_model MODE SECONDS   (files in /tmp/checkpoint_model.*)
//
// MODE: none (no checkpoints), bgN (every N ms on a thread of its own, beside the commits), inlineN (every N ms on
// the committing thread, between two commits), bgNpre (bgN with the database file allocated up front). Each
// background checkpoint's time goes to stderr.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <pthread.h>
#include <time.h>
#include <stdatomic.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static int wal, db; static char page[4096], hdr[24];
static const char *mode; static double seconds;
static atomic_long dbsize; static atomic_int stop;
static void checkpoint(int pages){ // copy distinct pages: 75% over existing, 25% growth
  long size = atomic_load(&dbsize);
  for(int i=0;i<pages;i++){
    long off;
    if(i%4==0){ off=size; size+=4096; }
    else off = (random()% (size/4096)) *4096;
    pwrite(db,page,4096,off);
  }
  atomic_store(&dbsize,size);
  fsync(db);
}
static void *bg(void *arg){
  int interval_ms = *(int*)arg;
  while(!atomic_load(&stop)){
    usleep(interval_ms*1000);
    double t=now(); checkpoint(interval_ms); // ~1000 distinct pages per second
    fprintf(stderr,"ckpt %.1f ms\n",(now()-t)*1e3);
  }
  return 0;
}
static int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return x<y?-1:x>y;}
int main(int argc,char**argv){
  mode=argv[1]; seconds=atof(argv[2]);
  memset(page,7,4096);
  wal=open("/tmp/checkpoint_model.wal",O_RDWR|O_CREAT|O_TRUNC,0644);
  db=open("/tmp/checkpoint_model.db",O_RDWR|O_CREAT|O_TRUNC,0644);
  // an existing database of 40 MB
  for(int i=0;i<10000;i++) pwrite(db,page,4096,(long)i*4096);
  fsync(db); atomic_store(&dbsize,10000L*4096);
  if(strstr(mode,"pre")) { fallocate(db,0,0,400L*1024*1024); fsync(db);}
  pthread_t th; int interval=0;
  if(!strncmp(mode,"bg",2)){ interval=atoi(mode+2); pthread_create(&th,0,bg,&interval);}
  int inl = !strncmp(mode,"inline",6) ? atoi(mode+6) : 0;
  double *lat=malloc(sizeof(double)*2000000); long n=0;
  double start=now(), next=start, lastck=start; long frame=0;
  while(now()-start<seconds){
    double t0=next; // open loop: commit every 1 ms
    while(now()<next) ;
    for(int f=0;f<20;f++){ // a commit: 20 frames, header and page each
      long off=32+frame*(24+4096L);
      pwrite(wal,hdr,24,off); pwrite(wal,page,4096,off+24);
      frame++; if(frame>=24000) frame=0;
    }
    fsync(wal);
    if(inl && (now()-lastck)*1000>=inl){ checkpoint(inl); lastck=now(); }
    lat[n++]=now()-t0;
    next+=0.001; if(now()>next+0.05) next=now();
  }
  atomic_store(&stop,1);
  qsort(lat,n,sizeof(double),cmp);
  printf("%s: commits %ld p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f ms\n",mode,n,lat[n/2]*1e3,lat[n*9/10]*1e3,lat[n*99/100]*1e3,lat[n*999/1000]*1e3,lat[n-1]*1e3);
  unlink("/tmp/checkpoint_model.wal"); unlink("/tmp/checkpoint_model.db");
  return 0;
}
