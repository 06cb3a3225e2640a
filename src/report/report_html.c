/* The HTML report: the page, the runs' JSON unpacked (through rundoc.h),
 * the summary and the comparison. The per-run charts are in report_svg.c and
 * report_reads.c, the pieces they share in html_parts.c. */
#include "report/report_html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_html_int.h"
#include "report/rundoc.h"
#include "core/units.h"

/* ---- the runs' JSON ---- */

/* One task_list column into out[n]: -1 when the column has another length,
 * or is missing and required (else filled with dflt). */
static int column_d(const cJSON *tl, const char *k, int64_t n, double *out, double dflt, int required)
{
    const cJSON *a = cb_hj_item(tl, k);
    if (!cJSON_IsArray(a)) {
        for (int64_t i = 0; i < n; i++)
            out[i] = dflt;
        return required ? -1 : 0;
    }
    return cb_hj_numbers(a, n, out, dflt);
}

static int column_i(const cJSON *tl, const char *k, int64_t n, int32_t *out, double *tmp, int required, int dflt)
{
    if (column_d(tl, k, n, tmp, dflt, required) < 0)
        return -1;
    for (int64_t i = 0; i < n; i++)
        out[i] = tmp[i] >= INT32_MIN && tmp[i] <= INT32_MAX ? (int32_t)tmp[i] : dflt;
    return 0;
}

static void run_free(cb_hrun *r)
{
    free(r->w);
    free(r->start);
    free(r->done);
    free(r->tbytes);
    free(r->status);
    free(r->x);
    free(r->y);
    free(r->nrow);
    free(r->ncol);
    free(r->writer);
    free(r->cstored);
}

static void load_writers(cb_hrun *r)
{
    const cJSON *ws = cb_hj_item(r->doc, "writers");
    int n = cJSON_IsArray(ws) ? cJSON_GetArraySize(ws) : 0;
    r->w = calloc((size_t)(n > 0 ? n : 1), sizeof *r->w);
    if (!r->w)
        return;
    const cJSON *o;
    cJSON_ArrayForEach(o, ws)
    {
        cb_hwriter *w = &r->w[r->nw++];
        w->name = cb_hj_str(o, "name") ? cb_hj_str(o, "name") : "?";
        w->tasks = cb_hj_num(o, "tasks");
        w->bytes = cb_hj_num(o, "bytes");
        w->busy_s = cb_hj_num(o, "busy_s");
        w->mean_s = cb_hj_num(o, "mean_s");
    }
}

static int alloc_tasks(cb_hrun *r, int64_t n)
{
    size_t m = (size_t)(n > 0 ? n : 1);
    r->start = malloc(m * sizeof *r->start);
    r->done = malloc(m * sizeof *r->done);
    r->tbytes = malloc(m * sizeof *r->tbytes);
    r->status = malloc(m * sizeof *r->status);
    r->x = malloc(m * sizeof *r->x);
    r->y = malloc(m * sizeof *r->y);
    r->nrow = malloc(m * sizeof *r->nrow);
    r->ncol = malloc(m * sizeof *r->ncol);
    r->writer = malloc(m * sizeof *r->writer);
    return r->start && r->done && r->tbytes && r->status && r->x && r->y && r->nrow && r->ncol && r->writer ? 0 : -1;
}

/* First start and last done of the tasks: the span the charts share. Tasks
 * still in progress stretch it to their start. */
static void task_span(cb_hrun *r)
{
    double lo = INFINITY, hi = -INFINITY;
    for (int64_t i = 0; i < r->n; i++) {
        if (!(r->start[i] > 0))
            continue;
        r->started++;
        lo = fmin(lo, r->start[i]);
        hi = fmax(hi, r->status[i] == 1 && r->done[i] >= r->start[i] ? r->done[i] : r->start[i]);
    }
    if (r->started == 0) {
        r->t0 = r->t1 = 0;
        return;
    }
    r->t0 = lo;
    /* A flat span (one instant) still needs a width to draw on. */
    r->t1 = hi > lo ? hi : lo + 1e-3;
}

typedef struct named {
    const char *name;
    int old;
} named;

/* By host (the part after '@'; none first), then naturally (r2 before r10). */
static int cmp_named(const void *a, const void *b)
{
    const char *x = ((const named *)a)->name, *y = ((const named *)b)->name;
    const char *hx = strchr(x, '@'), *hy = strchr(y, '@');
    int c = cb_natural_cmp(hx ? hx + 1 : "", hy ? hy + 1 : "");
    return c ? c : cb_natural_cmp(x, y);
}

/* Writers grouped by host, each host's in natural order, tasks' writer
 * indices to match: the JSON lists them as text sorts. */
static int order_writers(cb_hrun *r)
{
    named *v = malloc((size_t)(r->nw > 0 ? r->nw : 1) * sizeof *v);
    cb_hwriter *w = malloc((size_t)(r->nw > 0 ? r->nw : 1) * sizeof *w);
    int32_t *to = malloc((size_t)(r->nw > 0 ? r->nw : 1) * sizeof *to);
    if (!v || !w || !to) {
        free(v), free(w), free(to);
        return -1;
    }
    for (int i = 0; i < r->nw; i++)
        v[i] = (named){r->w[i].name, i};
    qsort(v, (size_t)r->nw, sizeof *v, cmp_named);
    for (int i = 0; i < r->nw; i++) {
        w[i] = r->w[v[i].old];
        to[v[i].old] = i;
    }
    for (int64_t i = 0; i < r->n; i++)
        if (r->writer[i] >= 0)
            r->writer[i] = to[r->writer[i]];
    free(r->w);
    r->w = w;
    free(v);
    free(to);
    return 0;
}

