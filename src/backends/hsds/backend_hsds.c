/* The HSDS backend: the domain holds `dset` (2-D, chunked), the task table
 * `task_list` (the seed's packed 76-byte compound rows) and the run metadata
 * as attributes of the root group. Values travel as raw bytes
 * (application/octet-stream with select=[...]); the server schedule claims
 * rows with the server's atomic query-update, as the seed's writers do. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "backends/backend.h"
#include "core/clock.h"
#include "core/datagen.h"
#include "backends/hsds/http.h"
#include "core/iolog.h"
#include "core/mpi_err.h"

/* Rows per chunk of task_list. A query-update is atomic only within one
 * chunk, so claims go chunk by chunk; ~4 MB keeps most tables in a single
 * chunk (one request per claim) without making every claim rewrite a huge one. */
#define TL_CHUNK_ROWS 55000
/* Rows per request when moving the table. */
#define TL_IO_ROWS 100000
#define ID_LEN 128
#define FP_LEN 512 /* a server incarnation: start time and data node ids */
#define DOING (CB_HS_STR + 2 * ID_LEN + 96) /* room for any "doing" line */

typedef struct hs_info {
    char root[ID_LEN], dset[ID_LEN], table[ID_LEN];
    cb_layout layout;
    int64_t ntasks, tchunk; /* rows of the task table, rows per chunk */
    char fp[FP_LEN];        /* server incarnation when opened (see server_fp) */
} hs_info;

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

/* What the background connection fh is doing. */
enum { REC_IDLE, REC_FLUSH, REC_ROWS };

typedef struct hs_store {
    cb_http *h; /* data; claims made on the spot */
    hs_info in;
    char dset_value[ID_LEN + 32], table_value[ID_LEN + 32]; /* "/datasets/<id>/value" */
    int64_t cursor; /* task_list chunk of the last successful claim */
    /* Server schedule. A claim answers with a row index only (hsds 1.0), and a
     * row's x, y, nrow, ncol never change, so they are read once, from the
     * table itself: a table made by other tools may order its rows otherwise
     * than chunkbench's grid. */
    int32_t *geo; /* x, y, nrow, ncol of every row */
    char pod[CB_POD_LEN + 1];
    /* A claim request takes up to claim_batch rows, which wait in the queue.
     * The next claim is made on its own connection while the last queued
     * task's data goes out (all of a writer's connections share one libcurl
     * multi). */
    int claim_batch;
    hs_claimed *queue;
    int nqueue, capqueue;
    cb_http *ch;
    hs_claimreq ahead;
    int ahead_on; /* started, its rows not yet queued */
    /* HSDS acknowledges a write before storing it and may lose the last
     * second or two of them when it stops. So a task is recorded complete
     * only after a domain flush that began after its data was written. The
     * flushes, and then the rows they made safe (all in one request), go on
     * fh while the writer goes on. */
    cb_http *fh;
    int rec;
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
} hs_store;

/* ---- requests with clear errors ---------------------------------------- */

static const char *domain_of(cb_http *h) { return cb_http_cfg(h)->domain; }

/* Turn a final HTTP status into one line naming the problem and the fix. */
static int explain(cb_http *h, long code, const char *doing, const cb_err *e, cb_err *err)
{
    const cb_hs_cfg *c = cb_http_cfg(h);
    switch (code) {
    case 401:
        return cb_fail(err, CB_EIO, "HSDS at %s refused the credentials (401): check %s or ~/.hscfg",
                       cb_http_where(h), c->api_key[0] ? "HS_API_KEY" : "HS_USERNAME/HS_PASSWORD");
    case 403:
        if (!c->username[0] && !c->api_key[0])
            return cb_fail(err, CB_EIO, "HSDS at %s: no credentials given, so %s is forbidden (403): set HS_USERNAME/HS_PASSWORD or ~/.hscfg",
                           cb_http_where(h), doing);
        return cb_fail(err, CB_EIO, "HSDS at %s: user %s may not %s (403): use a folder you own (hdf5://home/%s/...) or ask for access",
                       cb_http_where(h), c->username[0] ? c->username : "(api key)", doing,
                       c->username[0] ? c->username : "USER");
    case 413:
        return cb_fail(err, CB_EIO, "%s: the request is larger than HSDS at %s accepts (413): use smaller chunks",
                       doing, cb_http_where(h));
    default:
        return cb_fail(err, e->code ? e->code : CB_EIO, "%s: %s", doing, e->msg);
    }
}

/* Send r. Returns 0 when the answer is 2xx or one of `also` (0-terminated),
 * with *status set; otherwise -1 and a clear line in err. */
static int call(cb_http *h, const cb_http_req *r, long *status, const long *also, const char *doing, cb_err *err)
{
    cb_err e = {0};
    int rc = cb_http_do(h, r, status, &e);
    if (rc == CB_HTTP_OK)
        return 0;
    if (rc == CB_HTTP_STATUS) {
        for (; also && *also; also++)
            if (*also == *status)
                return 0;
        return explain(h, *status, doing, &e, err);
    }
    return cb_fail(err, e.code ? e.code : CB_EIO, "%s", e.msg); /* transport: says where already */
}

static int get_json(cb_http *h, const char *path, const char *params, cJSON **json, long *status,
                    const long *also, const char *doing, cb_err *err)
{
    cb_http_req r = {.method = "GET", .path = path, .params = params, .json = json};
    return call(h, &r, status, also, doing, err);
}

/* Send a cJSON body (freed here). */
static int send_json(cb_http *h, const char *method, const char *path, const char *params, cJSON *body,
                     cJSON **answer, long *status, const long *also, const char *doing, cb_err *err)
{
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    if (!text)
        return cb_fail(err, CB_EIO, "out of memory");
    cb_http_req r = {.method = method, .path = path, .params = params, .body_kind = CB_BODY_JSON,
                     .body = text, .json = answer};
    int rc = call(h, &r, status, also, doing, err);
    cJSON_free(text);
    return rc;
}

static int connect_cfg(const cb_config *cfg, cb_net_stats *stats, cb_http **h, cb_err *err)
{
    cb_hs_cfg hc;
    int rc = cb_hs_config(cfg->target, cfg->endpoint, cfg->bucket, &hc, err);
    if (rc == 0)
        rc = cb_http_open(&hc, stats, h, err);
    memset(&hc, 0, sizeof hc);
    return rc;
}

/* ---- JSON helpers ------------------------------------------------------ */

/* "H5T_IEEE_F64LE" whether the server spells a type as a string or as
 * {"class":..., "base": ...}. */
static const char *type_base(const cJSON *t)
{
    if (cJSON_IsString(t))
        return t->valuestring;
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(t, "base");
    return cJSON_IsString(b) ? b->valuestring : "";
}

static int dims_of(const cJSON *arr, int64_t *d, int max)
{
    int n = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, arr) {
        if (!cJSON_IsNumber(x) || n == max)
            return -1;
        d[n++] = (int64_t)x->valuedouble;
    }
    return n;
}

static int copy_id(const cJSON *j, const char *key, char *dst)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= ID_LEN)
        return -1;
    strcpy(dst, v->valuestring);
    return 0;
}

/* Shape, chunk dims and type of a dataset. Older servers (0.9) answer with
 * the chunk layout they really use at the top level ("layout") and keep the
 * requested one in creationProperties; newer ones have only the latter. */
