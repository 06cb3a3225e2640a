/* The REST transport to HSDS: one kept-alive libcurl handle per writer,
 * credentials sent pre-emptively, retries with exponential backoff on
 * connection errors and 500/502/503/504 (bounded in count and in time),
 * JSON through cJSON, binary bodies sent from and read into the caller's
 * buffers without extra copies. */
#ifndef CHUNKBENCH_HTTP_H
#define CHUNKBENCH_HTTP_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "backends/backend.h"
#include "core/error.h"
#include "backends/hsds/hsds_config.h"

typedef struct cb_http cb_http;

/* Retry limits. The environment can change them (tests, flaky links):
 * CB_HTTP_RETRIES (count), CB_HTTP_RETRY_S (total seconds of one operation). */
#define CB_HTTP_RETRIES 16
#define CB_HTTP_RETRY_S 120.0
#define CB_HTTP_BACKOFF0_S 0.1 /* first wait; doubles, capped at 5 s, jittered */

/* stats may be NULL; otherwise every attempt is counted there. */
int cb_http_open(const cb_hs_cfg *cfg, cb_net_stats *stats, cb_http **out, cb_err *err);
void cb_http_close(cb_http *h);
const cb_hs_cfg *cb_http_cfg(const cb_http *h);
/* Where h counts its requests (may be NULL). */
cb_net_stats *cb_http_stats(const cb_http *h);

enum { CB_BODY_NONE = 0, CB_BODY_JSON, CB_BODY_BINARY };

typedef struct cb_http_req {
    const char *method; /* GET PUT POST DELETE */
    const char *path;   /* "/" or "/datasets/d-..../value" */
    const char *params; /* more query parameters, already escaped ("select=..."), or NULL;
                           domain= and bucket= are added */
    const char *domain; /* another domain or folder than the configured one, or NULL */
    int body_kind;
    const void *body;   /* JSON text (NUL-terminated) or raw bytes */
    size_t body_len;    /* binary only */
    /* Response: raw bytes into out (exactly out_len expected: fewer is a
     * short read, retried), or else JSON parsed into *json (may be NULL).
     * A binary body with out asks for a binary answer (a point read). */
    void *out;
    size_t out_len;
    cJSON **json;
    int no_retry;       /* not idempotent (claims): the caller recovers and retries */
} cb_http_req;

/* Outcome of cb_http_do. */
enum {
    CB_HTTP_OK = 0,       /* 2xx; *status has the code */
    CB_HTTP_STATUS = 1,   /* 4xx or a final 5xx: *status has it, err has a line */
    CB_HTTP_RETRYABLE = 2, /* only with no_retry: a failure worth retrying */
    CB_HTTP_FAIL = -1,    /* transport failure after the retries */
};

/* Send one request (retrying as above unless no_retry). For CB_HTTP_STATUS
 * err->msg has a line naming the request, the code and the server's reason;
 * callers usually replace it with a clearer one for the codes they expect. */
int cb_http_do(cb_http *h, const cb_http_req *r, long *status, cb_err *err);

/* Start r without waiting for it (one at a time per handle; r's buffers must
 * live until it is done). No retries: the caller decides. */
int cb_http_start(cb_http *h, const cb_http_req *r, cb_err *err);
/* Drive a started request for up to wait_s seconds (0: just look). Returns 1
 * when it is done (*result as cb_http_do's, *status), 0 while it runs, -1 if
 * nothing was started. */
int cb_http_poll(cb_http *h, double wait_s, int *result, long *status, cb_err *err);
/* Give up a started request (its connection is closed); the handle is free again. */
void cb_http_abort(cb_http *h);

/* Let h share one libcurl multi with `with` (both idle): from then on any
 * request on one of them, blocking or started, also moves the requests
 * started on the others, each on its own connection. */
int cb_http_link(cb_http *h, cb_http *with, cb_err *err);

/* Retry budget of one logical operation (for no_retry callers). */
typedef struct cb_http_retry {
    int attempt;
    double t0;
} cb_http_retry;
void cb_http_retry_start(cb_http_retry *r);
/* Wait before the next attempt and count a retry; -1 (err set) when the
 * budget is spent. */
int cb_http_retry_wait(cb_http *h, cb_http_retry *r, cb_err *err);

/* Append s to dst (cap bytes) %-escaped for a query value; -1 if it does not fit. */
int cb_http_escape(char *dst, size_t cap, const char *s);

/* The endpoint for messages (no credentials). */
const char *cb_http_where(const cb_http *h);

#endif
