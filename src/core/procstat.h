/* What Linux's /proc says about a process: enough to tell a live process
 * from a dead one, or from a later one that reuses its pid (locks and
 * journals name their writer), and to walk up to its parent (the terminal
 * test). One parser for every caller. */
#ifndef CHUNKBENCH_PROCSTAT_H
#define CHUNKBENCH_PROCSTAT_H

typedef struct cb_procstat {
    char state;               /* 'R', 'S', ... 'Z' (zombie), 'X' (dead) */
    long long ppid;
    unsigned long long start; /* field 22: start time in clock ticks since boot */
} cb_procstat;

/* 0 and *out filled, or -1 when there is no such process (or no /proc). */
int cb_procstat_of(long long pid, cb_procstat *out);

/* This boot's id (/proc/sys/kernel/random/boot_id), "" when unknown: a host
 * that restarted runs none of the processes named before. */
void cb_boot_id(char *buf, unsigned cap);

#endif
