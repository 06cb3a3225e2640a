#include "engine/progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/mpi_err.h"
#include "core/terminal.h"
#include "engine/rma_counters.h"
#include "core/units.h"

enum { C_TASKS, C_BYTES, C_N };

/* Messages mode (no one-sided window, as OpenMPI over TCP between hosts):
 * each rank sends its running totals to rank 0 at most every SEND_S, on a
 * communicator of its own, and rank 0 keeps the latest from each. */
#define SEND_S 0.25
enum { TAG_TOTALS = 1 };

struct cb_progress {
    MPI_Comm comm;
    MPI_Win win; /* one-sided mode: the counters, on rank 0: tasks, bytes */
    int rank, size, tty;
    int broken;  /* an MPI call on the counters failed on this rank: no more adds, no more lines */
    cb_err why;  /* what failed */
    int64_t total;
    double t0, next, interval;
    const char *what;
    FILE *out;
    /* messages mode */
    int msgs;
    MPI_Comm mcomm;
    int64_t mine[C_N];   /* this rank's totals */
    int64_t *latest;     /* rank 0: each rank's last totals received */
    int64_t received;    /* rank 0: messages received */
    int64_t sent;        /* others: messages sent */
    int64_t sbuf[C_N];   /* others: the totals in flight */
    MPI_Request sreq;
    double next_send;
};

void cb_progress_format(char *buf, size_t cap, const char *what, int64_t done, int64_t total, double bytes,
                        double elapsed_s)
{
    double frac = total > 0 ? (double)done / (double)total : 0;
    double rate = elapsed_s > 0 ? bytes / elapsed_s / CB_BYTES_PER_MB : 0;
    int n = snprintf(buf, cap, "%s %lld/%lld tasks %5.1f%%  %.1f MB/s  elapsed %.1f s", what, (long long)done,
                     (long long)total, 100 * frac, rate, elapsed_s);
    if (n > 0 && (size_t)n < cap && done > 0 && done < total)
        snprintf(buf + n, cap - (size_t)n, "  left %.1f s", elapsed_s * (double)(total - done) / (double)done);
}

/* Rank 0: the progress line is a nicety, so a failure only turns it off. Once
 * per run: every phase tries again, and a pass of --iterations is a phase. */
static void say_off(const cb_err *why)
{
    static int said;
    if (!said)
        fprintf(stderr, "chunkbench: progress line off: %s\n", why->msg);
    said = 1;
}

/* CHUNKBENCH_COUNTER (engine/counter.c) also says how the progress line
 * counts: rma only with a window, p2p only with messages, auto (unset, or
 * a value the counter refuses itself) a window where MPI gives one, else
 * messages. Rank 0's value, so every rank takes the same way. */
static int counter_mode(MPI_Comm comm, int rank, int *rma, int *p2p, cb_err *e)
{
    int m[2] = {1, 1};
    const char *s = rank == 0 ? getenv("CHUNKBENCH_COUNTER") : NULL;
    if (s && !strcmp(s, "rma"))
        m[1] = 0;
    else if (s && !strcmp(s, "p2p"))
        m[0] = 0;
    int rc = cb_mpi(e, MPI_Bcast(m, 2, MPI_INT, 0, comm), "MPI_Bcast of CHUNKBENCH_COUNTER");
    *rma = m[0];
    *p2p = m[1];
    return rc;
}

/* Collective: the messages mode on every rank, or on none (-1, e set). */
static int open_messages(cb_progress *p, MPI_Comm comm, int size, cb_err *e)
{
    int ok = 1, all = 0;
    if (p && p->rank == 0 && !(p->latest = calloc((size_t)size * C_N, sizeof *p->latest)))
        ok = 0;
    if (cb_mpi(e, MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, comm), "MPI_Allreduce opening the progress line") < 0)
        return -1;
    if (!all)
        return cb_fail(e, CB_EIO, "out of memory for the progress line");
    /* Its own communicator: these messages match nobody else's. */
    if (cb_mpi(e, MPI_Comm_dup(comm, &p->mcomm), "MPI_Comm_dup for the progress line") < 0)
        return -1;
    p->msgs = 1;
    p->sreq = MPI_REQUEST_NULL;
    return 0;
}

