#include "backends/hsds/hsds_rest.h"

#include "core/clock.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- requests with clear errors ---------------------------------------- */

const char *hs_domain_of(cb_http *h) { return cb_http_cfg(h)->domain; }

/* Turn a final HTTP status into one line naming the problem and the fix. */
int hs_explain(cb_http *h, long code, const char *doing, const cb_err *e, cb_err *err)
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
int hs_call(cb_http *h, const cb_http_req *r, long *status, const long *also, const char *doing, cb_err *err)
{
    cb_err e = {0};
    int rc = cb_http_do(h, r, status, &e);
    if (rc == CB_HTTP_OK)
        return 0;
    if (rc == CB_HTTP_STATUS) {
        for (; also && *also; also++)
            if (*also == *status)
                return 0;
        return hs_explain(h, *status, doing, &e, err);
    }
    return cb_fail(err, e.code ? e.code : CB_EIO, "%s", e.msg); /* transport: says where already */
}

int hs_get_json(cb_http *h, const char *path, const char *params, cJSON **json, long *status,
                const long *also, const char *doing, cb_err *err)
{
    cb_http_req r = {.method = "GET", .path = path, .params = params, .json = json};
    return hs_call(h, &r, status, also, doing, err);
}

/* Send a cJSON body (freed here). */
int hs_send_json(cb_http *h, const char *method, const char *path, const char *params, cJSON *body,
                 cJSON **answer, long *status, const long *also, const char *doing, cb_err *err)
{
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    if (!text)
        return cb_fail(err, CB_EIO, "out of memory");
    cb_http_req r = {.method = method, .path = path, .params = params, .body_kind = CB_BODY_JSON,
                     .body = text, .json = answer};
    int rc = hs_call(h, &r, status, also, doing, err);
    cJSON_free(text);
    return rc;
}

/* ---- JSON helpers ------------------------------------------------------ */

/* "H5T_IEEE_F64LE" whether the server spells a type as a string or as
 * {"class":..., "base": ...}. */
const char *hs_type_base(const cJSON *t)
{
    if (cJSON_IsString(t))
        return t->valuestring;
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(t, "base");
    return cJSON_IsString(b) ? b->valuestring : "";
}

int hs_dims_of(const cJSON *arr, int64_t *d, int max)
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

int hs_copy_id(const cJSON *j, const char *key, char *dst)
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
int hs_dataset_info(cb_http *h, const char *id, int64_t *shape, int64_t *chunk, int *rank, cJSON **type,
                    cb_err *err)
{
    char path[ID_LEN + 16], doing[DOING];
    snprintf(path, sizeof path, "/datasets/%s", id);
    snprintf(doing, sizeof doing, "read dataset %s of %s", id, hs_domain_of(h));
    cJSON *j = NULL;
    long st;
    if (hs_get_json(h, path, NULL, &j, &st, NULL, doing, err))
        return -1;
    const cJSON *sh = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "shape"), "dims");
    const cJSON *lay = cJSON_GetObjectItemCaseSensitive(j, "layout");
    if (!lay)
        lay = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "creationProperties"), "layout");
    const cJSON *ld = cJSON_GetObjectItemCaseSensitive(lay, "dims");
    *rank = hs_dims_of(sh, shape, 2);
    int crank = ld ? hs_dims_of(ld, chunk, 2) : *rank;
    if (!ld) /* contiguous: one chunk, the whole dataset */
        for (int d = 0; d < *rank && d < 2; d++)
            chunk[d] = shape[d];
    if (*rank < 1 || crank != *rank) {
        cJSON_Delete(j);
        return cb_fail(err, CB_EIO, "dataset %s of %s has a shape or layout chunkbench cannot use", id, hs_domain_of(h));
    }
    *type = cJSON_DetachItemFromObjectCaseSensitive(j, "type");
    cJSON_Delete(j);
    return 0;
}

/* Does this compound type lay rows out exactly as the seed's 76 bytes? */
int hs_table_type_ok(const cJSON *type)
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
            if (strcmp(hs_type_base(t), bases[i]))
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

cJSON *hs_table_type(void)
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

