/* The HTML report: one self-contained page (inline CSS and SVG, nothing
 * fetched, no scripts) drawn from the JSON documents of `status --json` or
 * `write --json`, one or several runs side by side. */
#ifndef CHUNKBENCH_REPORT_HTML_H
#define CHUNKBENCH_REPORT_HTML_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "core/error.h"

/* Bounds that keep the page small whatever the run; tests check them. */
enum {
    CB_HTML_MAX_BARS = 2000,   /* timeline: more tasks are drawn as occupancy */
    CB_HTML_MAX_LANES = 48,    /* timeline: more writers share lanes */
    CB_HTML_MAX_WRITER_ROWS = 150, /* writers chart: more share rows */
    CB_HTML_GRID_SIDE = 200,   /* heat map: at most this many cells a side */
    CB_HTML_LEVELS = 32,       /* heat map: colour steps (one SVG path each) */
    CB_HTML_MAX_MARKS = 4000,  /* read pattern: more requests are drawn as pixel columns */
};

/* Write the report of runs[0..nruns) to out. labels (or labels[i]) may be
 * NULL: the run's target names it then. Sections: comparison (nruns > 1),
 * and, over several read runs, layouts (time per layout x driver x preset),
 * then per run summary, timeline, throughput, latency, requests (read runs
 * with a request log), writers, grid; the
 * first run's have those ids, run k's (k >= 2) the id with "-k" appended.
 * Returns 0, or -1 with err set: CB_EUSAGE when a document is not a
 * chunkbench report, CB_EIO when writing or memory fails. */
int cb_html_report(FILE *out, cJSON *const *runs, const char *const *labels, int nruns, cb_err *err);

/* s with & < > " ' replaced by entities; NULL prints nothing. */
void cb_html_escape(FILE *out, const char *s);

#endif
