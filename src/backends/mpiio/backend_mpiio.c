/* The raw MPI-IO baseline (target mpiio:PATH): the same tasks, values,
 * schedules and transfers as an HDF5 file, written as plain bytes into a
 * plain file with MPI-IO, so that HDF5's own cost shows beside it (as
 * h5perf's -A). Each task's values are contiguous at a fixed offset: block
 * tasks in chunk-grid order (a chunk after the chunks before it in row-major
 * grid order), row tasks as the dataset's rows, column tasks as its columns.
 * The file holds nothing else; the task table lives beside it in
 * PATH.chunkbench-tasks.h5, a chunkbench HDF5 file whose dset is never
 * written (no chunk is allocated), kept through the HDF5 backend's own
 * bookkeeping, so status, report and compare read it unchanged. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/backend.h"
#include "core/hints.h"
#include "core/mpi_err.h"

#define SIDECAR_SUFFIX ".chunkbench-tasks.h5"

typedef struct mp_store {
    MPI_File fh;
    MPI_Datatype etype;
    int fsync;
} mp_store;

static const char *data_path(const char *target)
{
    return cb_target_file(target);
}

/* The options as the HDF5 backend gets them, for the table beside the data. */
static int sidecar_opts(const cb_store_opts *o, cb_store_opts *side, char *path, size_t cap, cb_err *err)
{
    if ((size_t)snprintf(path, cap, "%s%s", data_path(o->target), SIDECAR_SUFFIX) >= cap)
        return cb_fail(err, CB_EUSAGE, "the path of %s is too long for its task table beside it", o->target);
    *side = *o;
    side->target = path;
    side->backend = NULL;
    side->io = CB_IO_INDEPENDENT;
    side->table_only = 1;
    /* The table is HDF5's, opened by one process: the hints are the data file's. */
    side->mpi_hints = NULL;
    side->create_hints = NULL;
    side->created_hints = NULL;
    return 0;
}

static int mp_check(const cb_store_opts *o, cb_err *err)
{
    if (o->driver != CB_DRIVER_DEFAULT && o->driver != CB_DRIVER_MPIO)
        return cb_fail(err, CB_EUSAGE, "%s is read with MPI-IO: leave --driver out", o->target);
    if (o->http_cache_given)
        return cb_fail(err, CB_EUSAGE, "--cache-type and --block-size are the curl driver's, for URLs; an mpiio: target is read with MPI-IO");
    if (o->page_buffer > 0 || o->chunk_cache >= 0 || o->chunk_cache_slots >= 0)
        return cb_fail(err, CB_EUSAGE, "--page-buffer and --chunk-cache are HDF5's caches; an mpiio: target has none");
    if (o->align || o->page_size)
        return cb_fail(err, CB_EUSAGE, "--align and --page-size lay out HDF5 files; an mpiio: target is plain bytes");
    if (o->coll_metadata || o->chunk_opt != CB_CHUNK_OPT_UNSET)
        return cb_fail(err, CB_EUSAGE, "--coll-metadata and --chunk-opt are HDF5's; an mpiio: target has no metadata or chunks (leave them out)");
    if (o->filters)
        return cb_fail(err, CB_EUSAGE, "--filter applies to HDF5 files; an mpiio: target is plain bytes, unfiltered (leave --filter out)");
    if (!data_path(o->target)[0])
        return cb_fail(err, CB_EUSAGE, "mpiio: needs a path: mpiio:FILE");
    return 0;
}

/* Task t's first element in the file, or -1 when t is not a task of this
 * layout (read --iter other than the file's own). */
static int64_t task_offset(const cb_layout *l, const cb_task *t)
{
    int64_t r0 = l->shape[0], r1 = l->shape[1];
    switch (l->iter) {
    case CB_ITER_ROW:
        return t->ncol == r1 && t->nrow == 1 && t->y == 0 ? (int64_t)t->x * r1 : -1;
    case CB_ITER_COL:
        return t->nrow == r0 && t->ncol == 1 && t->x == 0 ? (int64_t)t->y * r0 : -1;
    default: {
        int64_t c0 = l->chunk[0], c1 = l->chunk[1];
        if (t->x % c0 || t->y % c1)
            return -1;
        int64_t ci = t->x / c0, cj = t->y / c1;
        /* Every chunk row above is full height; within this one every chunk before is full width. */
        int64_t h = r0 - ci * c0 < c0 ? r0 - ci * c0 : c0, w = r1 - t->y < c1 ? r1 - t->y : c1;
        if (t->nrow != h || t->ncol != w)
            return -1;
        return ci * c0 * r1 + cj * c1 * h;
    }
    }
}