static int dataset_info(cb_http *h, const char *id, int64_t *shape, int64_t *chunk, int *rank, cJSON **type,
                        cb_err *err)
{
    char path[ID_LEN + 16], doing[DOING];
    snprintf(path, sizeof path, "/datasets/%s", id);
    snprintf(doing, sizeof doing, "read dataset %s of %s", id, domain_of(h));
    cJSON *j = NULL;
    long st;
    if (get_json(h, path, NULL, &j, &st, NULL, doing, err))
        return -1;
    const cJSON *sh = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "shape"), "dims");
    const cJSON *lay = cJSON_GetObjectItemCaseSensitive(j, "layout");
    if (!lay)
        lay = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "creationProperties"), "layout");
    const cJSON *ld = cJSON_GetObjectItemCaseSensitive(lay, "dims");
    *rank = dims_of(sh, shape, 2);
    int crank = ld ? dims_of(ld, chunk, 2) : *rank;
    if (!ld) /* contiguous: one chunk, the whole dataset */
        for (int d = 0; d < *rank && d < 2; d++)
            chunk[d] = shape[d];
    if (*rank < 1 || crank != *rank) {
        cJSON_Delete(j);
        return cb_fail(err, CB_EIO, "dataset %s of %s has a shape or layout chunkbench cannot use", id, domain_of(h));
    }
    *type = cJSON_DetachItemFromObjectCaseSensitive(j, "type");
    cJSON_Delete(j);
    return 0;
}

/* Does this compound type lay rows out exactly as the seed's 76 bytes? */
static int table_type_ok(const cJSON *type)
{
    static const char *const names[] = {"start", "done", "status", "x", "y", "nrow", "ncol", "pod"};
    static const char *const bases[] = {"H5T_IEEE_F64LE", "H5T_IEEE_F64LE", "H5T_STD_I32LE", "H5T_STD_I32LE",
                                        "H5T_STD_I32LE", "H5T_STD_I32LE", "H5T_STD_I32LE", NULL};
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(type, "fields");
    if (cJSON_GetArraySize(fields) != 8)
        return 0;
    for (int i = 0; i < 8; i++) {
        const cJSON *f = cJSON_GetArrayItem(fields, i);
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(f, "name");
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(f, "type");
        if (!cJSON_IsString(n) || strcmp(n->valuestring, names[i]))
            return 0;
        if (bases[i]) {
            if (strcmp(type_base(t), bases[i]))
                return 0;
        } else {
            const cJSON *len = cJSON_GetObjectItemCaseSensitive(t, "length");
            const cJSON *cls = cJSON_GetObjectItemCaseSensitive(t, "class");
            if (!cJSON_IsString(cls) || strcmp(cls->valuestring, "H5T_STRING") || !cJSON_IsNumber(len) ||
                len->valuedouble != CB_POD_LEN)
                return 0;
        }
    }
    return 1;
}

static cJSON *table_type(void)
{
    static const char *const names[] = {"start", "done", "status", "x", "y", "nrow", "ncol"};
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "class", "H5T_COMPOUND");
    cJSON *fields = cJSON_AddArrayToObject(t, "fields");
    for (int i = 0; i < 7; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "name", names[i]);
        cJSON_AddStringToObject(f, "type", i < 2 ? "H5T_IEEE_F64LE" : "H5T_STD_I32LE");
        cJSON_AddItemToArray(fields, f);
    }
    cJSON *f = cJSON_CreateObject(), *s = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "name", "pod");
    cJSON_AddStringToObject(s, "class", "H5T_STRING");
    cJSON_AddStringToObject(s, "charSet", "H5T_CSET_ASCII");
    cJSON_AddNumberToObject(s, "length", CB_POD_LEN);
    cJSON_AddStringToObject(s, "strPad", "H5T_STR_NULLPAD");
    cJSON_AddItemToObject(f, "type", s);
    cJSON_AddItemToArray(fields, f);
    return t;
}

/* ---- finding things in a domain ---------------------------------------- */

static const long ok404[] = {404, 410, 0};

/* GET the domain: 0 and its root id, or -1 with "not found" spelled out. */
static int domain_root(cb_http *h, char root[ID_LEN], cb_err *err)
{
    char doing[DOING];
    snprintf(doing, sizeof doing, "open domain %s", domain_of(h));
    cJSON *j = NULL;
    long st;
    if (get_json(h, "/", NULL, &j, &st, ok404, doing, err))
        return -1;
    const cb_hs_cfg *c = cb_http_cfg(h);
    if (st == 404 || st == 410) {
        cJSON_Delete(j);
        return cb_fail(err, CB_EIO, "domain %s not found on HSDS at %s%s%s: check the name, or make it with chunkbench create",
                       c->domain, cb_http_where(h), c->bucket[0] ? " in bucket " : "", c->bucket);
    }
    int bad = copy_id(j, "root", root);
    cJSON_Delete(j);
    if (bad)
        return cb_fail(err, CB_EIO, "%s on HSDS at %s is a folder, not a domain: name a domain inside it", c->domain,
                       cb_http_where(h));
    return 0;
}

/* Id of the object at h5path, or "" when there is none. */
static int lookup(cb_http *h, const char *h5path, char id[ID_LEN], cb_err *err)
{
    char params[256] = "h5path=", doing[DOING];
    cb_http_escape(params, sizeof params, h5path);
    snprintf(doing, sizeof doing, "look up %s in %s", h5path, domain_of(h));
    cJSON *j = NULL;
    long st;
    id[0] = '\0';
    if (get_json(h, "/", params, &j, &st, ok404, doing, err))
        return -1;
    int bad = st == 200 && copy_id(j, "id", id);
    cJSON_Delete(j);
    return bad ? cb_fail(err, CB_EIO, "%s: the answer has no object id", doing) : 0;
}

/* Everything open and load_table need: ids, layout, the table's size. */
static int resolve(cb_http *h, hs_info *in, cb_err *err)
{
    memset(in, 0, sizeof *in);
    const char *dom = domain_of(h);
    if (domain_root(h, in->root, err) || lookup(h, "/dset", in->dset, err))
        return -1;
    if (!in->dset[0])
        return cb_fail(err, CB_EIO, "domain %s has no dataset `dset`: it was not made by chunkbench create (or the seed's create_empty.py)", dom);
    cJSON *type = NULL;
    int rank;
    cb_layout *lay = &in->layout;
    if (dataset_info(h, in->dset, lay->shape, lay->chunk, &rank, &type, err))
        return -1;
    const char *base = type_base(type);
    lay->elem_size = !strcmp(base, "H5T_IEEE_F64LE") ? 8 : !strcmp(base, "H5T_IEEE_F32LE") ? 4 : 0;
    lay->iter = CB_ITER_BLOCK;
    cJSON_Delete(type);
    if (rank != 2 || !lay->elem_size)
        return cb_fail(err, CB_EIO, "dataset dset of %s is not a 2-D float32/float64 (little-endian) dataset", dom);

    if (lookup(h, "/task_list", in->table, err))
        return -1;
    if (!in->table[0] && lookup(h, "/chunk_list", in->table, err)) /* the seed's create_empty.py */
        return -1;
    if (!in->table[0])
        return cb_fail(err, CB_EIO, "domain %s has no task table (task_list): recreate it with chunkbench create --force", dom);
    int64_t n[2], c[2];
    if (dataset_info(h, in->table, n, c, &rank, &type, err))
        return -1;
    int ok = rank == 1 && table_type_ok(type);
    cJSON_Delete(type);
    if (!ok)
        return cb_fail(err, CB_EIO, "the task table of %s does not have the seed's layout (start, done, status, x, y, nrow, ncol, pod)", dom);
    in->ntasks = n[0];
    in->tchunk = c[0] > 0 ? c[0] : 1;
    return 0;
}

