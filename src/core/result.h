/* The result of one timed phase (write, verify or read) over all ranks: the
 * figures of each pass, every task's record and writer, the values that
 * differed, the HTTP figures and the request log. The engine gathers it on
 * rank 0 (engine/gather.h); the report writes it (report/output.h). */
#ifndef CHUNKBENCH_RESULT_H
#define CHUNKBENCH_RESULT_H

#include <stdint.h>

#include "core/collective.h"
#include "core/hints.h"
#include "core/provenance.h"
#include "core/iolog.h"
#include "core/stats.h"
#include "core/tasks.h"

/* One task done by a rank: index into the task table, corrected times. */
typedef struct cb_rec {
    int64_t index;
    double start, done;
} cb_rec;

/* A task whose values differ from the generator: how many, and the first. */
typedef struct cb_mismatch {
    int64_t index, elements, bad_i, bad_j;
} cb_mismatch;

/* Network figures of a run (HSDS), merged over writers. */
typedef struct cb_net_summary {
    int64_t requests, retries;
    int64_t given_back; /* see cb_net_stats */
    cb_quantiles latency;
} cb_net_summary;

/* One pass over the tasks, reduced over all ranks. */
typedef struct cb_pass {
    double open_start, close_end;  /* first open started, last close ended */
    double first_start, last_done; /* of the pass's tasks (0 when none) */
    double gen_s, io_s;            /* summed: generating (or checking) values; inside I/O calls */
    double io_max_s;               /* the longest time one rank spent inside I/O calls */
    int64_t bytes, tasks;
    uint64_t checksum;             /* read: core/checksum.h of the values read, summed over ranks */
    int64_t io_calls;              /* data calls that moved tasks (fewer than tasks with --tasks-per-call) */
    cb_coll_stats coll;            /* what collective transfers did, summed over ranks (zero: none asked) */
    /* --deadline: the setting (0: none), its instant (the latest rank's),
     * whether any rank reached it with tasks left, what was done by then. */
    double deadline_s, deadline_at;
    int deadline_hit, deadline_wearout;
    int64_t deadline_tasks, deadline_bytes;
} cb_pass;

typedef struct cb_result {
    int ranks;
    int http;               /* the net figures are HTTP requests (HSDS) */
    double clock_skew_s;    /* largest clock offset to rank 0 that was corrected */
    const cb_provenance *stack; /* what the run was measured with (NULL: not known) */
    /* The MPI-IO hints asked for and those rank 0's MPI reported for the
     * open file (hints_effective NULL: no MPI-IO open, nothing to report). */
    const cb_hints *hints_asked, *hints_effective;
    const char *counter;    /* the dynamic schedule's counter, "rma" or "p2p"; NULL otherwise */
    int tasks_per_call;     /* write --tasks-per-call (<= 1: one task a call) */
    int coll_metadata;      /* --coll-metadata was given */
    cb_pass *passes;        /* the passes that finished, the last one last */
    int npasses;
    /* Rank 0 only (NULL elsewhere): */
    cb_rec *recs;           /* the last pass's tasks, every rank's */
    int64_t nrecs;
    char *pods;             /* one writer name a rank, CB_POD_LEN + 1 bytes apart */
    int *owner;             /* owner[k]: the rank that did recs[k] */
    cb_mismatch *bad;
    int64_t nbad;
    cb_net_summary net;
    int64_t left_in_progress; /* server schedule: tasks still in progress (others' claims) at the end */
    /* write, rank 0: when the run's tasks were recorded in the task table
     * (after the last close and the table's save; 0: not known), and whether
     * their data was durable by then (CB_CAP_DURABLE or --fsync). */
    double recorded_at;
    int durable;
    cb_ioreq *reqs;         /* the request log, every rank's */
    int64_t nreqs, lost;    /* lost: requests that could not be stored */
    int logged;             /* any rank's store kept a log */
} cb_result;

/* The last pass (NULL when none finished). */
const cb_pass *cb_result_last(const cb_result *r);

/* The writer of recs[k]. */
const char *cb_result_pod(const cb_result *r, int64_t k);

/* Stamp the recorded tasks into tasks[] (indexed as the records are):
 * start, done, complete, writer. */
void cb_result_apply(const cb_result *r, cb_task *tasks);

void cb_result_free(cb_result *r);

#endif
