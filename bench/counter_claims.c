/* What one claim on the dynamic schedule's counter (src/engine/counter.c)
 * costs: every rank claims indices until none are left and "works" WORK_US
 * microseconds on each (a sleep, as a write waiting on storage). A claim's
 * cost is the time inside cb_counter_take, the wait a writer sees.
 * MODE `ahead`: as chunkbench runs it (rank 0 claims and works too; the others
 *   ask for their next index while they work on the current one);
 * MODE `rtt`: the bare claim: rank 0 only serves (p2p) or idles (rma), the
 *   others ask only when they need an index.
 * The counter is chosen as chunkbench chooses it (CHUNKBENCH_COUNTER forces).
 * Usage: mpirun -n N bench_counter TASKS WORK_US ahead|rtt
 *   (BENCH_THREAD_MULTIPLE=1: MPI_Init_thread with MPI_THREAD_MULTIPLE, what
 *   OpenMPI 4.1's osc/pt2pt asks for)
 * Prints one CSV line (rank 0):
 *   counter,mode,ranks,hosts,work_us,tasks,claims_rank0,us_per_claim_rank0,us_per_claim_others_mean,
 *   us_per_claim_others_p50,us_per_claim_others_p90,us_per_claim_other_hosts_p50,
 *   us_per_claim_other_hosts_p90,elapsed_s   (others: ranks but 0; other hosts: ranks not on rank 0's host) */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "engine/counter.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double quantile(double *v, long n, double q)
{
    if (n == 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    double pos = q * (double)(n - 1);
    long i = (long)pos;
    return i + 1 < n ? v[i] + (pos - (double)i) * (v[i + 1] - v[i]) : v[i];
}

int main(int argc, char **argv)
{
    /* BENCH_THREAD_MULTIPLE=1: what OpenMPI's osc/pt2pt needs for a window between hosts. */
    const char *tm = getenv("BENCH_THREAD_MULTIPLE");
    int provided = 0;
    if (tm && !strcmp(tm, "1"))
        MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
    else
        MPI_Init(&argc, &argv);
    if (tm && !strcmp(tm, "1") && provided < MPI_THREAD_MULTIPLE)
        fprintf(stderr, "bench_counter: asked for MPI_THREAD_MULTIPLE, got level %d\n", provided);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc != 4 || (strcmp(argv[3], "ahead") && strcmp(argv[3], "rtt"))) {
        if (rank == 0)
            fprintf(stderr, "usage: bench_counter TASKS WORK_US ahead|rtt\n");
        MPI_Finalize();
        return 2;
    }
    long ntasks = atol(argv[1]), work_us = atol(argv[2]);
    int ahead = !strcmp(argv[3], "ahead");

    /* Hosts: distinct processor names. */
    char name[MPI_MAX_PROCESSOR_NAME] = {0};
    int len;
    MPI_Get_processor_name(name, &len);
    char *names = rank == 0 ? calloc((size_t)size, MPI_MAX_PROCESSOR_NAME) : NULL;
    MPI_Gather(name, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, names, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, 0, MPI_COMM_WORLD);
    /* Which ranks share rank 0's host: their claims stay on the machine. */
    char name0[MPI_MAX_PROCESSOR_NAME];
    memcpy(name0, name, sizeof name0);
    MPI_Bcast(name0, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, 0, MPI_COMM_WORLD);
    int remote = strcmp(name, name0) != 0;
    int hosts = 0;
    for (int i = 0; rank == 0 && i < size; i++) {
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = !strcmp(names + (size_t)i * MPI_MAX_PROCESSOR_NAME, names + (size_t)j * MPI_MAX_PROCESSOR_NAME);
        hosts += !seen;
    }

    cb_counter *c;
    cb_err err = {0};
    if (cb_counter_start(ntasks, MPI_COMM_WORLD, &c, &err) < 0) {
        if (rank == 0)
            fprintf(stderr, "bench_counter: %s\n", err.msg);
        MPI_Finalize();
        return 3;
    }
    double *lat = malloc((size_t)(ntasks + 1) * sizeof *lat);
    long n = 0;
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = cb_now();
    for (; ahead || rank != 0;) {
        double a = cb_now();
        int64_t idx = cb_counter_take(c, 1, ahead);
        double b = cb_now();
        if (idx < 0)
            break;
        lat[n++] = b - a;
        if (work_us > 0)
            nanosleep(&(struct timespec){work_us / 1000000, (work_us % 1000000) * 1000}, NULL);
    }
    const char *kind = cb_counter_kind(c);
    if (cb_counter_end(c, &err) < 0 && rank == 0)
        fprintf(stderr, "bench_counter: %s\n", err.msg);
    MPI_Barrier(MPI_COMM_WORLD);
    double elapsed = cb_now() - t0;

    /* Per-claim times of ranks other than 0 (rank 0 claims locally under p2p). */
    double sum = 0;
    for (long i = 0; i < n; i++)
        sum += lat[i];
    long cnt = rank == 0 ? 0 : n, total = 0, n0 = rank == 0 ? n : 0;
    double s = rank == 0 ? 0 : sum, stot = 0, s0 = rank == 0 ? sum : 0;
    MPI_Reduce(&cnt, &total, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    MPI_Reduce(&s, &stot, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    int *counts = rank == 0 ? calloc((size_t)size, sizeof *counts) : NULL, *displs = NULL;
    int *remotes = rank == 0 ? calloc((size_t)size, sizeof *remotes) : NULL;
    int mine = (int)cnt;
    MPI_Gather(&mine, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Gather(&remote, 1, MPI_INT, remotes, 1, MPI_INT, 0, MPI_COMM_WORLD);
    double *all = NULL;
    if (rank == 0) {
        displs = calloc((size_t)size, sizeof *displs);
        for (int i = 1; i < size; i++)
            displs[i] = displs[i - 1] + counts[i - 1];
        all = malloc((size_t)(total + 1) * sizeof *all);
    }
    MPI_Gatherv(lat, mine, MPI_DOUBLE, all, counts, displs, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        /* The claims of ranks on other hosts than rank 0's, on their own. */
        double *far = malloc((size_t)(total + 1) * sizeof *far);
        long nfar = 0;
        for (int i = 1; i < size; i++)
            for (int k = 0; remotes[i] && k < counts[i]; k++)
                far[nfar++] = all[displs[i] + k];
        double far50 = quantile(far, nfar, 0.5), far90 = quantile(far, nfar, 0.9);
        free(far);
        printf("%s,%s,%d,%d,%ld,%ld,%ld,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.4f\n", kind, argv[3], size, hosts, work_us, ntasks, n0,
               n0 ? s0 / (double)n0 * 1e6 : 0, total ? stot / (double)total * 1e6 : 0,
               quantile(all, total, 0.5) * 1e6, quantile(all, total, 0.9) * 1e6, far50 * 1e6, far90 * 1e6, elapsed);
        fflush(stdout);
    }
    free(all);
    free(counts);
    free(remotes);
    free(displs);
    free(names);
    free(lat);
    MPI_Finalize();
    return 0;
}
