#include "engine/schedule.h"

#include <stdlib.h>

#include "core/mpi_err.h"
#include "engine/counters.h"

struct cb_sched {
    cb_sched_kind kind;
    int64_t ntasks, max_tasks, taken;
    int rank, nranks;
    int64_t next, end; /* static schedules: next index to hand out, and bound */
    MPI_Win win;       /* dynamic: the shared counter lives on rank 0 */
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
    s->win = MPI_WIN_NULL;
    if (cb_mpi(err, MPI_Comm_rank(comm, &s->rank), "MPI_Comm_rank") < 0 ||
        cb_mpi(err, MPI_Comm_size(comm, &s->nranks), "MPI_Comm_size") < 0) {
        free(s);
        return -1;
    }
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
        /* Fails on every rank together: no rank is left holding a window. */
        if (cb_counters_open(comm, 1, "the dynamic schedule's counter", &s->win, err) < 0) {
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

int64_t cb_sched_next(cb_sched *s, cb_err *err)
{
    if (s->max_tasks > 0 && s->taken >= s->max_tasks)
        return -1;
    int64_t idx = -1;
    if (s->kind == CB_SCHED_DYNAMIC) {
        const int64_t one = 1;
        if (cb_mpi(err, MPI_Fetch_and_op(&one, &idx, MPI_INT64_T, 0, 0, MPI_SUM, s->win),
                   "MPI_Fetch_and_op on the dynamic schedule's counter") < 0 ||
            cb_mpi(err, MPI_Win_flush(0, s->win), "MPI_Win_flush of the dynamic schedule's counter") < 0)
            return -1;
        if (idx >= s->ntasks)
            idx = -1;
    } else if (s->next < s->end) {
        idx = s->next;
        s->next += s->kind == CB_SCHED_CYCLIC ? s->nranks : 1;
    }
    if (idx >= 0)
        s->taken++;
    return idx;
}

int cb_sched_end(cb_sched *s, cb_err *err)
{
    if (!s)
        return 0;
    int rc = cb_counters_close(&s->win, err);
    free(s);
    return rc;
}
