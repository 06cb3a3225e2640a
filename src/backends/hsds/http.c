#include "backends/hsds/http.h"
#include "core/iolog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/clock.h"
#include "core/version.h"

/* Set once any request of this process got an HTTP answer: from then on a
 * refused connection means a server restarting, worth waiting for; before,
 * it means no server, and the user should hear so at once. */
static int g_reached;
static int g_curl_ready;

struct cb_http {
    CURL *curl;
    cb_hs_cfg cfg;
    char where[CB_HS_STR];
    char domain_esc[3 * CB_HS_STR], bucket_param[3 * CB_HS_STR + 8]; /* escaped once */
    /* Header lists built once: nothing is allocated per request. */
    struct curl_slist *hdr_json_body, *hdr_bin_body, *hdr_bin_both, *hdr_bin_accept, *hdr_json_accept;
    char *url;
    size_t url_cap;
    /* Text answers (JSON, error lines) collect here; the buffer is kept. */
    char *text;
    size_t text_len, text_cap;
    /* Binary answers go straight to the caller's buffer. */
    unsigned char *out;
    size_t out_len, out_got, out_extra;
    int binary;
    cb_net_stats *stats;
    int max_retries;
    double max_s;
    unsigned rng;
    char curl_err[CURL_ERROR_SIZE];
    /* The multi this handle runs in: its own, or one shared with other
     * handles of the same writer (cb_http_link). NULL: plain easy transfers. */
    struct cb_http_group *group;
    int async;      /* a started request is in the multi */
    int done;       /* it finished; the outcome waits for cb_http_poll */
    CURLcode done_crc;
    double done_t1;
    cb_http_req async_req;
    double async_t0;
};

/* Handles of one writer that share a libcurl multi, so that waiting for a
 * request on one of them also moves the requests started on the others (a
 * claim or a flush runs while the data goes out). */
struct cb_http_group {
    CURLM *multi;
    int refs;
};

static struct cb_http_group *group_new(void)
{
    struct cb_http_group *g = calloc(1, sizeof *g);
    if (g && !(g->multi = curl_multi_init())) {
        free(g);
        return NULL;
    }
    if (g)
        g->refs = 1;
    return g;
}

static void group_drop(struct cb_http_group *g)
{
    if (g && --g->refs == 0) {
        curl_multi_cleanup(g->multi);
        free(g);
    }
}

/* Move every transfer of the group along without waiting; finished ones are
 * taken out of the multi and marked done on their handle. */
static void group_drive(struct cb_http_group *g)
{
    int running = 0, left;
    curl_multi_perform(g->multi, &running);
    CURLMsg *m;
    while ((m = curl_multi_info_read(g->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        char *priv = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
        cb_http *x = (cb_http *)priv;
        CURLcode crc = m->data.result;
        curl_multi_remove_handle(g->multi, m->easy_handle);
        if (x) {
            x->async = 0;
            x->done = 1;
            x->done_crc = crc;
            x->done_t1 = cb_now();
        }
    }
}

const cb_hs_cfg *cb_http_cfg(const cb_http *h) { return &h->cfg; }
cb_net_stats *cb_http_stats(const cb_http *h) { return h->stats; }
const char *cb_http_where(const cb_http *h) { return h->where; }

int cb_http_escape(char *dst, size_t cap, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(dst);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (n + (plain ? 1 : 3) >= cap)
            return -1;
        if (plain) {
            dst[n++] = (char)c;
        } else {
            dst[n++] = '%';
            dst[n++] = hex[c >> 4];
            dst[n++] = hex[c & 15];
        }
    }
    dst[n] = '\0';
    return 0;
}

static int text_reserve(cb_http *h, size_t more)
{
    if (h->text_len + more + 1 <= h->text_cap)
        return 0;
    size_t cap = h->text_cap ? h->text_cap : 4096;
    while (cap < h->text_len + more + 1)
        cap *= 2;
    char *p = realloc(h->text, cap);
    if (!p)
        return -1;
    h->text = p;
    h->text_cap = cap;
    return 0;
}

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud)
{
    cb_http *h = ud;
    size_t n = size * nmemb;
    long code = 0;
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code);
    if (h->binary && code >= 200 && code < 300) {
        size_t room = h->out_len - h->out_got, take = n < room ? n : room;
        memcpy(h->out + h->out_got, ptr, take);
        h->out_got += take;
        h->out_extra += n - take; /* more than the selection: also an error */
        return n;
    }
    if (text_reserve(h, n))
        return 0; /* out of memory: libcurl reports a write error */
    memcpy(h->text + h->text_len, ptr, n);
    h->text_len += n;
    h->text[h->text_len] = '\0';
    return n;
}

