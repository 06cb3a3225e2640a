#include "engine/schedule.h"

#include <stdlib.h>

#include "engine/counter.h"

struct cb_sched {
    cb_sched_kind kind;
    int64_t ntasks, max_tasks, taken;
    int rank, nranks;
    int64_t next, end; /* static schedules: next index to hand out, and bound */
    cb_counter *counter; /* dynamic */
};

int64_t cb_sched_block_first(int64_t ntasks, int nranks, int rank)
{
    /* Spread the remainder over the first ranks: sizes differ by at most one. */
    int64_t q = ntasks / nranks, r = ntasks % nranks;
    return rank * q + (rank < r ? rank : r);
}

int cb_sched_start(cb_sched_kind kind, int64_t ntasks, int64_t max_tasks, MPI_Comm comm,
                   cb_sched **out, cb_err *err)
{
    cb_sched *s = calloc(1, sizeof *s);
    if (!s)
        return cb_fail(err, CB_EIO, "out of memory");
    s->kind = kind;
    s->ntasks = ntasks;
    s->max_tasks = max_tasks;
    MPI_Comm_rank(comm, &s->rank);
    MPI_Comm_size(comm, &s->nranks);
    switch (kind) {
    case CB_SCHED_BLOCK:
        s->next = cb_sched_block_first(ntasks, s->nranks, s->rank);
        s->end = cb_sched_block_first(ntasks, s->nranks, s->rank + 1);
        break;
    case CB_SCHED_CYCLIC:
        s->next = s->rank;
        s->end = ntasks;
        break;
    case CB_SCHED_DYNAMIC:
        if (cb_counter_start(ntasks, comm, &s->counter, err) < 0) {
            free(s);
            return -1;
        }
        break;
    default:
        free(s);
        return cb_fail(err, CB_EUSAGE, "schedule %s is not handed out by MPI", cb_sched_name(kind));
    }
    *out = s;
    return 0;
}

void cb_sched_lockstep(cb_sched *s)
{
    if (s->counter)
        cb_counter_lockstep(s->counter);
}

const char *cb_sched_counter(const cb_sched *s)
{
    return s && s->counter ? cb_counter_kind(s->counter) : NULL;
}

int64_t cb_sched_next(cb_sched *s)
{
    int want = s->max_tasks <= 0 || s->taken < s->max_tasks;
    int64_t idx = -1;
    if (s->kind == CB_SCHED_DYNAMIC) {
        /* Asked even when this rank wants none: rank 0 may be serving others. */
        idx = cb_counter_take(s->counter, want, s->max_tasks <= 0 || s->taken + 1 < s->max_tasks);
    } else if (want && s->next < s->end) {
        idx = s->next;
        s->next += s->kind == CB_SCHED_CYCLIC ? s->nranks : 1;
    }
    if (idx >= 0)
        s->taken++;
    return idx;
}

void cb_sched_end(cb_sched *s)
{
    if (!s)
        return;
    cb_counter_end(s->counter);
    free(s);
}
