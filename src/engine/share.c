#include "engine/share.h"

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
static void bcast_big(void *buf, int64_t bytes, MPI_Comm comm, cb_err *err)
{
    const int64_t step = (int64_t)1 << 30;
    for (int64_t off = 0; off < bytes; off += step) {
        int64_t n = bytes - off < step ? bytes - off : step;
        cb_mpi(err, MPI_Bcast((char *)buf + off, (int)n, MPI_BYTE, 0, comm), "MPI_Bcast of the task list");
    }
}

int cb_share_tasks(const cb_config *cfg, const cb_backend *be, int want, MPI_Comm comm, cb_table *tab,
                   cb_task **tasks, int64_t **index, int64_t *n, cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_err local = {0};
    memset(tab, 0, sizeof *tab);
    *tasks = NULL;
    *index = NULL;
    *n = 0;
    int64_t count = 0;
    if (rank == 0 && be->load_table(cfg, tab, &local) == 0) {
        for (int64_t i = 0; i < tab->ntasks; i++)
            count += cb_task_wanted(tab->tasks[i].status, want);
    }
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    cb_mpi(&local, MPI_Bcast(&tab->layout, sizeof tab->layout, MPI_BYTE, 0, comm), "MPI_Bcast of the layout");
    cb_mpi(&local, MPI_Bcast(&tab->meta, sizeof tab->meta, MPI_BYTE, 0, comm), "MPI_Bcast of the metadata");
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
    bcast_big(*tasks, count * (int64_t)sizeof **tasks, comm, &local);
    bcast_big(*index, count * (int64_t)sizeof **index, comm, &local);
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

/* Gatherv of bytes with 64-bit totals kept below MPI's int limits per rank.
 * Returns -1 on every rank when the buffer cannot be had. A failed MPI call
 * is only recorded in err: the ranks stay in step through the caller's later
 * collectives, and the caller's agreement stops them all. */
static int gather_bytes(const void *mine, int64_t mybytes, MPI_Comm comm, void **all, int64_t *total, int **counts_out,
                        cb_err *err)
{
    int rank, size;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0 ||
        cb_mpi(err, MPI_Comm_size(comm, &size), "MPI_Comm_size") < 0)
        return -1;
    int my = (int)mybytes;
    int *counts = NULL, *displs = NULL;
    char *buf = NULL;
    int64_t sum = 0;
    cb_err local = {0};
    /* Agreed on first: no rank gathers into a buffer rank 0 could not have. */
    if (rank == 0 && (!(counts = calloc((size_t)size, sizeof *counts)) || !(displs = calloc((size_t)size, sizeof *displs))))
        cb_fail(&local, CB_EIO, "out of memory gathering task records");
    if (cb_agree(comm, &local) < 0)
        goto fail;
    if (cb_mpi(&local, MPI_Gather(&my, 1, MPI_INT, counts, 1, MPI_INT, 0, comm), "MPI_Gather of record sizes") == 0 &&
        rank == 0) {
        for (int r = 0; r < size; r++) {
            displs[r] = (int)sum;
            sum += counts[r];
        }
        if (sum > INT32_MAX)
            cb_fail(&local, CB_EIO, "too many task records to gather (%lld bytes)", (long long)sum);
        else if (!(buf = malloc(sum ? (size_t)sum : 1)))
            cb_fail(&local, CB_EIO, "out of memory gathering task records");
    }
    if (cb_agree(comm, &local) < 0)
        goto fail;
    cb_mpi(err, MPI_Gatherv(mine, my, MPI_BYTE, buf, counts, displs, MPI_BYTE, 0, comm), "MPI_Gatherv of records");
    free(displs);
    *all = buf;
    *total = sum;
    if (counts_out)
        *counts_out = counts;
    else
        free(counts);
    return 0;
fail:
    free(counts);
    free(displs);
    free(buf);
    *err = local;
    return -1;
}

