#include "engine/counter.h"

#include <stdlib.h>
#include <string.h>

#include "core/mpi_err.h"

enum { TAG_CLAIM = 1, TAG_STOP, TAG_ANSWER };
enum { MODE_AUTO, MODE_RMA, MODE_P2P, MODE_BAD };

struct cb_counter {
    int p2p, rank, size, lockstep;
    int64_t limit;
    /* rma: the count lives in a window on rank 0 */
    MPI_Win win;
    int64_t *count;
    /* p2p: claims travel on a communicator of their own, so they never match
     * anybody else's messages */
    MPI_Comm comm;
    /* p2p rank 0 */
    int64_t next;      /* the next index to hand out */
    int active;        /* other ranks still asking */
    int64_t round;     /* lockstep: rounds so far */
    int behind;        /* lockstep: ranks not yet answered this round */
    int64_t *answered; /* per rank: claims answered */
    char *stopped;     /* per rank: asks no more */
    /* p2p other ranks */
    int asked, done;   /* a claim is out (its answer lands in `ahead`); stopped */
    int64_t ahead;
    MPI_Request req;   /* rank 0: the receive for the next message; others: for the answer */
    cb_err err;        /* the first failed MPI call: this rank takes no more */
};

/* Records a failed MPI call (the first one counts); 0 when rc is success. */
static int chk(cb_counter *c, int rc, const char *what)
{
    return cb_mpi(&c->err, rc, "%s (the dynamic schedule's counter)", what);
}

static int mode_from_env(void)
{
    const char *s = getenv("CHUNKBENCH_COUNTER");
    if (!s || !*s || !strcmp(s, "auto"))
        return MODE_AUTO;
    return !strcmp(s, "rma") ? MODE_RMA : !strcmp(s, "p2p") ? MODE_P2P : MODE_BAD;
}

/* Rank 0: whether a rank still owes its claim of this lockstep round. */
static int owes_round(const cb_counter *c, int r)
{
    return !c->stopped[r] && c->answered[r] < c->round;
}

static void retire(cb_counter *c, int r)
{
    if (c->lockstep && owes_round(c, r))
        c->behind--;
    c->stopped[r] = 1;
    c->active--;
}

/* Rank 0: always one receive posted for the next message from anybody.
 * (MPI_Test on it sees a message that has just arrived; OpenMPI's
 * MPI_Iprobe only moves it in, and finds it on the next call.) */
static void listen_next(cb_counter *c)
{
    chk(c, MPI_Irecv(NULL, 0, MPI_BYTE, MPI_ANY_SOURCE, MPI_ANY_TAG, c->comm, &c->req), "MPI_Irecv");
}

/* Rank 0: one message from another rank, a claim or its last word. */
static void serve_one(cb_counter *c, const MPI_Status *st)
{
    int r = st->MPI_SOURCE;
    listen_next(c);
    if (c->stopped[r])
        return;
    if (st->MPI_TAG == TAG_STOP) {
        retire(c, r);
        return;
    }
    int64_t idx = c->next < c->limit ? c->next++ : -1;
    /* The claimant posted its receive before claiming: this send cannot wait. */
    chk(c, MPI_Send(&idx, 1, MPI_INT64_T, r, TAG_ANSWER, c->comm), "MPI_Send of an answer");
    if (c->lockstep && owes_round(c, r) && c->answered[r] + 1 >= c->round)
        c->behind--;
    c->answered[r]++;
    if (idx < 0) {
        c->stopped[r] = 1;
        c->active--;
    }
}

/* Rank 0: every message that has arrived; with `until_caught_up`, also wait
 * until no rank owes this round's claim; with `until_all_stopped`, until no
 * rank asks any more. */
static void serve(cb_counter *c, int until_caught_up, int until_all_stopped)
{
    while (!c->err.code) {
        int wait = (until_caught_up && c->behind > 0) || (until_all_stopped && c->active > 0);
        int flag = 1;
        MPI_Status st;
        if (chk(c, wait ? MPI_Wait(&c->req, &st) : MPI_Test(&c->req, &flag, &st), "MPI_Wait for a claim") < 0 || !flag)
            return;
        serve_one(c, &st);
    }
}

