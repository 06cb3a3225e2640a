#include "engine/progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/mpi_err.h"
#include "core/terminal.h"
#include "engine/rma_counters.h"
#include "core/units.h"

enum { C_TASKS, C_BYTES, C_N };

struct cb_progress {
    MPI_Comm comm;
    MPI_Win win; /* the counters, on rank 0: tasks, bytes */
    int rank, size, tty;
    int broken;  /* an MPI call on the counters failed on this rank: no more adds, no more lines */
    cb_err why;  /* what failed */
    int64_t total;
    double t0, next, interval;
    const char *what;
    FILE *out;
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

cb_progress *cb_progress_start(MPI_Comm comm, const char *what, int64_t total_tasks, int enabled, FILE *out,
                               double interval_s)
{
    if (!enabled)
        return NULL;
    cb_err e = {0};
    int rank = 0, size = 1;
    cb_mpi(&e, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank");
    cb_mpi(&e, MPI_Comm_size(comm, &size), "MPI_Comm_size");
    cb_progress *p = calloc(1, sizeof *p);
    if (!p)
        cb_fail(&e, CB_EIO, "out of memory");
    /* Every rank takes part in the window, and all go without it together
     * when any rank cannot have it (an MPI without a one-sided component for
     * this network, as OpenMPI over TCP between hosts). */
    MPI_Win win;
    if (cb_counters_open(comm, C_N, "the progress counters", &win, &e) < 0) {
        if (rank == 0)
            say_off(&e);
        free(p);
        return NULL;
    }
    p->comm = comm;
    p->win = win;
    p->rank = rank;
    p->size = size;
    p->total = total_tasks;
    p->what = what;
    p->out = out;
    p->tty = p->rank == 0 && cb_fd_reaches_terminal(fileno(out));
    p->interval = interval_s > 0 ? interval_s : p->tty ? 0.25 : 5.0;
    p->t0 = cb_now();
    p->next = p->t0 + p->interval;
    return p;
}

void cb_progress_add(cb_progress *p, int64_t bytes)
{
    if (!p || p->broken)
        return;
    int64_t v[2] = {1, bytes};
    if (cb_mpi(&p->why, MPI_Accumulate(v, 2, MPI_INT64_T, 0, C_TASKS, 2, MPI_INT64_T, MPI_SUM, p->win),
               "MPI_Accumulate on the progress counters") < 0 ||
        cb_mpi(&p->why, MPI_Win_flush(0, p->win), "MPI_Win_flush of the progress counters") < 0)
        p->broken = 1;
}

static int read_counters(cb_progress *p, int64_t c[C_N])
{
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
 * while it keeps the line going; it may finish its share first. */
static int wait_for_all(cb_progress *p, int *first, cb_err *e)
{
    int mine = p->broken ? p->rank : p->size, done = 0;
    MPI_Request req;
    if (cb_mpi(e, MPI_Ireduce(&mine, first, 1, MPI_INT, MPI_MIN, 0, p->comm, &req),
               "MPI_Ireduce at the end of the progress line") < 0)
        return -1;
    if (p->rank != 0)
        return cb_mpi(e, MPI_Wait(&req, MPI_STATUS_IGNORE), "MPI_Wait at the end of the progress line");
    /* A few quick polls first: when rank 0 is the last to finish, the
     * reduction completes in a round or two, and a sleep would be timed. */
    for (int polls = 0;; polls++) {
        if (cb_mpi(e, MPI_Test(&req, &done, MPI_STATUS_IGNORE), "MPI_Test at the end of the progress line") < 0)
            return -1;
        if (done)
            return 0;
        cb_progress_tick(p);
        if (polls >= 1000)
            nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    }
}

void cb_progress_end(cb_progress *p)
{
    if (!p)
        return;
    int first = p->size;
    cb_err e = {0};
    int waited = wait_for_all(p, &first, &e) == 0;
    if (p->rank == 0) {
        int printed = p->next > p->t0 + p->interval; /* a line was due once */
        if (waited && first < p->size && !p->broken)
            cb_fail(&e, CB_EIO, "MPI one-sided calls on the progress counters failed on rank %d", first);
        if (!p->broken && !e.code && (p->tty || printed))
            print_line(p, 1); /* the last state, unless no line was ever due */
        if (p->broken || e.code) {
            if (p->tty && printed)
                fputc('\n', p->out); /* end the line left open by \r */
            say_off(p->broken ? &p->why : &e);
        }
    }
    cb_err cerr = {0};
    if (cb_counters_close(&p->win, &cerr) < 0 && p->rank == 0)
        say_off(&cerr);
    free(p);
}
