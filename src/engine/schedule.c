#include "engine/schedule.h"

#include <stdlib.h>

#include "core/mpi_err.h"
#include "engine/counter.h"

struct cb_sched {
    cb_sched_opts o;
    int64_t taken;
    int stopped;
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

int cb_sched_start(const cb_sched_opts *o, MPI_Comm comm, cb_sched **out, cb_err *err)
{
    *out = NULL;
    cb_sched *s = calloc(1, sizeof *s);
    if (!s)
        return cb_fail(err, CB_EIO, "out of memory");
    s->o = *o;
    if (cb_mpi(err, MPI_Comm_rank(comm, &s->rank), "MPI_Comm_rank") < 0 ||
        cb_mpi(err, MPI_Comm_size(comm, &s->nranks), "MPI_Comm_size") < 0) {
        free(s);
        return -1;
    }
    switch (o->kind) {
    case CB_SCHED_BLOCK:
        s->next = o->bounds ? o->bounds[s->rank] : cb_sched_block_first(o->ntasks, s->nranks, s->rank);
        s->end = o->bounds ? o->bounds[s->rank + 1] : cb_sched_block_first(o->ntasks, s->nranks, s->rank + 1);
        break;
    case CB_SCHED_CYCLIC:
        s->next = s->rank;
        s->end = o->ntasks;
        break;
    case CB_SCHED_DYNAMIC:
        /* Fails on every rank together. */
        if (cb_counter_start(o->ntasks, comm, &s->counter, err) < 0) {
            free(s);
            return -1;
        }
        break;
    case CB_SCHED_SERVER:
        if (!o->store || !(o->store->ops->caps & CB_CAP_CLAIMS)) {
            free(s);
            return cb_fail(err, CB_EUSAGE, "--schedule server needs an HSDS target (hdf5://...); use block, cyclic or dynamic");
        }
        break;
    }
    *out = s;
    return 0;
}

/* Server: claim the next task; `more` tells the store how many may follow,
 * so it can claim them ahead. */
static int claim_next(cb_sched *s, cb_task *t, int64_t *row, cb_err *err)
{
    int64_t max = s->o.max_tasks, more = max ? max - s->taken - 1 : -1;
    cb_store *st = s->o.store;
    if (st->ops->claim(st, s->o.pod, s->o.lease_s, more, row, t, err) < 0)
        return -1;
    return *row >= 0;
}

void cb_sched_lockstep(cb_sched *s)
{
    if (s && s->counter)
        cb_counter_lockstep(s->counter);
}

const char *cb_sched_counter(const cb_sched *s)
{
    return s && s->counter ? cb_counter_kind(s->counter) : NULL;
}

int cb_sched_next(cb_sched *s, cb_task *t, int64_t *row, cb_err *err)
{
    int want = !s->stopped && (s->o.max_tasks <= 0 || s->taken < s->o.max_tasks);
    int64_t idx = -1;
    if (s->o.kind == CB_SCHED_SERVER) {
        if (!want)
            return 0;
        int got = claim_next(s, t, row, err);
        if (got > 0)
            s->taken++;
        return got;
    }
    if (s->o.kind == CB_SCHED_DYNAMIC) {
        /* Asked even when this rank wants none: rank 0 may be serving others. */
        idx = cb_counter_take(s->counter, want, s->o.max_tasks <= 0 || s->taken + 1 < s->o.max_tasks);
        if (idx < 0 && cb_counter_error(s->counter, err) < 0)
            return -1;
    } else if (want && s->next < s->end) {
        idx = s->next;
        s->next += s->o.kind == CB_SCHED_CYCLIC ? s->nranks : 1;
    }
    if (idx < 0)
        return 0;
    s->taken++;
    *t = s->o.tasks[idx];
    *row = s->o.rows[idx];
    return 1;
}

int cb_sched_done(cb_sched *s, int64_t row, const cb_task *t, cb_err *err)
{
    if (s->o.kind != CB_SCHED_SERVER)
        return 0; /* the caller records the table once the phase is over */
    return s->o.store->ops->finish(s->o.store, row, t, err);
}

void cb_sched_stop(cb_sched *s)
{
    if (s)
        s->stopped = 1;
}

void cb_sched_serve(cb_sched *s)
{
    if (s && s->counter)
        cb_counter_serve(s->counter);
}

int cb_sched_end(cb_sched *s, cb_err *err)
{
    if (!s)
        return 0;
    int rc = cb_counter_end(s->counter, err);
    free(s);
    return rc;
}
