#include "report/plotdata.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"

/* ---- scales and ticks ---- */

double cb_scale_map(const cb_scale *s, double v)
{
    double d0 = s->d0, d1 = s->d1;
    if (s->log) {
        d0 = log10(d0);
        d1 = log10(d1);
        v = log10(v);
    }
    if (!(d1 != d0) || !isfinite(d0) || !isfinite(d1))
        return s->r0;
    return s->r0 + (v - d0) / (d1 - d0) * (s->r1 - s->r0);
}

double cb_nice_step(double span, int max_ticks)
{
    if (max_ticks < 2)
        max_ticks = 2;
    if (!(span > 0) || !isfinite(span))
        return 1;
    double raw = span / (max_ticks - 1);
    double mag = pow(10, floor(log10(raw)));
    double norm = raw / mag;
    /* 1e-9: raw = 2.0000000001 from rounding must still give step 2. */
    double m = norm <= 1 + 1e-9 ? 1 : norm <= 2 + 1e-9 ? 2 : norm <= 5 + 1e-9 ? 5 : 10;
    return m * mag;
}

void cb_nice_domain(double *lo, double *hi, int max_ticks)
{
    if (!isfinite(*lo) || !isfinite(*hi) || !(*hi > *lo)) {
        *lo = isfinite(*lo) ? *lo : 0;
        *hi = *lo + 1;
        return;
    }
    /* Widening can need a bigger step; one more pass settles it. */
    for (int pass = 0; pass < 2; pass++) {
        double step = cb_nice_step(*hi - *lo, max_ticks);
        *lo = floor(*lo / step + 1e-9) * step;
        *hi = ceil(*hi / step - 1e-9) * step;
    }
}

int cb_nice_ticks(double lo, double hi, int max_ticks, double *ticks, int cap, double *step_out)
{
    double step = cb_nice_step(hi - lo, max_ticks);
    if (step_out)
        *step_out = step;
    int n = 0;
    double k0 = ceil(lo / step - 1e-9);
    for (double k = k0; n < cap; k++) {
        double t = k * step;
        if (t > hi + step * 1e-9)
            break;
        ticks[n++] = t == 0 ? 0 : t; /* no "-0" */
    }
    return n;
}

int cb_log_ticks(double lo, double hi, double *ticks, int cap)
{
    if (!(lo > 0) || !(hi >= lo))
        return 0;
    int d0 = (int)floor(log10(lo)), d1 = (int)ceil(log10(hi));
    int fine = log10(hi / lo) < 3; /* few decades: 1-2-5 keeps enough labels */
    static const double mult[] = {1, 2, 5};
    int n = 0;
    for (int d = d0; d <= d1; d++)
        for (int m = 0; m < (fine ? 3 : 1); m++) {
            double t = mult[m] * pow(10, d);
            if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9) && n < cap)
                ticks[n++] = t;
        }
    return n;
}

int cb_tick_decimals(double step)
{
    if (!(step > 0) || step >= 1)
        return 0;
    int d = (int)ceil(-log10(step) - 1e-9);
    return d > 12 ? 12 : d;
}

void cb_fmt_tick(char *buf, size_t size, double v, double step)
{
    int d = cb_tick_decimals(step);
    if (fabs(v) < step * 1e-6)
        v = 0;
    snprintf(buf, size, "%.*f", d, v);
}

cb_time_unit cb_time_unit_for(double span_s)
{
    if (span_s < 2e-3)
        return (cb_time_unit){CB_US_PER_S, "\xC2\xB5s"}; /* micro sign, UTF-8 */
    if (span_s < 2)
        return (cb_time_unit){CB_MS_PER_S, "ms"};
    return (cb_time_unit){1, "s"};
}

/* ---- bins ---- */

int cb_pick_bins(int64_t n, int lo, int hi)
{
    int b = n > 0 ? (int)ceil(sqrt((double)n)) : lo;
    return b < lo ? lo : b > hi ? hi : b;
}

void cb_bin_edges(double lo, double hi, int nbins, int log, double *edges)
{
    double a = log ? log10(lo) : lo, b = log ? log10(hi) : hi;
    for (int i = 0; i <= nbins; i++) {
        double e = a + (b - a) * i / nbins;
        edges[i] = log ? pow(10, e) : e;
    }
    /* Exact ends, so lo and hi themselves always fall inside. */
    edges[0] = lo;
    edges[nbins] = hi;
}

