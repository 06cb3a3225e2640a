/* The request log: every read a storage driver issued (offset, size, when),
 * and what those requests add up to (count, bytes, size classes). Filled by
 * the logging file driver (vfd_log.c), the MPI-IO interposer (mpiio_log.c)
 * or the HSDS backend; summarised and written here. */
#ifndef CHUNKBENCH_IOLOG_H
#define CHUNKBENCH_IOLOG_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"

/* What HDF5 said the bytes were for (H5FD_mem_t, coarsened). */
enum { CB_REQ_META = 0, CB_REQ_DRAW = 1 };

typedef struct cb_ioreq {
    int64_t offset, size;
    double start, end; /* epoch seconds, corrected to rank 0's clock by the caller */
    int32_t rank;
    int32_t kind; /* CB_REQ_META or CB_REQ_DRAW */
} cb_ioreq;

typedef struct cb_iolog {
    cb_ioreq *v;
    int64_t n, cap;
    int64_t lost; /* requests not recorded (out of memory); counted still */
    int32_t rank;
} cb_iolog;

/* Append one request; never fails (a request that cannot be stored is counted in lost). */
void cb_iolog_add(cb_iolog *log, int64_t offset, int64_t size, double start, double end, int kind);
void cb_iolog_free(cb_iolog *log);

/* The seed's four size classes: < 1 KB, 1-10 KB, 10-100 KB, > 100 KB (KB = 1024 bytes,
 * the bins the seed's notebook uses). */
#define CB_SIZE_CLASSES 4
extern const char *const cb_size_class_names[CB_SIZE_CLASSES];
int cb_size_class(int64_t size);

/* A byte range of the file that holds raw data (a chunk, or a contiguous
 * dataset's storage). */
typedef struct cb_extent {
    int64_t offset, size;
} cb_extent;

/* Set the kind of every request that cannot tell itself (MPI-IO): raw when it
 * lies wholly inside the union of ext, metadata otherwise. File space holds
 * either raw data or metadata, so a read inside a chunk read raw data; a
 * metadata read that runs on into a chunk (HDF5 reads object headers
 * speculatively, 512 bytes) is not inside one and stays metadata. ext is
 * sorted and merged in place (*next shrinks). */
void cb_iolog_classify(cb_ioreq *v, int64_t n, cb_extent *ext, int64_t *next);

typedef struct cb_iolog_summary {
    int64_t requests, bytes, lost;
    int64_t meta_requests, meta_bytes, data_requests, data_bytes;
    int64_t class_requests[CB_SIZE_CLASSES], class_bytes[CB_SIZE_CLASSES];
    int64_t min_size, max_size;
    /* Time with a request in progress, summed over ranks: a rank's requests
     * that overlap in time (the ranges of one MPI-IO call share its start and
     * end) count once. Each rank's requests must be in start order, as every
     * log here appends them. */
    double busy_s;
} cb_iolog_summary;

void cb_iolog_summarize(const cb_ioreq *v, int64_t n, int64_t lost, cb_iolog_summary *s);

/* data_bytes: bytes of the selections read; over-read = requested / data_bytes. */
cJSON *cb_iolog_json(const cb_iolog_summary *s, int64_t data_bytes);
void cb_iolog_text(FILE *f, const cb_iolog_summary *s, int64_t data_bytes);

/* The byte ranges behind the report's read-pattern picture, added to o (the
 * object of cb_iolog_json): "file_size" when known (> 0), then either
 * "ranges" {offset, size, rank, raw: one column each, one entry per request
 * that has a file offset}, or past CB_JSON_MAX_RANGES such requests, only
 * "pattern" {columns, lo, hi, classes, counts: per size class, the requests
 * touching each column}, so that a JSON of a million requests stays small.
 * HSDS requests have no file offset and are not listed. */
#define CB_JSON_MAX_RANGES 100000
#define CB_JSON_PATTERN_COLUMNS 1000
int cb_iolog_ranges_json(cJSON *o, const cb_ioreq *v, int64_t n, int64_t file_size);

/* rank,kind,offset,size,start,end one line per request ("-": stdout). */
int cb_iolog_csv(const char *path, const cb_ioreq *v, int64_t n, cb_err *err);

#endif
