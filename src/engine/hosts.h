/* The MPI part of a result's provenance (core/provenance.h): the MPI
 * library's version, and which hosts the ranks ran on. */
#ifndef CHUNKBENCH_HOSTS_H
#define CHUNKBENCH_HOSTS_H

#include <mpi.h>

#include "core/error.h"
#include "core/provenance.h"

/* This rank's MPI library version into p->mpi (no communication). */
void cb_provenance_mpi_version(cb_provenance *p);

/* Collective: the local part of target (cb_provenance_local), the MPI
 * version, and on rank 0 the rank and host counts, ranks per host and host
 * names. -1 on every rank (err set) if the gathering fails anywhere. */
int cb_provenance_gather(MPI_Comm comm, const char *target, cb_provenance *p, cb_err *err);

#endif
