#include "backends/hdf5/vfd_curl.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/clock.h"
#include "core/prefault.h"
#include "core/rangecache.h"

/* What the file access list carries. */
typedef struct curl_fa {
    cb_http_cache cache;
    int64_t block;
    cb_iolog *log;
    int sign;
    cb_s3_creds creds;
} curl_fa;

typedef struct curl_file {
    H5FD_t pub; /* first: HDF5 casts between H5FD_t * and this */
    CURL *h;
    struct curl_slist *headers;
    char *url;
    curl_fa fa;
    haddr_t eoa;
    int64_t size;
    cb_rcache cache;
    int kind;   /* what the read being served is for, for the log */
    int pushed; /* a fetch has put its reason on HDF5's error stack */
} curl_file;

/* Largest address a signed 64-bit offset reaches, as sec2 and ros3 declare. */
#define CURL_MAXADDR (((haddr_t)1 << 63) - 1)

/* Seconds to connect, and the slowest transfer (1 byte/s for 30 s) before a
 * request is given up: a dead or stuck server cannot hang a run, and a
 * large 'all' fetch is not cut off by a fixed total. */
#define CONNECT_TIMEOUT_S 10L
#define STALL_TIME_S 30L
#define CURL_BUFFER_BYTES (512L * 1024)

/* Cache type none keeps the file's first 4 KiB, fetched by HDF5's first read
 * at open (the signature at 0): the one exception to 'no cache'. HDF5 reads
 * the superblock in pieces whose split depends on its version (1.10 reads a
 * version 2/3 superblock as bytes 0-15, then 16-47; 2.0, as h5py's wheel
 * has, 0-47 at once), so without it the same open of the same file is one
 * GET more than h5py + fsspec's. 4 KiB holds any superblock (v0-v3) and the
 * root group's early metadata: on the ATL06-like layouts and chunkbench's
 * own files it made the fewest requests of 512 B..4 KiB (6 fewer than
 * fsspec's none on the ATL06-like ones), fetching at most 2 KB more than
 * fsspec's, most often less (HDF5's small overlapping reads there are no
 * longer sent one by one); 8 KiB saved 0-2 more for up to 6 KB more.
 * The other types already take the file's start in their first request
 * (their blocks), or split as fsspec's do whatever HDF5's reads. */
#define OPEN_PREFIX ((int64_t)4096)

static void fa_wipe(curl_fa *a)
{
    memset(&a->creds, 0, sizeof a->creds); /* no copy of the secret left behind */
}

static void *fa_copy(const void *p)
{
    curl_fa *b = malloc(sizeof *b);
    if (b)
        *b = *(const curl_fa *)p;
    return b;
}

static herr_t fa_free(void *p)
{
    if (p) {
        fa_wipe(p);
        free(p);
    }
    return 0;
}

static void *fa_get(H5FD_t *f)
{
    return fa_copy(&((curl_file *)f)->fa);
}

/* The driver's reason on HDF5's error stack: the backend reports the
 * innermost message (h5_fail) after its own, which names the target, so
 * this is the reason alone. */
#define PUSH(...) H5Epush2(H5E_DEFAULT, __FILE__, __func__, __LINE__, H5E_ERR_CLS, H5E_VFL, H5E_READERROR, __VA_ARGS__)

/* A failed transfer or an unexpected status, as one line. */
static void push_http(const curl_file *f, CURLcode rc, const char *why, long status, const char *what)
{
    if (rc != CURLE_OK)
        PUSH("%s", *why ? why : curl_easy_strerror(rc));
    else if (status == 404)
        PUSH("the server answered 404 (not found); check the URL");
    else if (status == 403)
        PUSH("the server answered 403 (forbidden)%s",
             f->fa.sign ? "; check the keys and the region" : "; a private object needs keys (AWS_ACCESS_KEY_ID or a profile)");
    else if (status == 200)
        PUSH("the server ignores range requests (answered 200 to a ranged GET); the curl driver needs HTTP range "
             "support (206)");
    else
        PUSH("the server answered %ld to %s", status, what);
}

typedef struct sink {
    unsigned char *p;
    size_t want, got;
} sink;

static size_t take(char *data, size_t size, size_t nmemb, void *user)
{
    sink *s = user;
    size_t n = size * nmemb;
    if (n > s->want - s->got)
        return 0; /* more than asked (Range ignored): stop the transfer */
    memcpy(s->p + s->got, data, n);
    s->got += n;
    return n;
}

