#include "backends/hdf5/vfd_log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

/* What the file access list carries: the real driver's list, the sink and
 * the page buffer's size. */
typedef struct log_fa {
    hid_t inner;
    cb_iolog *log;
    size_t pb_bytes, page_size;
    int dry_raw; /* raw-data reads are logged, not done */
} log_fa;

/* One cached file page. */
typedef struct pb_page {
    haddr_t addr;
    size_t len;     /* valid bytes: a page may end at the end of the file */
    uint64_t used;  /* LRU stamp */
    unsigned char *data;
} pb_page;

typedef struct log_file {
    H5FD_t pub; /* first: HDF5 casts between H5FD_t * and this */
    H5FD_t *inner;
    log_fa fa;
    pb_page *pages;
    int npages, cap;
    uint64_t clock;
} log_file;

/* Largest address a signed 64-bit file offset reaches, as sec2 declares. */
#define LOG_MAXADDR (((haddr_t)1 << 63) - 1)

static void *fa_copy(const void *p)
{
    const log_fa *a = p;
    log_fa *b = malloc(sizeof *b);
    if (!b)
        return NULL;
    *b = *a;
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
    f->fa.pb_bytes = fa->pb_bytes;
    f->fa.page_size = fa->page_size;
    f->fa.dry_raw = fa->dry_raw;
    if (fa->pb_bytes && fa->page_size) {
        f->cap = (int)(fa->pb_bytes / fa->page_size);
        if (f->cap < 1)
            f->cap = 1;
        if (!(f->pages = calloc((size_t)f->cap, sizeof *f->pages))) {
            H5FDclose(in);
            H5Pclose(f->fa.inner);
            free(f);
            return NULL;
        }
    }
    return &f->pub;
}

