/* Moving task lists and results between rank 0 and the others. */
#ifndef CHUNKBENCH_SHARE_H
#define CHUNKBENCH_SHARE_H

#include <mpi.h>

#include "backends/backend.h"
#include "engine/phase.h"
#include "report/report.h"

/* Collective. Rank 0 loads the table (kept in *tab on rank 0 only); every rank
 * gets layout and metadata in tab->layout/meta, and the tasks whose status
 * matches `want` (CB_PENDING means "not complete", CB_SHARE_ALL every task)
 * in *tasks / *index. */
#define CB_SHARE_ALL 99
int cb_share_tasks(const cb_config *cfg, const cb_backend *be, int want, MPI_Comm comm, cb_table *tab,
                   cb_task **tasks, int64_t **index, int64_t *n, cb_err *err);

/* Collective. All ranks' records end up on rank 0 (NULL elsewhere), and the
 * writers' names, one per rank, CB_POD_LEN + 1 bytes apart. */
int cb_gather_recs(const cb_phase_out *mine, const char *pod, MPI_Comm comm, cb_rec **all, int64_t *nall,
                   char **pods, int **rank_of, cb_err *err);

/* Collective. Mismatches of every rank, on rank 0. */
int cb_gather_bad(const cb_phase_out *mine, MPI_Comm comm, cb_mismatch **all, int64_t *nall, cb_err *err);

/* Collective. Request counts and latency percentiles of all writers, on rank 0.
 * The gathers below record an MPI failure in err and keep the ranks in step;
 * the caller's next agreement (engine/agree.h) stops them together. */
void cb_gather_net(const cb_phase_out *mine, MPI_Comm comm, cb_net_summary *out, cb_err *err);

/* Collective. Every rank's request log on rank 0 (NULL elsewhere); *logged
 * tells whether any rank had a log (a driver that logs), *lost sums the
 * requests that could not be stored. */
int cb_gather_iolog(const cb_phase_out *mine, MPI_Comm comm, cb_ioreq **all, int64_t *nall, int64_t *lost,
                    int *logged, cb_err *err);

/* The writer name of this rank: r<rank>@<host>, or r<rank>.<pid>@<host> when
 * `unique` (writers that claim from a server need not share one MPI job). */
void cb_pod_name(int rank, int unique, char pod[CB_POD_LEN + 1]);

#endif
