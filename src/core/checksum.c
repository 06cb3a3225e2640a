#include "core/checksum.h"

#include <stddef.h>

uint64_t cb_checksum_block(const void *buf, int es, int64_t nrow, int64_t ncol, int64_t x, int64_t y, int64_t width)
{
    const unsigned char *p = buf;
    int nb = es < 8 ? es : 8;
    uint64_t sum = 0;
    for (int64_t i = 0; i < nrow; i++) {
        uint64_t g = (uint64_t)(x + i) * (uint64_t)width + (uint64_t)y;
        for (int64_t j = 0; j < ncol; j++, g++, p += es) {
            uint64_t w = 0;
            for (int b = nb - 1; b >= 0; b--) /* little-endian, whatever the host */
                w = w << 8 | p[b];
            sum += w * (2 * g + 1);
        }
    }
    return sum;
}
