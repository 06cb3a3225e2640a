/* report/json_stream.c against cJSON itself: every number printed as
 * cJSON_Print prints it (random bit patterns, timestamps, durations, ties,
 * integers, edges), and a streamed run document byte for byte the
 * cJSON_Print of the whole tree. */
#include <cjson/cJSON.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "report/json_stream.h"
#include "report/report.h"

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static double uniform(void) { return (double)(next() >> 11) / 9007199254740992.0; }

static int mismatches;

static void same_as_cjson(double d)
{
    char want[64], got[64];
    cJSON *n = cJSON_CreateNumber(d);
    cJSON_PrintPreallocated(n, want, sizeof want, 0);
    cJSON_Delete(n);
    int len = cb_json_number(got, d);
    if (strcmp(want, got) || len != (int)strlen(want)) {
        if (mismatches++ < 10)
            fprintf(stderr, "%.17g (%a): cJSON %s, cb_json_number %s\n", d, d, want, got);
    }
}

static void numbers(void)
{
    double edges[] = {0.0, -0.0, 1, -1, 0.5, 1.5, 2.5, 0.1, 1e-5, 1e-4, 123456.5, INT_MAX, INT_MIN,
                      (double)INT_MAX + 1, (double)INT_MIN - 1, 2147483646.5, 1e15, 1e16, 1e17, 1e22,
                      1e300, DBL_MAX, DBL_MIN, 5e-324, NAN, INFINITY, -INFINITY, 9.5, 0.25, 1764594308.5,
                      999999999999999.5, 9999999999999999.0, 0.000123456789012345678, 1.0 / 3};
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) {
        same_as_cjson(edges[i]);
        same_as_cjson(-edges[i]);
        same_as_cjson(nextafter(edges[i], 0));
        same_as_cjson(nextafter(edges[i], INFINITY));
    }
    for (int i = 0; i < 60000; i++) {
        uint64_t bits = next();
        double d;
        memcpy(&d, &bits, sizeof d);
        same_as_cjson(d);                                      /* any double */
        same_as_cjson(1.7e9 + uniform() * 1e8);                /* timestamps */
        same_as_cjson(uniform() * pow(10, (int)(next() % 40) - 20)); /* durations, sizes */
        same_as_cjson((double)(int64_t)(next() % 2000000) / 8); /* short binary fractions: ties */
        same_as_cjson(ldexp((double)(next() >> 11), (int)(next() % 120) - 60));
    }
    CHECK(mismatches == 0);
}

/* A table with every kind of row: pending, complete, in progress, writers. */
static void document(void)
{
    cb_table tab;
    memset(&tab, 0, sizeof tab);
    cb_meta_init(&tab.meta);
    tab.layout = (cb_layout){.shape = {300, 200}, .chunk = {10, 10}, .elem_size = 8, .iter = CB_ITER_BLOCK};
    tab.ntasks = cb_task_count(&tab.layout);
    tab.tasks = calloc((size_t)tab.ntasks, sizeof *tab.tasks);
    cb_tasks_make(&tab.layout, tab.tasks);
    for (int64_t i = 0; i < tab.ntasks; i++) {
        cb_task *t = &tab.tasks[i];
        if (i % 5 == 0)
            continue; /* pending */
        t->status = i % 7 == 0 ? CB_IN_PROGRESS : CB_COMPLETE;
        t->start = 1764594308.0 + (double)i * 1e-3 + uniform() * 1e-4;
        t->done = t->status == CB_COMPLETE ? t->start + uniform() * 0.01 : 0;
        snprintf(t->pod, sizeof t->pod, "r%d@host\"%s", (int)(i % 3), i % 2 ? "x" : "\t\x01y");
    }
    cb_summary s;
    cb_err err = {0};
    CHECK(cb_summarize(&tab, &s, &err) == 0);
    cJSON *full = cb_report_json("a/\x01target\"", "hdf5", &tab, &s);
    cJSON *lazy = cb_report_json_lazy("a/\x01target\"", "hdf5", &tab, &s);
    cJSON_AddStringToObject(full, "after", "the task list");
    cJSON_AddStringToObject(lazy, "after", "the task list");
    char *want = cJSON_Print(full);
    size_t wlen = strlen(want);
    char *got = NULL;
    size_t glen = 0;
    FILE *f = open_memstream(&got, &glen);
    CHECK(cb_json_stream(f, lazy, &tab, &s) == 0);
    fclose(f);
    CHECK(glen == wlen + 1 && !memcmp(got, want, wlen) && got[wlen] == '\n');
    free(got);
    cJSON_free(want);
    cJSON_Delete(full);
    cJSON_Delete(lazy);
    cb_summary_free(&s);
    free(tab.tasks);
}

int main(void)
{
    numbers();
    document();
    return CHECK_DONE();
}
