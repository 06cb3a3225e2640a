/* The one reader of the JSON run document (the output of write/run/status/
 * read --json, README "JSON output"), for `compare` and the HTML report:
 * accessors, the document's scalar figures in one struct, and the check of
 * the keys a consumer cannot do without. */
#ifndef CHUNKBENCH_RUNDOC_H
#define CHUNKBENCH_RUNDOC_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "core/error.h"
#include "core/stats.h"

/* A run document from a file (the output of --json); NULL with err set
 * (CB_EUSAGE) when it cannot be read or is not JSON. */
cJSON *cb_rundoc_load(const char *path, cb_err *err);

/* A member (NULL when missing), the item at a dotted path ("a.b.c"), a
 * number (NAN when missing or not a number), a string (NULL), and an array
 * of exactly n numbers into out (dflt for non-numbers; -1 when not an array
 * of that length). */
const cJSON *cb_hj_item(const cJSON *o, const char *k);
const cJSON *cb_hj_at(const cJSON *root, const char *path);
double cb_hj_num(const cJSON *o, const char *k);
const char *cb_hj_str(const cJSON *o, const char *k);
int cb_hj_numbers(const cJSON *a, int64_t n, double *out, double dflt);
/* {n, min, p50, p90, p99, max, mean} (NAN where missing). */
void cb_hj_quantiles(const cJSON *o, cb_quantiles *q);

/* The scalar figures of a run document; NAN / NULL where it lacks them. */
typedef struct cb_rundoc {
    const char *target, *backend, *dtype, *iter, *schedule, *io;
    const char *phase;        /* "read", or "write" for anything else */
    const char *driver, *preset; /* read runs */
    double page_size;         /* cache.file_page_size */
    const cJSON *requests;    /* the request log object, NULL when none */
    double file_size;         /* requests.file_size */
    double span_s;            /* last_run: close_end - open_start */
    double shape[2], chunk[2], seed;
    double total, pending, complete, in_progress, bytes;
    double elapsed_s, phase_MBps, ior_MBps, run_writers;
    cb_quantiles lat;
    /* "stack" (what the run was measured with); NULL / NAN when the run has none. */
    const char *hdf5, *mpi, *fs_type;
    double hosts;
    /* "compression" (filtered runs): the filter chain ("" when the run has
     * none), stored bytes, logical/stored ratio and the stored bytes over
     * the write phase's time; NAN when unfiltered. */
    const char *filters;
    double stored_bytes, ratio, stored_MBps;
} cb_rundoc;

/* 0, or -1 when doc is not an object with a "tasks" object. */
int cb_rundoc_read(const cJSON *doc, cb_rundoc *d);

/* The keys `compare` reads, present and of their type: target, backend,
 * shape, chunk, dtype, tasks.{total,complete}, bytes,
 * bandwidth_MBps.{write_phase,ior}, latency_s.{p50,p90,p99},
 * last_run.{writers,schedule,io}. Else CB_EUSAGE naming label and key:
 * `x.json: not a chunkbench run report (...): no number at "bytes"`. */
int cb_rundoc_require(const cJSON *doc, const char *label, cb_err *err);

/* The error of a missing or mistyped key (what: "number", "string", ...). */
int cb_rundoc_missing(cb_err *err, const char *label, const char *what, const char *path);

/* An optional number at path: NAN when absent, an error when not a number. */
int cb_rundoc_opt_num(const cJSON *doc, const char *path, const char *label, double *out, cb_err *err);

#endif
