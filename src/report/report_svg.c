/* The HTML report's per-run charts, as inline SVG. The numbers come from
 * plotdata.c; this file only places them. Element counts stay bounded
 * (see the limits in report_html.h) whatever the number of tasks. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_html.h"
#include "report/report_html_int.h"
#include "core/units.h"

#define BAR_FILL "#31688e"
#define BIN_FILL "#2a788e"

/* ---- helpers ---- */

static void note(FILE *f, const char *text) { fprintf(f, "<p class=\"note\">%s</p>\n", text); }

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* A time axis from the first start, in the unit that suits the span. */
static void time_axis(FILE *f, const cb_frame *p, const cb_hrun *r, cb_scale *sx, const char *what)
{
    cb_time_unit u = cb_time_unit_for(r->t1 - r->t0);
    *sx = (cb_scale){0, (r->t1 - r->t0) * u.factor, p->x, p->x + p->w, 0};
    double ticks[16], step;
    int nt = cb_nice_ticks(0, sx->d1, 10, ticks, 16, &step);
    char label[96];
    snprintf(label, sizeof label, "%s since the first task start (%s)", what, u.name);
    cb_svg_xaxis(f, p, sx, ticks, nt, step, label, 1);
}

/* x of epoch time t on a time axis made by time_axis. */
static double tx(const cb_scale *sx, const cb_hrun *r, double t)
{
    return cb_scale_map(sx, (t - r->t0) * (sx->d1 / (r->t1 - r->t0)));
}

/* Copy name into buf, cut to about max bytes on a UTF-8 boundary. */
static void short_name(char *buf, size_t max, const char *name)
{
    size_t n = strlen(name);
    if (n <= max) {
        snprintf(buf, max + 1, "%s", name);
        return;
    }
    size_t k = max - 1;
    while (k > 0 && ((unsigned char)name[k] & 0xC0) == 0x80)
        k--;
    snprintf(buf, max + 4, "%.*s\xE2\x80\xA6", (int)k, name); /* ellipsis */
}

/* ---- timeline ---- */

typedef struct lanes {
    int n;                 /* lanes drawn */
    int32_t *of_writer;    /* writer -> lane */
    int *size;             /* writers per lane */
    double h, top;         /* lane height, y of lane 0 */
} lanes;

static int lanes_make(lanes *l, const cb_hrun *r, double top)
{
    l->of_writer = malloc((size_t)r->nw * sizeof *l->of_writer);
    l->size = calloc((size_t)r->nw, sizeof *l->size);
    if (!l->of_writer || !l->size)
        return -1;
    l->n = cb_lane_groups(r->nw, CB_HTML_MAX_LANES, l->of_writer);
    for (int i = 0; i < r->nw; i++)
        l->size[l->of_writer[i]]++;
    l->h = clampd(440.0 / l->n, 7, 26);
    l->top = top;
    return 0;
}

static void lanes_free(lanes *l)
{
    free(l->of_writer);
    free(l->size);
}

/* Light bands (the 100 % level for occupancy) and the writer names. */
static void lanes_draw(FILE *f, const lanes *l, const cb_hrun *r, const cb_frame *p)
{
    int every = (int)ceil(13 / l->h); /* 12px labels need room */
    for (int k = 0, w = 0; k < l->n; w += l->size[k], k++) {
        double y = l->top + k * l->h;
        fprintf(f, "<rect class=\"lane\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n", p->x,
                y + l->h * 0.1, p->w, l->h * 0.8, k % 2 ? "#e6e9ed" : "#eff1f4");
        if (k % every)
            continue;
        char a[40], b[40];
        short_name(a, 22, r->w[w].name);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", p->x - 8, y + l->h / 2 + 4);
        cb_html_escape(f, a);
        if (l->size[k] > 1) {
            short_name(b, 22, r->w[w + l->size[k] - 1].name);
            fputs(" \xE2\x80\xA6 ", f);
            cb_html_escape(f, b);
        }
        fputs("</text>\n", f);
    }
}

static int64_t bars_count(const cb_hrun *r)
{
    int64_t m = 0;
    for (int64_t i = 0; i < r->n; i++)
        m += r->start[i] > 0 && r->writer[i] >= 0;
    return m;
}

static void bars_draw(FILE *f, const cb_hrun *r, const lanes *l, const cb_scale *sx)
{
    cb_time_unit u = cb_time_unit_for(r->t1 - r->t0);
    fputs("<g fill=\"" BAR_FILL "\">\n", f);
    for (int64_t i = 0; i < r->n; i++) {
        if (!(r->start[i] > 0) || r->writer[i] < 0)
            continue;
        int running = !(r->status[i] == 1 && r->done[i] >= r->start[i]);
        double end = running ? r->t1 : r->done[i];
        double x0 = tx(sx, r, r->start[i]), x1 = tx(sx, r, end);
        double y = l->top + l->of_writer[r->writer[i]] * l->h + l->h * 0.15;
        /* At least a pixel wide, so that short tasks stay visible. */
        /* Wide bars get a white edge so that back-to-back tasks stay apart. */
        const char *edge = running ? " fill=\"url(#hatch)\" stroke=\"#333\""
                           : x1 - x0 >= 3 ? " stroke=\"#fff\" stroke-width=\"0.7\""
                                          : "";
        fprintf(f, "<rect class=\"task\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\"%s>", x0, y,
                fmax(x1 - x0, 1), l->h * 0.7, edge);
        fprintf(f, "<title>task %lld at (%d, %d): %s %.4g %s</title></rect>\n", (long long)i, r->x[i], r->y[i],
                running ? "in progress since" : "took", running ? (r->start[i] - r->t0) * u.factor
                                                                  : (r->done[i] - r->start[i]) * u.factor,
                u.name);
    }
    fputs("</g>\n", f);
}