/* Other ranks: claim the next index; the answer lands in c->ahead. The claim
 * is a blocking (eager, empty) send: an MPI_Isend may sit in this rank's queue
 * until its next MPI call, after the task the claim was to travel during. */
static void ask(cb_counter *c)
{
    if (chk(c, MPI_Irecv(&c->ahead, 1, MPI_INT64_T, 0, TAG_ANSWER, c->comm, &c->req), "MPI_Irecv") < 0)
        return;
    c->asked = 1;
    chk(c, MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_CLAIM, c->comm), "MPI_Send of a claim");
}

static int64_t take_answer(cb_counter *c)
{
    c->asked = 0;
    if (chk(c, MPI_Wait(&c->req, MPI_STATUS_IGNORE), "MPI_Wait for an answer") < 0)
        c->ahead = -1;
    if (c->ahead < 0)
        c->done = 1; /* rank 0 counted this rank out when it answered */
    return c->ahead;
}

static void stop_asking(cb_counter *c)
{
    if (c->done)
        return;
    if (c->asked && take_answer(c) < 0)
        return;
    /* (An index claimed ahead and left unused here is an error path's loss:
     * that run fails, and its task stays pending for the next write.) */
    chk(c, MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_STOP, c->comm), "MPI_Send of the last word");
    c->done = 1;
}

static int start_rma(cb_counter *c, MPI_Comm comm)
{
    MPI_Aint size = c->rank == 0 ? (MPI_Aint)sizeof(int64_t) : 0;
    int ok = MPI_Win_allocate(size, sizeof(int64_t), MPI_INFO_NULL, comm, &c->count, &c->win) == MPI_SUCCESS, all;
    if (MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, comm) != MPI_SUCCESS)
        all = 0;
    if (!all) {
        /* A window some ranks got and others did not is left alone: freeing
         * it is collective over ranks that never had it. */
        return -1;
    }
    if (c->rank == 0)
        *c->count = 0;
    /* Windows abort on error unless told otherwise (MPI_ERRORS_ARE_FATAL). */
    chk(c, MPI_Win_set_errhandler(c->win, MPI_ERRORS_RETURN), "MPI_Win_set_errhandler");
    chk(c, MPI_Barrier(comm), "MPI_Barrier"); /* the count is zero before anyone takes from it */
    chk(c, MPI_Win_lock_all(MPI_MODE_NOCHECK, c->win), "MPI_Win_lock_all");
    return 0;
}

int cb_counter_start(int64_t limit, MPI_Comm comm, cb_counter **out, cb_err *err)
{
    *out = NULL;
    cb_counter *c = calloc(1, sizeof *c);
    int ok = c != NULL, all = 0;
    if (cb_mpi(err, MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, comm), "MPI_Allreduce (the dynamic schedule's counter)") < 0 ||
        !all) {
        free(c);
        return err->code ? -1 : cb_fail(err, CB_EIO, "out of memory for the dynamic schedule's counter");
    }
    if (cb_mpi(err, MPI_Comm_rank(comm, &c->rank), "MPI_Comm_rank") < 0 ||
        cb_mpi(err, MPI_Comm_size(comm, &c->size), "MPI_Comm_size") < 0) {
        free(c);
        return -1;
    }
    c->limit = limit;
    /* Rank 0's setting for all: launchers need not pass the environment on. */
    int mode = c->rank == 0 ? mode_from_env() : MODE_AUTO;
    if (cb_mpi(err, MPI_Bcast(&mode, 1, MPI_INT, 0, comm), "MPI_Bcast of CHUNKBENCH_COUNTER") < 0) {
        free(c);
        return -1;
    }
    if (mode == MODE_BAD) {
        free(c);
        return cb_fail(err, CB_EUSAGE, "CHUNKBENCH_COUNTER must be auto, rma or p2p");
    }
    if (mode != MODE_P2P && start_rma(c, comm) == 0) {
        *out = c;
        return 0;
    }
    if (mode == MODE_RMA) {
        free(c);
        return cb_fail(err, CB_EIO,
                       "MPI_Win_allocate failed for the dynamic schedule's counter (CHUNKBENCH_COUNTER=rma); "
                       "unset it to count over point-to-point messages");
    }
    c->p2p = 1;
    ok = MPI_Comm_dup(comm, &c->comm) == MPI_SUCCESS;
    if (ok && c->rank == 0) {
        c->answered = calloc((size_t)c->size, sizeof *c->answered);
        c->stopped = calloc((size_t)c->size, 1);
        ok = c->answered && c->stopped;
        c->active = c->size - 1;
        if (ok)
            listen_next(c);
    }
    if (MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, comm) != MPI_SUCCESS)
        all = 0;
    if (!all) {
        if (c->comm != MPI_COMM_NULL && c->comm)
            MPI_Comm_free(&c->comm);
        free(c->answered);
        free(c->stopped);
        free(c);
        return cb_fail(err, CB_EIO, "cannot set up the dynamic schedule's point-to-point counter");
    }
    *out = c;
    return 0;
}

