/* Read caches over a remote file that behave as fsspec's cache types do, so
 * chunkbench's curl driver compares with h5py + fsspec type for type. The
 * bytes come from a fetch function (one call, one ranged request), so the
 * logic is tested on its own with a fake one.
 *   none       every read is its own request, except inside the file's first
 *              prefix bytes (0: none): those are fetched by the first read that
 *              touches them, in one request with the rest of that read, and
 *              kept (the caller's reason: HDF5's reads at open)
 *   readahead  one buffer: a read that misses fetches itself plus block bytes
 *              after it; a read partly in the buffer fetches only the rest
 *   blockcache fixed blocks aligned to block, the least recently used of at
 *              most max_blocks evicted; a read fetches the whole blocks it
 *              touches, adjacent missing blocks in one request
 *   first      the first block kept for ever (fetched with the first read
 *              that touches it), the rest uncached
 *   all        the whole file in one request, at the first read */
#ifndef CHUNKBENCH_RANGECACHE_H
#define CHUNKBENCH_RANGECACHE_H

#include <stdint.h>

#include "core/error.h"
#include "core/modes.h"

/* Fetch [offset, offset + size) into buf; all of it or -1 with err set.
 * fresh: buf was just allocated (its pages may not be mapped in yet), as a
 * new block or buffer is; 0 for memory the cache refills or the caller's. */
typedef int (*cb_fetch_fn)(void *ctx, int64_t offset, int64_t size, void *buf, int fresh, cb_err *err);

/* fsspec's BlockCache default maxblocks. */
#define CB_RCACHE_MAX_BLOCKS 32

typedef struct cb_rblock {
    int64_t index; /* block number; -1: slot empty */
    uint64_t used; /* LRU stamp */
    unsigned char *data;
} cb_rblock;

typedef struct cb_rcache {
    cb_http_cache type;
    int64_t block, size; /* block size; file size */
    cb_fetch_fn fetch;
    void *ctx;
    int64_t prefix; /* none: the bytes at the file's start kept */
    /* readahead and all: one buffer at [start, start + len); first: block 0; none: the prefix */
    unsigned char *buf;
    int64_t start, len;
    int64_t cap; /* readahead: buf's size (refilled in place, grown when short) */
    /* blockcache */
    cb_rblock *blocks;
    int nblocks;
    uint64_t clock;
    int64_t hits, misses; /* reads served wholly from the cache, or not */
} cb_rcache;

/* block > 0; max_blocks >= 1 (blockcache only); prefix >= 0 (none only). */
int cb_rcache_init(cb_rcache *c, cb_http_cache type, int64_t block, int max_blocks, int64_t prefix,
                   int64_t file_size, cb_fetch_fn fetch, void *ctx, cb_err *err);
/* Bytes [offset, offset + size) of the file; a read past the end is refused. */
int cb_rcache_read(cb_rcache *c, int64_t offset, int64_t size, void *buf, cb_err *err);
void cb_rcache_free(cb_rcache *c);

#endif
