/* Shared by report_html.c (page, parsing, tables) and report_svg.c (charts):
 * one run's JSON unpacked into plain arrays, and small SVG helpers. */
#ifndef CHUNKBENCH_REPORT_HTML_INT_H
#define CHUNKBENCH_REPORT_HTML_INT_H

#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>
#include <stdint.h>
#include <stdio.h>

#include "report/html_parts.h"
#include "report/plotdata.h"
#include "core/stats.h"

typedef struct cb_hwriter {
    const char *name;
    double tasks, bytes, busy_s, mean_s;
} cb_hwriter;

typedef struct cb_hrun {
    const cJSON *doc;
    const char *label;
    int index;      /* 0-based */
    char suffix[16]; /* appended to section ids: "" or "-k" */
    const char *target, *backend, *dtype, *iter, *schedule, *io;
    const char *phase, *verb; /* "write"/"written" or "read"/"read" */
    /* read runs: driver and cache preset, the file's page size and size
     * (0: not paged / unknown), open-to-close time, the request log */
    const char *driver, *preset;
    double page_size, file_size, span_s;
    const cJSON *req;
    double shape[2], chunk[2], seed;
    double total, pending, complete, in_progress, bytes;
    double elapsed_s, phase_MBps, ior_MBps, run_writers;
    cb_quantiles lat;
    int nw;
    cb_hwriter *w;
    /* task_list, column by column */
    int64_t n;
    double *start, *done, *tbytes;
    int32_t *status, *x, *y, *nrow, *ncol, *writer;
    double t0, t1; /* first start, last done (or last start) of the tasks; t1 > t0 when any started */
    int64_t started; /* tasks with a start time */
    /* A filtered run: its filters (NULL when none), the stored bytes of each
     * chunk (cgrid[0] x cgrid[1], row-major; NULL when not recorded). */
    const char *filters;
    int64_t cgrid[2];
    double *cstored;
    /* last_run: writers and their summed time generating values and inside
     * I/O calls (NAN when not recorded). */
    double lr_writers, gen_s, io_s;
} cb_hrun;

/* A read run with a timed open and close: one of the layouts chart's runs. */
static inline int cb_hrun_timed_read(const cb_hrun *r)
{
    return !strcmp(r->phase, "read") && isfinite(r->span_s) && r->span_s > 0;
}

/* The per-run chart sections. */
void cb_sec_timeline(FILE *f, const cb_hrun *r);
void cb_sec_throughput(FILE *f, const cb_hrun *r);
void cb_sec_latency(FILE *f, const cb_hrun *r);
void cb_sec_writers(FILE *f, const cb_hrun *r);
void cb_sec_grid(FILE *f, const cb_hrun *r);
/* Read runs: the byte ranges requested (nothing when the run logged none). */
void cb_sec_requests(FILE *f, const cb_hrun *r);
/* Several read runs: mean open-to-close time per layout x driver x preset
 * (nothing when fewer than two runs are reads). */
void cb_sec_layouts(FILE *f, const cb_hrun *rv, int n);

#endif
