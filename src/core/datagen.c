#include "core/datagen.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64's finaliser: cheap (a few ns) and well mixed, so generating a
 * 4 MB chunk costs well under the time to write it. */
static inline uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t cb_value_hash(uint64_t seed, uint64_t i, uint64_t j)
{
    return mix(seed * 0xd1b54a32d192ed03ULL + ((i << 32) | j) + 0x9e3779b97f4a7c15ULL);
}

static inline double as_f8(uint64_t h) { return (double)(h >> 11) * 0x1.0p-53; }
static inline float as_f4(uint64_t h) { return (float)(h >> 40) * 0x1.0p-24f; }

/* The same values, 4-6x faster where the CPU has AVX-512 (vpmullq, vcvtuqq2pd):
 * a vectorised clone chosen at load time, the scalar one elsewhere. Generating
 * values was 40% of a write pass's CPU before (bench/RESULTS.md). */
__attribute__((target_clones("arch=x86-64-v4", "default"), optimize("tree-vectorize", "vect-cost-model=dynamic")))
static void fill_uniform(const cb_task *t, int elem_size, uint64_t seed, void *buf)
{
    for (int64_t r = 0; r < t->nrow; r++) {
        uint64_t i = (uint64_t)(t->x + r);
        if (elem_size == 8) {
            double *row = (double *)buf + r * t->ncol;
            for (int64_t c = 0; c < t->ncol; c++)
                row[c] = as_f8(cb_value_hash(seed, i, (uint64_t)(t->y + c)));
        } else {
            float *row = (float *)buf + r * t->ncol;
            for (int64_t c = 0; c < t->ncol; c++)
                row[c] = as_f4(cb_value_hash(seed, i, (uint64_t)(t->y + c)));
        }
    }
}

/* |(x mod 2p) - p| for p a power of two: an integer triangle wave of period
 * 2p in [0, p]. */
static inline int64_t tri(uint64_t x, uint64_t p) { return llabs((int64_t)(x & (2 * p - 1)) - (int64_t)p); }

/* smooth: S = tri(i,512)*2^18 + tri(j,1024)*2^17 + tri(i+2j,128)*2^17 + (h >> 56)
 * is an integer below 2^29, so S * 2^-29 is exact; f4 rounds that double once.
 * Only integer steps and exact conversions: numpy gets the same bits. */
static inline double smooth_f8(uint64_t seed, uint64_t i, uint64_t j)
{
    int64_t s = tri(i, 512) * (1 << 18) + tri(j, 1024) * (1 << 17) + tri(i + 2 * j, 128) * (1 << 17) +
                (int64_t)(cb_value_hash(seed, i, j) >> 56);
    return (double)s * 0x1.0p-29;
}

/* repeat: a second finaliser pass over the value's hash picks the elements
 * (independent of the bits the value uses), 0.0 for those below threshold. */
static inline double repeat_f8(uint64_t seed, uint64_t i, uint64_t j, uint64_t thr)
{
    uint64_t h = cb_value_hash(seed, i, j);
    return (mix(h) >> 32) < thr ? 0.0 : as_f8(h);
}

static inline float repeat_f4(uint64_t seed, uint64_t i, uint64_t j, uint64_t thr)
{
    uint64_t h = cb_value_hash(seed, i, j);
    return (mix(h) >> 32) < thr ? 0.0f : as_f4(h);
}

__attribute__((target_clones("arch=x86-64-v4", "default"), optimize("tree-vectorize", "vect-cost-model=dynamic")))
static void fill_other(const cb_task *t, int elem_size, uint64_t seed, const cb_values *v, void *buf)
{
    for (int64_t r = 0; r < t->nrow; r++) {
        uint64_t i = (uint64_t)(t->x + r);
        double *d = (double *)buf + r * t->ncol;
        float *f = (float *)buf + r * t->ncol;
        if (v->kind == CB_VALUES_SMOOTH && elem_size == 8)
            for (int64_t c = 0; c < t->ncol; c++)
                d[c] = smooth_f8(seed, i, (uint64_t)(t->y + c));
        else if (v->kind == CB_VALUES_SMOOTH)
            for (int64_t c = 0; c < t->ncol; c++)
                f[c] = (float)smooth_f8(seed, i, (uint64_t)(t->y + c));
        else if (elem_size == 8)
            for (int64_t c = 0; c < t->ncol; c++)
                d[c] = repeat_f8(seed, i, (uint64_t)(t->y + c), v->threshold);
        else
            for (int64_t c = 0; c < t->ncol; c++)
                f[c] = repeat_f4(seed, i, (uint64_t)(t->y + c), v->threshold);
    }
}

