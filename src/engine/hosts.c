#include "engine/hosts.h"

#include <stdlib.h>
#include <string.h>

#include "engine/agree.h"

void cb_provenance_mpi_version(cb_provenance *p)
{
    char v[MPI_MAX_LIBRARY_VERSION_STRING];
    int n = 0;
    if (MPI_Get_library_version(v, &n) == MPI_SUCCESS)
        snprintf(p->mpi, sizeof p->mpi, "%.*s", n, v);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Host names, sorted, into counts per distinct host. */
static void count_hosts(char *names, int ranks, cb_provenance *p)
{
    qsort(names, (size_t)ranks, MPI_MAX_PROCESSOR_NAME, by_name);
    size_t used = 0;
    p->ranks = ranks;
    p->ranks_per_host_min = ranks;
    for (int i = 0; i < ranks;) {
        const char *h = names + (size_t)i * MPI_MAX_PROCESSOR_NAME;
        int j = i;
        while (j < ranks && !strcmp(h, names + (size_t)j * MPI_MAX_PROCESSOR_NAME))
            j++;
        int n = j - i;
        p->hosts++;
        if (n < p->ranks_per_host_min)
            p->ranks_per_host_min = n;
        if (n > p->ranks_per_host_max)
            p->ranks_per_host_max = n;
        size_t len = strlen(h), cap = sizeof p->host_names;
        if (used + len + 5 < cap) {
            used += (size_t)snprintf(p->host_names + used, cap - used, "%s%s", used ? "," : "", h);
        } else if (used + 4 < cap && (used < 3 || strcmp(p->host_names + used - 3, "..."))) {
            used += (size_t)snprintf(p->host_names + used, cap - used, ",...");
        }
        i = j;
    }
}

int cb_provenance_gather(MPI_Comm comm, const char *target, cb_provenance *p, cb_err *err)
{
    int rank, ranks;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &ranks);
    cb_provenance_local(p, target);
    cb_provenance_mpi_version(p);
    cb_err local = {0};
    char me[MPI_MAX_PROCESSOR_NAME] = "";
    int len = 0;
    if (MPI_Get_processor_name(me, &len) != MPI_SUCCESS)
        snprintf(me, sizeof me, "unknown");
    char *all = rank == 0 ? calloc((size_t)ranks, MPI_MAX_PROCESSOR_NAME) : NULL;
    if (rank == 0 && !all)
        cb_fail(&local, CB_EIO, "out of memory for the host names");
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    if (MPI_Gather(me, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, all, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, 0, comm) != MPI_SUCCESS)
        cb_fail(&local, CB_EIO, "MPI_Gather of the host names failed");
    if (rank == 0 && !local.code)
        count_hosts(all, ranks, p);
    free(all);
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    return 0;
}
