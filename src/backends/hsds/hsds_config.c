#include "backends/hsds/hsds_config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
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
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq)
            continue; /* h5pyd skips such lines too */
        *eq = '\0';
        const char *k = trim(s), *v = trim(eq + 1);
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
                      const char *bucket, cb_hs_cfg *out, cb_err *err)
{
    memset(out, 0, sizeof *out);
    if (domain_of(target, out->domain, err))
        return -1;
    if (path && read_file(path, out, err))
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
    return 0;
}

int cb_hs_config(const char *target, const char *endpoint, const char *bucket, cb_hs_cfg *out,
                 cb_err *err)
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
    return cb_hs_config_file(path, target, endpoint, bucket, out, err);
}

void cb_hs_safe_url(const char *url, char *buf, int cap)
{
    const char *scheme_end = strstr(url, "://");
    const char *host = scheme_end ? scheme_end + 3 : url;
    const char *slash = strchr(host, '/');
    const char *at = strchr(host, '@');
    if (at && (!slash || at < slash))
        snprintf(buf, (size_t)cap, "%.*s%s", (int)(host - url), url, at + 1);
    else
        snprintf(buf, (size_t)cap, "%s", url);
}
