#include "engine/gather.h"

#include "core/mpi_err.h"
#include "engine/agree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cb_gather_pass(const cb_phase_out *o, MPI_Comm comm, cb_pass *p, cb_err *err)
{
    double lo[2] = {o->open_start, 1e300}, hi[4] = {o->close_end, 0, o->deadline_at, o->deadline_hit},
           sum[2] = {o->gen_s, o->io_s};
    for (int64_t i = 0; i < o->nrecs; i++) {
        if (o->recs[i].start < lo[1]) lo[1] = o->recs[i].start;
        if (o->recs[i].done > hi[1]) hi[1] = o->recs[i].done;
    }
    int64_t cnt[5] = {o->bytes, o->nrecs, o->io_calls, o->deadline_tasks, o->deadline_bytes};
    double rlo[2] = {0, 0}, rhi[4] = {0, 0, 0, 0}, rsum[2] = {0, 0}, io_max = 0;
    int64_t rcnt[5] = {0, 0, 0, 0, 0};
    /* A failure is recorded and the ranks stay in step; the caller's next
     * agreement stops them together (engine/agree.h). */
    const char *ctx = "MPI_Allreduce of the pass figures";
    cb_mpi(err, MPI_Allreduce(lo, rlo, 2, MPI_DOUBLE, MPI_MIN, comm), "%s", ctx);
    cb_mpi(err, MPI_Allreduce(hi, rhi, 4, MPI_DOUBLE, MPI_MAX, comm), "%s", ctx);
    cb_mpi(err, MPI_Allreduce(sum, rsum, 2, MPI_DOUBLE, MPI_SUM, comm), "%s", ctx);
    cb_mpi(err, MPI_Allreduce(cnt, rcnt, 5, MPI_INT64_T, MPI_SUM, comm), "%s", ctx);
    cb_mpi(err, MPI_Allreduce(&o->io_s, &io_max, 1, MPI_DOUBLE, MPI_MAX, comm), "%s", ctx);
    uint64_t checksum = 0; /* unsigned: the ranks' sums add modulo 2^64 */
    cb_mpi(err, MPI_Allreduce(&o->checksum, &checksum, 1, MPI_UINT64_T, MPI_SUM, comm), "%s", ctx);
    /* Counters only: one sum over ranks gives the pass's modes and causes. */
    cb_coll_stats coll = {0};
    cb_mpi(err, MPI_Allreduce(&o->coll, &coll, CB_COLL_STATS_NINT, MPI_INT64_T, MPI_SUM, comm), "%s", ctx);
    *p = (cb_pass){.coll = coll, .open_start = rlo[0], .close_end = rhi[0], .first_start = rcnt[1] ? rlo[1] : 0,
                   .last_done = rhi[1], .gen_s = rsum[0], .io_s = rsum[1], .io_max_s = io_max,
                   .bytes = rcnt[0], .checksum = checksum, .tasks = rcnt[1], .io_calls = rcnt[2], .deadline_at = rhi[2],
                   .deadline_hit = rhi[3] > 0, .deadline_tasks = rcnt[3], .deadline_bytes = rcnt[4]};
}

/* Gatherv of bytes with 64-bit totals kept below MPI's int limits per rank;
 * counts_out (rank 0) gets each rank's byte count. -1 on every rank when
 * rank 0 cannot have the buffer; a failed MPI call is recorded in err. */
static int gather_bytes(const void *mine, int64_t mybytes, MPI_Comm comm, void **all, int64_t *total, int **counts_out,
                        cb_err *err)
{
    int rank, size;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0 ||
        cb_mpi(err, MPI_Comm_size(comm, &size), "MPI_Comm_size") < 0)
        return -1;
    int my = (int)mybytes;
    int *counts = NULL, *displs = NULL;
    cb_err local = {0};
    char *buf = NULL;
    int64_t sum = 0;
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

