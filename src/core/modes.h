/* The run modes every layer names: how tasks are handed out (the engine), how
 * HDF5 moves data and how a file is opened for reading (the backends). Kept
 * down here so neither the engine nor the backends need the command line's
 * headers. */
#ifndef CHUNKBENCH_MODES_H
#define CHUNKBENCH_MODES_H

typedef enum { CB_SCHED_BLOCK = 0, CB_SCHED_CYCLIC, CB_SCHED_DYNAMIC, CB_SCHED_SERVER } cb_sched_kind;
typedef enum { CB_IO_INDEPENDENT = 0, CB_IO_COLLECTIVE, CB_IO_DIRECT } cb_io_mode;
/* read: how each rank opens the file. mpio: one parallel open; sec2: every
 * rank on its own, read-only (where 1.10's page buffer works); ros3: a URL
 * through HDF5's S3 driver; curl: a URL through chunkbench's own libcurl
 * driver, with fsspec's caches. DEFAULT: not chosen (data phases other than
 * read use one parallel open). */
typedef enum { CB_DRIVER_DEFAULT = 0, CB_DRIVER_MPIO, CB_DRIVER_SEC2, CB_DRIVER_ROS3, CB_DRIVER_CURL } cb_driver;
/* read --driver curl: the cache between HDF5 and the HTTP requests
 * (core/rangecache.h), named as fsspec names its cache types. */
typedef enum { CB_HTTP_CACHE_NONE = 0, CB_HTTP_CACHE_READAHEAD, CB_HTTP_CACHE_BLOCK, CB_HTTP_CACHE_FIRST,
               CB_HTTP_CACHE_ALL } cb_http_cache;
/* read: whose page buffer keeps the pages. HDF5's own where the library has
 * it for files a rank opens alone (1.14.5+ in parallel builds), else
 * chunkbench's in its driver layer (AUTO picks). */
typedef enum { CB_PB_AUTO = 0, CB_PB_HDF5, CB_PB_CHUNKBENCH } cb_page_buffer_by;
/* Collective transfers of chunked data: HDF5 picks (AUTO, also when not
 * given), one linked I/O for all chunks (ONE), or one I/O per chunk (MULTI). */
typedef enum { CB_CHUNK_OPT_UNSET = 0, CB_CHUNK_OPT_AUTO, CB_CHUNK_OPT_ONE, CB_CHUNK_OPT_MULTI, CB_CHUNK_OPT_N } cb_chunk_opt;

const char *cb_sched_name(cb_sched_kind k);
const char *cb_io_name(cb_io_mode m);
const char *cb_driver_name(cb_driver d);
const char *cb_page_buffer_by_name(cb_page_buffer_by b);
const char *cb_http_cache_name(cb_http_cache c);
/* "auto" (also for UNSET), "one", "multi". */
const char *cb_chunk_opt_name(cb_chunk_opt c);

#endif
