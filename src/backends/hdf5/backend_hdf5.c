/* Parallel HDF5 backend: data through the MPI-IO driver, bookkeeping (task
 * table and metadata) by one process through the default sec2 driver. Reads
 * may instead open the file on every rank alone (sec2) or over HTTP (ros3),
 * below the request-log driver (which also holds the page buffer). */
#include "backends/backend.h"

#include <hdf5.h>
#include <errno.h>
#include <stdarg.h>
#include <libgen.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backends/hdf5/hdf5_opts.h"
#include "backends/hdf5/mpiio_log.h"
#include "backends/hdf5/mpio_modes.h"
#include "backends/hdf5/url.h"
#include "backends/hdf5/vfd_curl.h"
#include "backends/hdf5/vfd_log.h"
#include "core/h5features.h"
#include "core/mpi_err.h"
#include "core/table_check.h"
#include "core/outfile.h"

#define DSET_NAME "dset"
#define TABLE_NAME "task_list"
#define SEED_TABLE_NAME "chunk_list" /* what the seed's create_empty.py calls it */

typedef struct h5_store {
    hid_t file, dset, fspace, dxpl;
    hid_t mtype;    /* memory type of reads: native float, or a named dataset's own type */
    int ndims;      /* of the dataset read: 1 or 2 */
    cb_io_mode io;
    void *pad;      /* direct I/O of edge chunks: a whole-chunk buffer */
    size_t pad_bytes;
    int fsync;      /* --fsync: flush to storage before closing */
    int mpiio_log;  /* MPI-IO reads go to s->iolog until close */
    int count_coll; /* collective transfers: count what each call did (s->coll) */
} h5_store;

/* The innermost message of HDF5's error stack: the most specific reason
 * (for MPI-IO, "MPI_File_open failed: MPI error string is '...'"). Walking
 * downward ends at the innermost entry. */
static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *data)
{
    (void)n;
    if (e->desc && *e->desc)
        snprintf((char *)data, 512, "%s", e->desc);
    return 0;
}

/* What to do about a reason HDF5 or MPI gave, where one is known. */
static const char *fix_for(const char *why)
{
    if (strstr(why, "unable to lock file"))
        return "another process holds the file open (h5py, chunkbench read --driver sec2...): close it and run again";
    if (strstr(why, "READ_ONLY") || strstr(why, "read only") || strstr(why, "Read-only"))
        return "the file or its file system is read-only: make it writable or use a path on a writable file system";
    if (strstr(why, "ERR_ACCESS") || strstr(why, "ermission denied"))
        return "check the permissions of the file and its directory";
    if (strstr(why, "Is a directory") || strstr(why, "ERR_BAD_FILE") || strstr(why, "ERR_IO"))
        return "check that the path names a regular file (not a directory) on a working file system";
    if (strstr(why, "ERR_NO_SPACE") || strstr(why, "No space"))
        return "the file system is full: free space or use another path";
    return NULL;
}

/* Call right after the failing HDF5 call: any other API call (even
 * H5Pclose) clears the error stack, and the reason with it. */
static int h5_fail(cb_err *err, const char *what_fmt, ...) __attribute__((format(printf, 2, 3)));
static int h5_fail(cb_err *err, const char *what_fmt, ...)
{
    char what[1024], why[512] = "";
    va_list ap;
    va_start(ap, what_fmt);
    vsnprintf(what, sizeof what, what_fmt, ap);
    va_end(ap);
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, walk_cb, why);
    H5Eclear2(H5E_DEFAULT);
    const char *fix = fix_for(why);
    if (*why && fix)
        return cb_fail(err, CB_EIO, "%s: %s; %s", what, why, fix);
    if (*why)
        return cb_fail(err, CB_EIO, "%s: %s", what, why);
    return cb_fail(err, CB_EIO, "%s", what);
}

static void quiet_hdf5(void)
{
    /* We report errors ourselves, once, in one line. */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

/* The task row as stored: packed, little-endian, S40 null-padded. */
static hid_t row_type(void)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, CB_ROW_BYTES);
    hid_t s = H5Tcopy(H5T_C_S1);
    H5Tset_size(s, CB_POD_LEN);
    H5Tset_strpad(s, H5T_STR_NULLPAD);
    H5Tinsert(t, "start", CB_OFF_START, H5T_IEEE_F64LE);
    H5Tinsert(t, "done", CB_OFF_DONE, H5T_IEEE_F64LE);
    H5Tinsert(t, "status", CB_OFF_STATUS, H5T_STD_I32LE);
    H5Tinsert(t, "x", CB_OFF_X, H5T_STD_I32LE);
    H5Tinsert(t, "y", CB_OFF_Y, H5T_STD_I32LE);
    H5Tinsert(t, "nrow", CB_OFF_NROW, H5T_STD_I32LE);
    H5Tinsert(t, "ncol", CB_OFF_NCOL, H5T_STD_I32LE);
    H5Tinsert(t, "pod", CB_OFF_POD, s);
    H5Tclose(s);
    return t;
}

static hid_t value_type(int elem_size)
{
    return elem_size == 4 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE;
}

static hid_t mem_value_type(int elem_size)
{
    return elem_size == 4 ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE;
}

/* ---- attributes (run metadata on the root group) ---- */

static int put_attr(hid_t loc, const char *name, hid_t type, const void *val)
{
    if (H5Aexists(loc, name) > 0 && H5Adelete(loc, name) < 0)
        return -1;
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, type, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a < 0 ? -1 : H5Awrite(a, type, val);
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    return rc < 0 ? -1 : 0;
}

static int put_str(hid_t loc, const char *name, const char *val)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(val) + 1);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    int rc = put_attr(loc, name, t, val);
    H5Tclose(t);
    return rc;
}

static void get_attr(hid_t loc, const char *name, hid_t memtype, void *val)
{
    if (H5Aexists(loc, name) <= 0)
        return;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a >= 0) {
        H5Aread(a, memtype, val);
        H5Aclose(a);
    }
}

static void get_str(hid_t loc, const char *name, char *buf, size_t cap)
{
    if (H5Aexists(loc, name) <= 0)
        return;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    hid_t ft = H5Aget_type(a);
    hid_t sp = H5Aget_space(a);
    if (H5Tget_class(ft) == H5T_STRING && !H5Tis_variable_str(ft)) {
        size_t n = H5Tget_size(ft);
        char *tmp = calloc(1, n + 1);
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, n);
        if (tmp && H5Aread(a, mt, tmp) >= 0)
            snprintf(buf, cap, "%s", tmp);
        H5Tclose(mt);
        free(tmp);
    } else if (H5Tget_class(ft) == H5T_STRING && H5Tget_size(ft) > 0 && H5Sget_simple_extent_npoints(sp) == 1) {
        /* h5py writes a str as a variable-length string: read that too, so a
         * value set by hand (`values`) is seen, not taken for missing. */
        char *v = NULL;
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(ft));
        if (H5Aread(a, mt, &v) >= 0 && v)
            snprintf(buf, cap, "%s", v);
        H5free_memory(v);
        H5Tclose(mt);
    }
    H5Sclose(sp);
    H5Tclose(ft);
    H5Aclose(a);
}

/* The memory type of a numeric metadata field, as it lies in cb_meta. */
static hid_t meta_type(const cb_meta_field *f)
{
    if (f->kind == CB_MF_REAL)
        return H5T_NATIVE_DOUBLE;
    return f->size == sizeof(int32_t) ? H5T_NATIVE_INT32 : H5T_NATIVE_INT64;
}

/* Every field of cb_meta_fields as an attribute, but request counts: files
 * make none. */
static int put_meta(hid_t file, const cb_layout *lay, const cb_meta *m)
{
    hid_t root = H5Gopen2(file, "/", H5P_DEFAULT);
    int rc = put_str(root, "iter_type", cb_iter_name(lay->iter));
    for (int i = 0; i < cb_meta_nfields; i++) {
        const cb_meta_field *f = &cb_meta_fields[i];
        if (f->flags & CB_MF_NET)
            continue;
        if (f->kind == CB_MF_STR)
            rc |= put_str(root, f->name, cb_meta_get(m, f));
        else
            rc |= put_attr(root, f->name, meta_type(f), cb_meta_get(m, f));
    }
    H5Gclose(root);
    return rc;
}

static void get_meta(hid_t file, cb_layout *lay, cb_meta *m)
{
    hid_t root = H5Gopen2(file, "/", H5P_DEFAULT);
    char iter[16] = "block";
    get_str(root, "iter_type", iter, sizeof iter);
    if (cb_iter_parse(iter, &lay->iter) < 0)
        lay->iter = CB_ITER_BLOCK;
    for (int i = 0; i < cb_meta_nfields; i++) {
        const cb_meta_field *f = &cb_meta_fields[i];
        if (f->flags & CB_MF_NET)
            continue;
        if (f->kind == CB_MF_STR)
            get_str(root, f->name, cb_meta_ref(m, f), f->size);
        else
            get_attr(root, f->name, meta_type(f), cb_meta_ref(m, f));
    }
    H5Gclose(root);
}

/* ---- create ---- */

/* Plain checks before HDF5 sees the path, so the user gets a reason, not a stack. */
static int check_new_path(const char *path, int force, cb_err *err)
{
    /* stat, never open: a FIFO would block, a device would be truncated. A
     * symbolic link to a regular file is that file (--force recreates it,
     * through the link; the link stays); a dangling one is refused. */
    struct stat st, lst;
    if (stat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return cb_fail(err, CB_EUSAGE, "%s is %s, not a regular file: create replaces only regular files (with --force); choose another path",
                           path, cb_file_kind(st.st_mode));
        if (!force)
            return cb_fail(err, CB_EEXIST, "%s already exists; use --force to replace it", path);
    } else if (errno != ENOENT) {
        return cb_fail(err, CB_EUSAGE, "%s: %s; choose another path", path, strerror(errno));
    } else if (lstat(path, &lst) == 0) {
        return cb_fail(err, CB_EUSAGE, "%s is a symbolic link to a missing file; remove the link or create the file it names", path);
    }
    char *copy = strdup(path);
    if (!copy)
        return cb_fail(err, CB_EIO, "out of memory");
    const char *dir = dirname(copy);
    int rc = 0;
    if (access(dir, F_OK) != 0)
        rc = cb_fail(err, CB_EUSAGE, "directory %s does not exist; create it first or choose another path", dir);
    else if (access(dir, W_OK) != 0)
        rc = cb_fail(err, CB_EUSAGE, "directory %s is not writable (%s); choose another path", dir, strerror(errno));
    free(copy);
    return rc;
}

