/* The HSDS backend: the domain holds `dset` (2-D, chunked), the task table
 * `task_list` (the seed's packed 76-byte compound rows) and the run metadata
 * as attributes of the root group. Values travel as raw bytes
 * (application/octet-stream with select=[...], points POSTed as uint64s);
 * the server schedule claims rows with the server's atomic query-update, as
 * the seed's writers do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "backends/backend.h"
#include "backends/hsds/hsds_filters.h"
#include "backends/hsds/hsds_store.h"
#include "core/clock.h"
#include "core/datagen.h"
#include "core/iolog.h"
#include "core/mpi_err.h"
#include "core/table_check.h"

static const cb_hsds_opts *own_opts(const cb_store_opts *o)
{
    static const cb_hsds_opts none = {NULL, NULL, CB_CLAIM_BATCH_DEFAULT, NULL};
    return o->backend ? o->backend : &none;
}

/* Where the server is: the command line, else the environment and .hscfg. */
static int server_cfg(const cb_store_opts *o, cb_hs_cfg *hc, cb_err *err)
{
    const cb_hsds_opts *own = own_opts(o);
    return cb_hs_config(o->target, own->endpoint, own->bucket, own->ca_file, hc, err);
}

static int connect_opts(const cb_store_opts *o, cb_net_stats *stats, cb_http **h, cb_err *err)
{
    cb_hs_cfg hc;
    int rc = server_cfg(o, &hc, err);
    if (rc == 0)
        rc = cb_http_open(&hc, stats, h, err);
    memset(&hc, 0, sizeof hc);
    return rc;
}

/* Make each missing folder above the domain (HSDS has no create-parents);
 * the connection is reused with domain= naming the folder. */
static int make_parents(cb_http *h, cb_err *err)
{
    static const long ok409[] = {409, 0};
    const char *dom = hs_domain_of(h);
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
        int rc = hs_call(h, &r, &st, ok409, doing, err);
        cJSON_free(text);
        if (rc)
            return -1;
    }
    return 0;
}

