#include "engine/phase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/agree.h"
#include "core/clock.h"
#include "core/datagen.h"
#include "engine/progress.h"
#include "engine/schedule.h"

static int push_rec(cb_phase_out *o, int64_t index, double start, double done)
{
    if (o->nrecs == o->cap) {
        int64_t cap = o->cap ? o->cap * 2 : 1024;
        cb_rec *r = realloc(o->recs, (size_t)cap * sizeof *r);
        if (!r)
            return -1;
        o->recs = r;
        o->cap = cap;
    }
    o->recs[o->nrecs++] = (cb_rec){index, start, done};
    return 0;
}

static int push_bad(cb_phase_out *o, cb_mismatch m)
{
    if (o->nbad == o->capbad) {
        int64_t cap = o->capbad ? o->capbad * 2 : 16;
        cb_mismatch *r = realloc(o->bad, (size_t)cap * sizeof *r);
        if (!r)
            return -1;
        o->bad = r;
        o->capbad = cap;
    }
    o->bad[o->nbad++] = m;
    return 0;
}

/* The largest task of the list: the one buffer this rank needs. */
static int64_t max_task_bytes(const cb_layout *lay, const cb_task *tasks, int64_t n, cb_sched_kind sched)
{
    if (sched == CB_SCHED_SERVER || !tasks) {
        /* Claimed tasks are at most a chunk (block) or a row/column. */
        int64_t a = lay->chunk[0] * lay->chunk[1], b = lay->shape[0] > lay->shape[1] ? lay->shape[0] : lay->shape[1];
        return (a > b ? a : b) * lay->elem_size;
    }
    int64_t m = 0;
    for (int64_t k = 0; k < n; k++) {
        int64_t b = cb_task_bytes(&tasks[k], lay->elem_size);
        if (b > m)
            m = b;
    }
    return m;
}

/* Do one task: values, I/O, stamps. */
static int do_task(cb_store *st, const cb_task *t, int64_t index, void *buf, const cb_phase_opts *o,
                   cb_phase_out *out, double *t_start, double *t_done, cb_err *err)
{
    int es = st->layout.elem_size;
    if (o->writing) {
        double g0 = cb_now();
        cb_fill(t, es, o->seed, buf);
        out->gen_s += cb_now() - g0;
    }
    double t0 = cb_now();
    int rc = o->writing ? st->ops->write_task(st, t, buf, err) : st->ops->read_task(st, t, buf, err);
    double t1 = cb_now();
    out->io_s += t1 - t0;
    if (rc < 0)
        return cb_wrap(err, "%s task %lld [%d:%d,%d:%d]", o->writing ? "writing" : "reading", (long long)index,
                       t->x, t->x + t->nrow, t->y, t->y + t->ncol);
    if (!o->writing && o->verify) {
        double g0 = cb_now();
        cb_mismatch m = {index, 0, 0, 0};
        m.elements = cb_check(t, es, o->seed, buf, &m.bad_i, &m.bad_j);
        out->gen_s += cb_now() - g0;
        if (m.elements < 0)
            return cb_fail(err, CB_EIO, "out of memory checking task %lld", (long long)index);
        if (m.elements && push_bad(out, m) < 0)
            return cb_fail(err, CB_EIO, "out of memory");
    }
    out->bytes += cb_task_bytes(t, es);
    *t_start = t0 - o->clock_offset;
    *t_done = t1 - o->clock_offset;
    return 0;
}

