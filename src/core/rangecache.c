#include "core/rangecache.h"

#include <stdlib.h>
#include <string.h>

int cb_rcache_init(cb_rcache *c, cb_http_cache type, int64_t block, int max_blocks, int64_t prefix,
                   int64_t file_size, cb_fetch_fn fetch, void *ctx, cb_err *err)
{
    memset(c, 0, sizeof *c);
    if (block <= 0 || max_blocks < 1 || prefix < 0 || file_size < 0)
        return cb_fail(err, CB_EUSAGE, "cache: block size and block count must be positive, the prefix not negative");
    c->type = type;
    c->block = block;
    c->prefix = prefix;
    c->size = file_size;
    c->fetch = fetch;
    c->ctx = ctx;
    if (type == CB_HTTP_CACHE_BLOCK) {
        if (!(c->blocks = calloc((size_t)max_blocks, sizeof *c->blocks)))
            return cb_fail(err, CB_EIO, "out of memory");
        c->nblocks = max_blocks;
        for (int i = 0; i < max_blocks; i++)
            c->blocks[i].index = -1;
    }
    return 0;
}

void cb_rcache_free(cb_rcache *c)
{
    free(c->buf);
    for (int i = 0; i < c->nblocks; i++)
        free(c->blocks[i].data);
    free(c->blocks);
    memset(c, 0, sizeof *c);
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

/* A fresh buffer of n bytes (at least 1, for an empty file) filled from offset. */
static unsigned char *fetch_new(cb_rcache *c, int64_t offset, int64_t n, cb_err *err)
{
    unsigned char *b = malloc(n > 0 ? (size_t)n : 1);
    if (!b) {
        cb_fail(err, CB_EIO, "out of memory for %lld cached bytes", (long long)n);
        return NULL;
    }
    if (n > 0 && c->fetch(c->ctx, offset, n, b, 1, err) < 0) {
        free(b);
        return NULL;
    }
    return b;
}

/* fsspec's ReadAheadCache. A miss refills the one buffer in place: its old
 * bytes are no longer wanted once the tail the read overlaps is copied out,
 * and fresh memory costs a page fault a page, on this kind of VM about as
 * much as the transfer (a new 8-9 MiB buffer a miss, 7 misses: 60 MB of
 * fresh pages for a 3 MB read of the ATL06-like files). It grows only when a miss needs more. */
static int read_ahead(cb_rcache *c, int64_t off, int64_t end, unsigned char *out, cb_err *err)
{
    int64_t bend = c->start + c->len;
    if (c->buf && off >= c->start && end <= bend) {
        memcpy(out, c->buf + (off - c->start), (size_t)(end - off));
        c->hits++;
        return 0;
    }
    c->misses++;
    if (c->buf && off >= c->start && off < bend) {
        /* The buffer's tail is the read's head: fetch from its end on. */
        memcpy(out, c->buf + (off - c->start), (size_t)(bend - off));
        out += bend - off;
        off = bend;
    }
    int64_t fend = min64(c->size, end + c->block), n = fend - off;
    c->len = 0; /* nothing valid until the fetch succeeds */
    if (n > c->cap) {
        free(c->buf);
        c->cap = 0;
        if (!(c->buf = fetch_new(c, off, n, err)))
            return -1;
        c->cap = n;
    } else if (c->fetch(c->ctx, off, n, c->buf, 0, err) < 0) {
        return -1;
    }
    c->start = off;
    c->len = n;
    memcpy(out, c->buf, (size_t)(end - off));
    return 0;
}

static cb_rblock *find_block(cb_rcache *c, int64_t index)
{
    for (int i = 0; i < c->nblocks; i++)
        if (c->blocks[i].index == index)
            return &c->blocks[i];
    return NULL;
}

/* The slot for a new block: an empty one, else the least recently used. */
static cb_rblock *victim(cb_rcache *c)
{
    cb_rblock *v = &c->blocks[0];
    for (int i = 0; i < c->nblocks; i++) {
        if (c->blocks[i].index < 0)
            return &c->blocks[i];
        if (c->blocks[i].used < v->used)
            v = &c->blocks[i];
    }
    return v;
}

/* fsspec's BlockCache, except that a run of adjacent missing blocks is one request. */
static int read_blocks(cb_rcache *c, int64_t off, int64_t end, unsigned char *out, cb_err *err)
{
    int64_t bs = c->block, b = off / bs, last = (end - 1) / bs;
    int missed = 0;
    while (b <= last) {
        cb_rblock *hit = find_block(c, b);
        if (hit) {
            int64_t lo = b * bs > off ? b * bs : off, hi = min64((b + 1) * bs, end);
            memcpy(out + (lo - off), hit->data + (lo - b * bs), (size_t)(hi - lo));
            hit->used = ++c->clock;
            b++;
            continue;
        }
        missed = 1;
        int64_t r = b;
        while (r < last && !find_block(c, r + 1))
            r++;
        int64_t from = b * bs, to = min64((r + 1) * bs, c->size);
        if (r == b) {
            /* One block: straight into its slot. A staging buffer would be
             * another block of fresh pages to fault in and one more copy. */
            cb_rblock *s = victim(c);
            int fresh = !s->data;
            if (fresh && !(s->data = malloc((size_t)bs)))
                return cb_fail(err, CB_EIO, "out of memory for a %lld-byte cache block", (long long)bs);
            s->index = -1; /* half filled if the fetch fails */
            if (c->fetch(c->ctx, from, to - from, s->data, fresh, err) < 0)
                return -1;
            s->index = b;
            s->used = ++c->clock;
            int64_t lo = from > off ? from : off, hi = min64(to, end);
            memcpy(out + (lo - off), s->data + (lo - from), (size_t)(hi - lo));
            b++;
            continue;
        }
        unsigned char *tmp = fetch_new(c, from, to - from, err);
        if (!tmp)
            return -1;
        int64_t lo = from > off ? from : off, hi = min64(to, end);
        memcpy(out + (lo - off), tmp + (lo - from), (size_t)(hi - lo));
        for (int64_t k = b; k <= r; k++) {
            cb_rblock *s = victim(c);
            if (!s->data && !(s->data = malloc((size_t)bs))) {
                free(tmp);
                return cb_fail(err, CB_EIO, "out of memory for a %lld-byte cache block", (long long)bs);
            }
            int64_t n = min64(bs, c->size - k * bs);
            memcpy(s->data, tmp + (k - b) * bs, (size_t)n);
            s->index = k;
            s->used = ++c->clock;
        }
        free(tmp);
        b = r + 1;
    }
    if (missed)
        c->misses++;
    else
        c->hits++;
    return 0;
}

/* fsspec's FirstChunkCache, of the file's first keep bytes (first: a block;
 * none: the prefix). */
static int read_first(cb_rcache *c, int64_t keep, int64_t off, int64_t end, unsigned char *out, cb_err *err)
{
    int64_t bs = min64(keep, c->size);
    if (off >= bs) {
        c->misses++;
        return c->fetch(c->ctx, off, end - off, out, 0, err);
    }
    if (!c->buf) {
        c->misses++;
        if (end > bs) {
            /* One request for the whole read; its first block is kept. */
            unsigned char *b = fetch_new(c, 0, end, err);
            if (!b)
                return -1;
            memcpy(out, b + off, (size_t)(end - off));
            unsigned char *keep = realloc(b, (size_t)bs);
            c->buf = keep ? keep : b;
            c->len = bs;
            return 0;
        }
        if (!(c->buf = fetch_new(c, 0, bs, err)))
            return -1;
        c->len = bs;
    } else if (end > bs) {
        c->misses++;
    } else {
        c->hits++;
    }
    memcpy(out, c->buf + off, (size_t)(min64(end, bs) - off));
    return end > bs ? c->fetch(c->ctx, bs, end - bs, out + (bs - off), 0, err) : 0;
}

/* fsspec's AllBytes. */
static int read_all(cb_rcache *c, int64_t off, int64_t end, unsigned char *out, cb_err *err)
{
    if (!c->buf) {
        c->misses++;
        if (!(c->buf = fetch_new(c, 0, c->size, err)))
            return -1;
        c->len = c->size;
    } else {
        c->hits++;
    }
    memcpy(out, c->buf + off, (size_t)(end - off));
    return 0;
}

int cb_rcache_read(cb_rcache *c, int64_t offset, int64_t size, void *buf, cb_err *err)
{
    if (offset < 0 || size < 0 || offset > c->size || size > c->size - offset)
        return cb_fail(err, CB_EIO, "read of %lld bytes at %lld is past the end of the file (%lld bytes)",
                       (long long)size, (long long)offset, (long long)c->size);
    if (size == 0)
        return 0;
    int64_t end = offset + size;
    switch (c->type) {
    case CB_HTTP_CACHE_READAHEAD:
        return read_ahead(c, offset, end, buf, err);
    case CB_HTTP_CACHE_BLOCK:
        return read_blocks(c, offset, end, buf, err);
    case CB_HTTP_CACHE_FIRST:
        return read_first(c, c->block, offset, end, buf, err);
    case CB_HTTP_CACHE_ALL:
        return read_all(c, offset, end, buf, err);
    case CB_HTTP_CACHE_NONE:
    default:
        if (offset < c->prefix)
            return read_first(c, c->prefix, offset, end, buf, err);
        c->misses++;
        return c->fetch(c->ctx, offset, size, buf, 0, err);
    }
}
