/* The HTML report's read-side pictures: the byte ranges a read requested
 * (the seed's read-pattern plot: file offset across, one mark per request,
 * coloured by size class) and, over several read runs, the mean time per
 * layout x driver x preset (the seed's bar chart). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/iolog.h"
#include "report/report_html.h"
#include "report/report_html_int.h"
#include "report/rundoc.h"
#include "core/units.h"

/* The seed's colours for < 1 KB, 1-10 KB, 10-100 KB, > 100 KB; each class
 * also has a lane of its own, so the picture reads without colour. */
static const char *const class_fill[CB_SIZE_CLASSES] = {"#d62728", "#ff7f0e", "#9467bd", "#1f77b4"};

/* ---- the read pattern ---- */

typedef struct pattern {
    int64_t m;          /* requests with a file offset */
    double *off, *size; /* when listed (NULL otherwise) */
    int *cls;
    int ncols;          /* > 0: drawn as columns, counts[class * ncols + k] */
    int64_t *counts;
    double hi;          /* the offset axis runs 0 .. hi */
} pattern;

static void pattern_free(pattern *p)
{
    free(p->off);
    free(p->size);
    free(p->cls);
    free(p->counts);
    memset(p, 0, sizeof *p);
}

/* The picture's data from "ranges" (listed requests) or "pattern" (columns
 * made when the run had too many to list). 0 when there is nothing to draw. */
static int pattern_load(const cJSON *req, double file_size, int plot_w, pattern *p)
{
    memset(p, 0, sizeof *p);
    const cJSON *rg = cb_hj_item(req, "ranges"), *pt = cb_hj_item(req, "pattern");
    p->hi = isfinite(file_size) && file_size > 0 ? file_size : 0;
    if (cJSON_IsObject(rg)) {
        int64_t m = cJSON_GetArraySize(cb_hj_item(rg, "offset"));
        if (m <= 0)
            return 0;
        p->off = malloc((size_t)m * sizeof *p->off);
        p->size = malloc((size_t)m * sizeof *p->size);
        p->cls = malloc((size_t)m * sizeof *p->cls);
        if (!p->off || !p->size || !p->cls || cb_hj_numbers(cb_hj_item(rg, "offset"), m, p->off, NAN) ||
            cb_hj_numbers(cb_hj_item(rg, "size"), m, p->size, NAN))
            return pattern_free(p), 0;
        p->m = m;
        for (int64_t i = 0; i < m; i++) {
            p->cls[i] = cb_size_class((int64_t)p->size[i]);
            p->hi = fmax(p->hi, p->off[i] + p->size[i]);
        }
        if (m > CB_HTML_MAX_MARKS) { /* a mark each would make the page huge: one per pixel column */
            p->ncols = plot_w;
            if (!(p->counts = malloc((size_t)CB_SIZE_CLASSES * (size_t)p->ncols * sizeof *p->counts)))
                return pattern_free(p), 0;
            cb_range_cover(p->off, p->size, p->cls, m, CB_SIZE_CLASSES, 0, p->hi, p->ncols, p->counts);
        }
        return 1;
    }
    if (!cJSON_IsObject(pt))
        return 0;
    int ncols = (int)cb_hj_num(pt, "columns");
    const cJSON *cs = cb_hj_item(pt, "counts");
    if (ncols < 1 || ncols > 100000 || cJSON_GetArraySize(cs) != CB_SIZE_CLASSES)
        return 0;
    double *row = malloc((size_t)ncols * sizeof *row);
    p->counts = malloc((size_t)CB_SIZE_CLASSES * (size_t)ncols * sizeof *p->counts);
    int ok = row && p->counts;
    for (int c = 0; ok && c < CB_SIZE_CLASSES; c++) {
        ok = cb_hj_numbers(cJSON_GetArrayItem(cs, c), ncols, row, NAN) == 0;
        for (int k = 0; ok && k < ncols; k++)
            p->counts[c * ncols + k] = isfinite(row[k]) ? (int64_t)row[k] : 0;
    }
    free(row);
    if (!ok)
        return pattern_free(p), 0;
    p->ncols = ncols;
    p->m = (int64_t)cb_hj_num(pt, "requests");
    p->hi = fmax(p->hi, cb_hj_num(pt, "hi"));
    return p->hi > 0;
}

