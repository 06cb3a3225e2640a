/* The subcommands. Each is collective over comm and returns -1 on every rank
 * when it fails, with the same message in err. */
#ifndef CHUNKBENCH_COMMANDS_H
#define CHUNKBENCH_COMMANDS_H

#include <mpi.h>

#include "backends/backend.h"
#include "cli/config.h"
#include "cli/store_opts.h"
#include "report/report.h"

int cmd_create(const cb_config *cfg, MPI_Comm comm, cb_err *err);
int cmd_write(const cb_config *cfg, MPI_Comm comm, cb_err *err);
int cmd_status(const cb_config *cfg, MPI_Comm comm, cb_err *err);
int cmd_verify(const cb_config *cfg, MPI_Comm comm, cb_err *err);
int cmd_read(const cb_config *cfg, MPI_Comm comm, cb_err *err);
/* report and compare (cfg->cmd tells which). */
int cmd_report(const cb_config *cfg, MPI_Comm comm, cb_err *err);

/* Write the HTML report of runs to path (removed again if it fails). */
int cb_render_html(const char *path, cJSON *const *runs, const char *const *labels, int n, cb_err *err);

/* Rank 0: print (when `print`) and save the report of a table; the items of
 * `extra` are added to the JSON object. Consumes extra. */
int cb_emit_report(const cb_config *cfg, const char *backend, const cb_table *tab, cJSON *extra, int print,
                   cb_err *err);

/* A progress line unless quiet or the report itself goes to stdout. */
int cb_progress_wanted(const cb_config *cfg);
/* CHUNKBENCH_PROGRESS_INTERVAL (seconds) if set, else 0 (the default). */
double cb_progress_interval(void);

#endif