static int load_tasks(cb_hrun *r, cb_err *err)
{
    const cJSON *tl = cb_hj_item(r->doc, "task_list");
    const cJSON *s = cb_hj_item(tl, "start");
    r->n = cJSON_IsArray(s) ? cJSON_GetArraySize(s) : 0;
    if (alloc_tasks(r, r->n) < 0)
        return cb_fail(err, CB_EIO, "out of memory reading %lld tasks", (long long)r->n);
    double *tmp = r->tbytes; /* scratch until the bytes are computed */
    const char *bad = NULL;
    if (column_d(tl, "start", r->n, r->start, 0, 1) < 0)
        bad = "start";
    else if (column_d(tl, "done", r->n, r->done, 0, 1) < 0)
        bad = "done";
    else if (column_i(tl, "status", r->n, r->status, tmp, 1, 0) < 0)
        bad = "status";
    else if (column_i(tl, "x", r->n, r->x, tmp, 1, 0) < 0 || column_i(tl, "y", r->n, r->y, tmp, 1, 0) < 0)
        bad = "x/y";
    else if (column_i(tl, "nrow", r->n, r->nrow, tmp, 1, 0) < 0 || column_i(tl, "ncol", r->n, r->ncol, tmp, 1, 0) < 0)
        bad = "nrow/ncol";
    else if (column_i(tl, "writer", r->n, r->writer, tmp, 0, -1) < 0)
        bad = "writer";
    if (bad && r->n > 0)
        return cb_fail(err, CB_EUSAGE, "run %d: task_list.%s is missing or has another length than start", r->index + 1,
                       bad);
    int elem = r->dtype && !strcmp(r->dtype, "f4") ? 4 : 8;
    for (int64_t i = 0; i < r->n; i++) {
        r->tbytes[i] = (double)r->nrow[i] * r->ncol[i] * elem;
        if (r->writer[i] >= r->nw)
            r->writer[i] = -1; /* an index the writers list lacks: unknown */
    }
    if (order_writers(r) < 0)
        return cb_fail(err, CB_EIO, "out of memory ordering writers");
    task_span(r);
    return 0;
}

/* The run's figures, as the run document's reader (rundoc.h) finds them. */
static void load_scalars(cb_hrun *r, const cb_rundoc *d)
{
    r->target = d->target;
    r->backend = d->backend;
    r->dtype = d->dtype;
    r->iter = d->iter;
    r->phase = d->phase;
    r->verb = strcmp(r->phase, "read") ? "written" : "read";
    r->driver = d->driver;
    r->preset = d->preset;
    r->page_size = d->page_size;
    r->req = d->requests;
    r->file_size = d->file_size;
    r->span_s = d->span_s;
    r->schedule = d->schedule;
    r->io = d->io;
    memcpy(r->shape, d->shape, sizeof r->shape);
    memcpy(r->chunk, d->chunk, sizeof r->chunk);
    r->seed = d->seed;
    r->total = d->total;
    r->pending = d->pending;
    r->complete = d->complete;
    r->in_progress = d->in_progress;
    r->bytes = d->bytes;
    r->elapsed_s = d->elapsed_s;
    r->phase_MBps = d->phase_MBps;
    r->ior_MBps = d->ior_MBps;
    r->run_writers = d->run_writers;
    r->lat = d->lat;
}

/* compression.chunks: kept only when its grid and sizes agree (else the
 * report draws no ratio map); -1 only when out of memory. */
static int load_chunks(cb_hrun *r)
{
    const cJSON *c = cb_hj_item(r->doc, "compression");
    r->filters = cb_hj_str(c, "filters");
    const cJSON *ch = cb_hj_item(c, "chunks");
    double g[2];
    if (!ch || cb_hj_numbers(cb_hj_item(ch, "grid"), 2, g, NAN) < 0 || !(g[0] >= 1 && g[1] >= 1 && g[0] * g[1] < 1e9))
        return 0;
    int64_t n = (int64_t)g[0] * (int64_t)g[1];
    if (!(r->cstored = malloc((size_t)n * sizeof *r->cstored)))
        return -1;
    if (cb_hj_numbers(cb_hj_item(ch, "stored_bytes"), n, r->cstored, 0) < 0) {
        free(r->cstored);
        r->cstored = NULL;
        return 0;
    }
    r->cgrid[0] = (int64_t)g[0];
    r->cgrid[1] = (int64_t)g[1];
    return 0;
}

static int load_run(cb_hrun *r, const cJSON *doc, const char *label, int index, cb_err *err)
{
    memset(r, 0, sizeof *r);
    r->doc = doc;
    r->index = index;
    if (index > 0)
        snprintf(r->suffix, sizeof r->suffix, "-%d", index + 1);
    cb_rundoc d;
    if (cb_rundoc_read(doc, &d) < 0)
        return cb_fail(err, CB_EUSAGE, "run %d is not a chunkbench report (no \"tasks\" object)", index + 1);
    load_scalars(r, &d);
    r->label = label ? label : r->target ? r->target : "(unnamed run)";
    load_writers(r);
    if (!r->w)
        return cb_fail(err, CB_EIO, "out of memory reading writers");
    const cJSON *lr = cb_hj_item(doc, "last_run");
    r->lr_writers = cb_hj_num(lr, "writers");
    r->gen_s = cb_hj_num(lr, "gen_s");
    r->io_s = cb_hj_num(lr, "io_s");
    if (load_chunks(r) < 0)
        return cb_fail(err, CB_EIO, "out of memory reading the chunks' stored bytes");
    return load_tasks(r, err);
}

