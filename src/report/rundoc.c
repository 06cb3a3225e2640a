#include "report/rundoc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/outfile.h"

const cJSON *cb_hj_item(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }

const cJSON *cb_hj_at(const cJSON *root, const char *path)
{
    const cJSON *cur = root;
    char key[128];
    while (cur && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        cur = cJSON_IsObject(cur) ? cJSON_GetObjectItemCaseSensitive(cur, key) : NULL;
        path += n + (path[n] == '.');
    }
    return cur;
}

double cb_hj_num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

const char *cb_hj_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int cb_hj_numbers(const cJSON *a, int64_t n, double *out, double dflt)
{
    if (!cJSON_IsArray(a))
        return -1;
    int64_t i = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, a)
    {
        if (i == n)
            return -1;
        out[i++] = cJSON_IsNumber(v) ? v->valuedouble : dflt;
    }
    return i == n ? 0 : -1;
}

static void pair(const cJSON *o, const char *k, double out[2])
{
    const cJSON *a = cb_hj_item(o, k);
    for (int i = 0; i < 2; i++) {
        const cJSON *v = cJSON_IsArray(a) ? cJSON_GetArrayItem(a, i) : NULL;
        out[i] = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    }
}

void cb_hj_quantiles(const cJSON *o, cb_quantiles *q)
{
    double n = cb_hj_num(o, "n");
    q->n = n >= 0 && n < 9e18 ? (int64_t)n : 0;
    q->min = cb_hj_num(o, "min");
    q->p50 = cb_hj_num(o, "p50");
    q->p90 = cb_hj_num(o, "p90");
    q->p99 = cb_hj_num(o, "p99");
    q->max = cb_hj_num(o, "max");
    q->mean = cb_hj_num(o, "mean");
}

/* Names, kinds and the read run's cache and request log. */
static void read_labels(const cJSON *d, cb_rundoc *r)
{
    const cJSON *lr = cb_hj_item(d, "last_run"), *cache = cb_hj_item(d, "cache");
    r->target = cb_hj_str(d, "target");
    r->backend = cb_hj_str(d, "backend");
    r->dtype = cb_hj_str(d, "dtype");
    r->iter = cb_hj_str(d, "iter");
    r->phase = cb_hj_str(d, "phase");
    if (!r->phase || strcmp(r->phase, "read"))
        r->phase = "write";
    r->driver = cb_hj_str(d, "driver");
    r->preset = cb_hj_str(cache, "preset");
    r->page_size = cb_hj_num(cache, "file_page_size");
    r->requests = cJSON_IsObject(cb_hj_item(d, "requests")) ? cb_hj_item(d, "requests") : NULL;
    r->file_size = r->requests ? cb_hj_num(r->requests, "file_size") : NAN;
    r->schedule = cb_hj_str(lr, "schedule");
    r->io = cb_hj_str(lr, "io");
}

int cb_rundoc_read(const cJSON *d, cb_rundoc *r)
{
    memset(r, 0, sizeof *r);
    const cJSON *t = cb_hj_item(d, "tasks"), *bw = cb_hj_item(d, "bandwidth_MBps"), *lr = cb_hj_item(d, "last_run");
    if (!cJSON_IsObject(d) || !cJSON_IsObject(t))
        return -1;
    read_labels(d, r);
    r->span_s = cb_hj_num(lr, "close_end") - cb_hj_num(lr, "open_start");
    pair(d, "shape", r->shape);
    pair(d, "chunk", r->chunk);
    r->seed = cb_hj_num(d, "seed");
    r->total = cb_hj_num(t, "total");
    r->pending = cb_hj_num(t, "pending");
    r->complete = cb_hj_num(t, "complete");
    r->in_progress = cb_hj_num(t, "in_progress");
    r->bytes = cb_hj_num(d, "bytes");
    r->elapsed_s = cb_hj_num(d, "elapsed_s");
    r->phase_MBps = cb_hj_num(bw, "write_phase");
    r->ior_MBps = cb_hj_num(bw, "ior");
    r->run_writers = cb_hj_num(lr, "writers");
    const cJSON *st = cb_hj_item(d, "stack");
    r->hdf5 = cb_hj_str(st, "hdf5");
    r->mpi = cb_hj_str(st, "mpi");
    r->fs_type = cb_hj_str(st, "fs_type");
    r->hosts = cJSON_IsObject(st) ? cb_hj_num(st, "hosts") : NAN;
    cb_hj_quantiles(cb_hj_item(d, "latency_s"), &r->lat);
    const cJSON *c = cb_hj_item(d, "compression");
    r->filters = cJSON_IsObject(c) && cb_hj_str(c, "filters") ? cb_hj_str(c, "filters") : "";
    r->stored_bytes = cb_hj_num(c, "stored_bytes");
    r->ratio = cb_hj_num(c, "ratio");
    r->stored_MBps = cb_hj_num(c, "stored_MBps");
    return 0;
}

