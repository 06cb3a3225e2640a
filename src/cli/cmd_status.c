#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/agree.h"
#include "report/report.h"
#include "cli/commands.h"
#include "core/mpi_err.h"

int cb_emit_report(const cb_config *cfg, const char *backend, const cb_table *tab, cJSON *extra, int print,
                   cb_err *err)
{
    cb_summary s;
    if (cb_summarize(tab, &s, err) < 0) {
        cJSON_Delete(extra);
        return -1;
    }
    int to_stdout = cfg->json_path && !strcmp(cfg->json_path, "-");
    if (print && !to_stdout)
        cb_report_text(stdout, cfg->target, backend, tab, &s, cfg->verbose);
    int rc = 0;
    if (cfg->json_path || cfg->report_path) {
        cJSON *doc = cb_report_json(cfg->target, backend, tab, &s);
        for (cJSON *it = extra ? extra->child : NULL; it;) {
            cJSON *next = it->next;
            cJSON_AddItemToObject(doc, it->string, cJSON_DetachItemViaPointer(extra, it));
            it = next;
        }
        if (cfg->json_path)
            rc = cb_json_save(cfg->json_path, doc, err);
        if (rc == 0 && cfg->report_path) {
            rc = cb_render_html(cfg->report_path, &doc, &cfg->target, 1, err);
            if (rc == 0 && print && !to_stdout)
                printf("report:       %s\n", cfg->report_path);
        }
        cJSON_Delete(doc);
    }
    cJSON_Delete(extra);
    if (rc == 0 && cfg->csv_path)
        rc = cb_report_csv(cfg->csv_path, tab, err);
    cb_summary_free(&s);
    fflush(stdout);
    return rc;
}

int cb_progress_wanted(const cb_config *cfg)
{
    return !cfg->quiet && !(cfg->json_path && !strcmp(cfg->json_path, "-")) &&
           !(cfg->csv_path && !strcmp(cfg->csv_path, "-"));
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
        const cb_backend *be = cb_backend_for(cfg->target);
        cb_table tab;
        if (be->load_table(cfg, &tab, &local) == 0) {
            cb_emit_report(cfg, be->name, &tab, NULL, !cfg->quiet, &local);
            cb_table_free(&tab);
        }
    }
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    return 0;
}
