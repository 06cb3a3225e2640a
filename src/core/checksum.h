/* A checksum of the values a read returned, to compare with what another
 * reader (h5py) finds in the same file: each element's bytes as a
 * little-endian unsigned integer (the first 8 bytes of a longer element),
 * times 2g+1 for its row-major position g in the dataset, summed modulo
 * 2^64. Position-weighted, so swapped or shifted values change it; a sum, so
 * it does not depend on how tasks split the dataset or which rank read what
 * (ranks' sums add). In numpy: (a.view('<uN').astype('u8') * (2*arange+1)).sum(). */
#ifndef CB_CHECKSUM_H
#define CB_CHECKSUM_H
#include <stdint.h>

/* Elements of es bytes, nrow x ncol row-major in buf, at (x, y) of a dataset
 * `width` elements wide. */
uint64_t cb_checksum_block(const void *buf, int es, int64_t nrow, int64_t ncol, int64_t x, int64_t y, int64_t width);

#endif
