/* The task journal: every rank appends a fixed-size, checksummed record of
 * each task it finished to its own file beside the target, so a run that is
 * killed (SIGKILL, walltime, a node lost) or that cannot save its task table
 * (a reader holds the file) keeps its records. The next write merges the
 * journals of ended runs into the table; status shows them.
 *
 * Files: <target>.chunkbench-journal/<run id>.r<rank>.cbj (an HSDS domain:
 * ./<domain, '/' as '_'>.chunkbench-journal/ in the current directory). A
 * 512-byte header (run id, host, pid, rank, start time, the target's shape,
 * chunk, element size, iteration, task count, seed, writer name) then 32-byte
 * records (task row, start, done, crc32). A torn last record is ignored.
 *
 * When records reach the file: buffered in memory, written (write(2)) when
 * CHUNKBENCH_JOURNAL_FLUSH_MS (default 200) have passed since the last write
 * or the buffer holds 2048 records, checked at every task boundary, and also
 * from the SIGTERM/SIGINT handler: they survive the process. With
 * CHUNKBENCH_JOURNAL_SYNC_S > 0 (default 0: never) the target's data and then
 * the journal are fdatasync'ed that often and at the end, for node crashes.
 * CHUNKBENCH_JOURNAL=off: no journal (a bench knob: crash safety is lost). */
#ifndef CHUNKBENCH_JOURNAL_H
#define CHUNKBENCH_JOURNAL_H

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/table.h"
#include "core/tasks.h"

typedef struct cb_journal cb_journal;

/* 0 when CHUNKBENCH_JOURNAL=off (or 0/no). */
int cb_journal_enabled(void);

/* The journal directory of a target. */
void cb_journal_dir_of(const char *target, char *buf, size_t cap);

/* Collective: every rank opens its own file of a new run (rank 0 makes the
 * directory; rank 0's layout and table task count `ntasks` are the ones
 * recorded). `pod` names the writer in the records it gives back. When a
 * file cannot be made (a read-only directory...) the run goes without a
 * journal: *out stays NULL, a warning goes to stderr, and 0 is returned;
 * -1 only when MPI fails. */
int cb_journal_start(const char *target, const cb_layout *lay, int64_t ntasks, uint64_t seed, const char *pod,
                     MPI_Comm comm, cb_journal **out, cb_err *err);

/* Task `row`'s data has reached the OS (or the server): buffer its record;
 * written when due. */
int cb_journal_add(cb_journal *j, int64_t row, double start, double done, cb_err *err);

/* Write what is buffered now (no sync): a rank that ran out of tasks and
 * waits for the others. */
int cb_journal_flush(cb_journal *j, cb_err *err);

/* A task boundary without a record: write or sync what is due. */
int cb_journal_tick(cb_journal *j, cb_err *err);

/* Write what is buffered (and sync, when asked); the file stays. Frees j (NULL: no-op). */
int cb_journal_close(cb_journal *j, cb_err *err);

uint64_t cb_journal_run(const cb_journal *j);

/* Async-signal-safe: write() the buffered records of this process's journal. */
void cb_journal_flush_from_signal(void);

/* What rank 0 found in a target's journal directory. */
typedef struct cb_journal_found {
    char **files;          /* files of ended runs merged (removed after a table save) */
    int nfiles;
    int64_t ended_recs;    /* records applied from ended runs */
    int ended_runs;
    int64_t live_recs;     /* records of runs still running (applied only when asked) */
    int live_runs;
    char live_host[64];
    long long live_pid;
    int64_t *rows;         /* table rows the merge changed */
    int64_t nrows, caprows;
} cb_journal_found;

/* One process. Apply the records of ended runs (and of running ones too when
 * `with_live`: status) to tab, in run order. Journals of another file (shape,
 * chunk, element size, iteration or task count differ) are ignored with a
 * warning on stderr (and removed when `remove_foreign`). A run that wrote with
 * another seed than tab's makes its table's other complete tasks pending: they
 * hold the old values. Missing directory: nothing found. */
int cb_journal_merge(const char *target, cb_table *tab, int with_live, int remove_foreign, cb_journal_found *f,
                     cb_err *err);

/* After a successful table save: remove the merged files and those of run
 * `run` (0: none), and the directory if empty. */
int cb_journal_remove(const char *target, const cb_journal_found *f, uint64_t run, cb_err *err);

void cb_journal_found_free(cb_journal_found *f);

/* Remove every journal of the target (create replaces the file). */
int cb_journal_discard(const char *target, cb_err *err);

#endif