static struct curl_slist *headers(const cb_http *h, const char *a, const char *b, int *bad)
{
    struct curl_slist *l = NULL, *t;
    const char *hs[] = {a, b, "Expect:"}; /* no 100-continue round trip */
    for (int i = 0; i < 3; i++) {
        if (!hs[i])
            continue;
        if (!(t = curl_slist_append(l, hs[i])))
            goto fail;
        l = t;
    }
    if (h->cfg.api_key[0]) {
        char auth[CB_HS_STR + 32];
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", h->cfg.api_key);
        t = curl_slist_append(l, auth);
        memset(auth, 0, sizeof auth);
        if (!t)
            goto fail;
        l = t;
    }
    return l;
fail:
    curl_slist_free_all(l);
    *bad = 1;
    return NULL;
}

static double env_num(const char *name, double dflt)
{
    const char *v = getenv(name);
    char *end;
    if (!v || !*v)
        return dflt;
    double d = strtod(v, &end);
    return *end || d < 0 ? dflt : d;
}

int cb_http_open(const cb_hs_cfg *cfg, cb_net_stats *stats, cb_http **out, cb_err *err)
{
    *out = NULL;
    if (!g_curl_ready) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return cb_fail(err, CB_EIO, "libcurl failed to initialise");
        g_curl_ready = 1;
    }
    cb_http *h = calloc(1, sizeof *h);
    if (!h)
        return cb_fail(err, CB_EIO, "out of memory");
    h->cfg = *cfg;
    h->stats = stats;
    h->max_retries = (int)env_num("CB_HTTP_RETRIES", CB_HTTP_RETRIES);
    h->max_s = env_num("CB_HTTP_RETRY_S", CB_HTTP_RETRY_S);
    h->rng = (unsigned)getpid() ^ (unsigned)time(NULL);
    cb_hs_safe_url(cfg->endpoint, h->where, sizeof h->where);

    if (cfg->bucket[0])
        strcpy(h->bucket_param, "&bucket=");
    if (cb_http_escape(h->domain_esc, sizeof h->domain_esc, cfg->domain) ||
        (cfg->bucket[0] && cb_http_escape(h->bucket_param, sizeof h->bucket_param, cfg->bucket))) {
        free(h);
        return cb_fail(err, CB_EUSAGE, "domain or bucket name too long");
    }

    int bad = 0;
    h->hdr_json_body = headers(h, "Content-Type: application/json", "Accept: application/json", &bad);
    h->hdr_bin_body = headers(h, "Content-Type: application/octet-stream", "Accept: application/json", &bad);
    h->hdr_bin_both = headers(h, "Content-Type: application/octet-stream", "Accept: application/octet-stream", &bad);
    h->hdr_bin_accept = headers(h, "Accept: application/octet-stream", NULL, &bad);
    h->hdr_json_accept = headers(h, "Accept: application/json", NULL, &bad);
    h->curl = curl_easy_init();
    if (bad || !h->curl || text_reserve(h, 4096)) {
        cb_http_close(h);
        return cb_fail(err, CB_EIO, "out of memory setting up the HTTP client");
    }
    CURL *c = h->curl;
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PRIVATE, (char *)h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->curl_err);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    /* A stalled transfer (server gone silent) fails and is retried; a slow
     * but moving one is left alone however long it takes. */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 120L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "chunkbench/" CB_VERSION_STRING);
    if (cfg->ca_file[0])
        curl_easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file);
    if (!cfg->api_key[0] && cfg->username[0]) {
        /* Basic only: libcurl then sends it with the first request instead of
         * waiting for a 401 challenge. */
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERNAME, cfg->username);
        curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->password);
    }
    *out = h;
    return 0;
}

