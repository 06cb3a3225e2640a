#include "engine/phase.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/agree.h"
#include "core/batch.h"
#include "core/checksum.h"
#include "core/clock.h"
#include "core/datagen.h"
#include "core/grow.h"
#include "core/mpi_err.h"
#include "engine/deadline.h"
#include "engine/progress.h"
#include "engine/schedule.h"

/* Set by the signal handler; the phase looks at task boundaries. */
static volatile sig_atomic_t stop_armed, stop_sig;

int cb_phase_request_stop(int sig)
{
    cb_journal_flush_from_signal(); /* SIGKILL may follow soon (mpirun, srun's KillWait) */
    if (!stop_armed || stop_sig)
        return -1;
    stop_sig = sig;
    return 0;
}

static int push_rec(cb_phase_out *o, int64_t index, double start, double done)
{
    cb_rec *r = cb_grow(o->recs, &o->cap, o->nrecs + 1, sizeof *r, 1024);
    if (!r)
        return -1;
    o->recs = r;
    o->recs[o->nrecs++] = (cb_rec){index, start, done};
    return 0;
}

static int push_bad(cb_phase_out *o, cb_mismatch m)
{
    cb_mismatch *r = cb_grow(o->bad, &o->capbad, o->nbad + 1, sizeof *r, 16);
    if (!r)
        return -1;
    o->bad = r;
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

/* Do one task (or, index < 0, a rectangle of several): values, I/O, stamps. */
static int do_task(cb_store *st, const cb_task *t, int64_t index, void *buf, const cb_phase_opts *o,
                   cb_phase_out *out, double *t_start, double *t_done, cb_err *err)
{
    int es = st->layout.elem_size;
    if (o->writing) {
        double g0 = cb_now();
        cb_fill(t, es, o->seed, &o->values, buf);
        out->gen_s += cb_now() - g0;
    }
    double t0 = cb_now();
    const cb_sel *sel = o->sels && !o->writing && index >= 0 ? &o->sels[index] : NULL;
    int rc = o->writing ? st->ops->write_task(st, t, buf, err)
             : sel      ? st->ops->read_sel(st, sel, buf, err)
                        : st->ops->read_task(st, t, buf, err);
    double t1 = cb_now();
    out->io_s += t1 - t0;
    if (rc < 0 && index < 0)
        return cb_wrap(err, "writing tasks [%d:%d,%d:%d] in one call", t->x, t->x + t->nrow, t->y, t->y + t->ncol);
    if (rc < 0)
        return cb_wrap(err, "%s task %lld [%d:%d,%d:%d]", o->writing ? "writing" : "reading", (long long)index,
                       t->x, t->x + t->nrow, t->y, t->y + t->ncol);
    if (!o->writing && o->verify) {
        double g0 = cb_now();
        cb_mismatch m = {index, 0, 0, 0};
        m.elements = sel ? cb_sel_check(sel, es, o->seed, &o->values, buf, &m.bad_i, &m.bad_j)
                         : cb_check(t, es, o->seed, &o->values, buf, &m.bad_i, &m.bad_j);
        out->gen_s += cb_now() - g0;
        if (m.elements < 0)
            return cb_fail(err, CB_EIO, "out of memory checking task %lld", (long long)index);
        if (m.elements && push_bad(out, m) < 0)
            return cb_fail(err, CB_EIO, "out of memory");
    }
    if (!o->writing && (o->sum_values || o->checksum)) {
        /* After the task's end stamp (t1), outside its time; between tasks
         * still, so in the phase's. A pattern's selections are not blocks,
         * and may overlap: their plain sum. */
        double g0 = cb_now();
        if (o->sum_values)
            out->value_sum += cb_values_sum(buf, (int64_t)t->nrow * t->ncol, es);
        else
            out->checksum += cb_checksum_block(buf, es, t->nrow, t->ncol, t->x, t->y, st->layout.shape[1]);
        out->gen_s += cb_now() - g0;
    }
    out->bytes += cb_task_bytes(t, es);
    out->io_calls++;
    *t_start = t0 - o->clock_offset;
    *t_done = t1 - o->clock_offset;
    return 0;
}

/* Collective: the barrier, the open, agreed on. On failure the ranks whose
 * open worked have closed again. */
static int open_store(const cb_store_opts *so, const cb_backend *be, const cb_phase_opts *o, MPI_Comm comm,
                      cb_store **out, double *open_start, cb_err *err)
{
    cb_err local = {0};
    cb_store *st = NULL;
    cb_mpi(&local, MPI_Barrier(comm), "MPI_Barrier before opening"); /* agreed on after the open */
    *open_start = cb_now() - o->clock_offset;
    cb_store_opts open_opts = *so;
    open_opts.writable = o->writing;
    be->open(&open_opts, comm, &st, &local);
    if (cb_agree(comm, &local) < 0) {
        /* Ranks whose open worked must still close (collectively). */
        if (st) {
            cb_err ignore = {0};
            st->ops->close(st, NULL, &ignore);
        }
        *err = local;
        return -1;
    }
    *out = st;
    return 0;
}

/* The tasks of a phase on an open store, into out; a failure is left in
 * *local, after the schedule's own collective end (every rank gets here). */
static void run_tasks(cb_store *st, const cb_task *tasks, const int64_t *index, int64_t ntasks,
                      const cb_phase_opts *o, MPI_Comm comm, cb_phase_out *out, cb_err *err)
{
    cb_err local = *err;
    cb_sched *sched = NULL;
    cb_progress *progress = NULL;
    void *buf = NULL;
    cb_deadline dl = {0};
    cb_sched_opts sched_opts = {.kind = o->sched, .max_tasks = o->max_tasks, .tasks = tasks, .rows = index,
                                .ntasks = ntasks, .bounds = o->bounds, .store = st, .pod = o->pod, .lease_s = o->lease_s};
    cb_sched_start(&sched_opts, comm, &sched, &local);
    if (!local.code) {
        if (st->lockstep)
            cb_sched_lockstep(sched);
        out->counter = cb_sched_counter(sched);
    }
    int64_t bufbytes = max_task_bytes(&st->layout, tasks, ntasks, o->sched);
    /* Several tasks a call: the tasks a rank takes at once are joined into
     * rectangles (core/batch.h), one call each; one buffer holds the largest. */
    int per_call = o->writing && o->tasks_per_call > 1 ? o->tasks_per_call : 1;
    cb_task *batch = NULL, *rect = NULL;
    int64_t *rows = NULL;
    int *of = NULL;
    double *stamp = NULL;
    cb_rec *held = NULL;
    if (!local.code && !(buf = malloc(bufbytes ? (size_t)bufbytes * (size_t)per_call : 1)))
        cb_fail(&local, CB_EIO, "out of memory for a %lld-byte task buffer", (long long)bufbytes * per_call);
    if (!local.code && (!(batch = malloc((size_t)per_call * sizeof *batch)) ||
                        !(rect = malloc((size_t)per_call * sizeof *rect)) ||
                        !(rows = malloc((size_t)per_call * sizeof *rows)) ||
                        !(of = malloc((size_t)per_call * sizeof *of)) ||
                        !(stamp = malloc(2 * (size_t)per_call * sizeof *stamp)) ||
                        !(held = malloc((size_t)per_call * sizeof *held))))
        cb_fail(&local, CB_EIO, "out of memory for %d tasks a call", per_call);
    if (cb_agree(comm, &local) < 0)
        goto end;
    /* Static and dynamic schedules know the total; claims from a server do not. */
    int64_t total = ntasks;
    if (o->max_tasks > 0 && o->sched != CB_SCHED_SERVER) {
        int size = 1;
        cb_mpi(&local, MPI_Comm_size(comm, &size), "MPI_Comm_size");
        if ((double)o->max_tasks * size < (double)total)
            total = o->max_tasks * size;
    }
    progress = cb_progress_start(comm, o->writing ? "write" : o->verify ? "verify" : "read", total, o->progress,
                                 stdout, o->progress_interval);
    cb_journal *jr = o->writing ? o->journal : NULL;
    stop_armed = o->writing;
    /* Collective rounds give every rank the same number of tasks, so their
     * counts are even at the deadline already: no wear-out agreement. */
    cb_deadline_start(&dl, o->deadline_s, o->wearout && !st->lockstep, comm);
    out->deadline_at = dl.at > 0 ? dl.at - o->clock_offset : 0;
    /* Collective I/O: a task's record waits for the next round's agreement,
     * which every rank reaches only after its part of the last transfer
     * (an aggregator may write another rank's data) has returned. */
    int nheld = 0;

    for (;;) {
        if (!st->lockstep && stop_sig && !out->stopped) {
            out->stopped = stop_sig;
            cb_sched_stop(sched); /* this rank takes no more; the others follow their own signal */
        }
        if (!st->lockstep) {
            int d;
            while ((d = cb_deadline_check(&dl, out->nrecs, &local)) == CB_DEADLINE_WAIT)
                cb_sched_serve(sched); /* rank 0 of a p2p counter answers the others meanwhile */
            if (d == CB_DEADLINE_STOP)
                cb_sched_stop(sched); /* as for a signal: the schedule hands this rank nothing more */
        }
        /* Collective I/O asks every round, failed or not: rank 0 of a p2p
         * counter answers the others' claims as it asks. Each rank asks
         * per_call times a round, so the counter's rounds stay in step. */
        cb_err ignored = {0};
        int got = 0;
        for (int k = 0; k < per_call; k++) {
            if (local.code && !st->lockstep)
                break;
            cb_task t;
            int64_t row = -1;
            int g = cb_sched_next(sched, &t, &row, local.code ? &ignored : &local);
            if (g > 0 && !local.code) {
                batch[got] = t;
                rows[got++] = row;
            } else if (!st->lockstep) {
                break;
            }
        }
        if (local.code)
            got = 0;
        int nrect = got;
        if (per_call > 1 && got > 0 && (nrect = cb_batch_rects(batch, got, rect, of)) < 0) {
            cb_fail(&local, CB_EIO, "out of memory joining %d tasks", got);
            got = nrect = 0;
        } else if (per_call == 1 && got > 0) {
            rect[0] = batch[0];
            of[0] = 0;
        }
        int calls = nrect;
        if (st->lockstep) {
            /* Collective I/O: all ranks call together, as often as the rank
             * with the most rectangles; stop when nobody has a task left,
             * anybody failed or any rank was signalled. */
            int flags[5] = {got > 0, local.code != 0, (int)stop_sig, nrect, cb_deadline_passed(&dl)}, any[5];
            if (cb_mpi(&local, MPI_Allreduce(flags, any, 5, MPI_INT, MPI_MAX, comm),
                       "MPI_Allreduce before a collective transfer") < 0)
                break;
            for (int k = 0; k < nheld && !local.code; k++)
                if (cb_journal_add(jr, held[k].index, held[k].start, held[k].done, &local) < 0)
                    cb_wrap(&local, "recording task %lld", (long long)held[k].index);
            nheld = 0;
            if (any[2])
                out->stopped = any[2];
            /* The deadline: any rank's clock past it ends the pass for all
             * (tasks taken this round stay pending). */
            if (any[4] && any[0] && !any[1] && !any[2])
                dl.hit = 1;
            if (any[1] || !any[0] || any[2] || any[4])
                break;
            calls = any[3];
        } else if (got <= 0) {
            break;
        }
        int failed = 0;
        for (int c = 0; c < calls; c++) {
            if (c < nrect && !failed) {
                int64_t index = per_call > 1 ? -1 : rows[0];
                if (do_task(st, &rect[c], index, buf, o, out, &stamp[2 * c], &stamp[2 * c + 1], &local) < 0)
                    failed = 1;
                continue;
            }
            /* Collective: nothing (left) to move, but every rank calls. */
            cb_err *e = failed ? &ignored : &local;
            if (o->writing ? st->ops->write_task(st, NULL, buf, e) : st->ops->read_task(st, NULL, buf, e))
                cb_wrap(e, "collective I/O with an empty selection");
        }
        if (failed || got <= 0) {
            cb_progress_tick(progress);
            if (!failed && cb_journal_tick(jr, &local) < 0)
                cb_wrap(&local, "between collective transfers");
            continue; /* failed: the next round (or the loop guard) stops this rank */
        }
        for (int k = 0; k < got && !local.code; k++) {
            cb_task *t = &batch[k];
            double s0 = stamp[2 * of[k]], s1 = stamp[2 * of[k] + 1];
            t->start = s0;
            t->done = s1;
            t->status = CB_COMPLETE;
            snprintf(t->pod, sizeof t->pod, "%s", o->pod);
            if (cb_sched_done(sched, rows[k], t, &local) < 0)
                break;
            if (push_rec(out, rows[k], s0, s1) < 0)
                cb_fail(&local, CB_EIO, "out of memory for task records");
            /* Independent and direct I/O: the data left this rank inside the
             * call (parallel HDF5 bypasses the chunk cache for writes), so it
             * is recorded now. */
            if (jr && st->lockstep)
                held[nheld++] = (cb_rec){rows[k], s0, s1};
            else if (jr && !local.code && cb_journal_add(jr, rows[k], s0, s1, &local) < 0)
                cb_wrap(&local, "recording task %lld", (long long)rows[k]);
            cb_progress_add(progress, cb_task_bytes(t, st->layout.elem_size));
            if (out->deadline_at > 0 && s1 <= out->deadline_at) {
                out->deadline_tasks++;
                out->deadline_bytes += cb_task_bytes(t, st->layout.elem_size);
            }
        }
        cb_progress_tick(progress);
    }
    /* Out of tasks, this rank may wait long for the others: its records go now. */
    if (cb_journal_flush(jr, &local) < 0)
        cb_wrap(&local, "at the end of the phase");
end:
    stop_armed = 0;
    cb_deadline_post(&dl, out->nrecs, &local);
    cb_sched_end(sched, &local); /* first: the others may still wait for a p2p counter's answer */
    cb_deadline_end(&dl, &local);
    out->deadline_hit = dl.hit;
    cb_progress_end(progress);
    if (o->writing) {
        /* Every rank reports the stop, also one no signal reached. */
        int mine = out->stopped, any = 0;
        if (cb_mpi(&local, MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, comm), "MPI_Allreduce of the stop signal") == 0)
            out->stopped = any;
    }
    free(buf);
    free(batch);
    free(rect);
    free(rows);
    free(of);
    free(stamp);
    free(held);
    *err = local;
}

