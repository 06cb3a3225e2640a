#include "core/pattern.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"

#define DEFAULT_POINT_GROUP 64

const char *cb_pattern_kind_name(cb_pattern_kind k)
{
    static const char *n[] = {"none", "random", "stride", "points"};
    return n[k];
}

/* A non-negative decimal at *s; advances *s. -1: none there. */
static int64_t number(const char **s)
{
    if (!isdigit((unsigned char)**s))
        return -1;
    errno = 0;
    char *end;
    long long v = strtoll(*s, &end, 10);
    if (errno || v > INT32_MAX)
        return -1;
    *s = end;
    return v;
}

/* One numpy slice "A:B:C" (each part may be empty; "A" alone is A:A+1). */
static int slice(const char **s, int64_t *lo, int64_t *hi, int64_t *step)
{
    *lo = *hi = -1;
    *step = 1;
    if (**s != ':' && (*lo = number(s)) < 0)
        return -1;
    if (**s != ':') {
        *hi = *lo + 1;
        return 0;
    }
    (*s)++;
    if (**s && **s != ':' && **s != ',' && (*hi = number(s)) < 0)
        return -1;
    if (**s != ':')
        return 0;
    (*s)++;
    if (**s && **s != ',' && (*step = number(s)) < 1)
        return -1;
    return 0;
}

#define SYNTAX "use random:ROWSxCOLS, stride:R0:R1:SR,C0:C1:SC (numpy slices) or points:N|FILE"

int cb_pattern_parse(const char *s, cb_pattern_spec *p, cb_err *err)
{
    memset(p, 0, sizeof *p);
    const char *a;
    if (!strncmp(s, "random:", 7)) {
        a = s + 7;
        p->kind = CB_PAT_RANDOM;
        if ((p->box[0] = number(&a)) < 1 || (*a != 'x' && *a != 'X') || (++a, (p->box[1] = number(&a)) < 1) || *a)
            return cb_fail(err, CB_EUSAGE, "--pattern %s: random takes a box shape ROWSxCOLS of positive integers, e.g. random:16x16", s);
        return 0;
    }
    if (!strncmp(s, "stride:", 7)) {
        a = s + 7;
        p->kind = CB_PAT_STRIDE;
        if (slice(&a, &p->lo[0], &p->hi[0], &p->step[0]) < 0 || *a++ != ',' ||
            slice(&a, &p->lo[1], &p->hi[1], &p->step[1]) < 0 || *a)
            return cb_fail(err, CB_EUSAGE, "--pattern %s: stride takes two numpy slices START:STOP:STEP (parts may be left out, STEP >= 1), e.g. stride:0:1000:10,::4", s);
        for (int d = 0; d < 2; d++)
            if (p->lo[d] >= 0 && p->hi[d] >= 0 && p->hi[d] <= p->lo[d])
                return cb_fail(err, CB_EUSAGE, "--pattern %s: slice %d selects nothing (STOP must be above START)", s, d + 1);
        return 0;
    }
    if (!strncmp(s, "points:", 7)) {
        a = s + 7;
        p->kind = CB_PAT_POINTS;
        if (!*a)
            return cb_fail(err, CB_EUSAGE, "--pattern points: give a count of random points (points:1000) or a file of \"row col\" lines (points:FILE)");
        const char *b = a;
        int64_t n = number(&b);
        if (n >= 0 && !*b) {
            if (n < 1)
                return cb_fail(err, CB_EUSAGE, "--pattern %s: give at least one point", s);
            p->npoints = n;
        } else {
            p->file = a; /* a name that is all digits is a count: write ./NAME for a file */
        }
        return 0;
    }
    return cb_fail(err, CB_EUSAGE, "--pattern %s: unknown pattern; " SYNTAX, s);
}

/* splitmix64 (README "read" gives it, the tests recompute it). */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int push_point(cb_pattern *out, int64_t *cap, int64_t r, int64_t c)
{
    int64_t *v = cb_grow(out->points, cap, 2 * (out->npoints + 1), sizeof *v, 1024);
    if (!v)
        return -1;
    out->points = v;
    v[2 * out->npoints] = r;
    v[2 * out->npoints + 1] = c;
    out->npoints++;
    return 0;
}