void cb_http_close(cb_http *h)
{
    if (!h)
        return;
    if (h->group && h->async)
        curl_multi_remove_handle(h->group->multi, h->curl);
    if (h->curl)
        curl_easy_cleanup(h->curl);
    group_drop(h->group); /* the multi goes with its last handle */
    curl_slist_free_all(h->hdr_json_body);
    curl_slist_free_all(h->hdr_bin_body);
    curl_slist_free_all(h->hdr_bin_both);
    curl_slist_free_all(h->hdr_bin_accept);
    curl_slist_free_all(h->hdr_json_accept);
    free(h->url);
    free(h->text);
    /* The password and key lived in this struct: leave no copy behind. */
    memset(&h->cfg, 0, sizeof h->cfg);
    free(h);
}

static void record(cb_http *h, const cb_http_req *r, double seconds)
{
    cb_net_stats *s = h->stats;
    if (!s)
        return;
    s->requests++;
    if (s->log) {
        /* libcurl's own byte counts: the body each way, as the request log of
         * the file drivers counts what was read. HTTP has no file offset (-1). */
        curl_off_t up = 0, down = 0;
        curl_easy_getinfo(h->curl, CURLINFO_SIZE_UPLOAD_T, &up);
        curl_easy_getinfo(h->curl, CURLINFO_SIZE_DOWNLOAD_T, &down);
        int data = r->path && strstr(r->path, "/value") != NULL;
        double end = cb_now();
        cb_iolog_add(s->log, -1, (int64_t)(up + down), end - seconds, end, data ? CB_REQ_DRAW : CB_REQ_META);
    }
    if (s->nlatency == s->cap) {
        int64_t cap = s->cap ? 2 * s->cap : 1024;
        double *p = realloc(s->latency, (size_t)cap * sizeof *p);
        if (!p)
            return; /* keep counting; lose only the latency sample */
        s->latency = p;
        s->cap = cap;
    }
    s->latency[s->nlatency++] = seconds;
}

void cb_http_retry_start(cb_http_retry *r)
{
    r->attempt = 0;
    r->t0 = cb_now();
}

int cb_http_retry_wait(cb_http *h, cb_http_retry *r, cb_err *err)
{
    double wait = CB_HTTP_BACKOFF0_S;
    for (int i = 0; i < r->attempt && wait < 5.0; i++)
        wait *= 2;
    if (wait > 5.0)
        wait = 5.0;
    /* Jitter (50-100%) so writers that failed together do not return together. */
    wait *= 0.5 + 0.5 * ((double)rand_r(&h->rng) / RAND_MAX);
    if (r->attempt >= h->max_retries || cb_now() + wait - r->t0 > h->max_s)
        return cb_wrap(err, "gave up after %d retries in %.0f s", r->attempt, cb_now() - r->t0);
    r->attempt++;
    if (h->stats)
        h->stats->retries++;
    struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
    nanosleep(&ts, NULL);
    return 0;
}

/* The server's reason for a 4xx/5xx: its text body ("400: Bad Request" or a
 * real sentence), first line, without the repeated code. */
static void reason(const cb_http *h, long code, char *buf, size_t cap)
{
    const char *t = h->text_len ? h->text : "";
    char prefix[16];
    snprintf(prefix, sizeof prefix, "%ld: ", code);
    if (!strncmp(t, prefix, strlen(prefix)))
        t += strlen(prefix);
    size_t n = strcspn(t, "\r\n");
    if (n > 300)
        n = 300;
    snprintf(buf, cap, "%.*s", (int)n, t);
}

static int retryable_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
        return 1;
    default:
        return 0;
    }
}

