/* Several tasks in one transfer (write --tasks-per-call K): the tasks a rank
 * holds are joined into rectangles (side-by-side tasks, and rows of them
 * under each other: a block of chunks; stacked row tasks), and each
 * rectangle is one I/O call on
 * one hyperslab with a memory space of the same shape. That is the layout
 * HDF5 moves fastest: a union of hyperslabs, or a memory space of another
 * shape, makes it map every element to its chunk one at a time (about 40x
 * slower at 4 MB tasks on 1.10.8 and 1.14.5). */
#ifndef CHUNKBENCH_BATCH_H
#define CHUNKBENCH_BATCH_H

#include "core/tasks.h"

/* Join tasks t[0..n) (which do not overlap) into rectangles: rect[0..m) (m
 * returned, at most n; -1 when out of memory), and of[k] the rectangle task k
 * is part of. A rectangle is nrow x ncol at x, y like a task; the rest unset. */
int cb_batch_rects(const cb_task *t, int n, cb_task *rect, int *of);

#endif
