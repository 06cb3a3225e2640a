/* chunkbench's own read-only HDF5 file driver for http(s) URLs, on libcurl:
 * one easy handle per open file (the connection kept alive), the size from a
 * HEAD (where HEAD is refused, from a GET of byte 0), then ranged GETs, through one of fsspec's cache types
 * (core/rangecache.h), so a read compares with h5py + fsspec type for type.
 * Every GET is one request in the request log (offset, bytes, when); the
 * HEAD is not (it reads nothing, as with ros3). Requests are bounded by
 * timeouts, and a failure (unreachable, 404, 403, Range ignored, cut short)
 * is one line on HDF5's error stack, where the backend's h5_fail finds it.
 * With keys (url.h cb_s3_find) requests are signed with libcurl's AWS
 * SigV4; the keys are never printed. Works on HDF5 1.10 to 1.14. */
#ifndef CHUNKBENCH_VFD_CURL_H
#define CHUNKBENCH_VFD_CURL_H

#include <hdf5.h>
#include <stdint.h>

#include "backends/hdf5/url.h"
#include "core/iolog.h"
#include "core/modes.h"

typedef struct cb_vfd_curl_opts {
    cb_http_cache cache;
    int64_t block;         /* the caches' block size (fsspec's blocksize) */
    cb_iolog *log;         /* every GET appended here (NULL: none); must outlive the file */
    const cb_s3_creds *creds; /* NULL or no key: unsigned requests */
} cb_vfd_curl_opts;

/* Set the curl driver on fapl (the options are copied). -1 (err set) if HDF5
 * refuses, or keys are given and this libcurl cannot sign. */
int cb_vfd_curl_set(hid_t fapl, const cb_vfd_curl_opts *o, cb_err *err);

#endif
