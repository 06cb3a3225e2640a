#include "chunkbench/datagen.h"

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
    int64_t bad = 0;
    const unsigned char *p = buf;
    for (int64_t r = 0; r < t->nrow; r++) {
        for (int64_t c = 0; c < t->ncol; c++, p += elem_size) {
            uint64_t h = cb_value_hash(seed, (uint64_t)(t->x + r), (uint64_t)(t->y + c));
            int same;
            if (elem_size == 8) {
                double v = as_f8(h);
                same = !memcmp(p, &v, 8);
            } else {
                float v = as_f4(h);
                same = !memcmp(p, &v, 4);
            }
            if (!same && bad++ == 0) {
                *bad_i = t->x + r;
                *bad_j = t->y + c;
            }
        }
    }
    return bad;
}