const long hs_ok404[] = {404, 410, 0};

/* GET the domain: 0 and its root id, or -1 with "not found" spelled out. */
int hs_domain_root(cb_http *h, char root[ID_LEN], cb_err *err)
{
    char doing[DOING];
    snprintf(doing, sizeof doing, "open domain %s", hs_domain_of(h));
    cJSON *j = NULL;
    long st;
    if (hs_get_json(h, "/", NULL, &j, &st, hs_ok404, doing, err))
        return -1;
    const cb_hs_cfg *c = cb_http_cfg(h);
    if (st == 404 || st == 410) {
        cJSON_Delete(j);
        return cb_fail(err, CB_EIO, "domain %s not found on HSDS at %s%s%s: check the name, or make it with chunkbench create",
                       c->domain, cb_http_where(h), c->bucket[0] ? " in bucket " : "", c->bucket);
    }
    int bad = hs_copy_id(j, "root", root);
    cJSON_Delete(j);
    if (bad)
        return cb_fail(err, CB_EIO, "%s on HSDS at %s is a folder, not a domain: name a domain inside it", c->domain,
                       cb_http_where(h));
    return 0;
}

/* Id of the object at h5path, or "" when there is none. */
int hs_lookup(cb_http *h, const char *h5path, char id[ID_LEN], cb_err *err)
{
    char params[256] = "h5path=", doing[DOING];
    cb_http_escape(params, sizeof params, h5path);
    snprintf(doing, sizeof doing, "look up %s in %s", h5path, hs_domain_of(h));
    cJSON *j = NULL;
    long st;
    id[0] = '\0';
    if (hs_get_json(h, "/", params, &j, &st, hs_ok404, doing, err))
        return -1;
    int bad = st == 200 && hs_copy_id(j, "id", id);
    cJSON_Delete(j);
    return bad ? cb_fail(err, CB_EIO, "%s: the answer has no object id", doing) : 0;
}

/* Everything open and load_table need: ids, layout, the table's size. */
int hs_resolve(cb_http *h, hs_info *in, cb_err *err)
{
    memset(in, 0, sizeof *in);
    const char *dom = hs_domain_of(h);
    if (hs_domain_root(h, in->root, err) || hs_lookup(h, "/dset", in->dset, err))
        return -1;
    if (!in->dset[0])
        return cb_fail(err, CB_EIO, "domain %s has no dataset `dset`: it was not made by chunkbench create (or the seed's create_empty.py)", dom);
    cJSON *type = NULL;
    int rank;
    cb_layout *lay = &in->layout;
    if (hs_dataset_info(h, in->dset, lay->shape, lay->chunk, &rank, &type, err))
        return -1;
    const char *base = hs_type_base(type);
    lay->elem_size = !strcmp(base, "H5T_IEEE_F64LE") ? 8 : !strcmp(base, "H5T_IEEE_F32LE") ? 4 : 0;
    lay->iter = CB_ITER_BLOCK;
    cJSON_Delete(type);
    if (rank != 2 || !lay->elem_size)
        return cb_fail(err, CB_EIO, "dataset dset of %s is not a 2-D float32/float64 (little-endian) dataset", dom);

    if (hs_lookup(h, "/task_list", in->table, err))
        return -1;
    if (!in->table[0] && hs_lookup(h, "/chunk_list", in->table, err)) /* the seed's create_empty.py */
        return -1;
    if (!in->table[0])
        return cb_fail(err, CB_EIO, "domain %s has no task table (task_list): recreate it with chunkbench create --force", dom);
    int64_t n[2], c[2];
    if (hs_dataset_info(h, in->table, n, c, &rank, &type, err))
        return -1;
    int ok = rank == 1 && hs_table_type_ok(type);
    cJSON_Delete(type);
    if (!ok)
        return cb_fail(err, CB_EIO, "the task table of %s does not have the seed's layout (start, done, status, x, y, nrow, ncol, pod)", dom);
    in->ntasks = n[0];
    in->tchunk = c[0] > 0 ? c[0] : 1;
    return 0;
}

