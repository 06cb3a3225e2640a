#define _GNU_SOURCE /* RTLD_NEXT */
#include "backends/hdf5/url.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secrets.h"

/* ---- credentials, as the AWS CLI finds them ---- */

static int put(char *dst, size_t cap, const char *v, const char *what, const char *where, cb_err *err)
{
    if (strlen(v) >= cap)
        return cb_fail(err, CB_EUSAGE, "%s in %s is longer than ros3 takes (%zu characters)", what, where, cap - 1);
    snprintf(dst, cap, "%s", v);
    return 0;
}

/* Section `section` of an AWS ini file (credentials: [NAME]; config:
 * [profile NAME], or [default]). *found: the section exists. */
static int read_profile(const char *path, const char *section, cb_s3_creds *c, int want_keys, int *found,
                        cb_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[8192];
    int in = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        char *s = cb_trim(line);
        if (!*s || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            char *e = strchr(s, ']');
            if (e)
                *e = '\0';
            in = !strcmp(cb_trim(s + 1), section);
            *found |= in;
            continue;
        }
        char *eq = strchr(s, '=');
        if (!in || !eq)
            continue;
        *eq = '\0';
        const char *k = cb_trim(s), *v = cb_trim(eq + 1);
        if (!strcmp(k, "region") && !c->region[0])
            rc = put(c->region, sizeof c->region, v, "region", path, err);
        else if (want_keys && !strcmp(k, "aws_access_key_id"))
            rc = put(c->key_id, sizeof c->key_id, v, "aws_access_key_id", path, err);
        else if (want_keys && !strcmp(k, "aws_secret_access_key"))
            rc = put(c->secret, sizeof c->secret, v, "aws_secret_access_key", path, err);
        else if (want_keys && !strcmp(k, "aws_session_token"))
            rc = put(c->token, sizeof c->token, v, "aws_session_token", path, err);
    }
    fclose(f);
    return rc;
}

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* $VAR, else ~/.aws/NAME. */
static void aws_file(const char *var, const char *name, char *out, size_t cap)
{
    const char *v = env(var), *home = env("HOME");
    if (v)
        snprintf(out, cap, "%s", v);
    else
        snprintf(out, cap, "%s/.aws/%s", home ? home : ".", name);
}

