/* Every MPI error path ends all ranks together: after a step that can fail on
 * some ranks only, all ranks agree on the outcome and on one message.
 *
 * Between two agreements a rank that sees a failure (an MPI call's code
 * through cb_mpi, core/mpi_err.h, or any other) records it and keeps making
 * the same collective calls as the others, so no collective is left waiting
 * for it or matched against the wrong one; the next agreement stops them all.
 * Only local queries of a valid communicator (rank, size), which fail on every
 * rank or on none, may return at once. */
#ifndef CHUNKBENCH_AGREE_H
#define CHUNKBENCH_AGREE_H

#include <mpi.h>

#include "core/error.h"

/* Collective. Returns -1 on every rank if any rank failed; err then holds the
 * message of the lowest failing rank, on every rank. Its own MPI calls are
 * checked too: a rank on which they fail returns -1 with that message. Where
 * MPI itself is broken between ranks no agreement is possible; then the ranks
 * that see the failure stop and MPI ends the others (mpirun aborts a job once
 * a rank exits non-zero). */
int cb_agree(MPI_Comm comm, cb_err *err);

#endif
