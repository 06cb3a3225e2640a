/* Who writes which task: static block/cyclic partitions, a dynamic shared
 * counter (engine/counter.h), or claims on the server's task table. */
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

/* The next task index for this rank, or -1 when it has no more. */
int64_t cb_sched_next(cb_sched *s);

/* Every rank calls cb_sched_next once per round (collective I/O), also
 * after a failure; needed by the dynamic schedule's p2p counter. */
void cb_sched_lockstep(cb_sched *s);

/* The dynamic schedule's counter, "rma" or "p2p"; NULL for the others. */
const char *cb_sched_counter(const cb_sched *s);

/* Collective. Before any other collective call once the tasks are done: the
 * p2p counter's rank 0 answers the others' last claims here. */
void cb_sched_end(cb_sched *s);

/* Pure helpers (unit-tested): the static partitions. */
int64_t cb_sched_block_first(int64_t ntasks, int nranks, int rank);
#endif