/* ---- page ---- */

static const char *page_css =
    ":root{--ink:#1f2328;--muted:#59636e;--rule:#d5d9de;--soft:#f3f4f6;--accent:#31688e}\n"
    "*{box-sizing:border-box}\n"
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI','DejaVu Sans',Helvetica,Arial,sans-serif;"
    "color:var(--ink);background:#fff;margin:0 auto;max-width:1120px;padding:24px 32px 48px}\n"
    "header{border-bottom:3px solid var(--ink);padding-bottom:10px;margin-bottom:8px}\n"
    "h1{font-size:1.6rem;margin:0 0 4px}\n"
    "h2{font-size:1.3rem;margin:36px 0 4px;padding:6px 10px;background:var(--soft);border-left:6px solid "
    "var(--accent)}\n"
    "h3{font-size:1.08rem;margin:0 0 8px}\n"
    ".sub{color:var(--muted);margin:0}\n"
    "nav{font-size:.9rem;margin:8px 0 0;color:var(--muted)}\n"
    "nav a{color:var(--accent);margin-right:10px;text-decoration:none}\n"
    "section{margin:22px 0;padding-top:12px;border-top:1px solid var(--rule)}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}\n"
    ".card{border:1px solid var(--rule);border-radius:6px;padding:10px 14px}\n"
    ".card h4{margin:0 0 6px;font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}\n"
    ".big{font-size:1.55rem;font-weight:650;line-height:1.15}\n"
    ".big small{font-size:.85rem;font-weight:400;color:var(--muted)}\n"
    ".note{color:var(--muted);font-size:.85rem;margin:2px 0 8px}\n"
    "table{border-collapse:collapse;font-variant-numeric:tabular-nums}\n"
    "table.kv td{padding:1px 0;vertical-align:top}\n"
    "table.kv td:first-child{color:var(--muted);padding-right:14px;white-space:nowrap}\n"
    "table.kv td.num{text-align:right}\n"
    "table.grid{width:100%;font-size:.9rem}\n"
    "table.grid th,table.grid td{border-bottom:1px solid var(--rule);padding:4px 8px;text-align:right}\n"
    "table.grid th{border-bottom:2px solid var(--ink);font-weight:600}\n"
    "table.hosts tr.slowest td{font-weight:600}\n"
    "table.hosts td:first-child{text-align:left}\n"
    "table.cmp th:nth-child(-n+5),table.cmp td:nth-child(-n+5){text-align:left}\n"
    "table.grid td.path{min-width:9em}\n"
    ".ratio{display:block;color:var(--muted);font-size:.8rem}\n"
    ".path{word-break:break-all}\n"
    "figure{margin:0}\n"
    "figcaption{color:var(--muted);font-size:.85rem;margin-top:4px}\n"
    "svg{max-width:100%;height:auto;display:block}\n"
    "svg text{font-size:12px;fill:#30363d}\n"
    "svg .title{font-size:12.5px;fill:var(--ink);font-weight:600}\n"
    "svg .axis line{stroke:#57606a}\n"
    "svg line.gl{stroke:#e4e7eb}\n"
    "svg .halo{paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}\n"
    "@media print{body{max-width:none;padding:0;font-size:11pt}nav{display:none}"
    "section,.card,figure{break-inside:avoid}h2{break-before:page}h2.first{break-before:auto}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/* Patterns every chart may use: url(#…) points inside the page. */
static void page_defs(FILE *f)
{
    fputs("<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs>\n"
          "<pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
          "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/>"
          "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#3a3a3a\" stroke-width=\"2.2\"/></pattern>\n"
          "</defs></svg>\n",
          f);
}

static void page_head(FILE *f, const cb_hrun *rv, int nruns)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>chunkbench report: ",
          f);
    cb_html_escape(f, rv[0].label);
    if (nruns > 1)
        fprintf(f, " and %d more", nruns - 1);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", page_css);
    page_defs(f);
    fputs("<header>\n<h1>chunkbench report</h1>\n<p class=\"sub\">", f);
    if (nruns == 1) {
        cb_html_escape(f, rv[0].label);
    } else {
        fprintf(f, "%d runs compared, ratios against run 1 (", nruns);
        cb_html_escape(f, rv[0].label);
        fputs(")", f);
    }
    fputs(" &middot; chunkbench ", f);
    cb_html_escape(f, cb_hj_str(rv[0].doc, "chunkbench") ? cb_hj_str(rv[0].doc, "chunkbench") : "?");
    fputs("</p>\n", f);
}

static void page_nav(FILE *f, const cb_hrun *rv, int nruns)
{
    static const char *secs[] = {"summary", "timeline", "throughput", "latency", "requests", "writers", "grid"};
    int nread = 0;
    for (int k = 0; k < nruns; k++)
        nread += cb_hrun_timed_read(&rv[k]);
    fputs("<nav>", f);
    if (nruns > 1)
        fputs("<a href=\"#comparison\">comparison</a>", f);
    if (nread > 1)
        fputs("<a href=\"#layouts\">layouts</a>", f);
    for (int k = 0; k < nruns; k++) {
        if (nruns > 1)
            fprintf(f, "<br><b>run %d:</b> ", k + 1);
        for (size_t s = 0; s < sizeof secs / sizeof *secs; s++)
            if (strcmp(secs[s], "requests") || rv[k].req)
                fprintf(f, "<a href=\"#%s%s\">%s</a>", secs[s], rv[k].suffix, secs[s]);
    }
    fputs("</nav>\n</header>\n", f);
}

