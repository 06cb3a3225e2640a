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