static int mp_io_fail(cb_err *err, int rc, const char *what, const char *path)
{
    char msg[MPI_MAX_ERROR_STRING] = "";
    int len = 0;
    MPI_Error_string(rc, msg, &len);
    return cb_fail(err, CB_EIO, "%s %s: %s", what, path, msg);
}

/* MPI_File_open with the hints (as the HDF5 backend hands them to its driver). */
static int open_with_hints(MPI_Comm comm, const char *path, int amode, const cb_hints *hints, MPI_File *fh,
                           const char *what, cb_err *err)
{
    MPI_Info info;
    if (cb_hints_to_info(hints, &info, err) < 0)
        return -1;
    int rc = MPI_File_open(comm, path, amode, info, fh);
    if (info != MPI_INFO_NULL)
        cb_mpi(err, MPI_Info_free(&info), "MPI_Info_free");
    if (rc != MPI_SUCCESS) {
        *fh = MPI_FILE_NULL;
        return mp_io_fail(err, rc, what, path);
    }
    return err->code ? -1 : 0;
}

/* Rank 0: the data file may be made (it is new, or --force replaces a plain file). */
static int new_data_path(const char *path, int force, cb_err *err)
{
    struct stat sb;
    if (lstat(path, &sb) < 0)
        return errno == ENOENT ? 0 : cb_fail(err, CB_EIO, "cannot look at %s: %s", path, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return cb_fail(err, CB_EUSAGE, "%s exists and is not a plain file: give an mpiio: target a new path", path);
    if (!force)
        return cb_fail(err, CB_EEXIST, "%s already exists; use --force to replace it", path);
    return 0;
}

static int mp_create(const cb_store_opts *o, const cb_table *tab, MPI_Comm comm, cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    const char *path = data_path(o->target);
    cb_err e = {0};
    if (rank == 0)
        new_data_path(path, o->force, &e);
    if (cb_bcast_verdict(comm, &e) < 0)
        return cb_fail(err, e.code, "%s", e.msg);
    /* The table first: it refuses what the HDF5 backend refuses (an existing
     * table without --force, a bad path) before the data file is touched. */
    char side[PATH_MAX + 32];
    cb_store_opts so;
    if (sidecar_opts(o, &so, side, sizeof side, err) < 0 || cb_backend_hdf5.create(&so, tab, comm, err) < 0)
        return -1;
    if (rank == 0 && o->force && unlink(path) < 0 && errno != ENOENT)
        cb_fail(&e, CB_EIO, "cannot replace %s: %s", path, strerror(errno));
    if (cb_bcast_verdict(comm, &e) < 0)
        return cb_fail(err, e.code, "%s", e.msg);
    /* Striping is chosen here, when the file comes into being. */
    MPI_File fh;
    if (open_with_hints(comm, path, MPI_MODE_CREATE | MPI_MODE_EXCL | MPI_MODE_WRONLY,
                        o->create_hints ? o->create_hints : o->mpi_hints, &fh, "cannot create", err) < 0)
        return -1;
    int frc = o->created_hints ? cb_hints_read_all(fh, comm, o->created_hints, path, err) : 0;
    int rc = MPI_File_close(&fh);
    if (rc != MPI_SUCCESS && frc == 0)
        return mp_io_fail(err, rc, "cannot close", path);
    return frc;
}

static int mp_open(const cb_store_opts *o, MPI_Comm comm, cb_store **out, cb_err *err)
{
    *out = NULL;
    if (!o->layout)
        return cb_fail(err, CB_EIO, "opening %s: its layout was not given (a chunkbench bug)", o->target);
    cb_store *s = calloc(1, sizeof *s);
    mp_store *m = calloc(1, sizeof *m);
    if (!s || !m) {
        free(s);
        free(m);
        return cb_fail(err, CB_EIO, "out of memory");
    }
    s->layout = *o->layout;
    s->lockstep = o->io == CB_IO_COLLECTIVE;
    s->impl = m;
    m->etype = s->layout.elem_size == 4 ? MPI_FLOAT : MPI_DOUBLE;
    m->fsync = o->fsync;
    m->fh = MPI_FILE_NULL;
    *out = s;
    s->ops = &cb_backend_mpiio;
    const char *path = data_path(o->target);
    if (open_with_hints(comm, path, o->writable ? MPI_MODE_WRONLY : MPI_MODE_RDONLY, o->mpi_hints, &m->fh,
                        o->writable ? "cannot open for writing" : "cannot open", err) < 0)
        return -1;
    if (!(s->mpi_hints = calloc(1, sizeof *s->mpi_hints)))
        return cb_fail(err, CB_EIO, "out of memory");
    return cb_hints_read(m->fh, s->mpi_hints, err);
}

/* One task's values at its offset; t == NULL: a collective call with nothing. */
static int transfer(cb_store *s, const cb_task *t, void *buf, int writing, cb_err *err)
{
    mp_store *m = s->impl;
    int64_t off = 0, n = 0;
    if (t) {
        off = task_offset(&s->layout, t);
        if (off < 0)
            return cb_fail(err, CB_EUSAGE,
                           "task [%d:%d,%d:%d] is not one of this mpiio: target's %s tasks: read it by its own tasks (leave --iter out)",
                           t->x, t->x + t->nrow, t->y, t->y + t->ncol, cb_iter_name(s->layout.iter));
        n = (int64_t)t->nrow * t->ncol;
        if (n > INT_MAX)
            return cb_fail(err, CB_EUSAGE, "a task of %lld values is more than one MPI-IO call can move", (long long)n);
    }
    MPI_Offset at = (MPI_Offset)off * s->layout.elem_size;
    MPI_Status st;
    int rc;
    if (writing)
        rc = s->lockstep ? MPI_File_write_at_all(m->fh, at, buf, (int)n, m->etype, &st)
                         : MPI_File_write_at(m->fh, at, buf, (int)n, m->etype, &st);
    else
        rc = s->lockstep ? MPI_File_read_at_all(m->fh, at, buf, (int)n, m->etype, &st)
                         : MPI_File_read_at(m->fh, at, buf, (int)n, m->etype, &st);
    if (rc != MPI_SUCCESS)
        return mp_io_fail(err, rc, writing ? "cannot write to" : "cannot read from", "the file");
    int got = 0;
    if (cb_mpi(err, MPI_Get_count(&st, m->etype, &got), "MPI_Get_count") < 0)
        return -1;
    if (got != n)
        return cb_fail(err, CB_EIO, "%s %d of %lld values at byte %lld%s", writing ? "wrote" : "read", got,
                       (long long)n, (long long)at, writing ? "" : ": the task was never written (run write first)");
    return 0;
}

static int mp_write_task(cb_store *s, const cb_task *t, const void *buf, cb_err *err)
{
    return transfer(s, t, (void *)buf, 1, err);
}

static int mp_read_task(cb_store *s, const cb_task *t, void *buf, cb_err *err)
{
    return transfer(s, t, buf, 0, err);
}

static int mp_close(cb_store *s, cb_net_stats *net, cb_err *err)
{
    mp_store *m = s->impl;
    int rc = 0;
    if (m) {
        /* As the HDF5 backend's H5Fflush: an fsync on every rank inside the timed close. */
        if (m->fsync && m->fh != MPI_FILE_NULL && (rc = MPI_File_sync(m->fh)) != MPI_SUCCESS)
            rc = mp_io_fail(err, rc, "cannot sync", "the file (--fsync)");
        int crc = m->fh != MPI_FILE_NULL ? MPI_File_close(&m->fh) : MPI_SUCCESS;
        if (crc != MPI_SUCCESS && rc == 0)
            rc = mp_io_fail(err, crc, "cannot close", "the file");
        free(m);
    }
    cb_store_release(s, net);
    return rc;
}

static int mp_load_table(const cb_store_opts *o, cb_table *out, cb_err *err)
{
    char side[PATH_MAX + 32];
    cb_store_opts so;
    if (sidecar_opts(o, &so, side, sizeof side, err) < 0)
        return -1;
    struct stat sb;
    if (stat(data_path(o->target), &sb) < 0)
        return errno == ENOENT ? cb_fail(err, CB_EUSAGE, "%s does not exist; create it first with: chunkbench create %s NROWS NCOLS",
                                         o->target, o->target)
                               : cb_fail(err, CB_EUSAGE, "%s: %s", o->target, strerror(errno));
    return cb_backend_hdf5.load_table(&so, out, err);
}

static int mp_save_table(const cb_store_opts *o, const cb_table *tab, const int64_t *rows, int64_t nrows, cb_err *err)
{
    char side[PATH_MAX + 32];
    cb_store_opts so;
    if (sidecar_opts(o, &so, side, sizeof side, err) < 0)
        return -1;
    return cb_backend_hdf5.save_table(&so, tab, rows, nrows, err);
}

const cb_backend cb_backend_mpiio = {
    .name = "mpiio",
    .caps = CB_CAP_JOURNAL,
    .transport = "mpiio",
    .check = mp_check,
    .create = mp_create,
    .open = mp_open,
    .write_task = mp_write_task,
    .read_task = mp_read_task,
    .claim = NULL,
    .finish = NULL,
    .close = mp_close,
    .load_table = mp_load_table,
    .save_table = mp_save_table,
    .describe = NULL,
    .raw_extents = NULL,
};
