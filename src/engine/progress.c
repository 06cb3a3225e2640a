#include "engine/progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"

enum { C_TASKS, C_BYTES, C_FINISHED, C_N };

struct cb_progress {
    MPI_Comm comm;
    MPI_Win win;
    int64_t *counters; /* on rank 0: tasks, bytes, ranks finished */
    int rank, size, tty;
    int64_t total;
    double t0, next, interval;
    const char *what;
    FILE *out;
};

void cb_progress_format(char *buf, size_t cap, const char *what, int64_t done, int64_t total, double bytes,
                        double elapsed_s)
{
    double frac = total > 0 ? (double)done / (double)total : 0;
    double rate = elapsed_s > 0 ? bytes / elapsed_s / 1e6 : 0;
    int n = snprintf(buf, cap, "%s %lld/%lld tasks %5.1f%%  %.1f MB/s  elapsed %.1f s", what, (long long)done,
                     (long long)total, 100 * frac, rate, elapsed_s);
    if (n > 0 && (size_t)n < cap && done > 0 && done < total)
        snprintf(buf + n, cap - (size_t)n, "  left %.1f s", elapsed_s * (double)(total - done) / (double)done);
}

/* Is the user looking at a terminal? Under mpirun a rank's stdout is always a
 * pty, even when mpirun writes into a file (a Slurm output file), so ask what
 * the launcher's own stdout is (rank 0's parent is mpirun on the launch node). */
static int on_terminal(FILE *out)
{
    if (!isatty(fileno(out)))
        return 0;
    if (!getenv("OMPI_COMM_WORLD_SIZE"))
        return 1;
    char link[64], target[256];
    snprintf(link, sizeof link, "/proc/%d/fd/1", (int)getppid());
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return 0;
    target[n] = 0;
    return !strncmp(target, "/dev/pts/", 9) || !strncmp(target, "/dev/tty", 8);
}

cb_progress *cb_progress_start(MPI_Comm comm, const char *what, int64_t total_tasks, int enabled, FILE *out,
                               double interval_s)
{
    if (!enabled)
        return NULL;
    cb_progress *p = calloc(1, sizeof *p);
    int ok = p != NULL, all;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, comm);
    if (!all) {
        free(p);
        return NULL; /* progress is a nicety: without memory, run without it */
    }
    p->comm = comm;
    MPI_Comm_rank(comm, &p->rank);
    MPI_Comm_size(comm, &p->size);
    MPI_Aint sz = p->rank == 0 ? (MPI_Aint)(C_N * sizeof(int64_t)) : 0;
    MPI_Win_allocate(sz, sizeof(int64_t), MPI_INFO_NULL, comm, &p->counters, &p->win);
    if (p->rank == 0)
        for (int i = 0; i < C_N; i++)
            p->counters[i] = 0;
    MPI_Barrier(comm);
    MPI_Win_lock_all(MPI_MODE_NOCHECK, p->win);
    p->total = total_tasks;
    p->what = what;
    p->out = out;
    p->tty = p->rank == 0 && on_terminal(out);
    p->interval = interval_s > 0 ? interval_s : p->tty ? 0.25 : 5.0;
    p->t0 = cb_now();
    p->next = p->t0 + p->interval;
    return p;
}

static void add(cb_progress *p, int field, int64_t v)
{
    MPI_Accumulate(&v, 1, MPI_INT64_T, 0, field, 1, MPI_INT64_T, MPI_SUM, p->win);
    MPI_Win_flush(0, p->win);
}

void cb_progress_add(cb_progress *p, int64_t bytes)
{
    if (!p)
        return;
    int64_t v[2] = {1, bytes};
    MPI_Accumulate(v, 2, MPI_INT64_T, 0, C_TASKS, 2, MPI_INT64_T, MPI_SUM, p->win);
    MPI_Win_flush(0, p->win);
}

static void read_counters(cb_progress *p, int64_t c[C_N])
{
    /* Atomic reads through the window, consistent with the others' adds. */
    MPI_Get_accumulate(NULL, 0, MPI_INT64_T, c, C_N, MPI_INT64_T, 0, 0, C_N, MPI_INT64_T, MPI_NO_OP, p->win);
    MPI_Win_flush(0, p->win);
}

static void print_line(cb_progress *p, int final)
{
    int64_t c[C_N];
    read_counters(p, c);
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
    if (!p || p->rank != 0)
        return;
    double now = cb_now();
    if (now < p->next)
        return;
    p->next = now + p->interval;
    print_line(p, 0);
}

void cb_progress_end(cb_progress *p)
{
    if (!p)
        return;
    add(p, C_FINISHED, 1);
    if (p->rank == 0) {
        /* Rank 0 may finish its share first: keep reporting the others. */
        for (;;) {
            int64_t c[C_N];
            read_counters(p, c);
            if (c[C_FINISHED] >= p->size)
                break;
            cb_progress_tick(p);
            nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
        }
        if (p->tty || p->next > p->t0 + p->interval)
            print_line(p, 1); /* the last state, unless no line was ever due */
    }
    MPI_Win_unlock_all(p->win);
    MPI_Win_free(&p->win);
    free(p);
}
