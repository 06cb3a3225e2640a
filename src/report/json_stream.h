/* The JSON run document written as a stream: the per-task columns of
 * "task_list" (8 numbers per task, millions of tasks) go straight to the
 * file instead of into a cJSON tree, with byte for byte the text cJSON_Print
 * would give for the whole tree. */
#ifndef CHUNKBENCH_JSON_STREAM_H
#define CHUNKBENCH_JSON_STREAM_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "core/stats.h"
#include "core/tasks.h"

/* A number as cJSON 1.7 prints it (print_number: "null" for NaN and
 * infinities, else "%1.15g" if that reads back within DBL_EPSILON, else
 * "%1.17g"; an int prints as its digits), into buf (at least 32 bytes); its
 * length. The digits come from exact integer arithmetic where the double
 * allows it (the C library's %g takes a microsecond), else from snprintf.
 * tests/unit/test_json_stream.c holds it to the installed cJSON. */
int cb_json_number(char *buf, double d);

/* Print doc (formatted, as cJSON_Print) to f, where doc's "task_list" came
 * from cb_report_json_lazy: its columns are taken from tab and s here.
 * Returns -1 when out of memory; write errors are left in f's error flag. */
int cb_json_stream(FILE *f, const cJSON *doc, const cb_table *tab, const cb_summary *s);

#endif
