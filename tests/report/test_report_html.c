/* Unit tests of the HTML report: documents made by the real JSON code
 * (cb_summarize + cb_report_json) from synthetic task tables, rendered to
 * memory and checked for sections, element counts, escaping and errors. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "report/report.h"
#include "report/report_html.h"
#include "core/iolog.h"
#include "report/report_html_int.h"
#include "report/rundoc.h"

/* A table of shape R x C in tasks of `iter`; the first `ndone` tasks
 * complete (each dur s, spread over nw writers), the next one in progress. */
static cJSON *make_doc(int64_t R, int64_t C, int64_t cr, int64_t cc, cb_iter iter, int64_t ndone, int nw, double dur,
                       const char *target, const char *pod_prefix)
{
    cb_table tab = {0};
    tab.layout = (cb_layout){{R, C}, {cr, cc}, 8, iter};
    cb_meta_init(&tab.meta);
    tab.ntasks = cb_task_count(&tab.layout);
    tab.tasks = calloc((size_t)tab.ntasks, sizeof *tab.tasks);
    cb_tasks_make(&tab.layout, tab.tasks);
    double t0 = 1.7e9;
    tab.meta.open_start = t0 - 0.01;
    tab.meta.writers = nw;
    snprintf(tab.meta.schedule, sizeof tab.meta.schedule, "cyclic");
    snprintf(tab.meta.io, sizeof tab.meta.io, "independent");
    for (int64_t i = 0; i < tab.ntasks && i <= ndone; i++) {
        cb_task *t = &tab.tasks[i];
        int w = (int)(i % nw);
        t->start = t0 + (double)(i / nw) * dur;
        t->done = i < ndone ? t->start + dur * (0.5 + 0.5 * (double)(i % 7) / 7) : 0;
        t->status = i < ndone ? CB_COMPLETE : CB_IN_PROGRESS;
        snprintf(t->pod, sizeof t->pod, "%s%d", pod_prefix, w);
        tab.meta.close_end = t->done > tab.meta.close_end ? t->done + 0.01 : tab.meta.close_end;
    }
    cb_summary s;
    cb_err err = {0};
    cJSON *doc = NULL;
    if (cb_summarize(&tab, &s, &err) == 0) {
        doc = cb_report_json(target, "hdf5", &tab, &s);
        cb_summary_free(&s);
    }
    free(tab.tasks);
    return doc;
}

typedef struct page {
    char *text;
    size_t len;
    int rc;
    cb_err err;
} page;

/* Render to memory; with CB_REPORT_DUMP=DIR also to DIR/name.html, to look at. */
static page render_named(const char *name, cJSON **docs, const char **labels, int n)
{
    page p = {0};
    FILE *f = open_memstream(&p.text, &p.len);
    p.rc = cb_html_report(f, docs, labels, n, &p.err);
    fclose(f);
    const char *dir = getenv("CB_REPORT_DUMP");
    if (dir && name && p.rc == 0) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.html", dir, name);
        FILE *out = fopen(path, "w");
        if (out) {
            fwrite(p.text, 1, p.len, out);
            fclose(out);
        }
    }
    return p;
}

#define render(docs, labels, n) render_named(NULL, docs, labels, n)

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* Elements opened in the page: '<' followed by a letter. */
static int elements(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += s[0] == '<' && ((s[1] >= 'a' && s[1] <= 'z') || (s[1] >= 'A' && s[1] <= 'Z'));
    return n;
}

static void test_escape(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cb_html_escape(f, "a<b>&\"'z");
    cb_html_escape(f, NULL);
    fclose(f);
    CHECK(!strcmp(buf, "a&lt;b&gt;&amp;&quot;&#39;z"));
    free(buf);
}

