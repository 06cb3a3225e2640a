/* The request log for the MPI-IO driver. HDF5 cannot stack a logging file
 * driver on MPI-IO (vfd_log.h), so the log is taken one layer down, through
 * the MPI profiling interface: chunkbench defines the MPI-IO entry points
 * HDF5's mpio driver reads with (1.10.8 and 1.14.5 alike: MPI_File_read_at, MPI_File_read_at_all,
 * and MPI_File_set_view, with which it describes a collective read by a
 * derived file type; MPI_File_close forgets a file's view), each calling its
 * PMPI_ twin. The executable exports these definitions (GNU ld exports the
 * symbols a linked shared library references), so libhdf5's calls land here.
 *
 * While a log is active every read is appended to it: one request per
 * contiguous byte range of the file the call reads, with the call's start
 * and end. Outside (writes, verify, every other command) each wrapper tests
 * one pointer and forwards. MPI is called from one thread here, so the state
 * is plain globals. */
#ifndef CHUNKBENCH_MPIIO_LOG_H
#define CHUNKBENCH_MPIIO_LOG_H

#include <mpi.h>
#include <stdint.h>

#include "core/iolog.h"

/* Record MPI-IO reads into log until cb_mpiio_log_end; log must outlive that.
 * Requests are recorded as CB_REQ_META: the MPI layer does not know what
 * HDF5 reads the bytes for. The reader classifies them afterwards against
 * the dataset's storage (cb_iolog_classify). */
void cb_mpiio_log_begin(cb_iolog *log);
void cb_mpiio_log_end(void);

/* ---- pure parts, exposed for tests ---- */

typedef struct cb_span {
    int64_t off, len;
} cb_span;

/* A datatype's typemap as byte blocks, in typemap order (the order a file
 * view streams data through), adjacent blocks merged. */
typedef struct cb_flat {
    cb_span *v;
    int64_t n, cap;
    int64_t size;               /* bytes of data in one instance */
    int64_t extent;             /* the stride at which a file view tiles it */
    int64_t true_lb, true_extent;
    int exact;                  /* 0: v is one span over the true extent (see cb_flat_type) */
} cb_flat;

/* Flatten t: the combiners HDF5 builds (named, dup, contiguous, vector,
 * hvector, indexed, hindexed, indexed_block, hindexed_block, struct,
 * resized). Any other combiner (subarray, darray, Fortran ones), or more
 * than a few million blocks, leaves one span over the true extent with
 * exact = 0: the bytes touched lie within it, but not every byte of it is
 * read. Returns 0, or -1 when out of memory or MPI refused (f then empty). */
int cb_flat_type(MPI_Datatype t, cb_flat *f);
void cb_flat_free(cb_flat *f);

/* The file byte ranges that `bytes` bytes of data, from data position pos
 * on, cover in a file view of displacement disp tiled by f; fn gets each
 * maximal contiguous range once, in the order the data streams. */
typedef void (*cb_range_fn)(void *ctx, int64_t off, int64_t len);
void cb_flat_ranges(const cb_flat *f, int64_t disp, int64_t pos, int64_t bytes, cb_range_fn fn, void *ctx);

#endif
