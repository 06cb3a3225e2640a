/* Deterministic pseudo-random dataset values: element (i, j) of a dataset
 * written with seed S is a function of (S, i, j) only, so any task, row or
 * whole dataset can be regenerated and verified later, by anyone. */
#ifndef CHUNKBENCH_DATAGEN_H
#define CHUNKBENCH_DATAGEN_H

#include <stdint.h>

#include "core/tasks.h"

/* The raw 64-bit hash of element (i, j); values are in [0, 1):
 * f8 = (h >> 11) * 2^-53, f4 = (h >> 40) * 2^-24. */
uint64_t cb_value_hash(uint64_t seed, uint64_t i, uint64_t j);

/* Fill buf (row-major nrow x ncol) with the values of task t. */
void cb_fill(const cb_task *t, int elem_size, uint64_t seed, void *buf);

/* Number of elements of buf that differ from what cb_fill gives (-1: out of
 * memory); the first differing element's (row, col) goes to *bad_i, *bad_j. */
int64_t cb_check(const cb_task *t, int elem_size, uint64_t seed, const void *buf,
                 int64_t *bad_i, int64_t *bad_j);

#endif