/* One step-shaped area per lane: per pixel column, the share of time the
 * lane's writers were busy. Heights go to half pixels so runs merge. */
static void occupancy_path(FILE *f, const double *occ, int ncols, double gsize, double x0, double colw, double yb,
                           double hh)
{
    fprintf(f, "<path class=\"occ\" d=\"M%.1f %.1f", x0, yb);
    double prev = 0;
    for (int c = 0; c < ncols; c++) {
        double q = round(clampd(occ[c] / gsize, 0, 1) * hh * 2) / 2;
        if (q != prev)
            fprintf(f, "H%.1fV%.1f", x0 + c * colw, yb - q);
        prev = q;
    }
    fprintf(f, "H%.1fV%.1fZ\"/>\n", x0 + ncols * colw, yb);
}

static int occupancy_draw(FILE *f, const cb_hrun *r, const lanes *l, const cb_frame *p)
{
    int ncols = (int)p->w;
    int32_t *lane = malloc((size_t)(r->n > 0 ? r->n : 1) * sizeof *lane);
    double *end = malloc((size_t)(r->n > 0 ? r->n : 1) * sizeof *end);
    double *occ = malloc((size_t)l->n * (size_t)ncols * sizeof *occ);
    if (!lane || !end || !occ) {
        free(lane), free(end), free(occ);
        return -1;
    }
    for (int64_t i = 0; i < r->n; i++) {
        int ok = r->start[i] > 0 && r->writer[i] >= 0;
        lane[i] = ok ? l->of_writer[r->writer[i]] : -1;
        end[i] = r->status[i] == 1 && r->done[i] >= r->start[i] ? r->done[i] : r->t1;
    }
    cb_lane_occupancy(r->start, end, lane, r->n, l->n, r->t0, r->t1, ncols, occ);
    fputs("<g fill=\"" BAR_FILL "\">\n", f);
    for (int k = 0; k < l->n; k++)
        occupancy_path(f, occ + (size_t)k * (size_t)ncols, ncols, l->size[k], p->x, p->w / ncols,
                       l->top + (k + 0.9) * l->h, l->h * 0.8);
    fputs("</g>\n", f);
    free(lane), free(end), free(occ);
    return 0;
}

static void timeline_caption(FILE *f, const cb_hrun *r, int agg, const lanes *l)
{
    char n[32];
    cb_hfmt_count(n, sizeof n, (double)r->started);
    fputs("<figcaption>", f);
    if (agg)
        fprintf(f, "%s tasks, drawn as occupancy (too many, too short or too crowded for one bar each): each "
                   "lane shows, per pixel column, the share of that time its writer was busy (a full light band = "
                   "busy all the time).", n);
    else
        fprintf(f, "One bar per task (%s), from its start to its done time. Hatched: still in progress.", n);
    if (l->n < r->nw)
        fprintf(f, " %d writers share %d lanes (consecutive writers per lane, busy time averaged).", r->nw, l->n);
    fputs("</figcaption>\n", f);
}

void cb_sec_timeline(FILE *f, const cb_hrun *r)
{
    cb_sec_open(f, r, "timeline", "Timeline: tasks per writer");
    lanes l = {0};
    if (r->started == 0 || r->nw == 0 || lanes_make(&l, r, 12) < 0) {
        note(f, r->started == 0 ? "No task has started yet." : "No writer is recorded in the task table.");
        lanes_free(&l);
        cb_sec_close(f);
        return;
    }
    cb_frame p = {170, 12, 810, l.n * l.h};
    /* Shared lanes would stack several writers' bars on top of each other:
     * their averaged occupancy says more. */
    int agg = l.n < r->nw || cb_timeline_aggregate(r->start, r->done, r->n, p.w / (r->t1 - r->t0), CB_HTML_MAX_BARS);
    char data[128];
    snprintf(data, sizeof data, "data-mode=\"%s\" data-tasks=\"%lld\" data-lanes=\"%d\"",
             agg ? "occupancy" : "bars", (long long)bars_count(r), l.n);
    fputs("<figure>\n", f);
    cb_svg_open(f, 1000, p.y + p.h + 50, "timeline", data, "timeline of the tasks, one lane per writer");
    lanes_draw(f, &l, r, &p);
    cb_scale sx;
    time_axis(f, &p, r, &sx, "time");
    if (agg)
        occupancy_draw(f, r, &l, &p);
    else
        bars_draw(f, r, &l, &sx);
    fputs("</svg>\n", f);
    timeline_caption(f, r, agg, &l);
    fputs("</figure>\n", f);
    lanes_free(&l);
    cb_sec_close(f);
}

/* ---- throughput ---- */