/* Set the handle up for r: URL, method, body, headers, answer buffers. */
static int prepare(cb_http *h, const cb_http_req *r, cb_err *err)
{
    char other[3 * CB_HS_STR] = "";
    if (r->domain && cb_http_escape(other, sizeof other, r->domain))
        return cb_fail(err, CB_EUSAGE, "domain name %s is too long", r->domain);
    const char *dom = r->domain ? other : h->domain_esc;
    size_t need = strlen(h->cfg.endpoint) + strlen(r->path) + strlen(dom) + strlen(h->bucket_param) +
                  (r->params ? strlen(r->params) : 0) + 16;
    if (need > h->url_cap) {
        char *u = realloc(h->url, need);
        if (!u)
            return cb_fail(err, CB_EIO, "out of memory");
        h->url = u;
        h->url_cap = need;
    }
    snprintf(h->url, h->url_cap, "%s%s?domain=%s%s%s%s", h->cfg.endpoint, r->path, dom, h->bucket_param,
             r->params ? "&" : "", r->params ? r->params : "");
    CURL *c = h->curl;
    curl_easy_setopt(c, CURLOPT_URL, h->url);
    if (r->body_kind == CB_BODY_NONE) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
        if (!strcmp(r->method, "PUT")) {
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
        }
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, r->out ? h->hdr_bin_accept : h->hdr_json_accept);
    } else {
        /* POSTFIELDS points at the caller's buffer: libcurl sends it as is. */
        size_t len = r->body_kind == CB_BODY_JSON ? strlen(r->body) : r->body_len;
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        /* A binary body with a binary answer: a point read (POST .../value). */
        curl_easy_setopt(c, CURLOPT_HTTPHEADER,
                         r->body_kind == CB_BODY_JSON ? h->hdr_json_body : r->out ? h->hdr_bin_both : h->hdr_bin_body);
    }
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, strcmp(r->method, "GET") ? r->method : NULL);
    return 0;
}

static void reset_answer(cb_http *h, const cb_http_req *r)
{
    h->text_len = 0;
    h->text[0] = '\0';
    h->binary = r->out != NULL;
    h->out = r->out;
    h->out_len = r->out_len;
    h->out_got = h->out_extra = 0;
    h->curl_err[0] = '\0';
    if (r->json)
        *r->json = NULL;
}

/* Judge one finished attempt. Returns CB_HTTP_OK, CB_HTTP_STATUS (final),
 * CB_HTTP_RETRYABLE or CB_HTTP_FAIL, with err holding why. */
static int evaluate(cb_http *h, const cb_http_req *r, CURLcode rc, long *status, cb_err *err)
{
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, status);
    if (rc != CURLE_OK) {
        int refused = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST;
        if (refused && !g_reached) {
            cb_fail(err, CB_EIO, "cannot reach HSDS at %s (%s): start the server or set HS_ENDPOINT", h->where,
                    h->curl_err[0] ? h->curl_err : curl_easy_strerror(rc));
            return CB_HTTP_FAIL;
        }
        /* A private CA is the usual reason; say how to trust it. */
        int cert = rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE;
        cb_fail(err, CB_EIO, "%s %s at %s failed: %s%s", r->method, r->path, h->where,
                h->curl_err[0] ? h->curl_err : curl_easy_strerror(rc),
                !cert ? "" : h->cfg.ca_file[0] ? " (the CA bundle in use does not vouch for this server)"
                                               : " (a private CA? give its certificate with --ca-file PATH or CURL_CA_BUNDLE)");
        return retryable_curl(rc) ? CB_HTTP_RETRYABLE : CB_HTTP_FAIL;
    }
    g_reached = 1;
    long code = *status;
    if (code >= 200 && code < 300) {
        if (r->out && (h->out_got != r->out_len || h->out_extra)) {
            cb_fail(err, CB_EIO, "%s %s at %s: short read, %zu bytes instead of %zu", r->method,
                    r->path, h->where, h->out_got + h->out_extra, r->out_len);
            return CB_HTTP_RETRYABLE;
        }
        if (r->json) {
            *r->json = h->text_len ? cJSON_ParseWithLength(h->text, h->text_len) : NULL;
            if (h->text_len && !*r->json) {
                /* A body cut short by a failing stream parses as garbage. */
                cb_fail(err, CB_EIO, "%s %s at %s: answer is not valid JSON (%zu bytes)", r->method,
                        r->path, h->where, h->text_len);
                return CB_HTTP_RETRYABLE;
            }
        }
        return CB_HTTP_OK;
    }
    char why[320];
    reason(h, code, why, sizeof why);
    cb_fail(err, CB_EIO, "%s %s at %s answered %ld%s%s", r->method, r->path, h->where, code,
            why[0] ? ": " : "", why);
    if (code == 500 || code == 502 || code == 503 || code == 504)
        return CB_HTTP_RETRYABLE;
    return CB_HTTP_STATUS;
}