/* ---- task table transfer ----------------------------------------------- */

static int table_put(cb_http *h, const char *table_value, int64_t first, const unsigned char *rows, int64_t n,
                     cb_err *err)
{
    char params[96], doing[DOING];
    snprintf(params, sizeof params, "select=%%5B%lld:%lld%%5D", (long long)first, (long long)(first + n));
    snprintf(doing, sizeof doing, "write task rows %lld-%lld of %s", (long long)first, (long long)(first + n - 1),
             domain_of(h));
    cb_http_req r = {.method = "PUT", .path = table_value, .params = params, .body_kind = CB_BODY_BINARY,
                     .body = rows, .body_len = (size_t)n * CB_ROW_BYTES};
    long st;
    return call(h, &r, &st, NULL, doing, err);
}

static int table_get(cb_http *h, const char *table_value, int64_t first, unsigned char *rows, int64_t n, cb_err *err)
{
    char params[96], doing[DOING];
    snprintf(params, sizeof params, "select=%%5B%lld:%lld%%5D", (long long)first, (long long)(first + n));
    snprintf(doing, sizeof doing, "read task rows %lld-%lld of %s", (long long)first, (long long)(first + n - 1),
             domain_of(h));
    cb_http_req r = {.method = "GET", .path = table_value, .params = params, .out = rows,
                     .out_len = (size_t)n * CB_ROW_BYTES};
    long st;
    return call(h, &r, &st, NULL, doing, err);
}

/* Rows per transfer: whole chunks where they fit, so no request splits one. */
static int64_t io_rows(int64_t tchunk)
{
    return tchunk >= TL_IO_ROWS ? tchunk : TL_IO_ROWS / tchunk * tchunk;
}

/* Write tasks[lo..hi) as rows lo..hi. */
static int put_rows(cb_http *h, const char *table_value, int64_t tchunk, const cb_task *tasks, int64_t lo,
                    int64_t hi, unsigned char *buf, cb_err *err)
{
    int64_t step = io_rows(tchunk);
    for (int64_t a = lo; a < hi; a += step) {
        int64_t n = hi - a < step ? hi - a : step;
        for (int64_t k = 0; k < n; k++)
            cb_task_pack(&tasks[a + k], buf + k * CB_ROW_BYTES);
        if (table_put(h, table_value, a, buf, n, err))
            return -1;
    }
    return 0;
}

/* ---- metadata attributes ----------------------------------------------- */

static cJSON *int64_array(const int64_t *v, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber((double)v[i]));
    return a;
}

static cJSON *attr(cJSON *attrs, const char *name, const char *type)
{
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "type", type);
    cJSON_AddItemToObject(attrs, name, a);
    return a;
}

static void attr_f8(cJSON *attrs, const char *name, double v)
{
    char txt[40];
    snprintf(txt, sizeof txt, "%.17g", v); /* exact; cJSON may round to 15 digits */
    cJSON_AddRawToObject(attr(attrs, name, "H5T_IEEE_F64LE"), "value", isfinite(v) ? txt : "0");
}

/* Integers as raw JSON text: a double would round seeds above 2^53. */
static void attr_i8(cJSON *attrs, const char *name, int64_t v)
{
    char txt[32];
    snprintf(txt, sizeof txt, "%lld", (long long)v);
    cJSON_AddRawToObject(attr(attrs, name, "H5T_STD_I64LE"), "value", txt);
}

static void attr_pair(cJSON *attrs, const char *name, const int64_t v[2])
{
    cJSON *a = attr(attrs, name, "H5T_STD_I64LE");
    cJSON *shape = cJSON_AddArrayToObject(a, "shape");
    cJSON_AddItemToArray(shape, cJSON_CreateNumber(2));
    cJSON *val = cJSON_AddArrayToObject(a, "value");
    for (int d = 0; d < 2; d++)
        cJSON_AddItemToArray(val, cJSON_CreateNumber((double)v[d]));
}

static void attr_str(cJSON *attrs, const char *name, const char *v)
{
    cJSON *a = cJSON_CreateObject(), *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "class", "H5T_STRING");
    cJSON_AddStringToObject(t, "charSet", "H5T_CSET_UTF8");
    cJSON_AddStringToObject(t, "length", "H5T_VARIABLE");
    cJSON_AddStringToObject(t, "strPad", "H5T_STR_NULLTERM");
    cJSON_AddItemToObject(a, "type", t);
    cJSON_AddStringToObject(a, "value", v);
    cJSON_AddItemToObject(attrs, name, a);
}

static void meta_attrs(cJSON *attrs, const cb_meta *m)
{
    attr_str(attrs, "version", m->version);
    attr_i8(attrs, "seed", m->seed);
    attr_f8(attrs, "open_start", m->open_start);
    attr_f8(attrs, "close_end", m->close_end);
    attr_f8(attrs, "gen_s", m->gen_s);
    attr_f8(attrs, "io_s", m->io_s);
    attr_f8(attrs, "clock_skew_s", m->clock_skew_s);
    attr_i8(attrs, "writers", m->writers);
    attr_str(attrs, "schedule", m->schedule);
    attr_str(attrs, "io", m->io);
    attr_i8(attrs, "requests", m->requests);
    attr_i8(attrs, "retries", m->retries);
}

/* All attributes in one request (replacing old values). */
static int put_attrs(cb_http *h, const char *root, cJSON *attrs, cb_err *err)
{
    char path[ID_LEN + 32], doing[DOING];
    snprintf(path, sizeof path, "/groups/%s/attributes", root);
    snprintf(doing, sizeof doing, "write the run metadata of %s", domain_of(h));
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "attributes", attrs);
    long st;
    return send_json(h, "PUT", path, "replace=1", body, NULL, &st, NULL, doing, err);
}

static void str_field(const cJSON *v, char *dst, size_t cap)
{
    if (cJSON_IsString(v))
        snprintf(dst, cap, "%s", v->valuestring);
}

static int load_meta(cb_http *h, const char *root, cb_layout *lay, cb_meta *m, cb_err *err)
{
    char path[ID_LEN + 48], doing[DOING];
    snprintf(path, sizeof path, "/groups/%s/attributes", root);
    snprintf(doing, sizeof doing, "read the run metadata of %s", domain_of(h));
    cJSON *j = NULL;
    long st;
    cb_meta_init(m);
    if (get_json(h, path, "IncludeData=1", &j, &st, NULL, doing, err))
        return -1;
    const cJSON *a;
    int exact_seed = 0;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(j, "attributes")) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(a, "name");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, "value");
        if (!cJSON_IsString(n))
            continue;
        const char *k = n->valuestring;
        double d = cJSON_IsNumber(v) ? v->valuedouble : 0;
        if (!strcmp(k, "version")) str_field(v, m->version, sizeof m->version);
        else if (!strcmp(k, "schedule")) str_field(v, m->schedule, sizeof m->schedule);
        else if (!strcmp(k, "io")) str_field(v, m->io, sizeof m->io);
        else if (!strcmp(k, "seed") && cJSON_IsNumber(v)) {
            m->seed = (int64_t)d;
            exact_seed = fabs(d) < 9007199254740992.0; /* 2^53: the double is exact */
        }
        else if (!strcmp(k, "open_start")) m->open_start = d;
        else if (!strcmp(k, "close_end")) m->close_end = d;
        else if (!strcmp(k, "gen_s")) m->gen_s = d;
        else if (!strcmp(k, "io_s")) m->io_s = d;
        else if (!strcmp(k, "clock_skew_s")) m->clock_skew_s = d;
        else if (!strcmp(k, "writers")) m->writers = (int32_t)d;
        else if (!strcmp(k, "requests")) m->requests = (int64_t)d;
        else if (!strcmp(k, "retries")) m->retries = (int64_t)d;
        else if (!strcmp(k, "iter_type") && cJSON_IsString(v)) {
            cb_iter it;
            if (cb_iter_parse(v->valuestring, &it) == 0)
                lay->iter = it;
        }
    }
    cJSON_Delete(j);
    if (m->seed != -1 && !exact_seed) {
        /* JSON numbers pass through doubles: fetch a large seed as raw bytes. */
        unsigned char b[8];
        snprintf(path, sizeof path, "/groups/%s/attributes/seed/value", root);
        cb_http_req r = {.method = "GET", .path = path, .out = b, .out_len = 8};
        if (call(h, &r, &st, NULL, doing, err))
            return -1;
        uint64_t u = 0;
        for (int i = 0; i < 8; i++)
            u |= (uint64_t)b[i] << (8 * i);
        m->seed = (int64_t)u;
    }
    return 0;
}

