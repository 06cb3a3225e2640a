#include "engine/rma_counters.h"

#include <stddef.h>
#include <stdint.h>

#include "core/mpi_err.h"
#include "engine/agree.h"

int cb_counters_open(MPI_Comm comm, int n, const char *what, MPI_Win *win, cb_err *err)
{
    cb_err local = *err; /* a rank that comes in failed makes it fail everywhere */
    int rank = 0, locked = 0;
    int64_t *base = NULL;
    *win = MPI_WIN_NULL;
    cb_mpi(&local, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank");
    MPI_Aint bytes = rank == 0 ? (MPI_Aint)n * (MPI_Aint)sizeof(int64_t) : 0;
    if (cb_mpi(&local, MPI_Win_allocate(bytes, sizeof(int64_t), MPI_INFO_NULL, comm, &base, win),
               "MPI_Win_allocate failed for %s", what) < 0) {
        *win = MPI_WIN_NULL; /* and base is not to be touched */
    } else {
        cb_mpi(&local, MPI_Win_set_errhandler(*win, MPI_ERRORS_RETURN), "MPI_Win_set_errhandler for %s", what);
        for (int i = 0; rank == 0 && i < n; i++)
            base[i] = 0;
        locked = cb_mpi(&local, MPI_Win_lock_all(MPI_MODE_NOCHECK, *win), "MPI_Win_lock_all for %s", what) == 0;
    }
    /* The agreement is also the barrier: the counters are zero before any
     * rank gets past it to update them. */
    if (cb_agree(comm, &local) == 0)
        return 0;
    /* Freeing is collective over every rank: only when each has a window. */
    int have = *win != MPI_WIN_NULL, all = 0;
    cb_err ignore = {0};
    if (locked)
        cb_mpi(&ignore, MPI_Win_unlock_all(*win), "MPI_Win_unlock_all");
    if (cb_mpi(&ignore, MPI_Allreduce(&have, &all, 1, MPI_INT, MPI_MIN, comm), "MPI_Allreduce") == 0 && all)
        cb_mpi(&ignore, MPI_Win_free(win), "MPI_Win_free");
    /* Otherwise a rank that got one leaves it: a few bytes, and no hang. */
    *win = MPI_WIN_NULL;
    return cb_fail(err, local.code, "%s", local.msg);
}

int cb_counters_close(MPI_Win *win, cb_err *err)
{
    if (*win == MPI_WIN_NULL)
        return 0;
    int rc = cb_mpi(err, MPI_Win_unlock_all(*win), "MPI_Win_unlock_all");
    if (cb_mpi(err, MPI_Win_free(win), "MPI_Win_free") < 0)
        rc = -1;
    *win = MPI_WIN_NULL;
    return rc;
}
