#include "core/hints.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/mpi_err.h"

#define IOR_PREFIX "IOR_HINT__MPI__"

static char *dup_str(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

/* Add or replace, unchecked (a reported info may hold anything). */
static int put(cb_hints *h, const char *key, const char *value, cb_err *err)
{
    char *v = dup_str(value, strlen(value));
    if (!v)
        return cb_fail(err, CB_EIO, "out of memory");
    for (int i = 0; i < h->n; i++)
        if (!strcmp(h->v[i].key, key)) {
            free(h->v[i].value);
            h->v[i].value = v;
            return 0;
        }
    if (h->n == h->cap) {
        int cap = h->cap ? 2 * h->cap : 8;
        cb_hint *more = realloc(h->v, (size_t)cap * sizeof *more);
        if (!more) {
            free(v);
            return cb_fail(err, CB_EIO, "out of memory");
        }
        h->v = more, h->cap = cap;
    }
    char *k = dup_str(key, strlen(key));
    if (!k) {
        free(v);
        return cb_fail(err, CB_EIO, "out of memory");
    }
    h->v[h->n++] = (cb_hint){k, v};
    return 0;
}

int cb_hints_set(cb_hints *h, const char *key, const char *value, const char *what, cb_err *err)
{
    /* MPI_Info_set refuses longer ones; said here, before anything opens. */
    if (!*key)
        return cb_fail(err, CB_EUSAGE, "%s: the hint has no key; write KEY=VALUE", what);
    if (strlen(key) > MPI_MAX_INFO_KEY)
        return cb_fail(err, CB_EUSAGE, "%s: hint key '%.40s...' is longer than this MPI's MPI_MAX_INFO_KEY (%d)", what,
                       key, MPI_MAX_INFO_KEY);
    if (strlen(value) > MPI_MAX_INFO_VAL)
        return cb_fail(err, CB_EUSAGE, "%s: the value of hint '%s' is longer than this MPI's MPI_MAX_INFO_VAL (%d)",
                       what, key, MPI_MAX_INFO_VAL);
    if (!*value)
        return cb_fail(err, CB_EUSAGE, "%s: hint '%s' has an empty value; give one or leave the hint out", what, key);
    return put(h, key, value, err);
}

int cb_hints_parse_arg(cb_hints *h, const char *arg, cb_err *err)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return cb_fail(err, CB_EUSAGE, "--hint takes KEY=VALUE, got '%s'; e.g. --hint cb_buffer_size=16777216", arg);
    char *key = dup_str(arg, (size_t)(eq - arg));
    if (!key)
        return cb_fail(err, CB_EIO, "out of memory");
    char what[64];
    snprintf(what, sizeof what, "--hint '%.40s'", arg);
    int rc = cb_hints_set(h, key, eq + 1, what, err);
    free(key);
    return rc;
}

/* One line, trimmed, not blank, not a comment. */
static int parse_line(cb_hints *h, char *s, const char *path, int line, cb_err *err)
{
    char what[4200];
    snprintf(what, sizeof what, "hints file %s line %d", path, line);
    const char *key = s, *value;
    if (!strncmp(s, "IOR_HINT__", strlen("IOR_HINT__")) && strncmp(s, IOR_PREFIX, strlen(IOR_PREFIX)))
        return cb_fail(err, CB_EUSAGE, "%s: '%.60s' is an IOR hint for another layer; only IOR_HINT__MPI__key=value "
                       "lines are MPI-IO hints: remove the line", what, s);
    if (!strncmp(s, IOR_PREFIX, strlen(IOR_PREFIX))) {
        key = s + strlen(IOR_PREFIX);
        char *eq = strchr(key, '=');
        if (!eq || eq == key)
            return cb_fail(err, CB_EUSAGE, "%s: '%.60s' needs the form IOR_HINT__MPI__key=value", what, s);
        *eq = 0;
        value = eq + 1;
    } else {
        size_t klen = strcspn(s, " \t");
        if (!s[klen] || memchr(s, '=', klen))
            return cb_fail(err, CB_EUSAGE,
                           "%s: '%.60s' is neither 'key value' (ROMIO_HINTS) nor 'IOR_HINT__MPI__key=value' (IOR); "
                           "fix the line or start it with #", what, s);
        s[klen] = 0;
        value = s + klen + 1;
        value += strspn(value, " \t");
    }
    return cb_hints_set(h, key, value, what, err);
}

int cb_hints_parse_file(cb_hints *h, const char *path, cb_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return cb_fail(err, CB_EUSAGE, "--hints-file %s: %s; give a readable file of hints", path, strerror(errno));
    char *buf = NULL;
    size_t cap = 0;
    int line = 0, rc = 0;
    while (rc == 0 && getline(&buf, &cap, f) >= 0) {
        line++;
        char *s = buf + strspn(buf, " \t");
        size_t n = strlen(s);
        while (n > 0 && isspace((unsigned char)s[n - 1]))
            s[--n] = 0;
        if (n == 0 || s[0] == '#')
            continue;
        rc = parse_line(h, s, path, line, err);
    }
    if (rc == 0 && ferror(f))
        rc = cb_fail(err, CB_EUSAGE, "--hints-file %s: read error; give a readable file of hints", path);
    free(buf);
    fclose(f);
    return rc;
}

const char *cb_hints_get(const cb_hints *h, const char *key)
{
    for (int i = 0; h && i < h->n; i++)
        if (!strcmp(h->v[i].key, key))
            return h->v[i].value;
    return NULL;
}

int cb_hints_copy(cb_hints *dst, const cb_hints *src, cb_err *err)
{
    for (int i = 0; src && i < src->n; i++)
        if (put(dst, src->v[i].key, src->v[i].value, err) < 0)
            return -1;
    return 0;
}

