#include "backends/hdf5/mpiio_log.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

/* Blocks kept for one datatype; past this a type stands as its true extent,
 * so a pathological view cannot eat the memory of the run it measures. */
#define FLAT_MAX ((int64_t)1 << 22)

/* ---- flattening ---- */

void cb_flat_free(cb_flat *f)
{
    free(f->v);
    memset(f, 0, sizeof *f);
}

/* Append a block, merged with the last one when they touch. 1: too many. */
static int push(cb_flat *f, int64_t off, int64_t len)
{
    if (len <= 0)
        return 0;
    if (f->n && f->v[f->n - 1].off + f->v[f->n - 1].len == off) {
        f->v[f->n - 1].len += len;
        return 0;
    }
    if (f->n == FLAT_MAX)
        return 1;
    if (f->n == f->cap) {
        int64_t cap = f->cap ? 2 * f->cap : 16;
        cb_span *p = realloc(f->v, (size_t)cap * sizeof *p);
        if (!p)
            return -1;
        f->v = p;
        f->cap = cap;
    }
    f->v[f->n++] = (cb_span){off, len};
    return 0;
}

/* n copies of c, the first at disp, the next every stride bytes. */
static int push_copies(cb_flat *f, const cb_flat *c, int64_t n, int64_t disp, int64_t stride)
{
    if (n <= 0 || c->n == 0)
        return 0;
    /* Copies of a dense block touch: one block, whatever n (contiguous
     * types of millions of bytes are the common case). */
    if (c->n == 1 && c->v[0].len == stride)
        return push(f, disp + c->v[0].off, n * stride);
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < c->n; j++) {
            int rc = push(f, disp + i * stride + c->v[j].off, c->v[j].len);
            if (rc)
                return rc;
        }
    return 0;
}

static int type_dims(MPI_Datatype t, cb_flat *f)
{
    MPI_Count size, lb, ext, tlb, text;
    if (MPI_Type_size_x(t, &size) != MPI_SUCCESS || MPI_Type_get_extent_x(t, &lb, &ext) != MPI_SUCCESS ||
        MPI_Type_get_true_extent_x(t, &tlb, &text) != MPI_SUCCESS)
        return -1;
    f->size = (int64_t)size;
    f->extent = (int64_t)ext;
    f->true_lb = (int64_t)tlb;
    f->true_extent = (int64_t)text;
    return 0;
}

/* The stand-in for a type we cannot follow: its true extent, which holds
 * every byte it touches. */
static int approximate(cb_flat *f)
{
    f->n = 0;
    f->exact = 0;
    return push(f, f->true_lb, f->true_extent) < 0 ? -1 : 0;
}

static int is_named(MPI_Datatype t)
{
    int ni, na, nd, comb;
    return MPI_Type_get_envelope(t, &ni, &na, &nd, &comb) == MPI_SUCCESS && comb == MPI_COMBINER_NAMED;
}

/* The body of one combiner over its already flattened children c[]. */
static int compose(cb_flat *f, int comb, const int *ints, const MPI_Aint *addrs, const cb_flat *c)
{
    int64_t ext = c[0].extent;
    int rc = 0;
    switch (comb) {
    case MPI_COMBINER_DUP:
    case MPI_COMBINER_RESIZED: /* same blocks; only the extent (queried from MPI) differs */
        return push_copies(f, &c[0], 1, 0, ext);
    case MPI_COMBINER_CONTIGUOUS:
        return push_copies(f, &c[0], ints[0], 0, ext);
    case MPI_COMBINER_VECTOR:
        for (int i = 0; i < ints[0] && !rc; i++)
            rc = push_copies(f, &c[0], ints[1], (int64_t)i * ints[2] * ext, ext);
        return rc;
    case MPI_COMBINER_HVECTOR:
        for (int i = 0; i < ints[0] && !rc; i++)
            rc = push_copies(f, &c[0], ints[1], (int64_t)i * addrs[0], ext);
        return rc;
    case MPI_COMBINER_INDEXED:
        for (int i = 0; i < ints[0] && !rc; i++)
            rc = push_copies(f, &c[0], ints[1 + i], (int64_t)ints[1 + ints[0] + i] * ext, ext);
        return rc;
    case MPI_COMBINER_HINDEXED:
        for (int i = 0; i < ints[0] && !rc; i++)
            rc = push_copies(f, &c[0], ints[1 + i], addrs[i], ext);
        return rc;
    case MPI_COMBINER_INDEXED_BLOCK:
        for (int i = 0; i < ints[0] && !rc; i++)
            rc = push_copies(f, &c[0], ints[1], (int64_t)ints[2 + i] * ext, ext);
        return rc;
    case MPI_COMBINER_HINDEXED_BLOCK:
        for (int i = 0; i < ints[0] && !rc; i++)
            rc = push_copies(f, &c[0], ints[1], addrs[i], ext);
        return rc;
    case MPI_COMBINER_STRUCT:
        for (int i = 0; i < ints[0] && !rc; i++)
            rc = push_copies(f, &c[i], ints[1 + i], addrs[i], c[i].extent);
        return rc;
    default:
        return 1; /* subarray, darray, the Fortran combiners: HDF5 builds none of them */
    }
}

