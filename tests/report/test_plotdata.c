/* Unit tests of the pure functions behind the report's pictures. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "report/plotdata.h"

static double frand(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (double)((*s >> 8) & 0xFFFFFF) / 0x1000000;
}

static int is_nice(double step)
{
    double m = step / pow(10, floor(log10(step)));
    return fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9;
}

static void test_scale(void)
{
    cb_scale lin = {0, 10, 100, 200, 0};
    CHECK_NEAR(cb_scale_map(&lin, 5), 150, 1e-12);
    CHECK_NEAR(cb_scale_map(&lin, 0), 100, 1e-12);
    cb_scale inv = {0, 10, 300, 100, 0}; /* y axes run upwards */
    CHECK_NEAR(cb_scale_map(&inv, 10), 100, 1e-12);
    cb_scale lg = {1, 1000, 0, 300, 1};
    CHECK_NEAR(cb_scale_map(&lg, 10), 100, 1e-9);
    CHECK_NEAR(cb_scale_map(&lg, 100), 200, 1e-9);
    cb_scale flat = {5, 5, 7, 9, 0};
    CHECK_NEAR(cb_scale_map(&flat, 5), 7, 0);
}

static void test_nice_step(void)
{
    CHECK_NEAR(cb_nice_step(1, 6), 0.2, 1e-15);
    CHECK_NEAR(cb_nice_step(155.6, 10), 20, 1e-12);
    CHECK_NEAR(cb_nice_step(10, 11), 1, 1e-15);
    CHECK_NEAR(cb_nice_step(0.0031, 5), 0.001, 1e-15);
    CHECK_NEAR(cb_nice_step(0, 5), 1, 0);
    CHECK_NEAR(cb_nice_step(NAN, 5), 1, 0);
}

static void test_nice_ticks(void)
{
    double t[32], step;
    int n = cb_nice_ticks(0, 155.6, 10, t, 32, &step);
    CHECK(n == 8);
    CHECK_NEAR(step, 20, 1e-12);
    CHECK_NEAR(t[0], 0, 0);
    CHECK_NEAR(t[7], 140, 1e-9);
    n = cb_nice_ticks(-1, 1, 5, t, 32, &step);
    CHECK(n == 5 && t[2] == 0 && !signbit(t[2]));
    /* Any range: ascending, inside, at most max_ticks, a 1-2-5 step. */
    unsigned seed = 7;
    for (int k = 0; k < 2000; k++) {
        double lo = (frand(&seed) - 0.7) * pow(10, (int)(frand(&seed) * 12) - 6);
        double hi = lo + frand(&seed) * pow(10, (int)(frand(&seed) * 12) - 6) + 1e-9;
        int max = 2 + (int)(frand(&seed) * 10);
        n = cb_nice_ticks(lo, hi, max, t, 32, &step);
        /* A tick is only promised when 0 is inside, as on every axis drawn. */
        int ok = n <= max && is_nice(step) && (n >= 1 || lo > 0 || hi < 0);
        for (int i = 0; i < n; i++)
            ok &= t[i] >= lo - step * 1e-6 && t[i] <= hi + step * 1e-6 && (i == 0 || t[i] > t[i - 1]);
        CHECK(ok);
        if (!ok) {
            fprintf(stderr, "  range [%g, %g] max %d -> %d ticks, step %g\n", lo, hi, max, n, step);
            break;
        }
    }
}

static void test_nice_domain(void)
{
    double lo = 0, hi = 309;
    cb_nice_domain(&lo, &hi, 6);
    CHECK_NEAR(lo, 0, 0);
    CHECK_NEAR(hi, 400, 1e-9);
    lo = 0, hi = 100;
    cb_nice_domain(&lo, &hi, 6);
    CHECK_NEAR(hi, 100, 1e-9); /* already on a tick: unchanged */
    lo = 3, hi = 3;
    cb_nice_domain(&lo, &hi, 6);
    CHECK(lo == 3 && hi == 4);
    lo = 0.0012, hi = 0.0087;
    cb_nice_domain(&lo, &hi, 5);
    CHECK_NEAR(lo, 0, 1e-12);
    CHECK_NEAR(hi, 0.01, 1e-12);
}

