#include "engine/counter.h"

#include <stdlib.h>
#include <string.h>

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
};

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
    MPI_Irecv(NULL, 0, MPI_BYTE, MPI_ANY_SOURCE, MPI_ANY_TAG, c->comm, &c->req);
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
    MPI_Send(&idx, 1, MPI_INT64_T, r, TAG_ANSWER, c->comm);
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
    for (;;) {
        int wait = (until_caught_up && c->behind > 0) || (until_all_stopped && c->active > 0);
        int flag = 1;
        MPI_Status st;
        if (wait)
            MPI_Wait(&c->req, &st);
        else
            MPI_Test(&c->req, &flag, &st);
        if (!flag)
            return;
        serve_one(c, &st);
    }
}

/* Other ranks: claim the next index; the answer lands in c->ahead. The claim
 * is a blocking (eager, empty) send: an MPI_Isend may sit in this rank's queue
 * until its next MPI call, after the task the claim was to travel during. */
static void ask(cb_counter *c)
{
    MPI_Irecv(&c->ahead, 1, MPI_INT64_T, 0, TAG_ANSWER, c->comm, &c->req);
    MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_CLAIM, c->comm);
    c->asked = 1;
}

static int64_t take_answer(cb_counter *c)
{
    MPI_Wait(&c->req, MPI_STATUS_IGNORE);
    c->asked = 0;
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
    MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_STOP, c->comm);
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
    MPI_Barrier(comm); /* the count is zero before anyone takes from it */
    MPI_Win_lock_all(MPI_MODE_NOCHECK, c->win);
    return 0;
}

int cb_counter_start(int64_t limit, MPI_Comm comm, cb_counter **out, cb_err *err)
{
    *out = NULL;
    cb_counter *c = calloc(1, sizeof *c);
    int ok = c != NULL, all;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, comm);
    if (!all) {
        free(c);
        return cb_fail(err, CB_EIO, "out of memory for the dynamic schedule's counter");
    }
    MPI_Comm_rank(comm, &c->rank);
    MPI_Comm_size(comm, &c->size);
    c->limit = limit;
    /* Rank 0's setting for all: launchers need not pass the environment on. */
    int mode = c->rank == 0 ? mode_from_env() : MODE_AUTO;
    MPI_Bcast(&mode, 1, MPI_INT, 0, comm);
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
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, comm);
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
        MPI_Fetch_and_op(&one, &idx, MPI_INT64_T, 0, 0, MPI_SUM, c->win);
        MPI_Win_flush(0, c->win);
        return idx < c->limit ? idx : -1;
    }
    if (c->rank == 0) {
        if (c->lockstep) {
            c->round++;
            c->behind = 0;
            for (int r = 1; r < c->size; r++)
                c->behind += owes_round(c, r);
        }
        int64_t idx = want && c->next < c->limit ? c->next++ : -1;
        serve(c, c->lockstep, 0);
        return idx;
    }
    if (c->done)
        return -1;
    if (!want) {
        stop_asking(c);
        return -1;
    }
    if (!c->asked)
        ask(c);
    int64_t idx = take_answer(c);
    if (idx >= 0 && again)
        ask(c); /* the answer travels while this rank works on idx */
    return idx;
}

void cb_counter_end(cb_counter *c)
{
    if (!c)
        return;
    if (!c->p2p) {
        MPI_Win_unlock_all(c->win);
        MPI_Win_free(&c->win);
    } else {
        if (c->rank == 0) {
            serve(c, 0, 1);
            /* Nobody sends any more: the receive posted for a next message goes. */
            MPI_Cancel(&c->req);
            MPI_Wait(&c->req, MPI_STATUS_IGNORE);
        } else
            stop_asking(c);
        MPI_Comm_free(&c->comm);
        free(c->answered);
        free(c->stopped);
    }
    free(c);
}
