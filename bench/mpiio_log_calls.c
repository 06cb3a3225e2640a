/* Per-call cost of the MPI-IO request log (src/backends/hdf5/mpiio_log.c), one rank, a file
 * in tmpfs: the PMPI_ calls themselves, the interposed calls with no log
 * active (what write, verify and every other command pay), and with a log
 * active (what read --driver mpio pays). Two patterns, as HDF5 1.10.8 issues
 * them: MPI_File_read_at of SIZE bytes (independent transfers, metadata),
 * and set_view with the derived file type HDF5 builds for a whole chunk of
 * SIZE bytes + MPI_File_read_at_all + set_view back (collective transfers).
 * Prints the median over ROUNDS of the mean ns per call (or per triple).
 * Build: cmake --build build --target bench_mpiio_log
 * Usage: mpirun -n 1 build/bench_mpiio_log [SIZE [CALLS [ROUNDS]]]   (131072 20000 7) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "backends/hdf5/mpiio_log.h"

#define FILE_BYTES ((MPI_Offset)64 << 20)

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum { DIRECT, OFF, ON };

/* One round: calls reads, mean ns each. */
static double round_ns(MPI_File fh, int mode, int view, MPI_Datatype ft, int64_t size, int calls, char *buf)
{
    cb_iolog log = {0};
    if (mode == ON)
        cb_mpiio_log_begin(&log);
    MPI_Status st;
    int64_t slots = FILE_BYTES / size;
    double t0 = cb_now();
    for (int i = 0; i < calls; i++) {
        MPI_Offset off = (MPI_Offset)(i % slots) * size;
        if (!view) {
            if (mode == DIRECT)
                PMPI_File_read_at(fh, off, buf, (int)size, MPI_BYTE, &st);
            else
                MPI_File_read_at(fh, off, buf, (int)size, MPI_BYTE, &st);
        } else if (mode == DIRECT) {
            PMPI_File_set_view(fh, off, MPI_BYTE, ft, "native", MPI_INFO_NULL);
            PMPI_File_read_at_all(fh, 0, buf, (int)size, MPI_BYTE, &st);
            PMPI_File_set_view(fh, 0, MPI_BYTE, MPI_BYTE, "native", MPI_INFO_NULL);
        } else {
            MPI_File_set_view(fh, off, MPI_BYTE, ft, "native", MPI_INFO_NULL);
            MPI_File_read_at_all(fh, 0, buf, (int)size, MPI_BYTE, &st);
            MPI_File_set_view(fh, 0, MPI_BYTE, MPI_BYTE, "native", MPI_INFO_NULL);
        }
    }
    double ns = (cb_now() - t0) / calls * 1e9;
    if (mode == ON) {
        cb_mpiio_log_end();
        if (log.n != calls)
            fprintf(stderr, "logged %lld requests for %d calls\n", (long long)log.n, calls);
        cb_iolog_free(&log);
    }
    return ns;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int64_t size = argc > 1 ? atoll(argv[1]) : 131072;
    int calls = argc > 2 ? atoi(argv[2]) : 20000, rounds = argc > 3 ? atoi(argv[3]) : 7;
    if (size < 8 || size % 8 || size > FILE_BYTES || calls < 1 || rounds < 1 || rounds > 99) {
        fprintf(stderr, "usage: %s [SIZE (multiple of 8) [CALLS [ROUNDS]]]\n", argv[0]);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    char path[] = "/dev/shm/cb_mpiio_calls.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || ftruncate(fd, FILE_BYTES) < 0) {
        perror(path);
        MPI_Abort(MPI_COMM_WORLD, 3);
    }
    close(fd);
    MPI_File fh;
    MPI_File_open(MPI_COMM_SELF, path, MPI_MODE_RDONLY, MPI_INFO_NULL, &fh);
    char *buf = malloc((size_t)size);

    /* What HDF5 1.10.8 builds for a whole chunk of doubles (seen through
     * PMPI): struct{1 x vector(1, n, 1, contiguous(8 bytes))}. */
    MPI_Datatype el, row, ft;
    MPI_Type_contiguous(8, MPI_BYTE, &el);
    MPI_Type_vector(1, (int)(size / 8), 1, el, &row);
    MPI_Type_create_struct(1, (int[]){1}, (MPI_Aint[]){0}, (MPI_Datatype[]){row}, &ft);
    MPI_Type_commit(&ft);
    MPI_Type_free(&el);
    MPI_Type_free(&row);

    static const char *modes[] = {"PMPI_ directly", "interposed, no log", "interposed, log active"};
    printf("%lld-byte reads, %d calls a round, median of %d rounds (ns per call)\n", (long long)size, calls, rounds);
    for (int view = 0; view < 2; view++) {
        double t[3][99];
        for (int r = 0; r < rounds; r++) /* the modes interleaved, so drift hits all alike */
            for (int m = 0; m < 3; m++)
                t[m][r] = round_ns(fh, m, view, ft, size, calls, buf);
        for (int m = 0; m < 3; m++) {
            qsort(t[m], (size_t)rounds, sizeof t[m][0], cmp_double);
            printf("  %-44s %-24s %9.0f\n", view ? "set_view + read_at_all + set_view" : "read_at", modes[m],
                   t[m][rounds / 2]);
        }
    }
    MPI_Type_free(&ft);
    MPI_File_close(&fh);
    unlink(path);
    free(buf);
    MPI_Finalize();
    return 0;
}