static int load_points(const char *path, const cb_layout *lay, cb_pattern *out, cb_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return cb_fail(err, CB_EUSAGE, "--pattern points:%s: cannot open the file (%s); give a file of \"row col\" lines", path,
                       strerror(errno));
    char line[256];
    int64_t cap = 0, lineno = 0;
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        char *s = line;
        while (isspace((unsigned char)*s))
            s++;
        if (!*s || *s == '#')
            continue;
        char *e1, *e2;
        errno = 0;
        long long r = strtoll(s, &e1, 10), c = e1 != s ? strtoll(e1, &e2, 10) : 0;
        if (e1 == s || e2 == e1 || errno) {
            rc = cb_fail(err, CB_EUSAGE, "--pattern points:%s: line %lld is not \"row col\"; give two integers a line",
                         path, (long long)lineno);
            break;
        }
        while (isspace((unsigned char)*e2))
            e2++;
        if (*e2 && *e2 != '#')
            rc = cb_fail(err, CB_EUSAGE, "--pattern points:%s: line %lld has more than \"row col\"; give two integers a line",
                         path, (long long)lineno);
        else if (r < 0 || c < 0 || r >= lay->shape[0] || c >= lay->shape[1])
            rc = cb_fail(err, CB_EUSAGE,
                         "--pattern points:%s: point (%lld, %lld) on line %lld is outside the %lld x %lld dataset; give rows 0-%lld and columns 0-%lld",
                         path, r, c, (long long)lineno, (long long)lay->shape[0], (long long)lay->shape[1],
                         (long long)lay->shape[0] - 1, (long long)lay->shape[1] - 1);
        else if (push_point(out, &cap, r, c) < 0)
            rc = cb_fail(err, CB_EIO, "out of memory for the points of %s", path);
    }
    if (rc == 0 && ferror(f))
        rc = cb_fail(err, CB_EUSAGE, "--pattern points:%s: cannot read the file", path);
    fclose(f);
    if (rc == 0 && out->npoints == 0)
        rc = cb_fail(err, CB_EUSAGE, "--pattern points:%s: the file has no points; give \"row col\" lines", path);
    return rc;
}

static int alloc_sels(cb_pattern *out, int64_t n, cb_err *err)
{
    if (!(out->sels = calloc((size_t)(n > 0 ? n : 1), sizeof *out->sels)))
        return cb_fail(err, CB_EIO, "out of memory for %lld selections", (long long)n);
    out->nsels = n;
    return 0;
}

static int make_stride(const cb_pattern_spec *p, const cb_layout *lay, int64_t group, cb_pattern *out, cb_err *err)
{
    int64_t lo[2], hi[2], n[2];
    for (int d = 0; d < 2; d++) {
        lo[d] = p->lo[d] < 0 ? 0 : p->lo[d];
        hi[d] = p->hi[d] < 0 ? lay->shape[d] : p->hi[d];
        if (hi[d] > lay->shape[d] || lo[d] >= lay->shape[d])
            return cb_fail(err, CB_EUSAGE,
                           "--pattern stride: the %s slice %lld:%lld reaches past the dataset's %lld %s; keep it within 0:%lld",
                           d ? "column" : "row", (long long)lo[d], (long long)hi[d], (long long)lay->shape[d],
                           d ? "columns" : "rows", (long long)lay->shape[d]);
        n[d] = (hi[d] - lo[d] + p->step[d] - 1) / p->step[d];
    }
    if (group <= 0)
        group = (lay->chunk[0] + p->step[0] - 1) / p->step[0];
    int64_t ntasks = (n[0] + group - 1) / group;
    if (alloc_sels(out, ntasks, err) < 0)
        return -1;
    for (int64_t k = 0; k < ntasks; k++) {
        cb_sel *s = &out->sels[k];
        s->start[0] = lo[0] + k * group * p->step[0];
        s->start[1] = lo[1];
        s->stride[0] = p->step[0];
        s->stride[1] = p->step[1];
        s->count[0] = n[0] - k * group < group ? n[0] - k * group : group;
        s->count[1] = n[1];
    }
    return 0;
}