int cb_flat_type(MPI_Datatype t, cb_flat *f)
{
    memset(f, 0, sizeof *f);
    f->exact = 1;
    int ni, na, nd, comb;
    if (type_dims(t, f) < 0 || MPI_Type_get_envelope(t, &ni, &na, &nd, &comb) != MPI_SUCCESS)
        return -1;
    if (comb == MPI_COMBINER_NAMED) {
        /* A predefined type is one block, unless it has a hole (MPI_SHORT_INT...). */
        if (f->size != f->true_extent)
            return approximate(f);
        return push(f, f->true_lb, f->size) < 0 ? -1 : 0;
    }
    int *ints = malloc((size_t)(ni ? ni : 1) * sizeof *ints);
    MPI_Aint *addrs = malloc((size_t)(na ? na : 1) * sizeof *addrs);
    MPI_Datatype *types = malloc((size_t)(nd ? nd : 1) * sizeof *types);
    cb_flat *c = calloc((size_t)(nd ? nd : 1), sizeof *c);
    int rc = -1, got = 0, exact = 1;
    if (!ints || !addrs || !types || !c)
        goto out;
    if (MPI_Type_get_contents(t, ni, na, nd, ints, addrs, types) != MPI_SUCCESS)
        goto out;
    got = 1;
    rc = 0;
    for (int k = 0; k < nd && rc == 0; k++) {
        rc = cb_flat_type(types[k], &c[k]);
        exact &= c[k].exact;
    }
    if (rc == 0) {
        rc = exact ? compose(f, comb, ints, addrs, c) : 1;
        int64_t sum = 0;
        for (int64_t j = 0; rc == 0 && j < f->n; j++)
            sum += f->v[j].len;
        /* Blocks that do not add up to the size (overlaps) cannot be streamed through. */
        if (rc == 1 || (rc == 0 && sum != f->size))
            rc = approximate(f);
    }
out:
    for (int k = 0; k < nd && c; k++)
        cb_flat_free(&c[k]);
    /* get_contents hands out new handles for derived children only. */
    for (int k = 0; got && k < nd; k++)
        if (!is_named(types[k]))
            MPI_Type_free(&types[k]);
    free(ints);
    free(addrs);
    free(types);
    free(c);
    if (rc < 0)
        cb_flat_free(f);
    return rc < 0 ? -1 : 0;
}

/* Contiguous ranges are handed on merged: a range is emitted when the next
 * one does not continue it. */
typedef struct merger {
    cb_range_fn fn;
    void *ctx;
    int64_t off, len;
} merger;

static void merge(merger *m, int64_t off, int64_t len)
{
    if (m->len && m->off + m->len == off) {
        m->len += len;
        return;
    }
    if (m->len)
        m->fn(m->ctx, m->off, m->len);
    m->off = off;
    m->len = len;
}

void cb_flat_ranges(const cb_flat *f, int64_t disp, int64_t pos, int64_t bytes, cb_range_fn fn, void *ctx)
{
    if (bytes <= 0 || f->size <= 0 || f->n == 0)
        return;
    int64_t tile = pos / f->size, skip = pos % f->size;
    if (!f->exact) {
        int64_t last = (pos + bytes - 1) / f->size;
        fn(ctx, disp + tile * f->extent + f->true_lb, (last - tile) * f->extent + f->true_extent);
        return;
    }
    merger m = {fn, ctx, 0, 0};
    int64_t j = 0;
    while (skip >= f->v[j].len) {
        skip -= f->v[j].len;
        j++;
    }
    while (bytes > 0) {
        int64_t take = f->v[j].len - skip < bytes ? f->v[j].len - skip : bytes;
        merge(&m, disp + tile * f->extent + f->v[j].off + skip, take);
        bytes -= take;
        skip = 0;
        if (++j == f->n) {
            j = 0;
            tile++;
        }
    }
    if (m.len)
        fn(ctx, m.off, m.len);
}

/* ---- the log ---- */

/* A file's view, when it is not the plain byte stream. */
typedef struct view {
    MPI_File fh;
    int64_t disp, etype_size;
    cb_flat flat;
    int broken; /* could not be flattened: its reads are counted lost */
} view;

static cb_iolog *active;
static view *views;
static int nviews, capviews;
static int unplaced; /* a view could not be kept: reads of files without one are not placed */