/* ---- task table transfer ----------------------------------------------- */

int hs_table_put(cb_http *h, const char *table_value, int64_t first, const unsigned char *rows, int64_t n,
                 cb_err *err)
{
    char params[96], doing[DOING];
    snprintf(params, sizeof params, "select=%%5B%lld:%lld%%5D", (long long)first, (long long)(first + n));
    snprintf(doing, sizeof doing, "write task rows %lld-%lld of %s", (long long)first, (long long)(first + n - 1),
             hs_domain_of(h));
    cb_http_req r = {.method = "PUT", .path = table_value, .params = params, .body_kind = CB_BODY_BINARY,
                     .body = rows, .body_len = (size_t)n * CB_ROW_BYTES};
    long st;
    return hs_call(h, &r, &st, NULL, doing, err);
}

int hs_table_get(cb_http *h, const char *table_value, int64_t first, unsigned char *rows, int64_t n, cb_err *err)
{
    char params[96], doing[DOING];
    snprintf(params, sizeof params, "select=%%5B%lld:%lld%%5D", (long long)first, (long long)(first + n));
    snprintf(doing, sizeof doing, "read task rows %lld-%lld of %s", (long long)first, (long long)(first + n - 1),
             hs_domain_of(h));
    cb_http_req r = {.method = "GET", .path = table_value, .params = params, .out = rows,
                     .out_len = (size_t)n * CB_ROW_BYTES};
    long st;
    return hs_call(h, &r, &st, NULL, doing, err);
}

/* Rows per transfer: whole chunks where they fit, so no request splits one. */
int64_t hs_io_rows(int64_t tchunk)
{
    return tchunk >= TL_IO_ROWS ? tchunk : TL_IO_ROWS / tchunk * tchunk;
}

/* Write tasks[lo..hi) as rows lo..hi. */
int hs_put_rows(cb_http *h, const char *table_value, int64_t tchunk, const cb_task *tasks, int64_t lo,
                int64_t hi, unsigned char *buf, cb_err *err)
{
    int64_t step = hs_io_rows(tchunk);
    for (int64_t a = lo; a < hi; a += step) {
        int64_t n = hi - a < step ? hi - a : step;
        for (int64_t k = 0; k < n; k++)
            cb_task_pack(&tasks[a + k], buf + k * CB_ROW_BYTES);
        if (hs_table_put(h, table_value, a, buf, n, err))
            return -1;
    }
    return 0;
}

/* ---- metadata attributes ----------------------------------------------- */

cJSON *hs_int64_array(const int64_t *v, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber((double)v[i]));
    return a;
}

static cJSON *hs_attr(cJSON *attrs, const char *name, const char *type)
{
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "type", type);
    cJSON_AddItemToObject(attrs, name, a);
    return a;
}

static void hs_attr_f8(cJSON *attrs, const char *name, double v)
{
    char txt[40];
    snprintf(txt, sizeof txt, "%.17g", v); /* exact; cJSON may round to 15 digits */
    cJSON_AddRawToObject(hs_attr(attrs, name, "H5T_IEEE_F64LE"), "value", isfinite(v) ? txt : "0");
}

/* Integers as raw JSON text: a double would round seeds above 2^53. */
static void hs_attr_i8(cJSON *attrs, const char *name, int64_t v)
{
    char txt[32];
    snprintf(txt, sizeof txt, "%lld", (long long)v);
    cJSON_AddRawToObject(hs_attr(attrs, name, "H5T_STD_I64LE"), "value", txt);
}

void hs_attr_pair(cJSON *attrs, const char *name, const int64_t v[2])
{
    cJSON *a = hs_attr(attrs, name, "H5T_STD_I64LE");
    cJSON *shape = cJSON_AddArrayToObject(a, "shape");
    cJSON_AddItemToArray(shape, cJSON_CreateNumber(2));
    cJSON *val = cJSON_AddArrayToObject(a, "value");
    for (int d = 0; d < 2; d++)
        cJSON_AddItemToArray(val, cJSON_CreateNumber((double)v[d]));
}

void hs_attr_str(cJSON *attrs, const char *name, const char *v)
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