static int is_url(const char *target)
{
    return cb_target_kind_of(target) == CB_TARGET_URL;
}

static const cb_hdf5_opts *own_opts(const cb_store_opts *o)
{
    static const cb_hdf5_opts none = {0};
    return o->backend ? o->backend : &none;
}

/* A read where every rank opens the file alone (sec2, ros3, curl), not through MPI-IO. */
static int solo_driver(cb_driver d)
{
    return d == CB_DRIVER_SEC2 || d == CB_DRIVER_ROS3 || d == CB_DRIVER_CURL;
}

/* The drivers that read URLs. */
static int http_driver(cb_driver d)
{
    return d == CB_DRIVER_ROS3 || d == CB_DRIVER_CURL;
}

/* Writes to a filtered dataset: the transfers parallel HDF5 can make
 * (also checked at open, for a file created with filters earlier). */
static int filtered_write_refused(cb_io_mode io, cb_err *err)
{
    if (io == CB_IO_DIRECT)
        /* Tried (HDF5 1.10.8, 2 ranks, zlib-compressed chunks): every new
         * chunk size changes the chunk index, which parallel HDF5 changes
         * only in a collective H5Dwrite; the test program never finished
         * (both ranks spinning in MPI). */
        return cb_fail(err, CB_EUSAGE, "--io direct writes raw chunks with H5Dwrite_chunk, past the filter pipeline, "
                       "and parallel HDF5 cannot take pre-compressed chunks from ranks independently (a chunk's new size "
                       "changes the chunk index, which only a collective H5Dwrite may do): use --io collective for a "
                       "filtered dataset");
    const char *why = io == CB_IO_INDEPENDENT ? cb_h5_filtered_independent_note() : NULL;
    if (why)
        return cb_fail(err, CB_EUSAGE, "%s", why);
    return 0;
}

/* --filter: each filter in this library (a plugin loaded from
 * HDF5_PLUGIN_PATH counts), able to encode, and transfers that can write it. */
static int check_filters(const cb_store_opts *o, cb_err *err)
{
    quiet_hdf5();
    const cb_filters *fs = o->filters;
    for (int i = 0; i < fs->n; i++) {
        const cb_filter *f = &fs->f[i];
        char spec[256];
        cb_filter_spec(f, spec, sizeof spec);
        unsigned conf = 0;
        /* No blosc plugin here to map them to (hdf5-filter-plugin has LZ4,
         * BZip2 and Bitshuffle, whose numbers mean other formats). */
        if (f->blosc)
            return cb_fail(err, CB_EUSAGE, "--filter %s is a codec of HSDS's blosc family, for hdf5:// domains only; "
                           "an HDF5 file takes deflate, szip or a plugin filter number", spec);
        if (H5Zfilter_avail((H5Z_filter_t)f->id) <= 0) {
            if (f->named || f->id <= CB_FILTER_SZIP)
                return cb_fail(err, CB_EUSAGE, "--filter %s: this HDF5 library was built without filter %u", spec, f->id);
            return cb_fail(err, CB_EUSAGE, "--filter %s: filter %u is not available: set HDF5_PLUGIN_PATH to its plugin directory",
                           spec, f->id);
        }
        if (H5Zget_filter_info((H5Z_filter_t)f->id, &conf) < 0 || !(conf & H5Z_FILTER_CONFIG_ENCODE_ENABLED))
            return cb_fail(err, CB_EUSAGE, "--filter %s: this HDF5 library has no encoder for filter %u (decoding only)%s",
                           spec, f->id, f->id == CB_FILTER_SZIP ? ": it needs an HDF5 built with libaec or szip" : "");
    }
    const char *edge = fs->no_edge ? cb_h5_no_edge_filter_note() : NULL;
    if (edge)
        return cb_fail(err, CB_EUSAGE, "%s", edge);
    return o->writes ? filtered_write_refused(o->io, err) : 0;
}

static int h5_check(const cb_store_opts *o, cb_err *err)
{
    const cb_hdf5_opts *h = own_opts(o);
    int url = is_url(o->target);
    if (o->driver != CB_DRIVER_DEFAULT) {
        if (url && !http_driver(o->driver))
            return cb_fail(err, CB_EUSAGE, "%s is a URL: read it with --driver ros3 or curl", o->target);
        if (!url && http_driver(o->driver))
            return cb_fail(err, CB_EUSAGE, "--driver %s reads http://, https:// or s3:// URLs; '%s' is a path (use sec2 or mpio)",
                           cb_driver_name(o->driver), o->target);
    }
    if (o->http_cache_given && o->driver != CB_DRIVER_CURL)
        return cb_fail(err, CB_EUSAGE, "--cache-type and --block-size are the curl driver's: add --driver curl (this read uses %s)",
                       o->driver == CB_DRIVER_DEFAULT ? (url ? "ros3" : "mpio") : cb_driver_name(o->driver));
    if (o->coll_metadata && (url || solo_driver(o->driver)))
        return cb_fail(err, CB_EUSAGE, "--coll-metadata needs a file opened with MPI-IO (--driver mpio); with %s every rank reads on its own",
                       url ? "a URL (ros3)" : cb_driver_name(o->driver));
    if (o->chunk_opt != CB_CHUNK_OPT_UNSET && o->io != CB_IO_COLLECTIVE)
        return cb_fail(err, CB_EUSAGE, "--chunk-opt %s applies to collective transfers: add --io collective%s (this run is --io %s)",
                       cb_chunk_opt_name(o->chunk_opt), solo_driver(o->driver) ? " and --driver mpio" : "",
                       cb_io_name(o->io));
    if (solo_driver(o->driver) && o->io != CB_IO_INDEPENDENT)
        return cb_fail(err, CB_EUSAGE, "--io %s needs --driver mpio; with %s every rank reads on its own",
                       cb_io_name(o->io), cb_driver_name(o->driver));
    if (o->driver == CB_DRIVER_MPIO && o->page_buffer > 0)
        return cb_fail(err, CB_EUSAGE, "--page-buffer needs --driver sec2, ros3 or curl: HDF5 has no page buffer for parallel (MPI-IO) access");
    if (o->page_buffer_by == CB_PB_HDF5 &&
        cb_h5_need(err, "--page-buffer-by hdf5 (HDF5's own page buffer in a parallel build)", CB_H5_PAGE_BUFFER_SOLO) < 0)
        return -1;
    if ((h->s3_profile || h->s3_region || h->s3_endpoint || h->ca_file) && !url && !http_driver(o->driver))
        return cb_fail(err, CB_EUSAGE, "--s3-region, --s3-profile, --s3-endpoint and --ca-file apply to URLs (--driver ros3 or curl) and HSDS");
    if (o->mpi_hints && o->mpi_hints->n && (url || solo_driver(o->driver)))
        return cb_fail(err, CB_EUSAGE, "--hint and --hints-file are MPI-IO hints; --driver %s opens the file without "
                       "MPI-IO: use --driver mpio or leave the hints out",
                       o->driver == CB_DRIVER_DEFAULT ? "ros3" : cb_driver_name(o->driver));
    if (o->tasks_per_call > 1 && o->io == CB_IO_DIRECT)
        return cb_fail(err, CB_EUSAGE, "--tasks-per-call writes several tasks with one H5Dwrite; --io direct writes one chunk per H5Dwrite_chunk: use --io independent or collective");
    /* HDF5 1.10's collective transfer of an unsorted point list did not
     * finish in minutes (500 points, 3 ranks): refused, not measured. */
    if (o->selections == 2 && o->io == CB_IO_COLLECTIVE)
        return cb_fail(err, CB_EUSAGE, "--pattern points reads point lists independently (HDF5's collective point selections are not usable here): use --io independent");
    if (o->selections && o->io == CB_IO_DIRECT)
        return cb_fail(err, CB_EUSAGE, "--pattern reads selections with H5Dread; --io direct moves whole chunks: use --io independent or collective");
    if (o->io == CB_IO_DIRECT && o->create_layout && o->create_layout->iter != CB_ITER_BLOCK)
        return cb_fail(err, CB_EUSAGE, "--io direct writes whole chunks: use block tasks, not %s",
                       cb_iter_name(o->create_layout->iter));
    return o->filters ? check_filters(o, err) : 0;
}

/* --coll-metadata: every rank takes part in each metadata read and write
 * (HDF5 then reads once and broadcasts, and writes metadata in one
 * collective call); what the library does with reads is its own
 * (core/h5features.h cb_h5_coll_md_read_note). */
static void coll_metadata(hid_t fapl, const cb_store_opts *opt)
{
    if (!opt->coll_metadata)
        return;
    H5Pset_coll_metadata_write(fapl, 1);
    H5Pset_all_coll_metadata_ops(fapl, 1);
}

/* The MPI_File HDF5 opened for an mpio file (MPI_FILE_NULL and *err when
 * it cannot say), whose hints MPI reports (core/hints.h). */
static MPI_File mpi_handle(hid_t file, cb_err *err)
{
    void *handle = NULL;
    hid_t fapl = H5Fget_access_plist(file);
    herr_t got = fapl < 0 ? -1 : H5Fget_vfd_handle(file, fapl, &handle);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (got < 0 || !handle) {
        h5_fail(err, "cannot get the MPI-IO file handle of the open file (H5Fget_vfd_handle)");
        return MPI_FILE_NULL;
    }
    return *(MPI_File *)handle;
}

