/* The request-log file driver on the HDF5 it is built against: it registers,
 * a single read is logged with its kind, the page buffer turns small reads
 * into one page read, and (HDF5 1.14+) the vector entry point logs each
 * request, with H5FDdevelop.h's "0 size / NOLIST type: as before" rule. No
 * MPI: the driver sits on sec2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/hdf5/vfd_log.h"

static int failures;
#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);      \
            failures++;                                                                    \
        }                                                                                  \
    } while (0)

#define FILE_BYTES 16384

static unsigned char byte_at(haddr_t a) { return (unsigned char)(a * 7 + 3); }

/* The file under the logging driver (page buffer of pb bytes in 4 KiB pages
 * when pb > 0), its whole length addressable. */
static H5FD_t *open_logged(const char *path, cb_iolog *log, size_t pb)
{
    hid_t inner = H5Pcreate(H5P_FILE_ACCESS), fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fapl_sec2(inner);
    cb_err err = {0};
    int rc = cb_vfd_log_set(fapl, inner, log, pb, 4096, &err);
    CHECK(rc == 0);
    if (rc)
        fprintf(stderr, "  %s\n", err.msg);
    H5FD_t *f = rc ? NULL : H5FDopen(path, H5F_ACC_RDONLY, fapl, HADDR_UNDEF);
    H5Pclose(inner);
    H5Pclose(fapl);
    CHECK(f != NULL);
    if (f)
        CHECK(H5FDset_eoa(f, H5FD_MEM_DEFAULT, FILE_BYTES) >= 0);
    return f;
}

static int bytes_ok(const unsigned char *b, haddr_t addr, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i] != byte_at(addr + i))
            return 0;
    return 1;
}

int main(void)
{
    char path[] = "/tmp/cb_vfd_log_XXXXXX";
    int fd = mkstemp(path);
    unsigned char data[FILE_BYTES], buf[FILE_BYTES];
    for (haddr_t a = 0; a < FILE_BYTES; a++)
        data[a] = byte_at(a);
    CHECK(fd >= 0 && write(fd, data, sizeof data) == (ssize_t)sizeof data);
    close(fd);

    cb_iolog log = {0};
    H5FD_t *f = open_logged(path, &log, 0);
    if (f) {
        CHECK(H5FDread(f, H5FD_MEM_DRAW, H5P_DEFAULT, 100, 50, buf) >= 0 && bytes_ok(buf, 100, 50));
        CHECK(H5FDread(f, H5FD_MEM_OHDR, H5P_DEFAULT, 5000, 8, buf) >= 0 && bytes_ok(buf, 5000, 8));
        CHECK(log.n == 2);
        if (log.n == 2) {
            CHECK(log.v[0].offset == 100 && log.v[0].size == 50 && log.v[0].kind == CB_REQ_DRAW);
            CHECK(log.v[1].offset == 5000 && log.v[1].size == 8 && log.v[1].kind == CB_REQ_META);
            CHECK(log.v[0].end >= log.v[0].start && log.v[0].start > 0);
        }
#ifdef H5FD_CLASS_VERSION
        /* Three requests; the last repeats the second's size and type. */
        H5FD_mem_t types[3] = {H5FD_MEM_DRAW, H5FD_MEM_SUPER, H5FD_MEM_NOLIST};
        haddr_t addrs[3] = {0, 8000, 12000};
        size_t sizes[3] = {10, 20, 0};
        unsigned char b0[10], b1[20], b2[20];
        void *bufs[3] = {b0, b1, b2};
        log.n = 0;
        CHECK(H5FDread_vector(f, H5P_DEFAULT, 3, types, addrs, sizes, bufs) >= 0);
        CHECK(bytes_ok(b0, 0, 10) && bytes_ok(b1, 8000, 20) && bytes_ok(b2, 12000, 20));
        CHECK(log.n == 3);
        if (log.n == 3) {
            CHECK(log.v[0].offset == 0 && log.v[0].size == 10 && log.v[0].kind == CB_REQ_DRAW);
            CHECK(log.v[1].offset == 8000 && log.v[1].size == 20 && log.v[1].kind == CB_REQ_META);
            CHECK(log.v[2].offset == 12000 && log.v[2].size == 20 && log.v[2].kind == CB_REQ_META);
        }
        printf("vector reads logged (HDF5 %d.%d.%d)\n", H5_VERS_MAJOR, H5_VERS_MINOR, H5_VERS_RELEASE);
#endif
        CHECK(H5FDclose(f) >= 0);
    }

    /* Page buffer: two small reads in one page are one page-sized request;
     * a read of a page or more goes straight through. */
    log.n = 0;
    f = open_logged(path, &log, 2 * 4096);
    if (f) {
        CHECK(H5FDread(f, H5FD_MEM_DRAW, H5P_DEFAULT, 4100, 10, buf) >= 0 && bytes_ok(buf, 4100, 10));
        CHECK(H5FDread(f, H5FD_MEM_DRAW, H5P_DEFAULT, 8000, 100, buf) >= 0 && bytes_ok(buf, 8000, 100));
        CHECK(H5FDread(f, H5FD_MEM_DRAW, H5P_DEFAULT, 0, 8192, buf) >= 0 && bytes_ok(buf, 0, 8192));
        CHECK(log.n == 2);
        if (log.n == 2) {
            CHECK(log.v[0].offset == 4096 && log.v[0].size == 4096);
            CHECK(log.v[1].offset == 0 && log.v[1].size == 8192);
        }
        CHECK(H5FDclose(f) >= 0);
    }
    cb_iolog_free(&log);
    unlink(path);
    if (failures) {
        fprintf(stderr, "%d failures\n", failures);
        return 1;
    }
    printf("all passed\n");
    return 0;
}