static void test_formats(void)
{
    char b[64];
    cb_hfmt_sig(b, sizeof b, 308.58);
    CHECK(!strcmp(b, "309"));
    cb_hfmt_sig(b, sizeof b, 0.0019824);
    CHECK(!strcmp(b, "0.00198"));
    cb_hfmt_sig(b, sizeof b, NAN);
    CHECK(!strcmp(b, "n/a"));
    cb_hfmt_count(b, sizeof b, 100000);
    CHECK(!strcmp(b, "100,000"));
    cb_hfmt_count(b, sizeof b, -1234567);
    CHECK(!strcmp(b, "-1,234,567"));
    cb_hfmt_count(b, sizeof b, 999);
    CHECK(!strcmp(b, "999"));
    cb_hfmt_count(b, sizeof b, 1e308); /* no overflow of the digit buffer */
    CHECK(!strcmp(b, "1e+308"));
    cb_hfmt_secs(b, sizeof b, 0.0015);
    CHECK(!strcmp(b, "1.50 ms"));
    cb_hfmt_secs(b, sizeof b, 0.00085);
    CHECK(!strcmp(b, "850 \xC2\xB5s"));
    cb_hfmt_secs(b, sizeof b, 2.1);
    CHECK(!strcmp(b, "2.10 s"));
}

