/* What one task journal record costs the writer that makes it: N records
 * through cb_journal_add (the buffered appends and their write(2)s at the
 * default flush period), timed on one rank, in a journal beside DIR/F.
 * Usage: bench_journal DIR [N]   prints ns per record. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/clock.h"
#include "engine/journal.h"

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    if (argc < 2) {
        fprintf(stderr, "usage: bench_journal DIR [N]\n");
        return 2;
    }
    long long n = argc > 2 ? atoll(argv[2]) : 2000000;
    char target[4096];
    snprintf(target, sizeof target, "%s/F", argv[1]);
    cb_layout lay = {.shape = {100000, 100000}, .chunk = {10, 10}, .elem_size = 8};
    cb_journal *j = NULL;
    cb_err err = {0};
    if (cb_journal_start(target, &lay, n, 1, "r0@bench", MPI_COMM_WORLD, &j, &err) < 0 || !j) {
        fprintf(stderr, "no journal: %s\n", err.msg);
        return 1;
    }
    double t0 = cb_now();
    for (long long k = 0; k < n; k++)
        if (cb_journal_add(j, k, t0, t0, &err) < 0) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
    double t1 = cb_now();
    cb_journal_close(j, &err);
    printf("%lld records, %.1f ns per record\n", n, (t1 - t0) / (double)n * 1e9);
    cb_journal_found f = {0};
    cb_journal_remove(target, &f, 0, &err);
    cb_journal_discard(target, &err);
    MPI_Finalize();
    return 0;
}
