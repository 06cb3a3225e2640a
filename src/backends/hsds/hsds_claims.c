/* The claim queue of --schedule server: claims with the server's atomic
 * query-update, a batch at a time, the next one made in the background
 * while the last claimed task's data goes out, claims whose answer was lost
 * found again, and unused claims given back at close. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/hsds/hsds_store.h"
#include "core/clock.h"

/* The row indices a query-update answer names (none: *n = 0). Servers 1.0
 * answer {"indices": [[i], ...]}; 0.9 answers {"value": [[i, start, done,
 * status, x, y, nrow, ncol, pod], ...]}, the updated rows themselves. */
static int answer_rows(hs_store *s, const cJSON *j, int64_t *idx, int max, int *n, cb_err *err)
{
    *n = 0;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(j, "indices"), *e;
    if (!list)
        list = cJSON_GetObjectItemCaseSensitive(j, "index");
    if (!list)
        list = cJSON_GetObjectItemCaseSensitive(j, "value");
    cJSON_ArrayForEach(e, list) {
        const cJSON *x = cJSON_IsArray(e) ? cJSON_GetArrayItem(e, 0) : e;
        int64_t i = cJSON_IsNumber(x) ? (int64_t)x->valuedouble : -1;
        if (i < 0 || i >= s->in.ntasks || *n == max)
            return cb_fail(err, CB_EIO, "a claim on %s answered row %lld of %lld (%d asked for)", hs_domain_of(s->h),
                           (long long)i, (long long)s->in.ntasks, max);
        idx[(*n)++] = i;
    }
    return 0;
}

/* Claimed rows wait in cq->queue, in claim order, until handed out. */
static int queue_push(hs_store *s, int64_t index, double stamp)
{
    hs_claims *cq = &s->claims;
    if (cq->nqueue == cq->capqueue) {
        int cap = cq->capqueue ? 2 * cq->capqueue : 16;
        hs_claimed *q = realloc(cq->queue, (size_t)cap * sizeof *q);
        if (!q)
            return -1;
        cq->queue = q;
        cq->capqueue = cap;
    }
    cq->queue[cq->nqueue++] = (hs_claimed){index, stamp};
    return 0;
}

/* After a failed claim request, the claim may still have happened on the
 * server: look for the rows it would have made (our pod and one of the start
 * stamps we sent, still in progress) and queue them. */
static int find_own(hs_store *s, const double *starts, int nstarts, cb_err *err)
{
    hs_claims *cq = &s->claims;
    int64_t step = hs_io_rows(s->in.tchunk), n = s->in.ntasks;
    unsigned char *buf = malloc((size_t)(step < n ? step : n) * CB_ROW_BYTES);
    if (!buf)
        return cb_fail(err, CB_EIO, "out of memory");
    for (int64_t a = 0; a < n; a += step) {
        int64_t m = n - a < step ? n - a : step;
        if (hs_table_get(s->h, s->table_value, a, buf, m, err)) {
            free(buf);
            return -1;
        }
        for (int64_t k = 0; k < m; k++) {
            cb_task t;
            cb_task_unpack(buf + k * CB_ROW_BYTES, &t);
            if (t.status != CB_IN_PROGRESS || strncmp(t.pod, cq->pod, CB_POD_LEN))
                continue;
            for (int i = 0; i < nstarts; i++)
                if (t.start == starts[i] && queue_push(s, a + k, t.start)) {
                    free(buf);
                    return cb_fail(err, CB_EIO, "out of memory");
                }
        }
    }
    free(buf);
    return 0;
}

/* Read the whole table, in whole-chunk requests, into rows (ntasks rows). */
int hs_table_read_all(hs_store *s, unsigned char *rows, cb_err *err)
{
    int64_t n = s->in.ntasks, step = hs_io_rows(s->in.tchunk);
    for (int64_t a = 0; a < n; a += step)
        if (hs_table_get(s->h, s->table_value, a, rows + (size_t)a * CB_ROW_BYTES, n - a < step ? n - a : step, err))
            return -1;
    return 0;
}

/* Rows a claim could take now (pending, or in progress past the lease); -1 on error. */
static int64_t claimable_rows(hs_store *s, double lease_s, cb_err *err)
{
    int64_t n = s->in.ntasks, left = 0;
    unsigned char *rows = malloc(n ? (size_t)n * CB_ROW_BYTES : 1);
    if (!rows)
        return cb_fail(err, CB_EIO, "out of memory");
    if (hs_table_read_all(s, rows, err)) {
        free(rows);
        return cb_wrap(err, "reading task_list to confirm that no task is left");
    }
    double now = cb_now();
    for (int64_t i = 0; i < n; i++) {
        cb_task t;
        cb_task_unpack(rows + (size_t)i * CB_ROW_BYTES, &t);
        left += t.status == CB_PENDING || (lease_s > 0 && t.status == CB_IN_PROGRESS && t.start < now - lease_s);
    }
    free(rows);
    return left;
}