/* Runs of touched columns of one class as one path: few elements whatever
 * the number of requests. */
static int columns_draw(FILE *f, const pattern *p, int c, double x0, double w, double y, double h)
{
    const int64_t *row = p->counts + (size_t)c * (size_t)p->ncols;
    double cw = w / p->ncols;
    int drawn = 0;
    for (int k = 0; k < p->ncols;) {
        if (!row[k]) {
            k++;
            continue;
        }
        int e = k;
        while (e < p->ncols && row[e])
            e++;
        fprintf(f, "%sM%.2f %.1fh%.2fv%.1fh%.2fz", drawn ? "" : "<path class=\"cover\" d=\"", x0 + k * cw, y,
                (e - k) * cw, h, -(e - k) * cw);
        drawn = 1;
        k = e;
    }
    if (drawn)
        fprintf(f, "\" fill=\"%s\" fill-opacity=\"0.7\"/>\n", class_fill[c]);
    return drawn;
}

static void pattern_draw(FILE *f, const cb_hrun *r, const pattern *p, const double *hist)
{
    cb_frame fr = {150, 44, 810, 4 * 34};
    double lane = fr.h / CB_SIZE_CLASSES;
    /* The axis in MB (10^6 bytes, as the seed's title), ending on a tick. */
    double lo = 0, hi = p->hi / CB_BYTES_PER_MB;
    cb_nice_domain(&lo, &hi, 10);
    cb_scale sx = {0, hi, fr.x, fr.x + fr.w, 0};
    double ticks[16], step;
    int nt = cb_nice_ticks(0, hi, 10, ticks, 16, &step);
    int64_t marks = p->ncols ? 0 : p->m;
    char data[320];
    /* The axis end and plot box too, so a checker can place every mark itself. */
    snprintf(data, sizeof data,
             "data-requests=\"%lld\" data-marks=\"%lld\" data-columns=\"%d\" data-hi=\"%.0f\" data-axis-mb=\"%.9g\" "
             "data-plot=\"%g %g %g %g\"",
             (long long)p->m, (long long)marks, p->ncols, p->hi, hi, fr.x, fr.y, fr.w, lane);
    cb_svg_open(f, 1000, fr.y + fr.h + 50, "ranges", data, "byte ranges requested, by file offset and size class");
    char fs[32], small[32], total[32];
    cb_hfmt_sig(fs, sizeof fs, isfinite(r->file_size) && r->file_size > 0 ? r->file_size / CB_BYTES_PER_MB : NAN);
    cb_hfmt_count(total, sizeof total, cb_hj_num(r->req, "count"));
    cb_hfmt_count(small, sizeof small, hist[0] + hist[1]);
    fprintf(f, "<text class=\"title\" x=\"%.1f\" y=\"18\">Read pattern. File size: %s MB, total requests: %s, "
               "requests &lt; 10 KB: %s</text>\n", fr.x, fs, total, small);
    for (int c = 0; c < CB_SIZE_CLASSES; c++) {
        double y = fr.y + c * lane;
        char n[32];
        cb_hfmt_count(n, sizeof n, hist[c]);
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>"
                   "<rect x=\"8\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                   "<text x=\"24\" y=\"%.1f\">%s<tspan fill=\"#59636e\"> (%s)</tspan></text>\n",
                fr.x, y + 1, fr.w, lane - 2, c % 2 ? "#f6f7f9" : "#eef0f3", y + lane / 2 - 5, class_fill[c],
                y + lane / 2 + 4, c == 0 ? "&lt; 1KB" : c == 3 ? "&gt; 100KB" : cb_size_class_names[c], n);
    }
    cb_svg_xaxis(f, &fr, &sx, ticks, nt, step, "file offset (MB)", 0);
    if (isfinite(r->file_size) && r->file_size > 0) {
        double x = cb_scale_map(&sx, r->file_size / CB_BYTES_PER_MB);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1f2328\" stroke-dasharray=\"3 3\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">end of file</text>\n",
                x, fr.y - 4, x, fr.y + fr.h, x - 3, fr.y - 6);
    }
    if (p->ncols) {
        for (int c = 0; c < CB_SIZE_CLASSES; c++)
            columns_draw(f, p, c, fr.x, fr.w * (p->hi / CB_BYTES_PER_MB) / hi, fr.y + c * lane + 3, lane - 6);
    } else {
        for (int c = 0; c < CB_SIZE_CLASSES; c++) {
            fprintf(f, "<g fill=\"%s\" fill-opacity=\"0.45\" stroke=\"%s\" stroke-width=\"0.5\">\n", class_fill[c],
                    class_fill[c]);
            for (int64_t i = 0; i < p->m; i++) {
                if (p->cls[i] != c)
                    continue;
                double x0 = cb_scale_map(&sx, p->off[i] / CB_BYTES_PER_MB), x1 = cb_scale_map(&sx, (p->off[i] + p->size[i]) / CB_BYTES_PER_MB);
                fprintf(f, "<rect class=\"req\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\"/>\n", x0,
                        fr.y + c * lane + 3, fmax(x1 - x0, 0.8), lane - 6);
            }
            fputs("</g>\n", f);
        }
    }
    fputs("</svg>\n", f);
}

