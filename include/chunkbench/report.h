/* Reports of a task table: the seed's status text plus bandwidths, latency
 * percentiles and writers; the same figures as JSON (a stable, documented
 * layout) and one CSV row per task. */
#ifndef CHUNKBENCH_REPORT_H
#define CHUNKBENCH_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "chunkbench/stats.h"

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

/* Write JSON to a path, or to stdout when path is "-". */
int cb_json_save(const char *path, const cJSON *doc, cb_err *err);

/* One row per task: index,start,done,status,x,y,nrow,ncol,pod,latency_s,bytes */
int cb_report_csv(const char *path, const cb_table *tab, cb_err *err);

#endif
