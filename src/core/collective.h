/* What collective transfers actually did: HDF5 may quietly do a collective
 * request independently (a type conversion, a layout it cannot do
 * collectively...). The backend counts each data call into this; the engine
 * sums it over ranks per pass; the report names modes and causes. Plain
 * int64 counters only, so one MPI_SUM reduces the whole struct. */
#ifndef CHUNKBENCH_COLLECTIVE_H
#define CHUNKBENCH_COLLECTIVE_H

#include <stddef.h>
#include <stdint.h>

#include "core/modes.h"

/* The I/O a call did (H5D_mpio_actual_io_mode_t). */
typedef enum {
    CB_AIO_INDEPENDENT = 0,       /* no collective I/O at all */
    CB_AIO_CHUNK_INDEPENDENT,     /* chunked, every chunk independently */
    CB_AIO_CHUNK_COLLECTIVE,      /* chunked, every chunk collectively */
    CB_AIO_CHUNK_MIXED,           /* chunked, some chunks each way */
    CB_AIO_CONTIGUOUS_COLLECTIVE, /* contiguous dataset, collectively */
    CB_AIO_N
} cb_actual_io;

/* The chunk optimisation a call used (H5D_mpio_actual_chunk_opt_mode_t). */
typedef enum { CB_ACO_NONE = 0, CB_ACO_LINK_CHUNK, CB_ACO_MULTI_CHUNK, CB_ACO_N } cb_actual_chunk_opt;

/* Why a call was not collective (H5D_mpio_no_collective_cause_t), as bit
 * numbers of our own; a cause this list lacks counts as OTHER. */
typedef enum {
    CB_NCC_SET_INDEPENDENT = 0,
    CB_NCC_DATATYPE_CONVERSION,
    CB_NCC_DATA_TRANSFORMS,
    CB_NCC_MPI_OPT_TYPES_ENV_VAR_DISABLED,
    CB_NCC_NOT_SIMPLE_OR_SCALAR_DATASPACES,
    CB_NCC_NOT_CONTIGUOUS_OR_CHUNKED_DATASET,
    CB_NCC_PARALLEL_FILTERED_WRITES_DISABLED,
    CB_NCC_ERROR_WHILE_CHECKING_COLLECTIVE_POSSIBLE,
    CB_NCC_NO_SELECTION_IO,
    CB_NCC_OTHER,
    CB_NCC_N
} cb_no_coll_cause;

typedef struct cb_coll_stats {
    int64_t asked[CB_CHUNK_OPT_N]; /* ranks that asked for collective transfers, by --chunk-opt (all 0: none) */
    int64_t calls;                 /* data calls counted (ranks x calls, empty selections too) */
    int64_t io_mode[CB_AIO_N];
    int64_t chunk_opt[CB_ACO_N];
    /* Calls in which each cause was given: this rank's own, and any rank's
     * (HDF5 reduces the latter over the file's communicator). */
    int64_t local_cause[CB_NCC_N], global_cause[CB_NCC_N];
} cb_coll_stats;

#define CB_COLL_STATS_NINT ((int)(sizeof(cb_coll_stats) / sizeof(int64_t)))

/* JSON keys: "independent", "chunk_independent", "chunk_collective",
 * "chunk_mixed", "contiguous_collective"; "none", "link_chunk", "multi_chunk". */
const char *cb_actual_io_key(cb_actual_io m);
const char *cb_actual_chunk_opt_key(cb_actual_chunk_opt m);
/* In words: "datatype conversion", ... */
const char *cb_no_coll_cause_words(cb_no_coll_cause c);

/* Collective transfers were asked for (by any rank). */
int cb_coll_asked(const cb_coll_stats *s);
/* The --chunk-opt asked (the one most ranks asked for). */
cb_chunk_opt cb_coll_asked_opt(const cb_coll_stats *s);
/* Calls that were not collective for all their data (independent, chunk
 * independent, chunk mixed). */
int64_t cb_coll_not_done(const cb_coll_stats *s);
/* Was cause c given in any call (locally or globally)? */
int cb_coll_has_cause(const cb_coll_stats *s, cb_no_coll_cause c);

void cb_coll_add(cb_coll_stats *into, const cb_coll_stats *from);

/* The causes given, comma-separated words, into buf; "" when none. */
void cb_coll_causes_text(const cb_coll_stats *s, char *buf, size_t cap);

#endif