static void hist_table(FILE *f, const cJSON *req, double *hist)
{
    const cJSON *h = cb_hj_item(req, "histogram");
    fputs("<table class=\"grid req\"><tr><th>request size</th><th>requests</th><th>MB</th></tr>\n", f);
    for (int c = 0; c < CB_SIZE_CLASSES; c++) {
        const cJSON *x = cJSON_GetArrayItem(h, c);
        char a[32], b[32];
        hist[c] = x ? cb_hj_num(x, "requests") : NAN;
        cb_hfmt_count(a, sizeof a, hist[c]);
        cb_hfmt_sig(b, sizeof b, x ? cb_hj_num(x, "bytes") / CB_BYTES_PER_MB : NAN);
        fprintf(f, "<tr><td><span style=\"color:%s\">&#9632;</span> %s</td><td data-class=\"%d\">%s</td><td>%s</td>"
                   "</tr>\n",
                class_fill[c], c == 0 ? "&lt; 1KB" : c == 3 ? "&gt; 100KB" : cb_size_class_names[c], c, a, b);
    }
    fputs("</table>\n", f);
}

void cb_sec_requests(FILE *f, const cb_hrun *r)
{
    if (!r->req)
        return;
    cb_sec_open(f, r, "requests", "Read pattern: storage requests");
    const cJSON *q = r->req;
    char n[32], mb[32], data[32], over[32], raw[32], meta[32];
    cb_hfmt_count(n, sizeof n, cb_hj_num(q, "count"));
    cb_hfmt_sig(mb, sizeof mb, cb_hj_num(q, "bytes") / CB_BYTES_PER_MB);
    cb_hfmt_sig(data, sizeof data, cb_hj_num(q, "data_bytes") / CB_BYTES_PER_MB);
    cb_hfmt_sig(over, sizeof over, cb_hj_num(q, "over_read"));
    cb_hfmt_count(raw, sizeof raw, cb_hj_num(q, "raw_requests"));
    cb_hfmt_count(meta, sizeof meta, cb_hj_num(q, "metadata_requests"));
    fprintf(f, "<div class=\"cards\"><div class=\"card\"><h4>Requests</h4>\n"
               "<div class=\"big\" data-k=\"requests\">%s <small>requests</small></div>\n"
               "<table class=\"kv\"><tr><td>requested</td><td>%s MB for %s MB of data</td></tr>\n"
               "<tr><td>over-read</td><td>%s&times;</td></tr>\n"
               "<tr><td>raw data / metadata</td><td>%s / %s requests</td></tr></table></div>\n"
               "<div class=\"card\"><h4>Sizes</h4>\n",
            n, mb, data, over, raw, meta);
    double hist[CB_SIZE_CLASSES];
    hist_table(f, q, hist);
    fputs("</div></div>\n", f);
    pattern p;
    if (!pattern_load(q, r->file_size, 810, &p)) {
        fprintf(f, "<p class=\"note\">%s</p>\n",
                !strcmp(r->backend ? r->backend : "", "hsds")
                    ? "HSDS requests are HTTP calls, not file byte ranges: their sizes are counted above."
                    : "The run logged no request with a file offset.");
    } else {
        fputs("<figure>\n", f);
        pattern_draw(f, r, &p, hist);
        fprintf(f, "<figcaption>Every byte range the driver read, placed by its offset in the file, one lane and "
                   "colour per size class (KB = 1024 bytes; a request of exactly 1 KB counts as &lt; 1KB, as in "
                   "the seed's bins). %s</figcaption>\n</figure>\n",
                p.ncols ? "Too many requests to draw one by one: a column is filled where any request of its class "
                          "touches that pixel column."
                        : "One mark per request; marks narrower than a pixel are widened to be seen.");
    }
    pattern_free(&p);
    cb_sec_close(f);
}

