/* The completion recorder: a server-claimed task is marked complete only
 * after a domain flush that began after its data was written; the flushes,
 * then the rows they made safe, go on a third connection while the writer
 * goes on, and a server restart in between sends the rows back to pending. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "backends/hsds/hsds_store.h"
#include "core/clock.h"

int hs_recorder_connect(cb_store *st, cb_err *err)
{
    hs_store *s = st->impl;
    hs_recorder *rec = &s->recorder;
    if (rec->fh)
        return 0;
    if (cb_http_open(cb_http_cfg(s->h), &st->net, &rec->fh, err) || cb_http_link(rec->fh, s->h, err))
        return -1;
    return 0;
}

void hs_recorder_free(hs_store *s)
{
    hs_recorder *rec = &s->recorder;
    cb_http_close(rec->fh);
    free(rec->pend);
    free(rec->rows_body);
    free(rec->gb);
}

/* Largest number of rows written in one request. */
#define REC_ROWS_MAX 20000

/* Write the rows of pend[0..n) in one request, wherever they lie in the
 * table: a point selection, values as base64 of the packed rows. */
static int rows_start(hs_store *s, int64_t n, cb_err *err)
{
    hs_recorder *rec = &s->recorder;
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
        len += (size_t)snprintf(body + len, cap - len, "%s%lld", k ? "," : "", (long long)rec->pend[k].index);
        memcpy(packed + (size_t)k * CB_ROW_BYTES, rec->pend[k].row, CB_ROW_BYTES);
    }
    len += (size_t)snprintf(body + len, cap - len, "],\"value_base64\":\"");
    /* At most REC_ROWS_MAX rows: well inside EVP_EncodeBlock's int. */
    len += (size_t)EVP_EncodeBlock((unsigned char *)body + len, packed, (int)rowbytes);
    snprintf(body + len, cap - len, "\"}");
    free(packed);
    free(rec->rows_body);
    rec->rows_body = body;
    cb_http_req r = {.method = "PUT", .path = s->table_value, .body_kind = CB_BODY_JSON, .body = body};
    if (cb_http_start(rec->fh, &r, err))
        return -1;
    rec->batch = n;
    rec->state = REC_ROWS;
    return 0;
}

/* The server restarted since the rows waiting were written: their data may
 * be gone, so they all go back to pending, for any writer to redo. */
static void give_back(hs_store *s)
{
    hs_recorder *rec = &s->recorder;
    cb_task redo;
    for (int64_t k = 0; k < rec->npend; k++) {
        cb_task_unpack(rec->pend[k].row, &redo);
        redo.status = CB_PENDING;
        redo.start = redo.done = 0;
        redo.pod[0] = '\0';
        cb_task_pack(&redo, rec->pend[k].row);
        rec->pend[k].reset = 1;
    }
    rec->safe = rec->npend;
}

static int note_given_back(hs_store *s, int64_t n)
{
    hs_recorder *rec = &s->recorder;
    for (int64_t k = 0; k < n; k++) {
        if (!rec->pend[k].reset)
            continue;
        if (rec->ngb == rec->capgb) {
            int64_t cap = rec->capgb ? 2 * rec->capgb : 64;
            int64_t *p = realloc(rec->gb, (size_t)cap * sizeof *p);
            if (!p)
                return -1;
            rec->gb = p;
            rec->capgb = cap;
        }
        rec->gb[rec->ngb++] = rec->pend[k].index;
    }
    return 0;
}

/* What a finished request of the recorder means (via: the connection that
 * asks the server which incarnation it is): a flush makes the rows it
 * covered safe, written rows leave the queue, a retryable failure waits its
 * backoff. rec->state is REC_IDLE again. */
static int settle(cb_store *st, cb_http *via, int was, int result, long code, cb_err *e, cb_err *err)
{
    hs_store *s = st->impl;
    hs_recorder *rec = &s->recorder;
    rec->state = REC_IDLE;
    char fp[FP_LEN];
    if (was == REC_FLUSH && result == CB_HTTP_OK && hs_server_fp(via, fp, e) != 0)
        result = CB_HTTP_RETRYABLE;
    if (result == CB_HTTP_OK) {
        rec->fattempt = 0;
        if (was == REC_FLUSH) {
            /* The same server as when these tasks were written: they
             * are stored now. Another one: see give_back. */
            rec->safe = rec->covered;
            if (strcmp(fp, s->in.fp)) {
                give_back(s);
                memcpy(s->in.fp, fp, sizeof fp);
            }
            rec->covered = 0;
        } else {
            if (note_given_back(s, rec->batch))
                return cb_fail(err, CB_EIO, "out of memory");
            memmove(rec->pend, rec->pend + rec->batch, (size_t)(rec->npend - rec->batch) * sizeof *rec->pend);
            rec->npend -= rec->batch;
            rec->safe -= rec->batch;
            rec->batch = 0;
        }
    } else if (result == CB_HTTP_RETRYABLE) {
        /* Same budget as any request: bounded count and time. A failed
         * flush is started anew, failed rows are sent again. */
        double now = cb_now();
        if (rec->fattempt == 0)
            rec->ft0 = now;
        double wait = CB_HTTP_BACKOFF0_S * (double)(1 << (rec->fattempt < 6 ? rec->fattempt : 6));
        if (rec->fattempt >= CB_HTTP_RETRIES || now - rec->ft0 > CB_HTTP_RETRY_S)
            return cb_fail(err, CB_EIO, "%s %s (needed before tasks are recorded complete): %s",
                           was == REC_FLUSH ? "flushing" : "recording finished tasks in", hs_domain_of(s->h), e->msg);
        rec->fattempt++;
        st->net.retries++;
        rec->fnext = now + (wait < 5 ? wait : 5);
        rec->covered = 0;
        rec->batch = 0;
    } else {
        return hs_explain(via, code, was == REC_FLUSH ? "flush the domain" : "record finished tasks in task_list", e,
                          err);
    }
    return 0;
}