static int flush_domain(cb_http *h, cb_err *err)
{
    char doing[DOING];
    snprintf(doing, sizeof doing, "flush %s", domain_of(h));
    cb_http_req r = {.method = "PUT", .path = "/", .params = "flush=1"};
    long st;
    return call(h, &r, &st, NULL, doing, err);
}

/* ---- server restarts --------------------------------------------------- */

/* HSDS acknowledges a write once it is in a data node's memory and stores it
 * a second or two later; a restart in between loses it. A flush makes
 * earlier writes durable, but only if no restart came between them: the
 * server's start time and data node ids (from /about) tell incarnations
 * apart. */
static int server_fp(cb_http *h, char fp[FP_LEN], cb_err *err)
{
    cJSON *j = NULL;
    long st;
    if (get_json(h, "/about", NULL, &j, &st, NULL, "ask HSDS for its state (/about)", err))
        return -1;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "start_time");
    int n = snprintf(fp, FP_LEN, "%.0f", cJSON_IsNumber(t) ? t->valuedouble : 0);
    const cJSON *id;
    cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(j, "dn_ids"))
        if (cJSON_IsString(id) && n > 0 && n < FP_LEN)
            n += snprintf(fp + n, FP_LEN - (size_t)n, " %s", id->valuestring);
    cJSON_Delete(j);
    return 0;
}

/* The server as this process's last data phase found it when it opened
 * (rank 0 opens and later saves the table, in one process). */
static char g_open_fp[FP_LEN];

/* ---- create ------------------------------------------------------------ */

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* Make each missing folder above the domain (HSDS has no create-parents);
 * the connection is reused with domain= naming the folder. */
static int make_parents(cb_http *h, cb_err *err)
{
    static const long ok409[] = {409, 0};
    const char *dom = domain_of(h);
    char folder[CB_HS_STR], doing[DOING];
    for (const char *p = strchr(dom + 1, '/'); p; p = strchr(p + 1, '/')) {
        snprintf(folder, sizeof folder, "%.*s", (int)(p - dom), dom);
        snprintf(doing, sizeof doing, "create folder %s", folder);
        cJSON *body = cJSON_CreateObject();
        cJSON_AddTrueToObject(body, "folder");
        char *text = cJSON_PrintUnformatted(body);
        cJSON_Delete(body);
        if (!text)
            return cb_fail(err, CB_EIO, "out of memory");
        cb_http_req r = {.method = "PUT", .path = "/", .domain = folder, .body_kind = CB_BODY_JSON, .body = text};
        long st;
        int rc = call(h, &r, &st, ok409, doing, err);
        cJSON_free(text);
        if (rc)
            return -1;
    }
    return 0;
}

static int make_domain(cb_http *h, int replaced, char root[ID_LEN], cb_err *err)
{
    char doing[DOING];
    snprintf(doing, sizeof doing, "create domain %s", domain_of(h));
    static const long ok[] = {404, 409, 410, 0};
    int made_parents = 0;
    double t0 = cb_now();
    for (;;) {
        cJSON *j = NULL;
        long st;
        if (send_json(h, "PUT", "/", NULL, cJSON_CreateObject(), &j, &st, ok, doing, err))
            return -1;
        if (st == 201 || st == 200) {
            int bad = copy_id(j, "root", root);
            cJSON_Delete(j);
            return bad ? cb_fail(err, CB_EIO, "%s: the answer has no root group id", doing) : 0;
        }
        cJSON_Delete(j);
        if (st == 404 && !made_parents) {
            if (make_parents(h, err))
                return -1;
            made_parents = 1;
            continue;
        }
        if (st == 404)
            return cb_fail(err, CB_EIO, "%s: its folder cannot be found or made (404)", doing);
        /* 409/410: someone else made it meanwhile, or our delete is still in
         * progress on the server. */
        if (!replaced || cb_now() - t0 > 20)
            return cb_fail(err, CB_EEXIST, "domain %s exists; use --force to replace it", domain_of(h));
        sleep_s(0.5);
    }
}

