#include "core/tasks.h"

#include <math.h>
#include <string.h>

#include "core/units.h"

const char *cb_iter_name(cb_iter it)
{
    switch (it) {
    case CB_ITER_ROW: return "row";
    case CB_ITER_COL: return "col";
    default: return "block";
    }
}

int cb_iter_parse(const char *s, cb_iter *out)
{
    if (!strcmp(s, "block")) *out = CB_ITER_BLOCK;
    else if (!strcmp(s, "row")) *out = CB_ITER_ROW;
    else if (!strcmp(s, "col")) *out = CB_ITER_COL;
    else return -1;
    return 0;
}

/* Little-endian field coding, independent of the host's byte order. */
static void put_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void put_f8(unsigned char *p, double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    put_le(p, u, 8);
}

static double get_f8(const unsigned char *p)
{
    uint64_t u = get_le(p, 8);
    double d;
    memcpy(&d, &u, 8);
    return d;
}

void cb_task_pack(const cb_task *t, unsigned char row[CB_ROW_BYTES])
{
    put_f8(row + CB_OFF_START, t->start);
    put_f8(row + CB_OFF_DONE, t->done);
    put_le(row + CB_OFF_STATUS, (uint32_t)t->status, 4);
    put_le(row + CB_OFF_X, (uint32_t)t->x, 4);
    put_le(row + CB_OFF_Y, (uint32_t)t->y, 4);
    put_le(row + CB_OFF_NROW, (uint32_t)t->nrow, 4);
    put_le(row + CB_OFF_NCOL, (uint32_t)t->ncol, 4);
    /* S40 null-padded, as h5py writes it: no terminator when full. */
    memset(row + CB_OFF_POD, 0, CB_POD_LEN);
    memcpy(row + CB_OFF_POD, t->pod, strnlen(t->pod, CB_POD_LEN));
}

void cb_task_unpack(const unsigned char row[CB_ROW_BYTES], cb_task *t)
{
    t->start = get_f8(row + CB_OFF_START);
    t->done = get_f8(row + CB_OFF_DONE);
    t->status = (int32_t)get_le(row + CB_OFF_STATUS, 4);
    t->x = (int32_t)get_le(row + CB_OFF_X, 4);
    t->y = (int32_t)get_le(row + CB_OFF_Y, 4);
    t->nrow = (int32_t)get_le(row + CB_OFF_NROW, 4);
    t->ncol = (int32_t)get_le(row + CB_OFF_NCOL, 4);
    memcpy(t->pod, row + CB_OFF_POD, CB_POD_LEN);
    t->pod[CB_POD_LEN] = '\0';
}

static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t cb_task_count(const cb_layout *lay)
{
    if (lay->shape[0] > INT32_MAX || lay->shape[1] > INT32_MAX)
        return -1;
    switch (lay->iter) {
    case CB_ITER_ROW: return lay->shape[0];
    case CB_ITER_COL: return lay->shape[1];
    default: return ceil_div(lay->shape[0], lay->chunk[0]) * ceil_div(lay->shape[1], lay->chunk[1]);
    }
}

static int32_t min32(int64_t a, int64_t b) { return (int32_t)(a < b ? a : b); }

void cb_tasks_make(const cb_layout *lay, cb_task *tasks)
{
    int64_t n = 0;
    if (lay->iter == CB_ITER_ROW || lay->iter == CB_ITER_COL) {
        int by_row = lay->iter == CB_ITER_ROW;
        int64_t count = lay->shape[by_row ? 0 : 1];
        for (int64_t i = 0; i < count; i++, n++) {
            memset(&tasks[n], 0, sizeof tasks[n]);
            tasks[n].x = by_row ? (int32_t)i : 0;
            tasks[n].y = by_row ? 0 : (int32_t)i;
            tasks[n].nrow = by_row ? 1 : (int32_t)lay->shape[0];
            tasks[n].ncol = by_row ? (int32_t)lay->shape[1] : 1;
        }
        return;
    }
    for (int64_t x = 0; x < lay->shape[0]; x += lay->chunk[0])
        for (int64_t y = 0; y < lay->shape[1]; y += lay->chunk[1], n++) {
            memset(&tasks[n], 0, sizeof tasks[n]);
            tasks[n].x = (int32_t)x;
            tasks[n].y = (int32_t)y;
            tasks[n].nrow = min32(lay->chunk[0], lay->shape[0] - x);
            tasks[n].ncol = min32(lay->chunk[1], lay->shape[1] - y);
        }
}

int cb_layout_check(const cb_layout *lay, cb_err *err)
{
    for (int d = 0; d < 2; d++) {
        if (lay->shape[d] <= 0 || lay->shape[d] > INT32_MAX)
            return cb_fail(err, CB_EUSAGE, "%s must be between 1 and %d, got %lld",
                           d ? "NCOLS" : "NROWS", INT32_MAX, (long long)lay->shape[d]);
        if (lay->chunk[d] <= 0)
            return cb_fail(err, CB_EUSAGE, "chunk dimensions must be positive (--chunk R,C)");
        if (lay->chunk[d] > lay->shape[d])
            return cb_fail(err, CB_EUSAGE,
                           "chunk %lldx%lld is larger than the shape %lldx%lld; give a smaller --chunk",
                           (long long)lay->chunk[0], (long long)lay->chunk[1],
                           (long long)lay->shape[0], (long long)lay->shape[1]);
    }
    /* HDF5 limits a chunk to 4 GiB. */
    if ((double)lay->chunk[0] * (double)lay->chunk[1] * lay->elem_size >= 4294967296.0)
        return cb_fail(err, CB_EUSAGE, "a chunk must be smaller than 4 GiB; give a smaller --chunk");
    return 0;
}

void cb_chunk_for_mb(const cb_layout *lay, double mb, int64_t chunk[2])
{
    double elems = mb * CB_BYTES_PER_MB / lay->elem_size;
    int64_t side = (int64_t)floor(sqrt(elems));
    if (side < 1) side = 1;
    chunk[0] = side < lay->shape[0] ? side : lay->shape[0];
    /* Give the other dimension what the clipped one could not take. */
    int64_t c = (int64_t)floor(elems / (double)chunk[0]);
    if (c < 1) c = 1;
    chunk[1] = c < lay->shape[1] ? c : lay->shape[1];
}