/* Every field of cb_meta_fields; integers all as 64-bit. */
void hs_meta_attrs(cJSON *attrs, const cb_meta *m)
{
    for (int i = 0; i < cb_meta_nfields; i++) {
        const cb_meta_field *f = &cb_meta_fields[i];
        if (f->flags & CB_MF_MPIIO)
            continue;
        if (f->kind == CB_MF_STR)
            hs_attr_str(attrs, f->name, cb_meta_get(m, f));
        else if (f->kind == CB_MF_INT)
            hs_attr_i8(attrs, f->name, cb_meta_int(m, f));
        else
            hs_attr_f8(attrs, f->name, *(const double *)cb_meta_get(m, f));
    }
}

static const cb_meta_field *meta_field(const char *name)
{
    for (int i = 0; i < cb_meta_nfields; i++)
        if (!strcmp(cb_meta_fields[i].name, name))
            return &cb_meta_fields[i];
    return NULL;
}

/* All attributes in one request (replacing old values). */
int hs_put_attrs(cb_http *h, const char *root, cJSON *attrs, cb_err *err)
{
    char path[ID_LEN + 32], doing[DOING];
    snprintf(path, sizeof path, "/groups/%s/attributes", root);
    snprintf(doing, sizeof doing, "write the run metadata of %s", hs_domain_of(h));
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "attributes", attrs);
    long st;
    return hs_send_json(h, "PUT", path, "replace=1", body, NULL, &st, NULL, doing, err);
}

static void str_field(const cJSON *v, char *dst, size_t cap)
{
    if (cJSON_IsString(v))
        snprintf(dst, cap, "%s", v->valuestring);
}

int hs_load_meta(cb_http *h, const char *root, cb_layout *lay, cb_meta *m, cb_err *err)
{
    char path[ID_LEN + 64], doing[DOING];
    snprintf(path, sizeof path, "/groups/%s/attributes", root);
    snprintf(doing, sizeof doing, "read the run metadata of %s", hs_domain_of(h));
    cJSON *j = NULL;
    long st;
    cb_meta_init(m);
    if (hs_get_json(h, path, "IncludeData=1", &j, &st, NULL, doing, err))
        return -1;
    const cJSON *a;
    unsigned inexact = 0; /* bit i: integer field i came as a rounded double */
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(j, "attributes")) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(a, "name");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(a, "value");
        if (!cJSON_IsString(n))
            continue;
        const cb_meta_field *f = meta_field(n->valuestring);
        if (!f) {
            cb_iter it;
            if (!strcmp(n->valuestring, "iter_type") && cJSON_IsString(v) && cb_iter_parse(v->valuestring, &it) == 0)
                lay->iter = it;
        } else if (f->kind == CB_MF_STR) {
            str_field(v, cb_meta_ref(m, f), f->size);
        } else if (cJSON_IsNumber(v) && f->kind == CB_MF_REAL) {
            *(double *)cb_meta_ref(m, f) = v->valuedouble;
        } else if (cJSON_IsNumber(v)) {
            cb_meta_set_int(m, f, (int64_t)v->valuedouble);
            if (fabs(v->valuedouble) >= 9007199254740992.0) /* 2^53: the double may be rounded */
                inexact |= 1u << (f - cb_meta_fields);
        }
    }
    cJSON_Delete(j);
    for (int i = 0; i < cb_meta_nfields; i++) {
        if (!(inexact & 1u << i))
            continue;
        /* JSON numbers pass through doubles: fetch a large integer (a seed) as raw bytes. */
        unsigned char b[8];
        snprintf(path, sizeof path, "/groups/%s/attributes/%s/value", root, cb_meta_fields[i].name);
        cb_http_req r = {.method = "GET", .path = path, .out = b, .out_len = 8};
        if (hs_call(h, &r, &st, NULL, doing, err))
            return -1;
        uint64_t u = 0;
        for (int k = 0; k < 8; k++)
            u |= (uint64_t)b[k] << (8 * k);
        cb_meta_set_int(m, &cb_meta_fields[i], (int64_t)u);
    }
    return 0;
}

