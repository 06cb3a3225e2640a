#include "core/table_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cb_table_fix(const cb_layout *lay, const char *target, char *buf, size_t cap)
{
    snprintf(buf, cap, "chunkbench create %s %lld %lld %s --chunk %lld,%lld --dtype %s --force", target,
             (long long)lay->shape[0], (long long)lay->shape[1], cb_iter_name(lay->iter), (long long)lay->chunk[0],
             (long long)lay->chunk[1], lay->elem_size == 4 ? "f4" : "f8");
}

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

/* Bytes of this host's memory, or 0 when unknown. */
static double host_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? (double)pages * (double)page : 0;
}

/* The largest task of the grid, in elements (doubles: no overflow). */
static double max_task_elems(const cb_layout *lay)
{
    switch (lay->iter) {
    case CB_ITER_ROW: return (double)lay->shape[1];
    case CB_ITER_COL: return (double)lay->shape[0];
    default: return (double)min64(lay->chunk[0], lay->shape[0]) * (double)min64(lay->chunk[1], lay->shape[1]);
    }
}

int cb_table_check_size(const cb_layout *lay, int64_t nrows, const char *target, const char *table, cb_err *err)
{
    char fix[1024];
    for (int d = 0; d < 2; d++) {
        if (lay->shape[d] < 1)
            return cb_fail(err, CB_EUSAGE, "%s: dset is %lld x %lld, empty: there is nothing to write; recreate it with chunkbench create",
                           target, (long long)lay->shape[0], (long long)lay->shape[1]);
        if (lay->shape[d] > INT32_MAX)
            return cb_fail(err, CB_EUSAGE,
                           "%s: dset is %lld x %lld: task rows address at most %d rows and columns (x and y are i4)",
                           target, (long long)lay->shape[0], (long long)lay->shape[1], INT32_MAX);
        if (lay->chunk[d] < 1)
            return cb_fail(err, CB_EUSAGE, "%s: dset has no valid chunk shape (%lld x %lld)", target,
                           (long long)lay->chunk[0], (long long)lay->chunk[1]);
    }
    if (lay->elem_size != 4 && lay->elem_size != 8)
        return cb_fail(err, CB_EUSAGE, "%s: dset has %d-byte elements; chunkbench writes float32 or float64", target,
                       lay->elem_size);
    int64_t count = cb_task_count(lay);
    double mem = host_memory();
    double task_bytes = max_task_elems(lay) * lay->elem_size;
    /* Each task is one buffer, the whole table a few copies of its rows. */
    double table_bytes = (double)count * (double)(sizeof(cb_task) + CB_ROW_BYTES);
    if (task_bytes > (double)SIZE_MAX / 4 || (mem > 0 && task_bytes > mem))
        return cb_fail(err, CB_EUSAGE, "%s: a %s task of dset (%lld x %lld, chunk %lld x %lld) is %.0f bytes, more than this host's memory (%.0f)",
                       target, cb_iter_name(lay->iter), (long long)lay->shape[0], (long long)lay->shape[1],
                       (long long)lay->chunk[0], (long long)lay->chunk[1], task_bytes, mem);
    if (table_bytes > (double)SIZE_MAX / 4 || (mem > 0 && table_bytes > mem)) {
        cb_table_fix(lay, target, fix, sizeof fix);
        return cb_fail(err, CB_EUSAGE, "%s: the task grid of dset has %lld tasks, a table of %.0f bytes, more than this host's memory (%.0f); use fewer, larger tasks (--chunk)",
                       target, (long long)count, table_bytes, mem);
    }
    if (nrows - count > count) { /* no product: count may be near 2^62 */
        cb_table_fix(lay, target, fix, sizeof fix);
        return cb_fail(err, CB_EUSAGE,
                       "%s: %s has %lld rows, but the task grid of dset (%lld x %lld, chunk %lld x %lld, %s tasks) has %lld; recreate the table with: %s (the data is written again)",
                       target, table, (long long)nrows, (long long)lay->shape[0], (long long)lay->shape[1],
                       (long long)lay->chunk[0], (long long)lay->chunk[1], cb_iter_name(lay->iter), (long long)count, fix);
    }
    return 0;
}

/* The grid cell a task of that origin belongs to, and that cell's task. */
static int64_t cell_of(const cb_layout *lay, int64_t x, int64_t y)
{
    switch (lay->iter) {
    case CB_ITER_ROW: return x;
    case CB_ITER_COL: return y;
    default: {
        int64_t cols = (lay->shape[1] + lay->chunk[1] - 1) / lay->chunk[1];
        return (x / lay->chunk[0]) * cols + y / lay->chunk[1];
    }
    }
}

static cb_task cell_task(const cb_layout *lay, int64_t cell)
{
    cb_task t;
    memset(&t, 0, sizeof t);
    switch (lay->iter) {
    case CB_ITER_ROW:
        t.x = (int32_t)cell;
        t.nrow = 1;
        t.ncol = (int32_t)lay->shape[1];
        break;
    case CB_ITER_COL:
        t.y = (int32_t)cell;
        t.nrow = (int32_t)lay->shape[0];
        t.ncol = 1;
        break;
    default: {
        int64_t cols = (lay->shape[1] + lay->chunk[1] - 1) / lay->chunk[1];
        int64_t x = cell / cols * lay->chunk[0], y = cell % cols * lay->chunk[1];
        t.x = (int32_t)x;
        t.y = (int32_t)y;
        t.nrow = (int32_t)min64(lay->chunk[0], lay->shape[0] - x);
        t.ncol = (int32_t)min64(lay->chunk[1], lay->shape[1] - y);
    }
    }
    return t;
}

