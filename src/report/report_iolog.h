/* The request log in reports: JSON, text and CSV. */
#ifndef CHUNKBENCH_REPORT_IOLOG_H
#define CHUNKBENCH_REPORT_IOLOG_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "core/iolog.h"

/* data_bytes: bytes of the selections read; over-read = requested / data_bytes. */
cJSON *cb_iolog_json(const cb_iolog_summary *s, int64_t data_bytes);
void cb_iolog_text(FILE *f, const cb_iolog_summary *s, int64_t data_bytes);

/* The byte ranges behind the report's read-pattern picture, added to o (the
 * object of cb_iolog_json): "file_size" when known (> 0), then either
 * "ranges" {offset, size, rank, raw: one column each, one entry per request
 * that has a file offset}, or past CB_JSON_MAX_RANGES such requests, only
 * "pattern" {columns, lo, hi, classes, counts: per size class, the requests
 * touching each column}, so that a JSON of a million requests stays small.
 * HSDS requests have no file offset and are not listed. */
#define CB_JSON_MAX_RANGES 100000
#define CB_JSON_PATTERN_COLUMNS 1000
int cb_iolog_ranges_json(cJSON *o, const cb_ioreq *v, int64_t n, int64_t file_size);

/* rank,kind,offset,size,start,end one line per request ("-": stdout). */
int cb_iolog_csv(const char *path, const cb_ioreq *v, int64_t n, cb_err *err);

#endif