/* Before the first claim: every row's position, read once and checked, and
 * the writer's other two connections. */
static int claims_setup(cb_store *st, const char *pod, cb_err *err)
{
    hs_store *s = st->impl;
    hs_claims *cq = &s->claims;
    int64_t n = s->in.ntasks;
    unsigned char *rows = malloc(n ? (size_t)n * CB_ROW_BYTES : 1);
    int32_t *geo = malloc((n ? (size_t)n : 1) * 4 * sizeof *geo);
    int rc = 0;
    if (!rows || !geo)
        rc = cb_fail(err, CB_EIO, "out of memory for the positions of %lld tasks", (long long)n);
    else if (hs_table_read_all(s, rows, err))
        rc = cb_wrap(err, "reading the task positions");
    const cb_layout *lay = &s->in.layout;
    for (int64_t i = 0; rc == 0 && i < n; i++) {
        cb_task t;
        cb_task_unpack(rows + (size_t)i * CB_ROW_BYTES, &t);
        if (t.x < 0 || t.y < 0 || t.nrow < 1 || t.ncol < 1 || t.x + (int64_t)t.nrow > lay->shape[0] ||
            t.y + (int64_t)t.ncol > lay->shape[1])
            rc = cb_fail(err, CB_EIO, "task row %lld of %s names [%d:%lld,%d:%lld], outside dset (%lld x %lld)",
                         (long long)i, hs_domain_of(s->h), t.x, (long long)t.x + t.nrow, t.y, (long long)t.y + t.ncol,
                         (long long)lay->shape[0], (long long)lay->shape[1]);
        int32_t *g = geo + 4 * i;
        g[0] = t.x;
        g[1] = t.y;
        g[2] = t.nrow;
        g[3] = t.ncol;
    }
    free(rows);
    cb_http **ch = &cq->ch;
    if (rc == 0 && !*ch && (cb_http_open(cb_http_cfg(s->h), &st->net, ch, err) || cb_http_link(*ch, s->h, err)))
        rc = -1;
    if (rc == 0 && hs_recorder_connect(st, err))
        rc = -1;
    if (rc) {
        free(geo);
        return -1;
    }
    cq->geo = geo;
    snprintf(cq->pod, sizeof cq->pod, "%s", pod);

    return 0;
}

/* The query-update that claims up to `limit` rows of task_list chunk c:
 * status 0 (or in progress past the lease) -> in progress, start = now, pod. */
static int claim_req(hs_store *s, int64_t c, double lease_s, int limit, hs_claimreq *q, cb_err *err)
{
    hs_claims *cq = &s->claims;
    int64_t a = c * s->in.tchunk, b = a + s->in.tchunk < s->in.ntasks ? a + s->in.tchunk : s->in.ntasks;
    q->stamp = cb_now();
    q->chunk = c;
    q->limit = limit;
    q->json = NULL;
    char cond[160];
    if (lease_s > 0)
        snprintf(cond, sizeof cond, "(status == 0) | ((status == -1) & (start < %.6f))", q->stamp - lease_s);
    else
        snprintf(cond, sizeof cond, "status == 0");
    snprintf(q->params, sizeof q->params, "query=");
    cb_http_escape(q->params, sizeof q->params, cond);
    size_t len = strlen(q->params);
    snprintf(q->params + len, sizeof q->params - len, "&Limit=%d&select=%%5B%lld:%lld%%5D", limit, (long long)a,
             (long long)b);
    /* The bare field dict, as h5pyd's update_where sends it. */
    cJSON *body = cJSON_CreateObject();
    /* %.17g: the stamp must come back bit for bit (find_own and the release
     * match it); cJSON's own printing may round to 15 digits. */
    char stamp[40];
    snprintf(stamp, sizeof stamp, "%.17g", q->stamp);
    cJSON_AddRawToObject(body, "start", stamp);
    cJSON_AddNumberToObject(body, "status", CB_IN_PROGRESS);
    cJSON_AddStringToObject(body, "pod", cq->pod);
    q->body = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    return q->body ? 0 : cb_fail(err, CB_EIO, "out of memory");
}

/* Queue the rows an answer names; cursor: their chunk. */
static int queue_answer(hs_store *s, const hs_claimreq *q, const cJSON *j, cb_err *err)
{
    hs_claims *cq = &s->claims;
    int64_t idx[CLAIM_MAX];
    int n;
    if (answer_rows(s, j, idx, q->limit, &n, err))
        return -1;
    for (int k = 0; k < n; k++)
        if (queue_push(s, idx[k], q->stamp))
            return cb_fail(err, CB_EIO, "out of memory");
    if (n)
        cq->cursor = q->chunk;
    return 0;
}

