#include "engine/agree.h"

int cb_agree(MPI_Comm comm, cb_err *err)
{
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    int mine = err->code ? rank : size, first;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm);
    if (first == size)
        return 0;
    MPI_Bcast(err, sizeof *err, MPI_BYTE, first, comm);
    return -1;
}
