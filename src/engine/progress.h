/* A progress line on rank 0 while a phase runs: tasks done / total, MB/s,
 * elapsed and estimated time left. Every rank adds its tasks to counters on
 * rank 0 (MPI one-sided), so it works with every schedule. */
#ifndef CHUNKBENCH_PROGRESS_H
#define CHUNKBENCH_PROGRESS_H

#include <mpi.h>
#include <stdint.h>
#include <stdio.h>

typedef struct cb_progress cb_progress;

/* Collective. Returns NULL (and costs nothing later) when disabled, and on
 * every rank when the counters cannot be had (no one-sided MPI window); rank 0
 * then says so on stderr, once per run. Later MPI failures on the counters
 * also just end the line. interval_s <= 0 picks one: 0.25 s on a terminal,
 * 5 s otherwise. */
cb_progress *cb_progress_start(MPI_Comm comm, const char *what, int64_t total_tasks, int enabled,
                               FILE *out, double interval_s);

/* Any rank, after each task. */
void cb_progress_add(cb_progress *p, int64_t bytes);

/* Rank 0: print if a line is due (cheap when not). Others: nothing. */
void cb_progress_tick(cb_progress *p);

/* Collective, after a rank's last task: rank 0 keeps the line going until all
 * ranks got here, prints the final line, and the counters are freed. */
void cb_progress_end(cb_progress *p);

/* Pure: format a line ("120/400 tasks  30.0%  512.3 MB/s  elapsed 3.2 s  left 7.5 s"). */
void cb_progress_format(char *buf, size_t cap, const char *what, int64_t done, int64_t total, double bytes,
                        double elapsed_s);

#endif
