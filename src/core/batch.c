#include "core/batch.h"

#include <stdlib.h>

#include "core/datagen.h"
#include "core/grow.h"

static const cb_task *g_batch; /* qsort has no context argument in C11 */

static int by_column(const void *a, const void *b)
{
    int32_t x = g_batch[*(const int *)a].y, y = g_batch[*(const int *)b].y;
    return (x > y) - (x < y);
}

static int by_row(const void *a, const void *b)
{
    int32_t x = g_batch[*(const int *)a].x, y = g_batch[*(const int *)b].x;
    return (x > y) - (x < y);
}

int64_t cb_batch_segments(const cb_task *t, int n, cb_segment **seg, int64_t *cap)
{
    if (n <= 0)
        return 0;
    int *col = malloc((size_t)n * sizeof *col), *row = malloc((size_t)n * sizeof *row);
    if (!col || !row) {
        free(col);
        free(row);
        return -1;
    }
    for (int k = 0; k < n; k++)
        col[k] = row[k] = k;
    g_batch = t;
    qsort(col, (size_t)n, sizeof *col, by_column);
    qsort(row, (size_t)n, sizeof *row, by_row);
    /* Walk the rows any task covers (the union of their row ranges, in
     * order); in each, the tasks covering it from left to right. */
    int64_t nseg = 0, off = 0;
    int32_t r = t[row[0]].x;
    for (int k = 0; k < n;) {
        int32_t lo = t[row[k]].x, hi = lo + t[row[k]].nrow;
        if (r < lo)
            r = lo;
        for (k++; k < n && t[row[k]].x <= hi; k++)
            if (t[row[k]].x + t[row[k]].nrow > hi)
                hi = t[row[k]].x + t[row[k]].nrow;
        for (; r < hi; r++) {
            for (int c = 0; c < n; c++) {
                const cb_task *a = &t[col[c]];
                if (r < a->x || r >= a->x + a->nrow)
                    continue;
                cb_segment *s = cb_grow(*seg, cap, nseg + 1, sizeof *s, 256);
                if (!s) {
                    free(col);
                    free(row);
                    return -1;
                }
                *seg = s;
                s[nseg++] = (cb_segment){col[c], r, off};
                off += a->ncol;
            }
        }
    }
    free(col);
    free(row);
    return nseg;
}

void cb_batch_fill(const cb_task *t, const cb_segment *seg, int64_t nseg, int elem_size, uint64_t seed, void *buf)
{
    for (int64_t i = 0; i < nseg; i++) {
        const cb_task *a = &t[seg[i].task];
        cb_task one = *a;
        one.x = seg[i].row;
        one.nrow = 1;
        cb_fill(&one, elem_size, seed, (char *)buf + seg[i].off * elem_size);
    }
}