static int64_t complete_only(const cb_hrun *r, double *s, double *d, double *b)
{
    int64_t m = 0;
    for (int64_t i = 0; i < r->n; i++)
        if (r->status[i] == 1 && r->start[i] > 0 && r->done[i] >= r->start[i]) {
            s[m] = r->start[i];
            d[m] = r->done[i];
            b[m++] = r->tbytes[i];
        }
    return m;
}

static void mean_line(FILE *f, const cb_frame *p, const cb_scale *sy, double v, const char *text)
{
    if (!isfinite(v) || v <= 0)
        return;
    double y = cb_scale_map(sy, v);
    fprintf(f,
            "<line class=\"mean\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1f2328\" "
            "stroke-width=\"1.5\" stroke-dasharray=\"7 4\"/>\n<text class=\"halo\" x=\"%.1f\" y=\"%.1f\" "
            "text-anchor=\"end\">",
            p->x, y, p->x + p->w, y, p->x + p->w - 4, y - 6);
    cb_html_escape(f, text);
    fputs("</text>\n", f);
}

static void throughput_draw(FILE *f, const cb_hrun *r, const double *mbps, int nb)
{
    cb_frame p = {80, 16, 880, 240};
    double hi = fmax(r->phase_MBps > 0 ? r->phase_MBps : 0, 0), lo = 0;
    for (int b = 0; b < nb; b++)
        hi = fmax(hi, mbps[b]);
    cb_nice_domain(&lo, &hi, 6);
    cb_scale sy = {lo, hi, p.y + p.h, p.y, 0}, sx;
    double ticks[16], step;
    int nt = cb_nice_ticks(lo, hi, 6, ticks, 16, &step);
    char data[64];
    snprintf(data, sizeof data, "data-bins=\"%d\"", nb);
    char title[48];
    snprintf(title, sizeof title, "%s rate over time", r->phase);
    cb_svg_open(f, 1000, p.y + p.h + 50, "throughput", data, title);
    snprintf(title, sizeof title, "%s rate (MB/s)", r->phase);
    cb_svg_yaxis(f, &p, &sy, ticks, nt, step, title, 1);
    time_axis(f, &p, r, &sx, "time");
    double w = p.w / nb, gap = w > 4 ? 1 : 0;
    fputs("<g fill=\"" BIN_FILL "\">\n", f);
    for (int b = 0; b < nb; b++) {
        double y = cb_scale_map(&sy, mbps[b]);
        fprintf(f, "<rect class=\"bin\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\"><title>%.4g MB/s"
                   "</title></rect>\n",
                p.x + b * w + gap / 2, y, w - gap, p.y + p.h - y, mbps[b]);
    }
    fputs("</g>\n", f);
    char text[96], v[32];
    cb_hfmt_sig(v, sizeof v, r->phase_MBps);
    snprintf(text, sizeof text, "%s-phase bandwidth %s MB/s", r->phase, v);
    mean_line(f, &p, &sy, r->phase_MBps, text);
    fputs("</svg>\n", f);
}

void cb_sec_throughput(FILE *f, const cb_hrun *r)
{
    cb_sec_open(f, r, "throughput", "Throughput over time");
    size_t m = (size_t)(r->n > 0 ? r->n : 1);
    double *s = malloc(m * sizeof *s), *d = malloc(m * sizeof *d), *b = malloc(m * sizeof *b);
    int64_t nc = s && d && b ? complete_only(r, s, d, b) : 0;
    if (nc == 0) {
        note(f, "No task is complete yet.");
    } else {
        int nb = cb_pick_bins(nc, 5, 80);
        double mbps[80];
        cb_throughput_bins(s, d, b, nc, r->t0, r->t1, nb, mbps);
        fputs("<figure>\n", f);
        throughput_draw(f, r, mbps, nb);
        fprintf(f, "<figcaption>MB/s (10<sup>6</sup> bytes) %s in each of %d time bins; a task's bytes count "
                   "evenly over its start to done. Dashed: the run's %s-phase bandwidth.</figcaption>\n"
                   "</figure>\n", r->verb, nb, r->phase);
    }
    free(s), free(d), free(b);
    cb_sec_close(f);
}

/* ---- latency ---- */

typedef struct hist {
    int nb, log;
    double edges[61];
    int64_t counts[60];
    double lo, hi;
} hist;

static void hist_make(hist *h, const double *lat, int64_t n)
{
    h->lo = INFINITY, h->hi = 0;
    for (int64_t i = 0; i < n; i++) {
        h->lo = fmin(h->lo, lat[i]);
        h->hi = fmax(h->hi, lat[i]);
    }
    /* Latencies are skewed: a log axis when the range is wide keeps the
     * bulk visible next to the tail. */
    h->log = h->lo > 0 && h->hi / h->lo > 20;
    if (!h->log)
        h->lo = 0;
    if (!(h->hi > h->lo))
        h->hi = h->lo > 0 ? h->lo * 2 : 1e-6;
    h->nb = cb_pick_bins(n, 8, 60);
    cb_bin_edges(h->lo, h->hi, h->nb, h->log, h->edges);
    cb_histogram(lat, n, h->edges, h->nb, h->counts);
}