/* Drive the background connection for up to wait_s seconds: a flush, then
 * the rows it made safe, then the next flush when rows wait. */
int hs_pump(cb_store *st, double wait_s, cb_err *err)
{
    hs_store *s = st->impl;
    hs_recorder *rec = &s->recorder;
    double until = cb_now() + wait_s;
    for (;;) {
        if (rec->state != REC_IDLE) {
            int result = CB_HTTP_FAIL, p;
            long code = 0;
            cb_err e = {0};
            double left = until - cb_now();
            if ((p = cb_http_poll(rec->fh, left > 0 ? left : 0, &result, &code, &e)) <= 0)
                return p == 0 ? 0 : cb_fail(err, CB_EIO, "%s", e.msg);
            if (settle(st, rec->fh, rec->state, result, code, &e, err))
                return -1;
        }
        if (cb_now() < rec->fnext)
            return 0;
        if (rec->safe > 0) {
            if (rows_start(s, rec->safe < REC_ROWS_MAX ? rec->safe : REC_ROWS_MAX, err))
                return -1;
        } else if (rec->npend > 0) {
            if (cb_http_start(rec->fh, &hs_flush_req, err))
                return -1;
            rec->state = REC_FLUSH;
            rec->covered = rec->npend;
        } else {
            return 0;
        }
    }
}

/* The last flush, sooner (hs_flush_race): nothing overlaps it, the command
 * waits for it. Each extra flush covers every waiting task (none is added
 * while draining), so whichever answers first, the rule holds. During the
 * run one flush at a time keeps the requests few. */
static int last_flush(cb_store *st, cb_err *err)
{
    hs_store *s = st->impl;
    hs_recorder *rec = &s->recorder;
    if (rec->state == REC_IDLE) {
        if (cb_http_start(rec->fh, &hs_flush_req, err))
            return -1;
        rec->state = REC_FLUSH;
    }
    rec->covered = rec->npend;
    int result = CB_HTTP_FAIL;
    long code = 0;
    cb_err e = {0};
    int won = hs_flush_race(rec->fh, s->h, &st->net, &result, &code, &e);
    if (won < 0)
        return cb_fail(err, CB_EIO, "%s", e.msg);
    if (won == 2) { /* stored: the recorder's own flush is not needed */
        result = CB_HTTP_OK;
        code = 200;
    }
    /* Either answer is settled as any (a failure is retried by the usual loop). */
    return settle(st, rec->fh, REC_FLUSH, result, code, &e, err);
}

int hs_finish(cb_store *st, int64_t index, const cb_task *t, cb_err *err)
{
    hs_store *s = st->impl;
    hs_recorder *rec = &s->recorder;
    if (rec->npend == rec->cappend) {
        int64_t cap = rec->cappend ? 2 * rec->cappend : 64;
        hs_pending *p = realloc(rec->pend, (size_t)cap * sizeof *p);
        if (!p)
            return cb_fail(err, CB_EIO, "out of memory");
        rec->pend = p;
        rec->cappend = cap;
    }
    cb_task done = *t;
    done.status = CB_COMPLETE;
    rec->pend[rec->npend].index = index;
    rec->pend[rec->npend].reset = 0;
    cb_task_pack(&done, rec->pend[rec->npend].row);
    rec->npend++;
    return hs_pump(st, 0, err);
}

/* Of the rows this writer set back to pending, those still pending now. */
static int64_t still_pending(hs_store *s)
{
    hs_recorder *rec = &s->recorder;
    int64_t n = s->in.ntasks, left = 0;
    unsigned char *rows = malloc(n ? (size_t)n * CB_ROW_BYTES : 1);
    cb_err e = {0};
    if (!rows || hs_table_read_all(s, rows, &e)) {
        free(rows);
        return rec->ngb; /* cannot tell: say all */
    }
    for (int64_t k = 0; k < rec->ngb; k++) {
        cb_task t;
        cb_task_unpack(rows + (size_t)rec->gb[k] * CB_ROW_BYTES, &t);
        left += t.status == CB_PENDING;
    }
    free(rows);
    return left;
}

int hs_recorder_drain(cb_store *st, cb_err *err)
{
    hs_store *s = st->impl;
    hs_recorder *rec = &s->recorder;
    int rc = 0;
    /* One flush that covers every waiting row ends sooner than letting an
     * older one that covers some finish first and then starting another. */
    if (rec->state == REC_FLUSH && rec->covered < rec->npend) {
        cb_http_abort(rec->fh);
        rec->state = REC_IDLE;
        rec->covered = 0;
    }
    /* Record the tasks still waiting for a flush. */
    while (rc == 0 && (rec->npend > 0 || rec->state != REC_IDLE)) {
        int flush_next = rec->state == REC_IDLE || (rec->state == REC_FLUSH && rec->covered == rec->npend);
        if (rec->npend > 0 && rec->safe == 0 && flush_next && cb_now() >= rec->fnext) {
            rc = last_flush(st, err);
            continue;
        }
        double nap = rec->fnext - cb_now();
        if (rec->state == REC_IDLE && nap > 0)
            hs_sleep_s(nap);
        rc = hs_pump(st, 1.0, err);
    }
    if (rc)
        cb_wrap(err, "%lld finished tasks could not be recorded and stay in progress (write again with --lease to redo them)",
                (long long)rec->npend);
    else if (rec->ngb > 0)
        st->net.given_back = still_pending(s);
    return rc;
}
