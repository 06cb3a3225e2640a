#include "core/filters.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char FORMS[] = "shuffle, deflate[:LEVEL], fletcher32, szip, a filter number ID[:v1,v2,...] or (HSDS) "
                             "blosc-lz4[:LEVEL], blosc-lz4hc, blosc-zstd, blosc-blosclz";

/* A whole number of s[0..len) in [lo, hi]; 0 when it is one. */
static int number(const char *s, size_t len, unsigned long lo, unsigned long hi, unsigned *out)
{
    char buf[24];
    if (len == 0 || len >= sizeof buf || !isdigit((unsigned char)s[0]))
        return -1;
    memcpy(buf, s, len);
    buf[len] = 0;
    char *end;
    errno = 0;
    unsigned long v = strtoul(buf, &end, 10);
    if (*end || errno == ERANGE || v < lo || v > hi)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* The named filters: word, number, blosc, whether it takes a level (its
 * range and default). */
static const struct named {
    const char *name;
    unsigned id;
    int blosc;
    unsigned lo, hi, dflt; /* hi == 0: takes no value */
} NAMES[] = {
    {"shuffle", CB_FILTER_SHUFFLE, 0, 0, 0, 0},
    {"deflate", CB_FILTER_DEFLATE, 0, 1, 9, 6}, /* zlib's own default */
    {"fletcher32", CB_FILTER_FLETCHER32, 0, 0, 0, 0},
    {"szip", CB_FILTER_SZIP, 0, 0, 0, 0},
    /* HSDS's default level; it takes a level for lz4 only (the others
     * have no level option on the server, which applies 5). */
    {"blosc-lz4", CB_FILTER_LZ4, 1, 1, 9, 5},
    {"blosc-lz4hc", CB_FILTER_LZ4HC, 1, 0, 0, 0},
    {"blosc-zstd", CB_FILTER_ZSTD, 1, 0, 0, 0},
    {"blosc-blosclz", CB_FILTER_BLOSC, 1, 0, 0, 0},
};
enum { NNAMES = sizeof NAMES / sizeof NAMES[0] };

static const struct named *named_of(const cb_filter *f)
{
    if (!f->named)
        return NULL;
    for (int k = 0; k < NNAMES; k++)
        if (NAMES[k].id == f->id && NAMES[k].blosc == f->blosc)
            return &NAMES[k];
    return NULL;
}

const char *cb_filter_name(const cb_filter *f)
{
    const struct named *n = named_of(f);
    return n ? n->name : NULL;
}

int cb_filter_compresses(const cb_filter *f)
{
    return f->blosc || (f->named && (f->id == CB_FILTER_DEFLATE || f->id == CB_FILTER_SZIP));
}

static int parse_one(const char *spec, cb_filter *f, cb_err *err)
{
    memset(f, 0, sizeof *f);
    const char *colon = strchr(spec, ':');
    size_t nlen = colon ? (size_t)(colon - spec) : strlen(spec);
    const char *arg = colon ? colon + 1 : NULL;
    for (int k = 0; k < NNAMES; k++) {
        const struct named *n = &NAMES[k];
        if (strlen(n->name) != nlen || strncmp(spec, n->name, nlen))
            continue;
        f->id = n->id;
        f->named = 1;
        f->blosc = n->blosc;
        if (!n->hi) {
            if (arg)
                return cb_fail(err, CB_EUSAGE, "--filter %s takes no value, got '%s'", n->name, spec);
            return 0;
        }
        f->nvalues = 1;
        f->values[0] = n->dflt;
        if (arg && number(arg, strlen(arg), n->lo, n->hi, &f->values[0]) < 0)
            return cb_fail(err, CB_EUSAGE, "--filter %s:LEVEL takes a level from %u to %u, got '%s'", n->name, n->lo,
                           n->hi, spec);
        return 0;
    }
    /* 0 is no filter; 65535 is H5Z_FILTER_MAX. */
    if (number(spec, nlen, 1, 65535, &f->id) < 0)
        return cb_fail(err, CB_EUSAGE, "--filter must be %s, got '%s'", FORMS, spec);
    if (!arg)
        return 0;
    for (const char *p = arg;;) {
        size_t len = strcspn(p, ",");
        if (f->nvalues == CB_FILTER_VALUES_MAX)
            return cb_fail(err, CB_EUSAGE, "--filter %s: at most %d client values", spec, CB_FILTER_VALUES_MAX);
        if (number(p, len, 0, 4294967295ul, &f->values[f->nvalues++]) < 0)
            return cb_fail(err, CB_EUSAGE, "--filter ID:v1,v2,... takes whole numbers from 0 to 4294967295 as client values, got '%s'", spec);
        if (!p[len])
            return 0;
        p += len + 1;
    }
}

int cb_filters_add(cb_filters *fs, const char *spec, cb_err *err)
{
    cb_filter f;
    if (parse_one(spec, &f, err) < 0)
        return -1;
    for (int i = 0; i < fs->n; i++)
        if (fs->f[i].id == f.id && fs->f[i].blosc == f.blosc)
            return cb_fail(err, CB_EUSAGE, "--filter '%s': filter %u is in the pipeline already; give each filter once", spec, f.id);
    if (fs->n == CB_FILTERS_MAX)
        return cb_fail(err, CB_EUSAGE, "--filter: at most %d filters", CB_FILTERS_MAX);
    fs->f[fs->n++] = f;
    return 0;
}

void cb_filter_spec(const cb_filter *f, char *buf, size_t cap)
{
    const char *name = cb_filter_name(f);
    size_t n;
    if (name)
        n = (size_t)snprintf(buf, cap, "%s", name);
    else
        n = (size_t)snprintf(buf, cap, "%u", f->id);
    for (int k = 0; k < f->nvalues && n < cap; k++)
        n += (size_t)snprintf(buf + n, cap - n, "%c%u", k ? ',' : ':', f->values[k]);
}

int cb_filters_text(const cb_filters *fs, char *buf, size_t cap)
{
    size_t n = 0;
    if (cap)
        buf[0] = 0;
    for (int i = 0; i < fs->n; i++) {
        char one[256];
        cb_filter_spec(&fs->f[i], one, sizeof one);
        int w = snprintf(buf + n, cap - n, "%s%s", i ? " " : "", one);
        if (w < 0 || (size_t)w >= cap - n)
            return -1;
        n += (size_t)w;
    }
    return 0;
}

int cb_filters_from_text(cb_filters *fs, const char *text, cb_err *err)
{
    memset(fs, 0, sizeof *fs);
    char rec[1024], *save = NULL;
    if (snprintf(rec, sizeof rec, "%s", text) >= (int)sizeof rec)
        return cb_fail(err, CB_EUSAGE, "the recorded filter pipeline is too long (%zu characters)", strlen(text));
    for (char *w = strtok_r(rec, " ", &save); w; w = strtok_r(NULL, " ", &save))
        if (cb_filters_add(fs, w, err) < 0)
            return -1;
    return 0;
}