/* Appends src's requests to dst's (the close's to the last step's). */
static void iolog_append(cb_iolog *dst, const cb_iolog *src)
{
    for (int64_t i = 0; i < src->n; i++)
        cb_iolog_add(dst, src->v[i].offset, src->v[i].size, src->v[i].start, src->v[i].end, src->v[i].kind);
    dst->lost += src->lost;
}

/* Collective: the store's figures into out, then the close, agreed on.
 * step: out is the last step's, which has its own figures already; the
 * close's requests are added to its log. */
static int close_store(cb_store *st, const cb_phase_opts *o, MPI_Comm comm, cb_phase_out *out, int step,
                       cb_err *local, cb_err *err)
{
    /* The log stays where it is: reads made while closing still reach it. */
    cb_iolog *log = st->iolog;
    st->iolog = NULL;
    if (!out->iolog)
        out->iolog = log;
    if (!step) {
        out->coll = st->coll;
        out->mpi_hints = st->mpi_hints;
        st->mpi_hints = NULL;
    }
    cb_err cerr = {0};
    st->ops->close(st, &out->net, &cerr);
    out->close_end = cb_now() - o->clock_offset;
    if (log && log != out->iolog) {
        iolog_append(out->iolog, log);
        cb_iolog_free(log);
        free(log);
    }
    if (!local->code && cerr.code)
        *local = cerr;
    if (cb_agree(comm, local) < 0) {
        *err = *local;
        return -1;
    }
    return 0;
}