/* ---- summary ---- */

static void kv_row(FILE *f, const char *k, const char *v)
{
    fprintf(f, "<tr><td>%s</td><td>", k);
    cb_html_escape(f, v ? v : "n/a");
    fputs("</td></tr>\n", f);
}

static void kv_num(FILE *f, const char *k, double v, const char *unit)
{
    char b[64];
    cb_hfmt_sig(b, sizeof b, v);
    fprintf(f, "<tr><td>%s</td><td>%s%s%s</td></tr>\n", k, b, isfinite(v) && unit ? " " : "",
            isfinite(v) && unit ? unit : "");
}

static void kv_count(FILE *f, const char *k, double v)
{
    char b[64];
    cb_hfmt_count(b, sizeof b, v);
    fprintf(f, "<tr><td>%s</td><td>%s</td></tr>\n", k, b);
}

static void card_bandwidth(FILE *f, const cb_hrun *r)
{
    char a[64], b[64], mb[64], el[64];
    cb_hfmt_sig(a, sizeof a, r->phase_MBps);
    cb_hfmt_sig(b, sizeof b, r->ior_MBps > 0 ? r->ior_MBps : NAN);
    cb_hfmt_sig(mb, sizeof mb, r->bytes / CB_BYTES_PER_MB);
    cb_hfmt_sig(el, sizeof el, r->elapsed_s);
    fprintf(f,
            "<div class=\"card\"><h4>Bandwidth</h4>\n"
            "<div class=\"big\" data-k=\"write_phase\">%s <small>MB/s %s phase</small></div>\n"
            "<p class=\"note\">bytes of complete tasks / (last done &minus; first start)</p>\n"
            "<div class=\"big\" data-k=\"ior\">%s <small>MB/s IOR-style</small></div>\n"
            "<p class=\"note\">last run: its bytes / (last close &minus; first open)</p>\n"
            "<table class=\"kv\"><tr><td>bytes</td><td>%s MB (complete tasks)</td></tr>\n"
            "<tr><td>elapsed</td><td>%s s (first start to last done)</td></tr></table></div>\n",
            a, r->phase, b, mb, el);
}

