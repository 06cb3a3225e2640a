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
} cb_hs_cfg;

/* Fill *out for `target` (hdf5://home/u/f.h5). Sources, later ones winning:
 * the first of ./.hscfg and ~/.hscfg that exists (`key = value` lines, `#`
 * comments), then HS_ENDPOINT, HS_USERNAME, HS_PASSWORD, HS_BUCKET, HS_API_KEY
 * (set, even empty, overrides the file), then endpoint/bucket (command line)
 * when not NULL. An empty value or "None" means unset. */
int cb_hs_config(const char *target, const char *endpoint, const char *bucket, cb_hs_cfg *out,
                 cb_err *err);

/* Same, reading the file at `path` instead of looking for one (tests); NULL:
 * no file. */
int cb_hs_config_file(const char *path, const char *target, const char *endpoint,
                      const char *bucket, cb_hs_cfg *out, cb_err *err);

/* The endpoint fit for messages: any user:password@ part removed. */
void cb_hs_safe_url(const char *url, char *buf, int cap);

#endif
