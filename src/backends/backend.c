#include "backends/backend.h"

#include <string.h>

cb_target_kind cb_target_kind_of(const char *t)
{
    if (!strncmp(t, "hdf5://", 7))
        return CB_TARGET_HSDS;
    if (!strncmp(t, "http://", 7) || !strncmp(t, "https://", 8) || !strncmp(t, "s3://", 5))
        return CB_TARGET_URL;
    if (!strncmp(t, "mpiio:", 6))
        return CB_TARGET_MPIIO;
    return CB_TARGET_PATH;
}

const char *cb_target_file(const char *t)
{
    switch (cb_target_kind_of(t)) {
    case CB_TARGET_PATH:
        return t;
    case CB_TARGET_MPIIO:
        return t + 6;
    default:
        return NULL;
    }
}

const cb_backend *cb_backend_for(const char *target)
{
    switch (cb_target_kind_of(target)) {
    case CB_TARGET_HSDS:
        return &cb_backend_hsds;
    case CB_TARGET_MPIIO:
        return &cb_backend_mpiio;
    default:
        return &cb_backend_hdf5;
    }
}
