/* Shared by report_html.c (page, parsing, tables) and report_svg.c (charts):
 * one run's JSON unpacked into plain arrays, and small SVG helpers. */
#ifndef CHUNKBENCH_REPORT_HTML_INT_H
#define CHUNKBENCH_REPORT_HTML_INT_H

#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>
#include <stdint.h>
#include <stdio.h>

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
} cb_hrun;

/* Reading the runs' JSON: a member (NULL when missing), a number (NAN when
 * missing or not a number), and an array of exactly n numbers into out
 * (dflt for non-numbers; -1 when not an array of that length). */
const cJSON *cb_hj_item(const cJSON *o, const char *k);
double cb_hj_num(const cJSON *o, const char *k);
int cb_hj_numbers(const cJSON *a, int64_t n, double *out, double dflt);

/* A read run with a timed open and close: one of the layouts chart's runs. */
static inline int cb_hrun_timed_read(const cb_hrun *r)
{
    return !strcmp(r->phase, "read") && isfinite(r->span_s) && r->span_s > 0;
}

/* Plot area inside an SVG, in SVG units. */
typedef struct cb_frame {
    double x, y, w, h;
} cb_frame;

/* Number formats: "n/a" for NAN; 3 significant digits without exponent. */
void cb_hfmt_sig(char *buf, size_t size, double v);
void cb_hfmt_count(char *buf, size_t size, double v);
/* Seconds in the unit that suits span, e.g. "0.198 ms". */
void cb_hfmt_dur(char *buf, size_t size, double s, double span);
/* One duration in its own unit: 1.50 ms, 850 us, 2.10 s. */
void cb_hfmt_secs(char *buf, size_t size, double s);

/* Colour of run k of n in comparisons (viridis steps, darkest first). */
cb_rgb cb_run_colour(int k, int n);

/* <svg> opening with a viewBox, a class, data attributes and a title. */
void cb_svg_open(FILE *f, double w, double h, const char *cls, const char *data_attrs, const char *title);
/* Axis along the bottom (x) or the left (y) of p: ticks at values given in
 * scale units, a label under or beside, light grid lines across p. */
void cb_svg_xaxis(FILE *f, const cb_frame *p, const cb_scale *s, const double *ticks, int nt, double step,
                  const char *label, int grid);
void cb_svg_yaxis(FILE *f, const cb_frame *p, const cb_scale *s, const double *ticks, int nt, double step,
                  const char *label, int grid);

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

/* <section id="name+suffix" class="name"> with an h3 heading. */
void cb_sec_open(FILE *f, const cb_hrun *r, const char *name, const char *heading);
void cb_sec_close(FILE *f);

#endif
