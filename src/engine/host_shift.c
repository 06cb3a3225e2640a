#include "engine/host_shift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mpi_err.h"
#include "engine/agree.h"
#include "engine/schedule.h"
#include "engine/share.h"

#define HOST_LEN (CB_POD_LEN + 1)

/* The host part of a pod name ("r3@node7" -> "node7"), NULL if it has none. */
static const char *pod_host(const char *pod)
{
    const char *at = strchr(pod, '@');
    return at && at[1] ? at + 1 : NULL;
}

/* Writer hosts in pods may be cut short (24 bytes for server-schedule pods). */
static int same_host(const char *writer, const char *host)
{
    size_t n = strlen(writer);
    return !strcmp(writer, host) || (n >= 24 && !strncmp(writer, host, n));
}

static int host_index(char (*hosts)[HOST_LEN], int nhosts, const char *name)
{
    for (int h = 0; h < nhosts; h++)
        if (same_host(name, hosts[h]))
            return h;
    return -1;
}

/* Every rank computes the same plan from the same inputs. */
static int plan(cb_task *tasks, int64_t *rows, int64_t n, int k, char (*names)[HOST_LEN], int size, int64_t *bounds,
                cb_err *err)
{
    char (*hosts)[HOST_LEN] = malloc((size_t)size * sizeof *hosts);
    int *host_of = malloc((size_t)size * sizeof *host_of);
    int *grp = malloc((size_t)(n ? n : 1) * sizeof *grp);
    int64_t *owner = malloc((size_t)(n ? n : 1) * sizeof *owner);
    int *grp_rank = malloc((size_t)size * sizeof *grp_rank);
    int rc = 0, nhosts = 0;
    if (!hosts || !host_of || !grp || !owner || !grp_rank) {
        rc = cb_fail(err, CB_EIO, "out of memory planning --shift-hosts");
        goto out;
    }
    for (int r = 0; r < size; r++) {
        int h = -1;
        for (int j = 0; j < nhosts && h < 0; j++)
            if (!strcmp(hosts[j], names[r]))
                h = j;
        if (h < 0) {
            h = nhosts++;
            memcpy(hosts[h], names[r], HOST_LEN);
        }
        host_of[r] = h;
    }
    if (nhosts < 2) {
        rc = cb_fail(err, CB_EUSAGE, "--shift-hosts reads what another host wrote, and this run has 1 host (%s): run it across hosts, or leave it out",
                     hosts[0]);
        goto out;
    }
    if (k % nhosts == 0) {
        rc = cb_fail(err, CB_EUSAGE, "--shift-hosts %d is a multiple of this run's %d hosts: every rank would read its own host's tasks; give 1 to %d",
                     k, nhosts, nhosts - 1);
        goto out;
    }
    /* Each task's writer host, and the host that reads it. */
    for (int64_t i = 0; i < n; i++) {
        const char *w = pod_host(tasks[i].pod);
        if (!w) {
            rc = cb_fail(err, CB_EUSAGE, "--shift-hosts needs the writer of every task, and task_list row %lld has none (pod '%s'): write the file with chunkbench first",
                         (long long)rows[i], tasks[i].pod);
            goto out;
        }
        int h = host_index(hosts, nhosts, w);
        if (h < 0) {
            rc = cb_fail(err, CB_EUSAGE, "--shift-hosts: task_list row %lld was written on host %s, which this run is not on: run on the hosts that wrote the file",
                         (long long)rows[i], w);
            goto out;
        }
        grp[i] = (h - k % nhosts + nhosts) % nhosts; /* the reading host */
    }
    /* Within a reading host, its ranks (in rank order) take even blocks of
     * its tasks, in table order. */
    for (int h = 0; h < nhosts; h++) {
        int nr = 0;
        for (int r = 0; r < size; r++)
            if (host_of[r] == h)
                grp_rank[nr++] = r;
        int64_t cnt = 0, seen = 0;
        for (int64_t i = 0; i < n; i++)
            cnt += grp[i] == h;
        int local = 0;
        for (int64_t i = 0; i < n; i++) {
            if (grp[i] != h)
                continue;
            while (local + 1 < nr && seen >= cb_sched_block_first(cnt, nr, local + 1))
                local++;
            owner[i] = grp_rank[local];
            seen++;
        }
    }
    /* A stable reorder by owner; bounds from the counts. */
    memset(bounds, 0, (size_t)(size + 1) * sizeof *bounds);
    for (int64_t i = 0; i < n; i++)
        bounds[owner[i] + 1]++;
    for (int r = 0; r < size; r++)
        bounds[r + 1] += bounds[r];
    cb_task *t2 = malloc((size_t)(n ? n : 1) * sizeof *t2);
    int64_t *r2 = malloc((size_t)(n ? n : 1) * sizeof *r2), *at = malloc((size_t)size * sizeof *at);
    if (!t2 || !r2 || !at) {
        free(t2);
        free(r2);
        free(at);
        rc = cb_fail(err, CB_EIO, "out of memory planning --shift-hosts");
        goto out;
    }
    memcpy(at, bounds, (size_t)size * sizeof *at);
    for (int64_t i = 0; i < n; i++) {
        int64_t j = at[owner[i]]++;
        t2[j] = tasks[i];
        r2[j] = rows[i];
    }
    memcpy(tasks, t2, (size_t)n * sizeof *tasks);
    memcpy(rows, r2, (size_t)n * sizeof *rows);
    free(t2);
    free(r2);
    free(at);
out:
    free(hosts);
    free(host_of);
    free(grp);
    free(owner);
    free(grp_rank);
    return rc;
}

int cb_host_shift(cb_task *tasks, int64_t *rows, int64_t n, int k, MPI_Comm comm, int64_t **bounds, cb_err *err)
{
    *bounds = NULL;
    int size;
    if (cb_mpi(err, MPI_Comm_size(comm, &size), "MPI_Comm_size") < 0)
        return -1;
    /* Host names as the pods spell them. */
    char pod[CB_POD_LEN + 1], mine[HOST_LEN] = "";
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_pod_name(rank, 0, pod);
    const char *h = pod_host(pod);
    snprintf(mine, sizeof mine, "%s", h ? h : "");
    char (*names)[HOST_LEN] = malloc((size_t)size * sizeof *names);
    int64_t *b = malloc((size_t)(size + 1) * sizeof *b);
    cb_err local = {0};
    if (!names || !b)
        cb_fail(&local, CB_EIO, "out of memory planning --shift-hosts");
    /* The plan fails alike everywhere (same tasks, same names); one
     * agreement at the end covers memory and MPI failures too. */
    if (cb_agree(comm, &local) == 0 &&
        cb_mpi(&local, MPI_Allgather(mine, HOST_LEN, MPI_CHAR, names, HOST_LEN, MPI_CHAR, comm),
               "MPI_Allgather of host names for --shift-hosts") == 0)
        plan(tasks, rows, n, k, names, size, b, &local);
    free(names);
    if (cb_agree(comm, &local) < 0) {
        free(b);
        *err = local;
        return -1;
    }
    *bounds = b;
    return 0;
}