/* One ranged GET: the cache's fetch function. */
static int fetch(void *ctx, int64_t offset, int64_t size, void *buf, int fresh, cb_err *err)
{
    curl_file *f = ctx;
    char range[64], why[CURL_ERROR_SIZE] = "";
    snprintf(range, sizeof range, "%lld-%lld", (long long)offset, (long long)(offset + size - 1));
    sink s = {buf, (size_t)size, 0};
    curl_easy_setopt(f->h, CURLOPT_RANGE, range);
    curl_easy_setopt(f->h, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(f->h, CURLOPT_ERRORBUFFER, why);
    double t0 = cb_now();
    cb_prefault pf;
    cb_prefault_begin(&pf, buf, fresh ? (size_t)size : 0); /* new blocks, the whole file of 'all' */
    CURLcode rc = curl_easy_perform(f->h);
    cb_prefault_end(&pf);
    double t1 = cb_now();
    long status = 0;
    curl_easy_getinfo(f->h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_setopt(f->h, CURLOPT_ERRORBUFFER, NULL);
    if (f->fa.log)
        cb_iolog_add(f->fa.log, offset, size, t0, t1, f->kind);
    if (rc == CURLE_WRITE_ERROR && status != 206 && status != 0)
        rc = CURLE_OK; /* we stopped it: the whole file (200) or an error page longer than the range was coming */
    if (rc != CURLE_OK || status != 206) {
        push_http(f, rc, why, status, "a ranged GET");
        f->pushed = 1;
        return cb_fail(err, CB_EIO, "ranged GET failed");
    }
    if (s.got != s.want) {
        PUSH("the server sent %zu of the %zu bytes asked for at %lld", s.got, s.want, (long long)offset);
        f->pushed = 1;
        return cb_fail(err, CB_EIO, "short read");
    }
    return 0;
}

static size_t discard(char *data, size_t size, size_t nmemb, void *user)
{
    (void)data;
    (void)user;
    return size * nmemb;
}

/* The total of a Content-Range header ("bytes 0-0/TOTAL"), into *(int64_t *)user. */
static size_t range_total(char *line, size_t size, size_t nmemb, void *user)
{
    size_t n = size * nmemb;
    static const char key[] = "content-range:";
    if (n > sizeof key && !strncasecmp(line, key, sizeof key - 1)) {
        const char *slash = memchr(line, '/', n);
        if (slash && slash[1] >= '0' && slash[1] <= '9')
            *(int64_t *)user = strtoll(slash + 1, NULL, 10);
    }
    return n;
}

/* The size from a GET of byte 0 (its Content-Range), for a server that
 * refuses HEAD (405; an S3 URL presigned for GET answers 403). One logged request. */
static int size_by_get(curl_file *f)
{
    unsigned char b[1];
    int64_t total = -1;
    curl_easy_setopt(f->h, CURLOPT_HEADERFUNCTION, range_total);
    curl_easy_setopt(f->h, CURLOPT_HEADERDATA, &total);
    cb_err err = {0};
    int rc = fetch(f, 0, 1, b, 0, &err);
    curl_easy_setopt(f->h, CURLOPT_HEADERFUNCTION, NULL);
    curl_easy_setopt(f->h, CURLOPT_HEADERDATA, NULL);
    if (rc < 0)
        return -1;
    if (total < 0) {
        PUSH("the server gave the file's size neither to a HEAD nor in the Content-Range of a ranged GET");
        return -1;
    }
    f->size = total;
    return 0;
}

/* The file's size: a HEAD (else size_by_get). */
static int head(curl_file *f)
{
    char why[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(f->h, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(f->h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(f->h, CURLOPT_ERRORBUFFER, why);
    CURLcode rc = curl_easy_perform(f->h);
    long status = 0;
    curl_off_t len = -1;
    curl_easy_getinfo(f->h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(f->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &len);
    curl_easy_setopt(f->h, CURLOPT_ERRORBUFFER, NULL);
    /* From here on, GETs with the body into the caller's buffer. */
    curl_easy_setopt(f->h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(f->h, CURLOPT_WRITEFUNCTION, take);
    if (rc == CURLE_OK && (status == 405 || status == 403 || (status == 200 && len < 0)))
        return size_by_get(f);
    if (rc != CURLE_OK || status != 200) {
        push_http(f, rc, why, status, "a HEAD");
        return -1;
    }
    f->size = (int64_t)len;
    return 0;
}

static int setup(curl_file *f)
{
    CURL *h = f->h;
    curl_easy_setopt(h, CURLOPT_URL, f->url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, STALL_TIME_S);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    /* Block and whole-file GETs are megabytes: libcurl's 16 KiB receive
     * buffer made one read(2) and one callback each 16 KiB. */
    curl_easy_setopt(h, CURLOPT_BUFFERSIZE, CURL_BUFFER_BYTES);
    /* Bytes as stored: a compressed answer would not be the range asked for. */
    curl_easy_setopt(h, CURLOPT_HTTP_CONTENT_DECODING, 0L);
    if (!f->fa.sign)
        return 0;
#if LIBCURL_VERSION_NUM >= 0x074b00 /* 7.75.0: CURLOPT_AWS_SIGV4 */
    const cb_s3_creds *c = &f->fa.creds;
    char sigv4[96], userpwd[300];
    snprintf(sigv4, sizeof sigv4, "aws:amz:%s:s3", c->region[0] ? c->region : "us-east-1");
    snprintf(userpwd, sizeof userpwd, "%s:%s", c->key_id, c->secret);
    curl_easy_setopt(h, CURLOPT_AWS_SIGV4, sigv4);
    curl_easy_setopt(h, CURLOPT_USERPWD, userpwd); /* libcurl keeps its own copy */
    memset(userpwd, 0, sizeof userpwd);
    /* S3 wants the payload's hash signed; a GET has none to sign. */
    struct curl_slist *l = curl_slist_append(NULL, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
    if (l && c->token[0]) {
        char tok[sizeof c->token + 32];
        snprintf(tok, sizeof tok, "x-amz-security-token: %s", c->token);
        struct curl_slist *m = curl_slist_append(l, tok);
        memset(tok, 0, sizeof tok);
        if (!m) {
            curl_slist_free_all(l);
            l = NULL;
        }
    }
    if (!l) {
        PUSH("out of memory");
        return -1;
    }
    f->headers = l;
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, l);
    return 0;
#else
    PUSH("signed requests need libcurl 7.75.0 or newer (CURLOPT_AWS_SIGV4)");
    return -1;
#endif
}

static void file_free(curl_file *f)
{
    if (f->h)
        curl_easy_cleanup(f->h);
    curl_slist_free_all(f->headers); /* may hold the session token */
    cb_rcache_free(&f->cache);
    fa_wipe(&f->fa);
    free(f->url);
    free(f);
}

static H5FD_t *c_open(const char *name, unsigned flags, hid_t fapl, haddr_t maxaddr)
{
    (void)maxaddr;
    const curl_fa *fa = H5Pget_driver_info(fapl);
    if (!fa)
        return NULL;
    if (flags & (H5F_ACC_RDWR | H5F_ACC_CREAT | H5F_ACC_TRUNC)) {
        PUSH("the curl driver is read-only");
        return NULL;
    }
    curl_file *f = calloc(1, sizeof *f);
    if (!f || !(f->url = strdup(name)) || !(f->h = curl_easy_init())) {
        if (f)
            file_free(f);
        PUSH("cannot start libcurl");
        return NULL;
    }
    f->fa = *fa;
    f->kind = CB_REQ_META;
    cb_err err = {0};
    if (setup(f) < 0 || head(f) < 0 ||
        cb_rcache_init(&f->cache, fa->cache, fa->block, CB_RCACHE_MAX_BLOCKS,
                       fa->cache == CB_HTTP_CACHE_NONE ? OPEN_PREFIX : 0, f->size, fetch, f, &err) < 0) {
        if (err.msg[0])
            PUSH("%s", err.msg);
        file_free(f);
        return NULL;
    }
    return &f->pub;
}

static herr_t c_close(H5FD_t *file)
{
    file_free((curl_file *)file);
    return 0;
}

static int c_cmp(const H5FD_t *a, const H5FD_t *b)
{
    return strcmp(((const curl_file *)a)->url, ((const curl_file *)b)->url);
}

static herr_t c_query(const H5FD_t *file, unsigned long *flags)
{
    (void)file;
    *flags = H5FD_FEAT_DATA_SIEVE; /* as ros3: HDF5 may sieve small raw reads */
    return 0;
}

static haddr_t c_get_eoa(const H5FD_t *file, H5FD_mem_t type)
{
    (void)type;
    return ((const curl_file *)file)->eoa;
}

static herr_t c_set_eoa(H5FD_t *file, H5FD_mem_t type, haddr_t addr)
{
    (void)type;
    ((curl_file *)file)->eoa = addr;
    return 0;
}

static haddr_t c_get_eof(const H5FD_t *file, H5FD_mem_t type)
{
    (void)type;
    return (haddr_t)((const curl_file *)file)->size;
}

static herr_t c_get_handle(H5FD_t *file, hid_t fapl, void **handle)
{
    (void)fapl;
    *handle = ((curl_file *)file)->h;
    return 0;
}

static herr_t c_read(H5FD_t *file, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t size, void *buf)
{
    (void)dxpl;
    curl_file *f = (curl_file *)file;
    f->kind = type == H5FD_MEM_DRAW ? CB_REQ_DRAW : CB_REQ_META;
    cb_err err = {0};
    f->pushed = 0;
    if (cb_rcache_read(&f->cache, (int64_t)addr, (int64_t)size, buf, &err) < 0) {
        /* A fetch has pushed its reason already; the cache's own (past the end, no memory) is pushed here. */
        if (!f->pushed)
            PUSH("%s", err.msg);
        return -1;
    }
    return 0;
}

static herr_t c_write(H5FD_t *file, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t size, const void *buf)
{
    (void)file, (void)type, (void)dxpl, (void)addr, (void)size, (void)buf;
    PUSH("the curl driver is read-only");
    return -1;
}

/* Designated initialisers, so one table fits HDF5 1.10's layout and 1.14's
 * (a class version it checks and a driver value). Entry points not set are
 * ones HDF5 does without (1.14 turns vector reads into single reads). */
static const H5FD_class_t curl_class = {
#ifdef H5FD_CLASS_VERSION
    .version = H5FD_CLASS_VERSION,
    .value = 460, /* 256-511: values for drivers outside The HDF Group's registry (vfd_log.c has 459) */
#endif
    .name = "chunkbench_curl",
    .maxaddr = CURL_MAXADDR,
    .fc_degree = H5F_CLOSE_WEAK,
    .fapl_size = sizeof(curl_fa),
    .fapl_get = fa_get,
    .fapl_copy = fa_copy,
    .fapl_free = fa_free,
    .open = c_open,
    .close = c_close,
    .cmp = c_cmp,
    .query = c_query,
    .get_eoa = c_get_eoa,
    .set_eoa = c_set_eoa,
    .get_eof = c_get_eof,
    .get_handle = c_get_handle,
    .read = c_read,
    .write = c_write,
    .fl_map = H5FD_FLMAP_DICHOTOMY,
};

static hid_t curl_driver = H5I_INVALID_HID;

int cb_vfd_curl_set(hid_t fapl, const cb_vfd_curl_opts *o, cb_err *err)
{
    curl_fa fa;
    memset(&fa, 0, sizeof fa);
    fa.cache = o->cache;
    fa.block = o->block;
    fa.log = o->log;
    fa.sign = o->creds && o->creds->key_id[0];
    if (fa.sign) {
#if LIBCURL_VERSION_NUM < 0x074b00
        return cb_fail(err, CB_EUSAGE, "keys were found (%s), but this libcurl (%s) cannot sign requests "
                       "(CURLOPT_AWS_SIGV4 needs 7.75.0): unset them for an anonymous read, or use --driver ros3",
                       o->creds->from, LIBCURL_VERSION);
#endif
        fa.creds = *o->creds;
    }
    /* Registered once per process; HDF5 keeps the class until H5close. */
    if (curl_driver < 0 || H5Iis_valid(curl_driver) <= 0)
        curl_driver = H5FDregister(&curl_class);
    int rc = 0;
    if (curl_driver < 0)
        rc = cb_fail(err, CB_EIO, "cannot register the curl file driver with HDF5");
    else if (H5Pset_driver(fapl, curl_driver, &fa) < 0)
        rc = cb_fail(err, CB_EIO, "cannot set the curl file driver");
    fa_wipe(&fa);
    return rc;
}
