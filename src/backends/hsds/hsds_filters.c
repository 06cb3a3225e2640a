#include "backends/hsds/hsds_filters.h"

#include <stdio.h>
#include <string.h>

#include "backends/hsds/hsds_rest.h"

/* What HSDS 1.0 applies (hsds/datanode_lib.py getFilterOps, util/storUtil.py
 * _compress): one compressor, always inside blosc (deflate is blosc's zlib),
 * and shuffle as blosc's byte shuffle, before compressing. */
static const char OFFERS[] = "it offers shuffle before a compressor, deflate[:LEVEL], blosc-lz4[:LEVEL], blosc-lz4hc, "
                             "blosc-zstd and blosc-blosclz";

/* The server's class and name of each filter it applies; level: it takes one. */
static const struct hs_filter {
    unsigned id;
    int blosc;
    const char *cls, *name;
    int level;
} KNOWN[] = {
    {CB_FILTER_SHUFFLE, 0, "H5Z_FILTER_SHUFFLE", "shuffle", 0},
    {CB_FILTER_DEFLATE, 0, "H5Z_FILTER_DEFLATE", "gzip", 1}, /* h5py's name, which h5pyd reports */
    {CB_FILTER_LZ4, 1, "H5Z_FILTER_LZ4", "lz4", 1},
    {CB_FILTER_LZ4HC, 1, "H5Z_FILTER_LZ4HC", "lz4hc", 0},
    {CB_FILTER_ZSTD, 1, "H5Z_FILTER_ZSTD", "zstd", 0},
    {CB_FILTER_BLOSC, 1, "H5Z_FILTER_BLOSC", "blosclz", 0},
};

static const struct hs_filter *known(const cb_filter *f)
{
    if (!f->named)
        return NULL;
    for (size_t k = 0; k < sizeof KNOWN / sizeof KNOWN[0]; k++)
        if (KNOWN[k].id == f->id && KNOWN[k].blosc == f->blosc)
            return &KNOWN[k];
    return NULL;
}

int hs_filters_check(const cb_filters *fs, cb_err *err)
{
    int comp = -1, shuffle = -1;
    char spec[256], first[256];
    for (int i = 0; i < fs->n; i++) {
        const cb_filter *f = &fs->f[i];
        cb_filter_spec(f, spec, sizeof spec);
        if (!known(f))
            /* fletcher32 the server takes into the creation properties, but
             * it computes no checksum: refused as not applied. */
            return cb_fail(err, CB_EUSAGE, "--filter %s: HSDS does not apply this filter (%s)", spec, OFFERS);
        if (f->id == CB_FILTER_SHUFFLE) {
            shuffle = i;
            continue;
        }
        if (comp >= 0) {
            cb_filter_spec(&fs->f[comp], first, sizeof first);
            return cb_fail(err, CB_EUSAGE, "--filter %s: HSDS applies one compressor per dataset and %s is one: give one of them",
                           spec, first);
        }
        comp = i;
    }
    /* hsds 1.0.2 stores such chunks unshuffled, yet unshuffles them when it
     * reads them back from storage: the values come back wrong once the
     * server's cache no longer holds them (seen after a restart). */
    if (shuffle >= 0 && comp < 0)
        return cb_fail(err, CB_EUSAGE, "--filter shuffle alone: HSDS stores such chunks unshuffled but unshuffles them when "
                       "it reads them back from storage; add a compressor after it (deflate or blosc-*)");
    if (shuffle > comp) {
        cb_filter_spec(&fs->f[comp], first, sizeof first);
        return cb_fail(err, CB_EUSAGE, "--filter shuffle after %s: HSDS shuffles inside the compressor, before compressing: "
                       "give --filter shuffle first", first);
    }
    if (fs->no_edge)
        return cb_fail(err, CB_EUSAGE, "--no-edge-filter: HSDS stores every chunk whole, the edges too, and filters them all: leave it out");
    return 0;
}