/* Complete / in progress / pending as one bar, patterns for grey print. */
static void progress_bar(FILE *f, const cb_hrun *r)
{
    double tot = r->total > 0 ? r->total : 1, w = 220;
    double c = (isfinite(r->complete) ? r->complete : 0) / tot * w;
    double ip = (isfinite(r->in_progress) ? r->in_progress : 0) / tot * w;
    fprintf(f,
            "<svg viewBox=\"0 0 %g 14\" width=\"%g\" height=\"14\" role=\"img\" aria-label=\"progress\">"
            "<rect width=\"%g\" height=\"14\" fill=\"#e9ecef\" stroke=\"#8c959f\"/>"
            "<rect width=\"%.1f\" height=\"14\" fill=\"#31688e\"/>"
            "<rect x=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"url(#hatch)\"/></svg>\n",
            w, w, w, c, c, ip);
}

static void card_tasks(FILE *f, const cb_hrun *r)
{
    fputs("<div class=\"card\"><h4>Tasks</h4>\n", f);
    progress_bar(f, r);
    fputs("<table class=\"kv\">\n", f);
    kv_count(f, "total", r->total);
    kv_count(f, "complete (solid)", r->complete);
    kv_count(f, "in progress (hatched)", r->in_progress);
    kv_count(f, "pending (blank)", r->pending);
    fputs("</table></div>\n", f);
}

static void card_latency(FILE *f, const cb_hrun *r)
{
    const cb_quantiles *q = &r->lat;
    const char *names[] = {"min", "p50", "p90", "p99", "max", "mean"};
    double v[] = {q->min, q->p50, q->p90, q->p99, q->max, q->mean};
    fputs("<div class=\"card\"><h4>Latency per task</h4>\n<table class=\"kv\">\n", f);
    for (int i = 0; i < 6; i++) {
        char b[64];
        cb_hfmt_secs(b, sizeof b, v[i]);
        fprintf(f, "<tr><td>%s</td><td class=\"num\">%s</td></tr>\n", names[i], b);
    }
    fprintf(f, "</table><p class=\"note\">done &minus; start of %lld complete tasks</p></div>\n", (long long)q->n);
}

static void card_dataset(FILE *f, const cb_hrun *r)
{
    char b[128];
    fputs("<div class=\"card\"><h4>Dataset</h4>\n<table class=\"kv\">\n<tr><td>target</td><td class=\"path\">", f);
    cb_html_escape(f, r->target ? r->target : "n/a");
    fputs("</td></tr>\n", f);
    kv_row(f, "backend", r->backend);
    snprintf(b, sizeof b, "%.0f \xC3\x97 %.0f", r->shape[0], r->shape[1]);
    kv_row(f, "shape", b);
    snprintf(b, sizeof b, "%.0f \xC3\x97 %.0f", r->chunk[0], r->chunk[1]);
    kv_row(f, "chunk", b);
    kv_row(f, "dtype", r->dtype);
    kv_row(f, "tasks by", r->iter);
    kv_count(f, "seed", r->seed);
    /* --values: which generator made them (a document without the key: uniform). */
    const cJSON *vals = cb_hj_item(r->doc, "values");
    kv_row(f, "values", cJSON_IsString(vals) ? vals->valuestring : "uniform");
    fputs("</table></div>\n", f);
}

static void slowest_list(FILE *f, const cb_hrun *r)
{
    const cJSON *sl = cb_hj_item(r->doc, "slowest"), *v;
    fputs("<tr><td>slowest writers</td><td>", f);
    int k = 0;
    cJSON_ArrayForEach(v, sl)
    {
        if (!cJSON_IsString(v))
            continue;
        double mean = NAN;
        for (int i = 0; i < r->nw; i++)
            if (!strcmp(r->w[i].name, v->valuestring))
                mean = r->w[i].mean_s;
        char b[64];
        cb_hfmt_secs(b, sizeof b, mean);
        fputs(k++ ? "<br>" : "", f);
        cb_html_escape(f, v->valuestring);
        fprintf(f, " &middot; mean %s", b);
    }
    fputs(k ? "</td></tr>\n" : "n/a</td></tr>\n", f);
}

static void card_run(FILE *f, const cb_hrun *r)
{
    const cJSON *lr = cb_hj_item(r->doc, "last_run");
    fputs("<div class=\"card\"><h4>Last run &amp; writers</h4>\n<table class=\"kv\">\n", f);
    kv_count(f, "MPI writers", r->run_writers);
    kv_count(f, "writers in table", r->nw);
    kv_row(f, "schedule", r->schedule);
    kv_row(f, "io", r->io);
    kv_num(f, "generating values", cb_hj_num(lr, "gen_s"), "s (summed)");
    kv_num(f, "inside I/O calls", cb_hj_num(lr, "io_s"), "s (summed)");
    kv_num(f, "clock skew", cb_hj_num(lr, "clock_skew_s"), "s");
    /* --deadline: what the last pass had done by then, and the tail after it. */
    const cJSON *list = cb_hj_item(cb_hj_item(r->doc, "passes"), "list");
    const cJSON *dl = cb_hj_item(cJSON_IsArray(list) ? cJSON_GetArrayItem(list, cJSON_GetArraySize(list) - 1) : NULL,
                                 "deadline");
    if (cJSON_IsObject(dl)) {
        kv_num(f, "deadline", cb_hj_num(dl, "s"), cJSON_IsTrue(cb_hj_item(dl, "reached")) ? "s (reached)" : "s (not reached)");
        kv_count(f, "tasks by the deadline", cb_hj_num(dl, "tasks_by"));
        kv_num(f, "MB/s by the deadline", cb_hj_num(dl, "MBps_by"), NULL);
        kv_num(f, "straggler tail", cb_hj_num(dl, "tail_s"), cJSON_IsTrue(cb_hj_item(dl, "wearout")) ? "s (wear-out)" : "s");
    }
    /* --io collective: how many calls HDF5 really did collectively, and why not. */
    const cJSON *co = cb_hj_item(r->doc, "collective");
    if (cJSON_IsObject(co)) {
        kv_count(f, "collective calls asked", cb_hj_num(co, "calls"));
        kv_count(f, "not collective", cb_hj_num(co, "not_collective_calls"));
        const cJSON *why = cb_hj_item(co, "no_collective_cause"), *w;
        fputs("<tr><td>why not</td><td>", f);
        int k = 0;
        cJSON_ArrayForEach(w, why)
        {
            if (cJSON_IsString(w)) {
                fputs(k++ ? "; " : "", f);
                cb_html_escape(f, w->valuestring);
            }
        }
        fputs(k ? "</td></tr>\n" : "-</td></tr>\n", f);
    }
    slowest_list(f, r);
    fputs("</table></div>\n", f);
}

static void card_http(FILE *f, const cb_hrun *r)
{
    const cJSON *h = cb_hj_item(r->doc, "http");
    if (!cJSON_IsObject(h))
        return;
    cb_quantiles q;
    cb_hj_quantiles(cb_hj_item(h, "latency_s"), &q);
    fputs("<div class=\"card\"><h4>HTTP (HSDS)</h4>\n<table class=\"kv\">\n", f);
    kv_count(f, "requests", cb_hj_num(h, "requests"));
    kv_count(f, "retries", cb_hj_num(h, "retries"));
    const char *names[] = {"latency p50", "latency p99", "latency max"};
    double v[] = {q.p50, q.p99, q.max};
    for (int i = 0; i < 3; i++) {
        char b[64];
        cb_hfmt_secs(b, sizeof b, v[i]);
        kv_row(f, names[i], b);
    }
    fputs("</table></div>\n", f);
}

/* What the run was measured with (the JSON "stack"): versions, hosts, file system. */
static void card_stack(FILE *f, const cb_hrun *r)
{
    const cJSON *st = cb_hj_item(r->doc, "stack");
    if (!cJSON_IsObject(st))
        return;
    char b[256];
    fputs("<div class=\"card\"><h4>Stack</h4>\n<table class=\"kv\">\n", f);
    const char *ver = cb_hj_str(st, "chunkbench"), *git = cb_hj_str(st, "git");
    if (ver && git && *git)
        snprintf(b, sizeof b, "%s (%s)", ver, git);
    else
        snprintf(b, sizeof b, "%s", ver ? ver : "n/a");
    kv_row(f, "chunkbench", b);
    kv_row(f, "HDF5", cb_hj_str(st, "hdf5"));
    kv_row(f, "MPI", cb_hj_str(st, "mpi"));
    kv_row(f, "libcurl", cb_hj_str(st, "libcurl"));
    kv_row(f, "file system", cb_hj_str(st, "fs_type"));
    kv_count(f, "ranks", cb_hj_num(st, "ranks"));
    kv_count(f, "hosts", cb_hj_num(st, "hosts"));
    kv_row(f, "host names", cb_hj_str(st, "host_names"));
    const cJSON *rph = cb_hj_item(st, "ranks_per_host");
    double lo = cb_hj_num(rph, "min"), hi = cb_hj_num(rph, "max");
    if (isfinite(lo) && isfinite(hi)) {
        if (lo == hi)
            snprintf(b, sizeof b, "%.0f", lo);
        else
            snprintf(b, sizeof b, "%.0f to %.0f", lo, hi);
        kv_row(f, "ranks per host", b);
    }
    fputs("</table></div>\n", f);
}

/* The JSON "mpi_hints": each hint asked for with what MPI reported for it,
 * then what MPI reported unasked (its defaults). */
static void card_hints(FILE *f, const cb_hrun *r)
{
    const cJSON *h = cb_hj_item(r->doc, "mpi_hints");
    const cJSON *asked = cb_hj_item(h, "asked"), *eff = cb_hj_item(h, "effective"), *it;
    if (!cJSON_IsObject(asked) || !cJSON_IsObject(eff) || (!asked->child && !eff->child))
        return;
    fputs("<div class=\"card\"><h4>MPI-IO hints</h4>\n<table class=\"grid hints\"><tr><th>hint</th><th>asked</th>"
          "<th>MPI_File_get_info</th></tr>\n",
          f);
    cJSON_ArrayForEach(it, asked)
    {
        const char *got = cb_hj_str(eff, it->string), *want = cJSON_IsString(it) ? it->valuestring : "";
        int taken = got && !strcmp(got, want);
        fputs(taken ? "<tr><td>" : "<tr class=\"slowest\"><td>", f);
        cb_html_escape(f, it->string);
        fputs("</td><td>", f);
        cb_html_escape(f, want);
        fputs("</td><td>", f);
        cb_html_escape(f, got ? got : "absent");
        fputs(taken ? "</td></tr>\n" : " (not taken)</td></tr>\n", f);
    }
    cJSON_ArrayForEach(it, eff)
    {
        if (cb_hj_item(asked, it->string))
            continue;
        fputs("<tr><td>", f);
        cb_html_escape(f, it->string);
        fputs("</td><td></td><td>", f);
        cb_html_escape(f, cJSON_IsString(it) ? it->valuestring : "");
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
    if (cJSON_IsTrue(cb_hj_item(h, "echoed")))
        fputs("<p>MPI reported exactly the hints given: it may just echo them (OpenMPI 4.1 does).</p>\n", f);
    fputs("</div>\n", f);
}

/* Per host, when the writers ran on two or more: the slowest marked. */
static void hosts_table(FILE *f, const cb_hrun *r)
{
    const cJSON *list = cb_hj_item(r->doc, "hosts"), *h;
    if (cJSON_GetArraySize(list) < 2)
        return;
    double slowest = cb_hj_num(r->doc, "slowest_host");
    fputs("<table class=\"grid hosts\"><tr><th>host</th><th>writers</th><th>tasks</th><th>MB</th>"
          "<th>MB/s</th><th>mean task</th></tr>\n",
          f);
    int i = 0;
    cJSON_ArrayForEach(h, list)
    {
        char a[64], b[64], c[64], d[64];
        cb_hfmt_count(a, sizeof a, cb_hj_num(h, "tasks"));
        cb_hfmt_sig(b, sizeof b, cb_hj_num(h, "bytes") / CB_BYTES_PER_MB);
        cb_hfmt_sig(c, sizeof c, cb_hj_num(h, "MBps"));
        cb_hfmt_secs(d, sizeof d, cb_hj_num(h, "mean_s"));
        fputs(i == slowest ? "<tr class=\"slowest\"><td>" : "<tr><td>", f);
        cb_html_escape(f, cb_hj_str(h, "name") ? cb_hj_str(h, "name") : "n/a");
        fprintf(f, "%s</td><td>%.0f</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                i == slowest ? " (slowest)" : "", cb_hj_num(h, "writers"), a, b, c, d);
        i++;
    }
    fputs("</table>\n", f);
}

/* Write --iterations N: one row per pass, when there was more than one. */
static void passes_table(FILE *f, const cb_hrun *r)
{
    const cJSON *list = cb_hj_item(cb_hj_item(r->doc, "passes"), "list"), *p;
    if (cJSON_GetArraySize(list) < 2)
        return;
    fputs("<table class=\"grid passes\"><tr><th>pass</th><th>tasks</th><th>MB</th>"
          "<th>IOR-style MB/s</th><th>write-phase MB/s</th></tr>\n",
          f);
    cJSON_ArrayForEach(p, list)
    {
        char a[64], b[64], c[64], d[64];
        cb_hfmt_count(a, sizeof a, cb_hj_num(p, "tasks"));
        cb_hfmt_sig(b, sizeof b, cb_hj_num(p, "bytes") / CB_BYTES_PER_MB);
        cb_hfmt_sig(c, sizeof c, cb_hj_num(p, "ior_MBps"));
        cb_hfmt_sig(d, sizeof d, cb_hj_num(p, "write_phase_MBps"));
        fprintf(f, "<tr><td>%.0f</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", cb_hj_num(p, "pass"), a, b, c,
                d);
    }
    fputs("</table>\n", f);
}

static void sec_summary(FILE *f, const cb_hrun *r)
{
    cb_sec_open(f, r, "summary", "Summary");
    fputs("<div class=\"cards\">\n", f);
    card_bandwidth(f, r);
    card_tasks(f, r);
    card_latency(f, r);
    card_dataset(f, r);
    card_run(f, r);
    card_http(f, r);
    card_stack(f, r);
    card_hints(f, r);
    fputs("</div>\n", f);
    hosts_table(f, r);
    passes_table(f, r);
    cb_sec_close(f);
}

/* ---- comparison ---- */

enum { MAX_RUNS = 64 };

typedef struct metric {
    const char *name, *unit;
    double v[MAX_RUNS];
} metric;

static void ratio_cell(FILE *f, double v, double base, const char *text)
{
    fprintf(f, "<td>%s", text);
    if (isfinite(v) && isfinite(base) && base > 0) {
        char r[32];
        cb_hfmt_sig(r, sizeof r, v / base);
        fprintf(f, "<span class=\"ratio\">\xC3\x97%s</span>", r);
    }
    fputs("</td>", f);
}

static void cmp_row(FILE *f, const cb_hrun *r, const cb_hrun *first, const cb_time_unit *u)
{
    char c[64], mb[64], a[64], b[64], p50[64], p99[64];
    cb_hfmt_count(c, sizeof c, r->run_writers);
    cb_hfmt_sig(mb, sizeof mb, r->bytes / CB_BYTES_PER_MB);
    cb_hfmt_sig(a, sizeof a, r->phase_MBps);
    cb_hfmt_sig(b, sizeof b, r->ior_MBps);
    cb_hfmt_sig(p50, sizeof p50, r->lat.p50 * u->factor);
    cb_hfmt_sig(p99, sizeof p99, r->lat.p99 * u->factor);
    fprintf(f, "<tr><td>%d</td><td class=\"path\">", r->index + 1);
    cb_html_escape(f, r->label);
    fputs("</td><td>", f);
    cb_html_escape(f, r->backend ? r->backend : "n/a");
    fputs("</td><td>", f);
    cb_html_escape(f, r->schedule ? r->schedule : "n/a");
    fputs("</td><td>", f);
    cb_html_escape(f, r->io ? r->io : "n/a");
    fprintf(f, "</td><td>%s</td>", c);
    ratio_cell(f, r->bytes, first->bytes, mb);
    ratio_cell(f, r->phase_MBps, first->phase_MBps, a);
    ratio_cell(f, r->ior_MBps, first->ior_MBps, b);
    ratio_cell(f, r->lat.p50, first->lat.p50, p50);
    ratio_cell(f, r->lat.p99, first->lat.p99, p99);
    fputs("</tr>\n", f);
}

/* One pattern per run over its colour, so the bars differ in grey too. */
static void cmp_patterns(FILE *f, int n)
{
    static const char *marks[] = {
        "",
        "<path d=\"M0 8L8 0\" stroke=\"#fff\" stroke-width=\"1.6\"/>",
        "<circle cx=\"4\" cy=\"4\" r=\"1.5\" fill=\"#fff\"/>",
        "<path d=\"M0 4H8\" stroke=\"#fff\" stroke-width=\"1.6\"/>",
        "<path d=\"M0 0L8 8M0 8L8 0\" stroke=\"#fff\" stroke-width=\"1.2\"/>",
        "<path d=\"M4 0V8\" stroke=\"#fff\" stroke-width=\"1.6\"/>",
    };
    fputs("<defs>", f);
    for (int k = 0; k < n; k++) {
        cb_rgb c = cb_run_colour(k, n);
        fprintf(f,
                "<pattern id=\"runpat%d\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\">"
                "<rect width=\"8\" height=\"8\" fill=\"#%02x%02x%02x\"/>%s</pattern>",
                k, c.r, c.g, c.b, marks[k % 6]);
    }
    fputs("</defs>\n", f);
}

static void cmp_panel(FILE *f, const metric *m, int n, const cb_frame *p)
{
    double hi = 0;
    for (int k = 0; k < n; k++)
        hi = isfinite(m->v[k]) && m->v[k] > hi ? m->v[k] : hi;
    double lo = 0;
    hi *= 1.12; /* room for the value printed above the tallest bar */
    cb_nice_domain(&lo, &hi, 5);
    cb_scale sy = {lo, hi, p->y + p->h, p->y, 0};
    double ticks[16], step;
    int nt = cb_nice_ticks(lo, hi, 5, ticks, 16, &step);
    char title[96];
    snprintf(title, sizeof title, "%s (%s)", m->name, m->unit);
    cb_svg_yaxis(f, p, &sy, ticks, nt, step, "", 1);
    fprintf(f, "<text class=\"title\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", p->x + p->w / 2, p->y - 10);
    cb_html_escape(f, title);
    fputs("</text>\n", f);
    double slot = p->w / n, bw = fmin(slot * 0.7, 60);
    for (int k = 0; k < n; k++) {
        double v = isfinite(m->v[k]) ? m->v[k] : 0, y = cb_scale_map(&sy, v);
        double x = p->x + slot * k + (slot - bw) / 2;
        char b[64];
        cb_hfmt_sig(b, sizeof b, m->v[k]);
        fprintf(f,
                "<rect class=\"cmpbar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"url(#runpat%d)\" "
                "stroke=\"#1f2328\" stroke-width=\"0.6\"><title>run %d: %s %s</title></rect>\n"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>\n",
                x, y, bw, p->y + p->h - y, k, k + 1, b, m->unit, x + bw / 2, y - 4, b, x + bw / 2, p->y + p->h + 16,
                k + 1);
    }
}

static void cmp_legend(FILE *f, const cb_hrun *rv, int n, double y)
{
    for (int k = 0; k < n; k++) {
        double yy = y + 18 * k;
        fprintf(f,
                "<rect x=\"70\" y=\"%.1f\" width=\"22\" height=\"12\" fill=\"url(#runpat%d)\" stroke=\"#1f2328\" "
                "stroke-width=\"0.6\"/><text x=\"100\" y=\"%.1f\">run %d: ",
                yy, k, yy + 10.5, k + 1);
        cb_html_escape(f, rv[k].label);
        fputs("</text>\n", f);
    }
}

/* "write", "read", or "write/read" for a mix: what the phase bandwidth measures. */
static const char *phases_of(const cb_hrun *rv, int n)
{
    int reads = 0;
    for (int k = 0; k < n; k++)
        reads += !strcmp(rv[k].phase, "read");
    return reads == 0 ? "write" : reads == n ? "read" : "write/read";
}

static void cmp_chart(FILE *f, const cb_hrun *rv, int n, const cb_time_unit *u)
{
    char ph[48];
    snprintf(ph, sizeof ph, "%s-phase bandwidth", phases_of(rv, n));
    metric m[4] = {{ph, "MB/s", {0}}, {"IOR-style bandwidth", "MB/s", {0}},
                   {"latency p50", u->name, {0}}, {"latency p99", u->name, {0}}};
    for (int k = 0; k < n; k++) {
        m[0].v[k] = rv[k].phase_MBps;
        m[1].v[k] = rv[k].ior_MBps;
        m[2].v[k] = rv[k].lat.p50 * u->factor;
        m[3].v[k] = rv[k].lat.p99 * u->factor;
    }
    double h = 300 + 18 * n;
    char data[64];
    snprintf(data, sizeof data, "data-runs=\"%d\"", n);
    cb_svg_open(f, 1000, h, "cmp", data, "the runs side by side");
    cmp_patterns(f, n);
    for (int i = 0; i < 4; i++) {
        cb_frame p = {70 + 245 * i, 40, 180, 200};
        cmp_panel(f, &m[i], n, &p);
    }
    fprintf(f, "<text x=\"70\" y=\"272\">bars: run number, as in the table; lower latency is better</text>\n");
    cmp_legend(f, rv, n, 288);
    fputs("</svg>\n", f);
}

static void sec_comparison(FILE *f, const cb_hrun *rv, int n)
{
    double span = 0;
    for (int k = 0; k < n; k++)
        span = isfinite(rv[k].lat.p99) && rv[k].lat.p99 > span ? rv[k].lat.p99 : span;
    cb_time_unit u = cb_time_unit_for(span);
    fprintf(f, "<section id=\"comparison\" class=\"comparison\">\n<h3>Comparison of %d runs</h3>\n"
               "<p class=\"note\">&times; ratios are against run 1.</p>\n", n);
    fprintf(f,
            "<table class=\"grid cmp\"><tr><th>#</th><th>run</th><th>backend</th><th>schedule</th><th>io</th>"
            "<th>writers</th><th>MB</th><th>%s-phase MB/s</th><th>IOR-style MB/s</th>"
            "<th>latency p50 (%s)</th><th>latency p99 (%s)</th></tr>\n",
            phases_of(rv, n), u.name, u.name);
    for (int k = 0; k < n; k++)
        cmp_row(f, &rv[k], &rv[0], &u);
    fputs("</table>\n<figure>\n", f);
    cmp_chart(f, rv, n, &u);
    fputs("</figure>\n</section>\n", f);
}

/* ---- the whole page ---- */

static void run_block(FILE *f, const cb_hrun *r, int nruns)
{
    if (nruns > 1) {
        fprintf(f, "<h2 id=\"run%s\" class=\"%s\">Run %d: ", r->suffix[0] ? r->suffix : "-1",
                r->index == 0 ? "first" : "", r->index + 1);
        cb_html_escape(f, r->label);
        fputs("</h2>\n", f);
    }
    sec_summary(f, r);
    cb_sec_timeline(f, r);
    cb_sec_throughput(f, r);
    cb_sec_latency(f, r);
    cb_sec_requests(f, r);
    cb_sec_writers(f, r);
    cb_sec_grid(f, r);
}

int cb_html_report(FILE *out, cJSON *const *runs, const char *const *labels, int nruns, cb_err *err)
{
    if (nruns < 1 || nruns > MAX_RUNS)
        return cb_fail(err, CB_EUSAGE, "the report takes 1 to %d runs, not %d", MAX_RUNS, nruns);
    cb_hrun *rv = calloc((size_t)nruns, sizeof *rv);
    if (!rv)
        return cb_fail(err, CB_EIO, "out of memory");
    int rc = 0, loaded = 0;
    for (; loaded < nruns && rc == 0; loaded++)
        rc = load_run(&rv[loaded], runs[loaded], labels ? labels[loaded] : NULL, loaded, err);
    if (rc == 0) {
        page_head(out, rv, nruns);
        page_nav(out, rv, nruns);
        fputs("<main>\n", out);
        if (nruns > 1) {
            sec_comparison(out, rv, nruns);
            cb_sec_layouts(out, rv, nruns);
        }
        for (int k = 0; k < nruns; k++)
            run_block(out, &rv[k], nruns);
        fputs("</main>\n</body>\n</html>\n", out);
        fflush(out);
        if (ferror(out))
            rc = cb_fail(err, CB_EIO, "writing the HTML report failed");
    }
    for (int k = 0; k < loaded; k++)
        run_free(&rv[k]);
    free(rv);
    return rc;
}
