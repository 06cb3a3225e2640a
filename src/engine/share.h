/* Moving the task list from rank 0 to the others (results go back through
 * engine/gather.h), and the writers' names. */
#ifndef CHUNKBENCH_SHARE_H
#define CHUNKBENCH_SHARE_H

#include <mpi.h>

#include "backends/backend.h"

/* Collective. Rank 0 loads the table (kept in *tab on rank 0 only); every rank
 * gets layout and metadata in tab->layout/meta, and the tasks whose status
 * matches `want` (CB_PENDING means "not complete", CB_SHARE_ALL every task)
 * in *tasks / *index. */
#define CB_SHARE_ALL 99
int cb_share_tasks(const cb_store_opts *so, const cb_backend *be, int want, MPI_Comm comm, cb_table *tab,
                   cb_task **tasks, int64_t **index, int64_t *n, cb_err *err);

/* The same, with `loaded` (when not NULL) called on rank 0 right after the
 * table is loaded, before its tasks are counted: e.g. merging journals. */
typedef int (*cb_table_hook)(cb_table *tab, void *ctx, cb_err *err);
int cb_share_tasks_hooked(const cb_store_opts *so, const cb_backend *be, int want, cb_table_hook loaded, void *ctx,
                          MPI_Comm comm, cb_table *tab, cb_task **tasks, int64_t **index, int64_t *n, cb_err *err);

/* The second half of the above, for a table rank 0 has already loaded
 * (the others need not have its tasks): the matching tasks to every rank. */
int cb_share_loaded(const cb_table *tab, int want, MPI_Comm comm, cb_task **tasks, int64_t **index, int64_t *n,
                    cb_err *err);

/* Collective. Rank root's *bytes bytes at *buf to every rank: the others get
 * *bytes and a malloc'd copy in *buf (theirs to free); rank root's are left
 * as they were. `what` names the data in messages ("the dataset names").
 * -1 on every rank when any failed; the others' *buf is then NULL. */
int cb_share_blob(void **buf, int64_t *bytes, int root, const char *what, MPI_Comm comm, cb_err *err);

/* Collective. Rank 0's tab->layout and tab->meta to every rank (the
 * description a read or a write works from); -1 on every rank when any failed. */
int cb_share_head(cb_table *tab, MPI_Comm comm, cb_err *err);

/* Collective. Rank 0 makes the selections of a --pattern read over a
 * dataset of layout `lay` (core/pattern.h: it alone reads a points file);
 * every rank gets them. -1 on every rank when any failed. */
int cb_share_pattern(const cb_pattern_spec *spec, const cb_layout *lay, int64_t count, int64_t group, uint64_t seed,
                     MPI_Comm comm, cb_pattern *out, cb_err *err);

/* The writer name of this rank: r<rank>@<host>, or r<rank>.<pid>@<host> when
 * `unique` (writers that claim from a server need not share one MPI job). */
void cb_pod_name(int rank, int unique, char pod[CB_POD_LEN + 1]);

#endif
