/* Large buffers that are filled once and read soon (cache blocks, a whole
 * fetched file): backed by transparent huge pages where the kernel offers
 * them on request, so a fresh 8 MiB block faults in 4 times, not 2048. */
#ifndef CHUNKBENCH_BIGMEM_H
#define CHUNKBENCH_BIGMEM_H

#include <stddef.h>

/* n bytes (at least 1), released with free(); NULL when out of memory. */
void *cb_big_alloc(size_t n);

#endif
