#include "core/datagen.h"

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
void cb_fill(const cb_task *t, int elem_size, uint64_t seed, void *buf)
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

int64_t cb_check(const cb_task *t, int elem_size, uint64_t seed, const void *buf,
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
        cb_fill(&row, elem_size, seed, want);
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
