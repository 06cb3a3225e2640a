/* What HDF5 did with a collective transfer request, read back from the
 * transfer property list after each H5Dwrite/H5Dread and counted into the
 * backend-neutral record (core/collective.h). */
#ifndef CHUNKBENCH_MPIO_MODES_H
#define CHUNKBENCH_MPIO_MODES_H

#include <hdf5.h>

#include "core/collective.h"

/* Count the last call made with dxpl: its actual I/O mode, chunk
 * optimisation and, when it was not collective for all its data, the
 * local and global causes. A few property lookups: no I/O, no MPI. */
void cb_h5_coll_count(hid_t dxpl, cb_coll_stats *s);

/* H5FD_MPIO_CHUNK_* for --chunk-opt. */
H5FD_mpio_chunk_opt_t cb_h5_chunk_opt(cb_chunk_opt c);

#endif
