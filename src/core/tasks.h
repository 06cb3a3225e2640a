/* The task grid and the task table row (the seed's exact 76-byte layout). */
#ifndef CHUNKBENCH_TASKS_H
#define CHUNKBENCH_TASKS_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef enum { CB_ITER_BLOCK = 0, CB_ITER_ROW, CB_ITER_COL } cb_iter;

const char *cb_iter_name(cb_iter it);
int cb_iter_parse(const char *s, cb_iter *out); /* 0 ok, -1 unknown */

/* Shape and storage of the 2-D dataset `dset`. */
typedef struct cb_layout {
    int64_t shape[2];
    int64_t chunk[2];
    int elem_size; /* 4 (f4) or 8 (f8) */
    cb_iter iter;
} cb_layout;

enum { CB_PENDING = 0, CB_IN_PROGRESS = -1, CB_COMPLETE = 1 };

#define CB_POD_LEN 40

/* One row of task_list, unpacked. */
typedef struct cb_task {
    double start, done;
    int32_t status, x, y, nrow, ncol;
    char pod[CB_POD_LEN + 1]; /* NUL-terminated copy of the S40 field */
} cb_task;

#define CB_ROW_BYTES 76 /* packed: f8 f8 i4 i4 i4 i4 i4 S40 */
enum {
    CB_OFF_START = 0, CB_OFF_DONE = 8, CB_OFF_STATUS = 16, CB_OFF_X = 20,
    CB_OFF_Y = 24, CB_OFF_NROW = 28, CB_OFF_NCOL = 32, CB_OFF_POD = 36,
};

void cb_task_pack(const cb_task *t, unsigned char row[CB_ROW_BYTES]);
void cb_task_unpack(const unsigned char row[CB_ROW_BYTES], cb_task *t);

/* Number of tasks of a layout, or -1 if it does not fit in int32 offsets. */
int64_t cb_task_count(const cb_layout *lay);

/* Fill tasks[0..count) in row-major chunk order (block), by row, or by column;
 * edge tasks get their real, smaller extents. */
void cb_tasks_make(const cb_layout *lay, cb_task *tasks);

/* Bytes of one task's selection. */
static inline int64_t cb_task_bytes(const cb_task *t, int elem_size)
{
    return (int64_t)t->nrow * t->ncol * elem_size;
}

/* Check that a layout is usable: positive shape, chunk within shape. */
int cb_layout_check(const cb_layout *lay, cb_err *err);

/* A near-square chunk of about `mb` MB (1e6 bytes), clipped to the shape. */
void cb_chunk_for_mb(const cb_layout *lay, double mb, int64_t chunk[2]);

#endif
