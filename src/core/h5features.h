/* What the HDF5 library chunkbench runs with can do, and the version each
 * feature needs: one place, so an error names the version to upgrade to. */
#ifndef CHUNKBENCH_H5FEATURES_H
#define CHUNKBENCH_H5FEATURES_H

#include "core/error.h"

/* HDF5's own page buffer for files a rank opens alone (sec2, ros3) in a
 * parallel build: compiled out of parallel builds before 1.14.5. */
#define CB_H5_PAGE_BUFFER_SOLO 1, 14, 5

/* Collective metadata reads (H5Pset_all_coll_metadata_ops on a file access
 * list) broke in 1.10.5: the library falls back to independent reads until
 * 1.10.9 and 1.12.2 (HDFGroup/hdf5#1206). NULL when the running library
 * honours them, else one sentence saying so, with the versions. */
const char *cb_h5_coll_md_read_note(void);

/* --no-edge-filter (H5Pset_chunk_opts, H5D_CHUNK_DONT_FILTER_PARTIAL_CHUNKS):
 * parallel HDF5 1.10.8 records the option but its collective filtered writes
 * filter the partial edge chunks anyway (filter mask 0), so a serial reader,
 * which trusts the option, reads them as raw bytes: wrong values. Its
 * parallel path was rewritten in 1.14.0 (not tried here). NULL when the
 * running library is not known to do so, else the sentence saying why not. */
#define CB_H5_EDGE_FILTER_OK 1, 14, 0
const char *cb_h5_no_edge_filter_note(void);

/* Parallel HDF5 writes the chunks of a filtered dataset in collective
 * transfers only: an independent H5Dwrite fails in H5D__ioinfo_adjust with
 * "Can't perform independent write with filters in pipeline" (1.10.8 even
 * on one rank; later releases refuse it on more than one, the ones chunkbench
 * runs on). NULL when the running library can, else one sentence saying why
 * not and what to use. */
const char *cb_h5_filtered_independent_note(void);

/* 1 when the running library is at least maj.min.rel. */
int cb_h5_at_least(unsigned maj, unsigned min, unsigned rel);

/* 0 when the running library is at least maj.min.rel; else -1 with
 * "WHAT needs HDF5 maj.min.rel or newer; this is x.y.z" (usage error). */
int cb_h5_need(cb_err *err, const char *what, unsigned maj, unsigned min, unsigned rel);

#endif
