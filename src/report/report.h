/* Reports of a task table: the seed's status text plus bandwidths, latency
 * percentiles and writers; the same figures as JSON (a stable, documented
 * layout) and one CSV row per task. */
#ifndef CHUNKBENCH_REPORT_H
#define CHUNKBENCH_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "core/stats.h"

/* Network figures of a run (HSDS), merged over writers. */
typedef struct cb_net_summary {
    int64_t requests, retries;
    int64_t given_back; /* see cb_net_stats */
    cb_quantiles latency;
} cb_net_summary;

void cb_report_text(FILE *f, const char *target, const char *backend, const cb_table *tab, const cb_summary *s,
                    int verbose);

/* The status object; callers may add keys (run passes, http). */
cJSON *cb_report_json(const char *target, const char *backend, const cb_table *tab, const cb_summary *s);

cJSON *cb_quantiles_json(const cb_quantiles *q);

/* {requests, retries, latency_s}: the "http" object of HSDS runs. */
cJSON *cb_net_json(const cb_net_summary *net);

/* Tasks whose values differ from the generator (verify, read --verify): the
 * JSON list [{task, elements, first: [i, j]}], and text lines "MISMATCH task
 * ..." for the first 20 (tasks: the table the indices point into). */
struct cb_mismatch;
cJSON *cb_mismatches_json(const struct cb_mismatch *bad, int64_t n);
void cb_mismatches_text(FILE *f, const cb_task *tasks, const struct cb_mismatch *bad, int64_t n);

/* Write JSON to a path, or to stdout when path is "-". */
int cb_json_save(const char *path, const cJSON *doc, cb_err *err);

/* One row per task: index,start,done,status,x,y,nrow,ncol,pod,latency_s,bytes */
int cb_report_csv(const char *path, const cb_table *tab, cb_err *err);

#endif