/* Claim now, on the data connection, one chunk of task_list at a time (the
 * update is atomic only within a chunk), starting where the last claim
 * succeeded; an empty answer moves on. sent[] holds the stamps of claims
 * whose answer was lost: they may have happened, so look for them first.
 * The queue stays empty when no task is left. */
static int claim_now(cb_store *st, double lease_s, int limit, double *sent, int *nsent, cb_err *err)
{
    hs_store *s = st->impl;
    hs_claims *cq = &s->claims;
    const int maxsent = 64;
    int64_t nchunks = (s->in.ntasks + s->in.tchunk - 1) / s->in.tchunk;
    if (*nsent > 0) {
        cb_err fe = {0};
        if (find_own(s, sent, *nsent, &fe) == 0 && cq->nqueue > 0)
            return 0;
    }
    cb_http_retry rt;
    cb_http_retry_start(&rt);
again:
    for (int64_t tried = 0; tried < nchunks;) {
        int64_t c = (cq->cursor + tried) % nchunks;
        hs_claimreq q;
        if (claim_req(s, c, lease_s, limit, &q, err))
            return -1;
        cJSON *j = NULL;
        long code;
        cb_err e = {0};
        cb_http_req r = {.method = "PUT", .path = s->table_value, .params = q.params, .body_kind = CB_BODY_JSON,
                         .body = q.body, .json = &j, .no_retry = 1};
        int rc = cb_http_do(s->h, &r, &code, &e);
        cJSON_free(q.body);
        if (rc == CB_HTTP_RETRYABLE) {
            cJSON_Delete(j);
            if (*nsent < maxsent)
                sent[(*nsent)++] = q.stamp;
            if (cb_http_retry_wait(s->h, &rt, &e))
                return cb_fail(err, e.code, "claiming a task of %s: %s", hs_domain_of(s->h), e.msg);
            cb_err fe = {0};
            if (find_own(s, sent, *nsent, &fe) == 0 && cq->nqueue > 0)
                return 0;
            continue; /* not found, or the scan failed too: claim again */
        }
        if (rc != CB_HTTP_OK) {
            cJSON_Delete(j);
            if (rc == CB_HTTP_STATUS)
                return hs_explain(s->h, code, "claim a task (query-update on task_list)", &e, err);
            return cb_fail(err, e.code, "%s", e.msg);
        }
        int bad = queue_answer(s, &q, j, err);
        cJSON_Delete(j);
        if (bad)
            return -1;
        if (cq->nqueue > 0)
            return 0;
        tried++;
    }
    /* Every chunk answered "none". A server that has just restarted can say so
     * while rows are pending, so read the table before the writer stops. */
    int64_t left = claimable_rows(s, lease_s, err);
    if (left < 0)
        return -1;
    if (left > 0) {
        cb_err e = {0};
        if (cb_http_retry_wait(s->h, &rt, &e))
            return cb_fail(err, CB_EIO, "claims on %s find nothing, yet %lld tasks are pending: %s", hs_domain_of(s->h),
                           (long long)left, e.msg);
        goto again;
    }
    return 0;
}

/* Start the next claim in the background, in the chunk of the last one. */
static int ahead_start(cb_store *st, double lease_s, int limit, cb_err *err)
{
    hs_store *s = st->impl;
    hs_claims *cq = &s->claims;
    if (claim_req(s, cq->cursor, lease_s, limit, &cq->ahead, err))
        return -1;
    cb_http_req r = {.method = "PUT", .path = s->table_value, .params = cq->ahead.params, .body_kind = CB_BODY_JSON,
                     .body = cq->ahead.body, .json = &cq->ahead.json, .no_retry = 1};
    if (cb_http_start(cq->ch, &r, err)) {
        cJSON_free(cq->ahead.body);
        cq->ahead.body = NULL;
        return -1;
    }
    cq->ahead_on = 1;
    return 0;
}

/* Wait for the claim made ahead and queue its rows. When its answer was
 * lost, its stamp goes into sent[] (the claim may have happened); when its
 * chunk had nothing, nothing is queued. */
static int ahead_take(cb_store *st, double *sent, int *nsent, cb_err *err)
{
    hs_store *s = st->impl;
    hs_claims *cq = &s->claims;
    int result = CB_HTTP_FAIL, p;
    long code = 0;
    cb_err e = {0};
    while ((p = cb_http_poll(cq->ch, 1.0, &result, &code, &e)) == 0)
        if (hs_pump(st, 0, err))
            return -1;
    cq->ahead_on = 0;
    cJSON_free(cq->ahead.body);
    cq->ahead.body = NULL;
    cJSON *j = cq->ahead.json;
    cq->ahead.json = NULL;
    int rc = 0;
    if (p < 0)
        rc = cb_fail(err, e.code ? e.code : CB_EIO, "%s", e.msg);
    else if (result == CB_HTTP_OK)
        rc = queue_answer(s, &cq->ahead, j, err);
    else if (result == CB_HTTP_RETRYABLE)
        sent[(*nsent)++] = cq->ahead.stamp; /* the claim made next looks for it first */
    else if (result == CB_HTTP_STATUS)
        rc = hs_explain(cq->ch, code, "claim a task (query-update on task_list)", &e, err);
    else
        rc = cb_fail(err, e.code ? e.code : CB_EIO, "%s", e.msg);
    cJSON_Delete(j);
    return rc;
}

