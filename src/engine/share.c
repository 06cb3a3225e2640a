#include "engine/share.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/mpi_err.h"
#include "engine/agree.h"

static int cb_task_wanted(int status, int want)
{
    if (want == CB_SHARE_ALL)
        return 1;
    return want == CB_PENDING ? status != CB_COMPLETE : status == want;
}

/* MPI counts are int: move big arrays in pieces. */
static void bcast_big(void *buf, int64_t bytes, int root, const char *what, MPI_Comm comm, cb_err *err)
{
    const int64_t step = (int64_t)1 << 30;
    for (int64_t off = 0; off < bytes; off += step) {
        int64_t n = bytes - off < step ? bytes - off : step;
        cb_mpi(err, MPI_Bcast((char *)buf + off, (int)n, MPI_BYTE, root, comm), "MPI_Bcast of %s", what);
    }
}

int cb_share_blob(void **buf, int64_t *bytes, int root, const char *what, MPI_Comm comm, cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_err local = {0};
    int64_t n = rank == root ? *bytes : 0;
    if (cb_mpi(&local, MPI_Bcast(&n, 1, MPI_INT64_T, root, comm), "MPI_Bcast of %s", what) < 0 || n < 0)
        n = 0; /* agreed on below, before it is used */
    if (rank != root) {
        *buf = NULL;
        if (!local.code && !(*buf = malloc(n > 0 ? (size_t)n : 1)))
            cb_fail(&local, CB_EIO, "out of memory for %s", what);
    }
    if (cb_agree(comm, &local) == 0)
        bcast_big(*buf, n, root, what, comm, &local);
    if (cb_agree(comm, &local) < 0) {
        if (rank != root) {
            free(*buf);
            *buf = NULL;
        }
        *err = local;
        return -1;
    }
    *bytes = n;
    return 0;
}

int cb_share_head(cb_table *tab, MPI_Comm comm, cb_err *err)
{
    cb_err local = {0};
    cb_mpi(&local, MPI_Bcast(&tab->layout, sizeof tab->layout, MPI_BYTE, 0, comm), "MPI_Bcast of the layout");
    cb_mpi(&local, MPI_Bcast(&tab->meta, sizeof tab->meta, MPI_BYTE, 0, comm), "MPI_Bcast of the metadata");
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    return 0;
}

int cb_share_pattern(const cb_pattern_spec *spec, const cb_layout *lay, int64_t count, int64_t group, uint64_t seed,
                     MPI_Comm comm, cb_pattern *out, cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_err local = {0};
    memset(out, 0, sizeof *out);
    if (rank == 0)
        cb_pattern_make(spec, lay, count, group, seed, out, &local);
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    int64_t sb = out->nsels * (int64_t)sizeof *out->sels, pb = 2 * out->npoints * (int64_t)sizeof *out->points;
    void *sels = out->sels, *points = out->points;
    /* Each fails on every rank or none: the second is not begun after a failed first. */
    if (cb_share_blob(&sels, &sb, 0, "the pattern's selections", comm, &local) == 0) {
        out->sels = sels;
        if (cb_share_blob(&points, &pb, 0, "the pattern's points", comm, &local) == 0)
            out->points = points;
    }
    if (local.code) {
        cb_pattern_free(out);
        *err = local;
        return -1;
    }
    if (rank != 0) {
        out->nsels = sb / (int64_t)sizeof *out->sels;
        out->npoints = pb / (2 * (int64_t)sizeof *out->points);
        /* Rank 0's pointers into its points array: the same offsets into ours. */
        int64_t at = 0;
        for (int64_t k = 0; k < out->nsels; k++)
            if (out->sels[k].npoints) {
                out->sels[k].points = out->points + 2 * at;
                at += out->sels[k].npoints;
            }
    }
    return 0;
}

int cb_share_tasks(const cb_store_opts *so, const cb_backend *be, int want, MPI_Comm comm, cb_table *tab,
                   cb_task **tasks, int64_t **index, int64_t *n, cb_err *err)
{
    return cb_share_tasks_hooked(so, be, want, NULL, NULL, comm, tab, tasks, index, n, err);
}

int cb_share_tasks_hooked(const cb_store_opts *so, const cb_backend *be, int want, cb_table_hook loaded, void *ctx,
                          MPI_Comm comm, cb_table *tab, cb_task **tasks, int64_t **index, int64_t *n, cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_err local = {0};
    memset(tab, 0, sizeof *tab);
    *tasks = NULL;
    *index = NULL;
    *n = 0;
    if (rank == 0 && be->load_table(so, tab, &local) == 0 && loaded)
        loaded(tab, ctx, &local);
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    if (cb_share_head(tab, comm, err) < 0)
        return -1;
    return cb_share_loaded(tab, want, comm, tasks, index, n, err);
}

int cb_share_loaded(const cb_table *tab, int want, MPI_Comm comm, cb_task **tasks, int64_t **index, int64_t *n,
                    cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_err local = {0};
    *tasks = NULL;
    *index = NULL;
    *n = 0;
    int64_t count = 0;
    if (rank == 0)
        for (int64_t i = 0; i < tab->ntasks; i++)
            count += cb_task_wanted(tab->tasks[i].status, want);
    if (cb_mpi(&local, MPI_Bcast(&count, 1, MPI_INT64_T, 0, comm), "MPI_Bcast of the task count") < 0)
        count = 0; /* agreed on below, before it is used */
    *tasks = malloc((count ? (size_t)count : 1) * sizeof **tasks);
    *index = malloc((count ? (size_t)count : 1) * sizeof **index);
    if (!*tasks || !*index)
        cb_fail(&local, CB_EIO, "out of memory for %lld tasks", (long long)count);
    if (cb_agree(comm, &local) < 0)
        goto fail;
    if (rank == 0) {
        int64_t k = 0;
        for (int64_t i = 0; i < tab->ntasks; i++) {
            if (cb_task_wanted(tab->tasks[i].status, want)) {
                (*tasks)[k] = tab->tasks[i];
                (*index)[k++] = i;
            }
        }
    }
    bcast_big(*tasks, count * (int64_t)sizeof **tasks, 0, "the task list", comm, &local);
    bcast_big(*index, count * (int64_t)sizeof **index, 0, "the task list", comm, &local);
    if (cb_agree(comm, &local) < 0)
        goto fail;
    *n = count;
    return 0;
fail:
    free(*tasks);
    free(*index);
    *tasks = NULL;
    *index = NULL;
    *err = local;
    return -1;
}

void cb_pod_name(int rank, int unique, char pod[CB_POD_LEN + 1])
{
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = 0;
    char *dot = strchr(host, '.');
    if (dot)
        *dot = 0; /* the short name, so the pod fits its 40 bytes */
    if (unique) /* independent writers are all rank 0: tell them apart */
        snprintf(pod, CB_POD_LEN + 1, "r%d.%d@%.24s", rank, (int)getpid(), host);
    else
        snprintf(pod, CB_POD_LEN + 1, "r%d@%.30s", rank, host);
}