static void test_log_ticks(void)
{
    double t[32];
    int n = cb_log_ticks(0.0243, 17.5, t, 32);
    /* Under three decades: 1-2-5 steps. */
    double want[] = {0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10};
    CHECK(n == 8);
    for (int i = 0; i < n && i < 8; i++)
        CHECK_NEAR(t[i], want[i], want[i] * 1e-9);
    n = cb_log_ticks(0.001, 1e6, t, 32);
    CHECK(n == 10); /* 1e-3 .. 1e6, powers only */
    CHECK_NEAR(t[0], 0.001, 1e-15);
    CHECK(cb_log_ticks(0, 10, t, 32) == 0);
    CHECK(cb_log_ticks(1, 1e6, t, 3) == 3); /* capped */
}

static void test_tick_format(void)
{
    CHECK(cb_tick_decimals(0.2) == 1);
    CHECK(cb_tick_decimals(0.05) == 2);
    CHECK(cb_tick_decimals(0.1) == 1);
    CHECK(cb_tick_decimals(20) == 0);
    CHECK(cb_tick_decimals(1) == 0);
    char b[32];
    cb_fmt_tick(b, sizeof b, 0.30000000000000004, 0.1);
    CHECK(!strcmp(b, "0.3"));
    cb_fmt_tick(b, sizeof b, -1e-17, 0.1);
    CHECK(!strcmp(b, "0.0"));
    cb_fmt_tick(b, sizeof b, 140, 20);
    CHECK(!strcmp(b, "140"));
}

static void test_time_unit(void)
{
    CHECK(!strcmp(cb_time_unit_for(0.155).name, "ms") && cb_time_unit_for(0.155).factor == 1e3);
    CHECK(cb_time_unit_for(1e-4).factor == 1e6);
    CHECK(!strcmp(cb_time_unit_for(10).name, "s") && cb_time_unit_for(10).factor == 1);
}

static void test_bins(void)
{
    CHECK(cb_pick_bins(0, 5, 80) == 5);
    CHECK(cb_pick_bins(600, 5, 80) == 25);
    CHECK(cb_pick_bins(100000, 5, 80) == 80);
    double e[5];
    cb_bin_edges(0, 1, 4, 0, e);
    CHECK_NEAR(e[1], 0.25, 1e-15);
    CHECK(e[0] == 0 && e[4] == 1);
    cb_bin_edges(1, 1000, 3, 1, e);
    CHECK_NEAR(e[1], 10, 1e-9);
    CHECK_NEAR(e[2], 100, 1e-9);
    CHECK(e[3] == 1000);
    cb_bin_edges(0, 1, 4, 0, e);
    CHECK(cb_bin_index(e, 4, 0) == 0);
    CHECK(cb_bin_index(e, 4, 0.25) == 1); /* left-closed */
    CHECK(cb_bin_index(e, 4, 0.2499) == 0);
    CHECK(cb_bin_index(e, 4, 1) == 3); /* the last bin is closed */
    CHECK(cb_bin_index(e, 4, 1.0001) == -1);
    CHECK(cb_bin_index(e, 4, -0.1) == -1);
    CHECK(cb_bin_index(e, 4, NAN) == -1);
    double v[] = {0, 0.1, 0.3, 0.5, 0.75, 1, 2, -1};
    int64_t c[4];
    cb_histogram(v, 8, e, 4, c);
    CHECK(c[0] == 2 && c[1] == 1 && c[2] == 1 && c[3] == 2);
}