static void marks_draw(FILE *f, const cb_hrun *r, const cb_frame *p, const cb_scale *sx, const cb_time_unit *u)
{
    const char *name[] = {"p50", "p90", "p99"};
    const char *dash[] = {"", " stroke-dasharray=\"8 4\"", " stroke-dasharray=\"2 3\""};
    double v[] = {r->lat.p50, r->lat.p90, r->lat.p99};
    for (int k = 0; k < 3; k++) {
        if (!isfinite(v[k]) || (sx->log && !(v[k] > 0)))
            continue;
        double x = clampd(cb_scale_map(sx, v[k] * u->factor), p->x, p->x + p->w);
        int right = x > p->x + p->w * 0.8;
        char b[48];
        cb_hfmt_sig(b, sizeof b, v[k] * u->factor);
        fprintf(f,
                "<line class=\"mark\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1f2328\" "
                "stroke-width=\"2\"%s/>\n<text class=\"title halo\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s %s %s"
                "</text>\n",
                x, p->y - 40 + 14 * k, x, p->y + p->h, dash[k], right ? x - 4 : x + 4, p->y - 30 + 14 * k,
                right ? "end" : "start", name[k], b, u->name);
    }
}

static void latency_draw(FILE *f, const cb_hrun *r, const hist *h)
{
    cb_frame p = {80, 56, 880, 220};
    cb_time_unit u = cb_time_unit_for(h->hi);
    cb_scale sx = {h->lo * u.factor, h->hi * u.factor, p.x, p.x + p.w, h->log};
    double top = 0, lo = 0;
    for (int b = 0; b < h->nb; b++)
        top = fmax(top, (double)h->counts[b]);
    cb_nice_domain(&lo, &top, 6);
    cb_scale sy = {0, top, p.y + p.h, p.y, 0};
    double xt[32], yt[16], xstep = 0, ystep;
    int nx = h->log ? cb_log_ticks(sx.d0, sx.d1, xt, 32) : cb_nice_ticks(sx.d0, sx.d1, 10, xt, 32, &xstep);
    int ny = cb_nice_ticks(0, top, 6, yt, 16, &ystep);
    char data[64], label[96];
    snprintf(data, sizeof data, "data-bins=\"%d\" data-log=\"%d\"", h->nb, h->log);
    snprintf(label, sizeof label, "task latency, done \xE2\x88\x92 start (%s%s)", u.name,
             h->log ? ", log scale" : "");
    cb_svg_open(f, 1000, p.y + p.h + 50, "latency", data, "histogram of task latencies");
    cb_svg_yaxis(f, &p, &sy, yt, ny, ystep, "tasks", 1);
    cb_svg_xaxis(f, &p, &sx, xt, nx, h->log ? 0 : xstep, label, 0);
    fputs("<g fill=\"" BIN_FILL "\" stroke=\"#fff\" stroke-width=\"0.5\">\n", f);
    for (int b = 0; b < h->nb; b++) {
        double x0 = cb_scale_map(&sx, h->edges[b] * u.factor), x1 = cb_scale_map(&sx, h->edges[b + 1] * u.factor);
        double y = cb_scale_map(&sy, (double)h->counts[b]);
        if (h->counts[b] > 0)
            y = fmin(y, p.y + p.h - 1.5); /* a few tasks must not vanish */
        fprintf(f, "<rect class=\"bin\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\"><title>%lld tasks"
                   "</title></rect>\n",
                x0, y, x1 - x0, p.y + p.h - y, (long long)h->counts[b]);
    }
    fputs("</g>\n", f);
    marks_draw(f, r, &p, &sx, &u);
    fputs("</svg>\n", f);
}

void cb_sec_latency(FILE *f, const cb_hrun *r)
{
    cb_sec_open(f, r, "latency", "Task latency");
    double *lat = malloc((size_t)(r->n > 0 ? r->n : 1) * sizeof *lat);
    int64_t m = 0;
    for (int64_t i = 0; lat && i < r->n; i++)
        if (r->status[i] == 1 && r->start[i] > 0 && r->done[i] >= r->start[i])
            lat[m++] = r->done[i] - r->start[i];
    if (m == 0) {
        note(f, "No task is complete yet.");
    } else {
        hist h;
        hist_make(&h, lat, m);
        fputs("<figure>\n", f);
        latency_draw(f, r, &h);
        fprintf(f, "<figcaption>How many tasks took how long, in %d bins. Lines: p50 (solid), p90 (dashed), "
                   "p99 (dotted), from the run's figures.</figcaption>\n</figure>\n", h.nb);
    }
    free(lat);
    cb_sec_close(f);
}

/* ---- writers ---- */

/* One row of the writers chart: a writer, or consecutive writers grouped
 * when there are more than CB_HTML_MAX_WRITER_ROWS. */
typedef struct wrow {
    const char *first, *last;
    double tasks, bytes, mean_s;
    int slow; /* holds one of the slowest writers */
} wrow;

static double w_tasks(const wrow *w) { return w->tasks; }
static double w_mb(const wrow *w) { return w->bytes / CB_BYTES_PER_MB; }
static double w_mean(const wrow *w) { return w->mean_s; }

static int is_slowest(const cb_hrun *r, const char *name)
{
    const cJSON *v, *sl = cJSON_GetObjectItemCaseSensitive(r->doc, "slowest");
    cJSON_ArrayForEach(v, sl)
        if (cJSON_IsString(v) && !strcmp(v->valuestring, name))
            return 1;
    return 0;
}