static void test_one_run(void)
{
    /* 20 x 30 chunks, 300 complete, one in progress, hostile names. */
    cJSON *doc = make_doc(2000, 3000, 100, 100, CB_ITER_BLOCK, 300, 4, 0.01, "/tmp/<script>alert('x')</script>&.h5",
                          "<b>w");
    CHECK(doc != NULL);
    page p = render_named("unit_one_run", &doc, NULL, 1);
    CHECK(p.rc == 0);
    const char *ids[] = {"summary", "timeline", "throughput", "latency", "writers", "grid"};
    for (int i = 0; i < 6; i++) {
        char want[64];
        snprintf(want, sizeof want, "<section id=\"%s\"", ids[i]);
        CHECK(count(p.text, want) == 1);
    }
    CHECK(!strstr(p.text, "id=\"comparison\""));
    CHECK(!strstr(p.text, "<script"));
    CHECK(!strstr(p.text, "<b>w"));
    CHECK(strstr(p.text, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;.h5") != NULL);
    CHECK(strstr(p.text, "&lt;b&gt;w0") != NULL);
    /* Below the threshold: one bar per started task (300 + 1 running). */
    CHECK(strstr(p.text, "data-mode=\"bars\" data-tasks=\"301\"") != NULL);
    CHECK(count(p.text, "class=\"task\"") == 301);
    CHECK(count(p.text, "class=\"wbar\"") == 3 * 4);
    CHECK(strstr(p.text, "data-rows=\"20\" data-cols=\"30\"") != NULL);
    CHECK(strstr(p.text, "MB/s write phase") && strstr(p.text, "MB/s IOR-style"));
    CHECK(strstr(p.text, "http:") == NULL && strstr(p.text, "https:") == NULL);
    free(p.text);
    cJSON_Delete(doc);
}

static void test_bins_match(void)
{
    /* 600 complete tasks: 25 time bins, 25 latency bins. */
    cJSON *doc = make_doc(2000, 3000, 100, 100, CB_ITER_BLOCK, 600, 4, 0.01, "/tmp/a.h5", "r");
    page p = render(&doc, NULL, 1);
    CHECK(p.rc == 0);
    const char *thr = strstr(p.text, "class=\"throughput\" data-bins=\"25\"");
    const char *lat = strstr(p.text, "class=\"latency\" data-bins=\"25\"");
    CHECK(thr && lat && thr < lat);
    if (thr && lat) {
        char *cut = strstr(lat, "</svg>");
        CHECK(count(thr, "class=\"bin\"") - count(lat, "class=\"bin\"") == 25);
        *cut = 0;
        CHECK(count(lat, "class=\"bin\"") == 25);
    }
    free(p.text);
    cJSON_Delete(doc);
}

static void test_100k_tasks(void)
{
    /* 100000 row tasks on 64 writers: occupancy, shared lanes, a grid of
     * at most 200 cells a side, and a small page. */
    cJSON *doc = make_doc(100000, 16, 1, 16, CB_ITER_ROW, 100000, 64, 0.0005, "/tmp/big.h5", "rank");
    page p = render_named("unit_100k_64writers", &doc, NULL, 1);
    CHECK(p.rc == 0);
    CHECK(strstr(p.text, "data-mode=\"occupancy\" data-tasks=\"100000\" data-lanes=\"48\"") != NULL);
    CHECK(count(p.text, "class=\"task\"") == 0);
    CHECK(count(p.text, "class=\"occ\"") == 48);
    CHECK(strstr(p.text, "data-rows=\"200\" data-cols=\"1\"") != NULL);
    CHECK(count(p.text, "class=\"cells\"") <= CB_HTML_LEVELS + 1);
    CHECK(p.len < 1500000);
    CHECK(elements(p.text) < 5000);
    fprintf(stdout, "100000 tasks: %zu bytes, %d elements\n", p.len, elements(p.text));
    free(p.text);
    cJSON_Delete(doc);
}

static void test_thin_bars(void)
{
    /* 1000 tasks of 1 us over about 0.25 s: sub-pixel bars, so occupancy. */
    cJSON *doc = make_doc(1000, 10, 1, 10, CB_ITER_ROW, 1000, 4, 1e-3, "/tmp/t.h5", "r");
    cJSON *tl = cJSON_GetObjectItem(doc, "task_list");
    cJSON *s = cJSON_GetObjectItem(tl, "start"), *d = cJSON_GetObjectItem(tl, "done"), *a, *b;
    for (a = s->child, b = d->child; a && b; a = a->next, b = b->next)
        cJSON_SetNumberValue(b, a->valuedouble + 1e-6);
    page p = render(&doc, NULL, 1);
    CHECK(p.rc == 0 && strstr(p.text, "data-mode=\"occupancy\"") != NULL);
    CHECK(count(p.text, "class=\"occ\"") == 4);
    free(p.text);
    cJSON_Delete(doc);
}

static void test_many_writers(void)
{
    /* 400 writers: 48 timeline lanes and 150 writer rows, not 400. */
    cJSON *doc = make_doc(2000, 3000, 100, 100, CB_ITER_BLOCK, 600, 400, 0.01, "/tmp/w.h5", "rank");
    page p = render_named("unit_400_writers", &doc, NULL, 1);
    CHECK(p.rc == 0);
    CHECK(strstr(p.text, "data-mode=\"occupancy\" data-tasks=\"600\" data-lanes=\"48\"") != NULL);
    CHECK(strstr(p.text, "data-writers=\"400\" data-rows=\"150\"") != NULL);
    CHECK(count(p.text, "class=\"wbar\"") == 3 * CB_HTML_MAX_WRITER_ROWS);
    CHECK(strstr(p.text, "400 writers in 150 rows") != NULL);
    free(p.text);
    cJSON_Delete(doc);
}

static void test_comparison(void)
{
    cJSON *docs[2] = {make_doc(200, 300, 100, 100, CB_ITER_BLOCK, 6, 2, 0.1, "/tmp/a.h5", "r"),
                      make_doc(200, 300, 100, 100, CB_ITER_BLOCK, 6, 3, 0.05, "/tmp/b.h5", "r")};
    const char *labels[2] = {"base & <one>", NULL};
    page p = render(docs, labels, 2);
    CHECK(p.rc == 0);
    CHECK(count(p.text, "<section id=\"comparison\"") == 1);
    CHECK(count(p.text, "<section id=\"summary\"") == 1);
    CHECK(count(p.text, "<section id=\"summary-2\"") == 1);
    CHECK(count(p.text, "<section id=\"grid-2\"") == 1);
    CHECK(count(p.text, "class=\"cmpbar\"") == 4 * 2);
    CHECK(strstr(p.text, "base &amp; &lt;one&gt;") != NULL);
    CHECK(strstr(p.text, "/tmp/b.h5") != NULL); /* no label: the target */
    free(p.text);
    cJSON_Delete(docs[0]);
    cJSON_Delete(docs[1]);
}

static void test_nothing_started(void)
{
    cJSON *doc = make_doc(100, 100, 10, 10, CB_ITER_BLOCK, 0, 1, 0.1, "/tmp/new.h5", "r");
    /* make_doc marks task 0 in progress; make it pending again. */
    cJSON *tl = cJSON_GetObjectItem(doc, "task_list");
    cJSON_SetNumberValue(cJSON_GetArrayItem(cJSON_GetObjectItem(tl, "start"), 0), 0);
    cJSON_SetNumberValue(cJSON_GetArrayItem(cJSON_GetObjectItem(tl, "status"), 0), 0);
    page p = render(&doc, NULL, 1);
    CHECK(p.rc == 0);
    CHECK(count(p.text, "No task has started yet.") >= 2);
    CHECK(count(p.text, "<section id=") == 6);
    free(p.text);
    cJSON_Delete(doc);
}

static void test_errors(void)
{
    cJSON *bad = cJSON_Parse("[1,2]");
    page p = render(&bad, NULL, 1);
    CHECK(p.rc == -1 && p.err.code == CB_EUSAGE);
    free(p.text);
    cJSON_Delete(bad);

    cJSON *doc = make_doc(200, 300, 100, 100, CB_ITER_BLOCK, 6, 2, 0.1, "/tmp/a.h5", "r");
    cJSON_DeleteItemFromArray(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "task_list"), "x"), 0);
    p = render(&doc, NULL, 1);
    CHECK(p.rc == -1 && p.err.code == CB_EUSAGE && strstr(p.err.msg, "task_list.x"));
    free(p.text);

    p = render(&doc, NULL, 0);
    CHECK(p.rc == -1 && p.err.code == CB_EUSAGE);
    free(p.text);
    cJSON_Delete(doc);

    /* A full disk is an I/O error, reported as a value. */
    doc = make_doc(200, 300, 100, 100, CB_ITER_BLOCK, 6, 2, 0.1, "/tmp/a.h5", "r");
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        cb_err err = {0};
        CHECK(cb_html_report(full, &doc, NULL, 1, &err) == -1 && err.code == CB_EIO);
        fclose(full);
    }
    cJSON_Delete(doc);
}

