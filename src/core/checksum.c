#include "core/checksum.h"

#include <stddef.h>
#include <string.h>

/* An element's first nb bytes as a little-endian integer: one load (memcpy,
 * nb a constant once inlined), swapped on a big-endian host. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define CB_FROM_LE(w) __builtin_bswap64(w) /* the nb bytes copied were the high ones */
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CB_FROM_LE(w) (w)
#else
#error "checksum.c: unknown byte order (__BYTE_ORDER__)"
#endif

/* Inlined into each case below, so es and nb are constants and the inner
 * loop is a load, a multiply and an add (it runs over every value read). */
static inline __attribute__((always_inline)) uint64_t
sum_block(const unsigned char *p, int es, int nb, int64_t nrow, int64_t ncol, int64_t x, int64_t y, int64_t width)
{
    uint64_t sum = 0;
    for (int64_t i = 0; i < nrow; i++) {
        uint64_t odd = 2 * ((uint64_t)(x + i) * (uint64_t)width + (uint64_t)y) + 1; /* 2g+1 */
        for (int64_t j = 0; j < ncol; j++, odd += 2, p += es) {
            uint64_t w = 0;
            memcpy(&w, p, (size_t)nb);
            sum += CB_FROM_LE(w) * odd;
        }
    }
    return sum;
}

uint64_t cb_checksum_block(const void *buf, int es, int64_t nrow, int64_t ncol, int64_t x, int64_t y, int64_t width)
{
    const unsigned char *p = buf;
    switch (es) {
    case 1: return sum_block(p, 1, 1, nrow, ncol, x, y, width);
    case 2: return sum_block(p, 2, 2, nrow, ncol, x, y, width);
    case 4: return sum_block(p, 4, 4, nrow, ncol, x, y, width);
    case 8: return sum_block(p, 8, 8, nrow, ncol, x, y, width);
    default: /* other sizes (compounds, strings): the first 8 bytes of a longer one */
        return sum_block(p, es, es < 8 ? es : 8, nrow, ncol, x, y, width);
    }
}
