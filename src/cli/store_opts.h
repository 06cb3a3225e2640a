/* From the command line to what a backend is told (backends/backend.h): the
 * common store options and the chosen backend's own, mapped in one place. */
#ifndef CHUNKBENCH_STORE_OPTS_H
#define CHUNKBENCH_STORE_OPTS_H

#include "backends/backend.h"
#include "backends/hdf5/hdf5_opts.h"
#include "backends/hsds/hsds_opts.h"
#include "cli/config.h"

typedef struct cb_store_args {
    cb_store_opts o;
    cb_hdf5_opts h5;
    cb_hsds_opts hs;
} cb_store_args;

/* Fill *a for `target` (cfg->target when NULL) and return its backend.
 * a->o.backend points into *a: use it where it was filled, do not copy it. */
const cb_backend *cb_store_args_for(const cb_config *cfg, const char *target, cb_store_args *a);

/* Parse time: the target's backend checks the options given (one line). */
int cb_store_check(const cb_config *cfg, cb_err *err);

/* What the options given will not quite do with the library this runs
 * with, one "chunkbench: note: ..." line each on f (rank 0, once a run). */
void cb_store_notes(const cb_config *cfg, FILE *f);

#endif