/* Rows of the chart; a group sums tasks and bytes and weighs mean latency
 * by tasks. Returns the row count, 0 when out of memory. */
static int writer_rows(const cb_hrun *r, wrow **out)
{
    int32_t *row = malloc((size_t)r->nw * sizeof *row);
    int n = row ? cb_lane_groups(r->nw, CB_HTML_MAX_WRITER_ROWS, row) : 0;
    wrow *w = n ? calloc((size_t)n, sizeof *w) : NULL;
    double *lat = n ? calloc((size_t)n, sizeof *lat) : NULL;
    if (!w || !lat) {
        free(row), free(w), free(lat);
        return 0;
    }
    for (int i = 0; i < r->nw; i++) {
        const cb_hwriter *x = &r->w[i];
        wrow *g = &w[row[i]];
        g->first = g->first ? g->first : x->name;
        g->last = x->name;
        g->tasks += isfinite(x->tasks) ? x->tasks : 0;
        g->bytes += isfinite(x->bytes) ? x->bytes : 0;
        lat[row[i]] += isfinite(x->mean_s) && isfinite(x->tasks) ? x->mean_s * x->tasks : 0;
        g->slow |= is_slowest(r, x->name);
    }
    for (int k = 0; k < n; k++)
        w[k].mean_s = w[k].tasks > 0 ? lat[k] / w[k].tasks : 0;
    free(row), free(lat);
    *out = w;
    return n;
}

/* One panel of horizontal bars, one per row; an even-share line when `even`
 * is set (what each row would do if all did the same). */
static void writer_panel(FILE *f, const wrow *w, int n, const cb_frame *p, double rowh, double (*get)(const wrow *),
                         double factor, const char *title, int even, int mark_slowest)
{
    double hi = 0, lo = 0, sum = 0;
    for (int i = 0; i < n; i++) {
        hi = fmax(hi, get(&w[i]) * factor);
        sum += get(&w[i]) * factor;
    }
    cb_nice_domain(&lo, &hi, 4);
    cb_scale sx = {0, hi, p->x, p->x + p->w, 0};
    double ticks[8], step;
    int nt = cb_nice_ticks(0, hi, 4, ticks, 8, &step);
    cb_svg_xaxis(f, p, &sx, ticks, nt, step, title, 1);
    for (int i = 0; i < n; i++) {
        double v = get(&w[i]) * factor;
        int slow = mark_slowest && w[i].slow;
        fprintf(f, "<rect class=\"wbar\" x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\"%s>"
                   "<title>%.4g</title></rect>\n",
                p->x, p->y + i * rowh + rowh * 0.15, cb_scale_map(&sx, v) - p->x, rowh * 0.7,
                slow ? "url(#hatch)" : BAR_FILL, slow ? " stroke=\"#1f2328\"" : "", v);
    }
    if (even && n > 1) {
        double x = cb_scale_map(&sx, sum / n);
        fprintf(f, "<line class=\"even\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1f2328\" "
                   "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n",
                x, p->y - 4, x, p->y + p->h);
    }
}

static void writer_names(FILE *f, const wrow *w, int n, double x, double y0, double rowh)
{
    int every = (int)ceil(13 / rowh);
    for (int i = 0; i < n; i += every) {
        char a[40];
        short_name(a, 22, w[i].first);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", x, y0 + i * rowh + rowh / 2 + 4);
        cb_html_escape(f, a);
        if (w[i].last != w[i].first) {
            short_name(a, 22, w[i].last);
            fputs(" \xE2\x80\xA6 ", f);
            cb_html_escape(f, a);
        }
        fputs("</text>\n", f);
    }
}

void cb_sec_writers(FILE *f, const cb_hrun *r)
{
    cb_sec_open(f, r, "writers", "Work per writer");
    wrow *w = NULL;
    int n = r->nw > 0 ? writer_rows(r, &w) : 0;
    if (n == 0) {
        note(f, "No writer is recorded in the task table.");
        cb_sec_close(f);
        return;
    }
    double rowh = clampd(360.0 / n, 2, 22), h = n * rowh, top = 0;
    for (int i = 0; i < n; i++)
        top = fmax(top, w[i].mean_s);
    cb_time_unit u = cb_time_unit_for(top);
    char data[64], lat[64];
    snprintf(data, sizeof data, "data-writers=\"%d\" data-rows=\"%d\"", r->nw, n);
    snprintf(lat, sizeof lat, "mean task latency (%s)", u.name);
    fputs("<figure>\n", f);
    cb_svg_open(f, 1000, h + 62, "writers", data, "tasks, bytes and mean latency per writer");
    writer_names(f, w, n, 162, 8, rowh);
    cb_frame p = {170, 8, 240, h};
    writer_panel(f, w, n, &p, rowh, w_tasks, 1, "tasks", 1, 0);
    p.x += 275;
    writer_panel(f, w, n, &p, rowh, w_mb, 1, "MB written", 1, 0);
    p.x += 275;
    writer_panel(f, w, n, &p, rowh, w_mean, u.factor, lat, 0, 1);
    fputs("</svg>\n<figcaption>Dashed: an even share of the work. Hatched: the slowest writers by mean task "
          "latency.", f);
    if (n < r->nw)
        fprintf(f, " %d writers in %d rows of consecutive writers (tasks and MB summed, latency averaged).", r->nw,
                n);
    fputs("</figcaption>\n</figure>\n", f);
    free(w);
    cb_sec_close(f);
}

