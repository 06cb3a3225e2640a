/* Is a task table read from storage the task grid of its dataset? Every
 * backend's load_table calls these before anything trusts the rows: a table
 * edited by hand (h5py, h5pyd) must be refused with the first bad row named,
 * not crash a writer or mark tasks complete that were never written. */
#ifndef CHUNKBENCH_TABLE_CHECK_H
#define CHUNKBENCH_TABLE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/table.h"

/* The command that makes a fresh table for this layout (all data is lost):
 * "chunkbench create T R C block --chunk r,c --dtype f8 --force". */
void cb_table_fix(const cb_layout *lay, const char *target, char *buf, size_t cap);

/* Before reading nrows rows: the layout can be tasked (shape within the i4
 * fields, tasks and the table fit in memory) and nrows is close enough to the
 * grid's count to be worth reading (at most twice it, so duplicates can still
 * be named). table is the table's name, for messages. CB_EUSAGE if not. */
int cb_table_check_size(const cb_layout *lay, int64_t nrows, const char *target, const char *table, cb_err *err);

/* Every row maps to its own cell of the grid of t->layout (shape, chunk,
 * iteration type) exactly: inside the dataset, not empty, aligned, no two on
 * one cell, none missing; status 0, -1 or 1. O(n) time, n/8 bytes. Includes
 * cb_table_check_size. CB_EUSAGE naming the first bad row and the fix. */
int cb_table_check(const cb_table *t, const char *target, const char *table, cb_err *err);

#endif
