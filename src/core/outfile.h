/* The files chunkbench writes for the user (--json, --csv, --report, --log,
 * report -o): checked before the run, written to a temporary file beside
 * the destination and renamed onto it only when every write succeeded, so a
 * failed run leaves the old file, and a non-regular file (symbolic link,
 * device, FIFO, directory) is never truncated or removed. "-" is standard
 * output, whose write errors are errors too.
 *
 * Also: what kind of file a path names, by stat alone (opening a FIFO blocks
 * until a writer comes; opening a device may act on it). */
#ifndef CHUNKBENCH_OUTFILE_H
#define CHUNKBENCH_OUTFILE_H

#include <stdio.h>
#include <sys/stat.h>

#include "core/error.h"

/* "a directory", "a FIFO (named pipe)", "a character device", ... of st_mode. */
const char *cb_file_kind(mode_t mode);

/* Can `path` be written at the end of the run? "-" always; else an existing
 * path must be a regular, writable file (not a symbolic link: outputs are
 * renamed into place, which would replace the link, not its target), and its
 * directory must exist and take a new file (tried: a read-only file system or
 * a full quota fails here, not after the run). `what` names the option in
 * the message ("--json"). */
int cb_outfile_check(const char *what, const char *path, cb_err *err);

typedef struct cb_outfile {
    FILE *f;          /* write here: stdout for "-" */
    const char *path; /* the destination as given */
    char *tmp;        /* the temporary file beside it; NULL for stdout */
} cb_outfile;

/* Start writing `path` (checked again as above): stdout, or a new
 * temporary file in its directory. */
int cb_outfile_open(cb_outfile *o, const char *what, const char *path, cb_err *err);

/* Finish: flush, check every write, close and rename onto the destination
 * (stdout: flush and check). On failure the temporary file is removed and
 * the destination left as it was. */
int cb_outfile_commit(cb_outfile *o, cb_err *err);

/* Give up: close and remove the temporary file; the destination stays. */
void cb_outfile_abort(cb_outfile *o);

/* Flush stdout and check it: "cannot write to standard output: <reason>".
 * The reason of the first failed flush is kept for later checks (a failed
 * write sets the stream's error flag, but errno is gone by then). */
int cb_stdout_check(cb_err *err);

#endif
