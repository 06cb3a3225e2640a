/* The MPI-IO request log on real MPI datatypes and a real file: datatypes
 * flattened into the byte blocks MPI reads, file views mapped to file
 * ranges, and the interposed MPI_File_* calls recording exactly those
 * ranges while a log is active, and nothing otherwise. One rank. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/hdf5/mpiio_log.h"

#include "check.h"

/* f's blocks are exactly want[0..n) (pairs of offset, length). */
static int blocks_are(const cb_flat *f, const int64_t *want, int64_t n)
{
    if (f->n != n) {
        fprintf(stderr, "  %lld blocks, wanted %lld:", (long long)f->n, (long long)n);
        for (int64_t i = 0; i < f->n && i < 8; i++)
            fprintf(stderr, " [%lld,+%lld)", (long long)f->v[i].off, (long long)f->v[i].len);
        fprintf(stderr, "\n");
        return 0;
    }
    for (int64_t i = 0; i < n; i++)
        if (f->v[i].off != want[2 * i] || f->v[i].len != want[2 * i + 1])
            return 0;
    return 1;
}

/* Flatten t (then free it) and compare; extent -1: as MPI pads it (to the
 * alignment of the element type, an implementation's choice). */
static int flat_is(MPI_Datatype t, const int64_t *want, int64_t n, int64_t size, int64_t extent)
{
    MPI_Type_commit(&t);
    cb_flat f;
    int ok = cb_flat_type(t, &f) == 0 && f.exact && blocks_are(&f, want, n) && f.size == size && (extent < 0 || f.extent == extent);
    cb_flat_free(&f);
    MPI_Type_free(&t);
    return ok;
}