static int same_extent(const cb_task *a, const cb_task *b)
{
    return a->x == b->x && a->y == b->y && a->nrow == b->nrow && a->ncol == b->ncol;
}

/* One error about row i, with what to do about it. */
static int row_fail(cb_err *err, const cb_table *t, const char *target, const char *table, int64_t i,
                    const char *problem)
{
    const cb_task *r = &t->tasks[i];
    char fix[1024];
    cb_table_fix(&t->layout, target, fix, sizeof fix);
    return cb_fail(err, CB_EUSAGE,
                   "%s: %s row %lld (x=%d, y=%d, nrow=%d, ncol=%d, status=%d) %s; correct the row, or recreate the table with: %s (the data is written again)",
                   target, table, (long long)i, r->x, r->y, r->nrow, r->ncol, r->status, problem, fix);
}

int cb_table_check(const cb_table *t, const char *target, const char *table, cb_err *err)
{
    const cb_layout *lay = &t->layout;
    if (cb_table_check_size(lay, t->ntasks, target, table, err) < 0)
        return -1;
    int64_t count = cb_task_count(lay);
    unsigned char *seen = calloc((size_t)(count / 8 + 1), 1);
    if (!seen)
        return cb_fail(err, CB_EIO, "out of memory checking %lld task rows", (long long)t->ntasks);
    char problem[512];
    int rc = 0;
    for (int64_t i = 0; i < t->ntasks && rc == 0; i++) {
        const cb_task *r = &t->tasks[i];
        /* int64: x + nrow of two i4 fields cannot overflow here. */
        int64_t x = r->x, y = r->y, x_end = x + r->nrow, y_end = y + r->ncol;
        if (r->status != CB_PENDING && r->status != CB_IN_PROGRESS && r->status != CB_COMPLETE) {
            rc = row_fail(err, t, target, table, i, "has a status that is not 0 (pending), -1 (in progress) or 1 (complete)");
        } else if (r->nrow < 1 || r->ncol < 1) {
            rc = row_fail(err, t, target, table, i, "is empty: nrow and ncol must be at least 1");
        } else if (x < 0 || y < 0 || x_end > lay->shape[0] || y_end > lay->shape[1]) {
            snprintf(problem, sizeof problem, "lies outside dset (%lld x %lld)", (long long)lay->shape[0],
                     (long long)lay->shape[1]);
            rc = row_fail(err, t, target, table, i, problem);
        } else {
            int64_t cell = cell_of(lay, x, y);
            cb_task want = cell_task(lay, cell);
            if (!same_extent(r, &want)) {
                snprintf(problem, sizeof problem,
                         "is not a task of the grid of dset (%lld x %lld, chunk %lld x %lld, %s tasks), so it overlaps others: the task there is x=%d, y=%d, nrow=%d, ncol=%d",
                         (long long)lay->shape[0], (long long)lay->shape[1], (long long)lay->chunk[0],
                         (long long)lay->chunk[1], cb_iter_name(lay->iter), want.x, want.y, want.nrow, want.ncol);
                rc = row_fail(err, t, target, table, i, problem);
            } else if (seen[cell / 8] & (1u << (cell % 8))) {
                int64_t j = 0; /* the first row on that cell: found once, on the error path */
                while (j < i && !same_extent(&t->tasks[j], r))
                    j++;
                snprintf(problem, sizeof problem, "is the same task as row %lld: the table holds it twice", (long long)j);
                rc = row_fail(err, t, target, table, i, problem);
            } else {
                seen[cell / 8] |= (unsigned char)(1u << (cell % 8));
            }
        }
    }
    /* Every row is on its own cell; more rows than cells would have met a
     * duplicate, so what is left to find is a missing task. */
    if (rc == 0 && t->ntasks != count) {
        int64_t cell = 0;
        while (cell < count && (seen[cell / 8] & (1u << (cell % 8))))
            cell++;
        cb_task m = cell_task(lay, cell);
        char fix[1024];
        cb_table_fix(lay, target, fix, sizeof fix);
        rc = cb_fail(err, CB_EUSAGE,
                     "%s: %s has %lld rows, but the task grid of dset (%lld x %lld, chunk %lld x %lld, %s tasks) has %lld: no row holds the task x=%d, y=%d, nrow=%d, ncol=%d; add it (status 0), or recreate the table with: %s (the data is written again)",
                     target, table, (long long)t->ntasks, (long long)lay->shape[0], (long long)lay->shape[1],
                     (long long)lay->chunk[0], (long long)lay->chunk[1], cb_iter_name(lay->iter), (long long)count,
                     m.x, m.y, m.nrow, m.ncol, fix);
    }
    free(seen);
    return rc;
}
