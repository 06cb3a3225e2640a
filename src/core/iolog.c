#include "core/iolog.h"

#include "core/grow.h"

#include <stdlib.h>
#include <string.h>

const char *const cb_size_class_names[CB_SIZE_CLASSES] = {"<1KB", "1KB-10KB", "10KB-100KB", ">100KB"};

void cb_iolog_add(cb_iolog *log, int64_t offset, int64_t size, double start, double end, int kind)
{
    cb_ioreq *p = cb_grow(log->v, &log->cap, log->n + 1, sizeof *p, 4096);
    if (!p) {
        log->lost++; /* losing a record must not fail the read being measured */
        return;
    }
    log->v = p;
    log->v[log->n++] = (cb_ioreq){offset, size, start, end, log->rank, kind};
}

void cb_iolog_free(cb_iolog *log)
{
    free(log->v);
    memset(log, 0, sizeof *log);
}

int cb_size_class(int64_t size)
{
    /* pandas.cut(bins=[0, 1K, 10K, 100K, inf]) is right-closed: 1024 is "< 1KB". */
    if (size <= 1024) return 0;
    if (size <= 10 * 1024) return 1;
    if (size <= 100 * 1024) return 2;
    return 3;
}

void cb_iolog_summarize(const cb_ioreq *v, int64_t n, int64_t lost, cb_iolog_summary *s)
{
    memset(s, 0, sizeof *s);
    s->lost = lost;
    double busy_end = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t z = v[i].size;
        s->requests++;
        s->bytes += z;
        if (v[i].kind == CB_REQ_DRAW) {
            s->data_requests++;
            s->data_bytes += z;
        } else {
            s->meta_requests++;
            s->meta_bytes += z;
        }
        int c = cb_size_class(z);
        s->class_requests[c]++;
        s->class_bytes[c] += z;
        if (i == 0 || z < s->min_size) s->min_size = z;
        if (z > s->max_size) s->max_size = z;
        /* Only what sticks out past the rank's busy interval so far counts. */
        if (i == 0 || v[i].rank != v[i - 1].rank || v[i].start >= busy_end) {
            s->busy_s += v[i].end - v[i].start;
            busy_end = v[i].end;
        } else if (v[i].end > busy_end) {
            s->busy_s += v[i].end - busy_end;
            busy_end = v[i].end;
        }
    }
}

static int cmp_extent(const void *a, const void *b)
{
    const cb_extent *x = a, *y = b;
    return (x->offset > y->offset) - (x->offset < y->offset);
}

void cb_iolog_classify(cb_ioreq *v, int64_t n, cb_extent *ext, int64_t *next)
{
    int64_t m = 0;
    if (*next > 0) {
        qsort(ext, (size_t)*next, sizeof *ext, cmp_extent);
        for (int64_t i = 0; i < *next; i++) {
            if (ext[i].size <= 0)
                continue;
            /* Chunks side by side make one range: a read may span them. */
            if (m && ext[i].offset <= ext[m - 1].offset + ext[m - 1].size) {
                int64_t end = ext[i].offset + ext[i].size;
                if (end > ext[m - 1].offset + ext[m - 1].size)
                    ext[m - 1].size = end - ext[m - 1].offset;
            } else {
                ext[m++] = ext[i];
            }
        }
    }
    *next = m;
    for (int64_t i = 0; i < n; i++) {
        /* The last range starting at or before the request. */
        int64_t lo = 0, hi = m;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            if (ext[mid].offset <= v[i].offset)
                lo = mid + 1;
            else
                hi = mid;
        }
        int inside = lo > 0 && v[i].offset + v[i].size <= ext[lo - 1].offset + ext[lo - 1].size;
        v[i].kind = inside ? CB_REQ_DRAW : CB_REQ_META;
    }
}