#define NOT_REPORT "not a chunkbench run report (JSON of write, run or status --json)"

int cb_rundoc_missing(cb_err *err, const char *label, const char *what, const char *path)
{
    return cb_fail(err, CB_EUSAGE, "%s: " NOT_REPORT ": no %s at \"%s\"", label, what, path);
}

static int is_pair(const cJSON *it)
{
    if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) != 2)
        return 0;
    return cJSON_IsNumber(cJSON_GetArrayItem(it, 0)) && cJSON_IsNumber(cJSON_GetArrayItem(it, 1));
}

int cb_rundoc_require(const cJSON *doc, const char *label, cb_err *err)
{
    /* In the order the keys are reported missing. */
    static const struct {
        const char *path, *what;
    } keys[] = {
        {"target", "string"}, {"backend", "string"}, {"shape", "[rows, cols] pair"},
        {"chunk", "[rows, cols] pair"}, {"dtype", "string"}, {"tasks.total", "number"},
        {"tasks.complete", "number"}, {"bytes", "number"}, {"bandwidth_MBps.write_phase", "number"},
        {"bandwidth_MBps.ior", "number"}, {"latency_s.p50", "number"}, {"latency_s.p90", "number"},
        {"latency_s.p99", "number"}, {"last_run.writers", "number"}, {"last_run.schedule", "string"},
        {"last_run.io", "string"},
    };
    if (!cJSON_IsObject(doc))
        return cb_fail(err, CB_EUSAGE, "%s: " NOT_REPORT ": not a JSON object", label);
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        const cJSON *it = cb_hj_at(doc, keys[k].path);
        int ok = keys[k].what[0] == 'n'   ? cJSON_IsNumber(it)
                 : keys[k].what[0] == 's' ? cJSON_IsString(it) && it->valuestring
                                          : is_pair(it);
        if (!ok)
            return cb_rundoc_missing(err, label, keys[k].what, keys[k].path);
    }
    return 0;
}

int cb_rundoc_opt_num(const cJSON *doc, const char *path, const char *label, double *out, cb_err *err)
{
    const cJSON *it = cb_hj_at(doc, path);
    *out = NAN;
    if (!it)
        return 0;
    if (!cJSON_IsNumber(it))
        return cb_rundoc_missing(err, label, "number", path);
    *out = it->valuedouble;
    return 0;
}

static int read_text(const char *path, char **out, cb_err *err)
{
    /* stat before open: a FIFO would block, a directory reads as nothing. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return cb_fail(err, CB_EUSAGE, "%s is %s, not a regular file; give a JSON file written by --json", path,
                       cb_file_kind(st.st_mode));
    FILE *f = fopen(path, "rb");
    if (!f)
        return cb_fail(err, CB_EUSAGE, "cannot read %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b)
                free(buf);
            buf = b;
        }
    }
    fclose(f);
    if (!buf)
        return cb_fail(err, CB_EIO, "out of memory reading %s", path);
    buf[n] = 0;
    *out = buf;
    return 0;
}

cJSON *cb_rundoc_load(const char *path, cb_err *err)
{
    char *text = NULL;
    if (read_text(path, &text, err) < 0)
        return NULL;
    cJSON *doc = cJSON_Parse(text);
    free(text);
    if (!doc)
        cb_fail(err, CB_EUSAGE, "%s is not valid JSON (give the output of chunkbench write/status --json)", path);
    const cJSON *ph = cJSON_GetObjectItemCaseSensitive(doc, "phase");
    if (cJSON_IsString(ph) && !strcmp(ph->valuestring, "read_total")) {
        /* a read of several datasets: its runs are the numbered files beside it */
        cb_fail(err, CB_EUSAGE, "%s is the total of a read of several datasets; give their own files (its datasets[].json)",
                path);
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}
