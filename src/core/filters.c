#include "core/filters.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char FORMS[] = "shuffle, deflate[:LEVEL], fletcher32, szip or a filter number ID[:v1,v2,...]";

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

static int parse_one(const char *spec, cb_filter *f, cb_err *err)
{
    memset(f, 0, sizeof *f);
    const char *colon = strchr(spec, ':');
    size_t nlen = colon ? (size_t)(colon - spec) : strlen(spec);
    const char *arg = colon ? colon + 1 : NULL;
    static const struct { const char *name; unsigned id; } names[] = {
        {"shuffle", CB_FILTER_SHUFFLE}, {"deflate", CB_FILTER_DEFLATE},
        {"fletcher32", CB_FILTER_FLETCHER32}, {"szip", CB_FILTER_SZIP},
    };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        if (strlen(names[k].name) != nlen || strncmp(spec, names[k].name, nlen))
            continue;
        f->id = names[k].id;
        f->named = 1;
        if (f->id != CB_FILTER_DEFLATE) {
            if (arg)
                return cb_fail(err, CB_EUSAGE, "--filter %s takes no value, got '%s'", names[k].name, spec);
            return 0;
        }
        f->nvalues = 1;
        f->values[0] = 6; /* zlib's own default */
        if (arg && number(arg, strlen(arg), 1, 9, &f->values[0]) < 0)
            return cb_fail(err, CB_EUSAGE, "--filter deflate:LEVEL takes a level from 1 to 9, got '%s'", spec);
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
        if (fs->f[i].id == f.id)
            return cb_fail(err, CB_EUSAGE, "--filter '%s': filter %u is in the pipeline already; give each filter once", spec, f.id);
    if (fs->n == CB_FILTERS_MAX)
        return cb_fail(err, CB_EUSAGE, "--filter: at most %d filters", CB_FILTERS_MAX);
    fs->f[fs->n++] = f;
    return 0;
}

void cb_filter_spec(const cb_filter *f, char *buf, size_t cap)
{
    static const char *const names[] = {"", "deflate", "shuffle", "fletcher32", "szip"};
    size_t n;
    if (f->named)
        n = (size_t)snprintf(buf, cap, "%s", names[f->id]);
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
