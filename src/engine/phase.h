/* One timed I/O phase: every writer takes tasks from its schedule, generates
 * (or verifies) the values and writes (or reads) them, stamping each task. */
#ifndef CHUNKBENCH_PHASE_H
#define CHUNKBENCH_PHASE_H

#include <mpi.h>
#include <stdint.h>

#include "backends/backend.h"
#include "core/datagen.h"
#include "core/result.h" /* cb_rec, cb_mismatch */
#include "engine/journal.h"

typedef struct cb_phase_opts {
    int writing;          /* 1: generate + write; 0: read (+ verify) */
    int verify;           /* reading: compare with the generator */
    uint64_t seed;
    cb_values values;     /* the generator, with the seed */
    cb_sched_kind sched;
    const int64_t *bounds; /* block: rank r takes tasks [bounds[r], bounds[r+1]); NULL: even blocks */
    int64_t max_tasks;    /* per writer, 0: no limit */
    double lease_s;       /* server schedule */
    const char *pod;      /* this writer's name */
    double clock_offset;  /* subtracted from local timestamps */
    int progress;         /* print a progress line on rank 0 */
    double progress_interval; /* seconds between lines; 0: 0.25 on a terminal, 5 otherwise */
    cb_journal *journal;  /* writing: each finished task's record goes here (NULL: none) */
    int tasks_per_call;   /* writing: up to this many tasks a write_tasks call (<= 1: write_task each) */
    double deadline_s;    /* no task is begun this long after the first claim; 0: no deadline */
    int wearout;          /* with a deadline: every rank goes on to the busiest one's count by then */
    /* read --pattern: task k reads sels[k] (read_sel) instead of its
     * rectangle; NULL: the tasks' rectangles. */
    const cb_sel *sels;
    int sum_values;       /* add up the values read (floats: dset) into value_sum */
    int checksum;         /* reading, not sum_values: the values' checksum into checksum (only
                             the JSON gives it: a pass over every value read, skipped without) */
} cb_phase_opts;

/* This rank's share of a phase. */
typedef struct cb_phase_out {
    cb_rec *recs;
    int64_t nrecs, cap;
    double open_start, close_end; /* corrected */
    double gen_s, io_s;           /* generating / checking values; inside I/O calls */
    int64_t bytes;
    uint64_t checksum;            /* reading, when asked: core/checksum.h of the values read (whole blocks) */
    double value_sum;             /* reading: of the values read, when sum_values (patterns) */
    int64_t io_calls;             /* data calls that moved at least one task */
    cb_mismatch *bad;
    int64_t nbad, capbad;
    cb_net_stats net;             /* copied from the store before it closes */
    cb_coll_stats coll;           /* the store's count of what collective transfers did */
    cb_iolog *iolog;              /* the store's request log (NULL: not logged), taken over */
    cb_hints *mpi_hints;          /* the hints MPI held for the store's MPI-IO file (NULL: none), taken over */
    const char *counter;          /* the dynamic schedule's counter, "rma" or "p2p"; NULL otherwise */
    int stopped;                  /* the signal (SIGTERM, SIGINT) that stopped the phase early, on every rank; 0: none */
    /* With a deadline: its instant (corrected), whether this rank reached it
     * with tasks left to take, and what it had finished by then. */
    double deadline_at;
    int deadline_hit;
    int64_t deadline_tasks, deadline_bytes;
} cb_phase_out;

/* Collective. The store is opened with `so`, writable when o->writing.
 * tasks[k], k < ntasks, are the phase's tasks and index[k] their
 * rows in the task table; both are ignored by the server schedule, which
 * claims from the store. Returns -1 on every rank if any rank failed. */
int cb_phase_run(const cb_store_opts *so, const cb_backend *be, const cb_task *tasks, const int64_t *index,
                 int64_t ntasks, const cb_phase_opts *o, MPI_Comm comm, cb_phase_out *out, cb_err *err);

/* One open, several phases (read of several datasets): cb_phase_open opens
 * the store as cb_phase_run does; each cb_phase_step (after a barrier)
 * switches it to the dataset `next` says (NULL: stay on the one open) and
 * runs tasks there, its out spanning that barrier to its last task, with the
 * requests logged since the step before (the first: since the open) and
 * copies of the store's hints; cb_phase_close closes, adding the close's
 * requests, time (close_end) and statistics to `last`, the last step's out
 * (NULL: nobody wants them, after a failed step). All collective and agreed
 * on: a -1 is returned on every rank, and after a failed step every rank
 * still calls cb_phase_close. Reads only (o->writing 0). */
int cb_phase_open(const cb_store_opts *so, const cb_backend *be, const cb_phase_opts *o, MPI_Comm comm,
                  cb_store **st, double *open_start, cb_err *err);
int cb_phase_step(cb_store *st, const cb_store_opts *next, const cb_task *tasks, const int64_t *index,
                  int64_t ntasks, const cb_phase_opts *o, MPI_Comm comm, cb_phase_out *out, cb_err *err);
int cb_phase_close(cb_store *st, const cb_phase_opts *o, MPI_Comm comm, cb_phase_out *last, cb_err *err);

void cb_phase_out_free(cb_phase_out *o);

/* For a SIGTERM/SIGINT handler (async-signal-safe): writes the journal's
 * buffered records, and while a writing phase runs asks it to stop at the
 * next task boundary (returns 0). Returns -1 when nothing can stop cleanly
 * (no writing phase, or a second signal): the caller then lets the signal
 * end the process. */
int cb_phase_request_stop(int sig);

#endif
