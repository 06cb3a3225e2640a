/* The HSDS backend's own options, declared, checked (cb_backend_hsds.check)
 * and documented here:
 *   endpoint     server URL (--endpoint); NULL: HS_ENDPOINT, then .hscfg
 *   bucket       bucket (--bucket); NULL: HS_BUCKET, .hscfg, the server's default
 *   claim_batch  --schedule server: tasks one claim request takes (1..16)
 *   ca_file      the CA bundle to trust (--ca-file); NULL: REQUESTS_CA_BUNDLE,
 *                CURL_CA_BUNDLE, SSL_CERT_FILE, else libcurl's own
 * Of the common options (cb_store_opts), HSDS takes none of driver, chunk
 * cache, page buffer, align, page size, an HDF5 transfer mode, chunk
 * optimisation or collective metadata: it refuses
 * them, naming them. */
#ifndef CHUNKBENCH_HSDS_OPTS_H
#define CHUNKBENCH_HSDS_OPTS_H

/* --claim-batch: tasks one server-side claim takes (its query-update Limit).
 * A claim costs the server about as much as writing a 4 MB chunk; four at a
 * time brought claiming writers level with raw PUTs, two to 0.77-0.97 of
 * them (bench/RESULTS.md). 1 is the seed's way. */
#define CB_CLAIM_BATCH_DEFAULT 4
#define CB_CLAIM_BATCH_MAX 16

typedef struct cb_hsds_opts {
    const char *endpoint, *bucket;
    int claim_batch;
    const char *ca_file;
} cb_hsds_opts;

#endif
