#include "core/clock.h"

#include <time.h>

#include "core/mpi_err.h"
#include "core/mpi_tags.h"

double cb_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int cb_clock_offset(MPI_Comm comm, double *offset, cb_err *err)
{
    enum { ROUNDS = 5 };
    int rank = 0, size = 1;
    *offset = 0;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0 ||
        cb_mpi(err, MPI_Comm_size(comm, &size), "MPI_Comm_size") < 0)
        return -1;
    /* Cristian's method: the reply with the shortest round trip bounds the
     * error best. Rank 0 measures each peer in turn. A failed message is
     * recorded and the exchange goes on, so the peers that work are not left
     * waiting; the caller agrees on the outcome. */
    int rc = 0;
    const char *ctx = "measuring clock offsets";
    for (int peer = 1; peer < size; peer++) {
        if (rank == 0) {
            double best_rtt = 1e30, best = 0;
            for (int k = 0; k < ROUNDS; k++) {
                double t0 = cb_now(), tp = t0;
                rc |= cb_mpi(err, MPI_Send(&t0, 1, MPI_DOUBLE, peer, CB_TAG_CLOCK_PING, comm), "MPI_Send %s", ctx);
                rc |= cb_mpi(err, MPI_Recv(&tp, 1, MPI_DOUBLE, peer, CB_TAG_CLOCK_PONG, comm, MPI_STATUS_IGNORE),
                             "MPI_Recv %s", ctx);
                double t1 = cb_now();
                if (t1 - t0 < best_rtt) {
                    best_rtt = t1 - t0;
                    best = tp - (t0 + t1) / 2;
                }
            }
            rc |= cb_mpi(err, MPI_Send(&best, 1, MPI_DOUBLE, peer, CB_TAG_CLOCK_OFFSET, comm), "MPI_Send %s", ctx);
        } else if (rank == peer) {
            for (int k = 0; k < ROUNDS; k++) {
                double t0, tp;
                rc |= cb_mpi(err, MPI_Recv(&t0, 1, MPI_DOUBLE, 0, CB_TAG_CLOCK_PING, comm, MPI_STATUS_IGNORE),
                             "MPI_Recv %s", ctx);
                tp = cb_now();
                rc |= cb_mpi(err, MPI_Send(&tp, 1, MPI_DOUBLE, 0, CB_TAG_CLOCK_PONG, comm), "MPI_Send %s", ctx);
            }
            rc |= cb_mpi(err, MPI_Recv(offset, 1, MPI_DOUBLE, 0, CB_TAG_CLOCK_OFFSET, comm, MPI_STATUS_IGNORE),
                         "MPI_Recv %s", ctx);
        }
    }
    if (rc)
        *offset = 0;
    return rc ? -1 : 0;
}
