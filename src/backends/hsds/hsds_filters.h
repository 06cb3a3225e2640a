/* --filter on an HSDS domain: which filters the server really applies, how
 * the dataset's creation properties name them, and what its chunks take in
 * storage by the server's own count. Internal to the HSDS backend. */
#ifndef CHUNKBENCH_HSDS_FILTERS_H
#define CHUNKBENCH_HSDS_FILTERS_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "backends/hsds/http.h"
#include "core/filters.h"

/* Refuse, in one line naming the filter and what the server offers, a
 * pipeline HSDS would not apply as given. No request is made. */
int hs_filters_check(const cb_filters *fs, cb_err *err);

/* The creationProperties "filters" list of fs (fs checked). */
cJSON *hs_filters_json(const cb_filters *fs);

/* After create: the filters of dataset `id` as the server kept them are
 * the ones asked for, in order. */
int hs_filters_kept(cb_http *h, const char *id, const cb_filters *fs, cb_err *err);

/* The bytes the chunks of dataset `id` take in storage and their count, as
 * the server's last scan of the domain found them (-1, -1: no scan since
 * they were written). With rescan, the domain is flushed and scanned first
 * (PUT flush=1&rescan=1, which returns once the scan is done), so the
 * figure is exact as of the call. */
int hs_stored_bytes(cb_http *h, const char *id, int rescan, int64_t *bytes, int64_t *nchunks, cb_err *err);

#endif
