/* report and compare: read runs (JSON files or targets) and draw or tabulate
 * them. One process does the work; the other ranks, if any, wait for it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/agree.h"
#include "report/compare.h"
#include "report/rundoc.h"
#include "cli/commands.h"
#include "core/mpi_err.h"

/* A run from a JSON file (the output of --json), or from a target's table. */
static cJSON *load_run(const cb_config *cfg, const char *input, cb_err *err)
{
    size_t len = strlen(input);
    int is_json = len > 5 && !strcmp(input + len - 5, ".json");
    if (is_json)
        return cb_rundoc_load(input, err);
    cb_store_args sa;
    const cb_backend *be = cb_store_args_for(cfg, input, &sa);
    cb_table tab;
    if (be->load_table(&sa.o, &tab, err) < 0)
        return NULL;
    cb_summary s;
    cJSON *doc = NULL;
    if (cb_summarize(&tab, &s, err) == 0) {
        doc = cb_report_json(input, be->name, &tab, &s);
        cb_summary_free(&s);
    }
    cb_table_free(&tab);
    return doc;
}

static int report_or_compare(const cb_config *cfg, cb_err *err)
{
    cJSON **runs = calloc((size_t)cfg->ninputs, sizeof *runs);
    if (!runs)
        return cb_fail(err, CB_EIO, "out of memory");
    int rc = 0;
    for (int i = 0; i < cfg->ninputs && rc == 0; i++)
        if (!(runs[i] = load_run(cfg, cfg->inputs[i], err)))
            rc = -1;
    const char *const *labels = (const char *const *)cfg->inputs;
    if (rc == 0 && cfg->cmd == CB_CMD_COMPARE) {
        rc = cb_compare(stdout, runs, labels, cfg->ninputs, cfg->csv_flag, err);
    } else if (rc == 0) {
        rc = cb_render_html("-o", cfg->report_path, runs, labels, cfg->ninputs, err);
        if (rc == 0 && !cfg->quiet)
            printf("wrote %s (%d run%s)\n", cfg->report_path, cfg->ninputs, cfg->ninputs > 1 ? "s" : "");
    }
    for (int i = 0; i < cfg->ninputs; i++)
        cJSON_Delete(runs[i]);
    free(runs);
    fflush(stdout);
    return rc;
}

int cmd_report(const cb_config *cfg, MPI_Comm comm, cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_err local = {0};
    if (rank == 0)
        report_or_compare(cfg, &local);
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    return 0;
}