static void test_flatten(void)
{
    cb_flat f;
    CHECK(cb_flat_type(MPI_BYTE, &f) == 0 && f.exact && blocks_are(&f, (int64_t[]){0, 1}, 1));
    cb_flat_free(&f);
    CHECK(cb_flat_type(MPI_DOUBLE, &f) == 0 && blocks_are(&f, (int64_t[]){0, 8}, 1) && f.extent == 8);
    cb_flat_free(&f);

    MPI_Datatype t, u, w;
    /* A million bytes is one block, found without a million steps. */
    MPI_Type_contiguous(1000000, MPI_BYTE, &t);
    CHECK(flat_is(t, (int64_t[]){0, 1000000}, 1, 1000000, 1000000));
    /* vector: 3 blocks of 2 doubles, every 5 doubles */
    MPI_Type_vector(3, 2, 5, MPI_DOUBLE, &t);
    CHECK(flat_is(t, (int64_t[]){0, 16, 40, 16, 80, 16}, 3, 48, 96));
    /* hvector whose blocks touch: one block */
    MPI_Type_create_hvector(4, 1, 8, MPI_DOUBLE, &t);
    CHECK(flat_is(t, (int64_t[]){0, 32}, 1, 32, 32));
    /* indexed keeps the typemap's order (a view streams data in it) */
    MPI_Type_indexed(2, (int[]){2, 1}, (int[]){4, 0}, MPI_INT, &t);
    CHECK(flat_is(t, (int64_t[]){16, 8, 0, 4}, 2, 12, 24));
    MPI_Type_create_hindexed(3, (int[]){1, 2, 1}, (MPI_Aint[]){0, 100, 116}, MPI_DOUBLE, &t);
    CHECK(flat_is(t, (int64_t[]){0, 8, 100, 24}, 2, 32, -1));
    MPI_Type_create_indexed_block(2, 3, (int[]){0, 10}, MPI_INT, &t);
    CHECK(flat_is(t, (int64_t[]){0, 12, 40, 12}, 2, 24, 52));
    MPI_Type_create_hindexed_block(3, 2, (MPI_Aint[]){64, 0, 200}, MPI_SHORT, &t);
    CHECK(flat_is(t, (int64_t[]){64, 4, 0, 4, 200, 4}, 3, 12, 204));
    /* struct of different children: a double, then 2 ints after a gap */
    MPI_Type_create_struct(2, (int[]){1, 2}, (MPI_Aint[]){0, 16}, (MPI_Datatype[]){MPI_DOUBLE, MPI_INT}, &t);
    CHECK(flat_is(t, (int64_t[]){0, 8, 16, 8}, 2, 16, 24));
    /* resized: same blocks, the new extent */
    MPI_Type_vector(2, 1, 2, MPI_INT, &u);
    MPI_Type_create_resized(u, 0, 100, &t);
    MPI_Type_free(&u);
    CHECK(flat_is(t, (int64_t[]){0, 4, 8, 4}, 2, 8, 100));
    MPI_Type_contiguous(3, MPI_INT, &u);
    MPI_Type_dup(u, &t);
    MPI_Type_free(&u);
    CHECK(flat_is(t, (int64_t[]){0, 12}, 1, 12, 12));

    /* What HDF5 1.10.8 builds for a 100 x 50 selection of a 100 x 160 double
     * chunk (a right-edge chunk): struct{resized(vector(100 rows of a row
     * type of 50 doubles), extent 1280)} -> 100 blocks of 400 bytes, 1280 apart. */
    MPI_Type_contiguous(50, MPI_DOUBLE, &w);
    MPI_Type_create_resized(w, 0, 1280, &u);
    MPI_Type_free(&w);
    MPI_Type_vector(100, 1, 1, u, &w);
    MPI_Type_free(&u);
    MPI_Type_create_struct(1, (int[]){1}, (MPI_Aint[]){0}, (MPI_Datatype[]){w}, &t);
    MPI_Type_free(&w);
    MPI_Type_commit(&t);
    CHECK(cb_flat_type(t, &f) == 0 && f.exact && f.n == 100 && f.size == 40000);
    int rows_ok = f.n == 100;
    for (int64_t i = 0; rows_ok && i < f.n; i++)
        rows_ok = f.v[i].off == 1280 * i && f.v[i].len == 400;
    CHECK(rows_ok);
    cb_flat_free(&f);
    MPI_Type_free(&t);

    /* A combiner not followed (subarray): the true extent stands in. */
    MPI_Type_create_subarray(2, (int[]){10, 10}, (int[]){2, 3}, (int[]){4, 5}, MPI_ORDER_C, MPI_INT, &t);
    MPI_Type_commit(&t);
    CHECK(cb_flat_type(t, &f) == 0 && !f.exact && f.n == 1);
    /* rows 4-5, columns 5-7 of 10 x 10 ints: bytes 4*40+5*4 = 180 up to 5*40+8*4 = 232 */
    CHECK(f.v[0].off == 180 && f.v[0].len == 52 && f.size == 24 && f.extent == 400);
    cb_flat_free(&f);
    MPI_Type_free(&t);
}

typedef struct got {
    int64_t v[64];
    int n;
} got;

static void collect(void *ctx, int64_t off, int64_t len)
{
    got *g = ctx;
    if (g->n < 32) {
        g->v[2 * g->n] = off;
        g->v[2 * g->n + 1] = len;
    }
    g->n++;
}

static int ranges_are(const got *g, const int64_t *want, int n)
{
    if (g->n != n)
        return 0;
    for (int i = 0; i < 2 * n; i++)
        if (g->v[i] != want[i])
            return 0;
    return 1;
}

