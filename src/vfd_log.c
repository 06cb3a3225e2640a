#include "chunkbench/vfd_log.h"

#include <stdlib.h>
#include <string.h>

#include "chunkbench/clock.h"

/* What the file access list carries: the real driver's list and the sink. */
typedef struct log_fa {
    hid_t inner;
    cb_iolog *log;
} log_fa;

typedef struct log_file {
    H5FD_t pub; /* first: HDF5 casts between H5FD_t * and this */
    H5FD_t *inner;
    log_fa fa;
} log_file;

/* Largest address a signed 64-bit file offset reaches, as sec2 declares. */
#define LOG_MAXADDR (((haddr_t)1 << 63) - 1)

static void *fa_copy(const void *p)
{
    const log_fa *a = p;
    log_fa *b = malloc(sizeof *b);
    if (!b)
        return NULL;
    b->log = a->log;
    b->inner = H5Pcopy(a->inner);
    if (b->inner < 0) {
        free(b);
        return NULL;
    }
    return b;
}

static herr_t fa_free(void *p)
{
    log_fa *a = p;
    if (a) {
        H5Pclose(a->inner);
        free(a);
    }
    return 0;
}

static void *fa_get(H5FD_t *f)
{
    return fa_copy(&((log_file *)f)->fa);
}

static H5FD_t *log_open(const char *name, unsigned flags, hid_t fapl, haddr_t maxaddr)
{
    const log_fa *fa = H5Pget_driver_info(fapl);
    if (!fa)
        return NULL;
    H5FD_t *in = H5FDopen(name, flags, fa->inner, maxaddr);
    if (!in)
        return NULL;
    log_file *f = calloc(1, sizeof *f);
    if (!f || (f->fa.inner = H5Pcopy(fa->inner)) < 0) {
        H5FDclose(in);
        free(f);
        return NULL;
    }
    f->inner = in;
    f->fa.log = fa->log;
    return &f->pub;
}

static herr_t log_close(H5FD_t *file)
{
    log_file *f = (log_file *)file;
    herr_t rc = H5FDclose(f->inner);
    H5Pclose(f->fa.inner);
    free(f);
    return rc;
}

static int log_cmp(const H5FD_t *a, const H5FD_t *b)
{
    return H5FDcmp(((const log_file *)a)->inner, ((const log_file *)b)->inner);
}

static herr_t log_query(const H5FD_t *file, unsigned long *flags)
{
    /* The real driver's features, so HDF5 treats the stack as it would the
     * driver alone (metadata accumulation, sieving, page buffer rules). */
    if (!file) {
        *flags = 0;
        return 0;
    }
    return H5FDquery(((const log_file *)file)->inner, flags) < 0 ? -1 : 0;
}

static haddr_t log_get_eoa(const H5FD_t *file, H5FD_mem_t type)
{
    return H5FDget_eoa(((const log_file *)file)->inner, type);
}

static herr_t log_set_eoa(H5FD_t *file, H5FD_mem_t type, haddr_t addr)
{
    return H5FDset_eoa(((log_file *)file)->inner, type, addr);
}

static haddr_t log_get_eof(const H5FD_t *file, H5FD_mem_t type)
{
    return H5FDget_eof(((const log_file *)file)->inner, type);
}

static herr_t log_get_handle(H5FD_t *file, hid_t fapl, void **handle)
{
    return H5FDget_vfd_handle(((log_file *)file)->inner, fapl, handle);
}

static herr_t log_read(H5FD_t *file, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t size, void *buf)
{
    log_file *f = (log_file *)file;
    double t0 = cb_now();
    herr_t rc = H5FDread(f->inner, type, dxpl, addr, size, buf);
    double t1 = cb_now();
    if (rc >= 0 && f->fa.log)
        cb_iolog_add(f->fa.log, (int64_t)addr, (int64_t)size, t0, t1,
                     type == H5FD_MEM_DRAW ? CB_REQ_DRAW : CB_REQ_META);
    return rc;
}

static herr_t log_write(H5FD_t *file, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t size, const void *buf)
{
    return H5FDwrite(((log_file *)file)->inner, type, dxpl, addr, size, buf);
}

static herr_t log_flush(H5FD_t *file, hid_t dxpl, hbool_t closing)
{
    return H5FDflush(((log_file *)file)->inner, dxpl, closing);
}

static herr_t log_truncate(H5FD_t *file, hid_t dxpl, hbool_t closing)
{
    return H5FDtruncate(((log_file *)file)->inner, dxpl, closing);
}

static herr_t log_lock(H5FD_t *file, hbool_t rw)
{
    return H5FDlock(((log_file *)file)->inner, rw);
}

static herr_t log_unlock(H5FD_t *file)
{
    return H5FDunlock(((log_file *)file)->inner);
}

static const H5FD_class_t log_class = {
    .name = "chunkbench_log",
    .maxaddr = LOG_MAXADDR,
    .fc_degree = H5F_CLOSE_WEAK,
    .fapl_size = sizeof(log_fa),
    .fapl_get = fa_get,
    .fapl_copy = fa_copy,
    .fapl_free = fa_free,
    .open = log_open,
    .close = log_close,
    .cmp = log_cmp,
    .query = log_query,
    .get_eoa = log_get_eoa,
    .set_eoa = log_set_eoa,
    .get_eof = log_get_eof,
    .get_handle = log_get_handle,
    .read = log_read,
    .write = log_write,
    .flush = log_flush,
    .truncate = log_truncate,
    .lock = log_lock,
    .unlock = log_unlock,
    .fl_map = H5FD_FLMAP_DICHOTOMY,
};

static hid_t log_driver = H5I_INVALID_HID;

int cb_vfd_log_set(hid_t fapl, hid_t inner_fapl, cb_iolog *log, cb_err *err)
{
    /* Registered once per process; HDF5 keeps the class until H5close. */
    if (log_driver < 0 || H5Iis_valid(log_driver) <= 0)
        log_driver = H5FDregister(&log_class);
    if (log_driver < 0)
        return cb_fail(err, CB_EIO, "cannot register the request-log file driver with HDF5");
    log_fa fa = {inner_fapl, log};
    if (H5Pset_driver(fapl, log_driver, &fa) < 0)
        return cb_fail(err, CB_EIO, "cannot set the request-log file driver");
    return 0;
}
