/* Several tasks in one transfer (write --tasks-per-call K). HDF5 moves the
 * elements of a union of hyperslabs in row-major order over the whole
 * dataspace, so tasks side by side interleave row by row: the one buffer of
 * such a call holds row segments in that order, and is generated so. */
#ifndef CHUNKBENCH_BATCH_H
#define CHUNKBENCH_BATCH_H

#include <stdint.h>

#include "core/tasks.h"

/* One row of one task, at element offset `off` of the call's buffer. */
typedef struct cb_segment {
    int32_t task; /* index into the batch */
    int32_t row;  /* dataset row */
    int64_t off;  /* elements from the buffer's start */
} cb_segment;

/* The row segments of tasks t[0..n) (which do not overlap) in the order
 * HDF5 visits their union; *seg grows as needed (capacity *cap). Returns
 * the number of segments, -1 when out of memory. */
int64_t cb_batch_segments(const cb_task *t, int n, cb_segment **seg, int64_t *cap);

/* Fill buf with the values of the batch, laid out by its segments. */
void cb_batch_fill(const cb_task *t, const cb_segment *seg, int64_t nseg, int elem_size, uint64_t seed, void *buf);

#endif
