/* A pass-through HDF5 file driver that records every read. It sits above a
 * real driver (sec2 or ros3, given as a file access list), forwards every
 * call to it, and appends (offset, size, start, end) of each read to a
 * cb_iolog. HDF5 1.10's H5FD_class_t layout. The MPI-IO driver cannot be
 * stacked this way (HDF5 looks for its MPI class and passes collective
 * transfer state outside the call), so MPI-IO reads are not logged. */
#ifndef CHUNKBENCH_VFD_LOG_H
#define CHUNKBENCH_VFD_LOG_H

#include <hdf5.h>

#include "chunkbench/iolog.h"

/* Set the logging driver on fapl, above the driver of inner_fapl (which is
 * copied; the caller keeps it). Reads are appended to *log, which must
 * outlive the file. Returns -1 (err set) if HDF5 refuses. */
int cb_vfd_log_set(hid_t fapl, hid_t inner_fapl, cb_iolog *log, cb_err *err);

#endif
