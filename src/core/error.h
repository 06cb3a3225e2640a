/* Errors as values: a code and one human line, filled where the problem is
 * found and printed once at the top. */
#ifndef CHUNKBENCH_ERROR_H
#define CHUNKBENCH_ERROR_H

#include <stdarg.h>

enum {
    CB_OK = 0,
    CB_EUSAGE = 2,   /* bad command line: exit code 2, like getopt tools */
    CB_EIO = 3,      /* storage, network or MPI failure */
    CB_EVERIFY = 4,  /* data read back differs from what was generated */
    CB_EEXIST = 5,   /* target exists and --force was not given */
    CB_EPENDING = 6, /* the run ended, but the server lost data it had acknowledged
                        (it restarted): those tasks are pending again; write again */
    CB_ELOCKED = 7,  /* the target is in use: another chunkbench holds its lock (or reads it),
                        or it was replaced while this write ran (engine/target_lock.h) */
    /* A write stopped early by SIGTERM/SIGINT (Slurm's walltime signal): what
     * was written is recorded, the rest is pending. Not 128+signal, which
     * says a signal killed the process with nothing recorded; 10 leaves room
     * below it for other new codes. */
    CB_ESTOPPED = 10,
};

typedef struct cb_err {
    int code;
    char msg[1024];
} cb_err;

/* Record an error (first one wins) and return -1 so callers can
 * `return cb_fail(err, CB_EIO, "...")`. */
int cb_fail(cb_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Put context in front of an existing message: "opening x: <old>". */
int cb_wrap(cb_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
