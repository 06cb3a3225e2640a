/* report and compare: read runs (JSON files or targets) and draw or tabulate
 * them. One process does the work; the other ranks, if any, wait for it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/agree.h"
#include "report/compare.h"
#include "report/report_html.h"
#include "cli/commands.h"
#include "core/mpi_err.h"

static int read_text(const char *path, char **out, cb_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cb_fail(err, CB_EUSAGE, "cannot read %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b)
                free(buf);
            buf = b;
        }
    }
    fclose(f);
    if (!buf)
        return cb_fail(err, CB_EIO, "out of memory reading %s", path);
    buf[n] = 0;
    *out = buf;
    return 0;
}

/* A run from a JSON file (the output of --json), or from a target's table. */
static cJSON *load_run(const cb_config *cfg, const char *input, cb_err *err)
{
    size_t len = strlen(input);
    int is_json = len > 5 && !strcmp(input + len - 5, ".json");
    if (is_json) {
        char *text = NULL;
        if (read_text(input, &text, err) < 0)
            return NULL;
        cJSON *doc = cJSON_Parse(text);
        free(text);
        if (!doc)
            cb_fail(err, CB_EUSAGE, "%s is not valid JSON (give the output of chunkbench write/status --json)", input);
        return doc;
    }
    cb_config one = *cfg;
    one.target = input;
    const cb_backend *be = cb_backend_for(input);
    cb_table tab;
    if (be->load_table(&one, &tab, err) < 0)
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

int cb_render_html(const char *path, cJSON *const *runs, const char *const *labels, int n, cb_err *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return cb_fail(err, CB_EUSAGE, "cannot write %s: %s", path, strerror(errno));
    int rc = cb_html_report(f, runs, labels, n, err);
    if (fclose(f) != 0 && rc == 0)
        rc = cb_fail(err, CB_EIO, "cannot write %s: %s", path, strerror(errno));
    if (rc < 0)
        remove(path); /* no half-written report left behind */
    return rc;
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
        rc = cb_render_html(cfg->report_path, runs, labels, cfg->ninputs, err);
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