static int make_domain(cb_http *h, int replaced, char root[ID_LEN], cb_err *err)
{
    char doing[DOING];
    snprintf(doing, sizeof doing, "create domain %s", hs_domain_of(h));
    static const long ok[] = {404, 409, 410, 0};
    int made_parents = 0;
    double t0 = cb_now();
    for (;;) {
        cJSON *j = NULL;
        long st;
        if (hs_send_json(h, "PUT", "/", NULL, cJSON_CreateObject(), &j, &st, ok, doing, err))
            return -1;
        if (st == 201 || st == 200) {
            int bad = hs_copy_id(j, "root", root);
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
            return cb_fail(err, CB_EEXIST, "domain %s exists; use --force to replace it", hs_domain_of(h));
        hs_sleep_s(0.5);
    }
}

static int create0(const cb_store_opts *opt, const cb_table *tab, cb_err *err)
{
    cb_http *h = NULL;
    if (connect_opts(opt, NULL, &h, err))
        return -1;
    const char *dom = hs_domain_of(h);
    char doing[DOING], root[ID_LEN], dset[ID_LEN], table[ID_LEN], path[ID_LEN + 32];
    cJSON *j = NULL, *type = NULL;
    cb_task *tasks = NULL;
    unsigned char *buf = NULL;
    int made = 0, rc = -1;
    long st;

    /* 1. The domain: refuse or replace an existing one. */
    snprintf(doing, sizeof doing, "look up domain %s", dom);
    if (hs_get_json(h, "/", NULL, &j, &st, hs_ok404, doing, err))
        goto out;
    int exists = st == 200, folder = exists && !cJSON_GetObjectItemCaseSensitive(j, "root");
    cJSON_Delete(j);
    j = NULL;
    if (folder) {
        cb_fail(err, CB_EEXIST, "%s is a folder on HSDS at %s; name a domain inside it", dom, cb_http_where(h));
        goto out;
    }
    if (exists && !opt->force) {
        cb_fail(err, CB_EEXIST, "domain %s exists; use --force to replace it", dom);
        goto out;
    }
    if (exists) {
        snprintf(doing, sizeof doing, "delete domain %s", dom);
        cb_http_req r = {.method = "DELETE", .path = "/"};
        if (hs_call(h, &r, &st, hs_ok404, doing, err))
            goto out;
    }
    if (make_domain(h, exists, root, err))
        goto out;
    made = 1;

    /* 2. dset, then the layout the server really gave it. */
    cb_layout lay = tab->layout;
    cJSON *body = cJSON_CreateObject(), *cp, *l, *link;
    cJSON_AddStringToObject(body, "type", lay.elem_size == 4 ? "H5T_IEEE_F32LE" : "H5T_IEEE_F64LE");
    cJSON_AddItemToObject(body, "shape", hs_int64_array(lay.shape, 2));
    cJSON_AddItemToObject(body, "creationProperties", cp = cJSON_CreateObject());
    cJSON_AddItemToObject(cp, "layout", l = cJSON_CreateObject());
    cJSON_AddStringToObject(l, "class", "H5D_CHUNKED");
    cJSON_AddItemToObject(l, "dims", hs_int64_array(lay.chunk, 2));
    const cb_filters *fs = opt->filters && opt->filters->n ? opt->filters : NULL;
    if (fs)
        cJSON_AddItemToObject(cp, "filters", hs_filters_json(fs));
    cJSON_AddItemToObject(body, "link", link = cJSON_CreateObject());
    cJSON_AddStringToObject(link, "id", root);
    cJSON_AddStringToObject(link, "name", "dset");
    snprintf(doing, sizeof doing, "create dataset dset in %s", dom);
    if (hs_send_json(h, "POST", "/datasets", NULL, body, &j, &st, NULL, doing, err))
        goto out;
    if (hs_copy_id(j, "id", dset)) {
        cb_fail(err, CB_EIO, "%s: the answer has no dataset id", doing);
        goto out;
    }
    cJSON_Delete(j);
    j = NULL;
    if (fs && hs_filters_kept(h, dset, fs, err))
        goto out;
    int64_t shape[2], chunk[2];
    int rank;
    if (hs_dataset_info(h, dset, shape, chunk, &rank, &type, err))
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
    cJSON_AddItemToObject(body, "type", hs_table_type());
    cJSON_AddItemToObject(body, "shape", hs_int64_array(&ntasks, 1));
    cJSON_AddItemToObject(body, "creationProperties", cp = cJSON_CreateObject());
    cJSON_AddItemToObject(cp, "layout", l = cJSON_CreateObject());
    cJSON_AddStringToObject(l, "class", "H5D_CHUNKED");
    cJSON_AddItemToObject(l, "dims", hs_int64_array(&tchunk, 1));
    cJSON_AddItemToObject(body, "link", link = cJSON_CreateObject());
    cJSON_AddStringToObject(link, "id", root);
    cJSON_AddStringToObject(link, "name", "task_list");
    snprintf(doing, sizeof doing, "create dataset task_list in %s", dom);
    if (hs_send_json(h, "POST", "/datasets", NULL, body, &j, &st, NULL, doing, err))
        goto out;
    if (hs_copy_id(j, "id", table)) {
        cb_fail(err, CB_EIO, "%s: the answer has no dataset id", doing);
        goto out;
    }
    cJSON_Delete(j);
    j = NULL;
    if (hs_dataset_info(h, table, shape, chunk, &rank, &type, err))
        goto out;
    tchunk = chunk[0];
    snprintf(path, sizeof path, "/datasets/%s/value", table);
    int64_t step = hs_io_rows(tchunk);
    if (!(buf = malloc((size_t)(step < ntasks ? step : ntasks) * CB_ROW_BYTES))) {
        cb_fail(err, CB_EIO, "out of memory");
        goto out;
    }
    if (hs_put_rows(h, path, tchunk, rows, 0, ntasks, buf, err))
        goto out;

    /* 5. Metadata, with the layout so load_table can rebuild it. */
    cJSON *attrs = cJSON_CreateObject();
    hs_meta_attrs(attrs, &tab->meta);
    hs_attr_pair(attrs, "shape", lay.shape);
    hs_attr_pair(attrs, "chunk", lay.chunk);
    if (changed)
        hs_attr_pair(attrs, "chunk_requested", tab->layout.chunk);
    hs_attr_str(attrs, "iter_type", cb_iter_name(lay.iter));
    hs_attr_str(attrs, "dtype", lay.elem_size == 4 ? "f4" : "f8");
    if (hs_put_attrs(h, root, attrs, err) || hs_flush_domain(h, err))
        goto out;
    rc = 0;
out:
    if (rc && made) {
        /* Leave no half-made domain behind to trip the next create. */
        cb_http_req r = {.method = "DELETE", .path = "/"};
        cb_err ignore = {0};
        hs_call(h, &r, &st, hs_ok404, "", &ignore);
    }
    cJSON_Delete(j);
    cJSON_Delete(type);
    free(tasks);
    free(buf);
    cb_http_close(h);
    return rc;
}

/* HSDS stores values itself: the HDF5 file options mean nothing here. */
static int h_check(const cb_store_opts *o, cb_err *err)
{
    if (o->coll_metadata || o->chunk_opt != CB_CHUNK_OPT_UNSET)
        return cb_fail(err, CB_EUSAGE, "--coll-metadata and --chunk-opt apply to HDF5 files opened with MPI-IO, not to HSDS domains");
    if (o->driver || o->page_buffer >= 0 || o->chunk_cache >= 0 || o->http_cache_given)
        return cb_fail(err, CB_EUSAGE, "--driver, --page-buffer, --chunk-cache and --cache-type apply to HDF5 files and URLs, not to HSDS domains");
    if (o->align || o->page_size)
        return cb_fail(err, CB_EUSAGE, "--align and --page-size apply to HDF5 files, not to HSDS domains");
    if ((o->mpi_hints && o->mpi_hints->n) || (o->create_hints && o->create_hints->n))
        return cb_fail(err, CB_EUSAGE, "--hint, --hints-file and --stripe-count/--stripe-size are MPI-IO hints for HDF5 "
                       "files; an HSDS domain is written over HTTP: leave them out");
    if (o->filters && hs_filters_check(o->filters, err))
        return -1;
    if (o->io != CB_IO_INDEPENDENT)
        return cb_fail(err, CB_EUSAGE, "--io %s applies to HDF5 files; HSDS writes each task with its own request",
                       cb_io_name(o->io));
    int batch = own_opts(o)->claim_batch;
    if (batch < 1 || batch > CB_CLAIM_BATCH_MAX)
        return cb_fail(err, CB_EUSAGE, "--claim-batch must be between 1 and %d, got %d", CB_CLAIM_BATCH_MAX, batch);
    return 0;
}

/* Rank 0 talks to the server; every rank returns its verdict. */
static int h_create(const cb_store_opts *opt, const cb_table *tab, MPI_Comm comm, cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_err e = {0};
    if (rank == 0)
        create0(opt, tab, &e);
    if (cb_bcast_verdict(comm, &e) < 0)
        return cb_fail(err, e.code, "%s", e.msg);
    return 0;
}

/* ---- the data phase ---------------------------------------------------- */

static int h_open(const cb_store_opts *opt, MPI_Comm comm, cb_store **out, cb_err *err)
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
    if (rank == 0 && !e.code && server_cfg(opt, &hc, &e) == 0 &&
        cb_http_open(&hc, &st->net, &s->h, &e) == 0 && hs_resolve(s->h, &s->in, &e) == 0 &&
        hs_server_fp(s->h, s->in.fp, &e) == 0)
        memcpy(st->net.server_id, s->in.fp, sizeof st->net.server_id);
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
    int batch = own_opts(opt)->claim_batch;
    s->claims.claim_batch = batch >= 1 && batch <= CLAIM_MAX ? batch : 1;
    st->ops = &cb_backend_hsds;
    st->layout = s->in.layout;
    st->lockstep = 0;
    st->impl = s;
    if (opt->log_requests && (st->iolog = calloc(1, sizeof *st->iolog))) {
        /* Reads log every request (bytes, times), as the file drivers' log does. */
        st->iolog->rank = rank;
        st->net.log = st->iolog;
    }
    *out = st;
    return 0;
}

