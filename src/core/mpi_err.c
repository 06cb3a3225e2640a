#include "core/mpi_err.h"

#include <stdarg.h>
#include <stdio.h>

int cb_mpi(cb_err *err, int rc, const char *what_fmt, ...)
{
    if (rc == MPI_SUCCESS)
        return 0;
    char what[512], text[MPI_MAX_ERROR_STRING];
    va_list ap;
    va_start(ap, what_fmt);
    vsnprintf(what, sizeof what, what_fmt, ap);
    va_end(ap);
    int len = 0;
    if (MPI_Error_string(rc, text, &len) != MPI_SUCCESS)
        snprintf(text, sizeof text, "MPI error code %d", rc);
    return cb_fail(err, CB_EIO, "%s: %s", what, text);
}

int cb_bcast_verdict(MPI_Comm comm, cb_err *e)
{
    int rc = MPI_Bcast(e, (int)sizeof *e, MPI_BYTE, 0, comm);
    if (rc != MPI_SUCCESS) {
        *e = (cb_err){0}; /* what arrived is not to be trusted */
        cb_mpi(e, rc, "MPI_Bcast of rank 0's outcome");
    }
    return e->code ? -1 : 0;
}