int cb_http_link(cb_http *h, cb_http *with, cb_err *err)
{
    if (h->group && h->group == with->group)
        return 0;
    if (h->async || h->done)
        return cb_fail(err, CB_EIO, "internal: linking a busy HTTP handle");
    if (!with->group && !(with->group = group_new()))
        return cb_fail(err, CB_EIO, "out of memory setting up the HTTP client");
    group_drop(h->group);
    h->group = with->group;
    h->group->refs++;
    return 0;
}

/* One attempt of the prepared request. In a group it runs in the shared
 * multi, so the group's started requests move while it does. */
static CURLcode perform(cb_http *h)
{
    if (!h->group)
        return curl_easy_perform(h->curl);
    if (curl_multi_add_handle(h->group->multi, h->curl) != CURLM_OK)
        return CURLE_OUT_OF_MEMORY;
    h->async = 1;
    for (;;) {
        group_drive(h->group);
        if (h->done)
            break;
        /* libcurl shortens the wait to its own timers. */
        curl_multi_poll(h->group->multi, NULL, 0, 1000, NULL);
    }
    h->done = 0;
    return h->done_crc;
}

int cb_http_do(cb_http *h, const cb_http_req *r, long *status, cb_err *err)
{
    if (h->async || h->done) {
        cb_fail(err, CB_EIO, "internal: HTTP handle busy with a started request");
        return CB_HTTP_FAIL;
    }
    if (prepare(h, r, err))
        return CB_HTTP_FAIL;
    cb_http_retry rt;
    cb_http_retry_start(&rt);
    for (;;) {
        cb_err e = {0};
        *status = 0;
        reset_answer(h, r);
        double t0 = cb_now();
        CURLcode crc = perform(h);
        record(h, r, cb_now() - t0);
        int rc = evaluate(h, r, crc, status, &e);
        if (rc == CB_HTTP_OK)
            return rc;
        if (rc != CB_HTTP_RETRYABLE || r->no_retry) {
            cb_fail(err, e.code, "%s", e.msg);
            return rc;
        }
        if (cb_http_retry_wait(h, &rt, &e)) {
            cb_fail(err, e.code, "%s", e.msg);
            return CB_HTTP_FAIL;
        }
    }
}

int cb_http_start(cb_http *h, const cb_http_req *r, cb_err *err)
{
    if (h->async || h->done)
        return cb_fail(err, CB_EIO, "internal: HTTP handle busy with a started request");
    if (!h->group && !(h->group = group_new()))
        return cb_fail(err, CB_EIO, "out of memory setting up the HTTP client");
    if (prepare(h, r, err))
        return -1;
    reset_answer(h, r);
    h->async_req = *r;
    h->async_t0 = cb_now();
    if (curl_multi_add_handle(h->group->multi, h->curl) != CURLM_OK)
        return cb_fail(err, CB_EIO, "libcurl refused to start a request");
    h->async = 1;
    /* Send it now: the server works on it while the caller does other things. */
    group_drive(h->group);
    return 0;
}

int cb_http_poll(cb_http *h, double wait_s, int *result, long *status, cb_err *err)
{
    if (!h->async && !h->done)
        return cb_fail(err, CB_EIO, "internal: no started HTTP request");
    double until = cb_now() + wait_s;
    for (;;) {
        if (!h->done)
            group_drive(h->group);
        if (h->done) {
            h->done = 0;
            record(h, &h->async_req, h->done_t1 - h->async_t0);
            *status = 0;
            *result = evaluate(h, &h->async_req, h->done_crc, status, err);
            return 1;
        }
        double left_s = until - cb_now();
        if (left_s <= 0)
            return 0;
        curl_multi_poll(h->group->multi, NULL, 0, (int)(left_s * 1000) + 1, NULL);
    }
}

void cb_http_abort(cb_http *h)
{
    if (h->async)
        curl_multi_remove_handle(h->group->multi, h->curl); /* libcurl drops its connection */
    h->async = h->done = 0;
}
