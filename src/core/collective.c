#include "core/collective.h"

#include <stdio.h>
#include <string.h>

const char *cb_actual_io_key(cb_actual_io m)
{
    static const char *n[] = {"independent", "chunk_independent", "chunk_collective", "chunk_mixed",
                              "contiguous_collective"};
    return m >= 0 && m < CB_AIO_N ? n[m] : "?";
}

const char *cb_actual_chunk_opt_key(cb_actual_chunk_opt m)
{
    static const char *n[] = {"none", "link_chunk", "multi_chunk"};
    return m >= 0 && m < CB_ACO_N ? n[m] : "?";
}

const char *cb_no_coll_cause_words(cb_no_coll_cause c)
{
    static const char *n[] = {
        "independent I/O was set",
        "datatype conversion",
        "data transforms",
        "MPI derived types disabled (HDF5_MPI_OPT_TYPES=0)",
        "not simple or scalar dataspaces",
        "dataset neither contiguous nor chunked",
        "parallel filtered writes disabled",
        "error while checking whether collective I/O is possible",
        "no selection I/O",
        "another cause",
    };
    return c >= 0 && c < CB_NCC_N ? n[c] : "?";
}

int cb_coll_asked(const cb_coll_stats *s)
{
    for (int k = 0; k < CB_CHUNK_OPT_N; k++)
        if (s->asked[k])
            return 1;
    return 0;
}

cb_chunk_opt cb_coll_asked_opt(const cb_coll_stats *s)
{
    int best = CB_CHUNK_OPT_UNSET;
    for (int k = 1; k < CB_CHUNK_OPT_N; k++)
        if (s->asked[k] > s->asked[best])
            best = k;
    return (cb_chunk_opt)best;
}

int64_t cb_coll_not_done(const cb_coll_stats *s)
{
    return s->io_mode[CB_AIO_INDEPENDENT] + s->io_mode[CB_AIO_CHUNK_INDEPENDENT] + s->io_mode[CB_AIO_CHUNK_MIXED];
}

int cb_coll_has_cause(const cb_coll_stats *s, cb_no_coll_cause c)
{
    return s->local_cause[c] > 0 || s->global_cause[c] > 0;
}

void cb_coll_add(cb_coll_stats *into, const cb_coll_stats *from)
{
    int64_t *a = (int64_t *)into;
    const int64_t *b = (const int64_t *)from;
    for (int k = 0; k < CB_COLL_STATS_NINT; k++)
        a[k] += b[k];
}

void cb_coll_causes_text(const cb_coll_stats *s, char *buf, size_t cap)
{
    size_t n = 0;
    if (cap)
        buf[0] = 0;
    for (int c = 0; c < CB_NCC_N && n < cap; c++) {
        if (!cb_coll_has_cause(s, (cb_no_coll_cause)c))
            continue;
        int w = snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", cb_no_coll_cause_words((cb_no_coll_cause)c));
        if (w < 0)
            break;
        n += (size_t)w;
    }
}