int cb_bin_index(const double *edges, int nbins, double v)
{
    if (!(v >= edges[0]) || !(v <= edges[nbins]))
        return -1;
    int a = 0, b = nbins; /* edges[a] <= v < edges[b], or v == edges[nbins] */
    while (b - a > 1) {
        int m = (a + b) / 2;
        if (v < edges[m])
            b = m;
        else
            a = m;
    }
    return a;
}

void cb_histogram(const double *v, int64_t n, const double *edges, int nbins, int64_t *counts)
{
    memset(counts, 0, (size_t)nbins * sizeof *counts);
    for (int64_t i = 0; i < n; i++) {
        int b = cb_bin_index(edges, nbins, v[i]);
        if (b >= 0)
            counts[b]++;
    }
}

/* Add amount * (share of [s, d] in each column) over columns of width w from
 * t0; a zero-length interval puts all of amount in its column. */
static void spread(double *col, int ncols, double t0, double w, double s, double d, double amount)
{
    /* Clamp in double first: a wild time must not overflow the int cast. */
    double f0 = floor((s - t0) / w), f1 = floor((d - t0) / w);
    if (d <= s) { /* an instant: all in its column, the very end included */
        if (f0 >= 0 && f0 <= ncols)
            col[f0 >= ncols ? ncols - 1 : (int)f0] += amount;
        return;
    }
    if (!(f0 < ncols) || !(f1 >= 0))
        return;
    int c0 = f0 < 0 ? 0 : (int)f0, c1 = f1 >= ncols ? ncols - 1 : (int)f1;
    double rate = amount / (d - s);
    for (int c = c0; c <= c1; c++) {
        double lo = fmax(s, t0 + c * w), hi = fmin(d, t0 + (c + 1) * w);
        if (hi > lo)
            col[c] += rate * (hi - lo);
    }
}

void cb_throughput_bins(const double *start, const double *done, const double *bytes, int64_t n, double t0,
                        double t1, int nbins, double *mbps)
{
    memset(mbps, 0, (size_t)nbins * sizeof *mbps);
    if (!(t1 > t0) || nbins < 1)
        return;
    double w = (t1 - t0) / nbins;
    for (int64_t i = 0; i < n; i++)
        if (done[i] >= start[i] && start[i] <= t1 && done[i] >= t0)
            spread(mbps, nbins, t0, w, start[i], done[i], bytes[i]);
    for (int b = 0; b < nbins; b++)
        mbps[b] /= w * CB_BYTES_PER_MB;
}

/* ---- order ---- */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

int cb_natural_cmp(const char *a, const char *b)
{
    const char *p = a, *q = b;
    while (*p && *q) {
        if (is_digit(*p) && is_digit(*q)) {
            while (*p == '0' && is_digit(p[1]))
                p++;
            while (*q == '0' && is_digit(q[1]))
                q++;
            size_t n = 0, m = 0;
            while (is_digit(p[n]))
                n++;
            while (is_digit(q[m]))
                m++;
            if (n != m)
                return n < m ? -1 : 1; /* more digits, larger number */
            int c = strncmp(p, q, n);
            if (c)
                return c;
            p += n;
            q += m;
            continue;
        }
        if (*p != *q)
            return (unsigned char)*p < (unsigned char)*q ? -1 : 1;
        p++, q++;
    }
    if (*p || *q)
        return *p ? 1 : -1;
    return strcmp(a, b); /* "r01" and "r1": still a fixed order */
}

/* ---- byte ranges ---- */

void cb_range_cover(const double *off, const double *size, const int *cls, int64_t n, int nclass, double lo,
                    double hi, int ncols, int64_t *counts)
{
    if (nclass < 1 || ncols < 1)
        return;
    memset(counts, 0, (size_t)nclass * (size_t)ncols * sizeof *counts);
    if (!(hi > lo))
        return;
    double w = (hi - lo) / ncols;
    for (int64_t i = 0; i < n; i++) {
        double a = off[i], b = off[i] + (size[i] > 0 ? size[i] : 0);
        if (cls[i] < 0 || cls[i] >= nclass || !(a < hi) || b < lo || (b == lo && size[i] > 0))
            continue;
        /* The last byte is b - 1: a request ending on a column edge stays left of it. */
        double f0 = floor((a - lo) / w), f1 = size[i] > 0 ? ceil((b - lo) / w) - 1 : f0;
        int k0 = f0 < 0 ? 0 : f0 >= ncols ? ncols - 1 : (int)f0, k1 = f1 >= ncols ? ncols - 1 : (int)f1;
        if (k1 < k0)
            k1 = k0;
        int64_t *row = counts + (size_t)cls[i] * (size_t)ncols;
        for (int k = k0; k <= k1; k++)
            row[k]++;
    }
}