/* ---- time per layout x driver x preset ---- */

enum { MAX_KEYS = 64 };

typedef struct keys {
    char name[MAX_KEYS][96];
    int n;
} keys;

static int key_of(keys *k, const char *name)
{
    for (int i = 0; i < k->n; i++)
        if (!strcmp(k->name[i], name))
            return i;
    if (k->n == MAX_KEYS)
        return -1;
    snprintf(k->name[k->n], sizeof k->name[0], "%s", name);
    return k->n++;
}

static void layout_name(char *buf, size_t size, const cb_hrun *r, int with_shape)
{
    char page[48] = "";
    if (r->page_size > 0)
        snprintf(page, sizeof page, ", paged %g %s", r->page_size >= 1 << 20 ? r->page_size / (1 << 20) : r->page_size / 1024,
                 r->page_size >= 1 << 20 ? "MiB" : "KiB");
    char shape[48] = "";
    if (with_shape)
        snprintf(shape, sizeof shape, "%gx%g, ", r->shape[0], r->shape[1]);
    snprintf(buf, size, "%schunk %gx%g%s", shape, r->chunk[0], r->chunk[1], page);
}

/* Mean open-to-close time per driver/preset group (a) x layout (b). */
typedef struct layouts {
    keys lay, grp;
    double (*sum)[MAX_KEYS];
    int (*cnt)[MAX_KEYS];
    double top, base; /* the slowest mean; the first layout's slowest */
} layouts;

static double layouts_mean(const layouts *t, int a, int b) { return t->sum[a][b] / t->cnt[a][b]; }