cb_progress *cb_progress_start(MPI_Comm comm, const char *what, int64_t total_tasks, int enabled, FILE *out,
                               double interval_s)
{
    if (!enabled)
        return NULL;
    cb_err e = {0};
    int rank = 0, size = 1, rma = 1, p2p = 1;
    cb_mpi(&e, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank");
    cb_mpi(&e, MPI_Comm_size(comm, &size), "MPI_Comm_size");
    counter_mode(comm, rank, &rma, &p2p, &e);
    cb_progress *p = calloc(1, sizeof *p);
    if (!p)
        cb_fail(&e, CB_EIO, "out of memory");
    else
        p->rank = rank;
    /* Every rank takes part in the window, and all go without it together
     * when any rank cannot have it (an MPI without a one-sided component for
     * this network, as OpenMPI over TCP between hosts); then messages carry
     * the counts, unless CHUNKBENCH_COUNTER=rma. */
    MPI_Win win = MPI_WIN_NULL;
    int have = 0;
    if (rma)
        have = cb_counters_open(comm, C_N, "the progress counters", &win, &e) == 0;
    if (!have && p2p) {
        cb_err m = {0};
        have = open_messages(p, comm, size, &m) == 0;
        if (!have && !e.code)
            e = m;
    }
    if (!have) {
        if (rank == 0)
            say_off(&e);
        if (p)
            free(p->latest);
        free(p);
        return NULL;
    }
    p->comm = comm;
    p->win = win;
    p->size = size;
    p->total = total_tasks;
    p->what = what;
    p->out = out;
    p->tty = p->rank == 0 && cb_fd_reaches_terminal(fileno(out));
    p->interval = interval_s > 0 ? interval_s : p->tty ? 0.25 : 5.0;
    p->t0 = cb_now();
    p->next = p->t0 + p->interval;
    p->next_send = p->t0 + (interval_s > 0 && interval_s < SEND_S ? interval_s : SEND_S);
    return p;
}

/* Messages mode, ranks other than 0: the running totals, when one is due
 * and the last has left. */
static void send_totals(cb_progress *p, double now)
{
    int done = 1;
    if (p->sreq != MPI_REQUEST_NULL &&
        cb_mpi(&p->why, MPI_Test(&p->sreq, &done, MPI_STATUS_IGNORE), "MPI_Test of a progress message") < 0) {
        p->broken = 1;
        return;
    }
    if (!done)
        return;
    memcpy(p->sbuf, p->mine, sizeof p->sbuf);
    if (cb_mpi(&p->why, MPI_Isend(p->sbuf, C_N, MPI_INT64_T, 0, TAG_TOTALS, p->mcomm, &p->sreq),
               "MPI_Isend of a progress message") < 0) {
        p->broken = 1;
        return;
    }
    p->sent++;
    p->next_send = now + SEND_S;
}

void cb_progress_add(cb_progress *p, int64_t bytes)
{
    if (!p || p->broken)
        return;
    if (p->msgs) {
        p->mine[C_TASKS]++;
        p->mine[C_BYTES] += bytes;
        if (p->rank != 0) {
            double now = cb_now();
            if (now >= p->next_send)
                send_totals(p, now);
        }
        return;
    }
    int64_t v[2] = {1, bytes};
    if (cb_mpi(&p->why, MPI_Accumulate(v, 2, MPI_INT64_T, 0, C_TASKS, 2, MPI_INT64_T, MPI_SUM, p->win),
               "MPI_Accumulate on the progress counters") < 0 ||
        cb_mpi(&p->why, MPI_Win_flush(0, p->win), "MPI_Win_flush of the progress counters") < 0)
        p->broken = 1;
}

/* Rank 0, messages mode: take one message (blocking when wait), keep the
 * sender's totals. Returns 1 when one was taken. */
static int take_message(cb_progress *p, int wait)
{
    int flag = 1;
    MPI_Status st;
    if (!wait && cb_mpi(&p->why, MPI_Iprobe(MPI_ANY_SOURCE, TAG_TOTALS, p->mcomm, &flag, &st),
                        "MPI_Iprobe for progress messages") < 0)
        return -1;
    if (!flag)
        return 0;
    int64_t v[C_N];
    if (cb_mpi(&p->why, MPI_Recv(v, C_N, MPI_INT64_T, wait ? MPI_ANY_SOURCE : st.MPI_SOURCE, TAG_TOTALS, p->mcomm, &st),
               "MPI_Recv of a progress message") < 0)
        return -1;
    memcpy(p->latest + (size_t)st.MPI_SOURCE * C_N, v, sizeof v);
    p->received++;
    return 1;
}

static int read_counters(cb_progress *p, int64_t c[C_N])
{
    if (p->msgs) {
        int r;
        while ((r = take_message(p, 0)) > 0)
            ;
        if (r < 0) {
            p->broken = 1;
            return -1;
        }
        c[C_TASKS] = p->mine[C_TASKS];
        c[C_BYTES] = p->mine[C_BYTES];
        for (int k = 1; k < p->size; k++) {
            c[C_TASKS] += p->latest[(size_t)k * C_N + C_TASKS];
            c[C_BYTES] += p->latest[(size_t)k * C_N + C_BYTES];
        }
        return 0;
    }
    /* Atomic reads through the window, consistent with the others' adds. */
    if (cb_mpi(&p->why,
               MPI_Get_accumulate(NULL, 0, MPI_INT64_T, c, C_N, MPI_INT64_T, 0, 0, C_N, MPI_INT64_T, MPI_NO_OP, p->win),
               "MPI_Get_accumulate on the progress counters") < 0 ||
        cb_mpi(&p->why, MPI_Win_flush(0, p->win), "MPI_Win_flush of the progress counters") < 0) {
        p->broken = 1;
        return -1;
    }
    return 0;
}

static void print_line(cb_progress *p, int final)
{
    int64_t c[C_N];
    if (read_counters(p, c) < 0)
        return;
    char line[256];
    cb_progress_format(line, sizeof line, p->what, c[C_TASKS], p->total, (double)c[C_BYTES], cb_now() - p->t0);
    if (p->tty)
        fprintf(p->out, "\r%-100s%s", line, final ? "\n" : "");
    else
        fprintf(p->out, "%s\n", line);
    fflush(p->out);
}

void cb_progress_tick(cb_progress *p)
{
    if (!p || p->rank != 0 || p->broken)
        return;
    double now = cb_now();
    if (now < p->next)
        return;
    p->next = now + p->interval;
    print_line(p, 0);
}

/* Collective: rank 0 learns the lowest rank whose counters failed (size: none)
 * while it keeps the line going; it may finish its share first. In messages
 * mode every rank first sends its final totals, and rank 0 learns how many
 * messages were sent in all, to take every one before the end. */
static int wait_for_all(cb_progress *p, int *first, int64_t *sent, cb_err *e)
{
    if (p->msgs && p->rank != 0 && !p->broken) {
        if (cb_mpi(&p->why, MPI_Wait(&p->sreq, MPI_STATUS_IGNORE), "MPI_Wait for a progress message") < 0)
            p->broken = 1;
        else
            send_totals(p, cb_now());
        if (!p->broken &&
            cb_mpi(&p->why, MPI_Wait(&p->sreq, MPI_STATUS_IGNORE), "MPI_Wait for the last progress message") < 0)
            p->broken = 1;
    }
    int mine = p->broken ? p->rank : p->size, done = 0;
    int64_t nsent = p->sent;
    MPI_Request req[2] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
    MPI_Status st[2]; /* not MPI_STATUSES_IGNORE: gcc reads MPICH's (MPI_Status *)1 as an empty array */
    if (cb_mpi(e, MPI_Ireduce(&mine, first, 1, MPI_INT, MPI_MIN, 0, p->comm, &req[0]),
               "MPI_Ireduce at the end of the progress line") < 0)
        return -1;
    if (p->msgs && cb_mpi(e, MPI_Ireduce(&nsent, sent, 1, MPI_INT64_T, MPI_SUM, 0, p->comm, &req[1]),
                          "MPI_Ireduce of the progress messages sent") < 0)
        return -1;
    if (p->rank != 0)
        return cb_mpi(e, MPI_Waitall(2, req, st), "MPI_Wait at the end of the progress line");
    /* A few quick polls first: when rank 0 is the last to finish, the
     * reduction completes in a round or two, and a sleep would be timed. */
    for (int polls = 0;; polls++) {
        if (cb_mpi(e, MPI_Testall(2, req, &done, st), "MPI_Test at the end of the progress line") < 0)
            return -1;
        if (done)
            break;
        cb_progress_tick(p);
        if (polls >= 1000)
            nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    }
    /* Every message sent has left its sender: take those not taken yet
     * (unless a rank failed: what it sent may never come). */
    while (p->msgs && !p->broken && *first == p->size && p->received < *sent)
        if (take_message(p, 1) < 0)
            p->broken = 1;
    return 0;
}

void cb_progress_end(cb_progress *p)
{
    if (!p)
        return;
    int first = p->size;
    int64_t sent = 0;
    cb_err e = {0};
    int waited = wait_for_all(p, &first, &sent, &e) == 0;
    if (p->rank == 0) {
        int printed = p->next > p->t0 + p->interval; /* a line was due once */
        if (waited && first < p->size && !p->broken)
            cb_fail(&e, CB_EIO, "MPI %s on the progress counters failed on rank %d",
                    p->msgs ? "messages" : "one-sided calls", first);
        if (!p->broken && !e.code && (p->tty || printed))
            print_line(p, 1); /* the last state, unless no line was ever due */
        if (p->broken || e.code) {
            if (p->tty && printed)
                fputc('\n', p->out); /* end the line left open by \r */
            say_off(p->broken ? &p->why : &e);
        }
    }
    cb_err cerr = {0};
    if (p->msgs) {
        if (cb_mpi(&cerr, MPI_Comm_free(&p->mcomm), "MPI_Comm_free of the progress line's communicator") < 0 &&
            p->rank == 0)
            say_off(&cerr);
    } else if (cb_counters_close(&p->win, &cerr) < 0 && p->rank == 0)
        say_off(&cerr);
    free(p->latest);
    free(p);
}
