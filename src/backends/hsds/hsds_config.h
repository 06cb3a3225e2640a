/* Where and as whom to reach HSDS, found the way h5pyd finds it, so users'
 * existing settings work unchanged. */
#ifndef CHUNKBENCH_HSDS_CONFIG_H
#define CHUNKBENCH_HSDS_CONFIG_H

#include "core/error.h"

#define CB_HS_STR 512

typedef struct cb_hs_cfg {
    char endpoint[CB_HS_STR]; /* no trailing slash */
    char username[CB_HS_STR], password[CB_HS_STR];
    char bucket[CB_HS_STR];   /* "" = the server's default bucket */
    char api_key[CB_HS_STR];  /* sent as a Bearer token instead of Basic auth */
    char domain[CB_HS_STR];   /* "/home/u/f.h5" */
    char ca_file[CB_HS_STR];  /* the CA bundle to trust; "": libcurl's own */
} cb_hs_cfg;

/* Fill *out for `target` (hdf5://home/u/f.h5). Sources, later ones winning:
 * the first of ./.hscfg and ~/.hscfg that exists (`key = value` lines, `#`
 * comments), then HS_ENDPOINT, HS_USERNAME, HS_PASSWORD, HS_BUCKET, HS_API_KEY
 * (set, even empty, overrides the file), then endpoint/bucket (command line)
 * when not NULL. An empty value or "None" means unset. Refused, with the
 * fix: a settings file others may change (cb_secret_file_check; one others
 * may read is warned about), an endpoint with user:password@ in it, a user
 * name without a password. ca_file (--ca-file) or the CA variables
 * (core/secrets.h) give ca_file. */
int cb_hs_config(const char *target, const char *endpoint, const char *bucket, const char *ca_file,
                 cb_hs_cfg *out, cb_err *err);

/* Same, reading the file at `path` instead of looking for one (tests); NULL:
 * no file. */
int cb_hs_config_file(const char *path, const char *target, const char *endpoint,
                      const char *bucket, const char *ca_file, cb_hs_cfg *out, cb_err *err);

/* The endpoint fit for messages: any user:password@ part removed. */
void cb_hs_safe_url(const char *url, char *buf, int cap);

#endif
