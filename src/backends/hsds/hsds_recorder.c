/* The completion recorder: a server-claimed task is marked complete only
 * after a domain flush that began after its data was written; the flushes,
 * then the rows they made safe, go on a third connection while the writer
 * goes on, and a server restart in between sends the rows back to pending. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/hsds/hsds_store.h"
#include "core/clock.h"

static const cb_http_req flush_req = {.method = "PUT", .path = "/", .params = "flush=1"};

/* Largest number of rows written in one request. */
#define REC_ROWS_MAX 20000

static void b64(const unsigned char *in, size_t n, char *out)
{
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        *out++ = A[v >> 18];
        *out++ = A[(v >> 12) & 63];
        *out++ = A[(v >> 6) & 63];
        *out++ = A[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0);
        *out++ = A[v >> 18];
        *out++ = A[(v >> 12) & 63];
        *out++ = i + 1 < n ? A[(v >> 6) & 63] : '=';
        *out++ = '=';
    }
    *out = '\0';
}

/* Write the rows of pend[0..n) in one request, wherever they lie in the
 * table: a point selection, values as base64 of the packed rows. */
static int rows_start(hs_store *s, int64_t n, cb_err *err)
{
    size_t rowbytes = (size_t)n * CB_ROW_BYTES, cap = 64 + (size_t)n * 21 + (rowbytes + 2) / 3 * 4;
    unsigned char *packed = malloc(rowbytes);
    char *body = malloc(cap);
    if (!packed || !body) {
        free(packed);
        free(body);
        return cb_fail(err, CB_EIO, "out of memory");
    }
    size_t len = (size_t)snprintf(body, cap, "{\"points\":[");
    for (int64_t k = 0; k < n; k++) {
        len += (size_t)snprintf(body + len, cap - len, "%s%lld", k ? "," : "", (long long)s->pend[k].index);
        memcpy(packed + (size_t)k * CB_ROW_BYTES, s->pend[k].row, CB_ROW_BYTES);
    }
    len += (size_t)snprintf(body + len, cap - len, "],\"value_base64\":\"");
    b64(packed, rowbytes, body + len);
    len += strlen(body + len);
    snprintf(body + len, cap - len, "\"}");
    free(packed);
    free(s->rows_body);
    s->rows_body = body;
    cb_http_req r = {.method = "PUT", .path = s->table_value, .body_kind = CB_BODY_JSON, .body = body};
    if (cb_http_start(s->fh, &r, err))
        return -1;
    s->batch = n;
    s->rec = REC_ROWS;
    return 0;
}

/* The server restarted since the rows waiting were written: their data may
 * be gone, so they all go back to pending, for any writer to redo. */
static void give_back(hs_store *s)
{
    cb_task redo;
    for (int64_t k = 0; k < s->npend; k++) {
        cb_task_unpack(s->pend[k].row, &redo);
        redo.status = CB_PENDING;
        redo.start = redo.done = 0;
        redo.pod[0] = '\0';
        cb_task_pack(&redo, s->pend[k].row);
        s->pend[k].reset = 1;
    }
    s->safe = s->npend;
}

static int note_given_back(hs_store *s, int64_t n)
{
    for (int64_t k = 0; k < n; k++) {
        if (!s->pend[k].reset)
            continue;
        if (s->ngb == s->capgb) {
            int64_t cap = s->capgb ? 2 * s->capgb : 64;
            int64_t *p = realloc(s->gb, (size_t)cap * sizeof *p);
            if (!p)
                return -1;
            s->gb = p;
            s->capgb = cap;
        }
        s->gb[s->ngb++] = s->pend[k].index;
    }
    return 0;
}

/* Drive the background connection for up to wait_s seconds: a flush, then
 * the rows it made safe, then the next flush when rows wait. */
