/* Figures of a task table: counts, bytes, bandwidths, latency percentiles,
 * per-writer totals. Pure functions, no I/O. */
#ifndef CHUNKBENCH_STATS_H
#define CHUNKBENCH_STATS_H

#include <stdint.h>

#include "core/table.h"

typedef struct cb_quantiles {
    int64_t n;
    double min, p50, p90, p99, max, mean;
} cb_quantiles;

/* Linear interpolation between closest ranks (numpy's default). v sorted. */
double cb_percentile_sorted(const double *v, int64_t n, double p);

/* Sorts v in place and fills q (all zero when n == 0). */
void cb_quantiles_of(double *v, int64_t n, cb_quantiles *q);

typedef struct cb_writer_stats {
    char name[CB_POD_LEN + 1];
    int64_t tasks, bytes;
    int64_t in_progress; /* rows this writer claimed and has not finished */
    double busy_s, first_start, last_done, mean_s;
} cb_writer_stats;

/* The writers of one host (the part of their names after '@'). */
typedef struct cb_host_stats {
    char name[CB_POD_LEN + 1];
    int writers;              /* writer names on this host: ranks, or writer processes */
    int64_t tasks, bytes;     /* complete tasks */
    double busy_s, first_start, last_done;
    double mean_s;            /* busy_s / tasks */
    double MBps;              /* bytes / (last_done - first_start) */
} cb_host_stats;

typedef struct cb_summary {
    int64_t ntasks, pending, complete, in_progress;
    int64_t bytes;            /* of complete tasks */
    double first_start, last_done, elapsed_s; /* the seed's elapsed: first start to last done */
    double phase_MBps;        /* bytes / (last done - first start), complete tasks */
    /* Tasks in progress: the start stamps of the oldest and newest claim
     * among them (0 when none has a stamp). */
    double in_progress_oldest, in_progress_newest;
    int64_t run_bytes;        /* complete tasks of the last run (started after open_start) */
    double run_span_s;        /* last run: close_end - open_start; 0 when unknown */
    double ior_MBps;          /* run_bytes / run_span_s; 0 when unknown */
    cb_quantiles latency;     /* done - start of complete tasks, seconds */
    cb_writer_stats *writers; /* sorted by name */
    int nwriters;
    int slowest[3];           /* indices into writers, highest mean latency first */
    int nslowest;
    cb_host_stats *hosts;     /* sorted by name; writers without '@host' are in none */
    int nhosts;
    int slowest_host;         /* index into hosts: highest mean task time; -1 when none */
} cb_summary;

int cb_summarize(const cb_table *tab, cb_summary *out, cb_err *err);
void cb_summary_free(cb_summary *s);

#endif
