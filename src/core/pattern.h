/* Sub-chunk read patterns (read --pattern, README "read"): random boxes,
 * a strided slice, point lists. The spec is parsed from the command line;
 * the selections are made from it and the dataset's shape, the same on
 * every rank and run (random positions are a pure function of the seed). */
#ifndef CHUNKBENCH_PATTERN_H
#define CHUNKBENCH_PATTERN_H

#include <stdint.h>

#include "core/datagen.h"
#include "core/error.h"
#include "core/tasks.h"

typedef enum { CB_PAT_NONE = 0, CB_PAT_RANDOM, CB_PAT_STRIDE, CB_PAT_POINTS } cb_pattern_kind;

/* What --pattern said. Slice bounds < 0 are "not given" (numpy's defaults). */
typedef struct cb_pattern_spec {
    cb_pattern_kind kind;
    int64_t box[2];               /* random: ROWSxCOLS */
    int64_t lo[2], hi[2], step[2]; /* stride: R0:R1:SR,C0:C1:SC */
    int64_t npoints;              /* points:N (random points); 0: a file */
    const char *file;             /* points:FILE */
} cb_pattern_spec;

/* "random:ROWSxCOLS", "stride:R0:R1:SR,C0:C1:SC" (numpy slices, parts may be
 * left out), "points:N" or "points:FILE". Only the syntax: shapes are
 * checked against the dataset by cb_pattern_make. */
int cb_pattern_parse(const char *s, cb_pattern_spec *p, cb_err *err);
const char *cb_pattern_kind_name(cb_pattern_kind k);

/* One selection: a hyperslab (start, stride, count; H5Sselect_hyperslab
 * with block 1), or npoints (row, col) pairs (H5Sselect_elements). */
typedef struct cb_sel {
    int64_t start[2], stride[2], count[2];
    int64_t npoints;       /* > 0: a point list, points[2k], points[2k+1] */
    const int64_t *points; /* into the pattern's array */
} cb_sel;

typedef struct cb_pattern {
    cb_sel *sels;
    int64_t nsels;
    int64_t *points; /* every point, in selection order */
    int64_t npoints;
} cb_pattern;

/* The selections of a spec over a dataset of `shape`: count boxes (random),
 * the slice in tasks of `group` selected rows (stride; <= 0: the rows of
 * one chunk's height), the points in tasks of `group` (<= 0: 64). Random
 * positions come from splitmix64 seeded with `seed`. A shape larger than
 * the dataset, a point outside it, a bad file: CB_EUSAGE. */
int cb_pattern_make(const cb_pattern_spec *p, const cb_layout *lay, int64_t count, int64_t group, uint64_t seed,
                    cb_pattern *out, cb_err *err);
void cb_pattern_free(cb_pattern *p);

/* The task standing for a selection: its first element at (x, y), and the
 * shape of its values as read (nrow x ncol; points: npoints x 1). */
void cb_sel_task(const cb_sel *s, cb_task *t);
int64_t cb_sel_elements(const cb_sel *s);

/* Elements of buf (the selection's values, as read) that differ from the
 * generator; the first one's (row, col) to *bad_i, *bad_j. -1: out of memory. */
int64_t cb_sel_check(const cb_sel *s, int elem_size, uint64_t seed, const cb_values *v, const void *buf, int64_t *bad_i,
                     int64_t *bad_j);

/* The sum of n values (f4 or f8) as doubles: the pattern's checksum. */
double cb_values_sum(const void *buf, int64_t n, int elem_size);

#endif