const cb_http_req hs_flush_req = {.method = "PUT", .path = "/", .params = "flush=1"};

#define FLUSH_STAGGER_S 0.25
#define FLUSH_EXTRA 3

/* An extra flush on a connection of its own (like base's, linked to it, so
 * polling either moves both); NULL when it could not be sent. */
static cb_http *extra_flush(cb_http *base, cb_net_stats *stats)
{
    cb_err ignored = {0};
    cb_http *x = NULL;
    if (cb_http_open(cb_http_cfg(base), stats, &x, &ignored) == 0 &&
        (cb_http_link(x, base, &ignored) || cb_http_start(x, &hs_flush_req, &ignored))) {
        cb_http_close(x);
        x = NULL;
    }
    return x;
}

int hs_flush_race(cb_http *primary, cb_http *base, cb_net_stats *stats, int *result, long *status, cb_err *e)
{
    cb_http *x[FLUSH_EXTRA] = {0};
    int n = 0, won = 0;
    double next = cb_now() + FLUSH_STAGGER_S;
    for (;;) {
        won = cb_http_poll(primary, 0.01, result, status, e);
        if (won != 0)
            break;
        if (n < FLUSH_EXTRA && cb_now() >= next) {
            x[n++] = extra_flush(base, stats);
            next += FLUSH_STAGGER_S;
        }
        for (int k = 0; k < n && !won; k++) {
            int r = CB_HTTP_FAIL;
            long c = 0;
            cb_err ignored = {0};
            if (!x[k] || cb_http_poll(x[k], 0, &r, &c, &ignored) != 1)
                continue;
            if (r == CB_HTTP_OK) {
                cb_http_abort(primary);
                won = 2;
            } else { /* an extra's failure changes nothing */
                cb_http_close(x[k]);
                x[k] = NULL;
            }
        }
        if (won)
            break;
    }
    for (int k = 0; k < n; k++)
        cb_http_close(x[k]);
    return won;
}

int hs_flush_domain(cb_http *h, cb_err *err)
{
    char doing[DOING];
    snprintf(doing, sizeof doing, "flush %s", hs_domain_of(h));
    long st;
    cb_err e = {0};
    int result = CB_HTTP_FAIL;
    if (cb_http_start(h, &hs_flush_req, &e) == 0) {
        int won = hs_flush_race(h, h, cb_http_stats(h), &result, &st, &e);
        if (won == 2 || (won == 1 && result == CB_HTTP_OK))
            return 0;
    }
    /* Not started, or not done: the usual request, with its retries and
     * its one-line reasons. */
    cb_http_req r = hs_flush_req;
    return hs_call(h, &r, &st, NULL, doing, err);
}

/* ---- server restarts --------------------------------------------------- */

/* HSDS acknowledges a write once it is in a data node's memory and stores it
 * a second or two later; a restart in between loses it. A flush makes
 * earlier writes durable, but only if no restart came between them: the
 * server's start time and data node ids (from /about) tell incarnations
 * apart. */
int hs_server_fp(cb_http *h, char fp[FP_LEN], cb_err *err)
{
    cJSON *j = NULL;
    long st;
    if (hs_get_json(h, "/about", NULL, &j, &st, NULL, "ask HSDS for its state (/about)", err))
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

void hs_sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

void hs_task_select(const cb_task *t, char *params, size_t cap)
{
    snprintf(params, cap, "select=%%5B%d:%d,%d:%d%%5D", t->x, t->x + t->nrow, t->y, t->y + t->ncol);
}

void hs_sel_select(const cb_sel *q, char *params, size_t cap)
{
    /* numpy's stop: one past the last element taken. */
    int64_t stop[2];
    for (int d = 0; d < 2; d++)
        stop[d] = q->start[d] + (q->count[d] - 1) * q->stride[d] + 1;
    snprintf(params, cap, "select=%%5B%lld:%lld:%lld,%lld:%lld:%lld%%5D", (long long)q->start[0], (long long)stop[0],
             (long long)q->stride[0], (long long)q->start[1], (long long)stop[1], (long long)q->stride[1]);
}