/* The records and, per record, the rank that made it; the writers' names. */
static int gather_recs(const cb_phase_out *mine, const char *pod, MPI_Comm comm, cb_result *res, cb_err *err)
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
    res->recs = buf;
    res->nrecs = bytes / (int64_t)sizeof(cb_rec);
    res->pods = names;
    if (rank == 0) {
        int *owner = malloc((res->nrecs ? (size_t)res->nrecs : 1) * sizeof *owner);
        int64_t k = 0;
        for (int r = 0; r < size && owner; r++)
            for (int j = 0; j < counts[r] / (int)sizeof(cb_rec); j++)
                owner[k++] = r;
        res->owner = owner;
    }
    free(counts);
    return 0;
}

static int gather_bad(const cb_phase_out *mine, MPI_Comm comm, cb_result *res, cb_err *err)
{
    void *buf;
    int64_t bytes;
    if (gather_bytes(mine->bad, mine->nbad * (int64_t)sizeof(cb_mismatch), comm, &buf, &bytes, NULL, err) < 0)
        return -1;
    res->bad = buf;
    res->nbad = bytes / (int64_t)sizeof(cb_mismatch);
    return 0;
}

/* Request counts and latency percentiles of all writers. */
static void gather_net(const cb_phase_out *mine, MPI_Comm comm, cb_net_summary *out, cb_err *err)
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

static int gather_iolog(const cb_phase_out *mine, MPI_Comm comm, cb_result *res, cb_err *err)
{
    int64_t mine2[2] = {mine->iolog ? mine->iolog->lost : 0, mine->iolog != NULL}, sum[2] = {0, 0};
    cb_mpi(err, MPI_Allreduce(mine2, sum, 2, MPI_INT64_T, MPI_SUM, comm), "MPI_Allreduce of request-log counts");
    res->lost = sum[0];
    res->logged = sum[1] > 0;
    void *buf = NULL;
    int64_t bytes = 0;
    const cb_iolog *l = mine->iolog;
    if (gather_bytes(l ? l->v : NULL, l ? l->n * (int64_t)sizeof(cb_ioreq) : 0, comm, &buf, &bytes, NULL, err) < 0)
        return -1;
    res->reqs = buf;
    res->nreqs = bytes / (int64_t)sizeof(cb_ioreq);
    return 0;
}

int cb_gather_result(const cb_phase_out *mine, const char *pod, MPI_Comm comm, cb_result *res, cb_err *err)
{
    cb_err e[4] = {{0}, {0}, {0}, {0}};
    if (cb_mpi(err, MPI_Comm_size(comm, &res->ranks), "MPI_Comm_size") < 0)
        return -1;
    gather_recs(mine, pod, comm, res, &e[0]);
    gather_bad(mine, comm, res, &e[1]);
    gather_iolog(mine, comm, res, &e[2]);
    gather_net(mine, comm, &res->net, &e[3]);
    for (int k = 0; k < 4; k++)
        if (e[k].code) {
            *err = e[k];
            return -1;
        }
    return 0;
}

void cb_result_meta(const cb_result *res, cb_meta *meta)
{
    const cb_pass *last = cb_result_last(res);
    if (last) {
        meta->open_start = last->open_start;
        meta->close_end = last->close_end;
        meta->gen_s = last->gen_s;
        meta->io_s = last->io_s;
    }
    meta->writers = res->ranks;
    meta->requests = res->net.requests;
    meta->retries = res->net.retries;
    /* status --json shows it later; a record too long to keep is left out
     * whole rather than cut into invalid JSON. */
    meta->mpi_hints[0] = 0;
    if (res->hints_effective) {
        cJSON *j = cb_hints_json(res->hints_asked, res->hints_effective);
        char *text = j ? cJSON_PrintUnformatted(j) : NULL;
        if (text && strlen(text) < sizeof meta->mpi_hints)
            memcpy(meta->mpi_hints, text, strlen(text) + 1);
        cJSON_free(text);
        cJSON_Delete(j);
    }
}