static herr_t log_close(H5FD_t *file)
{
    log_file *f = (log_file *)file;
    herr_t rc = H5FDclose(f->inner);
    H5Pclose(f->fa.inner);
    for (int i = 0; i < f->npages; i++)
        free(f->pages[i].data);
    free(f->pages);
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

/* One request to the real driver, logged: what reaches storage. */
static herr_t inner_read(log_file *f, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t size, void *buf)
{
    double t0 = cb_now();
    herr_t rc = H5FDread(f->inner, type, dxpl, addr, size, buf);
    double t1 = cb_now();
    if (rc >= 0 && f->fa.log)
        cb_iolog_add(f->fa.log, (int64_t)addr, (int64_t)size, t0, t1,
                     type == H5FD_MEM_DRAW ? CB_REQ_DRAW : CB_REQ_META);
    return rc;
}

/* The page at `addr` (page-aligned) holding at least `need` bytes, from the
 * buffer or read whole, evicting the least recently used page when full.
 * NULL on a read error. */
static pb_page *get_page(log_file *f, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t need)
{
    pb_page *p = NULL;
    for (int i = 0; i < f->npages && !p; i++)
        if (f->pages[i].addr == addr)
            p = &f->pages[i];
    if (p && p->len >= need) {
        p->used = ++f->clock;
        return p;
    }
    /* A page cut short while HDF5 was still finding the end of the file (the
     * signature search sets a tiny end) is read again, longer. */
    if (!p && f->npages < f->cap) {
        p = &f->pages[f->npages];
        if (!(p->data = malloc(f->fa.page_size)))
            return NULL;
        f->npages++;
    } else if (!p) {
        p = &f->pages[0];
        for (int i = 1; i < f->npages; i++)
            if (f->pages[i].used < p->used)
                p = &f->pages[i];
    }
    /* A page past the end of the allocated space is cut there: HDF5 refuses
     * reads beyond it. */
    haddr_t eoa = H5FDget_eoa(f->inner, type);
    size_t len = f->fa.page_size;
    if (eoa != HADDR_UNDEF && addr + len > eoa)
        len = eoa > addr ? (size_t)(eoa - addr) : 0;
    p->addr = HADDR_UNDEF;
    if (len && inner_read(f, type, dxpl, addr, len, p->data) < 0)
        return NULL;
    p->addr = addr;
    p->len = len;
    p->used = ++f->clock;
    return p;
}

static herr_t log_read(H5FD_t *file, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t size, void *buf)
{
    log_file *f = (log_file *)file;
    if (f->fa.dry_raw && type == H5FD_MEM_DRAW) {
        /* Where HDF5 would read is the answer; buf is the caller's to discard. */
        if (f->fa.log)
            cb_iolog_add(f->fa.log, (int64_t)addr, (int64_t)size, 0, 0, CB_REQ_DRAW);
        return 0;
    }
    size_t ps = f->fa.page_size;
    /* Without a page buffer, or for a request of a page or more (which HDF5's
     * own page buffer also sends straight through), one request. */
    if (!f->cap || size >= ps)
        return inner_read(f, type, dxpl, addr, size, buf);
    unsigned char *out = buf;
    while (size > 0) {
        haddr_t base = addr - addr % ps;
        size_t off = (size_t)(addr - base), n = ps - off < size ? ps - off : size;
        pb_page *p = get_page(f, type, dxpl, base, off + n);
        if (!p)
            return -1;
        if (off + n > p->len)
            return -1; /* beyond the end of the file: the real driver would refuse too */
        memcpy(out, p->data + off, n);
        out += n;
        addr += n;
        size -= n;
    }
    return 0;
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

#ifdef H5FD_CLASS_VERSION
/* 1.14's vector entry points (selection I/O reaches them too, translated by
 * HDF5 into vectors when a driver has no selection call). Each request goes
 * through the single-request path, so it is logged and page-buffered the
 * same way. A size of 0 or a type of H5FD_MEM_NOLIST means "as the one
 * before, for the rest", as H5FDdevelop.h defines. */
static herr_t log_read_vector(H5FD_t *file, hid_t dxpl, uint32_t count, H5FD_mem_t types[], haddr_t addrs[],
                              size_t sizes[], void *bufs[])
{
    H5FD_mem_t type = H5FD_MEM_DEFAULT;
    size_t size = 0;
    int fixed_type = 0, fixed_size = 0;
    for (uint32_t i = 0; i < count; i++) {
        if (!fixed_type && types[i] == H5FD_MEM_NOLIST)
            fixed_type = 1;
        if (!fixed_type)
            type = types[i];
        if (!fixed_size && sizes[i] == 0)
            fixed_size = 1;
        if (!fixed_size)
            size = sizes[i];
        if (log_read(file, type, dxpl, addrs[i], size, bufs[i]) < 0)
            return -1;
    }
    return 0;
}

static herr_t log_write_vector(H5FD_t *file, hid_t dxpl, uint32_t count, H5FD_mem_t types[], haddr_t addrs[],
                               size_t sizes[], const void *bufs[])
{
    return H5FDwrite_vector(((log_file *)file)->inner, dxpl, count, types, addrs, sizes, bufs);
}

/* Driver queries (MPI communicator, terminal driver, ...) are the real driver's to answer. */
static herr_t log_ctl(H5FD_t *file, uint64_t op, uint64_t flags, const void *in, void **out)
{
    return H5FDctl(((log_file *)file)->inner, op, flags, in, out);
}

static herr_t log_delete(const char *name, hid_t fapl)
{
    const log_fa *fa = H5Pget_driver_info(fapl);
    return fa ? H5FDdelete(name, fa->inner) : -1;
}
#endif

/* Designated initialisers, so one table fits every release's layout; the
 * fields 1.14 added (a class version it checks, a driver value) and its new
 * entry points are set where the headers have them. */
static const H5FD_class_t log_class = {
#ifdef H5FD_CLASS_VERSION
    .version = H5FD_CLASS_VERSION,
    .value = 459, /* 256-511: values for drivers outside The HDF Group's registry */
    .read_vector = log_read_vector,
    .write_vector = log_write_vector,
    .ctl = log_ctl,
    .del = log_delete,
#endif
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

/* Registered once per process; HDF5 keeps the class until H5close. */
static int set_driver(hid_t fapl, const log_fa *fa, cb_err *err)
{
    if (log_driver < 0 || H5Iis_valid(log_driver) <= 0)
        log_driver = H5FDregister(&log_class);
    if (log_driver < 0)
        return cb_fail(err, CB_EIO, "cannot register the request-log file driver with HDF5");
    if (H5Pset_driver(fapl, log_driver, fa) < 0)
        return cb_fail(err, CB_EIO, "cannot set the request-log file driver");
    return 0;
}

int cb_vfd_log_set(hid_t fapl, hid_t inner_fapl, cb_iolog *log, size_t pb_bytes, size_t page_size, cb_err *err)
{
    log_fa fa = {inner_fapl, log, pb_bytes, page_size, 0};
    return set_driver(fapl, &fa, err);
}

int cb_vfd_log_set_dry(hid_t fapl, hid_t inner_fapl, cb_iolog *log, cb_err *err)
{
    log_fa fa = {inner_fapl, log, 0, 0, 1};
    return set_driver(fapl, &fa, err);
}