int cb_phase_run(const cb_config *cfg, const cb_backend *be, const cb_task *tasks, const int64_t *index,
                 int64_t ntasks, const cb_phase_opts *o, MPI_Comm comm, cb_phase_out *out, cb_err *err)
{
    memset(out, 0, sizeof *out);
    cb_err local = {0};
    cb_store *st = NULL;
    cb_sched *sched = NULL;
    cb_progress *progress = NULL;
    void *buf = NULL;

    MPI_Barrier(comm);
    out->open_start = cb_now() - o->clock_offset;
    be->open(cfg, o->writing, comm, &st, &local);
    if (cb_agree(comm, &local) < 0) {
        /* Ranks whose open worked must still close (collectively). */
        if (st) {
            cb_err ignore = {0};
            st->ops->close(st, NULL, &ignore);
        }
        *err = local;
        return -1;
    }
    if (o->sched == CB_SCHED_SERVER && !st->ops->claim)
        cb_fail(&local, CB_EUSAGE, "--schedule server needs an HSDS target (hdf5://...); use block, cyclic or dynamic");
    else if (o->sched != CB_SCHED_SERVER && cb_sched_start(o->sched, ntasks, o->max_tasks, comm, &sched, &local) == 0) {
        if (st->lockstep)
            cb_sched_lockstep(sched);
        out->counter = cb_sched_counter(sched);
    }
    int64_t bufbytes = max_task_bytes(&st->layout, tasks, ntasks, o->sched);
    if (!local.code && !(buf = malloc(bufbytes ? (size_t)bufbytes : 1)))
        cb_fail(&local, CB_EIO, "out of memory for a %lld-byte task buffer", (long long)bufbytes);
    if (cb_agree(comm, &local) < 0)
        goto close;
    /* Static and dynamic schedules know the total; claims from a server do not. */
    int64_t total = ntasks;
    if (o->max_tasks > 0 && o->sched != CB_SCHED_SERVER) {
        int size;
        MPI_Comm_size(comm, &size);
        if ((double)o->max_tasks * size < (double)total)
            total = o->max_tasks * size;
    }
    progress = cb_progress_start(comm, o->writing ? "write" : o->verify ? "verify" : "read", total, o->progress,
                                 stdout, o->progress_interval);

    if (o->sched == CB_SCHED_SERVER) {
        for (int64_t taken = 0; !o->max_tasks || taken < o->max_tasks; taken++) {
            int64_t index;
            cb_task t;
            int64_t more = o->max_tasks ? o->max_tasks - taken - 1 : -1;
            if (st->ops->claim(st, o->pod, o->lease_s, more, &index, &t, &local) < 0 || index < 0)
                break;
            double s0, s1;
            if (do_task(st, &t, index, buf, o, out, &s0, &s1, &local) < 0)
                break;
            t.start = s0;
            t.done = s1;
            t.status = CB_COMPLETE;
            snprintf(t.pod, sizeof t.pod, "%s", o->pod);
            if (st->ops->finish(st, index, &t, &local) < 0 || push_rec(out, index, s0, s1) < 0)
                break;
            cb_progress_add(progress, cb_task_bytes(&t, st->layout.elem_size));
            cb_progress_tick(progress);
        }
    } else {
        for (;;) {
            /* Collective I/O asks every round, failed or not: rank 0 of a
             * p2p counter answers the others' claims as it asks. */
            int64_t k = !local.code || st->lockstep ? cb_sched_next(sched) : -1;
            if (local.code)
                k = -1;
            if (st->lockstep) {
                /* Collective I/O: all ranks call together; stop when nobody
                 * has a task left or anybody failed. */
                int flags[2] = {k >= 0, local.code != 0}, any[2];
                MPI_Allreduce(flags, any, 2, MPI_INT, MPI_MAX, comm);
                if (any[1] || !any[0])
                    break;
                if (k < 0) {
                    if (o->writing ? st->ops->write_task(st, NULL, buf, &local) : st->ops->read_task(st, NULL, buf, &local))
                        cb_wrap(&local, "collective I/O with an empty selection");
                    cb_progress_tick(progress);
                    continue;
                }
            } else if (k < 0) {
                break;
            }
            double s0, s1;
            if (do_task(st, &tasks[k], index[k], buf, o, out, &s0, &s1, &local) < 0)
                continue; /* the next round (or the loop guard) stops this rank */
            if (push_rec(out, index[k], s0, s1) < 0)
                cb_fail(&local, CB_EIO, "out of memory for task records");
            cb_progress_add(progress, cb_task_bytes(&tasks[k], st->layout.elem_size));
            cb_progress_tick(progress);
        }
    }
close:
    cb_sched_end(sched); /* first: the others may still wait for a p2p counter's answer */
    cb_progress_end(progress);
    free(buf);
    /* The log stays where it is: reads made while closing still reach it. */
    out->iolog = st->iolog;
    st->iolog = NULL;
    cb_err cerr = {0};
    st->ops->close(st, &out->net, &cerr);
    out->close_end = cb_now() - o->clock_offset;
    if (!local.code && cerr.code)
        local = cerr;
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    return 0;
}

void cb_phase_out_free(cb_phase_out *o)
{
    free(o->recs);
    free(o->bad);
    free(o->net.latency);
    if (o->iolog) {
        cb_iolog_free(o->iolog);
        free(o->iolog);
    }
    memset(o, 0, sizeof *o);
}
