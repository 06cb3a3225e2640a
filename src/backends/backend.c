#include "backends/backend.h"

#include <stdlib.h>
#include <string.h>

#include "core/hints.h"

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

void cb_store_release(cb_store *s, cb_net_stats *net)
{
    if (net)
        *net = s->net;
    else
        free(s->net.latency);
    if (s->iolog) {
        cb_iolog_free(s->iolog);
        free(s->iolog);
    }
    if (s->mpi_hints) {
        cb_hints_free(s->mpi_hints);
        free(s->mpi_hints);
    }
    free(s);
}
