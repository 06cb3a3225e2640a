/* Deterministic pseudo-random dataset values: element (i, j) of a dataset
 * written with seed S is a function of (S, i, j) only, so any task, row or
 * whole dataset can be regenerated and verified later, by anyone. */
#ifndef CHUNKBENCH_DATAGEN_H
#define CHUNKBENCH_DATAGEN_H

#include <stddef.h>
#include <stdint.h>

#include "core/tasks.h"

/* The raw 64-bit hash of element (i, j); values are in [0, 1):
 * f8 = (h >> 11) * 2^-53, f4 = (h >> 40) * 2^-24. */
uint64_t cb_value_hash(uint64_t seed, uint64_t i, uint64_t j);

/* The generator of a dataset's values (--values; README "create" defines
 * each exactly, tests/hsds/cbvalues.py is numpy's copy). Every one is a pure
 * function of (seed, i, j), so all stay verifiable. */
typedef enum {
    CB_VALUES_UNIFORM, /* the hash's bits: [0, 1), incompressible */
    CB_VALUES_SMOOTH,  /* triangle waves of i and j plus 8 bits of noise */
    CB_VALUES_REPEAT,  /* a fraction of the elements 0.0, the others uniform */
    CB_VALUES_ZEROS,   /* every element 0.0 */
} cb_values_kind;

typedef struct cb_values {
    cb_values_kind kind;
    double fraction;    /* repeat: F in [0, 1] as given */
    uint64_t threshold; /* repeat: element is 0.0 when (second hash >> 32) < threshold = floor(F * 2^32) */
} cb_values;

#define CB_VALUES_NAME_MAX 32

/* Parse "uniform", "smooth", "repeat:F" or "zeros" ("" means uniform: files
 * made before --values); -1 when it is none of them. */
int cb_values_parse(const char *s, cb_values *v);
/* Its canonical name, as stored (repeat: the shortest F that reads back). */
void cb_values_name(const cb_values *v, char *buf, size_t cap);

/* Fill buf (row-major nrow x ncol) with the values of task t. */
void cb_fill(const cb_task *t, int elem_size, uint64_t seed, const cb_values *v, void *buf);

/* Number of elements of buf that differ from what cb_fill gives (-1: out of
 * memory); the first differing element's (row, col) goes to *bad_i, *bad_j. */
int64_t cb_check(const cb_task *t, int elem_size, uint64_t seed, const cb_values *v, const void *buf,
                 int64_t *bad_i, int64_t *bad_j);

#endif