/* ---- chunk grid ---- */

typedef struct gridgeo {
    double x, y, w, h; /* dataset area in SVG units */
    double R, C;      /* shape */
} gridgeo;

/* Cell (r, c) as a rectangle, the last row and column cut to the shape. */
static void cell_box(const gridgeo *g, const cb_grid *gr, int r, int c, int c_end, double box[4])
{
    double r0 = (double)r * gr->cell_r, r1 = fmin((double)(r + 1) * gr->cell_r, g->R);
    double c0 = (double)c * gr->cell_c, c1 = fmin((double)c_end * gr->cell_c, g->C);
    box[0] = g->x + c0 / g->C * g->w;
    box[1] = g->y + r0 / g->R * g->h;
    box[2] = (c1 - c0) / g->C * g->w;
    box[3] = (r1 - r0) / g->R * g->h;
}

/* Level of a cell, or -1 (no complete task: drawn hatched). */
static int cell_level(const cb_grid *gr, size_t k, double span)
{
    double v = gr->value[k];
    return isfinite(v) ? cb_quantize(v / span, CB_HTML_LEVELS) : -1;
}

/* All cells of one level as one path, runs along a row merged. */
static int level_path(FILE *f, const gridgeo *g, const cb_grid *gr, double span, int level, const char *fill)
{
    int started = 0;
    for (int r = 0; r < gr->rows; r++)
        for (int c = 0; c < gr->cols;) {
            size_t k = (size_t)r * (size_t)gr->cols + (size_t)c;
            if (cell_level(gr, k, span) != level) {
                c++;
                continue;
            }
            int e = c + 1;
            while (e < gr->cols && cell_level(gr, k + (size_t)(e - c), span) == level)
                e++;
            double b[4];
            cell_box(g, gr, r, c, e, b);
            if (!started)
                fprintf(f, "<path class=\"cells\" fill=\"%s\" shape-rendering=\"crispEdges\" d=\"", fill);
            started = 1;
            fprintf(f, "M%.2f %.2fh%.2fv%.2fh%.2fz", b[0], b[1], b[2], b[3], -b[2]);
            c = e;
        }
    if (started)
        fputs("\"/>\n", f);
    return started;
}

/* A vertical viridis colour bar for values lo..hi with nice ticks, its title
 * above and a hatched key for cells with no value below. */
static void colour_bar(FILE *f, double lo, double hi, double x, double y, double h, const char *title,
                       const char *hatched)
{
    double lh = h / CB_HTML_LEVELS;
    for (int L = 0; L < CB_HTML_LEVELS; L++) {
        cb_rgb c = cb_viridis((L + 0.5) / CB_HTML_LEVELS);
        fprintf(f, "<rect class=\"legend\" x=\"%.1f\" y=\"%.2f\" width=\"18\" height=\"%.2f\" fill=\"#%02x%02x%02x\"/>",
                x, y + L * lh, lh + 0.3, c.r, c.g, c.b);
    }
    fputs("\n", f);
    cb_scale s = {lo, hi > lo ? hi : lo + 1, y, y + h, 0};
    double ticks[16], step;
    int nt = cb_nice_ticks(s.d0, s.d1, 8, ticks, 16, &step);
    for (int i = 0; i < nt; i++) {
        char b[48];
        cb_fmt_tick(b, sizeof b, ticks[i], step);
        double ty = cb_scale_map(&s, ticks[i]);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#57606a\"/><text x=\"%.1f\" "
                   "y=\"%.1f\">%s</text>\n",
                x + 18, ty, x + 22, ty, x + 25, ty + 4, b);
    }
    fprintf(f, "<text class=\"title\" x=\"%.1f\" y=\"%.1f\">%s</text>\n", x, y - 8, title);
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"12\" fill=\"url(#hatch)\" stroke=\"#57606a\"/>"
               "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n",
            x, y + h + 14, x + 25, y + h + 24, hatched);
}

static void grid_legend(FILE *f, const cb_hrun *r, double x, double y, double h)
{
    cb_time_unit u = cb_time_unit_for(r->t1 - r->t0);
    char title[64];
    snprintf(title, sizeof title, "finished at (%s)", u.name);
    colour_bar(f, 0, (r->t1 - r->t0) * u.factor, x, y, h, title, "not complete");
}

static void grid_geometry(gridgeo *g, const cb_hrun *r)
{
    g->R = r->shape[0];
    g->C = r->shape[1];
    double aspect = clampd(g->C / g->R, 0.4, 3), maxw = 700, maxh = 460;
    g->w = maxw;
    g->h = g->w / aspect;
    if (g->h > maxh) {
        g->h = maxh;
        g->w = g->h * aspect;
    }
    g->x = 90;
    g->y = 28;
}

