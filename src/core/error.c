#include "core/error.h"

#include <stdio.h>
#include <string.h>

int cb_fail(cb_err *err, int code, const char *fmt, ...)
{
    if (err && err->code == CB_OK) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return -1;
}

int cb_wrap(cb_err *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    char prefix[512], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    /* A long message is cut, not lost: the start names the problem. */
    if (snprintf(err->msg, sizeof err->msg, "%s: %s", prefix, old) >= (int)sizeof err->msg)
        err->msg[sizeof err->msg - 1] = '\0';
    if (err->code == CB_OK)
        err->code = CB_EIO;
    return -1;
}
