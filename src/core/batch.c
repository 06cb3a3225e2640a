#include "core/batch.h"

#include <stdlib.h>
#include <string.h>

static const cb_task *g_batch; /* qsort has no context argument in C11 */

static int by_position(const void *a, const void *b)
{
    const cb_task *x = &g_batch[*(const int *)a], *y = &g_batch[*(const int *)b];
    if (x->x != y->x)
        return (x->x > y->x) - (x->x < y->x);
    return (x->y > y->y) - (x->y < y->y);
}

int cb_batch_rects(const cb_task *t, int n, cb_task *rect, int *of)
{
    if (n <= 0)
        return 0;
    int *order = malloc((size_t)n * sizeof *order);
    if (!order)
        return -1;
    for (int k = 0; k < n; k++)
        order[k] = k;
    g_batch = t;
    qsort(order, (size_t)n, sizeof *order, by_position);
    int m = 0;
    for (int i = 0; i < n; i++) {
        const cb_task *a = &t[order[i]];
        cb_task *r = m ? &rect[m - 1] : NULL;
        /* Side by side: same rows, starting where the rectangle ends. */
        if (r && a->x == r->x && a->nrow == r->nrow && a->y == r->y + r->ncol) {
            r->ncol += a->ncol;
        } else if (r && a->y == r->y && a->ncol == r->ncol && a->x == r->x + r->nrow) {
            r->nrow += a->nrow; /* stacked: same columns, starting below it */
        } else {
            memset(&rect[m], 0, sizeof rect[m]);
            rect[m].x = a->x;
            rect[m].y = a->y;
            rect[m].nrow = a->nrow;
            rect[m].ncol = a->ncol;
            m++;
        }
        of[order[i]] = m - 1;
    }
    /* Rows of side-by-side tasks as wide as each other, one under the next
     * (a block of chunks): one rectangle. order[] now maps old to new. */
    int w = 0;
    for (int j = 0; j < m; j++) {
        cb_task *r = w ? &rect[w - 1] : NULL;
        if (r && rect[j].y == r->y && rect[j].ncol == r->ncol && rect[j].x == r->x + r->nrow) {
            r->nrow += rect[j].nrow;
        } else {
            rect[w++] = rect[j];
        }
        order[j] = w - 1;
    }
    for (int k = 0; k < n; k++)
        of[k] = order[of[k]];
    free(order);
    return w;
}
