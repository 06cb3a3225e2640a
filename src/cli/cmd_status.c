#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/agree.h"
#include "cli/commands.h"
#include "core/mpi_err.h"

cb_output_opts cb_output_of(const cb_config *cfg)
{
    return (cb_output_opts){.target = cfg->target, .json_path = cfg->json_path, .csv_path = cfg->csv_path,
                            .report_path = cfg->report_path, .log_path = cfg->log_path, .verbose = cfg->verbose,
                            .quiet = cfg->quiet};
}

int cb_progress_wanted(const cb_config *cfg)
{
    return !cfg->quiet && !cb_stdout_taken(cfg->json_path) && !cb_stdout_taken(cfg->csv_path);
}

double cb_progress_interval(void)
{
    const char *s = getenv("CHUNKBENCH_PROGRESS_INTERVAL");
    return s ? atof(s) : 0;
}

int cmd_status(const cb_config *cfg, MPI_Comm comm, cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_err local = {0};
    if (rank == 0) {
        cb_store_args sa;
        const cb_backend *be = cb_store_args_for(cfg, NULL, &sa);
        cb_table tab;
        if (be->load_table(&sa.o, &tab, &local) == 0) {
            cb_output_opts o = cb_output_of(cfg);
            cb_output_status(&o, be->name, &tab, &local);
            cb_table_free(&tab);
        }
    }
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    return 0;
}
