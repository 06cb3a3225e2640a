#include "backends/backend.h"

#include <string.h>

cb_target_kind cb_target_kind_of(const char *t)
{
    if (!strncmp(t, "hdf5://", 7))
        return CB_TARGET_HSDS;
    if (!strncmp(t, "http://", 7) || !strncmp(t, "https://", 8) || !strncmp(t, "s3://", 5))
        return CB_TARGET_URL;
    return CB_TARGET_PATH;
}

const cb_backend *cb_backend_for(const char *target)
{
    return cb_target_kind_of(target) == CB_TARGET_HSDS ? &cb_backend_hsds : &cb_backend_hdf5;
}
