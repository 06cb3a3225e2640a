/* Who writes which task: static block/cyclic partitions, a dynamic shared
 * counter (MPI one-sided), or claims on the server's task table. */
#ifndef CHUNKBENCH_SCHEDULE_H
#define CHUNKBENCH_SCHEDULE_H

#include <mpi.h>
#include <stdint.h>

#include "backends/backend.h"
#include "cli/config.h"

typedef struct cb_sched cb_sched;

/* Collective. `ntasks` tasks (indices into the caller's list), at most
 * `max_tasks` per writer (0: no limit). */
int cb_sched_start(cb_sched_kind kind, int64_t ntasks, int64_t max_tasks, MPI_Comm comm,
                   cb_sched **out, cb_err *err);

/* The next task index for this rank, or -1 when it has no more, or when the
 * dynamic counter failed (err then says why; this rank stops taking tasks). */
int64_t cb_sched_next(cb_sched *s, cb_err *err);

/* Collective. */
int cb_sched_end(cb_sched *s, cb_err *err);

/* Pure helpers (unit-tested): the static partitions. */
int64_t cb_sched_block_first(int64_t ntasks, int nranks, int rank);
#endif
