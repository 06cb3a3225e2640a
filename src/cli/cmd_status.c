#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int64_t cb_warn_in_progress(const cb_config *cfg, const cb_table *tab)
{
    cb_summary s;
    cb_err e = {0};
    if (cb_summarize(tab, &s, &e) < 0 || s.in_progress == 0) {
        cb_summary_free(&s);
        return e.code ? 0 : s.in_progress;
    }
    int64_t n = s.in_progress;
    double now = (double)time(NULL);
    char when[40] = "an unknown time", by[600] = "", *p = by;
    if (s.in_progress_oldest > 0) {
        time_t t0 = (time_t)s.in_progress_oldest;
        struct tm tm;
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&t0, &tm));
    }
    for (int i = 0; i < s.nwriters; i++) {
        size_t room = sizeof by - (size_t)(p - by);
        if (s.writers[i].in_progress == 0 || room < 40)
            continue;
        int k = snprintf(p, room, "%s%s (%lld)", p == by ? "" : ", ", s.writers[i].name,
                         (long long)s.writers[i].in_progress);
        p += k > 0 && (size_t)k < room ? k : 0;
    }
    /* The lease that retakes all of them now: the newest claim's age. */
    double newest = s.in_progress_newest > 0 ? now - s.in_progress_newest : 0;
    long lease = newest >= 2 ? (long)newest : 1;
    char where[1200] = "";
    if (cfg->endpoint || cfg->bucket)
        snprintf(where, sizeof where, "%s%s%s%s", cfg->endpoint ? " --endpoint " : "", cfg->endpoint ? cfg->endpoint : "",
                 cfg->bucket ? " --bucket " : "", cfg->bucket ? cfg->bucket : "");
    fprintf(stderr,
            "chunkbench: warning: %lld tasks of %s are still in progress, claimed by %s since %s (oldest claim %.0f s "
            "old, newest %.0f s)%s; --lease SECONDS retakes tasks in progress for longer than SECONDS: if those "
            "writers are gone, run: chunkbench write %s --schedule server --lease %ld%s\n",
            (long long)n, cfg->target, by[0] ? by : "writers with no name", when,
            s.in_progress_oldest > 0 ? now - s.in_progress_oldest : 0, newest,
            cfg->cmd == CB_CMD_WRITE ? "; this writer found no other task to take" : "", cfg->target, lease, where);
    cb_summary_free(&s);
    return n;
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
            /* Claimed tasks belong to writers that may be gone: say how to retake them. */
            if (!local.code && (be->caps & CB_CAP_CLAIMS))
                cb_warn_in_progress(cfg, &tab);
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
