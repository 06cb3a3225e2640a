/* Wall-clock timestamps (epoch seconds, as the seed stores them) and the
 * offset of each rank's clock to rank 0's. */
#ifndef CHUNKBENCH_CLOCK_H
#define CHUNKBENCH_CLOCK_H

#include <mpi.h>

#include "core/error.h"

double cb_now(void);

/* Collective: this rank's clock minus rank 0's, estimated by ping-pong
 * (best of a few rounds). Rank 0 gets 0. Returns -1 (offset 0) on a rank whose
 * messages failed; the caller agrees on that with the other ranks. */
int cb_clock_offset(MPI_Comm comm, double *offset, cb_err *err);

#endif