/* Claims that the writer will not use go back to pending, if their rows are
 * still theirs (in progress with their stamp): one conditional query-update
 * per claim request. Best effort: a row this fails for stays in progress, as
 * after a crash (--lease retakes it). */
void hs_claims_release(cb_store *st)
{
    hs_store *s = st->impl;
    hs_claims *cq = &s->claims;
    double sent[1];
    int nsent = 0;
    cb_err e = {0};
    if (cq->ahead_on && ahead_take(st, sent, &nsent, &e) == 0 && nsent)
        find_own(s, sent, nsent, &e);
    while (cq->nqueue > 0) {
        double stamp = cq->queue[0].stamp;
        int64_t lo = cq->queue[0].index, hi = lo;
        int n = 0, k = 0;
        for (int i = 0; i < cq->nqueue; i++) {
            if (cq->queue[i].stamp != stamp) {
                cq->queue[k++] = cq->queue[i];
                continue;
            }
            lo = cq->queue[i].index < lo ? cq->queue[i].index : lo;
            hi = cq->queue[i].index > hi ? cq->queue[i].index : hi;
            n++;
        }
        cq->nqueue = k;
        char cond[96], params[300] = "query=";
        snprintf(cond, sizeof cond, "(status == -1) & (start == %.17g)", stamp);
        cb_http_escape(params, sizeof params, cond);
        size_t len = strlen(params);
        snprintf(params + len, sizeof params - len, "&Limit=%d&select=%%5B%lld:%lld%%5D", n, (long long)lo,
                 (long long)hi + 1);
        char body[] = "{\"start\":0,\"status\":0,\"pod\":\"\"}";
        cJSON *j = NULL;
        long code;
        cb_http_req r = {.method = "PUT", .path = s->table_value, .params = params, .body_kind = CB_BODY_JSON,
                         .body = body, .json = &j, .no_retry = 1};
        cb_http_do(cq->ch, &r, &code, &e);
        cJSON_Delete(j);
    }
}

void hs_claims_free(hs_store *s)
{
    hs_claims *cq = &s->claims;
    cb_http_close(cq->ch);
    cJSON_free(cq->ahead.body);
    cJSON_Delete(cq->ahead.json);
    free(cq->geo);
    free(cq->queue);
}

/* Rows per claim request when the caller may take `want` more (-1: any). */
static int claim_limit(const hs_store *s, int64_t want)
{
    const hs_claims *cq = &s->claims;
    return want < 0 || want > cq->claim_batch ? cq->claim_batch : (int)want;
}

int hs_claim(cb_store *st, const char *pod, double lease_s, int64_t more, int64_t *index, cb_task *t,
             cb_err *err)
{
    hs_store *s = st->impl;
    hs_claims *cq = &s->claims;
    *index = -1;
    if (!cq->geo && claims_setup(st, pod, err))
        return -1;
    if (hs_pump(st, 0, err))
        return -1;
    double sent[64];
    int nsent = 0;
    if (cq->nqueue == 0 && cq->ahead_on && ahead_take(st, sent, &nsent, err))
        return -1;
    if (cq->nqueue == 0 && claim_now(st, lease_s, claim_limit(s, more < 0 ? -1 : more + 1), sent, &nsent, err))
        return -1;
    if (cq->nqueue == 0)
        return 0;
    int64_t idx = cq->queue[0].index;
    memmove(cq->queue, cq->queue + 1, (size_t)--cq->nqueue * sizeof *cq->queue);
    const int32_t *g = cq->geo + 4 * idx;
    memset(t, 0, sizeof *t);
    t->status = CB_IN_PROGRESS;
    t->x = g[0];
    t->y = g[1];
    t->nrow = g[2];
    t->ncol = g[3];
    snprintf(t->pod, sizeof t->pod, "%s", pod);
    *index = idx;
    /* The next claim runs while this task's data goes out. Without it the
     * writer only loses the overlap, so a failure to start it is no error. */
    cb_err ignore = {0};
    if (more != 0 && cq->nqueue == 0 && !cq->ahead_on)
        ahead_start(st, lease_s, claim_limit(s, more), &ignore);
    return 0;
}

