/* Read-back that defeats the writer's page cache (IOR's -C / -Q): each rank
 * reads the tasks written on the host K hosts after its own, by the writer
 * names (pods, "rN@host") in the task table. */
#ifndef CHUNKBENCH_HOST_SHIFT_H
#define CHUNKBENCH_HOST_SHIFT_H

#include <mpi.h>
#include <stdint.h>

#include "core/error.h"
#include "core/tasks.h"

/* Collective. Hosts are numbered in the order of their first rank. Reorders
 * tasks[] and rows[] (the same on every rank on entry, and on return) so
 * that rank r's tasks are [bounds[r], bounds[r+1]): the tasks written on
 * host (h + k) mod nhosts, h being r's host, split in blocks among the ranks
 * of h. *bounds (nranks + 1 entries) is malloc'd. Fails on every rank
 * together (usage error) when the run has fewer than 2 hosts, when k is a
 * multiple of the host count, when a task has no writer name, or names a
 * host this run is not on. */
int cb_host_shift(cb_task *tasks, int64_t *rows, int64_t n, int k, MPI_Comm comm, int64_t **bounds, cb_err *err);

#endif