int cb_pattern_make(const cb_pattern_spec *p, const cb_layout *lay, int64_t count, int64_t group, uint64_t seed,
                    cb_pattern *out, cb_err *err)
{
    memset(out, 0, sizeof *out);
    uint64_t state = seed;
    int rc = 0;
    if (p->kind == CB_PAT_RANDOM) {
        if (p->box[0] > lay->shape[0] || p->box[1] > lay->shape[1])
            return cb_fail(err, CB_EUSAGE, "--pattern random:%lldx%lld is larger than the %lld x %lld dataset; give a box within it",
                           (long long)p->box[0], (long long)p->box[1], (long long)lay->shape[0], (long long)lay->shape[1]);
        if (alloc_sels(out, count, err) < 0)
            return -1;
        for (int64_t k = 0; k < count; k++) {
            cb_sel *s = &out->sels[k];
            s->start[0] = (int64_t)(next_random(&state) % (uint64_t)(lay->shape[0] - p->box[0] + 1));
            s->start[1] = (int64_t)(next_random(&state) % (uint64_t)(lay->shape[1] - p->box[1] + 1));
            s->stride[0] = s->stride[1] = 1;
            s->count[0] = p->box[0];
            s->count[1] = p->box[1];
        }
        return 0;
    }
    if (p->kind == CB_PAT_STRIDE)
        return make_stride(p, lay, group, out, err);
    if (p->kind != CB_PAT_POINTS)
        return cb_fail(err, CB_EUSAGE, "no --pattern given");
    if (p->file) {
        rc = load_points(p->file, lay, out, err);
    } else {
        int64_t cap = 0;
        for (int64_t k = 0; k < p->npoints && rc == 0; k++) {
            int64_t r = (int64_t)(next_random(&state) % (uint64_t)lay->shape[0]);
            int64_t c = (int64_t)(next_random(&state) % (uint64_t)lay->shape[1]);
            if (push_point(out, &cap, r, c) < 0)
                rc = cb_fail(err, CB_EIO, "out of memory for %lld points", (long long)p->npoints);
        }
    }
    if (group <= 0)
        group = DEFAULT_POINT_GROUP;
    if (rc == 0 && alloc_sels(out, (out->npoints + group - 1) / group, err) < 0)
        rc = -1;
    for (int64_t k = 0; rc == 0 && k < out->nsels; k++) {
        cb_sel *s = &out->sels[k];
        s->npoints = out->npoints - k * group < group ? out->npoints - k * group : group;
        s->points = out->points + 2 * k * group;
        s->start[0] = s->points[0];
        s->start[1] = s->points[1];
    }
    if (rc < 0)
        cb_pattern_free(out);
    return rc;
}

void cb_pattern_free(cb_pattern *p)
{
    free(p->sels);
    free(p->points);
    memset(p, 0, sizeof *p);
}

void cb_sel_task(const cb_sel *s, cb_task *t)
{
    memset(t, 0, sizeof *t);
    t->x = (int32_t)s->start[0];
    t->y = (int32_t)s->start[1];
    t->nrow = (int32_t)(s->npoints ? s->npoints : s->count[0]);
    t->ncol = (int32_t)(s->npoints ? 1 : s->count[1]);
}

int64_t cb_sel_elements(const cb_sel *s)
{
    return s->npoints ? s->npoints : s->count[0] * s->count[1];
}

int64_t cb_sel_check(const cb_sel *s, int elem_size, uint64_t seed, const cb_values *v, const void *buf, int64_t *bad_i,
                     int64_t *bad_j)
{
    if (!s->npoints && s->stride[0] == 1 && s->stride[1] == 1) {
        cb_task t;
        cb_sel_task(s, &t);
        return cb_check(&t, elem_size, seed, v, buf, bad_i, bad_j);
    }
    /* Element by element: the generator is a pure function of (i, j). */
    int64_t n = cb_sel_elements(s), bad = 0;
    const unsigned char *b = buf;
    for (int64_t k = 0; k < n; k++) {
        cb_task one = {.nrow = 1, .ncol = 1};
        if (s->npoints) {
            one.x = (int32_t)s->points[2 * k];
            one.y = (int32_t)s->points[2 * k + 1];
        } else {
            one.x = (int32_t)(s->start[0] + (k / s->count[1]) * s->stride[0]);
            one.y = (int32_t)(s->start[1] + (k % s->count[1]) * s->stride[1]);
        }
        unsigned char want[8];
        cb_fill(&one, elem_size, seed, v, want);
        if (memcmp(want, b + k * elem_size, (size_t)elem_size)) {
            if (!bad++) {
                *bad_i = one.x;
                *bad_j = one.y;
            }
        }
    }
    return bad;
}

double cb_values_sum(const void *buf, int64_t n, int elem_size)
{
    /* One loop a type, the values in order: the sum's rounding is part of
     * what value_sum is, so no reordering into several partial sums. */
    const unsigned char *p = buf;
    double sum = 0;
    if (elem_size == 8) {
        for (int64_t k = 0; k < n; k++, p += 8) {
            double v;
            memcpy(&v, p, sizeof v);
            sum += v;
        }
    } else {
        for (int64_t k = 0; k < n; k++, p += 4) {
            float v;
            memcpy(&v, p, sizeof v);
            sum += (double)v;
        }
    }
    return sum;
}
