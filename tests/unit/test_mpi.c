/* The MPI error policy on real ranks (run with 3): MPI codes become messages,
 * an error on one rank stops every rank with that rank's message, and the
 * one-sided counters fail on every rank together when one rank cannot have
 * them, then work again. Each rank checks; rank 0's exit code counts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mpi_err.h"
#include "engine/agree.h"
#include "engine/rma_counters.h"
#include "engine/share.h"

#include "check.h"

static int rank, size;

static void test_mpi_message(void)
{
    cb_err e = {0};
    CHECK(cb_mpi(&e, MPI_SUCCESS, "nothing") == 0 && e.code == CB_OK);
    CHECK(cb_mpi(&e, MPI_ERR_COUNT, "sending %d things", 3) == -1 && e.code == CB_EIO);
    char text[MPI_MAX_ERROR_STRING];
    int len;
    MPI_Error_string(MPI_ERR_COUNT, text, &len);
    char want[2 * MPI_MAX_ERROR_STRING];
    snprintf(want, sizeof want, "sending 3 things: %s", text);
    CHECK(!strcmp(e.msg, want));
    /* The first error stays, and a later failure still returns -1. */
    CHECK(cb_mpi(&e, MPI_ERR_TAG, "later") == -1 && !strcmp(e.msg, want));
}

static void test_agree(void)
{
    cb_err e = {0};
    CHECK(cb_agree(MPI_COMM_WORLD, &e) == 0 && e.code == CB_OK);
    /* Ranks 1 and 2 fail: every rank stops with rank 1's message. */
    if (rank >= 1)
        cb_fail(&e, CB_EUSAGE, "rank %d failed", rank);
    CHECK(cb_agree(MPI_COMM_WORLD, &e) == -1 && e.code == CB_EUSAGE && !strcmp(e.msg, "rank 1 failed"));

    cb_err v = {0};
    if (rank == 0)
        cb_fail(&v, CB_EEXIST, "rank 0 says no");
    CHECK(cb_bcast_verdict(MPI_COMM_WORLD, &v) == -1 && v.code == CB_EEXIST && !strcmp(v.msg, "rank 0 says no"));
    cb_err ok = {0};
    CHECK(cb_bcast_verdict(MPI_COMM_WORLD, &ok) == 0);
}

static void test_counters(void)
{
    /* One rank comes in failed: nobody keeps counters, all hear why. */
    cb_err e = {0};
    if (rank == size - 1)
        cb_fail(&e, CB_EIO, "no memory on the last rank");
    MPI_Win win = (MPI_Win)0;
    CHECK(cb_counters_open(MPI_COMM_WORLD, 2, "test counters", &win, &e) == -1);
    CHECK(win == MPI_WIN_NULL && !strcmp(e.msg, "no memory on the last rank"));

    /* Afterwards they work: every rank adds to counter 1, all see the sum. */
    cb_err e2 = {0};
    CHECK(cb_counters_open(MPI_COMM_WORLD, 2, "test counters", &win, &e2) == 0 && win != MPI_WIN_NULL);
    if (win == MPI_WIN_NULL)
        return;
    int64_t one = 1, got = -1;
    CHECK(MPI_Accumulate(&one, 1, MPI_INT64_T, 0, 1, 1, MPI_INT64_T, MPI_SUM, win) == MPI_SUCCESS);
    CHECK(MPI_Win_flush(0, win) == MPI_SUCCESS);
    MPI_Barrier(MPI_COMM_WORLD);
    CHECK(MPI_Fetch_and_op(NULL, &got, MPI_INT64_T, 0, 1, MPI_NO_OP, win) == MPI_SUCCESS);
    CHECK(MPI_Win_flush(0, win) == MPI_SUCCESS);
    CHECK(got == size);
    /* The window returns codes: a bad target rank is an error, not an abort. */
    CHECK(MPI_Fetch_and_op(NULL, &got, MPI_INT64_T, size + 5, 0, MPI_NO_OP, win) != MPI_SUCCESS);
    CHECK(cb_counters_close(&win, &e2) == 0 && win == MPI_WIN_NULL && e2.code == CB_OK);
    CHECK(cb_counters_close(&win, &e2) == 0); /* closing nothing is nothing */
}

/* A root's bytes reach every rank, the root keeps its own buffer; nothing
 * is shared as nothing; a size no rank can hold fails on all together. */
static void test_share_blob(void)
{
    int root = size - 1;
    char mine[] = "dset\0/gt1l/h_li";
    void *buf = rank == root ? mine : NULL;
    int64_t n = rank == root ? (int64_t)sizeof mine : -7;
    cb_err e = {0};
    CHECK(cb_share_blob(&buf, &n, root, "the test bytes", MPI_COMM_WORLD, &e) == 0 && e.code == CB_OK);
    CHECK(n == (int64_t)sizeof mine && buf && !memcmp(buf, mine, sizeof mine));
    CHECK((rank == root) == (buf == mine));
    if (rank != root)
        free(buf);
    void *none = NULL;
    int64_t zero = 0;
    CHECK(cb_share_blob(&none, &zero, 0, "nothing", MPI_COMM_WORLD, &e) == 0 && zero == 0);
    if (rank != 0)
        free(none);
    void *huge = mine;
    int64_t too_big = rank == 0 ? INT64_MAX : 0;
    cb_err f = {0};
    CHECK(cb_share_blob(&huge, &too_big, 0, "the huge bytes", MPI_COMM_WORLD, &f) == -1);
    CHECK(f.code == CB_EIO && !strcmp(f.msg, "out of memory for the huge bytes"));
    CHECK(rank == 0 ? huge == mine : huge == NULL);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    CHECK(size >= 2);
    test_mpi_message();
    test_agree();
    test_counters();
    test_share_blob();
    MPI_Finalize();
    return CHECK_DONE();
}