static int h_write_task(cb_store *st, const cb_task *t, const void *buf, cb_err *err)
{
    /* No bookkeeping here: this call is timed. Requests started on the
     * writer's other connections move on while this one runs. */
    hs_store *s = st->impl;
    char params[96];
    hs_task_select(t, params, sizeof params);
    cb_http_req r = {.method = "PUT", .path = s->dset_value, .params = params, .body_kind = CB_BODY_BINARY,
                     .body = buf, .body_len = (size_t)cb_task_bytes(t, st->layout.elem_size)};
    long code;
    return hs_call(s->h, &r, &code, NULL, "write dset", err);
}

static int h_read_task(cb_store *st, const cb_task *t, void *buf, cb_err *err)
{
    hs_store *s = st->impl;
    char params[96];
    hs_task_select(t, params, sizeof params);
    cb_http_req r = {.method = "GET", .path = s->dset_value, .params = params, .out = buf,
                     .out_len = (size_t)cb_task_bytes(t, st->layout.elem_size)};
    long code;
    return hs_call(s->h, &r, &code, NULL, "read dset", err);
}

/* read --pattern: a strided hyperslab is a GET with a stepped select=; a
 * point list a POST of its coordinates (uint64 row, col pairs, little
 * endian), answered with the values in the points' order. */