void cb_hints_free(cb_hints *h)
{
    for (int i = 0; i < h->n; i++) {
        free(h->v[i].key);
        free(h->v[i].value);
    }
    free(h->v);
    *h = (cb_hints){0};
}

int cb_hints_to_info(const cb_hints *h, MPI_Info *info, cb_err *err)
{
    *info = MPI_INFO_NULL;
    if (!h || h->n == 0)
        return 0;
    if (cb_mpi(err, MPI_Info_create(info), "MPI_Info_create") < 0) {
        *info = MPI_INFO_NULL;
        return -1;
    }
    for (int i = 0; i < h->n; i++)
        if (cb_mpi(err, MPI_Info_set(*info, h->v[i].key, h->v[i].value), "MPI_Info_set of hint %s", h->v[i].key) < 0) {
            MPI_Info_free(info);
            *info = MPI_INFO_NULL;
            return -1;
        }
    return 0;
}

int cb_hints_from_info(MPI_Info info, cb_hints *out, cb_err *err)
{
    cb_hints_free(out);
    if (info == MPI_INFO_NULL)
        return 0;
    int n = 0;
    if (cb_mpi(err, MPI_Info_get_nkeys(info, &n), "MPI_Info_get_nkeys") < 0)
        return -1;
    char key[MPI_MAX_INFO_KEY + 1], *value = malloc(MPI_MAX_INFO_VAL + 1);
    if (!value)
        return cb_fail(err, CB_EIO, "out of memory");
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        int flag = 0;
        if (cb_mpi(err, MPI_Info_get_nthkey(info, i, key), "MPI_Info_get_nthkey %d", i) < 0 ||
            cb_mpi(err, MPI_Info_get(info, key, MPI_MAX_INFO_VAL, value, &flag), "MPI_Info_get of %s", key) < 0)
            rc = -1;
        else if (flag)
            rc = put(out, key, value, err);
    }
    free(value);
    return rc;
}

int cb_hints_read(MPI_File fh, cb_hints *out, cb_err *err)
{
    MPI_Info info = MPI_INFO_NULL;
    if (cb_mpi(err, MPI_File_get_info(fh, &info), "MPI_File_get_info") < 0)
        return -1;
    int rc = cb_hints_from_info(info, out, err);
    if (cb_mpi(err, MPI_Info_free(&info), "MPI_Info_free") < 0)
        rc = -1;
    return rc;
}

int cb_hints_read_all(MPI_File fh, MPI_Comm comm, cb_hints *out, const char *path, cb_err *err)
{
    /* A local call that may fail on one rank only: agreed on, as what the
     * callers do next is collective. */
    cb_err herr = *err;
    if (!herr.code && fh == MPI_FILE_NULL)
        cb_fail(&herr, CB_EIO, "no MPI-IO handle for %s", path);
    else if (!herr.code)
        cb_hints_read(fh, out, &herr);
    int bad = herr.code != 0, any = 1;
    if (cb_mpi(&herr, MPI_Allreduce(&bad, &any, 1, MPI_INT, MPI_MAX, comm), "MPI_Allreduce of the hints read") < 0 ||
        any) {
        if (herr.code)
            *err = herr;
        else
            cb_fail(err, CB_EIO, "another rank could not read the MPI-IO hints of %s", path);
        return -1;
    }
    return 0;
}

int cb_hint_taken(const cb_hint *asked, const cb_hints *effective)
{
    const char *v = cb_hints_get(effective, asked->key);
    return v && !strcmp(v, asked->value);
}

int cb_hints_echoed(const cb_hints *asked, const cb_hints *effective)
{
    if (!asked || !effective || asked->n == 0 || asked->n != effective->n)
        return 0;
    for (int i = 0; i < asked->n; i++)
        if (!cb_hint_taken(&asked->v[i], effective))
            return 0;
    return 1;
}

static cJSON *object_of(const cb_hints *h)
{
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; h && i < h->n; i++)
        cJSON_AddStringToObject(o, h->v[i].key, h->v[i].value);
    return o;
}

cJSON *cb_hints_json(const cb_hints *asked, const cb_hints *effective)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "asked", object_of(asked));
    cJSON_AddItemToObject(o, "effective", object_of(effective));
    cJSON *nt = cJSON_AddArrayToObject(o, "not_taken");
    for (int i = 0; asked && i < asked->n; i++)
        if (!cb_hint_taken(&asked->v[i], effective))
            cJSON_AddItemToArray(nt, cJSON_CreateString(asked->v[i].key));
    cJSON_AddBoolToObject(o, "echoed", cb_hints_echoed(asked, effective));
    return o;
}

static void list_text(FILE *f, const cb_hints *h)
{
    if (!h || h->n == 0)
        fputs(" none", f);
    for (int i = 0; h && i < h->n; i++)
        fprintf(f, "%s %s=%s", i ? "," : "", h->v[i].key, h->v[i].value);
}

void cb_hints_text(FILE *f, const cb_hints *asked, const cb_hints *effective)
{
    fputs("hints:        asked", f);
    list_text(f, asked);
    fputs("; effective (MPI_File_get_info)", f);
    list_text(f, effective);
    int none = 1;
    for (int i = 0; asked && i < asked->n; i++)
        if (!cb_hint_taken(&asked->v[i], effective)) {
            fprintf(f, "%s %s", none ? "; not taken:" : ",", asked->v[i].key);
            none = 0;
        }
    if (cb_hints_echoed(asked, effective))
        fputs(" (exactly the hints given: this MPI may just echo them)", f);
    fputc('\n', f);
}
