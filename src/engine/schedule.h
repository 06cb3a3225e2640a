/* Who writes which task: static block/cyclic partitions, a dynamic shared
 * counter (engine/counter.h), or claims on the server's task table. The phase
 * asks every kind the same way: the next task and its row, then "done". */
#ifndef CHUNKBENCH_SCHEDULE_H
#define CHUNKBENCH_SCHEDULE_H

#include <mpi.h>
#include <stdint.h>

#include "backends/backend.h"
#include "core/error.h"
#include "core/modes.h"

typedef struct cb_sched cb_sched;

typedef struct cb_sched_opts {
    cb_sched_kind kind;
    int64_t max_tasks;    /* per writer; 0: no limit */
    /* block, cyclic, dynamic: the caller's tasks and their rows in the task table */
    const cb_task *tasks;
    const int64_t *rows;
    int64_t ntasks;
    /* block: rank r takes [bounds[r], bounds[r+1]) (engine/host_shift.h);
     * NULL: even blocks */
    const int64_t *bounds;
    /* server: claims from the open store (CB_CAP_CLAIMS) as `pod`, retaking
     * tasks left in progress for longer than lease_s (> 0) */
    cb_store *store;
    const char *pod;
    double lease_s;
} cb_sched_opts;

/* Collective. */
int cb_sched_start(const cb_sched_opts *o, MPI_Comm comm, cb_sched **out, cb_err *err);

/* The next task for this rank into *t and its table row into *row: 1, or 0
 * when it has no more, or -1 with err set (a failed claim). */
int cb_sched_next(cb_sched *s, cb_task *t, int64_t *row, cb_err *err);

/* Task `row` is written (t has its start, done and pod): a server schedule
 * records it with the store; the others have nothing to do. */
int cb_sched_done(cb_sched *s, int64_t row, const cb_task *t, cb_err *err);

/* Take no more tasks from now on (a stop signal): cb_sched_next returns 0,
 * as when max_tasks is reached. */
void cb_sched_stop(cb_sched *s);

/* While this rank takes no task for a while (a wear-out agreement): rank 0
 * of a p2p counter answers the claims that came in. */
void cb_sched_serve(cb_sched *s);

/* Collective. */
int cb_sched_end(cb_sched *s, cb_err *err);

/* Every rank calls cb_sched_next once per round (collective I/O), also
 * after a failure; needed by the dynamic schedule's p2p counter. */
void cb_sched_lockstep(cb_sched *s);

/* The dynamic schedule's counter, "rma" or "p2p"; NULL for the others. */
const char *cb_sched_counter(const cb_sched *s);

/* Pure helpers (unit-tested): the static partitions. */
int64_t cb_sched_block_first(int64_t ntasks, int nranks, int rank);
#endif