void cb_counter_lockstep(cb_counter *c)
{
    c->lockstep = 1;
}

const char *cb_counter_kind(const cb_counter *c)
{
    return c->p2p ? "p2p" : "rma";
}

int64_t cb_counter_take(cb_counter *c, int want, int again)
{
    if (!c->p2p) {
        if (!want)
            return -1;
        const int64_t one = 1;
        int64_t idx = -1;
        if (c->err.code || chk(c, MPI_Fetch_and_op(&one, &idx, MPI_INT64_T, 0, 0, MPI_SUM, c->win), "MPI_Fetch_and_op") < 0 ||
            chk(c, MPI_Win_flush(0, c->win), "MPI_Win_flush") < 0)
            return -1;
        return idx < c->limit ? idx : -1;
    }
    if (c->rank == 0) {
        if (c->lockstep) {
            c->round++;
            c->behind = 0;
            for (int r = 1; r < c->size; r++)
                c->behind += owes_round(c, r);
        }
        int64_t idx = want && !c->err.code && c->next < c->limit ? c->next++ : -1;
        serve(c, c->lockstep, 0);
        return c->err.code ? -1 : idx;
    }
    if (c->done)
        return -1;
    if (!want) {
        stop_asking(c);
        return -1;
    }
    if (!c->asked)
        ask(c);
    int64_t idx = c->err.code ? -1 : take_answer(c);
    if (idx >= 0 && again)
        ask(c); /* the answer travels while this rank works on idx */
    return c->err.code ? -1 : idx;
}

int cb_counter_error(const cb_counter *c, cb_err *err)
{
    if (!c || !c->err.code)
        return 0;
    if (!err->code)
        *err = c->err;
    return -1;
}

void cb_counter_serve(cb_counter *c)
{
    if (c && c->p2p && c->rank == 0 && !c->lockstep)
        serve(c, 0, 0);
}

int cb_counter_end(cb_counter *c, cb_err *err)
{
    if (!c)
        return 0;
    if (!c->p2p) {
        chk(c, MPI_Win_unlock_all(c->win), "MPI_Win_unlock_all");
        chk(c, MPI_Win_free(&c->win), "MPI_Win_free");
    } else {
        if (c->rank == 0) {
            serve(c, 0, 1);
            /* Nobody sends any more: the receive posted for a next message goes. */
            if (!c->err.code) {
                chk(c, MPI_Cancel(&c->req), "MPI_Cancel");
                chk(c, MPI_Wait(&c->req, MPI_STATUS_IGNORE), "MPI_Wait");
            }
        } else
            stop_asking(c);
        chk(c, MPI_Comm_free(&c->comm), "MPI_Comm_free");
        free(c->answered);
        free(c->stopped);
    }
    int rc = cb_counter_error(c, err);
    free(c);
    return rc;
}
