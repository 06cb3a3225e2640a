/* The HDF5 filter pipeline asked for at create (--filter, repeatable, in
 * order): parsed, checked for form and printed as the record kept with the
 * dataset. Whether the library has each filter, and applying them, is the
 * HDF5 backend's. */
#ifndef CHUNKBENCH_FILTERS_H
#define CHUNKBENCH_FILTERS_H

#include <stddef.h>

#include "core/error.h"

enum { CB_FILTERS_MAX = 8, CB_FILTER_VALUES_MAX = 16 };

/* HDF5's numbers of its built-in filters (H5Zpublic.h), kept here so the
 * parser needs no HDF5. */
enum { CB_FILTER_DEFLATE = 1, CB_FILTER_SHUFFLE = 2, CB_FILTER_FLETCHER32 = 3, CB_FILTER_SZIP = 4 };

typedef struct cb_filter {
    unsigned id;       /* HDF5 filter id (1-65535) */
    int named;         /* given by its name (shuffle, deflate, ...), not by number */
    int nvalues;
    unsigned values[CB_FILTER_VALUES_MAX]; /* deflate: its level; by number: the client values */
} cb_filter;

typedef struct cb_filters {
    int n;
    cb_filter f[CB_FILTERS_MAX];
    int no_edge;       /* --no-edge-filter: partial edge chunks stored unfiltered */
} cb_filters;

/* Append one SPEC: shuffle, deflate[:LEVEL] (1-9, default 6), fletcher32,
 * szip, or ID[:v1,v2,...]. A filter given twice is refused. */
int cb_filters_add(cb_filters *fs, const char *spec, cb_err *err);

/* One filter as --filter takes it ("deflate:1", "32004:0,1"). */
void cb_filter_spec(const cb_filter *f, char *buf, size_t cap);

/* The record: each filter's spec, in order, separated by one space (a spec
 * may hold commas), e.g. "shuffle deflate:1"; "" when none. -1 when it does
 * not fit in cap. */
int cb_filters_text(const cb_filters *fs, char *buf, size_t cap);

#endif
