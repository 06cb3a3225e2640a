/* The dynamic schedule's shared counter: hands out 0, 1, 2, ... below a
 * limit, each index exactly once, to whichever rank asks first.
 *
 * rma: MPI_Fetch_and_op on a window on rank 0 (one-sided, rank 0 does nothing).
 * p2p: rank 0 keeps the count and answers claims sent as point-to-point
 *      messages whenever it asks for its own next index (between its tasks);
 *      the others ask for their next index as soon as they get one, so the
 *      answer travels while they work on the current one.
 * rma is used when every rank gets the window (OpenMPI 4.1 over TCP between
 * hosts gives none without MPI_THREAD_MULTIPLE), p2p otherwise; all ranks use
 * the same one. CHUNKBENCH_COUNTER=rma|p2p (rank 0's value counts) forces one. */
#ifndef CHUNKBENCH_COUNTER_H
#define CHUNKBENCH_COUNTER_H

#include <mpi.h>
#include <stdint.h>

#include "core/error.h"

typedef struct cb_counter cb_counter;

/* Collective. Fails on every rank together (a forced rma that cannot be had,
 * no memory). */
int cb_counter_start(int64_t limit, MPI_Comm comm, cb_counter **out, cb_err *err);

/* The next index, or -1 when none are left (or want is 0). want 0: this rank
 * takes nothing now, and asks for nothing later (max tasks reached); rank 0
 * still serves the others. again: the caller may ask once more, so a p2p
 * claim for it can go out now (0 when it will stop after this one, or an
 * index would be claimed and left unused). */
int64_t cb_counter_take(cb_counter *c, int want, int again);

/* Every rank calls cb_counter_take once per round, as collective I/O does:
 * p2p rank 0 then answers every rank's claim of the round before it returns
 * (the others wait for it, then meet it in the round's collective call). */
void cb_counter_lockstep(cb_counter *c);

/* 0, or -1 with the first failed MPI call of this rank's counter in err
 * (cb_counter_take then returns -1: this rank takes no more). */
int cb_counter_error(const cb_counter *c, cb_err *err);

/* "rma" or "p2p". */
const char *cb_counter_kind(const cb_counter *c);

/* p2p rank 0: answer the claims that have come in, without waiting (a rank
 * that takes no index for a while); nothing for the others or rma. */
void cb_counter_serve(cb_counter *c);

/* Collective. p2p rank 0 answers "none left" until every rank has stopped. */
int cb_counter_end(cb_counter *c, cb_err *err);

#endif
