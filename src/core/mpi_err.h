/* MPI return codes as error values. main.c makes MPI_COMM_WORLD return codes
 * (MPI_ERRORS_RETURN) and every window is given the same handler, so a failed
 * MPI call comes back here instead of aborting the job. */
#ifndef CHUNKBENCH_MPI_ERR_H
#define CHUNKBENCH_MPI_ERR_H

#include <mpi.h>

#include "core/error.h"

/* 0 when rc is MPI_SUCCESS. Otherwise records (first error wins, CB_EIO)
 * "<what>: <MPI_Error_string of rc>" and returns -1, whether or not err
 * already held an error, so callers can chain checks into one cb_err. */
int cb_mpi(cb_err *err, int rc, const char *what_fmt, ...) __attribute__((format(printf, 3, 4)));

/* Collective: rank 0's verdict (*e) to every rank, for steps rank 0 does
 * alone. A rank whose broadcast fails gets that failure instead. Returns -1
 * when *e then holds an error. */
int cb_bcast_verdict(MPI_Comm comm, cb_err *e);

#endif