static void test_throughput(void)
{
    double s[] = {0, 0.5}, d[] = {2, 0.5}, b[] = {2e6, 1e6}, mbps[2];
    cb_throughput_bins(s, d, b, 2, 0, 2, 2, mbps);
    CHECK_NEAR(mbps[0], 2, 1e-12); /* 1 MB spread + 1 MB at an instant, in 1 s */
    CHECK_NEAR(mbps[1], 1, 1e-12);
    double es[] = {2}, ed[] = {2}, eb[] = {1e6}; /* an instant at the very end */
    cb_throughput_bins(es, ed, eb, 1, 0, 2, 2, mbps);
    CHECK(mbps[0] == 0 && mbps[1] == 1);
    double ws[] = {-1e300}, wd[] = {1e300}; /* wild times do not overflow */
    cb_throughput_bins(ws, wd, eb, 1, 0, 2, 2, mbps);
    CHECK(mbps[0] >= 0 && mbps[1] >= 0);
    /* Bytes are conserved for tasks inside [t0, t1]. */
    enum { N = 500, NB = 37 };
    double S[N], D[N], B[N], m[NB], total = 0, got = 0;
    unsigned seed = 3;
    for (int i = 0; i < N; i++) {
        S[i] = 100 + frand(&seed) * 9;
        D[i] = S[i] + frand(&seed);
        B[i] = 1e5 * (1 + frand(&seed));
        total += B[i];
    }
    cb_throughput_bins(S, D, B, N, 100, 110, NB, m);
    for (int k = 0; k < NB; k++)
        got += m[k] * (10.0 / NB) * 1e6;
    CHECK_NEAR(got, total, total * 1e-9);
    /* Pending (0, 0) and in-progress (done < start) tasks add nothing. */
    double ps[] = {0, 105}, pd[] = {0, 0}, pb[] = {1e6, 1e6};
    cb_throughput_bins(ps, pd, pb, 2, 100, 110, NB, m);
    double sum = 0;
    for (int k = 0; k < NB; k++)
        sum += m[k];
    CHECK(sum == 0);
}

static void test_timeline(void)
{
    double s[] = {10, 10.1, 10.2, 0}, d[] = {10.1, 10.2, 10.3, 0};
    CHECK(cb_timeline_aggregate(s, d, 4, 100, 2000) == 0); /* 10 px bars */
    CHECK(cb_timeline_aggregate(s, d, 4, 5, 2000) == 1);   /* half-pixel bars */
    CHECK(cb_timeline_aggregate(s, d, 4, 100, 3) == 1);    /* too many */
    CHECK(cb_timeline_aggregate(s, d, 0, 100, 10) == 0);

    double os[] = {0, 0.125, 0.2}, od[] = {0.5, 0.375, 0.9};
    int32_t lane[] = {0, 1, -1};
    double occ[2 * 4];
    cb_lane_occupancy(os, od, lane, 3, 2, 0, 1, 4, occ);
    double want[] = {1, 1, 0, 0, 0.5, 0.5, 0, 0};
    for (int k = 0; k < 8; k++)
        CHECK_NEAR(occ[k], want[k], 1e-12);

    int32_t g[100];
    int n = cb_lane_groups(100, 48, g);
    CHECK(n == 48 && g[0] == 0 && g[99] == 47);
    int ok = 1, seen[48] = {0};
    for (int i = 0; i < 100; i++) {
        ok &= i == 0 || g[i] >= g[i - 1];
        seen[g[i]] = 1;
    }
    for (int k = 0; k < 48; k++)
        ok &= seen[k];
    CHECK(ok);
    CHECK(cb_lane_groups(4, 48, g) == 4 && g[3] == 3);
}

/* The tasks of a block layout, as cb_tasks_make makes them. */
static int64_t blocks(int64_t R, int64_t C, int64_t cr, int64_t cc, int32_t *x, int32_t *y, int32_t *nr, int32_t *nc)
{
    int64_t n = 0;
    for (int64_t i = 0; i < R; i += cr)
        for (int64_t j = 0; j < C; j += cc, n++) {
            x[n] = (int32_t)i, y[n] = (int32_t)j;
            nr[n] = (int32_t)(cr < R - i ? cr : R - i);
            nc[n] = (int32_t)(cc < C - j ? cc : C - j);
        }
    return n;
}