static void test_http_figures(void)
{
    cJSON *doc = make_doc(200, 300, 100, 100, CB_ITER_BLOCK, 6, 2, 0.1, "hdf5://home/test/x.h5", "r");
    cJSON_ReplaceItemInObject(doc, "backend", cJSON_CreateString("hsds"));
    cJSON *h = cJSON_AddObjectToObject(doc, "http");
    cJSON_AddNumberToObject(h, "requests", 1234);
    cJSON_AddNumberToObject(h, "retries", 5);
    cJSON *q = cJSON_AddObjectToObject(h, "latency_s");
    cJSON_AddNumberToObject(q, "p50", 0.002);
    cJSON_AddNumberToObject(q, "p99", 0.02);
    cJSON_AddNumberToObject(q, "max", 0.05);
    cJSON *list = cJSON_AddArrayToObject(cJSON_AddObjectToObject(doc, "passes"), "list");
    for (int k = 1; k <= 2; k++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "pass", k);
        cJSON_AddNumberToObject(x, "ior_MBps", 100.0 * k);
        cJSON_AddItemToArray(list, x);
    }
    page p = render(&doc, NULL, 1);
    CHECK(p.rc == 0);
    CHECK(strstr(p.text, "<table class=\"grid passes\">") && strstr(p.text, "<td>200</td>"));
    CHECK(strstr(p.text, "HTTP (HSDS)") && strstr(p.text, "1,234") && strstr(p.text, "2.00 ms"));
    free(p.text);
    cJSON_Delete(doc);
}

/* A read run: make_doc's table as a read, with a request log of n requests
 * (listed, or as a column pattern) and the cache keys the layouts chart uses. */
static cJSON *read_doc(int64_t cr, int64_t n, int listed, const char *driver, const char *preset, int64_t page,
                       double span)
{
    cJSON *d = make_doc(400, 400, cr, cr, CB_ITER_BLOCK, 10, 2, 0.01, "f.h5", "r");
    cJSON_ReplaceItemInObject(d, "phase", cJSON_CreateString("read"));
    cJSON *lr = cJSON_GetObjectItem(d, "last_run");
    /* Whole seconds plus binary fractions: the span survives in doubles exactly. */
    cJSON_ReplaceItemInObject(lr, "open_start", cJSON_CreateNumber(1.7e9));
    cJSON_ReplaceItemInObject(lr, "close_end", cJSON_CreateNumber(1.7e9 + span));
    cJSON_AddStringToObject(d, "driver", driver);
    cJSON *c = cJSON_AddObjectToObject(d, "cache");
    cJSON_AddStringToObject(c, "preset", preset);
    cJSON_AddNumberToObject(c, "file_page_size", (double)page);
    if (n < 0)
        return d;
    cb_ioreq *v = calloc((size_t)(n ? n : 1), sizeof *v);
    for (int64_t i = 0; i < n; i++) /* sizes cycle through the four classes */
        v[i] = (cb_ioreq){i * 2000, (int64_t[]){100, 5000, 50000, 500000}[i % 4], 0, 0, 0, i % 4 == 3};
    cb_iolog_summary sum;
    cb_iolog_summarize(v, n, 0, &sum);
    cJSON *q = cb_iolog_json(&sum, 1000);
    if (listed)
        cb_iolog_ranges_json(q, v, n, (n + 1) * 2000 + 500000);
    cJSON_AddItemToObject(d, "requests", q);
    free(v);
    return d;
}