static int h_read_sel(cb_store *st, const cb_sel *q, void *buf, cb_err *err)
{
    if (!q)
        return 0; /* nothing collective here, as read_task */
    hs_store *s = st->impl;
    size_t out_len = (size_t)cb_sel_elements(q) * (size_t)st->layout.elem_size;
    long code;
    if (!q->npoints) {
        char params[160];
        hs_sel_select(q, params, sizeof params);
        cb_http_req r = {.method = "GET", .path = s->dset_value, .params = params, .out = buf, .out_len = out_len};
        return hs_call(s->h, &r, &code, NULL, "read a strided selection of dset", err);
    }
    size_t need = (size_t)q->npoints * 16;
    if (need > s->points_cap) {
        unsigned char *p = realloc(s->points, need);
        if (!p)
            return cb_fail(err, CB_EIO, "out of memory for %lld points", (long long)q->npoints);
        s->points = p;
        s->points_cap = need;
    }
    for (int64_t k = 0; k < 2 * q->npoints; k++)
        for (int b = 0; b < 8; b++)
            s->points[8 * k + b] = (unsigned char)((uint64_t)q->points[k] >> (8 * b));
    cb_http_req r = {.method = "POST", .path = s->dset_value, .body_kind = CB_BODY_BINARY, .body = s->points,
                     .body_len = need, .out = buf, .out_len = out_len};
    return hs_call(s->h, &r, &code, NULL, "read points of dset", err);
}

static int h_close(cb_store *st, cb_net_stats *net, cb_err *err)
{
    hs_store *s = st->impl;
    if (s->claims.geo)
        hs_claims_release(st);
    int rc = hs_recorder_drain(st, err);
    hs_claims_free(s);
    hs_recorder_free(s);
    cb_http_close(s->h);
    free(s->points);
    free(s);
    cb_store_release(st, net);
    return rc;
}

/* ---- the table, by one process ----------------------------------------- */

