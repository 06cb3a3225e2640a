#include "backends/hsds/hsds_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/secrets.h"

enum { K_ENDPOINT, K_USERNAME, K_PASSWORD, K_BUCKET, K_API_KEY, NKEYS };
static const char *const file_keys[NKEYS] = {"hs_endpoint", "hs_username", "hs_password",
                                             "hs_bucket", "hs_api_key"};
static const char *const env_keys[NKEYS] = {"HS_ENDPOINT", "HS_USERNAME", "HS_PASSWORD",
                                            "HS_BUCKET", "HS_API_KEY"};

static char *field(cb_hs_cfg *c, int k)
{
    switch (k) {
    case K_ENDPOINT: return c->endpoint;
    case K_USERNAME: return c->username;
    case K_PASSWORD: return c->password;
    case K_BUCKET: return c->bucket;
    default: return c->api_key;
    }
}

/* Store v in dst; "None" (any case, as h5pyd) and "" mean unset. Values too
 * long for the buffer are an error rather than silently cut. */
static int set_value(char *dst, const char *v, const char *what, cb_err *err)
{
    if (!strcasecmp(v, "none"))
        v = "";
    if (strlen(v) >= CB_HS_STR)
        return cb_fail(err, CB_EUSAGE, "%s is longer than %d characters", what, CB_HS_STR - 1);
    strcpy(dst, v);
    return 0;
}

static int read_file(const char *path, cb_hs_cfg *c, cb_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0; /* like h5pyd: an unreadable file is as good as none */
    char line[4096];
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        char *s = cb_trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq)
            continue; /* h5pyd skips such lines too */
        *eq = '\0';
        const char *k = cb_trim(s), *v = cb_trim(eq + 1);
        for (int i = 0; i < NKEYS; i++)
            if (!strcmp(k, file_keys[i]))
                rc = set_value(field(c, i), v, file_keys[i], err);
    }
    fclose(f);
    if (rc)
        cb_wrap(err, "reading %s", path);
    return rc;
}

static int domain_of(const char *target, char *out, cb_err *err)
{
    static const char prefix[] = "hdf5://";
    if (strncmp(target, prefix, sizeof prefix - 1))
        return cb_fail(err, CB_EUSAGE, "%s is not an HSDS target (hdf5://folder/name)", target);
    const char *p = target + sizeof prefix - 1;
    while (*p == '/')
        p++;
    size_t n = strlen(p);
    if (n == 0 || p[n - 1] == '/')
        return cb_fail(err, CB_EUSAGE, "%s names no domain: give hdf5://home/USER/NAME.h5", target);
    if (n + 2 > CB_HS_STR)
        return cb_fail(err, CB_EUSAGE, "domain name %s is too long", target);
    out[0] = '/';
    memcpy(out + 1, p, n + 1);
    return 0;
}

int cb_hs_config_file(const char *path, const char *target, const char *endpoint,
                      const char *bucket, const char *ca_file, cb_hs_cfg *out, cb_err *err)
{
    memset(out, 0, sizeof *out);
    if (domain_of(target, out->domain, err))
        return -1;
    if (path && (cb_secret_file_check(path, "HSDS settings (hs_password, hs_endpoint)", err) ||
                 read_file(path, out, err)))
        return -1;
    for (int i = 0; i < NKEYS; i++) {
        const char *v = getenv(env_keys[i]);
        if (v && set_value(field(out, i), v, env_keys[i], err))
            return -1;
    }
    if (endpoint && set_value(out->endpoint, endpoint, "--endpoint", err))
        return -1;
    if (bucket && set_value(out->bucket, bucket, "--bucket", err))
        return -1;
    size_t n = strlen(out->endpoint);
    while (n > 0 && out->endpoint[n - 1] == '/')
        out->endpoint[--n] = '\0';
    if (n == 0)
        return cb_fail(err, CB_EUSAGE,
                       "no HSDS endpoint: set HS_ENDPOINT, hs_endpoint in ~/.hscfg, or give --endpoint");
    if (strncmp(out->endpoint, "http://", 7) && strncmp(out->endpoint, "https://", 8)) {
        char safe[CB_HS_STR];
        cb_hs_safe_url(out->endpoint, safe, sizeof safe);
        return cb_fail(err, CB_EUSAGE, "HSDS endpoint %s must start with http:// or https://", safe);
    }
    if (cb_url_has_userinfo(out->endpoint)) {
        /* A password in a URL shows in ps, shell history and logs. */
        char safe[CB_HS_STR];
        cb_hs_safe_url(out->endpoint, safe, sizeof safe);
        const char *from = endpoint ? "--endpoint" : getenv("HS_ENDPOINT") ? "HS_ENDPOINT" : path;
        return cb_fail(err, CB_EUSAGE,
                       "the HSDS endpoint (%s) carries user:password@: give it as %s and the credentials as "
                       "HS_USERNAME and HS_PASSWORD, or hs_username and hs_password in a .hscfg only you can read "
                       "(chmod 600)",
                       from, safe);
    }
    if (out->username[0] && !out->password[0] && !out->api_key[0]) {
        /* HSDS would answer "400 Malformed authorization header". */
        const char *u = getenv("HS_USERNAME");
        if (u && *u)
            return cb_fail(err, CB_EUSAGE,
                           "HS_USERNAME is set (%s) but HS_PASSWORD is empty%s: set HS_PASSWORD to the password of "
                           "%s, or unset HS_USERNAME",
                           out->username, getenv("HS_PASSWORD") ? "" : " (and no hs_password in .hscfg)",
                           out->username);
        return cb_fail(err, CB_EUSAGE,
                       "%s sets hs_username (%s) but HS_PASSWORD and hs_password are empty: set hs_password in "
                       "%s or HS_PASSWORD",
                       path ? path : "the settings", out->username, path ? path : ".hscfg");
    }
    const char *ca, *ca_from;
    if (cb_ca_bundle(ca_file, &ca, &ca_from, err))
        return -1;
    if (ca && set_value(out->ca_file, ca, ca_from, err))
        return -1;
    return 0;
}

int cb_hs_config(const char *target, const char *endpoint, const char *bucket, const char *ca_file,
                 cb_hs_cfg *out, cb_err *err)
{
    /* h5pyd reads ./.hscfg if it exists, otherwise ~/.hscfg: never both. */
    char home_cfg[4096];
    const char *path = NULL;
    FILE *f = fopen(".hscfg", "r");
    if (f) {
        fclose(f);
        path = ".hscfg";
    } else {
        const char *home = getenv("HOME");
        if (home && snprintf(home_cfg, sizeof home_cfg, "%s/.hscfg", home) < (int)sizeof home_cfg)
            path = home_cfg;
    }
    return cb_hs_config_file(path, target, endpoint, bucket, ca_file, out, err);
}

void cb_hs_safe_url(const char *url, char *buf, int cap)
{
    cb_url_safe(url, buf, (size_t)cap);
}
