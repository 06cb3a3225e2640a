/* The model every layer shares: a target's layout, its run metadata and its
 * whole task table, and the one list of metadata fields that every backend
 * walks to store and load them. */
#ifndef CHUNKBENCH_TABLE_H
#define CHUNKBENCH_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/datagen.h"
#include "core/error.h"
#include "core/tasks.h"

/* Run metadata kept with the dataset (attributes of the root group). */
typedef struct cb_meta {
    char version[32];      /* chunkbench version that created it; "" if another tool did */
    int64_t seed;          /* seed of the values written; -1 when unknown */
    char values[32];       /* their generator (core/datagen.h cb_values_name); "" (older files): uniform */
    /* The last write run: */
    double open_start, close_end; /* first open started, last close ended (epoch s) */
    double gen_s, io_s;    /* summed over writers: generating values, inside I/O calls */
    double clock_skew_s;   /* largest clock offset to rank 0 that was corrected */
    int32_t writers;
    char schedule[16], io[16];
    int64_t requests, retries; /* HTTP (HSDS); 0 for files */
    /* Its MPI-IO hints record (core/hints.h cb_hints_json), compact JSON;
     * "" when it opened no MPI-IO file, or the record did not fit. */
    char mpi_hints[4096];
    /* The filter pipeline of dset as create made it (core/filters.h
     * cb_filters_text, "shuffle deflate:1"); "" when unfiltered. */
    char filters[256];
    /* Properties of the file, not of a run (found when read, never stored): */
    int64_t page_size;     /* file-space page size of a paged file; 0 when not paged */
    int64_t file_size;     /* bytes of the file when read (0: unknown, or not a file) */
    int64_t stored_bytes;  /* filtered dset: bytes its chunks take in storage when read (0: unknown) */
    char phase[8];         /* in reports: "read" for a read run; "" means write */
} cb_meta;

/* Layout + metadata + the whole task table, as stored. */
typedef struct cb_table {
    cb_layout layout;
    cb_meta meta;
    cb_task *tasks;
    int64_t ntasks;
} cb_table;

void cb_table_free(cb_table *t);

/* The generator m->values names (what write, verify and read use); fails
 * (CB_EUSAGE) on a name this version does not know. */
int cb_meta_values(const cb_meta *m, const char *target, cb_values *v, cb_err *err);
void cb_meta_init(cb_meta *m);

/* The stored fields of cb_meta, each once: its attribute name, its kind and
 * where it lies. Backends store and load exactly these (and the layout's
 * iter_type, which is not metadata of a run). */
typedef enum { CB_MF_STR, CB_MF_INT, CB_MF_REAL } cb_meta_kind;
enum {
    CB_MF_NET = 1,   /* request counts: kept by backends that count requests */
    CB_MF_MPIIO = 2, /* MPI-IO figures: kept by backends that open MPI-IO files */
    CB_MF_FILTERS = 4, /* the filter pipeline: kept by backends that apply --filter (HDF5 files, HSDS) */
};

typedef struct cb_meta_field {
    const char *name;
    cb_meta_kind kind;
    size_t offset, size; /* in cb_meta; an INT is 4 or 8 bytes, a STR's size its capacity */
    unsigned flags;
} cb_meta_field;

extern const cb_meta_field cb_meta_fields[];
extern const int cb_meta_nfields;

/* The field's value in m: integers widened to 64 bits, strings in place. */
int64_t cb_meta_int(const cb_meta *m, const cb_meta_field *f);
void cb_meta_set_int(cb_meta *m, const cb_meta_field *f, int64_t v);
/* Where the field lies in m (a STR: its char array, f->size bytes). */
const void *cb_meta_get(const cb_meta *m, const cb_meta_field *f);
void *cb_meta_ref(cb_meta *m, const cb_meta_field *f);

#endif