int cb_s3_find(const char *region, const char *profile, cb_s3_creds *c, cb_err *err)
{
    memset(c, 0, sizeof *c);
    const char *id = env("AWS_ACCESS_KEY_ID"), *key = env("AWS_SECRET_ACCESS_KEY");
    char creds[4096], config[4096], section[300];
    aws_file("AWS_SHARED_CREDENTIALS_FILE", "credentials", creds, sizeof creds);
    aws_file("AWS_CONFIG_FILE", "config", config, sizeof config);
    const char *name = profile ? profile : env("AWS_PROFILE") ? env("AWS_PROFILE") : "default";
    /* As the AWS CLI: keys in the environment win over a profile, unless the
     * profile is named on the command line. */
    if (!profile && (id || key)) {
        if (!id || !key)
            return cb_fail(err, CB_EUSAGE, "%s is set but %s is not: set both, or neither (to use a profile in %s)",
                           id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                           id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID", creds);
        if (put(c->key_id, sizeof c->key_id, id, "AWS_ACCESS_KEY_ID", "the environment", err) ||
            put(c->secret, sizeof c->secret, key, "AWS_SECRET_ACCESS_KEY", "the environment", err) ||
            (env("AWS_SESSION_TOKEN") &&
             put(c->token, sizeof c->token, env("AWS_SESSION_TOKEN"), "AWS_SESSION_TOKEN", "the environment", err)))
            return -1;
        snprintf(c->from, sizeof c->from, "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
    } else {
        int found = 0;
        if (cb_secret_file_check(creds, "AWS keys", err) || read_profile(creds, name, c, 1, &found, err))
            return -1;
        snprintf(section, sizeof section, strcmp(name, "default") ? "profile %s" : "%s", name);
        if (read_profile(config, section, c, !c->key_id[0], &found, err))
            return -1;
        if (!found && (profile || env("AWS_PROFILE")))
            return cb_fail(err, CB_EUSAGE, "AWS profile '%s' (%s) is in neither %s nor %s", name,
                           profile ? "--s3-profile" : "AWS_PROFILE", creds, config);
        if (!c->key_id[0] != !c->secret[0])
            return cb_fail(err, CB_EUSAGE, "AWS profile '%s' has %s but no %s", name,
                           c->key_id[0] ? "aws_access_key_id" : "aws_secret_access_key",
                           c->key_id[0] ? "aws_secret_access_key" : "aws_access_key_id");
        if (c->key_id[0])
            snprintf(c->from, sizeof c->from, "profile '%s'", name);
        else
            c->token[0] = '\0';
    }
    /* The region: the command line, the environment, then the profile. */
    const char *r = region ? region : env("AWS_REGION") ? env("AWS_REGION") : env("AWS_DEFAULT_REGION");
    if (r && put(c->region, sizeof c->region, r, "the region", region ? "--s3-region" : "the environment", err))
        return -1;
    return 0;
}

int cb_ros3_fapl(hid_t fapl, const cb_s3_creds *c, cb_err *err)
{
    H5FD_ros3_fapl_t fa;
    memset(&fa, 0, sizeof fa);
    fa.version = H5FD_CURR_ROS3_FAPL_T_VERSION;
    /* authenticate = 0: plain (anonymous) HTTP range requests. */
    fa.authenticate = c->key_id[0] != '\0';
    snprintf(fa.aws_region, sizeof fa.aws_region, "%s", c->region[0] || !fa.authenticate ? c->region : "us-east-1");
    snprintf(fa.secret_id, sizeof fa.secret_id, "%s", c->key_id);
    snprintf(fa.secret_key, sizeof fa.secret_key, "%s", c->secret);
    herr_t rc = H5Pset_fapl_ros3(fapl, &fa);
    memset(&fa, 0, sizeof fa); /* no copy of the secret left behind */
    if (rc < 0)
        return cb_fail(err, CB_EIO, "cannot set up the ros3 driver (H5Pset_fapl_ros3 failed)");
    if (c->token[0]) {
#if H5_VERSION_GE(1, 14, 2)
        if (H5Pset_fapl_ros3_token(fapl, c->token) < 0)
            return cb_fail(err, CB_EIO, "cannot give ros3 the session token (H5Pset_fapl_ros3_token failed)");
#else
        return cb_fail(err, CB_EUSAGE,
                       "%s has a session token (temporary credentials), but this chunkbench is built with HDF5 "
                       "%d.%d.%d, whose ros3 driver cannot send one (H5Pset_fapl_ros3_token needs HDF5 1.14.2 or "
                       "newer): use long-term keys, or build chunkbench against HDF5 1.14.2 or newer",
                       c->from, H5_VERS_MAJOR, H5_VERS_MINOR, H5_VERS_RELEASE);
#endif
    }
    return 0;
}

/* ---- the CA bundle, also for HDF5's own libcurl handles ---- */

/* HDF5's ros3 makes its curl handles itself and sets no CA option on them,
 * so libcurl would use its built-in bundle only (it reads neither
 * CURL_CA_BUNDLE nor, with a built-in bundle, OpenSSL's SSL_CERT_FILE).
 * chunkbench defines curl_easy_init: libhdf5's calls bind to this one (the
 * executable comes first in the lookup), which makes the handle with
 * libcurl's own and adds the CA bundle chosen here. */
static char g_cainfo[4096];

CURL *curl_easy_init(void)
{
    static CURL *(*real)(void);
    if (!real) {
        void *p = dlsym(RTLD_NEXT, "curl_easy_init");
        if (!p)
            return NULL;
        memcpy(&real, &p, sizeof p); /* object to function pointer, as POSIX allows */
    }
    CURL *c = real();
    if (c && g_cainfo[0])
        curl_easy_setopt(c, CURLOPT_CAINFO, g_cainfo);
    return c;
}

int cb_ros3_tls(const char *ca_file, cb_err *err)
{
    const char *path, *from;
    if (cb_ca_bundle(ca_file, &path, &from, err))
        return -1;
    if (path && strlen(path) >= sizeof g_cainfo)
        return cb_fail(err, CB_EUSAGE, "the CA bundle path (%s) is too long", from);
    snprintf(g_cainfo, sizeof g_cainfo, "%s", path ? path : "");
    return 0;
}

int cb_url_resolve(const char *target, const char *region, const char *endpoint, char *out, size_t cap,
                   cb_err *err)
{
    if (cb_url_has_userinfo(target)) {
        char safe[4096];
        cb_url_safe(target, safe, sizeof safe);
        return cb_fail(err, CB_EUSAGE,
                       "the URL carries user:password@: give it as %s, and S3 keys as AWS_ACCESS_KEY_ID and "
                       "AWS_SECRET_ACCESS_KEY or a profile in ~/.aws/credentials (--s3-profile NAME)",
                       safe);
    }
    if (strncmp(target, "s3://", 5) != 0) {
        if (endpoint)
            return cb_fail(err, CB_EUSAGE, "--s3-endpoint places s3://BUCKET/KEY targets; %s is already an address "
                           "(leave --s3-endpoint out, or give s3://BUCKET/KEY)", target);
        if ((size_t)snprintf(out, cap, "%s", target) >= cap)
            return cb_fail(err, CB_EUSAGE, "URL too long: %s", target);
        return 0;
    }
    const char *bucket = target + 5, *slash = strchr(bucket, '/');
    if (!slash || slash == bucket || !slash[1])
        return cb_fail(err, CB_EUSAGE, "an S3 target is s3://BUCKET/KEY, got '%s'", target);
    /* The endpoint as the AWS CLI takes it: the option, the S3 one, the
     * general one. */
    const char *from = endpoint ? "--s3-endpoint" : env("AWS_ENDPOINT_URL_S3") ? "AWS_ENDPOINT_URL_S3" : "AWS_ENDPOINT_URL";
    if (!endpoint)
        endpoint = env("AWS_ENDPOINT_URL_S3") ? env("AWS_ENDPOINT_URL_S3") : env("AWS_ENDPOINT_URL");
    if (endpoint) {
        if (strncmp(endpoint, "http://", 7) != 0 && strncmp(endpoint, "https://", 8) != 0)
            return cb_fail(err, CB_EUSAGE, "%s '%s' is not an http:// or https:// address (e.g. http://127.0.0.1:9000)",
                           from, endpoint);
        if (cb_url_has_userinfo(endpoint))
            return cb_fail(err, CB_EUSAGE, "%s carries user:password@: leave it out, S3 keys come from "
                           "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile", from);
        size_t n = strlen(endpoint);
        while (n > 0 && endpoint[n - 1] == '/')
            n--;
        /* Path-style: what S3-compatible servers (and AWS) all take. */
        if ((size_t)snprintf(out, cap, "%.*s/%s", (int)n, endpoint, bucket) >= cap)
            return cb_fail(err, CB_EUSAGE, "URL too long: %s", target);
        return 0;
    }
    if ((size_t)snprintf(out, cap, "https://%.*s.s3.%s.amazonaws.com/%s", (int)(slash - bucket), bucket,
                         region && *region ? region : "us-east-1", slash + 1) >= cap)
        return cb_fail(err, CB_EUSAGE, "URL too long: %s", target);
    return 0;
}

/* The first bytes of the answer: the HDF5 signature of a 206, or the start
 * of an S3 error document. */
typedef struct probe_buf {
    unsigned char head[1024];
    size_t n;
} probe_buf;

static size_t take(char *p, size_t size, size_t nmemb, void *user)
{
    probe_buf *b = user;
    size_t len = size * nmemb;
    size_t k = len < sizeof b->head - 1 - b->n ? len : sizeof b->head - 1 - b->n;
    memcpy(b->head + b->n, p, k);
    b->n += k;
    b->head[b->n] = '\0';
    /* A server that ignores Range sends the whole file: stop when full. */
    return k == len ? len : 0;
}

/* The <Code> of an S3 error document (SignatureDoesNotMatch, NoSuchKey...),
 * else "". Only the one element is looked for, so no XML parser. */
static void s3_code(const probe_buf *b, char *out, size_t cap)
{
    const char *s = strstr((const char *)b->head, "<Code>"), *e = s ? strstr(s, "</Code>") : NULL;
    out[0] = '\0';
    if (s && e && e - s - 6 < (long)cap)
        snprintf(out, cap, "%.*s", (int)(e - s - 6), s + 6);
}

int cb_url_probe(const char *url, const cb_s3_creds *c, cb_err *err)
{
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    int sign = c && c->key_id[0];
    CURL *h = curl_easy_init();
    if (!h)
        return cb_fail(err, CB_EIO, "cannot start libcurl");
    probe_buf b = {{0}, 0};
    char why[CURL_ERROR_SIZE] = "", scope[64], token[4200];
    struct curl_slist *hdr = NULL;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_RANGE, "0-7");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, take);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, why);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 15L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (sign) {
#if LIBCURL_VERSION_NUM >= 0x074b00 /* CURLOPT_AWS_SIGV4: libcurl 7.75 */
        /* Signed as ros3 signs, so the probe sees what ros3 will see. S3
         * wants the payload hash among the headers; libcurl (before 8.1)
         * does not add it itself. */
        snprintf(scope, sizeof scope, "aws:amz:%s:s3", c->region[0] ? c->region : "us-east-1");
        curl_easy_setopt(h, CURLOPT_AWS_SIGV4, scope);
        curl_easy_setopt(h, CURLOPT_USERNAME, c->key_id);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->secret);
        hdr = curl_slist_append(hdr, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
        if (c->token[0]) {
            snprintf(token, sizeof token, "x-amz-security-token: %s", c->token);
            hdr = curl_slist_append(hdr, token);
            memset(token, 0, sizeof token);
        }
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
#else
        (void)scope;
        (void)token;
#endif
    }
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    curl_slist_free_all(hdr);
    if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && b.n >= sizeof sig)) {
        int cert = rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE;
        return cb_fail(err, CB_EIO, "cannot read %s: %s%s", url, *why ? why : curl_easy_strerror(rc),
                       !cert ? "" : g_cainfo[0] ? " (the CA bundle in use does not vouch for this server)"
                                                : " (a private CA? give its certificate with --ca-file PATH or CURL_CA_BUNDLE)");
    }
    char code[64];
    s3_code(&b, code, sizeof code);