/* An mpio file access list with the hints (MPI_INFO_NULL when none). */
static hid_t mpio_fapl(MPI_Comm comm, const cb_hints *hints, cb_err *err)
{
    MPI_Info info;
    if (cb_hints_to_info(hints, &info, err) < 0)
        return H5I_INVALID_HID;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    /* HDF5 keeps its own duplicate of the info. */
    if (fapl >= 0 && H5Pset_fapl_mpio(fapl, comm, info) < 0) {
        H5Pclose(fapl);
        fapl = H5I_INVALID_HID;
    }
    if (fapl < 0)
        h5_fail(err, "cannot set up the MPI-IO file access list");
    if (info != MPI_INFO_NULL && cb_mpi(err, MPI_Info_free(&info), "MPI_Info_free") < 0 && fapl >= 0) {
        H5Pclose(fapl);
        fapl = H5I_INVALID_HID;
    }
    return fapl;
}

static int create_file(const cb_store_opts *opt, const cb_table *tab, MPI_Comm comm, int rank, cb_err *err);

/* The pipeline in the order given; a filter by number is mandatory (a
 * chunk it fails on is an error, not stored unfiltered). */
static int set_filters(hid_t dcpl, const cb_filters *fs)
{
    for (int i = 0; i < fs->n; i++) {
        const cb_filter *f = &fs->f[i];
        herr_t r;
        if (f->named && f->id == CB_FILTER_SHUFFLE)
            r = H5Pset_shuffle(dcpl);
        else if (f->named && f->id == CB_FILTER_DEFLATE)
            r = H5Pset_deflate(dcpl, f->values[0]);
        else if (f->named && f->id == CB_FILTER_FLETCHER32)
            r = H5Pset_fletcher32(dcpl);
        else if (f->named && f->id == CB_FILTER_SZIP)
            r = H5Pset_szip(dcpl, H5_SZIP_NN_OPTION_MASK, 16); /* h5py's default: nearest neighbour, 16 pixels */
        else
            r = H5Pset_filter(dcpl, (H5Z_filter_t)f->id, H5Z_FLAG_MANDATORY, (size_t)f->nvalues, f->values);
        if (r < 0)
            return -1;
    }
#if H5_VERSION_GE(1, 10, 0) /* check() refused it where parallel writes break it */
    if (fs->no_edge && H5Pset_chunk_opts(dcpl, H5D_CHUNK_DONT_FILTER_PARTIAL_CHUNKS) < 0)
        return -1;
#endif
    return 0;
}