static void test_read_pattern(void)
{
    /* Listed and few: one mark per request, in its class's lane. */
    cJSON *a = read_doc(100, 40, 1, "sec2", "default", 0, 0.5);
    page p = render_named("read_marks", &a, NULL, 1);
    CHECK(p.rc == 0);
    CHECK(strstr(p.text, "id=\"requests\"") != NULL);
    CHECK(strstr(p.text, "data-requests=\"40\" data-marks=\"40\" data-columns=\"0\"") != NULL);
    CHECK(count(p.text, "class=\"req\"") == 40);
    CHECK(strstr(p.text, "total requests: 40, requests &lt; 10 KB: 20") != NULL);
    CHECK(strstr(p.text, "MB/s read phase") && !strstr(p.text, "MB/s write phase"));
    CHECK(strstr(p.text, "read rate (MB/s)") != NULL);
    CHECK(!strstr(p.text, "id=\"layouts\""));
    free(p.text);
    cJSON_Delete(a);

    /* Listed but many: pixel columns, one path per class, no marks. */
    a = read_doc(100, CB_HTML_MAX_MARKS + 1, 1, "sec2", "default", 0, 0.5);
    p = render(&a, NULL, 1);
    CHECK(p.rc == 0 && count(p.text, "class=\"req\"") == 0 && count(p.text, "class=\"cover\"") == 4);
    CHECK(strstr(p.text, "data-marks=\"0\" data-columns=\"810\"") != NULL);
    CHECK(p.len < 200000);
    free(p.text);
    cJSON_Delete(a);

    /* Past the JSON's limit, the log arrives as columns already. */
    a = read_doc(100, CB_JSON_MAX_RANGES + 1, 1, "sec2", "default", 0, 0.5);
    const cJSON *q = cJSON_GetObjectItem(a, "requests");
    CHECK(!cJSON_GetObjectItem(q, "ranges") && cJSON_GetObjectItem(q, "pattern"));
    p = render(&a, NULL, 1);
    CHECK(p.rc == 0 && count(p.text, "class=\"cover\"") == 4 && count(p.text, "class=\"req\"") == 0);
    CHECK(strstr(p.text, "data-columns=\"1000\"") != NULL);
    CHECK(p.len < 200000); /* the JSON's columns keep a huge log's page small too */
    free(p.text);
    cJSON_Delete(a);

    /* No offsets (HSDS): sizes only, said so; a write run has no section. */
    cJSON *docs[2] = {read_doc(100, 12, 0, "hsds", "default", 0, 0.5),
                      make_doc(400, 400, 100, 100, CB_ITER_BLOCK, 10, 2, 0.01, "w.h5", "r")};
    cJSON_ReplaceItemInObject(docs[0], "backend", cJSON_CreateString("hsds"));
    p = render(docs, NULL, 2);
    CHECK(p.rc == 0 && count(p.text, "class=\"ranges\"") == 0);
    CHECK(strstr(p.text, "HSDS requests are HTTP calls") != NULL);
    CHECK(count(p.text, "<section id=\"requests") == 1);
    CHECK(!strstr(p.text, "id=\"layouts\"")); /* one read run only */
    CHECK(strstr(p.text, "write/read-phase MB/s") != NULL);
    free(p.text);
    cJSON_Delete(docs[0]);
    cJSON_Delete(docs[1]);
}