int hs_pump(cb_store *st, double wait_s, cb_err *err)
{
    hs_store *s = st->impl;
    double until = cb_now() + wait_s;
    for (;;) {
        if (s->rec != REC_IDLE) {
            int result = CB_HTTP_FAIL, p;
            long code = 0;
            cb_err e = {0};
            double left = until - cb_now();
            if ((p = cb_http_poll(s->fh, left > 0 ? left : 0, &result, &code, &e)) <= 0)
                return p == 0 ? 0 : cb_fail(err, CB_EIO, "%s", e.msg);
            int was = s->rec;
            s->rec = REC_IDLE;
            char fp[FP_LEN];
            if (was == REC_FLUSH && result == CB_HTTP_OK && hs_server_fp(s->fh, fp, &e) != 0)
                result = CB_HTTP_RETRYABLE;
            if (result == CB_HTTP_OK) {
                s->fattempt = 0;
                if (was == REC_FLUSH) {
                    /* The same server as when these tasks were written: they
                     * are stored now. Another one: see give_back. */
                    s->safe = s->covered;
                    if (strcmp(fp, s->in.fp)) {
                        give_back(s);
                        memcpy(s->in.fp, fp, sizeof fp);
                    }
                    s->covered = 0;
                } else {
                    if (note_given_back(s, s->batch))
                        return cb_fail(err, CB_EIO, "out of memory");
                    memmove(s->pend, s->pend + s->batch, (size_t)(s->npend - s->batch) * sizeof *s->pend);
                    s->npend -= s->batch;
                    s->safe -= s->batch;
                    s->batch = 0;
                }
            } else if (result == CB_HTTP_RETRYABLE) {
                /* Same budget as any request: bounded count and time. A failed
                 * flush is started anew, failed rows are sent again. */
                double now = cb_now();
                if (s->fattempt == 0)
                    s->ft0 = now;
                double wait = CB_HTTP_BACKOFF0_S * (double)(1 << (s->fattempt < 6 ? s->fattempt : 6));
                if (s->fattempt >= CB_HTTP_RETRIES || now - s->ft0 > CB_HTTP_RETRY_S)
                    return cb_fail(err, CB_EIO, "%s %s (needed before tasks are recorded complete): %s",
                                   was == REC_FLUSH ? "flushing" : "recording finished tasks in", hs_domain_of(s->h),
                                   e.msg);
                s->fattempt++;
                st->net.retries++;
                s->fnext = now + (wait < 5 ? wait : 5);
                s->covered = 0;
                s->batch = 0;
            } else {
                return hs_explain(s->fh, code, was == REC_FLUSH ? "flush the domain" : "record finished tasks in task_list",
                               &e, err);
            }
        }
        if (cb_now() < s->fnext)
            return 0;
        if (s->safe > 0) {
            if (rows_start(s, s->safe < REC_ROWS_MAX ? s->safe : REC_ROWS_MAX, err))
                return -1;
        } else if (s->npend > 0) {
            if (cb_http_start(s->fh, &flush_req, err))
                return -1;
            s->rec = REC_FLUSH;
            s->covered = s->npend;
        } else {
            return 0;
        }
    }
}

int hs_finish(cb_store *st, int64_t index, const cb_task *t, cb_err *err)
{
    hs_store *s = st->impl;
    if (s->npend == s->cappend) {
        int64_t cap = s->cappend ? 2 * s->cappend : 64;
        hs_pending *p = realloc(s->pend, (size_t)cap * sizeof *p);
        if (!p)
            return cb_fail(err, CB_EIO, "out of memory");
        s->pend = p;
        s->cappend = cap;
    }
    cb_task done = *t;
    done.status = CB_COMPLETE;
    s->pend[s->npend].index = index;
    s->pend[s->npend].reset = 0;
    cb_task_pack(&done, s->pend[s->npend].row);
    s->npend++;
    return hs_pump(st, 0, err);
}

/* Of the rows this writer set back to pending, those still pending now. */
static int64_t still_pending(hs_store *s)
{
    int64_t n = s->in.ntasks, left = 0;
    unsigned char *rows = malloc(n ? (size_t)n * CB_ROW_BYTES : 1);
    cb_err e = {0};
    if (!rows || hs_table_read_all(s, rows, &e)) {
        free(rows);
        return s->ngb; /* cannot tell: say all */
    }
    for (int64_t k = 0; k < s->ngb; k++) {
        cb_task t;
        cb_task_unpack(rows + (size_t)s->gb[k] * CB_ROW_BYTES, &t);
        left += t.status == CB_PENDING;
    }
    free(rows);
    return left;
}

int hs_recorder_drain(cb_store *st, cb_err *err)
{
    hs_store *s = st->impl;
    int rc = 0;
    /* One flush that covers every waiting row ends sooner than letting an
     * older one that covers some finish first and then starting another. */
    if (s->rec == REC_FLUSH && s->covered < s->npend) {
        cb_http_abort(s->fh);
        s->rec = REC_IDLE;
        s->covered = 0;
    }
    /* Record the tasks still waiting for a flush. */
    while (rc == 0 && (s->npend > 0 || s->rec != REC_IDLE)) {
        double nap = s->fnext - cb_now();
        if (s->rec == REC_IDLE && nap > 0)
            hs_sleep_s(nap);
        rc = hs_pump(st, 1.0, err);
    }
    if (rc)
        cb_wrap(err, "%lld finished tasks could not be recorded and stay in progress (write again with --lease to redo them)",
                (long long)s->npend);
    else if (s->ngb > 0)
        st->net.given_back = still_pending(s);
    return rc;
}
