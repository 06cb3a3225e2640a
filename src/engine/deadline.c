#include "engine/deadline.h"

#include <time.h>

#include "core/clock.h"
#include "core/mpi_err.h"

void cb_deadline_start(cb_deadline *d, double seconds, int wearout, MPI_Comm comm)
{
    *d = (cb_deadline){.at = seconds > 0 ? cb_now() + seconds : 0, .wearout = seconds > 0 && wearout,
                       .req = MPI_REQUEST_NULL, .comm = comm};
}

int cb_deadline_passed(const cb_deadline *d)
{
    return d->at > 0 && cb_now() >= d->at;
}

static void post(cb_deadline *d, int64_t done, cb_err *err)
{
    d->mine = done;
    d->posted = cb_mpi(err, MPI_Iallreduce(&d->mine, &d->target, 1, MPI_INT64_T, MPI_MAX, d->comm, &d->req),
                       "MPI_Iallreduce of the tasks done by the deadline") == 0;
}

int cb_deadline_check(cb_deadline *d, int64_t done, cb_err *err)
{
    if (d->at <= 0)
        return CB_DEADLINE_GO;
    if (d->stop)
        return CB_DEADLINE_STOP;
    if (!d->hit && cb_now() >= d->at) {
        d->hit = 1;
        if (!d->wearout) {
            d->stop = 1;
            return CB_DEADLINE_STOP;
        }
        post(d, done, err);
        if (!d->posted) {
            d->stop = 1;
            return CB_DEADLINE_STOP;
        }
    }
    if (d->posted && !d->known) {
        int flag = 0;
        if (cb_mpi(err, MPI_Test(&d->req, &flag, MPI_STATUS_IGNORE), "MPI_Test of the wear-out count") < 0) {
            d->stop = 1;
            return CB_DEADLINE_STOP;
        }
        if (!flag) {
            /* Oversubscribed ranks need the core more than this one does. */
            nanosleep(&(struct timespec){0, 50 * 1000}, NULL);
            return CB_DEADLINE_WAIT;
        }
        d->known = 1;
    }
    if (d->known && done >= d->target)
        d->stop = 1;
    return d->stop ? CB_DEADLINE_STOP : CB_DEADLINE_GO;
}

void cb_deadline_post(cb_deadline *d, int64_t done, cb_err *err)
{
    /* Also after a failure: the other ranks wait for this count. */
    if (d->wearout && !d->posted)
        post(d, done, err);
}

void cb_deadline_end(cb_deadline *d, cb_err *err)
{
    if (d->posted && !d->known)
        d->known = cb_mpi(err, MPI_Wait(&d->req, MPI_STATUS_IGNORE), "MPI_Wait for the wear-out count") == 0;
}
