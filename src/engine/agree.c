#include "engine/agree.h"

#include "core/mpi_err.h"

int cb_agree(MPI_Comm comm, cb_err *err)
{
    int rank = 0, size = 1;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0 ||
        cb_mpi(err, MPI_Comm_size(comm, &size), "MPI_Comm_size") < 0)
        return -1;
    int mine = err->code ? rank : size, first;
    if (cb_mpi(err, MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm),
               "MPI_Allreduce agreeing whether any rank failed") < 0)
        return -1;
    if (first == size)
        return 0;
    /* A rank whose copy of the message is lost still stops, with its own. */
    cb_err mine_err = *err;
    int rc = MPI_Bcast(err, sizeof *err, MPI_BYTE, first, comm);
    if (rc != MPI_SUCCESS) {
        *err = mine_err;
        cb_mpi(err, rc, "rank %d failed; MPI_Bcast of its message", first);
    }
    return -1;
}