static int create0(const cb_config *cfg, const cb_table *tab, cb_err *err)
{
    cb_http *h = NULL;
    if (connect_cfg(cfg, NULL, &h, err))
        return -1;
    const char *dom = domain_of(h);
    char doing[DOING], root[ID_LEN], dset[ID_LEN], table[ID_LEN], path[ID_LEN + 32];
    cJSON *j = NULL, *type = NULL;
    cb_task *tasks = NULL;
    unsigned char *buf = NULL;
    int made = 0, rc = -1;
    long st;

    /* 1. The domain: refuse or replace an existing one. */
    snprintf(doing, sizeof doing, "look up domain %s", dom);
    if (get_json(h, "/", NULL, &j, &st, ok404, doing, err))
        goto out;
    int exists = st == 200, folder = exists && !cJSON_GetObjectItemCaseSensitive(j, "root");
    cJSON_Delete(j);
    j = NULL;
    if (folder) {
        cb_fail(err, CB_EEXIST, "%s is a folder on HSDS at %s; name a domain inside it", dom, cb_http_where(h));
        goto out;
    }
    if (exists && !cfg->force) {
        cb_fail(err, CB_EEXIST, "domain %s exists; use --force to replace it", dom);
        goto out;
    }
    if (exists) {
        snprintf(doing, sizeof doing, "delete domain %s", dom);
        cb_http_req r = {.method = "DELETE", .path = "/"};
        if (call(h, &r, &st, ok404, doing, err))
            goto out;
    }
    if (make_domain(h, exists, root, err))
        goto out;
    made = 1;

    /* 2. dset, then the layout the server really gave it. */
    cb_layout lay = tab->layout;
    cJSON *body = cJSON_CreateObject(), *cp, *l, *link;
    cJSON_AddStringToObject(body, "type", lay.elem_size == 4 ? "H5T_IEEE_F32LE" : "H5T_IEEE_F64LE");
    cJSON_AddItemToObject(body, "shape", int64_array(lay.shape, 2));
    cJSON_AddItemToObject(body, "creationProperties", cp = cJSON_CreateObject());
    cJSON_AddItemToObject(cp, "layout", l = cJSON_CreateObject());
    cJSON_AddStringToObject(l, "class", "H5D_CHUNKED");
    cJSON_AddItemToObject(l, "dims", int64_array(lay.chunk, 2));
    cJSON_AddItemToObject(body, "link", link = cJSON_CreateObject());
    cJSON_AddStringToObject(link, "id", root);
    cJSON_AddStringToObject(link, "name", "dset");
    snprintf(doing, sizeof doing, "create dataset dset in %s", dom);
    if (send_json(h, "POST", "/datasets", NULL, body, &j, &st, NULL, doing, err))
        goto out;
    if (copy_id(j, "id", dset)) {
        cb_fail(err, CB_EIO, "%s: the answer has no dataset id", doing);
        goto out;
    }
    cJSON_Delete(j);
    j = NULL;
    int64_t shape[2], chunk[2];
    int rank;
    if (dataset_info(h, dset, shape, chunk, &rank, &type, err))
        goto out;
    cJSON_Delete(type);
    type = NULL;
    int changed = chunk[0] != lay.chunk[0] || chunk[1] != lay.chunk[1];
    lay.chunk[0] = chunk[0];
    lay.chunk[1] = chunk[1];

    /* 3. The tasks follow the server's chunks. */
    const cb_task *rows = tab->tasks;
    int64_t ntasks = tab->ntasks;
    if (changed && lay.iter == CB_ITER_BLOCK) {
        ntasks = cb_task_count(&lay);
        if (ntasks < 0 || !(tasks = calloc((size_t)ntasks, sizeof *tasks))) {
            cb_fail(err, CB_EIO, "out of memory for %lld tasks", (long long)ntasks);
            goto out;
        }
        cb_tasks_make(&lay, tasks);
        rows = tasks;
    }

    /* 4. task_list: every row written, so every row can be claimed. */
    int64_t tchunk = ntasks < TL_CHUNK_ROWS ? ntasks : TL_CHUNK_ROWS;
    body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "type", table_type());
    cJSON_AddItemToObject(body, "shape", int64_array(&ntasks, 1));
    cJSON_AddItemToObject(body, "creationProperties", cp = cJSON_CreateObject());
    cJSON_AddItemToObject(cp, "layout", l = cJSON_CreateObject());
    cJSON_AddStringToObject(l, "class", "H5D_CHUNKED");
    cJSON_AddItemToObject(l, "dims", int64_array(&tchunk, 1));
    cJSON_AddItemToObject(body, "link", link = cJSON_CreateObject());
    cJSON_AddStringToObject(link, "id", root);
    cJSON_AddStringToObject(link, "name", "task_list");
    snprintf(doing, sizeof doing, "create dataset task_list in %s", dom);
    if (send_json(h, "POST", "/datasets", NULL, body, &j, &st, NULL, doing, err))
        goto out;
    if (copy_id(j, "id", table)) {
        cb_fail(err, CB_EIO, "%s: the answer has no dataset id", doing);
        goto out;
    }
    cJSON_Delete(j);
    j = NULL;
    if (dataset_info(h, table, shape, chunk, &rank, &type, err))
        goto out;
    tchunk = chunk[0];
    snprintf(path, sizeof path, "/datasets/%s/value", table);
    int64_t step = io_rows(tchunk);
    if (!(buf = malloc((size_t)(step < ntasks ? step : ntasks) * CB_ROW_BYTES))) {
        cb_fail(err, CB_EIO, "out of memory");
        goto out;
    }
    if (put_rows(h, path, tchunk, rows, 0, ntasks, buf, err))
        goto out;

    /* 5. Metadata, with the layout so load_table can rebuild it. */
    cJSON *attrs = cJSON_CreateObject();
    meta_attrs(attrs, &tab->meta);
    attr_pair(attrs, "shape", lay.shape);
    attr_pair(attrs, "chunk", lay.chunk);
    if (changed)
        attr_pair(attrs, "chunk_requested", tab->layout.chunk);
    attr_str(attrs, "iter_type", cb_iter_name(lay.iter));
    attr_str(attrs, "dtype", lay.elem_size == 4 ? "f4" : "f8");
    if (put_attrs(h, root, attrs, err) || flush_domain(h, err))
        goto out;
    rc = 0;
out:
    if (rc && made) {
        /* Leave no half-made domain behind to trip the next create. */
        cb_http_req r = {.method = "DELETE", .path = "/"};
        cb_err ignore = {0};
        call(h, &r, &st, ok404, "", &ignore);
    }
    cJSON_Delete(j);
    cJSON_Delete(type);
    free(tasks);
    free(buf);
    cb_http_close(h);
    return rc;
}

/* Rank 0 talks to the server; every rank returns its verdict. */
static int h_create(const cb_config *cfg, const cb_table *tab, MPI_Comm comm, cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_err e = {0};
    if (rank == 0)
        create0(cfg, tab, &e);
    if (cb_bcast_verdict(comm, &e) < 0)
        return cb_fail(err, e.code, "%s", e.msg);
    return 0;
}

/* ---- the data phase ---------------------------------------------------- */

static int h_open(const cb_config *cfg, int writable, MPI_Comm comm, cb_store **out, cb_err *err)
{
    int rank;
    *out = NULL;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_store *st = calloc(1, sizeof *st);
    hs_store *s = calloc(1, sizeof *s);
    cb_err e = {0};
    cb_hs_cfg hc;
    memset(&hc, 0, sizeof hc);
    if (!st || !s)
        cb_fail(&e, CB_EIO, "out of memory");
    /* Rank 0 finds the ids once; a thousand ranks need not ask a thousand times. */
    if (rank == 0 && !e.code && cb_hs_config(cfg->target, cfg->endpoint, cfg->bucket, &hc, &e) == 0 &&
        cb_http_open(&hc, &st->net, &s->h, &e) == 0 && resolve(s->h, &s->in, &e) == 0 &&
        server_fp(s->h, s->in.fp, &e) == 0)
        memcpy(g_open_fp, s->in.fp, sizeof g_open_fp);
    if (cb_bcast_verdict(comm, &e) == 0 &&
        cb_mpi(&e, MPI_Bcast(&hc, (int)sizeof hc, MPI_BYTE, 0, comm), "MPI_Bcast of the server settings") == 0 &&
        cb_mpi(&e, MPI_Bcast(&s->in, (int)sizeof s->in, MPI_BYTE, 0, comm), "MPI_Bcast of the domain's ids") == 0) {
        if (rank != 0)
            cb_http_open(&hc, &st->net, &s->h, &e); /* each writer its own connection */
    }
    memset(&hc, 0, sizeof hc);
    if (e.code) {
        if (s)
            cb_http_close(s->h);
        if (st)
            free(st->net.latency);
        free(s);
        free(st);
        return cb_fail(err, e.code, "%s", e.msg);
    }
    snprintf(s->dset_value, sizeof s->dset_value, "/datasets/%s/value", s->in.dset);
    snprintf(s->table_value, sizeof s->table_value, "/datasets/%s/value", s->in.table);
    s->claim_batch = cfg->claim_batch >= 1 && cfg->claim_batch <= CLAIM_MAX ? cfg->claim_batch : 1;
    st->ops = &cb_backend_hsds;
    st->layout = s->in.layout;
    st->lockstep = 0;
    st->impl = s;
    if (!writable && (st->iolog = calloc(1, sizeof *st->iolog))) {
        /* Reads log every request (bytes, times), as the file drivers' log does. */
        st->iolog->rank = rank;
        st->net.log = st->iolog;
    }
    *out = st;
    return 0;
}

