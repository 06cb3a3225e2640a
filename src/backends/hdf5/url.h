/* Remote files read through HDF5's read-only S3 driver (ros3): where s3:// points, and a probe that turns the usual failures
 * (unreachable, 404, no range support, not HDF5) into one clear line before
 * HDF5 sees the URL. */
#ifndef CHUNKBENCH_URL_H
#define CHUNKBENCH_URL_H

#include <stddef.h>

#include "core/error.h"

/* s3://BUCKET/KEY -> https://BUCKET.s3.REGION.amazonaws.com/KEY (region
 * us-east-1 when NULL); http(s) URLs unchanged. */
int cb_url_resolve(const char *target, const char *region, char *out, size_t cap, cb_err *err);

/* One ranged GET of the first 8 bytes: the server must answer 206 with the
 * HDF5 signature. Bounded by timeouts, so a dead server cannot hang a run. */
int cb_url_probe(const char *url, cb_err *err);

#endif