static void test_layouts(void)
{
    /* 2 layouts x (sec2, ros3) x (default), with a repeat to average, and a
     * combination never run: 3 bars, means in the table and on the bars. */
    cJSON *d[5] = {read_doc(100, -1, 0, "sec2", "default", 0, 0.25), read_doc(100, -1, 0, "sec2", "default", 0, 0.5),
                   read_doc(200, -1, 0, "sec2", "default", 1 << 20, 0.125),
                   read_doc(100, -1, 0, "ros3", "default", 0, 0.75),
                   make_doc(400, 400, 100, 100, CB_ITER_BLOCK, 10, 2, 0.01, "w.h5", "r")};
    page p = render_named("read_layouts", d, NULL, 5);
    CHECK(p.rc == 0);
    CHECK(strstr(p.text, "data-groups=\"2\" data-layouts=\"2\"") != NULL);
    CHECK(count(p.text, "class=\"lbar\"") == 3);
    CHECK(strstr(p.text, "data-s=\"0.375\" data-runs=\"2\"") != NULL);
    CHECK(strstr(p.text, "data-s=\"0.125\" data-runs=\"1\"") != NULL);
    CHECK(strstr(p.text, "data-s=\"0.75\" data-runs=\"1\"") != NULL);
    CHECK(strstr(p.text, "chunk 200x200, paged 1 MiB") != NULL);
    /* The baseline: the first layout's slowest mean (ros3's 0.75 s). */
    CHECK(strstr(p.text, "class=\"baseline\" data-s=\"0.75\"") != NULL);
    CHECK(strstr(p.text, "href=\"#layouts\"") != NULL);
    free(p.text);
    for (int k = 0; k < 5; k++)
        cJSON_Delete(d[k]);
}

static void test_writer_order(void)
{
    /* 12 writers r0..r11: lanes and writer rows follow the number, not the text. */
    cJSON *d = make_doc(400, 400, 100, 100, CB_ITER_BLOCK, 16, 12, 0.01, "o.h5", "r");
    page p = render(&d, NULL, 1);
    CHECK(p.rc == 0);
    const char *tl = strstr(p.text, "id=\"timeline\"");
    const char *r2 = tl ? strstr(tl, ">r2<") : NULL, *r10 = tl ? strstr(tl, ">r10<") : NULL;
    CHECK(r2 && r10 && r2 < r10);
    free(p.text);
    cJSON_Delete(d);
    /* Writers on two hosts: lanes grouped by host (r0@a, r2@a, ..., then r1@b, ...). */
    d = make_doc(400, 400, 100, 100, CB_ITER_BLOCK, 16, 4, 0.01, "o.h5", "r");
    cJSON *ws = cJSON_GetObjectItem(d, "writers"), *w;
    cJSON_ArrayForEach(w, ws)
    {
        const char *nm = cJSON_GetStringValue(cJSON_GetObjectItem(w, "name"));
        char buf[32];
        snprintf(buf, sizeof buf, "%s@%s", nm, (nm[1] - '0') % 2 ? "b" : "a");
        cJSON_ReplaceItemInObject(w, "name", cJSON_CreateString(buf));
    }
    p = render(&d, NULL, 1);
    CHECK(p.rc == 0);
    tl = strstr(p.text, "id=\"timeline\"");
    const char *a0 = tl ? strstr(tl, ">r0@a<") : NULL, *a2 = tl ? strstr(tl, ">r2@a<") : NULL;
    const char *b1 = tl ? strstr(tl, ">r1@b<") : NULL, *b3 = tl ? strstr(tl, ">r3@b<") : NULL;
    CHECK(a0 && a2 && b1 && b3 && a0 < a2 && a2 < b1 && b1 < b3);
    free(p.text);
    cJSON_Delete(d);
}

/* The one reader of the run document reads back what the writer wrote, and
 * names the first key a consumer needs that a document lacks. */
static void test_rundoc(void)
{
    cJSON *doc = make_doc(1000, 1000, 100, 100, CB_ITER_BLOCK, 60, 3, 0.02, "/tmp/r.h5", "r");
    CHECK(doc != NULL);
    CHECK(cb_hj_num(doc, "schema") == CB_JSON_SCHEMA);
    cb_rundoc d;
    CHECK(cb_rundoc_read(doc, &d) == 0);
    CHECK(d.target && !strcmp(d.target, "/tmp/r.h5"));
    CHECK(d.backend && !strcmp(d.backend, "hdf5"));
    CHECK(!strcmp(d.phase, "write"));
    CHECK(d.total == 100 && d.complete == 60 && d.in_progress == 1);
    CHECK(d.bytes == 60.0 * 100 * 100 * 8);
    CHECK(d.shape[0] == 1000 && d.chunk[1] == 100);
    CHECK(d.run_writers == 3);
    CHECK(d.lat.n == 60 && d.lat.p50 > 0);
    CHECK(cb_hj_at(doc, "bandwidth_MBps.ior") && d.ior_MBps == cb_hj_at(doc, "bandwidth_MBps.ior")->valuedouble);
    cb_err err = {0};
    CHECK(cb_rundoc_require(doc, "r.json", &err) == 0);
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "bytes");
    CHECK(cb_rundoc_require(doc, "r.json", &err) < 0 && err.code == CB_EUSAGE);
    CHECK(strstr(err.msg, "r.json: not a chunkbench run report") && strstr(err.msg, "no number at \"bytes\""));
    cJSON *arr = cJSON_CreateArray();
    CHECK(cb_rundoc_read(arr, &d) < 0);
    cJSON_Delete(arr);
    cJSON_Delete(doc);
}

