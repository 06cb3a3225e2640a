/* The filter pipeline asked for at create (--filter, repeatable, in
 * order): parsed, checked for form and printed as the record kept with the
 * dataset. Whether the storage has each filter, and applying them, is the
 * backend's (HDF5: the library and its plugins; HSDS: the server's). */
#ifndef CHUNKBENCH_FILTERS_H
#define CHUNKBENCH_FILTERS_H

#include <stddef.h>

#include "core/error.h"

enum { CB_FILTERS_MAX = 8, CB_FILTER_VALUES_MAX = 16 };

/* HDF5's numbers of its built-in filters (H5Zpublic.h), kept here so the
 * parser needs no HDF5. */
enum { CB_FILTER_DEFLATE = 1, CB_FILTER_SHUFFLE = 2, CB_FILTER_FLETCHER32 = 3, CB_FILTER_SZIP = 4 };

/* The blosc family as HSDS applies it (blosc-lz4, ...): the server's own
 * codecs, each under the registered number HSDS names it by. They are not
 * the HDF5 plugins of those numbers (32004 is bare LZ4 there), so a filter
 * carries `blosc` to tell them apart. */
enum { CB_FILTER_BLOSC = 32001, CB_FILTER_LZ4 = 32004, CB_FILTER_LZ4HC = 32005, CB_FILTER_ZSTD = 32015 };

typedef struct cb_filter {
    unsigned id;       /* HDF5 filter id (1-65535) */
    int named;         /* given by its name (shuffle, deflate, ...), not by number */
    int blosc;         /* a blosc-* codec (HSDS's): id is the number HSDS names it by */
    int nvalues;
    unsigned values[CB_FILTER_VALUES_MAX]; /* deflate: its level; by number: the client values */
} cb_filter;

typedef struct cb_filters {
    int n;
    cb_filter f[CB_FILTERS_MAX];
    int no_edge;       /* --no-edge-filter: partial edge chunks stored unfiltered */
} cb_filters;

/* Append one SPEC: shuffle, deflate[:LEVEL] (1-9, default 6), fletcher32,
 * szip, blosc-lz4[:LEVEL] (1-9, default 5), blosc-lz4hc, blosc-zstd,
 * blosc-blosclz, or ID[:v1,v2,...]. A filter given twice is refused. */
int cb_filters_add(cb_filters *fs, const char *spec, cb_err *err);

/* The word of a named filter ("deflate", "blosc-zstd"); NULL for a number. */
const char *cb_filter_name(const cb_filter *f);

/* A filter that compresses (deflate, szip, blosc-*), not one that only
 * reorders or checks bytes. */
int cb_filter_compresses(const cb_filter *f);

/* One filter as --filter takes it ("deflate:1", "32004:0,1"). */
void cb_filter_spec(const cb_filter *f, char *buf, size_t cap);

/* The record: each filter's spec, in order, separated by one space (a spec
 * may hold commas), e.g. "shuffle deflate:1"; "" when none. -1 when it does
 * not fit in cap. */
int cb_filters_text(const cb_filters *fs, char *buf, size_t cap);

/* The inverse: the filters of a record cb_filters_text made. */
int cb_filters_from_text(cb_filters *fs, const char *text, cb_err *err);

#endif
