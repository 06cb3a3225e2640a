/* One phase's result, from every rank to rank 0 (core/result.h): the one
 * place where the phase's figures are reduced and its records gathered. */
#ifndef CHUNKBENCH_GATHER_H
#define CHUNKBENCH_GATHER_H

#include <mpi.h>

#include "backends/backend.h"
#include "core/result.h"
#include "engine/phase.h"

/* Collective: this rank's share of a pass reduced over all ranks (on every rank). */
void cb_gather_pass(const cb_phase_out *mine, MPI_Comm comm, cb_pass *out, cb_err *err);

/* Collective: the records (with every rank's writer name `pod`), the
 * mismatches, the HTTP figures and the request log of every rank, into res
 * on rank 0 (its passes are left alone). Every step runs on every rank even
 * after one fails, so the ranks stay in step; returns -1 with the first
 * error on every rank then. */
int cb_gather_result(const cb_phase_out *mine, const char *pod, MPI_Comm comm, cb_result *res, cb_err *err);

/* The run figures of a table's metadata from the result: its last pass's
 * open/close and time split, the writers, the HTTP request counts. */
void cb_result_meta(const cb_result *res, cb_meta *meta);

#endif
