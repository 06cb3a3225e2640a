/* The numbers behind the HTML report's pictures: scales, "nice" axis ticks,
 * histogram and time bins, timeline occupancy, the chunk-grid heat map and
 * its colours. Pure functions (no I/O, no globals) so tests can check them. */
#ifndef CHUNKBENCH_PLOTDATA_H
#define CHUNKBENCH_PLOTDATA_H

#include <stddef.h>
#include <stdint.h>

/* ---- scales and ticks ---- */

/* Maps domain [d0, d1] onto range [r0, r1], linearly or by log10 (log: the
 * domain must be > 0). A flat domain maps everything to r0. */
typedef struct cb_scale {
    double d0, d1, r0, r1;
    int log;
} cb_scale;

double cb_scale_map(const cb_scale *s, double v);

/* 1, 2 or 5 x 10^k: the smallest such step that covers span in at most
 * max_ticks ticks (max_ticks >= 2). */
double cb_nice_step(double span, int max_ticks);

/* Widen [*lo, *hi] outwards to multiples of the nice step, so that the axis
 * ends on a tick; a flat or empty range becomes [lo, lo + 1]. */
void cb_nice_domain(double *lo, double *hi, int max_ticks);

/* Ticks: multiples of cb_nice_step within [lo, hi], ascending; returns how
 * many were written (at most cap), and the step through step_out if given. */
int cb_nice_ticks(double lo, double hi, int max_ticks, double *ticks, int cap, double *step_out);

/* Log-axis ticks within [lo, hi] (lo > 0): powers of ten, plus 2x and 5x
 * when the range spans less than three decades. */
int cb_log_ticks(double lo, double hi, double *ticks, int cap);

/* Digits after the point that tick labels spaced by step need. */
int cb_tick_decimals(double step);

/* Print v with the decimals step needs ("-0" printed as "0"). */
void cb_fmt_tick(char *buf, size_t size, double v, double step);

/* A unit for durations of about span seconds: s, ms or us. */
typedef struct cb_time_unit {
    double factor; /* multiply seconds by this */
    const char *name;
} cb_time_unit;

cb_time_unit cb_time_unit_for(double span_s);

/* ---- order ---- */

/* strcmp, except that runs of digits compare as numbers: "r2@n" < "r10@n".
 * Writers are named r<rank>@host, so lanes follow the ranks. */
int cb_natural_cmp(const char *a, const char *b);

/* ---- bins ---- */

/* A bin count for n values: about sqrt(n), clamped to [lo, hi]. */
int cb_pick_bins(int64_t n, int lo, int hi);

/* nbins + 1 edges from lo to hi, evenly spaced or evenly in log10 (lo > 0). */
void cb_bin_edges(double lo, double hi, int nbins, int log, double *edges);

/* The bin of v: edges[i] <= v < edges[i+1], the last bin closed; -1 outside. */
int cb_bin_index(const double *edges, int nbins, double v);

/* counts[nbins] = how many v fall in each bin (values outside are dropped). */
void cb_histogram(const double *v, int64_t n, const double *edges, int nbins, int64_t *counts);

/* Write rate over time: each task's bytes spread evenly over [start, done]
 * (all in one bin when done == start), summed per time bin of [t0, t1],
 * as MB/s (1e6 bytes). Tasks with done < start or outside are skipped. */
void cb_throughput_bins(const double *start, const double *done, const double *bytes, int64_t n, double t0,
                        double t1, int nbins, double *mbps);

/* ---- byte ranges ---- */

/* The read pattern cut into columns: [lo, hi) in ncols equal columns, and
 * counts[c * ncols + k] = how many requests of class c (cls[i], 0..nclass-1)
 * touch column k with their bytes [off, off + size). A request of no bytes
 * touches the column of off; requests outside [lo, hi) or of another class
 * are skipped; counts is zeroed first. */
void cb_range_cover(const double *off, const double *size, const int *cls, int64_t n, int nclass, double lo,
                    double hi, int ncols, int64_t *counts);

/* ---- timeline ---- */

/* 1 when a timeline of these tasks should be drawn as occupancy rather than
 * bars: more than max_bars tasks, or the median bar narrower than a pixel.
 * Tasks with done <= start or start <= 0 do not count towards the median. */
int cb_timeline_aggregate(const double *start, const double *done, int64_t n, double px_per_s, int64_t max_bars);

/* occ[lane * ncols + c] += the share of column c of [t0, t1] that each task
 * of that lane covers (lane < 0 or >= nlanes: skipped). Overlapping tasks add
 * up, so a lane that groups k writers can reach k; occ is zeroed first. */
void cb_lane_occupancy(const double *start, const double *done, const int32_t *lane, int64_t n, int nlanes,
                       double t0, double t1, int ncols, double *occ);

/* Lane of each of nwriters writers when at most max_lanes fit: writers in
 * order, grouped evenly. Returns the number of lanes. */
int cb_lane_groups(int nwriters, int max_lanes, int32_t *lane_of_writer);

/* ---- chunk grid ---- */

/* The dataset cut into rows x cols cells of cell_r x cell_c elements (the
 * largest task extent, enlarged so neither side exceeds max_side). value is
 * the mean of the values of the complete tasks overlapping a cell (NAN when
 * none); incomplete is 1 where some overlapping task is not complete. */
typedef struct cb_grid {
    int rows, cols;
    int64_t cell_r, cell_c;
    double *value;          /* rows * cols, row-major */
    unsigned char *incomplete; /* rows * cols */
} cb_grid;

/* Tasks: x (row offset), y (column offset), nrow, ncol, value, complete flag.
 * Returns 0, or -1 when out of memory or the shape is empty. */
int cb_grid_build(int64_t shape_r, int64_t shape_c, const int32_t *x, const int32_t *y, const int32_t *nrow,
                  const int32_t *ncol, const double *value, const unsigned char *complete, int64_t n, int max_side,
                  cb_grid *g);
void cb_grid_free(cb_grid *g);

/* Per-chunk stored sizes (grid_r x grid_c chunks of chunk_r x chunk_c
 * elements, row-major) merged into at most max_side cells a side, each of
 * group_r x group_c chunks: stored is a cell's summed stored bytes, logical
 * the bytes of the dataset's elements in it (edge chunks cut to the shape).
 * Returns 0, or -1 when out of memory or the sizes do not fit together. */
typedef struct cb_ratio_grid {
    int rows, cols;
    int64_t group_r, group_c;
    double *stored, *logical; /* rows * cols, row-major */
} cb_ratio_grid;
int cb_ratio_grid_build(const int64_t grid[2], const int64_t chunk[2], const int64_t shape[2], int elem_size,
                        const double *stored, int max_side, cb_ratio_grid *g);
void cb_ratio_grid_free(cb_ratio_grid *g);

/* ---- colour ---- */

typedef struct cb_rgb {
    unsigned char r, g, b;
} cb_rgb;

/* Viridis, t in [0, 1] (clamped): dark blue-violet to yellow, with lightness
 * rising steadily so it still reads in grey-scale print. */
cb_rgb cb_viridis(double t);

/* Level 0 .. levels-1 of t in [0, 1] (clamped; NAN gives 0). */
int cb_quantize(double t, int levels);

#endif