int cb_phase_run(const cb_store_opts *so, const cb_backend *be, const cb_task *tasks, const int64_t *index,
                 int64_t ntasks, const cb_phase_opts *o, MPI_Comm comm, cb_phase_out *out, cb_err *err)
{
    memset(out, 0, sizeof *out);
    cb_store *st;
    if (open_store(so, be, o, comm, &st, &out->open_start, err) < 0)
        return -1;
    cb_err local = {0};
    run_tasks(st, tasks, index, ntasks, o, comm, out, &local);
    return close_store(st, o, comm, out, 0, &local, err);
}

int cb_phase_open(const cb_store_opts *so, const cb_backend *be, const cb_phase_opts *o, MPI_Comm comm,
                  cb_store **st, double *open_start, cb_err *err)
{
    *st = NULL;
    return open_store(so, be, o, comm, st, open_start, err);
}

int cb_phase_step(cb_store *st, const cb_store_opts *next, const cb_task *tasks, const int64_t *index,
                  int64_t ntasks, const cb_phase_opts *o, MPI_Comm comm, cb_phase_out *out, cb_err *err)
{
    memset(out, 0, sizeof *out);
    cb_err local = {0};
    /* A step starts when every rank has finished the one before. */
    cb_mpi(&local, MPI_Barrier(comm), "MPI_Barrier before the next dataset");
    out->open_start = cb_now() - o->clock_offset;
    if (next && !local.code)
        st->ops->switch_dataset(st, next, &local);
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    run_tasks(st, tasks, index, ntasks, o, comm, out, &local);
    out->close_end = cb_now() - o->clock_offset;
    /* The requests so far are this step's (the first's from the open on);
     * the log goes on empty for the next. */
    if (st->iolog && (out->iolog = calloc(1, sizeof *out->iolog))) {
        *out->iolog = *st->iolog;
        st->iolog->v = NULL;
        st->iolog->n = st->iolog->cap = st->iolog->lost = 0;
    } else if (st->iolog) {
        cb_fail(&local, CB_EIO, "out of memory");
    }
    out->coll = st->coll;
    /* The counts go on from zero; what was asked stays. */
    cb_coll_stats restart = {0};
    memcpy(restart.asked, st->coll.asked, sizeof restart.asked);
    st->coll = restart;
    if (st->mpi_hints && !local.code) {
        if (!(out->mpi_hints = calloc(1, sizeof *out->mpi_hints)))
            cb_fail(&local, CB_EIO, "out of memory");
        else
            cb_hints_copy(out->mpi_hints, st->mpi_hints, &local);
    }
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    return 0;
}

int cb_phase_close(cb_store *st, const cb_phase_opts *o, MPI_Comm comm, cb_phase_out *last, cb_err *err)
{
    cb_err local = {0};
    cb_phase_out scratch = {0};
    int rc = close_store(st, o, comm, last ? last : &scratch, last != NULL, &local, err);
    cb_phase_out_free(&scratch);
    return rc;
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
    if (o->mpi_hints) {
        cb_hints_free(o->mpi_hints);
        free(o->mpi_hints);
    }
    memset(o, 0, sizeof *o);
}