static void test_ranges(void)
{
    /* A view tiling {int at 0, int at 8} (extent 12) from byte 100. */
    MPI_Datatype t;
    MPI_Type_vector(2, 1, 2, MPI_INT, &t);
    MPI_Type_commit(&t);
    cb_flat f;
    CHECK(cb_flat_type(t, &f) == 0 && f.extent == 12);
    got g = {0};
    /* data bytes 4..16: the second int of tile 0 (108) runs into the first
     * of tile 1 (112): one range; then the second of tile 1 (120) */
    cb_flat_ranges(&f, 100, 4, 12, collect, &g);
    CHECK(ranges_are(&g, (int64_t[]){108, 8, 120, 4}, 2));
    /* a start inside a block, an end inside another */
    memset(&g, 0, sizeof g);
    cb_flat_ranges(&f, 0, 2, 4, collect, &g);
    CHECK(ranges_are(&g, (int64_t[]){2, 2, 8, 2}, 2));
    memset(&g, 0, sizeof g);
    cb_flat_ranges(&f, 0, 0, 0, collect, &g);
    CHECK(g.n == 0);
    cb_flat_free(&f);
    MPI_Type_free(&t);

    /* Not followed: one range from the first tile's true start to the last's true end. */
    MPI_Type_create_subarray(1, (int[]){10}, (int[]){2}, (int[]){3}, MPI_ORDER_C, MPI_INT, &t);
    MPI_Type_commit(&t);
    CHECK(cb_flat_type(t, &f) == 0 && !f.exact);
    memset(&g, 0, sizeof g);
    cb_flat_ranges(&f, 1000, 0, 16, collect, &g); /* tiles 0 and 1, extent 40 */
    CHECK(ranges_are(&g, (int64_t[]){1012, 48}, 1));
    cb_flat_free(&f);
    MPI_Type_free(&t);
}

/* The interposed calls on a real file. */
static void test_interposed(void)
{
    char path[] = "/tmp/cb_mpiio_test.XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    MPI_File fh;
    CHECK(MPI_File_open(MPI_COMM_SELF, path, MPI_MODE_RDWR, MPI_INFO_NULL, &fh) == MPI_SUCCESS);
    static char data[8192], buf[8192];
    for (int i = 0; i < 8192; i++)
        data[i] = (char)(i * 7);
    MPI_Status st;
    MPI_File_write_at(fh, 0, data, 8192, MPI_BYTE, &st);

    cb_iolog log = {0};
    log.rank = 0;
    cb_mpiio_log_begin(&log);
    /* plain view: offset and count * type size */
    MPI_File_read_at(fh, 10, buf, 5, MPI_INT, &st);
    CHECK(!memcmp(buf, data + 10, 20));
    /* a derived file type, as HDF5 sets it for collective reads */
    MPI_Datatype ft;
    MPI_Type_vector(3, 16, 64, MPI_BYTE, &ft);
    MPI_Type_commit(&ft);
    MPI_File_set_view(fh, 1000, MPI_BYTE, ft, "native", MPI_INFO_NULL);
    MPI_File_read_at_all(fh, 0, buf, 48, MPI_BYTE, &st);
    CHECK(!memcmp(buf, data + 1000, 16) && !memcmp(buf + 16, data + 1064, 16) && !memcmp(buf + 32, data + 1128, 16));
    /* an empty collective read (a rank with nothing to read) is no request */
    MPI_File_read_at_all(fh, 0, buf, 0, MPI_BYTE, &st);
    MPI_File_set_view(fh, 0, MPI_BYTE, MPI_BYTE, "native", MPI_INFO_NULL);
    MPI_File_read_at(fh, 4000, buf, 100, MPI_BYTE, &st);
    cb_mpiio_log_end();
    MPI_File_read_at(fh, 0, buf, 100, MPI_BYTE, &st); /* not logged: no log active */
    MPI_Type_free(&ft);
    MPI_File_close(&fh);
    unlink(path);

    int64_t want[][2] = {{10, 20}, {1000, 16}, {1064, 16}, {1128, 16}, {4000, 100}};
    CHECK(log.n == 5 && log.lost == 0);
    for (int i = 0; i < 5 && i < log.n; i++) {
        CHECK(log.v[i].offset == want[i][0] && log.v[i].size == want[i][1]);
        CHECK(log.v[i].kind == CB_REQ_META && log.v[i].rank == 0 && log.v[i].end >= log.v[i].start);
    }
    /* the three ranges of one call share its times */
    CHECK(log.n == 5 && log.v[1].start == log.v[3].start && log.v[1].end == log.v[3].end);
    cb_iolog_free(&log);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    test_flatten();
    test_ranges();
    test_interposed();
    MPI_Finalize();
    return CHECK_DONE();
}