static void task_select(const cb_task *t, char *params, size_t cap)
{
    snprintf(params, cap, "select=%%5B%d:%d,%d:%d%%5D", t->x, t->x + t->nrow, t->y, t->y + t->ncol);
}

static int pump(cb_store *st, double wait_s, cb_err *err);

static int h_write_task(cb_store *st, const cb_task *t, const void *buf, cb_err *err)
{
    /* No bookkeeping here: this call is timed. Requests started on the
     * writer's other connections move on while this one runs. */
    hs_store *s = st->impl;
    char params[96];
    task_select(t, params, sizeof params);
    cb_http_req r = {.method = "PUT", .path = s->dset_value, .params = params, .body_kind = CB_BODY_BINARY,
                     .body = buf, .body_len = (size_t)cb_task_bytes(t, st->layout.elem_size)};
    long code;
    return call(s->h, &r, &code, NULL, "write dset", err);
}

static int h_read_task(cb_store *st, const cb_task *t, void *buf, cb_err *err)
{
    hs_store *s = st->impl;
    char params[96];
    task_select(t, params, sizeof params);
    cb_http_req r = {.method = "GET", .path = s->dset_value, .params = params, .out = buf,
                     .out_len = (size_t)cb_task_bytes(t, st->layout.elem_size)};
    long code;
    return call(s->h, &r, &code, NULL, "read dset", err);
}

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
            return cb_fail(err, CB_EIO, "a claim on %s answered row %lld of %lld (%d asked for)", domain_of(s->h),
                           (long long)i, (long long)s->in.ntasks, max);
        idx[(*n)++] = i;
    }
    return 0;
}

/* Claimed rows wait in s->queue, in claim order, until handed out. */
static int queue_push(hs_store *s, int64_t index, double stamp)
{
    if (s->nqueue == s->capqueue) {
        int cap = s->capqueue ? 2 * s->capqueue : 16;
        hs_claimed *q = realloc(s->queue, (size_t)cap * sizeof *q);
        if (!q)
            return -1;
        s->queue = q;
        s->capqueue = cap;
    }
    s->queue[s->nqueue++] = (hs_claimed){index, stamp};
    return 0;
}

/* After a failed claim request, the claim may still have happened on the
 * server: look for the rows it would have made (our pod and one of the start
 * stamps we sent, still in progress) and queue them. */