static void test_grid_blocks(void)
{
    enum { N = 21 * 30 };
    int32_t x[N], y[N], nr[N], nc[N];
    double v[N];
    unsigned char ok[N];
    int64_t n = blocks(2050, 3000, 100, 100, x, y, nr, nc);
    CHECK(n == N);
    for (int64_t i = 0; i < n; i++)
        v[i] = (double)i, ok[i] = i != 5;
    cb_grid g;
    CHECK(cb_grid_build(2050, 3000, x, y, nr, nc, v, ok, n, 200, &g) == 0);
    CHECK(g.rows == 21 && g.cols == 30 && g.cell_r == 100 && g.cell_c == 100);
    CHECK_NEAR(g.value[31], 31, 0);
    CHECK(isnan(g.value[5]) && g.incomplete[5] && !g.incomplete[4]);
    CHECK_NEAR(g.value[20 * 30 + 29], 20 * 30 + 29, 0); /* the cut edge chunk */
    cb_grid_free(&g);
}

static void test_grid_aggregates(void)
{
    /* 100000 row tasks of a 100000 x 4 dataset: 200 cells of 500 rows. */
    enum { N = 100000 };
    int32_t *x = malloc(N * sizeof *x), *y = calloc(N, sizeof *y), *nr = malloc(N * sizeof *nr),
            *nc = malloc(N * sizeof *nc);
    double *v = malloc(N * sizeof *v);
    unsigned char *ok = malloc(N);
    for (int i = 0; i < N; i++)
        x[i] = i, nr[i] = 1, nc[i] = 4, v[i] = i, ok[i] = 1;
    cb_grid g;
    CHECK(cb_grid_build(N, 4, x, y, nr, nc, v, ok, N, 200, &g) == 0);
    CHECK(g.rows == 200 && g.cols == 1 && g.cell_r == 500 && g.cell_c == 4);
    CHECK_NEAR(g.value[0], 249.5, 1e-9); /* mean of 0..499 */
    CHECK_NEAR(g.value[199], 99749.5, 1e-6);
    cb_grid_free(&g);
    /* A huge dataset with few tasks still stays within max_side. */
    int32_t bx = 0, by = 0, bn = 10, bc = 10;
    double bv = 1;
    unsigned char bok = 1;
    CHECK(cb_grid_build(1000000000, 7, &bx, &by, &bn, &bc, &bv, &bok, 1, 200, &g) == 0);
    CHECK(g.rows <= 200 && g.cols == 1);
    cb_grid_free(&g);
    CHECK(cb_grid_build(0, 4, x, y, nr, nc, v, ok, 0, 200, &g) == -1);
    free(x), free(y), free(nr), free(nc), free(v), free(ok);
}

static void test_ratio_grid(void)
{
    /* 5 x 3 chunks of 10 x 20 over 45 x 50 (edge chunks cut to 5 rows, 10
     * columns), merged at most 2 a side: cells of 3 x 2 chunks. */
    int64_t grid[2] = {5, 3}, chunk[2] = {10, 20}, shape[2] = {45, 50};
    double st[15];
    for (int i = 0; i < 15; i++)
        st[i] = i + 1;
    cb_ratio_grid g;
    CHECK(cb_ratio_grid_build(grid, chunk, shape, 8, st, 200, &g) == 0);
    CHECK(g.rows == 5 && g.cols == 3 && g.group_r == 1 && g.group_c == 1);
    CHECK_NEAR(g.stored[14], 15, 0);
    CHECK_NEAR(g.logical[0], 10 * 20 * 8, 0);
    CHECK_NEAR(g.logical[14], 5 * 10 * 8, 0); /* the corner chunk: only its elements count */
    cb_ratio_grid_free(&g);
    CHECK(cb_ratio_grid_build(grid, chunk, shape, 8, st, 2, &g) == 0);
    CHECK(g.rows == 2 && g.cols == 2 && g.group_r == 3 && g.group_c == 2);
    /* cell (0,0): chunks rows 0-2, cols 0-1: 1+2+4+5+7+8 */
    CHECK_NEAR(g.stored[0], 27, 0);
    CHECK_NEAR(g.logical[3], (10 * 10 + 5 * 10) * 8, 0); /* chunks (3,2), (4,2) */
    double total = 0;
    for (int k = 0; k < 4; k++)
        total += g.logical[k];
    CHECK_NEAR(total, 45 * 50 * 8, 0);
    cb_ratio_grid_free(&g);
    int64_t wrong[2] = {4, 3};
    CHECK(cb_ratio_grid_build(wrong, chunk, shape, 8, st, 200, &g) == -1);
}

