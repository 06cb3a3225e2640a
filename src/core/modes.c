#include "core/modes.h"

const char *cb_sched_name(cb_sched_kind k)
{
    static const char *n[] = {"block", "cyclic", "dynamic", "server"};
    return n[k];
}

const char *cb_io_name(cb_io_mode m)
{
    static const char *n[] = {"independent", "collective", "direct"};
    return n[m];
}

const char *cb_driver_name(cb_driver d)
{
    static const char *n[] = {"default", "mpio", "sec2", "ros3", "curl"};
    return n[d];
}

const char *cb_page_buffer_by_name(cb_page_buffer_by b)
{
    static const char *n[] = {"auto", "hdf5", "chunkbench"};
    return n[b];
}

const char *cb_http_cache_name(cb_http_cache c)
{
    static const char *n[] = {"none", "readahead", "blockcache", "first", "all"};
    return n[c];
}

const char *cb_chunk_opt_name(cb_chunk_opt c)
{
    static const char *n[] = {"auto", "auto", "one", "multi"};
    return c >= 0 && c < CB_CHUNK_OPT_N ? n[c] : "auto";
}
