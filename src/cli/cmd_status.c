#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/agree.h"
#include "cli/commands.h"
#include "core/mpi_err.h"
#include "engine/journal.h"

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

/* One line on stderr (stdout may be JSON): where the shown records lie. */
static void journal_note(const char *target, const cb_journal_found *f)
{
    char dir[4096];
    cb_journal_dir_of(target, dir, sizeof dir);
    if (f->live_recs > 0)
        fprintf(stderr, "chunkbench: %lld task records of a running write (pid %lld on %s) and %lld of ended runs sit in %s, shown as complete; the write saves them when it ends, or the next chunkbench write %s merges them\n",
                (long long)f->live_recs, f->live_pid, f->live_host, (long long)f->ended_recs, dir, target);
    else
        fprintf(stderr, "chunkbench: %lld task records of %s sit in %s, shown as complete; the next chunkbench write %s merges them into the file\n",
                (long long)f->ended_recs, f->ended_runs > 1 ? "ended runs" : "an ended run", dir, target);
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
        cb_table tab = {0};
        cb_journal_found jf = {0};
        /* Read only (status runs beside writes): journaled tasks show as complete. */
        if (be->load_table(&sa.o, &tab, &local) == 0 && cb_journal_merge(cfg->target, &tab, 1, 0, &jf, &local) == 0) {
            cb_output_opts o = cb_output_of(cfg);
            cb_output_status(&o, be->name, &tab, &local);
            if (jf.ended_recs + jf.live_recs > 0)
                journal_note(cfg->target, &jf);
        }
        cb_journal_found_free(&jf);
        cb_table_free(&tab);
    }
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    return 0;
}