static double luminance(cb_rgb c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b; }

static void test_colour(void)
{
    cb_rgb a = cb_viridis(0), b = cb_viridis(1), lo = cb_viridis(-3), hi = cb_viridis(9);
    CHECK(a.r == 0x44 && a.g == 0x01 && a.b == 0x54);
    CHECK(b.r == 0xfd && b.g == 0xe7 && b.b == 0x25);
    CHECK(!memcmp(&a, &lo, sizeof a) && !memcmp(&b, &hi, sizeof b));
    /* Grey-scale print keeps the order: lightness rises with t. */
    int ok = 1;
    for (int k = 1; k <= 100; k++)
        ok &= luminance(cb_viridis(k / 100.0)) > luminance(cb_viridis((k - 1) / 100.0));
    CHECK(ok);
    CHECK(cb_quantize(0, 32) == 0);
    CHECK(cb_quantize(1, 32) == 31);
    CHECK(cb_quantize(0.5, 32) == 16);
    CHECK(cb_quantize(NAN, 32) == 0);
    CHECK(cb_quantize(7, 32) == 31);
    CHECK(cb_quantize(1e300, 32) == 31);
}

static void test_range_cover(void)
{
    /* [0, 100) in 10 columns of 10 bytes; classes 0..3. */
    double off[] = {0, 9, 10, 95, 50, 120, 40, 30};
    double size[] = {10, 2, 0, 100, 25, 5, 1, 0};
    int cls[] = {0, 1, 1, 2, 3, 3, 9, 0};
    int64_t c[4 * 10];
    cb_range_cover(off, size, cls, 8, 4, 0, 100, 10, c);
    int64_t want0[10] = {1, 0, 0, 1, 0, 0, 0, 0, 0, 0}; /* [0,10) ends on an edge: column 0 only; 30+0: column 3 */
    int64_t want1[10] = {1, 2, 0, 0, 0, 0, 0, 0, 0, 0}; /* [9,11) spans 0 and 1; 10+0 sits in 1 */
    int64_t want2[10] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1}; /* [95,195) clipped to the last column */
    int64_t want3[10] = {0, 0, 0, 0, 0, 1, 1, 1, 0, 0}; /* [50,75); 120 is outside; class 9 skipped */
    for (int k = 0; k < 10; k++) {
        CHECK(c[k] == want0[k]);
        CHECK(c[10 + k] == want1[k]);
        CHECK(c[20 + k] == want2[k]);
        CHECK(c[30 + k] == want3[k]);
    }
    /* An empty span leaves zeros. */
    cb_range_cover(off, size, cls, 8, 4, 5, 5, 10, c);
    int64_t sum = 0;
    for (int k = 0; k < 40; k++)
        sum += c[k];
    CHECK(sum == 0);
}

static void test_natural_order(void)
{
    CHECK(cb_natural_cmp("r2@n", "r10@n") < 0);
    CHECK(cb_natural_cmp("r10@n", "r2@n") > 0);
    CHECK(cb_natural_cmp("r10@n", "r10@n") == 0);
    CHECK(cb_natural_cmp("r1.99@a", "r1.100@a") < 0);
    CHECK(cb_natural_cmp("r9@b", "r9@a") > 0);
    CHECK(cb_natural_cmp("a", "ab") < 0);
    CHECK(cb_natural_cmp("r01", "r1") != 0 && cb_natural_cmp("r01", "r1") == -cb_natural_cmp("r1", "r01"));
    CHECK(cb_natural_cmp("x99999999999999999999", "x100000000000000000000") < 0); /* longer than any integer */
}

int main(void)
{
    test_natural_order();
    test_range_cover();
    test_scale();
    test_nice_step();
    test_nice_ticks();
    test_nice_domain();
    test_log_ticks();
    test_tick_format();
    test_time_unit();
    test_bins();
    test_throughput();
    test_timeline();
    test_grid_blocks();
    test_grid_aggregates();
    test_ratio_grid();
    test_colour();
    return CHECK_DONE();
}