static int h5_create(const cb_store_opts *opt, const cb_table *tab, MPI_Comm comm, cb_err *err)
{
    quiet_hdf5();
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    /* One rank checks the path; every rank takes the same decision. */
    cb_err local = {0};
    if (rank == 0)
        check_new_path(opt->target, opt->force, &local);
    if (cb_bcast_verdict(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    if (!opt->table_only)
        return create_file(opt, tab, comm, rank, err);
    /* A table for values kept elsewhere: rank 0 alone, without MPI-IO, which
     * would allocate every chunk of dset at creation. */
    if (rank == 0)
        create_file(opt, tab, MPI_COMM_NULL, 0, &local);
    if (cb_bcast_verdict(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    return 0;
}

/* comm == MPI_COMM_NULL: this process alone (sec2), dset with no storage. */
static int create_file(const cb_store_opts *opt, const cb_table *tab, MPI_Comm comm, int rank, cb_err *err)
{
    const cb_layout *lay = &tab->layout;
    /* Striping can only be chosen here, when the file comes into being. */
    hid_t fapl = comm == MPI_COMM_NULL ? H5Pcreate(H5P_FILE_ACCESS)
                                       : mpio_fapl(comm, opt->create_hints ? opt->create_hints : opt->mpi_hints, err);
    if (fapl < 0)
        return -1;
    if (comm != MPI_COMM_NULL)
        coll_metadata(fapl, opt);
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    if (opt->page_size > 0) {
        H5Pset_file_space_strategy(fcpl, H5F_FSPACE_STRATEGY_PAGE, 1, 0);
        H5Pset_file_space_page_size(fcpl, (hsize_t)opt->page_size);
    }
    if (opt->align > 0)
        /* Align objects of 64 KiB and more (the chunks), not small metadata. */
        H5Pset_alignment(fapl, 65536, (hsize_t)opt->align);
    hid_t file = H5Fcreate(opt->target, H5F_ACC_TRUNC, fcpl, fapl);
    if (file < 0)
        h5_fail(err, "cannot create the HDF5 file %s", opt->target);
    H5Pclose(fcpl);
    H5Pclose(fapl);
    if (file < 0)
        return -1;

    int rc = 0;
    if (opt->created_hints && comm != MPI_COMM_NULL) {
        /* The steps below are collective: one rank's failure is agreed on. */
        cb_err herr = {0};
        MPI_File fh = mpi_handle(file, &herr);
        if (cb_hints_read_all(fh, comm, opt->created_hints, opt->target, &herr) < 0) {
            rc = -1;
            *err = herr;
        }
    }
    hsize_t dims[2] = {(hsize_t)lay->shape[0], (hsize_t)lay->shape[1]};
    hsize_t cdims[2] = {(hsize_t)lay->chunk[0], (hsize_t)lay->chunk[1]};
    hid_t space = H5Screate_simple(2, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 2, cdims);
    int filtered = opt->filters && opt->filters->n > 0;
    if (filtered && set_filters(dcpl, opt->filters) < 0 && rc == 0)
        rc = h5_fail(err, "cannot set the filter pipeline of dset");
    if (filtered) {
        /* A filtered chunk needs its space when first written, at its
         * filtered size, and a chunk written in parts (row tasks) must start
         * from fill values, never from bytes HDF5 would unfilter unwritten.
         * HDF5 1.10.8 takes any setting here, but in parallel allocates
         * early whatever is asked, and writes every chunk's fill values
         * filtered at create even with FILL_TIME_NEVER (a deflated chunk of
         * zeros is a few dozen bytes; under shuffle or fletcher32 alone, the
         * whole chunk). */
        H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC);
        H5Pset_alloc_time(dcpl, comm != MPI_COMM_NULL ? H5D_ALLOC_TIME_INCR : H5D_ALLOC_TIME_LATE);
    } else {
        /* Parallel HDF5 allocates every chunk at creation; without this it would
         * also write fill values to all of them, i.e. the whole dataset once. */
        H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER);
        H5Pset_alloc_time(dcpl, comm != MPI_COMM_NULL ? H5D_ALLOC_TIME_EARLY : H5D_ALLOC_TIME_LATE);
    }
    hid_t dset = H5Dcreate2(file, DSET_NAME, value_type(lay->elem_size), space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (dset < 0 && rc == 0)
        rc = h5_fail(err, "cannot create dataset dset in %s", opt->target);
    H5Pclose(dcpl);
    H5Sclose(space);
    if (dset >= 0)
        H5Dclose(dset);

    if (rc == 0) {
        /* Chunked like the seed's table, so h5py's iter_chunks() works on it. */
        hsize_t n = (hsize_t)tab->ntasks, tchunk = n < 1000 ? n : 1000;
        hid_t rt = row_type();
        hid_t tspace = H5Screate_simple(1, &n, NULL);
        hid_t tdcpl = H5Pcreate(H5P_DATASET_CREATE);
        H5Pset_chunk(tdcpl, 1, &tchunk);
        hid_t table = H5Dcreate2(file, TABLE_NAME, rt, tspace, H5P_DEFAULT, tdcpl, H5P_DEFAULT);
        if (table < 0)
            rc = h5_fail(err, "cannot create dataset task_list in %s", opt->target);
        H5Pclose(tdcpl);
        if (table >= 0) {
            /* Rank 0 writes all rows, the others take part with nothing. */
            unsigned char *rows = NULL;
            hid_t mspace;
            if (rank == 0) {
                rows = malloc((size_t)n * CB_ROW_BYTES);
                if (!rows) {
                    rc = cb_fail(err, CB_EIO, "out of memory for %llu task rows", (unsigned long long)n);
                    n = 0;
                }
                for (hsize_t i = 0; i < n; i++)
                    cb_task_pack(&tab->tasks[i], rows + i * CB_ROW_BYTES);
                mspace = H5Screate_simple(1, &n, NULL);
                if (!rows)
                    H5Sselect_none(tspace);
            } else {
                hsize_t one = 1;
                mspace = H5Screate_simple(1, &one, NULL);
                H5Sselect_none(mspace);
                H5Sselect_none(tspace);
            }
            hid_t dxpl = H5Pcreate(H5P_DATASET_XFER);
            if (comm != MPI_COMM_NULL)
                H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE);
            if (H5Dwrite(table, rt, mspace, tspace, dxpl, rows) < 0 && rc == 0)
                rc = h5_fail(err, "cannot write task_list");
            H5Pclose(dxpl);
            H5Sclose(mspace);
            free(rows);
            H5Dclose(table);
        }
        H5Sclose(tspace);
        H5Tclose(rt);
    }
    /* Attribute writes are collective: every rank passes the same values. */
    if (rc == 0 && put_meta(file, lay, &tab->meta) < 0)
        rc = h5_fail(err, "cannot write run metadata attributes");
    if (H5Fclose(file) < 0 && rc == 0)
        rc = h5_fail(err, "cannot close the new file");
    return rc;
}

/* ---- read drivers ---- */

/* The file access list of a rank that reads on its own: sec2 or ros3, under
 * the request-log driver when log != NULL, with the page buffer when
 * `tuning` (the bookkeeping opens run without the caches being measured).
 * curl logs its own HTTP requests (the log driver above it would log HDF5's
 * reads, before the curl cache), so above it the log driver only holds the
 * page buffer. */
static hid_t solo_fapl(const cb_store_opts *opt, cb_driver driver, cb_iolog *log, int tuning, cb_err *err)
{
    const cb_hdf5_opts *own = own_opts(opt);
    hid_t inner = H5Pcreate(H5P_FILE_ACCESS);
    if (driver == CB_DRIVER_CURL) {
        cb_s3_creds c;
        cb_vfd_curl_opts co = {tuning ? opt->http_cache : CB_HTTP_CACHE_NONE, opt->http_block > 0 ? opt->http_block : (int64_t)8 << 20,
                               log, &c};
        int rc = cb_s3_find(own->s3_region, own->s3_profile, &c, err) == 0 ? cb_vfd_curl_set(inner, &co, err) : -1;
        memset(&c, 0, sizeof c);
        if (rc < 0) {
            H5Pclose(inner);
            return H5I_INVALID_HID;
        }
        log = NULL;
    } else if (driver == CB_DRIVER_ROS3) {
        /* Keys from the AWS variables or a profile, never the command line. */
        cb_s3_creds c;
        int rc = cb_s3_find(own->s3_region, own->s3_profile, &c, err) == 0 ? cb_ros3_fapl(inner, &c, err) : -1;
        memset(&c, 0, sizeof c); /* no copy of the secret left behind */
        if (rc < 0) {
            H5Pclose(inner);
            return H5I_INVALID_HID;
        }
    } else {
        H5Pset_fapl_sec2(inner);
    }
    hid_t fapl = inner;
    /* HDF5's own page buffer where the library has it for files opened
     * alone (1.14.5+ in parallel builds), above the request log; else ours,
     * in the log driver (see vfd_log.h). */
    int64_t page_size = tuning ? opt->file_page_size : 0;
    size_t pb = tuning && opt->page_buffer > 0 && page_size > 0 ? (size_t)opt->page_buffer : 0;
    int library_pb = pb && opt->page_buffer_by == CB_PB_HDF5;
    if (log || (pb && !library_pb)) {
        fapl = H5Pcreate(H5P_FILE_ACCESS);
        int rc = cb_vfd_log_set(fapl, inner, log, library_pb ? 0 : pb, (size_t)page_size, err);
        H5Pclose(inner);
        if (rc < 0) {
            H5Pclose(fapl);
            return H5I_INVALID_HID;
        }
    }
    if (library_pb && H5Pset_page_buffer_size(fapl, pb, 0, 0) < 0) {
        H5Pclose(fapl);
        h5_fail(err, "cannot set HDF5's page buffer");
        return H5I_INVALID_HID;
    }
    return fapl;
}

/* The name HDF5 opens: the path, or the http(s) address of a URL; *c (when
 * not NULL, for a URL) the credentials ros3 signs with, which the caller
 * clears after use. */
static int open_name(const cb_store_opts *opt, char *name, size_t cap, cb_s3_creds *c, cb_err *err)
{
    if (is_url(opt->target)) {
        /* The region places s3:// URLs; the CA bundle is set before any request. */
        cb_s3_creds own_c;
        cb_s3_creds *k = c ? c : &own_c;
        const cb_hdf5_opts *own = own_opts(opt);
        int rc = cb_s3_find(own->s3_region, own->s3_profile, k, err) || cb_ros3_tls(own->ca_file, err) ||
                         cb_url_resolve(opt->target, k->region[0] ? k->region : NULL, own->s3_endpoint, name, cap,
                                        err)
                     ? -1
                     : 0;
        memset(&own_c, 0, sizeof own_c);
        return rc;
    }
    snprintf(name, cap, "%s", opt->target);
    return 0;
}

/* One process, read-only, for bookkeeping: checks first, so a missing file, a
 * dead URL or a non-HDF5 file reads as one plain line, not an HDF5 stack. */
static hid_t open_lookup(const cb_store_opts *opt, cb_err *err)
{
    char name[4096];
    cb_s3_creds c;
    int rc = open_name(opt, name, sizeof name, &c, err);
    /* The probe signs as ros3 will (when keys were found). */
    if (rc == 0 && is_url(opt->target))
        rc = cb_url_probe(name, &c, err);
    memset(&c, 0, sizeof c); /* no copy of the secret left behind */
    if (rc < 0)
        return H5I_INVALID_HID;
    hid_t fapl = H5P_DEFAULT;
    if (is_url(opt->target)) {
        if ((fapl = solo_fapl(opt, opt->driver == CB_DRIVER_CURL ? CB_DRIVER_CURL : CB_DRIVER_ROS3, NULL, 0, err)) < 0)
            return H5I_INVALID_HID;
    } else {
        /* stat, never open: opening a FIFO blocks, a device may act. */
        struct stat st;
        if (stat(opt->target, &st) != 0) {
            if (errno == ENOENT)
                cb_fail(err, CB_EUSAGE, "%s does not exist; create it first with: chunkbench create %s NROWS NCOLS",
                        opt->target, opt->target);
            else
                cb_fail(err, CB_EUSAGE, "%s: %s", opt->target, strerror(errno));
            return H5I_INVALID_HID;
        }
        if (!S_ISREG(st.st_mode)) {
            cb_fail(err, CB_EUSAGE, "%s is %s, not a regular file; give the path of an HDF5 file", opt->target,
                    cb_file_kind(st.st_mode));
            return H5I_INVALID_HID;
        }
        if (H5Fis_hdf5(opt->target) <= 0) {
            cb_fail(err, CB_EUSAGE, "%s is not an HDF5 file", opt->target);
            return H5I_INVALID_HID;
        }
    }
    hid_t file = H5Fopen(name, H5F_ACC_RDONLY, fapl);
    if (file < 0)
        h5_fail(err, "cannot open %s", opt->target);
    if (fapl != H5P_DEFAULT)
        H5Pclose(fapl);
    return file;
}

/* Page size of a paged file (the cloud-optimised layout), else 0. */
static int64_t file_page_size(hid_t file)
{
    hid_t fcpl = H5Fget_create_plist(file);
    H5F_fspace_strategy_t strategy = H5F_FSPACE_STRATEGY_FSM_AGGR;
    hbool_t persist = 0;
    hsize_t threshold = 0, page = 0;
    H5Pget_file_space_strategy(fcpl, &strategy, &persist, &threshold);
    H5Pget_file_space_page_size(fcpl, &page);
    H5Pclose(fcpl);
    return strategy == H5F_FSPACE_STRATEGY_PAGE ? (int64_t)page : 0;
}

/* The file's size as its driver sees it (for a URL, what the server says). */
static int64_t file_bytes(hid_t file)
{
    hsize_t n = 0;
    return H5Fget_filesize(file, &n) < 0 ? 0 : (int64_t)n;
}

/* Rows per task when a dataset has no chunks to follow: about 1 MiB. */
static int64_t block_rows(int64_t row_bytes)
{
    int64_t r = ((int64_t)1 << 20) / (row_bytes > 0 ? row_bytes : 1);
    return r > 0 ? r : 1;
}

/* Shape, chunk and element size of an open dataset as a 2-D layout (1-D: N x
 * 1); a contiguous dataset gets row blocks of about 1 MiB as its "chunk". */
static int dataset_layout(hid_t dset, const char *name, cb_layout *lay, int *ndims_out, cb_err *err)
{
    hid_t space = H5Dget_space(dset), ft = H5Dget_type(dset), dcpl = H5Dget_create_plist(dset);
    int ndims = H5Sget_simple_extent_ndims(space);
    hsize_t dims[2] = {1, 1}, cdims[2] = {0, 0};
    int chunked = H5Pget_layout(dcpl) == H5D_CHUNKED;
    int vlen = H5Tdetect_class(ft, H5T_VLEN) > 0 || (H5Tget_class(ft) == H5T_STRING && H5Tis_variable_str(ft) > 0);
    size_t esize = H5Tget_size(ft);
    if (ndims == 1 || ndims == 2) {
        H5Sget_simple_extent_dims(space, dims, NULL);
        if (chunked)
            H5Pget_chunk(dcpl, ndims, cdims);
    }
    H5Sclose(space);
    H5Tclose(ft);
    H5Pclose(dcpl);
    if (ndims != 1 && ndims != 2)
        return cb_fail(err, CB_EUSAGE, "dataset %s has %d dimensions; read takes 1-D and 2-D datasets", name, ndims);
    if (vlen)
        return cb_fail(err, CB_EUSAGE, "dataset %s has a variable-length type; read takes fixed-size types", name);
    if (ndims == 1) {
        dims[1] = 1;
        cdims[1] = 1;
    }
    if (!chunked)
        cdims[0] = (hsize_t)block_rows((int64_t)(dims[1] * esize));
    if (cdims[0] > dims[0])
        cdims[0] = dims[0];
    if (!chunked)
        cdims[1] = dims[1];
    for (int d = 0; d < 2; d++) {
        lay->shape[d] = (int64_t)dims[d];
        lay->chunk[d] = (int64_t)cdims[d];
    }
    lay->elem_size = (int)esize;
    lay->iter = CB_ITER_BLOCK;
    if (dims[0] == 0 || dims[1] == 0)
        return cb_fail(err, CB_EUSAGE, "dataset %s is empty", name);
    *ndims_out = ndims;
    return 0;
}

/* Whether the object at name is a dataset, with each release's own call:
 * 1.12 replaced H5O_info_t (object addresses became tokens). */
static int is_dataset(hid_t file, const char *name)
{
#if H5_VERSION_GE(1, 12, 0)
    H5O_info2_t info;
    return H5Oget_info_by_name3(file, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_DATASET;
#else
    H5O_info_t info;
    return H5Oget_info_by_name2(file, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_DATASET;
#endif
}

/* One stored chunk into buf (room for size bytes). HDF5 2.0 added the
 * buffer's size to H5Dread_chunk (H5Dread_chunk2), so a chunk larger than
 * the buffer fails instead of overrunning it. */
static herr_t read_chunk(hid_t dset, hid_t dxpl, const hsize_t *off, uint32_t *filters, void *buf, size_t size)
{
#if H5_VERSION_GE(2, 0, 0)
    return H5Dread_chunk2(dset, dxpl, off, filters, buf, &size);
#else
    (void)size;
    return H5Dread_chunk(dset, dxpl, off, filters, buf);
#endif
}

/* Dataset name of the open file into *out (memset by the caller). */
static int describe_one(const cb_store_opts *opt, hid_t file, const char *name, cb_table *out, cb_err *err)
{
    cb_meta_init(&out->meta);
    int ndims = 0;
    /* H5Lexists refuses paths whose parents are missing: check each step. */
    char path[1024];
    snprintf(path, sizeof path, "%s", name);
    int found = 1;
    for (char *p = path + (path[0] == '/'); found && (p = strchr(p, '/')) != NULL; p++) {
        *p = 0;
        found = H5Lexists(file, path, H5P_DEFAULT) > 0;
        *p = '/';
    }
    found = found && H5Lexists(file, name, H5P_DEFAULT) > 0;
    if (!found || !is_dataset(file, name))
        return cb_fail(err, CB_EUSAGE, "%s has no dataset '%s'; list its datasets with h5ls -r %s", opt->target, name,
                       opt->target);
    hid_t dset = H5Dopen2(file, name, H5P_DEFAULT);
    if (dset < 0)
        return h5_fail(err, "cannot open the dataset");
    int rc = dataset_layout(dset, name, &out->layout, &ndims, err);
    H5Dclose(dset);
    if (rc < 0)
        return -1;
    get_meta(file, &out->layout, &out->meta);
    out->layout.iter = CB_ITER_BLOCK; /* the file's iter_type describes dset, not this one */
    out->meta.page_size = file_page_size(file);
    out->meta.file_size = file_bytes(file);
    return 0;
}

static int h5_describe(const cb_store_opts *opt, const char *const *names, int n, cb_table *out, cb_err *err)
{
    quiet_hdf5();
    memset(out, 0, (size_t)n * sizeof *out);
    hid_t file = open_lookup(opt, err);
    if (file < 0)
        return -1;
    int rc = 0, k = 0;
    for (; k < n && rc == 0; k++)
        rc = describe_one(opt, file, names[k], &out[k], err);
    H5Fclose(file);
    if (rc < 0)
        for (int i = 0; i < k; i++)
            cb_table_free(&out[i]);
    return rc;
}

/* The dataset paths under a file, for read's patterns. */
typedef struct h5_names {
    char **v;
    int n, cap;
    int oom;
} h5_names;

/* H5Lvisit's names are relative to the file's root; unversioned names: the
 * link info struct and visit call are 1.12's under its default API mapping. */
static herr_t list_cb(hid_t root, const char *name, const H5L_info_t *info, void *op)
{
    h5_names *ns = op;
    if (info->type != H5L_TYPE_HARD || !is_dataset(root, name))
        return 0;
    if (ns->n == ns->cap) {
        int cap = ns->cap ? 2 * ns->cap : 64;
        char **v = realloc(ns->v, (size_t)cap * sizeof *v);
        if (!v)
            return ns->oom = 1, -1;
        ns->v = v;
        ns->cap = cap;
    }
    size_t len = strlen(name) + 2;
    if (!(ns->v[ns->n] = malloc(len)))
        return ns->oom = 1, -1;
    snprintf(ns->v[ns->n++], len, "/%s", name);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int h5_list_datasets(const cb_store_opts *opt, char ***out, int *n, cb_err *err)
{
    quiet_hdf5();
    *out = NULL;
    *n = 0;
    hid_t file = open_lookup(opt, err);
    if (file < 0)
        return -1;
    h5_names ns = {0};
    int rc = 0;
    if (H5Lvisit(file, H5_INDEX_NAME, H5_ITER_INC, list_cb, &ns) < 0)
        rc = ns.oom ? cb_fail(err, CB_EIO, "out of memory listing the datasets of %s", opt->target)
                    : h5_fail(err, "listing the datasets of %s failed", opt->target);
    H5Fclose(file);
    if (rc < 0) {
        for (int i = 0; i < ns.n; i++)
            free(ns.v[i]);
        free(ns.v);
        return -1;
    }
    if (ns.n)
        qsort(ns.v, (size_t)ns.n, sizeof *ns.v, cmp_str);
    *out = ns.v;
    *n = ns.n;
    return 0;
}

/* Where each chunk of an open chunked dataset is stored, in HDF5's own
 * words: the file is open under the request-log driver in dry mode, and
 * H5Dread_chunk on every allocated chunk makes HDF5 look the chunk up in its
 * index and issue one raw read of exactly the stored bytes, which the
 * driver notes and does not do. Index lookups are direct (about 1 us a
 * chunk here), unlike H5Dget_chunk_info, which walks the index from its
 * start on every call in 1.10 (no chunk iterator before 1.14): measured at
 * 10 ns a step, n^2/2 steps, 3.4 s for 25,000 chunks. */
/* Whether the last HDF5 error was a chunk lookup finding no chunk: 1.10's
 * H5Dget_chunk_storage_size fails for a chunk never written (with this
 * message) instead of giving 0. Any other failure stays one. */
static int chunk_not_stored(void)
{
    char why[512] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, walk_cb, why);
    if (strcmp(why, "chunk storage is not allocated"))
        return 0;
    H5Eclear2(H5E_DEFAULT);
    return 1;
}

static int chunk_extents(hid_t dset, cb_err *err)
{
    hid_t space = H5Dget_space(dset), dcpl = H5Dget_create_plist(dset);
    int nd = H5Sget_simple_extent_ndims(space);
    hsize_t dims[H5S_MAX_RANK], cdims[H5S_MAX_RANK], at[H5S_MAX_RANK] = {0};
    int ok = nd > 0 && H5Sget_simple_extent_dims(space, dims, NULL) >= 0 && H5Pget_chunk(dcpl, nd, cdims) == nd;
    H5Sclose(space);
    H5Pclose(dcpl);
    if (!ok)
        return h5_fail(err, "cannot read the dataset's chunk shape");
    void *buf = NULL;
    size_t cap = 0;
    int rc = 0;
    for (int d = 0; d < nd; d++)
        if (dims[d] == 0)
            return 0;
    for (;;) {
        hsize_t stored = 0;
        if (H5Dget_chunk_storage_size(dset, at, &stored) < 0 && !chunk_not_stored()) {
            rc = h5_fail(err, "cannot look a chunk up in the dataset's index");
            break;
        }
        if (stored > 0) { /* 0: never written, nothing stored */
            if (stored > cap) {
                /* Dry mode leaves it untouched, but HDF5 is owed room for the chunk. */
                void *p = realloc(buf, (size_t)stored);
                if (!p) {
                    rc = cb_fail(err, CB_EIO, "out of memory");
                    break;
                }
                buf = p;
                cap = (size_t)stored;
            }
            uint32_t filters = 0;
            if (read_chunk(dset, H5P_DEFAULT, at, &filters, buf, cap) < 0) {
                rc = h5_fail(err, "cannot locate a chunk of the dataset");
                break;
            }
        }
        /* The next chunk origin, last dimension fastest. */
        int d = nd - 1;
        while (d >= 0 && (at[d] += cdims[d]) >= dims[d])
            at[d--] = 0;
        if (d < 0)
            break;
    }
    free(buf);
    return rc;
}

/* The byte ranges that hold the values of the dataset read: its stored
 * chunks, or its contiguous storage. A compact dataset has none: its values
 * are read with its object header, as metadata. */
static int h5_raw_extents(const cb_store_opts *opt, cb_extent **out, int64_t *n, cb_err *err)
{
    quiet_hdf5();
    *out = NULL;
    *n = 0;
    cb_iolog probe = {0};
    hid_t inner = H5Pcreate(H5P_FILE_ACCESS), fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fapl_sec2(inner);
    int rc = cb_vfd_log_set_dry(fapl, inner, &probe, err);
    H5Pclose(inner);
    hid_t file = rc < 0 ? H5I_INVALID_HID : H5Fopen(opt->target, H5F_ACC_RDONLY, fapl);
    if (rc == 0 && file < 0)
        rc = h5_fail(err, "cannot open %s to find the dataset's storage", opt->target);
    H5Pclose(fapl);
    const char *name = opt->dataset ? opt->dataset : DSET_NAME;
    hid_t dset = rc < 0 ? H5I_INVALID_HID : H5Dopen2(file, name, H5P_DEFAULT);
    if (rc == 0 && dset < 0)
        rc = h5_fail(err, "cannot open the dataset to find its storage");
    if (rc == 0) {
        hid_t dcpl = H5Dget_create_plist(dset);
        H5D_layout_t layout = H5Pget_layout(dcpl);
        H5Pclose(dcpl);
        if (layout == H5D_CONTIGUOUS) {
            haddr_t addr = H5Dget_offset(dset);
            hsize_t size = H5Dget_storage_size(dset);
            if (addr != HADDR_UNDEF && size > 0)
                cb_iolog_add(&probe, (int64_t)addr, (int64_t)size, 0, 0, CB_REQ_DRAW);
        } else if (layout == H5D_CHUNKED) {
            rc = chunk_extents(dset, err); /* into probe, through the driver */
        }
    }
    if (dset >= 0) H5Dclose(dset);
    if (file >= 0) H5Fclose(file);
    if (rc == 0 && probe.lost)
        rc = cb_fail(err, CB_EIO, "out of memory for the dataset's chunk ranges");
    if (rc == 0 && probe.n && !(*out = malloc((size_t)probe.n * sizeof **out)))
        rc = cb_fail(err, CB_EIO, "out of memory");
    for (int64_t i = 0; rc == 0 && i < probe.n; i++)
        if (probe.v[i].kind == CB_REQ_DRAW)
            (*out)[(*n)++] = (cb_extent){probe.v[i].offset, probe.v[i].size};
    cb_iolog_free(&probe);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- open / data I/O ---- */

/* The dataset an open store reads: opened with the chunk cache asked for,
 * its layout into s->layout, its memory type, and what its filters forbid.
 * Any earlier one is closed first (h5_switch_dataset). */
static int open_dataset(cb_store *s, const cb_store_opts *opt, cb_err *err)
{
    h5_store *h = s->impl;
    const char *dname = opt->dataset ? opt->dataset : DSET_NAME;
    if (h->mtype >= 0) H5Tclose(h->mtype);
    if (h->fspace >= 0) H5Sclose(h->fspace);
    if (h->dset >= 0) H5Dclose(h->dset);
    h->dset = h->fspace = h->mtype = H5I_INVALID_HID;
    free(h->pad);
    h->pad = NULL;
    h->pad_bytes = 0;
    hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
    if (opt->chunk_cache >= 0 || opt->chunk_cache_slots >= 0)
        /* The *_DEFAULT values mean "as the file access list says". */
        H5Pset_chunk_cache(dapl, opt->chunk_cache_slots >= 0 ? (size_t)opt->chunk_cache_slots : H5D_CHUNK_CACHE_NSLOTS_DEFAULT,
                           opt->chunk_cache >= 0 ? (size_t)opt->chunk_cache : H5D_CHUNK_CACHE_NBYTES_DEFAULT,
                           H5D_CHUNK_CACHE_W0_DEFAULT);
    h->dset = H5Dopen2(h->file, dname, dapl);
    H5Pclose(dapl);
    if (h->dset < 0)
        return h5_fail(err, "cannot open dataset %s", dname);
    h->fspace = H5Dget_space(h->dset);
    if (dataset_layout(h->dset, dname, &s->layout, &h->ndims, err) < 0)
        return -1;
    hid_t dcpl = H5Dget_create_plist(h->dset);
    int nfilters = H5Pget_nfilters(dcpl);
    H5Pclose(dcpl);
    if (opt->dataset) {
        h->mtype = H5Dget_type(h->dset); /* raw bytes as stored: nothing to convert */
    } else {
        h->mtype = H5Tcopy(mem_value_type(s->layout.elem_size));
        cb_meta m;
        cb_meta_init(&m);
        get_meta(h->file, &s->layout, &m);
    }
    /* A dataset created with filters (by an earlier create, or another
     * tool): the transfers check() could not know of. */
    if (nfilters > 0 && opt->writable && filtered_write_refused(opt->io, err) < 0)
        return -1;
    if (opt->io == CB_IO_DIRECT) {
        /* H5Dread_chunk returns the chunk as stored, filtered. */
        if (nfilters > 0)
            return cb_fail(err, CB_EUSAGE, "--io direct moves raw chunks; dset is filtered and chunkbench does not unfilter them itself: use --io collective or independent");
        h->pad_bytes = (size_t)(s->layout.chunk[0] * s->layout.chunk[1]) * (size_t)s->layout.elem_size;
    }
    return 0;
}

/* Collective as the open: the store reads another dataset of its file, the
 * file's caches (page buffer, driver caches) and request log staying as
 * they are. A failure leaves no dataset open; close still works. */
static int h5_switch_dataset(cb_store *s, const cb_store_opts *opt, cb_err *err)
{
    quiet_hdf5();
    return open_dataset(s, opt, err);
}

static int h5_open(const cb_store_opts *opt, MPI_Comm comm, cb_store **out, cb_err *err)
{
    quiet_hdf5();
    cb_store *s = calloc(1, sizeof *s);
    h5_store *h = calloc(1, sizeof *h);
    if (!s || !h) {
        free(s);
        free(h);
        return cb_fail(err, CB_EIO, "out of memory");
    }
    s->ops = &cb_backend_hdf5;
    s->impl = h;
    h->io = opt->io;
    int writable = opt->writable;
    h->fsync = writable && opt->fsync;
    h->file = h->dset = h->fspace = h->dxpl = h->mtype = H5I_INVALID_HID;
    int rc = 0;
    /* A read through sec2/ros3: every rank alone, under the request log. */
    int solo = solo_driver(opt->driver);

    hid_t fapl;
    char name[4096];
    if (open_name(opt, name, sizeof name, NULL, err) < 0) {
        rc = -1;
        goto done;
    }
    if (opt->log_requests) {
        int rank;
        if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0) {
            rc = -1;
            goto done;
        }
        if (!(s->iolog = calloc(1, sizeof *s->iolog))) {
            rc = cb_fail(err, CB_EIO, "out of memory");
            goto done;
        }
        s->iolog->rank = rank;
    }
    if (solo) {
        if ((fapl = solo_fapl(opt, opt->driver, s->iolog, 1, err)) < 0) {
            rc = -1;
            goto done;
        }
    } else {
        if ((fapl = mpio_fapl(comm, opt->mpi_hints, err)) < 0) {
            rc = -1;
            goto done;
        }
        coll_metadata(fapl, opt);
        /* No file driver can sit on MPI-IO: its reads are taken below HDF5,
         * from the open on (as the logging driver does for sec2/ros3). */
        if (s->iolog) {
            cb_mpiio_log_begin(s->iolog);
            h->mpiio_log = 1;
        }
    }
    h->file = H5Fopen(name, writable && !solo ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl);
    if (h->file < 0)
        rc = h5_fail(err, "cannot open %s with %s", opt->target,
                     solo ? cb_driver_name(opt->driver) : "MPI-IO");
    H5Pclose(fapl);
    if (h->file < 0)
        goto done;
    if (!solo) {
        if (!(s->mpi_hints = calloc(1, sizeof *s->mpi_hints))) {
            rc = cb_fail(err, CB_EIO, "out of memory");
            goto done;
        }
        MPI_File fh = mpi_handle(h->file, err);
        if (fh == MPI_FILE_NULL || cb_hints_read(fh, s->mpi_hints, err) < 0) {
            rc = -1;
            goto done;
        }
    }
    if (open_dataset(s, opt, err) < 0) {
        rc = -1;
        goto done;
    }
    h->dxpl = H5Pcreate(H5P_DATASET_XFER);
    H5Pset_dxpl_mpio(h->dxpl, opt->io == CB_IO_COLLECTIVE ? H5FD_MPIO_COLLECTIVE : H5FD_MPIO_INDEPENDENT);
    s->lockstep = opt->io == CB_IO_COLLECTIVE;
    if (opt->io == CB_IO_COLLECTIVE) {
        if (opt->chunk_opt != CB_CHUNK_OPT_UNSET)
            H5Pset_dxpl_mpio_chunk_opt(h->dxpl, cb_h5_chunk_opt(opt->chunk_opt));
        h->count_coll = 1;
        s->coll.asked[opt->chunk_opt] = 1;
    }
#if H5_VERSION_GE(1, 14, 1)
    /* Several tasks a call, a hyperslab over several chunks: let 1.14 hand
     * all of its chunks to the driver in one vector request. */
    if (opt->tasks_per_call > 1)
        H5Pset_selection_io(h->dxpl, H5D_SELECTION_IO_MODE_ON);
#endif
done:
    if (rc < 0) {
        cb_err ignore = {0};
        s->ops->close(s, NULL, &ignore);
        return rc;
    }
    *out = s;
    return 0;
}

/* The task's selection in the file and its memory space; t == NULL takes part
 * in a collective call with nothing. */
static hid_t select_task(h5_store *h, const cb_task *t)
{
    if (!t) {
        hsize_t one[2] = {1, 1};
        hid_t m = H5Screate_simple(2, one, NULL);
        H5Sselect_none(m);
        H5Sselect_none(h->fspace);
        return m;
    }
    hsize_t start[2] = {(hsize_t)t->x, (hsize_t)t->y};
    hsize_t count[2] = {(hsize_t)t->nrow, (hsize_t)t->ncol};
    H5Sselect_hyperslab(h->fspace, H5S_SELECT_SET, start, NULL, count, NULL);
    /* A 1-D dataset is N x 1: its tasks have one column. */
    return H5Screate_simple(h->ndims ? h->ndims : 2, count, NULL);
}

/* Copy nrow rows of rowb bytes between buffers of different row strides. */
static void copy_rows(void *dst, size_t dst_stride, const void *src, size_t src_stride, int32_t nrow, size_t rowb)
{
    for (int32_t r = 0; r < nrow; r++)
        memcpy((char *)dst + (size_t)r * dst_stride, (const char *)src + (size_t)r * src_stride, rowb);
}

/* Whole-chunk transfer: H5Dwrite_chunk/H5Dread_chunk move a full chunk's bytes,
 * so an edge task is laid out with the chunk's row stride. */
static int is_whole_chunk(const cb_store *s, const cb_task *t)
{
    return t->nrow == s->layout.chunk[0] && t->ncol == s->layout.chunk[1];
}

static int check_direct(const cb_store *s, const cb_task *t, cb_err *err)
{
    if (t->x % s->layout.chunk[0] || t->y % s->layout.chunk[1] ||
        t->nrow > s->layout.chunk[0] || t->ncol > s->layout.chunk[1])
        return cb_fail(err, CB_EUSAGE,
                       "--io direct writes whole chunks, but task [%d:%d,%d:%d] is not one chunk; use block tasks (create ... block) or --io independent",
                       t->x, t->x + t->nrow, t->y, t->y + t->ncol);
    return 0;
}

static int h5_write_task(cb_store *s, const cb_task *t, const void *buf, cb_err *err)
{
    h5_store *h = s->impl;
    hid_t mt = mem_value_type(s->layout.elem_size);
    if (h->io == CB_IO_DIRECT) {
        if (check_direct(s, t, err) < 0)
            return -1;
        hsize_t off[2] = {(hsize_t)t->x, (hsize_t)t->y};
        const void *src = buf;
        if (!is_whole_chunk(s, t)) {
            if (!h->pad && !(h->pad = calloc(1, h->pad_bytes)))
                return cb_fail(err, CB_EIO, "out of memory");
            size_t es = (size_t)s->layout.elem_size, rowb = (size_t)t->ncol * es;
            copy_rows(h->pad, (size_t)s->layout.chunk[1] * es, buf, rowb, t->nrow, rowb);
            src = h->pad;
        }
        if (H5Dwrite_chunk(h->dset, h->dxpl, 0, off, h->pad_bytes, src) < 0)
            return h5_fail(err, "H5Dwrite_chunk failed");
        return 0;
    }
    hid_t mspace = select_task(h, t);
    herr_t rc = H5Dwrite(h->dset, mt, mspace, h->fspace, h->dxpl, buf);
    if (rc >= 0 && h->count_coll)
        cb_h5_coll_count(h->dxpl, &s->coll);
    if (rc < 0)
        h5_fail(err, "H5Dwrite of the task at x=%d, y=%d (%d x %d) failed", t ? t->x : 0, t ? t->y : 0,
                t ? t->nrow : 0, t ? t->ncol : 0);
    H5Sclose(mspace);
    if (rc < 0)
        return -1;
    return 0;
}

static int h5_read_task(cb_store *s, const cb_task *t, void *buf, cb_err *err)
{
    h5_store *h = s->impl;
    hid_t mt = h->mtype;
    if (h->io == CB_IO_DIRECT) {
        if (check_direct(s, t, err) < 0)
            return -1;
        hsize_t off[2] = {(hsize_t)t->x, (hsize_t)t->y};
        uint32_t filters = 0;
        int whole = is_whole_chunk(s, t);
        if (!whole && !h->pad && !(h->pad = calloc(1, h->pad_bytes)))
            return cb_fail(err, CB_EIO, "out of memory");
        if (read_chunk(h->dset, h->dxpl, off, &filters, whole ? buf : h->pad, h->pad_bytes) < 0)
            return h5_fail(err, "H5Dread_chunk failed");
        if (!whole) {
            size_t es = (size_t)s->layout.elem_size, rowb = (size_t)t->ncol * es;
            copy_rows(buf, rowb, h->pad, (size_t)s->layout.chunk[1] * es, t->nrow, rowb);
        }
        return 0;
    }
    hid_t mspace = select_task(h, t);
    herr_t rc = H5Dread(h->dset, mt, mspace, h->fspace, h->dxpl, buf);
    if (rc >= 0 && h->count_coll)
        cb_h5_coll_count(h->dxpl, &s->coll);
    if (rc < 0)
        h5_fail(err, "H5Dread of the task at x=%d, y=%d (%d x %d) failed", t ? t->x : 0, t ? t->y : 0,
                t ? t->nrow : 0, t ? t->ncol : 0);
    H5Sclose(mspace);
    if (rc < 0)
        return -1;
    return 0;
}

/* read --pattern: a strided hyperslab or a point list, in the file's
 * dimensions (a 1-D dataset, N x 1, takes the rows only). */
static int h5_read_sel(cb_store *s, const cb_sel *q, void *buf, cb_err *err)
{
    if (!q)
        return h5_read_task(s, NULL, buf, err);
    h5_store *h = s->impl;
    int nd = h->ndims ? h->ndims : 2;
    hsize_t mdims[2];
    herr_t rc;
    if (q->npoints) {
        hsize_t *coords = malloc((size_t)q->npoints * (size_t)nd * sizeof *coords);
        if (!coords)
            return cb_fail(err, CB_EIO, "out of memory for %lld points", (long long)q->npoints);
        for (int64_t k = 0; k < q->npoints; k++)
            for (int d = 0; d < nd; d++)
                coords[k * nd + d] = (hsize_t)q->points[2 * k + d];
        rc = H5Sselect_elements(h->fspace, H5S_SELECT_SET, (size_t)q->npoints, coords);
        free(coords);
        mdims[0] = (hsize_t)q->npoints;
        nd = 1;
    } else {
        hsize_t start[2] = {(hsize_t)q->start[0], (hsize_t)q->start[1]};
        hsize_t stride[2] = {(hsize_t)q->stride[0], (hsize_t)q->stride[1]};
        hsize_t count[2] = {(hsize_t)q->count[0], (hsize_t)q->count[1]};
        rc = H5Sselect_hyperslab(h->fspace, H5S_SELECT_SET, start, stride, count, NULL);
        mdims[0] = count[0];
        mdims[1] = count[1];
    }
    if (rc < 0)
        return h5_fail(err, "cannot select the pattern's selection at (%lld, %lld)", (long long)q->start[0],
                       (long long)q->start[1]);
    hid_t mspace = H5Screate_simple(nd, mdims, NULL);
    rc = H5Dread(h->dset, h->mtype, mspace, h->fspace, h->dxpl, buf);
    if (rc >= 0 && h->count_coll)
        cb_h5_coll_count(h->dxpl, &s->coll);
    H5Sclose(mspace);
    if (rc < 0)
        return h5_fail(err, "H5Dread of the selection at (%lld, %lld) (%lld elements) failed", (long long)q->start[0],
                       (long long)q->start[1], (long long)cb_sel_elements(q));
    return 0;
}

static int h5_close(cb_store *s, cb_net_stats *net, cb_err *err)
{
    h5_store *h = s->impl;
    int rc = 0;
    if (h) {
        if (h->mtype >= 0) H5Tclose(h->mtype);
        if (h->dxpl >= 0) H5Pclose(h->dxpl);
        if (h->fspace >= 0) H5Sclose(h->fspace);
        if (h->dset >= 0) H5Dclose(h->dset);
        /* H5Fflush ends in MPI_File_sync (fsync under ROMIO/OMPIO); H5Fclose
         * alone does not sync, so without it the figures are page-cache ones. */
        if (h->fsync && h->file >= 0 && H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0)
            rc = h5_fail(err, "cannot flush the file to storage (--fsync)");
        if (h->file >= 0 && H5Fclose(h->file) < 0 && rc == 0)
            rc = h5_fail(err, "cannot close the file");
        /* After the close: its reads are part of the run, as with sec2. */
        if (h->mpiio_log)
            cb_mpiio_log_end();
        free(h->pad);
        free(h);
    }
    cb_store_release(s, net);
    return rc;
}

/* ---- bookkeeping, one process, sec2 driver ---- */

/* The table's stored type has every field of row_type, each of its class
 * (HDF5 converts by name and leaves a field it cannot find unset). */
static int check_table_type(hid_t table, const cb_layout *lay, const char *target, const char *name, cb_err *err)
{
    hid_t ft = H5Dget_type(table), rt = row_type();
    char fix[1024];
    cb_table_fix(lay, target, fix, sizeof fix);
    int rc = 0;
    if (H5Tget_class(ft) != H5T_COMPOUND) {
        rc = cb_fail(err, CB_EUSAGE, "%s: %s is not a table of records (start, done, status, x, y, nrow, ncol, pod); recreate it with: %s (the data is written again)",
                     target, name, fix);
    } else {
        for (int i = 0; i < H5Tget_nmembers(rt) && rc == 0; i++) {
            char *field = H5Tget_member_name(rt, (unsigned)i);
            H5T_class_t want = H5Tget_member_class(rt, (unsigned)i);
            int k = H5Tget_member_index(ft, field);
            const char *kind = want == H5T_FLOAT ? "a float (f8)" : want == H5T_INTEGER ? "an integer (i4)" : "a fixed-length string (S40)";
            if (k < 0) {
                rc = cb_fail(err, CB_EUSAGE, "%s: %s has no field '%s' (chunkbench and the seed make start, done, status, x, y, nrow, ncol, pod); add it as %s, or recreate the table with: %s (the data is written again)",
                             target, name, field, kind, fix);
            } else {
                hid_t mt = H5Tget_member_type(ft, (unsigned)k);
                int ok = H5Tget_class(mt) == want && !(want == H5T_STRING && H5Tis_variable_str(mt) > 0);
                H5Tclose(mt);
                if (!ok)
                    rc = cb_fail(err, CB_EUSAGE, "%s: %s field '%s' is not %s; store it as %s, or recreate the table with: %s (the data is written again)",
                                 target, name, field, kind, kind, fix);
            }
            H5free_memory(field);
        }
    }
    H5Tclose(rt);
    H5Tclose(ft);
    return rc;
}

static int h5_load_table(const cb_store_opts *opt, cb_table *out, cb_err *err)
{
    quiet_hdf5();
    memset(out, 0, sizeof *out);
    cb_meta_init(&out->meta);
    hid_t file = open_lookup(opt, err);
    if (file < 0)
        return -1;
    out->meta.page_size = file_page_size(file);
    out->meta.file_size = file_bytes(file);
    int rc = 0;
    hid_t dset = H5I_INVALID_HID, table = H5I_INVALID_HID, rt = H5I_INVALID_HID;
    unsigned char *rows = NULL;
    if (H5Lexists(file, DSET_NAME, H5P_DEFAULT) <= 0 ||
        (H5Lexists(file, TABLE_NAME, H5P_DEFAULT) <= 0 && H5Lexists(file, SEED_TABLE_NAME, H5P_DEFAULT) <= 0)) {
        if (opt->name_datasets)
            rc = cb_fail(err, CB_EUSAGE, "%s is not a chunkbench file (no dset and task_list): name the datasets to read, e.g. chunkbench read %s /group/data",
                         opt->target, opt->target);
        else
            rc = cb_fail(err, CB_EUSAGE, "%s is not a chunkbench file (it needs datasets dset and task_list); create one with chunkbench create",
                         opt->target);
        goto done;
    }
    dset = H5Dopen2(file, DSET_NAME, H5P_DEFAULT);
    hid_t space = H5Dget_space(dset), ft = H5Dget_type(dset), dcpl = H5Dget_create_plist(dset);
    hsize_t dims[2] = {0, 0}, cdims[2] = {0, 0};
    int ndims = H5Sget_simple_extent_ndims(space);
    int chunked = H5Pget_layout(dcpl) == H5D_CHUNKED;
    H5T_class_t cls = H5Tget_class(ft);
    size_t esize = H5Tget_size(ft);
    if (ndims == 2) {
        H5Sget_simple_extent_dims(space, dims, NULL);
        if (chunked)
            H5Pget_chunk(dcpl, 2, cdims);
    }
    H5Sclose(space);
    H5Tclose(ft);
    H5Pclose(dcpl);
    if (ndims != 2 || !chunked || cls != H5T_FLOAT || (esize != 4 && esize != 8)) {
        rc = cb_fail(err, CB_EUSAGE, "%s: dset must be a 2-D chunked float32/float64 dataset", opt->target);
        goto done;
    }
    for (int d = 0; d < 2; d++) {
        out->layout.shape[d] = (int64_t)dims[d];
        out->layout.chunk[d] = (int64_t)cdims[d];
    }
    out->layout.elem_size = (int)esize;
    get_meta(file, &out->layout, &out->meta);
    if (out->meta.filters[0])
        out->meta.stored_bytes = (int64_t)H5Dget_storage_size(dset);

    const char *tname = H5Lexists(file, TABLE_NAME, H5P_DEFAULT) > 0 ? TABLE_NAME : SEED_TABLE_NAME;
    if ((table = H5Dopen2(file, tname, H5P_DEFAULT)) < 0) {
        rc = h5_fail(err, "cannot open the task table");
        goto done;
    }
    /* Checked before anything trusts it (core/table_check.h): shape and type
     * here, before the rows are read; the rows after. */
    hid_t tspace = H5Dget_space(table);
    int tdims = H5Sget_simple_extent_ndims(tspace);
    hsize_t n = 0, tshape[H5S_MAX_RANK];
    if (tdims >= 1)
        H5Sget_simple_extent_dims(tspace, tshape, NULL);
    H5Sclose(tspace);
    if (tdims != 1) {
        char fix[1024];
        cb_table_fix(&out->layout, opt->target, fix, sizeof fix);
        rc = cb_fail(err, CB_EUSAGE, "%s: %s has %d dimensions; it must be 1-D, one row per task; recreate the table with: %s (the data is written again)",
                     opt->target, tname, tdims, fix);
        goto done;
    }
    n = tshape[0];
    if (check_table_type(table, &out->layout, opt->target, tname, err) < 0 ||
        cb_table_check_size(&out->layout, n > (hsize_t)INT64_MAX ? INT64_MAX : (int64_t)n, opt->target, tname, err) < 0) {
        rc = -1;
        goto done;
    }
    rt = row_type();
    rows = calloc(n ? (size_t)n : 1, CB_ROW_BYTES);
    out->tasks = calloc(n ? n : 1, sizeof *out->tasks);
    if (!rows || !out->tasks) {
        rc = cb_fail(err, CB_EIO, "out of memory for %llu task rows", (unsigned long long)n);
        goto done;
    }
    /* HDF5 converts field by field by name, so a table with another field
     * order or padding (written by other tools) reads the same. */
    if (n && H5Dread(table, rt, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0) {
        rc = h5_fail(err, "cannot read task_list (does it have the fields start, done, status, x, y, nrow, ncol, pod?)");
        goto done;
    }
    for (hsize_t i = 0; i < n; i++)
        cb_task_unpack(rows + i * CB_ROW_BYTES, &out->tasks[i]);
    out->ntasks = (int64_t)n;
    rc = cb_table_check(out, opt->target, tname, err);
done:
    free(rows);
    if (rt >= 0) H5Tclose(rt);
    if (table >= 0) H5Dclose(table);
    if (dset >= 0) H5Dclose(dset);
    H5Fclose(file);
    if (rc < 0)
        cb_table_free(out);
    return rc;
}

/* HDF5's file lock refused the open: a reader (h5py, chunkbench read
 * --driver sec2) holds the file. */
static herr_t lock_walk(unsigned n, const H5E_error2_t *e, void *data)
{
    (void)n;
    if (e->desc && strstr(e->desc, "unable to lock file"))
        *(int *)data = 1;
    return 0;
}

static int lock_refused(void)
{
    int found = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, lock_walk, &found);
    return found;
}

/* How long a table save waits for readers to close the file:
 * CHUNKBENCH_SAVE_RETRY_S seconds (default 60; 0: no wait). */
static double save_retry_s(void)
{
    const char *s = getenv("CHUNKBENCH_SAVE_RETRY_S");
    char *end;
    double v = s ? strtod(s, &end) : 60;
    return s && (end == s || v < 0) ? 60 : v;
}

/* Open for writing the table, waiting (backoff 50 ms doubling to 1 s) while
 * a reader's lock refuses it. The lock itself stays on: it is what keeps a
 * reader from seeing a half-written table. */
static hid_t open_for_table(const char *path, cb_err *err)
{
    double limit = save_retry_s(), waited = 0, pause = 0.05;
    hid_t file;
    while ((file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT)) < 0 && lock_refused() && waited < limit) {
        if (waited == 0)
            fprintf(stderr, "chunkbench: %s is held open by a reader; retrying the task table save for up to %g s (CHUNKBENCH_SAVE_RETRY_S)\n",
                    path, limit);
        H5Eclear2(H5E_DEFAULT);
        double p = pause < limit - waited ? pause : limit - waited;
        struct timespec ts = {(time_t)p, (long)((p - (double)(time_t)p) * 1e9)};
        nanosleep(&ts, NULL);
        waited += p;
        pause = pause * 2 < 1 ? pause * 2 : 1;
    }
    if (file < 0) {
        char what[160];
        if (waited > 0)
            snprintf(what, sizeof what, "cannot open the file to record the task table (waited %g s for the reader)", waited);
        else
            snprintf(what, sizeof what, "cannot open the file to record the task table");
        h5_fail(err, what);
    }
    return file;
}

static int h5_save_table(const cb_store_opts *opt, const cb_table *tab, const int64_t *rows_changed, int64_t nchanged,
                         cb_err *err)
{
    /* Only this job writes a file's table, so the whole table is written back. */
    (void)rows_changed;
    (void)nchanged;
    quiet_hdf5();
    hid_t file = open_for_table(opt->target, err);
    if (file < 0)
        return -1;
    int rc = 0;
    const char *name = H5Lexists(file, TABLE_NAME, H5P_DEFAULT) > 0 ? TABLE_NAME : SEED_TABLE_NAME;
    hid_t table = H5Dopen2(file, name, H5P_DEFAULT);
    hid_t rt = row_type();
    unsigned char *rows = malloc(tab->ntasks ? (size_t)tab->ntasks * CB_ROW_BYTES : 1);
    if (!rows) {
        rc = cb_fail(err, CB_EIO, "out of memory");
    } else {
        for (int64_t i = 0; i < tab->ntasks; i++)
            cb_task_pack(&tab->tasks[i], rows + i * CB_ROW_BYTES);
        if (tab->ntasks && H5Dwrite(table, rt, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0)
            rc = h5_fail(err, "cannot write task_list");
    }
    free(rows);
    H5Tclose(rt);
    H5Dclose(table);
    if (rc == 0 && put_meta(file, &tab->layout, &tab->meta) < 0)
        rc = h5_fail(err, "cannot write run metadata attributes");
    if (H5Fclose(file) < 0 && rc == 0)
        rc = h5_fail(err, "cannot close the file");
    return rc;
}

/* Each chunk's bytes in storage, row-major: one B-tree lookup a chunk by
 * its offset (H5Dget_chunk_storage_size, HDF5 1.10.2+), where index-based
 * H5Dget_chunk_info walks the index for every call on 1.10. An unallocated
 * chunk counts 0. */
static int chunk_sizes(hid_t dset, cb_table *t, cb_err *err)
{
    const cb_layout *l = &t->layout;
    int64_t gr = (l->shape[0] + l->chunk[0] - 1) / l->chunk[0], gc = (l->shape[1] + l->chunk[1] - 1) / l->chunk[1];
    int64_t *v = calloc((size_t)(gr * gc > 0 ? gr * gc : 1), sizeof *v);
    if (!v)
        return cb_fail(err, CB_EIO, "out of memory for %lld chunk sizes", (long long)(gr * gc));
    for (int64_t i = 0; i < gr; i++)
        for (int64_t j = 0; j < gc; j++) {
            hsize_t off[2] = {(hsize_t)(i * l->chunk[0]), (hsize_t)(j * l->chunk[1])}, n = 0;
            if (H5Dget_chunk_storage_size(dset, off, &n) < 0)
                n = 0; /* not allocated (parallel HDF5 allocates every chunk at create) */
            v[i * gc + j] = (int64_t)n;
        }
    free(t->chunk_stored);
    t->chunk_stored = v;
    t->chunk_grid[0] = gr;
    t->chunk_grid[1] = gc;
    return 0;
}

/* One process, after a write: the bytes dset's chunks take in the file. */
static int h5_stored_bytes(const cb_store_opts *opt, cb_table *t, cb_err *err)
{
    quiet_hdf5();
    t->meta.stored_bytes = 0;
    hid_t file = open_lookup(opt, err);
    if (file < 0)
        return -1;
    hid_t dset = H5Dopen2(file, DSET_NAME, H5P_DEFAULT);
    int rc = dset < 0 ? h5_fail(err, "cannot open dataset dset of %s", opt->target) : 0;
    if (dset >= 0) {
        t->meta.stored_bytes = (int64_t)H5Dget_storage_size(dset);
        rc = chunk_sizes(dset, t, err);
        H5Dclose(dset);
    }
    if (H5Fclose(file) < 0 && rc == 0)
        rc = h5_fail(err, "cannot close %s", opt->target);
    return rc;
}

const cb_backend cb_backend_hdf5 = {
    .name = "hdf5",
    .caps = CB_CAP_DATASETS | CB_CAP_RAW_EXTENTS | CB_CAP_FILE_DRIVERS | CB_CAP_JOURNAL | CB_CAP_BATCH |
            CB_CAP_STORED_BYTES | CB_CAP_CHUNK_STORED | CB_CAP_SELECTIONS,
    .transport = NULL,
    .check = h5_check,
    .create = h5_create,
    .open = h5_open,
    .write_task = h5_write_task,
    .read_task = h5_read_task,
    .read_sel = h5_read_sel,
    .claim = NULL,
    .finish = NULL,
    .close = h5_close,
    .load_table = h5_load_table,
    .save_table = h5_save_table,
    .describe = h5_describe,
    .raw_extents = h5_raw_extents,
    .stored_bytes = h5_stored_bytes,
    .list_datasets = h5_list_datasets,
    .switch_dataset = h5_switch_dataset,
};
