#include "core/table.h"

#include <stdlib.h>
#include <string.h>

#define FIELD(name, kind, flags) {#name, kind, offsetof(cb_meta, name), sizeof(((cb_meta *)0)->name), flags}

const cb_meta_field cb_meta_fields[] = {
    FIELD(version, CB_MF_STR, 0),
    FIELD(seed, CB_MF_INT, 0),
    FIELD(values, CB_MF_STR, 0),
    FIELD(open_start, CB_MF_REAL, 0),
    FIELD(close_end, CB_MF_REAL, 0),
    FIELD(gen_s, CB_MF_REAL, 0),
    FIELD(io_s, CB_MF_REAL, 0),
    FIELD(clock_skew_s, CB_MF_REAL, 0),
    FIELD(writers, CB_MF_INT, 0),
    FIELD(schedule, CB_MF_STR, 0),
    FIELD(io, CB_MF_STR, 0),
    FIELD(requests, CB_MF_INT, CB_MF_NET),
    FIELD(retries, CB_MF_INT, CB_MF_NET),
    FIELD(mpi_hints, CB_MF_STR, CB_MF_MPIIO),
    FIELD(filters, CB_MF_STR, CB_MF_FILTERS),
};
const int cb_meta_nfields = (int)(sizeof cb_meta_fields / sizeof cb_meta_fields[0]);

int64_t cb_meta_int(const cb_meta *m, const cb_meta_field *f)
{
    const char *p = (const char *)m + f->offset;
    if (f->size == sizeof(int32_t)) {
        int32_t v;
        memcpy(&v, p, sizeof v);
        return v;
    }
    int64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

void cb_meta_set_int(cb_meta *m, const cb_meta_field *f, int64_t v)
{
    char *p = (char *)m + f->offset;
    if (f->size == sizeof(int32_t)) {
        int32_t n = (int32_t)v;
        memcpy(p, &n, sizeof n);
    } else {
        memcpy(p, &v, sizeof v);
    }
}

const void *cb_meta_get(const cb_meta *m, const cb_meta_field *f)
{
    return (const char *)m + f->offset;
}

void *cb_meta_ref(cb_meta *m, const cb_meta_field *f)
{
    return (char *)m + f->offset;
}

void cb_meta_init(cb_meta *m)
{
    memset(m, 0, sizeof *m);
    m->seed = -1;
}

int cb_meta_values(const cb_meta *m, const char *target, cb_values *v, cb_err *err)
{
    if (cb_values_parse(m->values, v) < 0)
        return cb_fail(err, CB_EUSAGE,
                       "%s holds values from the generator '%s', which this chunkbench does not know (it knows uniform, "
                       "smooth, repeat:F and zeros); use the chunkbench that wrote it",
                       target, m->values);
    return 0;
}

void cb_table_free(cb_table *t)
{
    free(t->tasks);
    t->tasks = NULL;
    t->ntasks = 0;
    free(t->chunk_stored);
    t->chunk_stored = NULL;
}