/* ---- timeline ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int cb_timeline_aggregate(const double *start, const double *done, int64_t n, double px_per_s, int64_t max_bars)
{
    if (n > max_bars)
        return 1;
    double *w = malloc((size_t)(n > 0 ? n : 1) * sizeof *w);
    if (!w)
        return 1; /* the bounded drawing is the safe answer */
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++)
        if (start[i] > 0 && done[i] > start[i])
            w[m++] = (done[i] - start[i]) * px_per_s;
    int agg = 0;
    if (m > 0) {
        qsort(w, (size_t)m, sizeof *w, cmp_double);
        double median = m % 2 ? w[m / 2] : (w[m / 2 - 1] + w[m / 2]) / 2;
        agg = median < 1;
    }
    free(w);
    return agg;
}

void cb_lane_occupancy(const double *start, const double *done, const int32_t *lane, int64_t n, int nlanes,
                       double t0, double t1, int ncols, double *occ)
{
    memset(occ, 0, (size_t)nlanes * (size_t)ncols * sizeof *occ);
    if (!(t1 > t0) || ncols < 1)
        return;
    double w = (t1 - t0) / ncols;
    for (int64_t i = 0; i < n; i++) {
        if (lane[i] < 0 || lane[i] >= nlanes || !(done[i] >= start[i]) || start[i] > t1 || done[i] < t0)
            continue;
        double s = fmax(start[i], t0), d = fmin(done[i], t1);
        /* Busy time over column width is the share; reuse spread with
         * amount = duration so that rate = 1. */
        if (d > s)
            spread(occ + (size_t)lane[i] * (size_t)ncols, ncols, t0, w, s, d, (d - s) / w);
    }
}

int cb_lane_groups(int nwriters, int max_lanes, int32_t *lane_of_writer)
{
    if (nwriters <= 0)
        return 0;
    int lanes = nwriters < max_lanes ? nwriters : max_lanes;
    for (int i = 0; i < nwriters; i++)
        lane_of_writer[i] = (int32_t)((int64_t)i * lanes / nwriters);
    return lanes;
}

/* ---- chunk grid ---- */

static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

/* Cell extent along one side: the largest task extent, enlarged so that the
 * side has at most max_side cells. */
static int64_t cell_extent(int64_t shape, const int32_t *ext, int64_t n, int max_side)
{
    int64_t e = 1;
    for (int64_t i = 0; i < n; i++)
        if (ext[i] > e)
            e = ext[i];
    if (e > shape)
        e = shape;
    if (ceil_div(shape, e) > max_side)
        e = ceil_div(shape, max_side);
    return e;
}

/* Add task i to every cell it overlaps. */
static void grid_add(cb_grid *g, int64_t *count, int32_t x, int32_t y, int32_t nrow, int32_t ncol, double value,
                     int complete)
{
    int r0 = (int)(x / g->cell_r), c0 = (int)(y / g->cell_c);
    int r1 = (int)(((int64_t)x + nrow - 1) / g->cell_r), c1 = (int)(((int64_t)y + ncol - 1) / g->cell_c);
    r1 = r1 < g->rows ? r1 : g->rows - 1;
    c1 = c1 < g->cols ? c1 : g->cols - 1;
    for (int r = r0; r <= r1; r++)
        for (int c = c0; c <= c1; c++) {
            size_t k = (size_t)r * (size_t)g->cols + (size_t)c;
            if (complete) {
                g->value[k] += value;
                count[k]++;
            } else {
                g->incomplete[k] = 1;
            }
        }
}