static void grid_axes(FILE *f, const gridgeo *g)
{
    cb_frame p = {g->x, g->y, g->w, g->h};
    cb_scale sx = {0, g->C, g->x, g->x + g->w, 0}, sy = {0, g->R, g->y, g->y + g->h, 0};
    double t[16], step;
    int n = cb_nice_ticks(0, g->C, g->w > 400 ? 8 : 4, t, 16, &step);
    cb_svg_xaxis(f, &p, &sx, t, n, step, "dataset column (elements)", 0);
    n = cb_nice_ticks(0, g->R, 8, t, 16, &step);
    cb_svg_yaxis(f, &p, &sy, t, n, step, "dataset row (elements)", 0);
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#57606a\"/>\n",
            g->x, g->y, g->w, g->h);
}

static void grid_draw(FILE *f, const cb_hrun *r, const cb_grid *gr)
{
    gridgeo g;
    grid_geometry(&g, r);
    double span = r->t1 - r->t0;
    char data[96];
    snprintf(data, sizeof data, "data-rows=\"%d\" data-cols=\"%d\"", gr->rows, gr->cols);
    cb_svg_open(f, 1000, g.y + g.h + 60, "grid", data, "the chunk grid coloured by finish time");
    level_path(f, &g, gr, span, -1, "url(#hatch)");
    for (int L = 0; L < CB_HTML_LEVELS; L++) {
        cb_rgb c = cb_viridis((L + 0.5) / CB_HTML_LEVELS);
        char fill[16];
        snprintf(fill, sizeof fill, "#%02x%02x%02x", c.r, c.g, c.b);
        level_path(f, &g, gr, span, L, fill);
    }
    grid_axes(f, &g);
    grid_legend(f, r, g.x + g.w + 40, g.y + 14, fmin(g.h - 40, 300));
    fputs("</svg>\n", f);
}

static void grid_caption(FILE *f, const cb_grid *gr, const cb_hrun *r)
{
    fprintf(f, "<figcaption>The dataset (%.0f &times; %.0f) as %d &times; %d cells of %lld &times; %lld elements, "
               "coloured by when their tasks finished (mean over a cell's tasks): dark early, light late.",
            r->shape[0], r->shape[1], gr->rows, gr->cols, (long long)gr->cell_r, (long long)gr->cell_c);
    fputs(" Hatched: no complete task yet.</figcaption>\n", f);
}

/* ---- compression: ratio per chunk, time split ---- */

static void ratio_legend(FILE *f, double lo, double hi, double x, double y, double h)
{
    colour_bar(f, lo, hi, x, y, h, "logical / stored", "not stored");
}

/* The ratio map: drawn with the finish-time grid's cells (a cb_grid whose
 * value is the ratio above the lowest; NAN for cells with nothing stored). */
static void ratio_draw(FILE *f, const cb_hrun *r, const cb_ratio_grid *rg)
{
    size_t cells = (size_t)rg->rows * (size_t)rg->cols;
    cb_grid g = {rg->rows, rg->cols, rg->group_r * (int64_t)r->chunk[0], rg->group_c * (int64_t)r->chunk[1],
                 malloc(cells * sizeof(double)), NULL};
    if (!g.value) {
        note(f, "The ratio map could not be drawn (out of memory).");
        return;
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < cells; k++)
        if (rg->stored[k] > 0) {
            double q = rg->logical[k] / rg->stored[k];
            lo = fmin(lo, q);
            hi = fmax(hi, q);
        }
    if (!(lo <= hi))
        lo = hi = 1;
    for (size_t k = 0; k < cells; k++)
        g.value[k] = rg->stored[k] > 0 ? rg->logical[k] / rg->stored[k] - lo : NAN;
    double span = hi > lo ? hi - lo : 1;
    gridgeo geo;
    grid_geometry(&geo, r);
    char data[160];
    snprintf(data, sizeof data,
             "data-rows=\"%d\" data-cols=\"%d\" data-group=\"%lld %lld\" data-ratio-min=\"%.6g\" "
             "data-ratio-max=\"%.6g\"",
             rg->rows, rg->cols, (long long)rg->group_r, (long long)rg->group_c, lo, hi);
    cb_svg_open(f, 1000, geo.y + geo.h + 60, "ratio", data, "the chunk grid coloured by compression ratio");
    /* Each cell's stored bytes, as numbers a test can read back (row-major). */
    fputs("<desc class=\"stored\">", f);
    for (size_t k = 0; k < cells; k++)
        fprintf(f, "%s%.0f", k ? " " : "", rg->stored[k]);
    fputs("</desc>\n", f);
    level_path(f, &geo, &g, span, -1, "url(#hatch)");
    for (int L = 0; L < CB_HTML_LEVELS; L++) {
        cb_rgb c = cb_viridis((L + 0.5) / CB_HTML_LEVELS);
        char fill[16];
        snprintf(fill, sizeof fill, "#%02x%02x%02x", c.r, c.g, c.b);
        level_path(f, &geo, &g, span, L, fill);
    }
    grid_axes(f, &geo);
    ratio_legend(f, lo, hi, geo.x + geo.w + 40, geo.y + 14, fmin(geo.h - 40, 300));
    fputs("</svg>\n", f);
    free(g.value);
}

/* The writers' time from first open to last close (rank-seconds), split as
 * the run recorded it. */
