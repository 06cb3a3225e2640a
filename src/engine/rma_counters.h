/* A few int64 counters on rank 0 that every rank updates with MPI one-sided
 * operations (the dynamic schedule's next task, the progress line's totals).
 * The window returns error codes (MPI_ERRORS_RETURN) like MPI_COMM_WORLD, and
 * stays locked for shared access (lock_all) between open and close. */
#ifndef CHUNKBENCH_COUNTERS_H
#define CHUNKBENCH_COUNTERS_H

#include <mpi.h>

#include "core/error.h"

/* Collective. n counters, zero, on rank 0. On failure on any rank (a one-sided
 * window cannot be had: no MPI component serves it, or no memory) returns -1
 * on every rank, with the lowest failing rank's message, and *win is
 * MPI_WIN_NULL. `what` names the counters in the message. A rank that comes
 * in with an error in *err takes part and makes it fail on every rank. */
int cb_counters_open(MPI_Comm comm, int n, const char *what, MPI_Win *win, cb_err *err);

/* Collective. Frees what open made; *win becomes MPI_WIN_NULL. */
int cb_counters_close(MPI_Win *win, cb_err *err);

#endif
