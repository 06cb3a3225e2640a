/* The one writer of run results (in the spirit of IOR's ior-output.c): a
 * phase's result and its task table become the status text, the JSON run
 * document, the CSV of tasks and the HTML page, as each command asked.
 * Rank 0 only; no MPI here. */
#ifndef CHUNKBENCH_OUTPUT_H
#define CHUNKBENCH_OUTPUT_H

#include <cjson/cJSON.h>

#include "core/result.h"
#include "report/report.h"

/* Where the report goes (NULL: not wanted), filled from the command line. */
typedef struct cb_output_opts {
    const char *target;
    const char *json_path, *csv_path, *report_path, *log_path;
    int verbose, quiet;
} cb_output_opts;

/* Does this output path take stdout ("-", as in `--json -`)? Then no text
 * and no progress line go there. */
int cb_stdout_taken(const char *path);

/* Text is printed: not quiet, and stdout is not the JSON's. */
int cb_output_prints(const cb_output_opts *o);

/* Print (when `print`) and save the report of a table: text, JSON (with the
 * items of `extra` added; consumed), HTML, CSV. */
int cb_emit_report(const cb_output_opts *o, const char *backend, const cb_table *tab, cJSON *extra, int print,
                   cb_err *err);

/* Write the HTML report of runs to path (core/outfile.h: replaced whole, or
 * left as it was if anything fails); `what` names the option for messages. */
int cb_render_html(const char *what, const char *path, cJSON *const *runs, const char *const *labels, int n,
                   cb_err *err);

/* status: the table as it is. */
int cb_output_status(const cb_output_opts *o, const char *backend, const cb_table *tab, cb_err *err);

/* write: the line of pass k (0-based) of n, printed as the passes go. */
void cb_output_pass(const cb_output_opts *o, const cb_pass *p, int k, int n);

/* write: the table after the run, the passes, the time split, HTTP figures
 * and clock skew of res. server: the server schedule (given_back in JSON). */
int cb_output_write(const cb_output_opts *o, const char *backend, const cb_table *tab, const cb_result *res,
                    int server, cb_err *err);

/* verify: nverified complete tasks of tab read back; res->bad the ones that differ. */
int cb_output_verify(const cb_output_opts *o, const char *backend, const cb_table *tab, int64_t nverified,
                     const cb_result *res, cb_err *err);

/* read --pattern: what the selections were (README "read", "--pattern"). */
typedef struct cb_read_pattern {
    const char *spec;     /* as given */
    const char *kind;     /* random, stride, points */
    int64_t selections;   /* made (each one task; the records say which were read) */
    int has_sum;          /* value_sum is the sum of the values read (dset) */
    double value_sum;
} cb_read_pattern;

/* What a read run was, beyond its table (README "read"). */
typedef struct cb_read_info {
    const char *dataset;      /* "dset" or the one named */
    const char *driver;       /* JSON "driver": mpio, sec2, ros3, curl, hsds */
    const char *http_cache;   /* driver curl: its cache type (JSON cache.http_cache); else NULL */
    int64_t http_block;       /* and its block size (cache.http_block_size) */
    const char *label;        /* the text's: hsds, sec2, mpio-indep, ... */
    const char *schedule;
    int tuned;                /* preset tuned (else default) */
    int64_t chunk_cache, chunk_cache_slots, page_buffer; /* < 0 / <= 0: HDF5 default, off */
    const char *page_buffer_by; /* whose page buffer: hdf5, chunkbench, none */
    int verify;               /* values were compared */
    int k, n;                 /* dataset k (0-based) of n: output files numbered when n > 1 */
    int caches;               /* the backend has HDF5's caches (else the text names none) */
    int one_open;             /* several datasets read in one open of the file (else one open each) */
    const cb_read_pattern *pattern; /* read --pattern; NULL: the task grid */
} cb_read_info;

/* The output path of dataset k (0-based) of n read: "out.json" ->
 * "out-2.json" when n > 1, one file each (buf holds it); else path. */
const char *cb_output_numbered(const char *path, int k, int n, char *buf, size_t cap);

/* read: the tasks read (tab, phase "read"), the request log, the caches, the
 * values checked; the --log CSV of requests. */
int cb_output_read(const cb_output_opts *o, const char *backend, const cb_table *tab, const cb_result *res,
                   const cb_read_info *ri, cb_err *err);

/* One dataset of a read of several, as the total line and JSON give it. */
typedef struct cb_read_part {
    const char *dataset;
    int64_t bytes;                 /* values read */
    uint64_t checksum;             /* core/checksum.h */
    int64_t requests, request_bytes; /* -1: not logged */
    /* Its own open started, close ended; in one open of all, its turn: from
     * the barrier before it (the first: the open) to its last task (the
     * last: the close's end). */
    double open_start, close_end;
} cb_read_part;

/* A read of n > 1 datasets: the line `total: ...` and, with --json PATH, PATH
 * itself (the datasets' own files are numbered) holding the list and the
 * totals. ri: the read's settings (its dataset, k and n unused). The
 * total's open_close_s is the one open's open-to-close time (ri->one_open),
 * else the sum of the datasets' own. */
int cb_output_read_total(const cb_output_opts *o, const cb_read_info *ri, const cb_read_part *parts, int n,
                         cb_err *err);

#endif