static int find_own(hs_store *s, const double *starts, int nstarts, cb_err *err)
{
    int64_t step = io_rows(s->in.tchunk), n = s->in.ntasks;
    unsigned char *buf = malloc((size_t)(step < n ? step : n) * CB_ROW_BYTES);
    if (!buf)
        return cb_fail(err, CB_EIO, "out of memory");
    for (int64_t a = 0; a < n; a += step) {
        int64_t m = n - a < step ? n - a : step;
        if (table_get(s->h, s->table_value, a, buf, m, err)) {
            free(buf);
            return -1;
        }
        for (int64_t k = 0; k < m; k++) {
            cb_task t;
            cb_task_unpack(buf + k * CB_ROW_BYTES, &t);
            if (t.status != CB_IN_PROGRESS || strncmp(t.pod, s->pod, CB_POD_LEN))
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
static int table_read_all(hs_store *s, unsigned char *rows, cb_err *err)
{
    int64_t n = s->in.ntasks, step = io_rows(s->in.tchunk);
    for (int64_t a = 0; a < n; a += step)
        if (table_get(s->h, s->table_value, a, rows + (size_t)a * CB_ROW_BYTES, n - a < step ? n - a : step, err))
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
    if (table_read_all(s, rows, err)) {
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
    int64_t n = s->in.ntasks;
    unsigned char *rows = malloc(n ? (size_t)n * CB_ROW_BYTES : 1);
    int32_t *geo = malloc((n ? (size_t)n : 1) * 4 * sizeof *geo);
    int rc = 0;
    if (!rows || !geo)
        rc = cb_fail(err, CB_EIO, "out of memory for the positions of %lld tasks", (long long)n);
    else if (table_read_all(s, rows, err))
        rc = cb_wrap(err, "reading the task positions");
    const cb_layout *lay = &s->in.layout;
    for (int64_t i = 0; rc == 0 && i < n; i++) {
        cb_task t;
        cb_task_unpack(rows + (size_t)i * CB_ROW_BYTES, &t);
        if (t.x < 0 || t.y < 0 || t.nrow < 1 || t.ncol < 1 || t.x + (int64_t)t.nrow > lay->shape[0] ||
            t.y + (int64_t)t.ncol > lay->shape[1])
            rc = cb_fail(err, CB_EIO, "task row %lld of %s names [%d:%lld,%d:%lld], outside dset (%lld x %lld)",
                         (long long)i, domain_of(s->h), t.x, (long long)t.x + t.nrow, t.y, (long long)t.y + t.ncol,
                         (long long)lay->shape[0], (long long)lay->shape[1]);
        int32_t *g = geo + 4 * i;
        g[0] = t.x;
        g[1] = t.y;
        g[2] = t.nrow;
        g[3] = t.ncol;
    }
    free(rows);
    if (rc == 0 && !s->ch && (cb_http_open(cb_http_cfg(s->h), &st->net, &s->ch, err) || cb_http_link(s->ch, s->h, err)))
        rc = -1;
    if (rc == 0 && !s->fh && (cb_http_open(cb_http_cfg(s->h), &st->net, &s->fh, err) || cb_http_link(s->fh, s->h, err)))
        rc = -1;
    if (rc) {
        free(geo);
        return -1;
    }
    s->geo = geo;
    snprintf(s->pod, sizeof s->pod, "%s", pod);

    return 0;
}

/* The query-update that claims up to `limit` rows of task_list chunk c:
 * status 0 (or in progress past the lease) -> in progress, start = now, pod. */
static int claim_req(hs_store *s, int64_t c, double lease_s, int limit, hs_claimreq *q, cb_err *err)
{
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
    cJSON_AddStringToObject(body, "pod", s->pod);
    q->body = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    return q->body ? 0 : cb_fail(err, CB_EIO, "out of memory");
}

/* Queue the rows an answer names; cursor: their chunk. */
static int queue_answer(hs_store *s, const hs_claimreq *q, const cJSON *j, cb_err *err)
{
    int64_t idx[CLAIM_MAX];
    int n;
    if (answer_rows(s, j, idx, q->limit, &n, err))
        return -1;
    for (int k = 0; k < n; k++)
        if (queue_push(s, idx[k], q->stamp))
            return cb_fail(err, CB_EIO, "out of memory");
    if (n)
        s->cursor = q->chunk;
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
    const int maxsent = 64;
    int64_t nchunks = (s->in.ntasks + s->in.tchunk - 1) / s->in.tchunk;
    if (*nsent > 0) {
        cb_err fe = {0};
        if (find_own(s, sent, *nsent, &fe) == 0 && s->nqueue > 0)
            return 0;
    }
    cb_http_retry rt;
    cb_http_retry_start(&rt);
again:
    for (int64_t tried = 0; tried < nchunks;) {
        int64_t c = (s->cursor + tried) % nchunks;
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
                return cb_fail(err, e.code, "claiming a task of %s: %s", domain_of(s->h), e.msg);
            cb_err fe = {0};
            if (find_own(s, sent, *nsent, &fe) == 0 && s->nqueue > 0)
                return 0;
            continue; /* not found, or the scan failed too: claim again */
        }
        if (rc != CB_HTTP_OK) {
            cJSON_Delete(j);
            if (rc == CB_HTTP_STATUS)
                return explain(s->h, code, "claim a task (query-update on task_list)", &e, err);
            return cb_fail(err, e.code, "%s", e.msg);
        }
        int bad = queue_answer(s, &q, j, err);
        cJSON_Delete(j);
        if (bad)
            return -1;
        if (s->nqueue > 0)
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
            return cb_fail(err, CB_EIO, "claims on %s find nothing, yet %lld tasks are pending: %s", domain_of(s->h),
                           (long long)left, e.msg);
        goto again;
    }
    return 0;
}

/* Start the next claim in the background, in the chunk of the last one. */
static int ahead_start(cb_store *st, double lease_s, int limit, cb_err *err)
{
    hs_store *s = st->impl;
    if (claim_req(s, s->cursor, lease_s, limit, &s->ahead, err))
        return -1;
    cb_http_req r = {.method = "PUT", .path = s->table_value, .params = s->ahead.params, .body_kind = CB_BODY_JSON,
                     .body = s->ahead.body, .json = &s->ahead.json, .no_retry = 1};
    if (cb_http_start(s->ch, &r, err)) {
        cJSON_free(s->ahead.body);
        s->ahead.body = NULL;
        return -1;
    }
    s->ahead_on = 1;
    return 0;
}

/* Wait for the claim made ahead and queue its rows. When its answer was
 * lost, its stamp goes into sent[] (the claim may have happened); when its
 * chunk had nothing, nothing is queued. */
static int ahead_take(cb_store *st, double *sent, int *nsent, cb_err *err)
{
    hs_store *s = st->impl;
    int result = CB_HTTP_FAIL, p;
    long code = 0;
    cb_err e = {0};
    while ((p = cb_http_poll(s->ch, 1.0, &result, &code, &e)) == 0)
        if (pump(st, 0, err))
            return -1;
    s->ahead_on = 0;
    cJSON_free(s->ahead.body);
    s->ahead.body = NULL;
    cJSON *j = s->ahead.json;
    s->ahead.json = NULL;
    int rc = 0;
    if (p < 0)
        rc = cb_fail(err, e.code ? e.code : CB_EIO, "%s", e.msg);
    else if (result == CB_HTTP_OK)
        rc = queue_answer(s, &s->ahead, j, err);
    else if (result == CB_HTTP_RETRYABLE)
        sent[(*nsent)++] = s->ahead.stamp; /* the claim made next looks for it first */
    else if (result == CB_HTTP_STATUS)
        rc = explain(s->ch, code, "claim a task (query-update on task_list)", &e, err);
    else
        rc = cb_fail(err, e.code ? e.code : CB_EIO, "%s", e.msg);
    cJSON_Delete(j);
    return rc;
}

/* Claims that the writer will not use go back to pending, if their rows are
 * still theirs (in progress with their stamp): one conditional query-update
 * per claim request. Best effort: a row this fails for stays in progress, as
 * after a crash (--lease retakes it). */
static void claims_release(cb_store *st)
{
    hs_store *s = st->impl;
    double sent[1];
    int nsent = 0;
    cb_err e = {0};
    if (s->ahead_on && ahead_take(st, sent, &nsent, &e) == 0 && nsent)
        find_own(s, sent, nsent, &e);
    while (s->nqueue > 0) {
        double stamp = s->queue[0].stamp;
        int64_t lo = s->queue[0].index, hi = lo;
        int n = 0, k = 0;
        for (int i = 0; i < s->nqueue; i++) {
            if (s->queue[i].stamp != stamp) {
                s->queue[k++] = s->queue[i];
                continue;
            }
            lo = s->queue[i].index < lo ? s->queue[i].index : lo;
            hi = s->queue[i].index > hi ? s->queue[i].index : hi;
            n++;
        }
        s->nqueue = k;
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
        cb_http_do(s->ch, &r, &code, &e);
        cJSON_Delete(j);
    }
}

/* Rows per claim request when the caller may take `want` more (-1: any). */
static int claim_limit(const hs_store *s, int64_t want)
{
    return want < 0 || want > s->claim_batch ? s->claim_batch : (int)want;
}

static int h_claim(cb_store *st, const char *pod, double lease_s, int64_t more, int64_t *index, cb_task *t,
                   cb_err *err)
{
    hs_store *s = st->impl;
    *index = -1;
    if (!s->geo && claims_setup(st, pod, err))
        return -1;
    if (pump(st, 0, err))
        return -1;
    double sent[64];
    int nsent = 0;
    if (s->nqueue == 0 && s->ahead_on && ahead_take(st, sent, &nsent, err))
        return -1;
    if (s->nqueue == 0 && claim_now(st, lease_s, claim_limit(s, more < 0 ? -1 : more + 1), sent, &nsent, err))
        return -1;
    if (s->nqueue == 0)
        return 0;
    int64_t idx = s->queue[0].index;
    memmove(s->queue, s->queue + 1, (size_t)--s->nqueue * sizeof *s->queue);
    const int32_t *g = s->geo + 4 * idx;
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
    if (more != 0 && s->nqueue == 0 && !s->ahead_on)
        ahead_start(st, lease_s, claim_limit(s, more), &ignore);
    return 0;
}

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
static int pump(cb_store *st, double wait_s, cb_err *err)
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
            if (was == REC_FLUSH && result == CB_HTTP_OK && server_fp(s->fh, fp, &e) != 0)
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
                                   was == REC_FLUSH ? "flushing" : "recording finished tasks in", domain_of(s->h),
                                   e.msg);
                s->fattempt++;
                st->net.retries++;
                s->fnext = now + (wait < 5 ? wait : 5);
                s->covered = 0;
                s->batch = 0;
            } else {
                return explain(s->fh, code, was == REC_FLUSH ? "flush the domain" : "record finished tasks in task_list",
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

static int h_finish(cb_store *st, int64_t index, const cb_task *t, cb_err *err)
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
    return pump(st, 0, err);
}

/* Of the rows this writer set back to pending, those still pending now. */
static int64_t still_pending(hs_store *s)
{
    int64_t n = s->in.ntasks, left = 0;
    unsigned char *rows = malloc(n ? (size_t)n * CB_ROW_BYTES : 1);
    cb_err e = {0};
    if (!rows || table_read_all(s, rows, &e)) {
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

static int h_close(cb_store *st, cb_net_stats *net, cb_err *err)
{
    hs_store *s = st->impl;
    int rc = 0;
    if (s->geo)
        claims_release(st);
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
            sleep_s(nap);
        rc = pump(st, 1.0, err);
    }
    if (rc)
        cb_wrap(err, "%lld finished tasks could not be recorded and stay in progress (write again with --lease to redo them)",
                (long long)s->npend);
    else if (s->ngb > 0)
        st->net.given_back = still_pending(s);
    cb_http_close(s->ch);
    cb_http_close(s->fh);
    cb_http_close(s->h);
    cJSON_free(s->ahead.body);
    cJSON_Delete(s->ahead.json);
    free(s->geo);
    free(s->queue);
    free(s->pend);
    free(s->rows_body);
    free(s->gb);
    if (net)
        *net = st->net;
    else
        free(st->net.latency);
    if (st->iolog) { /* not taken by the caller */
        cb_iolog_free(st->iolog);
        free(st->iolog);
    }
    free(s);
    free(st);
    return rc;
}

/* ---- the table, by one process ----------------------------------------- */

static int h_load_table(const cb_config *cfg, cb_table *out, cb_err *err)
{
    memset(out, 0, sizeof *out);
    cb_meta_init(&out->meta);
    cb_http *h = NULL;
    hs_info in;
    unsigned char *buf = NULL;
    int rc = -1;
    if (connect_cfg(cfg, NULL, &h, err) || resolve(h, &in, err))
        goto out;
    out->layout = in.layout;
    if (load_meta(h, in.root, &out->layout, &out->meta, err))
        goto out;
    int64_t n = in.ntasks, step = io_rows(in.tchunk);
    char path[ID_LEN + 32];
    snprintf(path, sizeof path, "/datasets/%s/value", in.table);
    if (!(out->tasks = calloc(n ? (size_t)n : 1, sizeof *out->tasks)) ||
        !(buf = malloc((size_t)(step < n ? step : n ? n : 1) * CB_ROW_BYTES))) {
        cb_fail(err, CB_EIO, "out of memory for %lld tasks", (long long)n);
        goto out;
    }
    for (int64_t a = 0; a < n; a += step) {
        int64_t m = n - a < step ? n - a : step;
        if (table_get(h, path, a, buf, m, err))
            goto out;
        for (int64_t k = 0; k < m; k++)
            cb_task_unpack(buf + k * CB_ROW_BYTES, &out->tasks[a + k]);
    }
    out->ntasks = n;
    rc = 0;
out:
    if (rc)
        cb_table_free(out);
    free(buf);
    cb_http_close(h);
    return rc;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* After a server restart, read a complete task back and check its values;
 * one whose data did not survive goes back to pending. Returns the number
 * reset, or -1. */
static int64_t recheck(cb_http *h, const hs_info *in, const cb_meta *m, cb_task *tasks, const int64_t *rows,
                       int64_t nrows, cb_err *err)
{
    int64_t biggest = 0, reset = 0;
    for (int64_t k = 0; k < nrows; k++)
        if (cb_task_bytes(&tasks[rows[k]], in->layout.elem_size) > biggest)
            biggest = cb_task_bytes(&tasks[rows[k]], in->layout.elem_size);
    void *buf = malloc(biggest ? (size_t)biggest : 1);
    if (!buf)
        return cb_fail(err, CB_EIO, "out of memory");
    char path[ID_LEN + 32], params[96];
    snprintf(path, sizeof path, "/datasets/%s/value", in->dset);
    for (int64_t k = 0; k < nrows; k++) {
        cb_task *t = &tasks[rows[k]];
        if (t->status != CB_COMPLETE)
            continue;
        int64_t bad = 1, bi, bj;
        if (m->seed >= 0) { /* without the seed nothing can be trusted */
            task_select(t, params, sizeof params);
            cb_http_req r = {.method = "GET", .path = path, .params = params, .out = buf,
                             .out_len = (size_t)cb_task_bytes(t, in->layout.elem_size)};
            long st;
            if (call(h, &r, &st, NULL, "read back dset after a server restart", err)) {
                free(buf);
                return -1;
            }
            bad = cb_check(t, in->layout.elem_size, (uint64_t)m->seed, buf, &bi, &bj);
        }
        if (bad) {
            t->status = CB_PENDING;
            t->start = t->done = 0;
            t->pod[0] = '\0';
            reset++;
        }
    }
    free(buf);
    return reset;
}

static int h_save_table(const cb_config *cfg, const cb_table *tab, const int64_t *rows, int64_t nrows, cb_err *err)
{
    cb_http *h = NULL;
    hs_info in;
    unsigned char *buf = NULL;
    int64_t *sorted = NULL, reset = 0;
    cb_task *fixed = NULL;
    const cb_task *tasks = tab->tasks;
    int rc = -1;
    if (connect_cfg(cfg, NULL, &h, err) || resolve(h, &in, err))
        goto out;
    int64_t step = io_rows(in.tchunk), n = in.ntasks;
    if (tab->ntasks != n) {
        cb_fail(err, CB_EIO, "the task table of %s has %lld rows, not %lld: it was recreated meanwhile",
                domain_of(h), (long long)n, (long long)tab->ntasks);
        goto out;
    }
    if (!rows)
        nrows = n;
    if (!(buf = malloc((size_t)(step < n ? step : n ? n : 1) * CB_ROW_BYTES)) ||
        !(sorted = malloc((nrows ? (size_t)nrows : 1) * sizeof *sorted))) {
        cb_fail(err, CB_EIO, "out of memory");
        goto out;
    }
    for (int64_t k = 0; k < nrows; k++) {
        sorted[k] = rows ? rows[k] : k;
        if (sorted[k] < 0 || sorted[k] >= n) {
            cb_fail(err, CB_EIO, "task row %lld is outside the table of %s", (long long)sorted[k], domain_of(h));
            goto out;
        }
    }
    qsort(sorted, (size_t)nrows, sizeof *sorted, cmp_i64);

    char path[ID_LEN + 32];
    snprintf(path, sizeof path, "/datasets/%s/value", in.table);
    /* A restart while saving can lose the rows just written: save again. */
    for (int round = 0;; round++) {
        char fp[FP_LEN] = "", fp2[FP_LEN] = "";
        /* Rows say "complete" only once their data is durable: flush first,
         * and if the server restarted since this process opened it for the
         * data phase, check what survived. */
        if ((nrows > 0 && flush_domain(h, err)) || server_fp(h, fp, err))
            goto out;
        if (nrows > 0 && !fixed && g_open_fp[0] && strcmp(fp, g_open_fp)) {
            if (!(fixed = malloc((size_t)n * sizeof *fixed))) {
                cb_fail(err, CB_EIO, "out of memory");
                goto out;
            }
            memcpy(fixed, tab->tasks, (size_t)n * sizeof *fixed);
            if ((reset = recheck(h, &in, &tab->meta, fixed, sorted, nrows, err)) < 0)
                goto out;
            tasks = fixed;
        }
        /* Contiguous runs of the sorted list go in one request each. */
        for (int64_t k = 0; k < nrows;) {
            int64_t e = k + 1;
            while (e < nrows && sorted[e] <= sorted[e - 1] + 1)
                e++;
            if (put_rows(h, path, in.tchunk, tasks, sorted[k], sorted[e - 1] + 1, buf, err))
                goto out;
            k = e;
        }
        cJSON *attrs = cJSON_CreateObject();
        meta_attrs(attrs, &tab->meta);
        /* No flush after the rows: a restart that loses them only makes those
         * tasks pending again (they are rewritten, never wrong), and a flush
         * costs the server's 1-2 s timers (bench/RESULTS.md, HSDS write). */
        if (put_attrs(h, in.root, attrs, err) || server_fp(h, fp2, err))
            goto out;
        if (!strcmp(fp, fp2))
            break;
        if (round == 2) {
            cb_fail(err, CB_EIO, "HSDS at %s restarted three times while the task table was saved; run write again",
                    cb_http_where(h));
            goto out;
        }
    }
    if (reset) {
        cb_fail(err, CB_EPENDING, "HSDS at %s restarted during the run and lost the data of %lld tasks: they are pending again; run chunkbench write %s again to finish them",
                cb_http_where(h), (long long)reset, cfg->target);
        goto out;
    }
    rc = 0;
out:
    free(fixed);
    free(sorted);
    free(buf);
    cb_http_close(h);
    return rc;
}

const cb_backend cb_backend_hsds = {
    .name = "hsds",
    .create = h_create,
    .open = h_open,
    .write_task = h_write_task,
    .read_task = h_read_task,
    .claim = h_claim,
    .finish = h_finish,
    .close = h_close,
    .load_table = h_load_table,
    .save_table = h_save_table,
};