void cb_fill(const cb_task *t, int elem_size, uint64_t seed, const cb_values *v, void *buf)
{
    if (v->kind == CB_VALUES_UNIFORM)
        fill_uniform(t, elem_size, seed, buf);
    else if (v->kind == CB_VALUES_ZEROS) /* all bits zero is 0.0 in IEEE 754 */
        memset(buf, 0, (size_t)t->nrow * (size_t)t->ncol * (size_t)elem_size);
    else
        fill_other(t, elem_size, seed, v, buf);
}

int cb_values_parse(const char *s, cb_values *v)
{
    *v = (cb_values){.kind = CB_VALUES_UNIFORM};
    if (!*s || !strcmp(s, "uniform"))
        return 0;
    if (!strcmp(s, "smooth")) {
        v->kind = CB_VALUES_SMOOTH;
        return 0;
    }
    if (!strcmp(s, "zeros")) {
        v->kind = CB_VALUES_ZEROS;
        return 0;
    }
    if (strncmp(s, "repeat:", 7))
        return -1;
    const char *num = s + 7;
    /* A plain decimal only (no blanks, hex, inf or nan), as numpy reads it back. */
    if (!(isdigit((unsigned char)num[0]) || (num[0] == '.' && isdigit((unsigned char)num[1]))))
        return -1;
    for (const char *p = num; *p; p++)
        if (!isdigit((unsigned char)*p) && !strchr(".eE+-", *p))
            return -1;
    char *end;
    double f = strtod(num, &end);
    if (*end || !(f >= 0 && f <= 1))
        return -1;
    v->kind = CB_VALUES_REPEAT;
    v->fraction = f;
    v->threshold = (uint64_t)(f * 0x1.0p32); /* exact product, truncated: floor */
    return 0;
}

void cb_values_name(const cb_values *v, char *buf, size_t cap)
{
    static const char *const names[] = {"uniform", "smooth", "repeat", "zeros"};
    if (v->kind != CB_VALUES_REPEAT) {
        snprintf(buf, cap, "%s", names[v->kind]);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "repeat:%.*g", prec, v->fraction);
        if (strtod(buf + 7, NULL) == v->fraction)
            return;
    }
}

int64_t cb_check(const cb_task *t, int elem_size, uint64_t seed, const cb_values *v, const void *buf,
                 int64_t *bad_i, int64_t *bad_j)
{
    /* Regenerate one row at a time with the fast cb_fill, compare whole rows,
     * and look element by element only in rows that differ. */
    size_t rowb = (size_t)t->ncol * (size_t)elem_size;
    unsigned char *want = malloc(rowb ? rowb : 1);
    if (!want)
        return -1;
    int64_t bad = 0;
    const unsigned char *p = buf;
    for (int64_t r = 0; r < t->nrow; r++, p += rowb) {
        cb_task row = {.x = (int32_t)(t->x + r), .y = t->y, .nrow = 1, .ncol = t->ncol};
        cb_fill(&row, elem_size, seed, v, want);
        if (!memcmp(p, want, rowb))
            continue;
        for (int64_t c = 0; c < t->ncol; c++) {
            size_t off = (size_t)c * (size_t)elem_size;
            if (memcmp(p + off, want + off, (size_t)elem_size) && bad++ == 0) {
                *bad_i = t->x + r;
                *bad_j = t->y + c;
            }
        }
    }
    free(want);
    return bad;
}
