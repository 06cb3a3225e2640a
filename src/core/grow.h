/* Growable arrays: the one realloc-doubling step every list of records uses. */
#ifndef CHUNKBENCH_GROW_H
#define CHUNKBENCH_GROW_H

#include <stdint.h>
#include <stdlib.h>

/* Room for `need` elements of `elem` bytes in p, whose capacity is *cap:
 * p itself when it has room, else a block twice as large (at least `first`
 * and `need` elements) holding p's contents, with *cap updated. NULL when
 * memory runs out: p and *cap are then unchanged and p is still valid. */
static inline void *cb_grow(void *p, int64_t *cap, int64_t need, size_t elem, int64_t first)
{
    if (need <= *cap)
        return p;
    int64_t n = *cap ? 2 * *cap : first;
    if (n < need)
        n = need;
    void *q = realloc(p, (size_t)n * elem);
    if (q)
        *cap = n;
    return q;
}

#endif