int cb_grid_build(int64_t shape_r, int64_t shape_c, const int32_t *x, const int32_t *y, const int32_t *nrow,
                  const int32_t *ncol, const double *value, const unsigned char *complete, int64_t n, int max_side,
                  cb_grid *g)
{
    memset(g, 0, sizeof *g);
    if (shape_r < 1 || shape_c < 1 || max_side < 1)
        return -1;
    g->cell_r = cell_extent(shape_r, nrow, n, max_side);
    g->cell_c = cell_extent(shape_c, ncol, n, max_side);
    g->rows = (int)ceil_div(shape_r, g->cell_r);
    g->cols = (int)ceil_div(shape_c, g->cell_c);
    size_t cells = (size_t)g->rows * (size_t)g->cols;
    g->value = calloc(cells, sizeof *g->value);
    g->incomplete = calloc(cells, 1);
    int64_t *count = calloc(cells, sizeof *count);
    if (!g->value || !g->incomplete || !count) {
        free(count);
        cb_grid_free(g);
        return -1;
    }
    for (int64_t i = 0; i < n; i++)
        if (nrow[i] >= 1 && ncol[i] >= 1 && x[i] >= 0 && y[i] >= 0 && x[i] < shape_r && y[i] < shape_c)
            grid_add(g, count, x[i], y[i], nrow[i], ncol[i], value[i], complete[i]);
    for (size_t k = 0; k < cells; k++)
        g->value[k] = count[k] ? g->value[k] / (double)count[k] : NAN;
    free(count);
    return 0;
}

void cb_grid_free(cb_grid *g)
{
    free(g->value);
    free(g->incomplete);
    g->value = NULL;
    g->incomplete = NULL;
}

int cb_ratio_grid_build(const int64_t grid[2], const int64_t chunk[2], const int64_t shape[2], int elem_size,
                        const double *stored, int max_side, cb_ratio_grid *g)
{
    memset(g, 0, sizeof *g);
    for (int d = 0; d < 2; d++)
        if (grid[d] < 1 || chunk[d] < 1 || shape[d] < 1 || ceil_div(shape[d], chunk[d]) != grid[d])
            return -1;
    if (max_side < 1 || elem_size < 1)
        return -1;
    g->group_r = ceil_div(grid[0], max_side);
    g->group_c = ceil_div(grid[1], max_side);
    g->rows = (int)ceil_div(grid[0], g->group_r);
    g->cols = (int)ceil_div(grid[1], g->group_c);
    size_t cells = (size_t)g->rows * (size_t)g->cols;
    g->stored = calloc(cells, sizeof *g->stored);
    g->logical = calloc(cells, sizeof *g->logical);
    if (!g->stored || !g->logical) {
        cb_ratio_grid_free(g);
        return -1;
    }
    for (int64_t i = 0; i < grid[0]; i++)
        for (int64_t j = 0; j < grid[1]; j++) {
            size_t k = (size_t)(i / g->group_r) * (size_t)g->cols + (size_t)(j / g->group_c);
            int64_t er = shape[0] - i * chunk[0] < chunk[0] ? shape[0] - i * chunk[0] : chunk[0];
            int64_t ec = shape[1] - j * chunk[1] < chunk[1] ? shape[1] - j * chunk[1] : chunk[1];
            g->stored[k] += stored[i * grid[1] + j];
            g->logical[k] += (double)(er * ec * elem_size);
        }
    return 0;
}

void cb_ratio_grid_free(cb_ratio_grid *g)
{
    free(g->stored);
    free(g->logical);
    g->stored = g->logical = NULL;
}

/* ---- colour ---- */

cb_rgb cb_viridis(double t)
{
    /* matplotlib's viridis at 0, 0.1, ..., 1. */
    static const unsigned char stops[11][3] = {
        {0x44, 0x01, 0x54}, {0x48, 0x24, 0x75}, {0x41, 0x44, 0x87}, {0x35, 0x5f, 0x8d},
        {0x2a, 0x78, 0x8e}, {0x21, 0x91, 0x8c}, {0x22, 0xa8, 0x84}, {0x44, 0xbf, 0x70},
        {0x7a, 0xd1, 0x51}, {0xbd, 0xdf, 0x26}, {0xfd, 0xe7, 0x25},
    };
    if (!(t > 0))
        t = 0;
    if (t > 1)
        t = 1;
    double p = t * 10;
    int i = (int)p < 10 ? (int)p : 9;
    double f = p - i;
    cb_rgb c;
    c.r = (unsigned char)lround(stops[i][0] + f * (stops[i + 1][0] - stops[i][0]));
    c.g = (unsigned char)lround(stops[i][1] + f * (stops[i + 1][1] - stops[i][1]));
    c.b = (unsigned char)lround(stops[i][2] + f * (stops[i + 1][2] - stops[i][2]));
    return c;
}

int cb_quantize(double t, int levels)
{
    if (!(t > 0))
        return 0;
    if (t >= 1)
        return levels - 1;
    int q = (int)(t * levels);
    return q >= levels ? levels - 1 : q;
}