#if LIBCURL_VERSION_NUM < 0x074b00
    /* Not signed here: a private object answers 403 to it, and ros3's
     * signed requests are the ones that count. */
    if (status == 403 && sign)
        return 0;
#endif
    /* AWS answers 400 to a bad token, some servers 403. */
    if ((status == 400 || status == 403) && sign && (!strcmp(code, "ExpiredToken") || !strcmp(code, "InvalidToken")))
        return cb_fail(err, CB_EUSAGE, "%s: the server answered %ld (%s): the session token from %s is expired or "
                       "not valid; get new credentials", url, status, code, c->from);
    if (status == 403 && sign) {
        if (!strcmp(code, "SignatureDoesNotMatch"))
            return cb_fail(err, CB_EUSAGE, "%s: the server answered 403 (SignatureDoesNotMatch): the secret key from "
                           "%s is not the one of its key id; check the credentials", url, c->from);
        if (!strcmp(code, "InvalidAccessKeyId"))
            return cb_fail(err, CB_EUSAGE, "%s: the server answered 403 (InvalidAccessKeyId): it does not know the "
                           "access key id from %s; check the credentials", url, c->from);
        return cb_fail(err, CB_EUSAGE, "%s: the server answered 403 (%s) to a request signed with the credentials "
                       "from %s: they may not read this object; check the credentials and the policy", url,
                       *code ? code : "forbidden", c->from);
    }
    if (status == 404 && !strcmp(code, "NoSuchBucket"))
        return cb_fail(err, CB_EUSAGE, "%s: the server answered 404 (NoSuchBucket): there is no such bucket; check "
                       "the URL%s", url, sign ? " (and the endpoint)" : "");
    if (status == 404 && !strcmp(code, "NoSuchKey"))
        return cb_fail(err, CB_EUSAGE, "%s: the server answered 404 (NoSuchKey): the bucket has no such object; "
                       "check the URL", url);
    if (status == 404 || status == 403)
        return cb_fail(err, CB_EUSAGE, "%s: the server answered %ld (%s); check the URL%s", url, status,
                       status == 404 ? "not found" : "forbidden",
                       status == 403 ? " (a private object? set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a "
                                       "profile, to sign the requests)" : "");
    if (status == 301 || (status == 400 && !strcmp(code, "AuthorizationHeaderMalformed")))
        return cb_fail(err, CB_EUSAGE, "%s: the server answered %ld (%s): the bucket is in another region; give "
                       "it with --s3-region or AWS_REGION", url, status, *code ? code : "moved");
    if (status != 206) {
        if (status == 200)
            return cb_fail(err, CB_EUSAGE,
                           "%s: the server ignores range requests (answered 200 to a ranged GET); reading over HTTP needs range support (206)",
                           url);
        return cb_fail(err, CB_EIO, "%s: the server answered %ld%s%s%s to a ranged GET; expected 206", url, status,
                       *code ? " (" : "", code, *code ? ")" : "");
    }
    if (b.n < sizeof sig || memcmp(b.head, sig, sizeof sig) != 0)
        return cb_fail(err, CB_EUSAGE, "%s is not an HDF5 file (no HDF5 signature at byte 0)", url);
    return 0;
}