/* 0, or -1 when out of memory. */
static int layouts_gather(layouts *t, const cb_hrun *rv, int n, int same_shape)
{
    memset(t, 0, sizeof *t);
    t->sum = calloc(MAX_KEYS, sizeof *t->sum);
    t->cnt = calloc(MAX_KEYS, sizeof *t->cnt);
    if (!t->sum || !t->cnt)
        return -1;
    for (int k = 0; k < n; k++) {
        const cb_hrun *r = &rv[k];
        if (!cb_hrun_timed_read(r))
            continue;
        char l[96], g[96];
        layout_name(l, sizeof l, r, !same_shape);
        /* MPI-IO's transfer mode matters as much as the driver: mpio-indep, mpio-coll. */
        const char *drv = r->driver ? r->driver : r->backend ? r->backend : "?";
        if (!strcmp(drv, "mpio") && r->io && !strncmp(r->io, "mpio-", 5))
            drv = r->io;
        /* And the curl driver's cache type: curl-none, curl-blockcache, ... */
        if (!strcmp(drv, "curl") && r->io && !strncmp(r->io, "curl-", 5))
            drv = r->io;
        snprintf(g, sizeof g, "%s / %s", drv, r->preset ? r->preset : "default");
        int a = key_of(&t->grp, g), b = key_of(&t->lay, l);
        if (a >= 0 && b >= 0) {
            t->sum[a][b] += r->span_s;
            t->cnt[a][b]++;
        }
    }
    for (int a = 0; a < t->grp.n; a++)
        for (int b = 0; b < t->lay.n; b++)
            if (t->cnt[a][b]) {
                double m = layouts_mean(t, a, b);
                t->top = fmax(t->top, m);
                if (b == 0)
                    t->base = fmax(t->base, m);
            }
    return 0;
}

static void layouts_free(layouts *t)
{
    free(t->sum);
    free(t->cnt);
}

/* The table first: every figure of the chart, and the run counts. */
static void layouts_table(FILE *f, const layouts *t)
{
    fputs("<table class=\"grid layouts\"><tr><th>driver / preset</th>", f);
    for (int b = 0; b < t->lay.n; b++) {
        fputs("<th>", f);
        cb_html_escape(f, t->lay.name[b]);
        fputs("</th>", f);
    }
    fputs("</tr>\n", f);
    for (int a = 0; a < t->grp.n; a++) {
        fputs("<tr><td style=\"text-align:left\">", f);
        cb_html_escape(f, t->grp.name[a]);
        fputs("</td>", f);
        for (int b = 0; b < t->lay.n; b++) {
            char s[32] = "&ndash;";
            if (t->cnt[a][b]) {
                double m = layouts_mean(t, a, b);
                cb_hfmt_secs(s, sizeof s, m);
                fprintf(f, "<td data-s=\"%.9g\" data-runs=\"%d\">%s <small>(%d)</small></td>", m, t->cnt[a][b], s,
                        t->cnt[a][b]);
            } else {
                fprintf(f, "<td>%s</td>", s);
            }
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n<p class=\"note\">(n): runs averaged.</p>\n", f);
}

enum { LAYOUT_BAR_H = 16, LAYOUT_GAP = 14 };

static void layouts_bars(FILE *f, const layouts *t, const cb_frame *p, const cb_scale *sx, double factor)
{
    double barh = LAYOUT_BAR_H, gap = LAYOUT_GAP, grouph = t->lay.n * barh + gap;
    for (int a = 0; a < t->grp.n; a++) {
        double y0 = p->y + a * grouph + gap / 2;
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", p->x - 8, y0 + t->lay.n * barh / 2 + 4);
        cb_html_escape(f, t->grp.name[a]);
        fputs("</text>\n", f);
        for (int b = 0; b < t->lay.n; b++) {
            if (!t->cnt[a][b])
                continue;
            double m = layouts_mean(t, a, b), y = y0 + b * barh;
            cb_rgb c = cb_run_colour(b, t->lay.n);
            char s[32];
            cb_hfmt_secs(s, sizeof s, m);
            fprintf(f, "<rect class=\"lbar\" data-group=\"%d\" data-layout=\"%d\" data-s=\"%.9g\" x=\"%.1f\" "
                       "y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"#%02x%02x%02x\" stroke=\"#1f2328\" "
                       "stroke-width=\"0.4\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%s</text>\n",
                    a, b, m, p->x, y + 1, fmax(cb_scale_map(sx, m * factor) - p->x, 0.8), barh - 2, c.r, c.g, c.b,
                    cb_scale_map(sx, m * factor) + 4, y + barh - 4, s);
        }
    }
}

/* The seed's baseline: the first layout at its slowest setting. */
static void layouts_baseline(FILE *f, const layouts *t, const cb_frame *p, const cb_scale *sx, double factor)
{
    if (!(t->base > 0))
        return;
    double x = cb_scale_map(sx, t->base * factor);
    char s[32];
    cb_hfmt_secs(s, sizeof s, t->base);
    fprintf(f, "<line class=\"baseline\" data-s=\"%.9g\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
               "stroke=\"#c0392b\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n",
            t->base, x, p->y - 4, x, p->y + p->h);
    fprintf(f, "<text class=\"halo\" x=\"%.1f\" y=\"%.1f\" font-size=\"11\">baseline %s</text>\n", x + 4, p->y + 4, s);
}

static void layouts_legend(FILE *f, const layouts *t, double legend_y)
{
    for (int b = 0; b < t->lay.n; b++) {
        cb_rgb c = cb_run_colour(b, t->lay.n);
        double x = b % 2 ? 520 : 70, y = legend_y + 18 * (b / 2);
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"22\" height=\"12\" fill=\"#%02x%02x%02x\" stroke=\"#1f2328\" "
                   "stroke-width=\"0.4\"/><text x=\"%.1f\" y=\"%.1f\">",
                x, y, c.r, c.g, c.b, x + 30, y + 10.5);
        cb_html_escape(f, t->lay.name[b]);
        fputs("</text>\n", f);
    }
}

