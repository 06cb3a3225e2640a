/* Reports of a task table: the seed's status text plus bandwidths, latency
 * percentiles and writers; the same figures as JSON (a stable, documented
 * layout) and one CSV row per task. */
#ifndef CHUNKBENCH_REPORT_H
#define CHUNKBENCH_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "core/result.h"
#include "core/stats.h"
#include "report/report_iolog.h"

/* The version of the JSON run document's layout (its "schema" key): raised
 * when a documented key changes meaning or goes; new keys leave it. */
#define CB_JSON_SCHEMA 1

void cb_report_text(FILE *f, const char *target, const char *backend, const cb_table *tab, const cb_summary *s,
                    int verbose);

/* The status object; callers may add keys (run passes, http). */
cJSON *cb_report_json(const char *target, const char *backend, const cb_table *tab, const cb_summary *s);

/* The same with "task_list" left to the writer (report/json_stream.h): its
 * columns each hold one raw CB_JSON_COLUMN_MARK instead of a number per
 * task. Print it with cb_json_stream only. */
cJSON *cb_report_json_lazy(const char *target, const char *backend, const cb_table *tab, const cb_summary *s);
#define CB_JSON_COLUMN_MARK "\x01"

/* The "task_list" object in full (to put in place of the lazy one). */
cJSON *cb_report_task_list_json(const cb_table *tab, const cb_summary *s);

/* A task's writer (its pod name) as an index into s->writers; -1: none. */
int cb_report_writer_index(const cb_summary *s, const char *pod);

cJSON *cb_quantiles_json(const cb_quantiles *q);

/* {requests, retries, latency_s}: the "http" object of HSDS runs. */
cJSON *cb_net_json(const cb_net_summary *net);

/* Tasks whose values differ from the generator (verify, read --verify): the
 * JSON list [{task, elements, first: [i, j]}], and text lines "MISMATCH task
 * ..." for the first 20 (tasks: the table the indices point into). */
cJSON *cb_mismatches_json(const cb_mismatch *bad, int64_t n);
void cb_mismatches_text(FILE *f, const cb_task *tasks, const cb_mismatch *bad, int64_t n);

/* Write JSON to a path, or to stdout when path is "-". */
int cb_json_save(const char *path, const cJSON *doc, cb_err *err);

/* One row per task: index,start,done,status,x,y,nrow,ncol,pod,latency_s,bytes */
int cb_report_csv(const char *path, const cb_table *tab, cb_err *err);

#endif
