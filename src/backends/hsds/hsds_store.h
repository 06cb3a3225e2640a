/* An open HSDS store, as one writer holds it: its data connection, the
 * claim queue (hsds_claims.c) and the completion recorder that marks tasks
 * complete only once their data is durable (hsds_recorder.c). Internal to
 * the HSDS backend. */
#ifndef CHUNKBENCH_HSDS_STORE_H
#define CHUNKBENCH_HSDS_STORE_H

#include "backends/hsds/hsds_opts.h"
#include "backends/hsds/hsds_rest.h"

/* A finished task whose row waits for its data to be durable. */
typedef struct hs_pending {
    int64_t index;
    int reset; /* the row says pending again: a restart may have lost the data */
    unsigned char row[CB_ROW_BYTES];
} hs_pending;

/* Most rows one claim request takes (query-update Limit). */
#define CLAIM_MAX CB_CLAIM_BATCH_MAX

/* A claim request, kept while it runs in the background. */
typedef struct hs_claimreq {
    char params[400];
    char *body;   /* JSON text */
    double stamp; /* the start it sets: tells this claim's rows apart */
    int64_t chunk;
    int limit;
    cJSON *json;  /* the answer */
} hs_claimreq;

/* A claimed row not yet handed out, and the stamp of its claim. */
typedef struct hs_claimed {
    int64_t index;
    double stamp;
} hs_claimed;

/* What the recorder's connection fh is doing. */
enum { REC_IDLE, REC_FLUSH, REC_ROWS };

/* The claim queue (--schedule server). A claim answers with a row index
 * only (hsds 1.0), and a row's x, y, nrow, ncol never change, so they are
 * read once, from the table itself: a table made by other tools may order
 * its rows otherwise than chunkbench's grid. A claim request takes up to
 * claim_batch rows, which wait in the queue. The next claim is made on its
 * own connection while the last queued task's data goes out (all of a
 * writer's connections share one libcurl multi). */
typedef struct hs_claims {
    int64_t cursor; /* task_list chunk of the last successful claim */
    int32_t *geo;   /* x, y, nrow, ncol of every row */
    char pod[CB_POD_LEN + 1];
    int claim_batch;
    hs_claimed *queue;
    int nqueue, capqueue;
    cb_http *ch;
    hs_claimreq ahead;
    int ahead_on; /* started, its rows not yet queued */
} hs_claims;

/* The completion recorder. HSDS acknowledges a write before storing it and
 * may lose the last second or two of them when it stops. So a task is
 * recorded complete only after a domain flush that began after its data was
 * written. The flushes, and then the rows they made safe (all in one
 * request), go on fh while the writer goes on. */
typedef struct hs_recorder {
    cb_http *fh;
    int state; /* REC_* */
    hs_pending *pend;
    int64_t npend, cappend;
    int64_t covered; /* the running flush makes pend[0..covered) safe */
    int64_t safe;    /* pend[0..safe) are safe: their rows may be written */
    int64_t batch;   /* pend[0..batch) are being written */
    char *rows_body;
    int fattempt;
    double fnext; /* nothing new on fh before this time (backoff after a failure) */
    double ft0;   /* first failure of the current run of failed requests on fh */
    /* Rows set back to pending after a restart (their data may be lost). */
    int64_t *gb;
    int64_t ngb, capgb;
} hs_recorder;

typedef struct hs_store {
    cb_http *h; /* data; claims made on the spot */
    hs_info in;
    char dset_value[ID_LEN + 32], table_value[ID_LEN + 32]; /* "/datasets/<id>/value" */
    hs_claims claims;
    hs_recorder recorder;
    /* read --pattern: the body of a point read, kept between calls. */
    unsigned char *points;
    size_t points_cap;
} hs_store;

/* The claim queue (--schedule server). */
int hs_claim(cb_store *st, const char *pod, double lease_s, int64_t more, int64_t *index, cb_task *t, cb_err *err);
/* Give back claims never handed out (best effort, at close). */
void hs_claims_release(cb_store *st);
void hs_claims_free(hs_store *s);
/* The whole table, in whole-chunk requests, into rows (ntasks rows). */
int hs_table_read_all(hs_store *s, unsigned char *rows, cb_err *err);

/* The completion recorder. Its own connection, linked to the data one. */
int hs_recorder_connect(cb_store *st, cb_err *err);
void hs_recorder_free(hs_store *s);
int hs_finish(cb_store *st, int64_t index, const cb_task *t, cb_err *err);
/* Drive the background flushes and row writes for up to wait_s seconds. */
int hs_pump(cb_store *st, double wait_s, cb_err *err);
/* At close: record every task still waiting for a flush (waiting for it),
 * and count in st->net.given_back the rows set back to pending that still
 * are. -1 when some could not be recorded (they stay in progress). */
int hs_recorder_drain(cb_store *st, cb_err *err);

#endif