/* Horizontal bars grouped by driver / preset, one colour per layout. */
static void layouts_chart(FILE *f, const layouts *t)
{
    double grouph = t->lay.n * LAYOUT_BAR_H + LAYOUT_GAP;
    cb_frame p = {200, 22, 740, t->grp.n * grouph};
    cb_time_unit u = cb_time_unit_for(t->top);
    double lo = 0, hi = t->top * u.factor;
    cb_nice_domain(&lo, &hi, 8);
    cb_scale sx = {0, hi, p.x, p.x + p.w, 0};
    double ticks[16], step;
    int nt = cb_nice_ticks(0, hi, 8, ticks, 16, &step);
    char xlabel[64];
    snprintf(xlabel, sizeof xlabel, "mean time, first open to last close (%s)", u.name);
    double legend_y = p.y + p.h + 62;
    char data[96];
    snprintf(data, sizeof data, "data-groups=\"%d\" data-layouts=\"%d\"", t->grp.n, t->lay.n);
    fputs("<figure>\n", f);
    cb_svg_open(f, 1000, legend_y + 18 * ((t->lay.n + 1) / 2) + 8, "layouts", data,
                "mean read time per layout, driver and preset");
    cb_svg_xaxis(f, &p, &sx, ticks, nt, step, xlabel, 1);
    layouts_bars(f, t, &p, &sx, u.factor);
    layouts_baseline(f, t, &p, &sx, u.factor);
    layouts_legend(f, t, legend_y);
    fputs("</svg>\n<figcaption>Bars: the layouts, in the order first met, grouped by driver and cache preset. "
          "Dashed: the baseline, the first layout's slowest mean.</figcaption>\n</figure>\n",
          f);
}

void cb_sec_layouts(FILE *f, const cb_hrun *rv, int n)
{
    int nread = 0, same_shape = 1;
    for (int k = 0; k < n; k++)
        if (cb_hrun_timed_read(&rv[k])) {
            nread++;
            same_shape &= rv[k].shape[0] == rv[0].shape[0] && rv[k].shape[1] == rv[0].shape[1];
        }
    if (nread < 2)
        return;
    layouts t;
    if (layouts_gather(&t, rv, n, same_shape) < 0) {
        layouts_free(&t);
        return; /* a page without this chart rather than none */
    }
    cb_sec_open(f, &rv[0], "layouts", "Read time per layout, driver and preset");
    fputs("<p class=\"note\">Mean time from the first open to the last close over the runs of each "
          "combination (less is better); the layout is the dataset's chunk shape and the file's page size.</p>\n",
          f);
    layouts_table(f, &t);
    layouts_chart(f, &t);
    cb_sec_close(f);
    layouts_free(&t);
}
