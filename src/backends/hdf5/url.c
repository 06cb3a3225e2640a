#include "backends/hdf5/url.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

int cb_url_resolve(const char *target, const char *region, char *out, size_t cap, cb_err *err)
{
    if (strncmp(target, "s3://", 5) != 0) {
        if ((size_t)snprintf(out, cap, "%s", target) >= cap)
            return cb_fail(err, CB_EUSAGE, "URL too long: %s", target);
        return 0;
    }
    const char *bucket = target + 5, *slash = strchr(bucket, '/');
    if (!slash || slash == bucket || !slash[1])
        return cb_fail(err, CB_EUSAGE, "an S3 target is s3://BUCKET/KEY, got '%s'", target);
    if ((size_t)snprintf(out, cap, "https://%.*s.s3.%s.amazonaws.com/%s", (int)(slash - bucket), bucket,
                         region && *region ? region : "us-east-1", slash + 1) >= cap)
        return cb_fail(err, CB_EUSAGE, "URL too long: %s", target);
    return 0;
}

typedef struct probe_buf {
    unsigned char head[8];
    size_t n;
} probe_buf;

static size_t take(char *p, size_t size, size_t nmemb, void *user)
{
    probe_buf *b = user;
    size_t len = size * nmemb;
    size_t k = len < sizeof b->head - b->n ? len : sizeof b->head - b->n;
    memcpy(b->head + b->n, p, k);
    b->n += k;
    /* A server that ignores Range sends the whole file: stop after 8 bytes. */
    return b->n >= sizeof b->head ? (k == len ? len : 0) : len;
}

int cb_url_probe(const char *url, cb_err *err)
{
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    CURL *c = curl_easy_init();
    if (!c)
        return cb_fail(err, CB_EIO, "cannot start libcurl");
    probe_buf b = {{0}, 0};
    char why[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_RANGE, "0-7");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, take);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, why);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 15L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && b.n == sizeof b.head))
        return cb_fail(err, CB_EIO, "cannot read %s: %s", url, *why ? why : curl_easy_strerror(rc));
    if (status == 404 || status == 403)
        return cb_fail(err, CB_EUSAGE, "%s: the server answered %ld (%s); check the URL", url, status,
                       status == 404 ? "not found" : "forbidden");
    if (status != 206) {
        if (status == 200)
            return cb_fail(err, CB_EUSAGE,
                           "%s: the server ignores range requests (answered 200 to a ranged GET); the ros3 driver needs HTTP range support (206)",
                           url);
        return cb_fail(err, CB_EIO, "%s: the server answered %ld to a ranged GET; expected 206", url, status);
    }
    if (b.n < sizeof sig || memcmp(b.head, sig, sizeof sig) != 0)
        return cb_fail(err, CB_EUSAGE, "%s is not an HDF5 file (no HDF5 signature at byte 0)", url);
    return 0;
}