int cb_gather_recs(const cb_phase_out *mine, const char *pod, MPI_Comm comm, cb_rec **all, int64_t *nall,
                   char **pods, int **rank_of, cb_err *err)
{
    int rank, size;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0 ||
        cb_mpi(err, MPI_Comm_size(comm, &size), "MPI_Comm_size") < 0)
        return -1;
    void *buf;
    int64_t bytes;
    int *counts = NULL;
    if (gather_bytes(mine->recs, mine->nrecs * (int64_t)sizeof(cb_rec), comm, &buf, &bytes, &counts, err) < 0)
        return -1;
    char *names = rank == 0 ? calloc((size_t)size, CB_POD_LEN + 1) : NULL;
    char me[CB_POD_LEN + 1] = {0};
    snprintf(me, sizeof me, "%s", pod);
    cb_mpi(err, MPI_Gather(me, CB_POD_LEN + 1, MPI_CHAR, names, CB_POD_LEN + 1, MPI_CHAR, 0, comm),
           "MPI_Gather of writer names");
    *all = buf;
    *nall = bytes / (int64_t)sizeof(cb_rec);
    *pods = names;
    *rank_of = NULL;
    if (rank == 0) {
        int *owner = malloc((*nall ? (size_t)*nall : 1) * sizeof *owner);
        int64_t k = 0;
        for (int r = 0; r < size && owner; r++)
            for (int j = 0; j < counts[r] / (int)sizeof(cb_rec); j++)
                owner[k++] = r;
        *rank_of = owner;
    }
    free(counts);
    return 0;
}

int cb_gather_bad(const cb_phase_out *mine, MPI_Comm comm, cb_mismatch **all, int64_t *nall, cb_err *err)
{
    void *buf;
    int64_t bytes;
    if (gather_bytes(mine->bad, mine->nbad * (int64_t)sizeof(cb_mismatch), comm, &buf, &bytes, NULL, err) < 0)
        return -1;
    *all = buf;
    *nall = bytes / (int64_t)sizeof(cb_mismatch);
    return 0;
}

void cb_gather_net(const cb_phase_out *mine, MPI_Comm comm, cb_net_summary *out, cb_err *err)
{
    int rank;
    memset(out, 0, sizeof *out);
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return;
    int64_t mine2[3] = {mine->net.requests, mine->net.retries, mine->net.given_back}, sum[3] = {0, 0, 0};
    cb_mpi(err, MPI_Reduce(mine2, sum, 3, MPI_INT64_T, MPI_SUM, 0, comm), "MPI_Reduce of request counts");
    void *buf = NULL;
    int64_t bytes = 0;
    if (gather_bytes(mine->net.latency, mine->net.nlatency * (int64_t)sizeof(double), comm, &buf, &bytes, NULL,
                     err) < 0)
        return;
    if (rank == 0) {
        out->requests = sum[0];
        out->retries = sum[1];
        out->given_back = sum[2];
        cb_quantiles_of(buf, bytes / (int64_t)sizeof(double), &out->latency);
    }
    free(buf);
}

int cb_gather_iolog(const cb_phase_out *mine, MPI_Comm comm, cb_ioreq **all, int64_t *nall, int64_t *lost,
                    int *logged, cb_err *err)
{
    int64_t mine2[2] = {mine->iolog ? mine->iolog->lost : 0, mine->iolog != NULL}, sum[2] = {0, 0};
    cb_mpi(err, MPI_Allreduce(mine2, sum, 2, MPI_INT64_T, MPI_SUM, comm), "MPI_Allreduce of request log counts");
    *lost = sum[0];
    *logged = sum[1] > 0;
    void *buf = NULL;
    int64_t bytes = 0;
    const cb_iolog *l = mine->iolog;
    if (gather_bytes(l ? l->v : NULL, l ? l->n * (int64_t)sizeof(cb_ioreq) : 0, comm, &buf, &bytes, NULL, err) < 0)
        return -1;
    *all = buf;
    *nall = bytes / (int64_t)sizeof(cb_ioreq);
    return 0;
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