cJSON *hs_filters_json(const cb_filters *fs)
{
    cJSON *list = cJSON_CreateArray();
    for (int i = 0; i < fs->n; i++) {
        const struct hs_filter *k = known(&fs->f[i]);
        if (!k)
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "class", k->cls);
        cJSON_AddNumberToObject(o, "id", k->id);
        cJSON_AddStringToObject(o, "name", k->name);
        if (k->level)
            cJSON_AddNumberToObject(o, "level", fs->f[i].values[0]);
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

static int get_dataset(cb_http *h, const char *id, const char *params, cJSON **j, cb_err *err)
{
    char path[ID_LEN + 16], doing[DOING];
    snprintf(path, sizeof path, "/datasets/%s", id);
    snprintf(doing, sizeof doing, "read dataset %s of %s", id, hs_domain_of(h));
    long st;
    return hs_get_json(h, path, params, j, &st, NULL, doing, err);
}

int hs_filters_kept(cb_http *h, const char *id, const cb_filters *fs, cb_err *err)
{
    cJSON *j = NULL;
    if (get_dataset(h, id, NULL, &j, err))
        return -1;
    const cJSON *got = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "creationProperties"), "filters");
    int ok = cJSON_GetArraySize(got) == fs->n;
    for (int i = 0; ok && i < fs->n; i++) {
        const struct hs_filter *k = known(&fs->f[i]);
        const cJSON *g = cJSON_GetArrayItem(got, i);
        const cJSON *cls = cJSON_GetObjectItemCaseSensitive(g, "class");
        const cJSON *lvl = cJSON_GetObjectItemCaseSensitive(g, "level");
        ok = k && cJSON_IsString(cls) && !strcmp(cls->valuestring, k->cls) &&
             (!k->level || (cJSON_IsNumber(lvl) && lvl->valuedouble == fs->f[i].values[0]));
    }
    char *text = ok ? NULL : cJSON_PrintUnformatted(got);
    cJSON_Delete(j);
    if (ok)
        return 0;
    cb_fail(err, CB_EIO, "HSDS at %s made dset of %s with the filters %s, not the ones asked for", cb_http_where(h),
            hs_domain_of(h), text ? text : "[]");
    cJSON_free(text);
    return -1;
}

int hs_stored_bytes(cb_http *h, const char *id, int rescan, int64_t *bytes, int64_t *nchunks, cb_err *err)
{
    *bytes = *nchunks = -1;
    if (rescan) {
        /* A flush leaves the figures as the last scan found them (a data
         * node scans a domain on its own scan_wait_time after its last
         * change, looking every scan_sleep_time: 10 s and 10 s by default);
         * rescan has the scan run at the node's next look and waits for it
         * (0.1-1 s on a busy server, up to scan_sleep_time on an idle one).
         * Flushed first (1-2 s): dset's chunks are stored already, but the
         * scan also writes the domain's summary from storage (attributes,
         * and the values of datasets up to 4 KiB, e.g. a small task_list),
         * which h5pyd 1.0 reads at open instead of asking: scanned with the
         * last rows still only in a data node's cache, it would show h5pyd
         * the table as it was before the write. */
        char doing[DOING];
        snprintf(doing, sizeof doing, "flush and rescan %s for the bytes dset takes", hs_domain_of(h));
        cb_http_req r = {.method = "PUT", .path = "/", .params = "flush=1&rescan=1"};
        long st;
        if (hs_call(h, &r, &st, NULL, doing, err))
            return -1;
    }
    cJSON *j = NULL;
    if (get_dataset(h, id, "verbose=1", &j, err))
        return -1;
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, "allocated_size");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(j, "num_chunks");
    if (cJSON_IsNumber(a) && cJSON_IsNumber(n)) {
        *bytes = (int64_t)a->valuedouble;
        *nchunks = (int64_t)n->valuedouble;
    }
    cJSON_Delete(j);
    return 0;
}
