/* A pass's deadline (stonewalling, as IOR's -D): no rank begins a task after
 * it, and what was begun is finished. With wear-out every rank then goes on
 * until it has done as many tasks as the busiest rank had done by the
 * deadline, so the file holds an even amount. The count is agreed with a
 * non-blocking allreduce: ranks keep working (and rank 0 keeps answering a
 * p2p counter's claims) while it completes. */
#ifndef CHUNKBENCH_DEADLINE_H
#define CHUNKBENCH_DEADLINE_H

#include <mpi.h>
#include <stdint.h>

#include "core/error.h"

typedef struct cb_deadline {
    double at;        /* this rank's clock; 0: no deadline */
    int wearout;
    int hit;          /* the deadline came while this rank still took tasks */
    int posted, known, stop;
    int64_t mine, target;
    MPI_Request req;
    MPI_Comm comm;
} cb_deadline;

/* From now: `seconds` (0: none). Every rank calls it, with the same values. */
void cb_deadline_start(cb_deadline *d, double seconds, int wearout, MPI_Comm comm);

enum { CB_DEADLINE_GO, CB_DEADLINE_STOP, CB_DEADLINE_WAIT };

/* Between tasks; done: the tasks this rank finished so far. GO: take the
 * next task; STOP: take no more; WAIT (wear-out): take none until the
 * busiest rank's count is known: call again soon, serving the schedule. A
 * rank that went on instead would overshoot by what it did meanwhile. */
int cb_deadline_check(cb_deadline *d, int64_t done, cb_err *err);

/* Whether the deadline has passed on this rank's clock (collective rounds
 * agree on it among themselves). */
int cb_deadline_passed(const cb_deadline *d);

/* After the last task, before the schedule ends: a rank that never reached
 * the deadline gives its count to the wear-out agreement. */
void cb_deadline_post(cb_deadline *d, int64_t done, cb_err *err);

/* After the schedule ended: the agreement completes on every rank. */
void cb_deadline_end(cb_deadline *d, cb_err *err);

#endif
