/* Large buffers that are filled once and read soon (cache blocks, a fetched
 * range, a whole fetched file), their pages faulted in by one call. */
#ifndef CHUNKBENCH_BIGMEM_H
#define CHUNKBENCH_BIGMEM_H

#include <stddef.h>

/* n bytes (at least 1), released with free(); NULL when out of memory. */
void *cb_big_alloc(size_t n);

#endif
