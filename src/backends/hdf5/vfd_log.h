/* A pass-through HDF5 file driver that records every read. It sits above a
 * real driver (sec2 or ros3, given as a file access list), forwards every
 * call to it, and appends (offset, size, start, end, raw or metadata) of each
 * read to a cb_iolog; on HDF5 1.10 to 1.14, 1.14's vector calls included.
 * The MPI-IO driver cannot be stacked this way (HDF5 looks for its MPI class and passes
 * collective transfer state outside the call): MPI-IO reads are logged one
 * layer down instead, through the MPI profiling interface (mpiio_log.h). */
#ifndef CHUNKBENCH_VFD_LOG_H
#define CHUNKBENCH_VFD_LOG_H

#include <hdf5.h>
#include <stddef.h>

#include "core/iolog.h"

/* Set the logging driver on fapl, above the driver of inner_fapl (which is
 * copied; the caller keeps it). Reads that reach the real driver are
 * appended to *log (NULL: none), which must outlive the file.
 *
 * pb_bytes > 0 adds a read-only page buffer of that many bytes, in pages of
 * page_size (the file's page size). Debian's parallel HDF5 1.10.8 refuses
 * H5Pset_page_buffer_size with every driver ("page buffering is disabled for
 * parallel" is compiled into parallel builds), so the buffer lives here
 * instead, doing for reads what HDF5's does: requests under a page are served
 * from whole cached pages (least recently used evicted), requests of a page
 * or more go straight through. Returns -1 (err set) if HDF5 refuses. */
int cb_vfd_log_set(hid_t fapl, hid_t inner_fapl, cb_iolog *log, size_t pb_bytes, size_t page_size, cb_err *err);

/* The same driver, but raw-data reads are only logged (offset and size, no
 * times), not done: the caller's buffer is left as it was. For asking HDF5
 * where a dataset's chunks are (H5Dread_chunk on each) without reading
 * them; metadata is read for real. Never for a measured read. */
int cb_vfd_log_set_dry(hid_t fapl, hid_t inner_fapl, cb_iolog *log, cb_err *err);

#endif
