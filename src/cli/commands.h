/* The subcommands. Each is collective over comm and returns -1 on every rank
 * when it fails, with the same message in err. */
#ifndef CHUNKBENCH_COMMANDS_H
#define CHUNKBENCH_COMMANDS_H

#include <mpi.h>

#include "backends/backend.h"
#include "cli/config.h"
#include "cli/store_opts.h"
#include "report/output.h"

int cmd_create(const cb_config *cfg, MPI_Comm comm, cb_err *err);
int cmd_write(const cb_config *cfg, MPI_Comm comm, cb_err *err);
int cmd_status(const cb_config *cfg, MPI_Comm comm, cb_err *err);
int cmd_verify(const cb_config *cfg, MPI_Comm comm, cb_err *err);
int cmd_read(const cb_config *cfg, MPI_Comm comm, cb_err *err);
/* report and compare (cfg->cmd tells which). */
int cmd_report(const cb_config *cfg, MPI_Comm comm, cb_err *err);

/* Collective: the files this command writes at its end (--json, --csv,
 * --report, --log, report -o) can be written, checked on rank 0 before any
 * work (cli/outputs.c). */
int cb_check_outputs(const cb_config *cfg, MPI_Comm comm, cb_err *err);

/* Where this command's report goes (report/output.h), from the command line. */
cb_output_opts cb_output_of(const cb_config *cfg);

/* A progress line unless quiet or the report itself goes to stdout. */
int cb_progress_wanted(const cb_config *cfg);
/* CHUNKBENCH_PROGRESS_INTERVAL (seconds) if set, else 0 (the default). */
double cb_progress_interval(void);

/* Server schedule: when tab has tasks in progress (claimed by other writers,
 * live or dead), one warning line on stderr: how many, since when, by which
 * writers, and the --lease command that retakes them. Returns their count. */
int64_t cb_warn_in_progress(const cb_config *cfg, const cb_table *tab);

#endif