static int h_load_table(const cb_store_opts *opt, cb_table *out, cb_err *err)
{
    memset(out, 0, sizeof *out);
    cb_meta_init(&out->meta);
    cb_http *h = NULL;
    hs_info in;
    unsigned char *buf = NULL;
    int rc = -1;
    if (connect_opts(opt, NULL, &h, err) || hs_resolve(h, &in, err))
        goto out;
    out->layout = in.layout;
    if (hs_load_meta(h, in.root, &out->layout, &out->meta, err))
        goto out;
    /* The server's figure as its last scan found it (write rescans at its
     * end); 0 (unknown) when it has not scanned since the chunks came. */
    int64_t nchunks;
    if (out->meta.filters[0] && hs_stored_bytes(h, in.dset, 0, &out->meta.stored_bytes, &nchunks, err))
        goto out;
    if (out->meta.stored_bytes < 0)
        out->meta.stored_bytes = 0;
    int64_t n = in.ntasks, step = hs_io_rows(in.tchunk);
    char path[ID_LEN + 32];
    snprintf(path, sizeof path, "/datasets/%s/value", in.table);
    if (!(out->tasks = calloc(n ? (size_t)n : 1, sizeof *out->tasks)) ||
        !(buf = malloc((size_t)(step < n ? step : n ? n : 1) * CB_ROW_BYTES))) {
        cb_fail(err, CB_EIO, "out of memory for %lld tasks", (long long)n);
        goto out;
    }
    for (int64_t a = 0; a < n; a += step) {
        int64_t m = n - a < step ? n - a : step;
        if (hs_table_get(h, path, a, buf, m, err))
            goto out;
        for (int64_t k = 0; k < m; k++)
            cb_task_unpack(buf + k * CB_ROW_BYTES, &out->tasks[a + k]);
    }
    out->ntasks = n;
    rc = cb_table_check(out, opt->target, "task_list", err);
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
        cb_values gen;
        if (m->seed >= 0 && cb_values_parse(m->values, &gen) == 0) { /* without the generator nothing can be trusted */
            hs_task_select(t, params, sizeof params);
            cb_http_req r = {.method = "GET", .path = path, .params = params, .out = buf,
                             .out_len = (size_t)cb_task_bytes(t, in->layout.elem_size)};
            long st;
            if (hs_call(h, &r, &st, NULL, "read back dset after a server restart", err)) {
                free(buf);
                return -1;
            }
            bad = cb_check(t, in->layout.elem_size, (uint64_t)m->seed, &gen, buf, &bi, &bj);
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

static int h_save_table(const cb_store_opts *opt, const cb_table *tab, const int64_t *rows, int64_t nrows, cb_err *err)
{
    cb_http *h = NULL;
    hs_info in;
    unsigned char *buf = NULL;
    int64_t *sorted = NULL, reset = 0;
    cb_task *fixed = NULL;
    const cb_task *tasks = tab->tasks;
    int rc = -1;
    if (connect_opts(opt, NULL, &h, err) || hs_resolve(h, &in, err))
        goto out;
    int64_t step = hs_io_rows(in.tchunk), n = in.ntasks;
    if (tab->ntasks != n) {
        cb_fail(err, CB_EIO, "the task table of %s has %lld rows, not %lld: it was recreated meanwhile",
                hs_domain_of(h), (long long)n, (long long)tab->ntasks);
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
            cb_fail(err, CB_EIO, "task row %lld is outside the table of %s", (long long)sorted[k], hs_domain_of(h));
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
        if ((nrows > 0 && hs_flush_domain(h, err)) || hs_server_fp(h, fp, err))
            goto out;
        if (nrows > 0 && !fixed && opt->server_id && opt->server_id[0] && strcmp(fp, opt->server_id)) {
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
            if (hs_put_rows(h, path, in.tchunk, tasks, sorted[k], sorted[e - 1] + 1, buf, err))
                goto out;
            k = e;
        }
        cJSON *attrs = cJSON_CreateObject();
        hs_meta_attrs(attrs, &tab->meta);
        /* No flush after the rows: a restart that loses them only makes those
         * tasks pending again (they are rewritten, never wrong), and a flush
         * costs the server's 1-2 s timers (bench/RESULTS.md, HSDS write). */
        if (hs_put_attrs(h, in.root, attrs, err) || hs_server_fp(h, fp2, err))
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
                cb_http_where(h), (long long)reset, opt->target);
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

/* One process, after a write: the bytes dset's chunks take in the
 * server's storage, exact as of now (a flush and a scan, which costs up to
 * the server's scan_sleep_time). */
/* The dataset's total as the server counts it; no per-chunk sizes (the
 * server keeps none a client can ask for cheaply): t->chunk_stored stays NULL. */
static int h_stored_bytes(const cb_store_opts *opt, cb_table *t, cb_err *err)
{
    cb_http *h = NULL;
    hs_info in;
    int64_t nchunks = 0, *out = &t->meta.stored_bytes;
    *out = 0;
    int rc = connect_opts(opt, NULL, &h, err) || hs_resolve(h, &in, err) ||
             hs_stored_bytes(h, in.dset, 1, out, &nchunks, err) ? -1 : 0;
    if (rc == 0 && *out < 0)
        rc = cb_fail(err, CB_EIO, "HSDS at %s did not count the chunks of dset in %s after a rescan", cb_http_where(h),
                     hs_domain_of(h));
    cb_http_close(h);
    return rc;
}

const cb_backend cb_backend_hsds = {
    .name = "hsds",
    .caps = CB_CAP_CLAIMS | CB_CAP_NET_STATS | CB_CAP_DURABLE | CB_CAP_STORED_BYTES | CB_CAP_SELECTIONS,
    .transport = "http",
    .check = h_check,
    .create = h_create,
    .open = h_open,
    .write_task = h_write_task,
    .read_task = h_read_task,
    .read_sel = h_read_sel,
    .claim = hs_claim,
    .finish = hs_finish,
    .close = h_close,
    .load_table = h_load_table,
    .save_table = h_save_table,
    .stored_bytes = h_stored_bytes,
};
