/* Remote files read through HDF5's read-only S3 driver (ros3): where s3:// points, and a probe that turns the usual failures
 * (unreachable, 404, no range support, not HDF5) into one clear line before
 * HDF5 sees the URL. */
#ifndef CHUNKBENCH_URL_H
#define CHUNKBENCH_URL_H

#include <stddef.h>

#include <hdf5.h>

#include "core/error.h"

/* What signs ros3's requests: keys (none: anonymous), session token, region,
 * sized as HDF5's ros3 takes them. */
typedef struct cb_s3_creds {
    char key_id[129], secret[129], token[4097], region[33];
    char from[320]; /* where the keys came from, for messages */
} cb_s3_creds;

/* Find them as the AWS CLI does: profile (--s3-profile) named: that profile;
 * else AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN); else
 * profile AWS_PROFILE or "default" of AWS_SHARED_CREDENTIALS_FILE
 * (~/.aws/credentials), then of AWS_CONFIG_FILE (~/.aws/config, [profile
 * NAME]); none: anonymous. Region: region (--s3-region), AWS_REGION,
 * AWS_DEFAULT_REGION, the profile's. The credentials file is checked as
 * core/secrets.h says. */
int cb_s3_find(const char *region, const char *profile, cb_s3_creds *c, cb_err *err);

/* Set fapl to ros3 with c. A session token needs HDF5 1.14.2
 * (H5Pset_fapl_ros3_token); with an older HDF5 it is refused, naming it. */
int cb_ros3_fapl(hid_t fapl, const cb_s3_creds *c, cb_err *err);

/* The CA bundle HDF5's ros3 handles and the probe trust (core/secrets.h
 * cb_ca_bundle: ca_file, then the variables; none: libcurl's own). */
int cb_ros3_tls(const char *ca_file, cb_err *err);

/* s3://BUCKET/KEY -> https://BUCKET.s3.REGION.amazonaws.com/KEY (region
 * us-east-1 when NULL), or, with an endpoint (endpoint: --s3-endpoint, else
 * AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, as the AWS CLI), path-style
 * ENDPOINT/BUCKET/KEY; http(s) URLs unchanged (--s3-endpoint with one is
 * refused). A URL with user:password@ is refused (credentials come from the
 * AWS variables or a profile). */
int cb_url_resolve(const char *target, const char *region, const char *endpoint, char *out, size_t cap,
                   cb_err *err);

/* One ranged GET of the first 8 bytes: the server must answer 206 with the
 * HDF5 signature. Bounded by timeouts, so a dead server cannot hang a run.
 * c with keys: signed as ros3 signs (SigV4, c's region, us-east-1 if none),
 * so a 403 (the S3 error code named) or 404 NoSuchKey/NoSuchBucket reads as
 * one line here, before ros3's open fails without saying why; c NULL or
 * without keys: anonymous. */
int cb_url_probe(const char *url, const cb_s3_creds *c, cb_err *err);

#endif