static void split_draw(FILE *f, const cb_hrun *r)
{
    double gen = r->gen_s, io = r->io_s, total = r->lr_writers * r->span_s;
    if (!(total > 0) || !(gen >= 0) || !(io >= 0))
        return;
    double other = fmax(0, total - gen - io);
    total = fmax(total, gen + io);
    const struct {
        const char *name, *fill;
        double s;
    } seg[] = {{"generating values", "#fde725", gen}, {"inside I/O calls", "#31688e", io}, {"the rest", "#d5d9de", other}};
    cb_svg_open(f, 1000, 70, "split", "", "the writers' time split");
    double x = 90, w = 700;
    for (int i = 0; i < 3; i++) {
        double bw = seg[i].s / total * w;
        fprintf(f, "<rect class=\"split-seg\" data-what=\"%s\" data-s=\"%.6g\" x=\"%.2f\" y=\"8\" width=\"%.2f\" "
                   "height=\"22\" fill=\"%s\" stroke=\"#1f2328\" stroke-width=\"0.5\"/>\n",
                seg[i].name, seg[i].s, x, bw, seg[i].fill);
        x += bw;
    }
    for (int i = 0, lx = 90; i < 3; i++, lx += 230) {
        char d[32];
        cb_hfmt_secs(d, sizeof d, seg[i].s);
        fprintf(f, "<rect x=\"%d\" y=\"44\" width=\"12\" height=\"12\" fill=\"%s\" stroke=\"#1f2328\" "
                   "stroke-width=\"0.5\"/><text x=\"%d\" y=\"54\">%s: %s (%.0f%%)</text>\n",
                lx, seg[i].fill, lx + 17, seg[i].name, d, 100 * seg[i].s / total);
    }
    fputs("</svg>\n", f);
}

/* A filtered run that recorded its chunks: ratio per chunk and time split. */
static void compression_figures(FILE *f, const cb_hrun *r)
{
    if (!r->cstored)
        return;
    int64_t chunk[2] = {(int64_t)r->chunk[0], (int64_t)r->chunk[1]};
    int64_t shape[2] = {(int64_t)r->shape[0], (int64_t)r->shape[1]};
    cb_ratio_grid rg;
    if (cb_ratio_grid_build(r->cgrid, chunk, shape, r->dtype && !strcmp(r->dtype, "f4") ? 4 : 8, r->cstored,
                            CB_HTML_GRID_SIDE, &rg) < 0) {
        note(f, "The compression ratio per chunk could not be drawn (the run's chunk sizes do not fit its shape).");
        return;
    }
    fprintf(f, "<h4>Compression ratio per chunk (%s)</h4>\n<figure>\n", r->filters ? r->filters : "filters");
    ratio_draw(f, r, &rg);
    fprintf(f, "<figcaption>The dataset's chunks (%d &times; %d cells of %lld &times; %lld chunks) coloured by their ratio: "
               "the bytes of the dataset's elements in them over the bytes their chunks take in the file after the "
               "filters, as the file was when the write closed it (an edge chunk counts only the elements inside "
               "the shape, though the filters compress it whole). Light: compressed most.</figcaption>\n</figure>\n",
            rg.rows, rg.cols, (long long)rg.group_r, (long long)rg.group_c);
    cb_ratio_grid_free(&rg);
    fputs("<h4>Time split of the last run</h4>\n<figure>\n", f);
    split_draw(f, r);
    fputs("<figcaption>The writers' time from the first open to the last close, summed over the writers: "
          "generating the values, inside the I/O calls (H5Dwrite, which runs the filters on the chunks, exchanges "
          "them between ranks in collective mode and writes them: compression cannot be timed apart from the rest "
          "of the write inside HDF5), and the rest (open, close with its metadata flush, scheduling, and waiting "
          "for the other ranks).</figcaption>\n</figure>\n",
          f);
}

void cb_sec_grid(FILE *f, const cb_hrun *r)
{
    cb_sec_open(f, r, "grid", "Chunk grid by finish time");
    unsigned char *ok = malloc((size_t)(r->n > 0 ? r->n : 1));
    double *when = malloc((size_t)(r->n > 0 ? r->n : 1) * sizeof *when);
    cb_grid gr = {0};
    int built = -1;
    /* 2^53: beyond, the shape is not a real one (and would not fit int64). */
    int shaped = r->shape[0] >= 1 && r->shape[1] >= 1 && r->shape[0] < 9e15 && r->shape[1] < 9e15;
    if (ok && when && shaped && r->started > 0) {
        for (int64_t i = 0; i < r->n; i++) {
            ok[i] = r->status[i] == 1 && r->start[i] > 0 && r->done[i] >= r->start[i];
            when[i] = r->done[i] - r->t0;
        }
        built = cb_grid_build((int64_t)r->shape[0], (int64_t)r->shape[1], r->x, r->y, r->nrow, r->ncol, when, ok,
                              r->n, CB_HTML_GRID_SIDE, &gr);
    }
    if (built < 0) {
        note(f, r->started > 0 ? "The grid could not be drawn (no shape in the report)." : "No task has started yet.");
    } else {
        fputs("<figure>\n", f);
        grid_draw(f, r, &gr);
        grid_caption(f, &gr, r);
        fputs("</figure>\n", f);
    }
    compression_figures(f, r);
    cb_grid_free(&gr);
    free(ok);
    free(when);
    cb_sec_close(f);
}
