/* Everything the command line says, parsed and checked once, early. */
#ifndef CHUNKBENCH_CONFIG_H
#define CHUNKBENCH_CONFIG_H

#include <stdint.h>
#include <stdio.h>

#include "backends/hsds/hsds_opts.h"
#include "core/datagen.h"
#include "core/error.h"
#include "core/filters.h"
#include "core/hints.h"
#include "core/modes.h"
#include "core/pattern.h"
#include "core/tasks.h"
#include "core/version.h"

typedef enum {
    CB_CMD_NONE = 0, CB_CMD_CREATE, CB_CMD_WRITE, CB_CMD_STATUS, CB_CMD_VERIFY, CB_CMD_RUN, CB_CMD_REPORT,
    CB_CMD_COMPARE, CB_CMD_READ,
} cb_cmd;

/* The values of a repeatable option, in the order given (argv strings). */
typedef struct cb_texts {
    const char **v;
    int n;
} cb_texts;

typedef enum { CB_PRESET_NONE = 0, CB_PRESET_DEFAULT, CB_PRESET_TUNED } cb_preset;

typedef struct cb_config {
    cb_cmd cmd;
    const char *target;

    /* create */
    cb_layout layout;
    int chunk_given;     /* --chunk R,C */
    double chunk_mb;     /* --chunk-mb M (0: unset) */
    int64_t align;       /* --align BYTES (0: HDF5 default) */
    int64_t page_size;   /* --page-size BYTES (0: not paged) */
    cb_texts filter_args; /* --filter SPEC, repeatable, in order */
    int no_edge_filter;  /* --no-edge-filter */
    cb_filters filters;  /* filter_args parsed (cli.c), and no_edge_filter */
    int force;
    const char *values_arg; /* --values GEN, as given (NULL: uniform) */
    cb_values values;       /* ... parsed (create, run) */
    int break_lock;      /* create/write/run --break-lock: take a lock whose holder is on another host */
    int ignore_lock;     /* verify/read --ignore-lock: read while a writer holds the lock */

    /* write / verify */
    uint64_t seed;
    int seed_given;
    cb_sched_kind sched;
    cb_io_mode io;
    cb_chunk_opt chunk_opt; /* --chunk-opt (UNSET: not given) */
    int coll_metadata;   /* --coll-metadata */
    int64_t max_tasks;   /* per writer; 0: no limit */
    int iterations;
    int rewrite;         /* write complete tasks too (implied by iterations > 1) */
    int fsync;           /* flush written data to storage inside the timed close (IOR -e) */
    int tasks_per_call;  /* a rank's tasks written with one I/O call; 0: one */
    double deadline_s;   /* --deadline: no task is begun this long after the pass began; 0: none */
    int deadline_wearout; /* --deadline-wearout: then every rank goes on to the busiest one's count */
    double lease_s;      /* server schedule: reclaim tasks in progress longer than this */
    int claim_batch;     /* server schedule: tasks taken per claim request */

    /* read */
    cb_driver driver;
    cb_preset preset;
    int open_each;           /* --open-each: several datasets, one open each (default: one open for all) */
    int iter_given;          /* --iter: tasks by block/row/col instead of the file's own */
    cb_iter iter;
    int verify;              /* --verify */
    int64_t chunk_cache;     /* --chunk-cache BYTES (rdcc_nbytes); -1: HDF5's default */
    int64_t chunk_cache_slots; /* --chunk-cache-slots N; -1: HDF5's default */
    int64_t page_buffer;     /* --page-buffer BYTES; -1: unset, 0: none */
    int shift_hosts;         /* --shift-hosts K: read what was written K hosts away; 0: off */
    const char *pattern_arg; /* --pattern SPEC (NULL: the task grid) */
    cb_pattern_spec pattern; /* ... parsed (cli.c) */
    int64_t pattern_count;   /* --count N: random boxes (default 100) */
    int64_t pattern_group;   /* --group N: stride rows / points per task; 0: the default */
    cb_page_buffer_by page_buffer_by; /* --page-buffer-by; AUTO: HDF5's where the library has it */
    const char *log_path;    /* --log FILE: the raw request log as CSV */
    cb_http_cache http_cache; /* --cache-type (driver curl; default none) */
    int64_t http_block;      /* --block-size BYTES (driver curl; default 8 MiB) */
    int http_cache_given;    /* either was given */
    const char *s3_region, *s3_profile, *s3_endpoint;
    const char *s3_key_id, *s3_secret; /* refused: secrets stay off the command line */
    const char *dataset;     /* the dataset a read opens (NULL: dset); set by cmd_read */
    char **datasets;         /* read TARGET DATASET...: the names given */
    int ndatasets;

    /* MPI-IO hints (create, write, verify, read, run) */
    cb_texts hint_args;      /* --hint KEY=VALUE, repeatable */
    const char *hints_file;  /* --hints-file FILE */
    int64_t stripe_count;    /* create/run --stripe-count N (0: not asked): striping_factor */
    int64_t stripe_size;     /* create/run --stripe-size BYTES (0: not asked): striping_unit */
    cb_hints mpi_hints;      /* the file's, then --hint's (a later key wins): every MPI-IO open */
    cb_hints create_hints;   /* mpi_hints and the striping ones: the MPI-IO open that creates the file */

    /* output */
    int quiet, verbose;
    const char *json_path, *csv_path;
    const char *report_path; /* write/run --report FILE, report -o FILE */
    int csv_flag;            /* compare --csv */

    /* report / compare: the runs (targets or JSON files) */
    char **inputs;
    int ninputs;

    /* HSDS */
    const char *endpoint, *bucket;
    const char *ca_file;     /* --ca-file: the CA bundle HSDS and ros3 trust */

    int show_help, show_version; /* answered without doing anything else */
    int show_options;            /* with show_help: the option table (CB_SHOW_OPTIONS_*) */
} cb_config;

enum { CB_SHOW_OPTIONS_TSV = 1, CB_SHOW_OPTIONS_MARKDOWN = 2 };

/* What cb_parse_args allocated. */
void cb_config_free(cb_config *cfg);

/* Parse argv into cfg. On error, err names the problem and the fix. */
int cb_parse_args(int argc, char **argv, cb_config *cfg, cb_err *err);

/* What show_help asks for: a command's usage, the overview (no command) or the option table. */
void cb_print_help(FILE *out, const cb_config *cfg);

/* "create", "write", ... */
const char *cb_cmd_name(cb_cmd cmd);

#endif
