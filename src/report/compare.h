/* compare: several run reports (the JSON of `chunkbench write/run/status
 * --json`) side by side, with ratios against the first one.
 *
 * Pure formatting over cJSON trees: no MPI, no storage, no exit(). */
#ifndef CHUNKBENCH_COMPARE_H
#define CHUNKBENCH_COMPARE_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "core/error.h"

/* Print runs[0..nruns-1] to `out`.
 *
 * labels[i] names run i in the table and in error messages (normally the
 * JSON file's path); labels itself, or any entry, may be NULL ("run N").
 * When every label shares a directory, the table shows the labels without it
 * and names the directory once above the table.
 *
 * csv == 0: an aligned text table (one row per run), then a second table
 * with the ratios of each run's figures to run 1's (bandwidth: > 1 is faster;
 * latency and spread: < 1 is better).
 * csv == 1: RFC 4180 CSV, a header line then one line per run, full precision,
 * ratio columns at the end (empty where run 1's figure is 0, empty for
 * optional figures a run lacks).
 *
 * Each run must be a chunkbench run report: the keys read are
 *   target, backend, shape[2], chunk[2], dtype, tasks.{total,complete}, bytes,
 *   bandwidth_MBps.{write_phase,ior}, latency_s.{p50,p90,p99},
 *   last_run.{writers,schedule,io}, writers[].{name,tasks,busy_s}
 * and, optionally (write's report only), passes.{list,ior_MBps.{min,p50,max}}
 * and http.{requests,retries}.
 * A missing or mistyped key fails with CB_EUSAGE and a message naming the
 * label and the key, e.g. `x.json: not a chunkbench run report (JSON of write,
 * run or status --json): no number at "bandwidth_MBps.ior"`; nothing is
 * printed then. Output errors: CB_EIO.
 *
 * Returns 0, or -1 with err filled (cb_fail). */
int cb_compare(FILE *out, cJSON *const *runs, const char *const *labels, int nruns, int csv, cb_err *err);

#endif
