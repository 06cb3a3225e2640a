/* The request log: every read a storage driver issued (offset, size, when),
 * and what those requests add up to (count, bytes, size classes). Filled by
 * the logging file driver (vfd_log.c), the MPI-IO interposer (mpiio_log.c)
 * or the HSDS backend; summarised here (report/report_iolog.h writes it). */
#ifndef CHUNKBENCH_IOLOG_H
#define CHUNKBENCH_IOLOG_H

#include <stdint.h>

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

#endif