/* The stack card and, with writers on two hosts, the per-host table. */
static void test_stack_and_hosts(void)
{
    cJSON *doc = make_doc(200, 300, 100, 100, CB_ITER_BLOCK, 6, 4, 0.1, "/tmp/s.h5", "r");
    page p = render(&doc, NULL, 1);
    CHECK(p.rc == 0 && !strstr(p.text, "<h4>Stack</h4>") && !strstr(p.text, "class=\"grid hosts\""));
    free(p.text);
    cJSON *st = cJSON_AddObjectToObject(doc, "stack");
    cJSON_AddStringToObject(st, "chunkbench", "0.1.0");
    cJSON_AddStringToObject(st, "git", "abc123");
    cJSON_AddStringToObject(st, "hdf5", "1.14.5");
    cJSON_AddStringToObject(st, "mpi", "MPICH Version: 4.2.1 <&>");
    cJSON_AddStringToObject(st, "libcurl", "8.14.1");
    cJSON_AddStringToObject(st, "fs_type", "lustre");
    cJSON_AddNumberToObject(st, "ranks", 6);
    cJSON_AddNumberToObject(st, "hosts", 2);
    cJSON_AddStringToObject(st, "host_names", "n1,n2");
    cJSON *rph = cJSON_AddObjectToObject(st, "ranks_per_host");
    cJSON_AddNumberToObject(rph, "min", 2);
    cJSON_AddNumberToObject(rph, "max", 4);
    cJSON_DeleteItemFromObject(doc, "hosts");
    cJSON *hosts = cJSON_AddArrayToObject(doc, "hosts");
    for (int k = 0; k < 2; k++) {
        cJSON *h = cJSON_CreateObject();
        cJSON_AddStringToObject(h, "name", k ? "n2<b>" : "n1");
        cJSON_AddNumberToObject(h, "writers", k ? 4 : 2);
        cJSON_AddNumberToObject(h, "tasks", k ? 1500 : 3);
        cJSON_AddNumberToObject(h, "bytes", 3e6);
        cJSON_AddNumberToObject(h, "MBps", k ? 250 : 125);
        cJSON_AddNumberToObject(h, "mean_s", k ? 0.002 : 0.004);
        cJSON_AddItemToArray(hosts, h);
    }
    cJSON_ReplaceItemInObject(doc, "slowest_host", cJSON_CreateNumber(0));
    p = render(&doc, NULL, 1);
    CHECK(p.rc == 0);
    CHECK(strstr(p.text, "<h4>Stack</h4>") && strstr(p.text, "<td>0.1.0 (abc123)</td>"));
    CHECK(strstr(p.text, "<td>1.14.5</td>") && strstr(p.text, "MPICH Version: 4.2.1 &lt;&amp;&gt;"));
    CHECK(strstr(p.text, "<td>lustre</td>") && strstr(p.text, "<td>2 to 4</td>") && strstr(p.text, "<td>n1,n2</td>"));
    CHECK(count(p.text, "<table class=\"grid hosts\">") == 1);
    CHECK(strstr(p.text, "<tr class=\"slowest\"><td>n1 (slowest)</td><td>2</td><td>3</td>") != NULL);
    CHECK(strstr(p.text, "<tr><td>n2&lt;b&gt;</td><td>4</td><td>1,500</td>") && strstr(p.text, "2.00 ms"));
    free(p.text);
    cJSON_Delete(doc);
}

int main(void)
{
    test_stack_and_hosts();
    test_rundoc();
    test_writer_order();
    test_read_pattern();
    test_layouts();
    test_escape();
    test_formats();
    test_one_run();
    test_bins_match();
    test_100k_tasks();
    test_thin_bars();
    test_many_writers();
    test_comparison();
    test_nothing_started();
    test_errors();
    test_http_figures();
    return CHECK_DONE();
}
