// A CPU sampler for the server, preloaded (LD_PRELOAD) by bench/profile.sh (#21). callgrind crashes on the Swift
// binary here and gdb's stops over-count threads waiting in system calls; this counts only where CPU is spent.
// SIGUSR2 starts sampling; the next SIGUSR2 stops it and writes $PROF_OUT (one line per sample: "S <thread> <return
// addresses>"), $PROF_OUT.maps (the process's mappings) and $PROF_OUT.threads (thread names). Each sample is one
// SIGPROF of ITIMER_PROF, i.e. per slice of the process's CPU time (the kernel's tick: 4 ms here), and one
// backtrace() in the handler (called once at load, so the handler never loads the unwinder).
#define _GNU_SOURCE
#include <dirent.h>
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#define MAX_SAMPLES 400000
#define DEPTH 48

static void *frames[MAX_SAMPLES][DEPTH];
static int depths[MAX_SAMPLES];
static int threads[MAX_SAMPLES];
static volatile int taken = 0, sampling = 0;

static void sample(int signal, siginfo_t *info, void *context) {
    (void)signal, (void)info, (void)context;
    if (!sampling) return;
    int index = __sync_fetch_and_add(&taken, 1);
    if (index >= MAX_SAMPLES) return;
    threads[index] = (int)syscall(SYS_gettid);
    depths[index] = backtrace(frames[index], DEPTH);
}

static void put(int file, const char *text, size_t count) {
    if (write(file, text, count) < 0) return;
}

static void copy(const char *from, int to) {
    int file = open(from, O_RDONLY);
    if (file < 0) return;
    char buffer[4096];
    ssize_t count;
    while ((count = read(file, buffer, sizeof buffer)) > 0) put(to, buffer, (size_t)count);
    close(file);
}

static void dump(void) {
    const char *out = getenv("PROF_OUT");
    if (!out) out = "/tmp/lotse-samples";
    char path[512], line[64];
    int file = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int count = taken < MAX_SAMPLES ? taken : MAX_SAMPLES;
    for (int index = 0; index < count; index++) {
        put(file, line, (size_t)snprintf(line, sizeof line, "S %d", threads[index]));
        // From the third frame: past this handler and the signal trampoline, at the interrupted instruction.
        for (int depth = 2; depth < depths[index]; depth++) {
            put(file, line, (size_t)snprintf(line, sizeof line, " %lx", (unsigned long)frames[index][depth]));
        }
        put(file, "\n", 1);
    }
    close(file);
    snprintf(path, sizeof path, "%s.maps", out);
    file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    copy("/proc/self/maps", file);
    close(file);
    snprintf(path, sizeof path, "%s.threads", out);
    file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    DIR *tasks = opendir("/proc/self/task");
    for (struct dirent *task; tasks && (task = readdir(tasks));) {
        if (task->d_name[0] == '.') continue;
        char comm[300];
        snprintf(comm, sizeof comm, "/proc/self/task/%s/comm", task->d_name);
        put(file, task->d_name, strlen(task->d_name));
        put(file, " ", 1);
        copy(comm, file);
    }
    if (tasks) closedir(tasks);
    close(file);
}

static void toggle(int signal) {
    (void)signal;
    struct itimerval every = {{0, 500}, {0, 500}}, never = {{0, 0}, {0, 0}};
    if (!sampling) {
        taken = 0;
        sampling = 1;
        setitimer(ITIMER_PROF, &every, 0);
    } else {
        sampling = 0;
        setitimer(ITIMER_PROF, &never, 0);
        dump();
    }
}

__attribute__((constructor)) static void start(void) {
    void *warm[4];
    backtrace(warm, 4);  // loads the unwinder now rather than inside the first signal
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = sample;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGPROF, &action, 0);
    signal(SIGUSR2, toggle);
}
