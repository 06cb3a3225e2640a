/* Every MPI error path ends all ranks together: after a step that can fail on
 * some ranks only, all ranks agree on the outcome and on one message. */
#ifndef CHUNKBENCH_AGREE_H
#define CHUNKBENCH_AGREE_H

#include <mpi.h>

#include "core/error.h"

/* Collective. Returns -1 on every rank if any rank failed; err then holds the
 * message of the lowest failing rank, on every rank. */
int cb_agree(MPI_Comm comm, cb_err *err);

#endif