static void forget_views(void)
{
    for (int i = 0; i < nviews; i++)
        cb_flat_free(&views[i].flat);
    free(views);
    views = NULL;
    nviews = capviews = unplaced = 0;
}

void cb_mpiio_log_begin(cb_iolog *log)
{
    forget_views();
    active = log;
}

void cb_mpiio_log_end(void)
{
    active = NULL;
    forget_views();
}

static view *find_view(MPI_File fh)
{
    for (int i = 0; i < nviews; i++)
        if (views[i].fh == fh)
            return &views[i];
    return NULL;
}

static void drop_view(MPI_File fh)
{
    view *v = find_view(fh);
    if (v) {
        cb_flat_free(&v->flat);
        *v = views[--nviews];
    }
}

static void note_view(MPI_File fh, MPI_Offset disp, MPI_Datatype etype, MPI_Datatype filetype)
{
    drop_view(fh);
    /* HDF5 puts the plain view back after every collective transfer. */
    if (disp == 0 && etype == MPI_BYTE && filetype == MPI_BYTE)
        return;
    if (nviews == capviews) {
        int cap = capviews ? 2 * capviews : 4;
        view *p = realloc(views, (size_t)cap * sizeof *p);
        if (!p) {
            unplaced = 1;
            return;
        }
        views = p;
        capviews = cap;
    }
    view *v = &views[nviews++];
    memset(v, 0, sizeof *v);
    v->fh = fh;
    v->disp = (int64_t)disp;
    MPI_Count es = 0;
    v->broken = MPI_Type_size_x(etype, &es) != MPI_SUCCESS || cb_flat_type(filetype, &v->flat) < 0;
    v->etype_size = (int64_t)es;
}

typedef struct call {
    cb_iolog *log;
    double t0, t1;
} call;

static void add_range(void *ctx, int64_t off, int64_t len)
{
    const call *c = ctx;
    cb_iolog_add(c->log, off, len, c->t0, c->t1, CB_REQ_META);
}

/* Every contiguous range a successful read covered; they share the call's times. */
static void record(MPI_File fh, MPI_Offset offset, int count, MPI_Datatype type, double t0, double t1)
{
    MPI_Count tsize;
    if (MPI_Type_size_x(type, &tsize) != MPI_SUCCESS) {
        active->lost++;
        return;
    }
    int64_t bytes = (int64_t)count * (int64_t)tsize;
    call c = {active, t0, t1};
    const view *v = find_view(fh);
    if (!v && unplaced) {
        active->lost++;
    } else if (!v) {
        if (bytes > 0)
            add_range(&c, (int64_t)offset, bytes);
    } else if (v->broken) {
        active->lost++;
    } else {
        /* offset counts etypes of the view's data stream. */
        cb_flat_ranges(&v->flat, v->disp, (int64_t)offset * v->etype_size, bytes, add_range, &c);
    }
}

/* ---- the interposed entry points (prototypes from mpi.h) ---- */

int MPI_File_set_view(MPI_File fh, MPI_Offset disp, MPI_Datatype etype, MPI_Datatype filetype, const char *datarep,
                      MPI_Info info)
{
    int rc = PMPI_File_set_view(fh, disp, etype, filetype, datarep, info);
    if (active && rc == MPI_SUCCESS)
        note_view(fh, disp, etype, filetype);
    return rc;
}

typedef int (*read_fn)(MPI_File, MPI_Offset, void *, int, MPI_Datatype, MPI_Status *);

/* Both read entry points: forward, and time and record when a log is active. */
static int logged_read(read_fn f, MPI_File fh, MPI_Offset offset, void *buf, int count, MPI_Datatype datatype,
                       MPI_Status *status)
{
    if (!active)
        return f(fh, offset, buf, count, datatype, status);
    double t0 = cb_now();
    int rc = f(fh, offset, buf, count, datatype, status);
    double t1 = cb_now();
    if (rc == MPI_SUCCESS)
        record(fh, offset, count, datatype, t0, t1);
    return rc;
}

int MPI_File_read_at(MPI_File fh, MPI_Offset offset, void *buf, int count, MPI_Datatype datatype, MPI_Status *status)
{
    return logged_read(PMPI_File_read_at, fh, offset, buf, count, datatype, status);
}

int MPI_File_read_at_all(MPI_File fh, MPI_Offset offset, void *buf, int count, MPI_Datatype datatype,
                         MPI_Status *status)
{
    return logged_read(PMPI_File_read_at_all, fh, offset, buf, count, datatype, status);
}

int MPI_File_close(MPI_File *fh)
{
    /* Views are kept only while a log is active, so this is one test outside. */
    if (nviews)
        drop_view(*fh);
    return PMPI_File_close(fh);
}
