/* Wall-clock timestamps (epoch seconds, as the seed stores them) and the
 * offset of each rank's clock to rank 0's. */
#ifndef CHUNKBENCH_CLOCK_H
#define CHUNKBENCH_CLOCK_H

#include <mpi.h>

double cb_now(void);

/* Collective: this rank's clock minus rank 0's, estimated by ping-pong
 * (best of a few rounds). Rank 0 gets 0. */
double cb_clock_offset(MPI_Comm comm);

#endif
