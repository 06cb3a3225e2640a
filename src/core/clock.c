#include "core/clock.h"

#include <time.h>

double cb_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double cb_clock_offset(MPI_Comm comm)
{
    enum { ROUNDS = 5 };
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    double my_offset = 0;
    /* Cristian's method: the reply with the shortest round trip bounds the
     * error best. Rank 0 measures each peer in turn. */
    for (int peer = 1; peer < size; peer++) {
        if (rank == 0) {
            double best_rtt = 1e30, best = 0;
            for (int k = 0; k < ROUNDS; k++) {
                double t0 = cb_now(), tp;
                MPI_Send(&t0, 1, MPI_DOUBLE, peer, 77, comm);
                MPI_Recv(&tp, 1, MPI_DOUBLE, peer, 78, comm, MPI_STATUS_IGNORE);
                double t1 = cb_now();
                if (t1 - t0 < best_rtt) {
                    best_rtt = t1 - t0;
                    best = tp - (t0 + t1) / 2;
                }
            }
            MPI_Send(&best, 1, MPI_DOUBLE, peer, 79, comm);
        } else if (rank == peer) {
            for (int k = 0; k < ROUNDS; k++) {
                double t0, tp;
                MPI_Recv(&t0, 1, MPI_DOUBLE, 0, 77, comm, MPI_STATUS_IGNORE);
                tp = cb_now();
                MPI_Send(&tp, 1, MPI_DOUBLE, 0, 78, comm);
            }
            MPI_Recv(&my_offset, 1, MPI_DOUBLE, 0, 79, comm, MPI_STATUS_IGNORE);
        }
    }
    return my_offset;
}
